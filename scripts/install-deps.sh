#!/bin/sh
# Installs what msnpdump and its tests need on Debian 12 (bookworm), via apt.
# Runs apt-get directly as root, through sudo otherwise. Idempotent.
set -eu

PACKAGES="build-essential cmake pkg-config libpcap-dev zlib1g-dev tshark wireshark-dev python3"
# The batch recipe's test (GNU parallel), the man page's test (groff, man) and
# the .deb check (dpkg-dev's dpkg-shlibdeps comes with build-essential).
PACKAGES="$PACKAGES parallel groff-base man-db"
# The ladder view's SVG is rendered by headless Chromium in a test.
PACKAGES="$PACKAGES chromium"
# The memory test measures peak RSS with GNU time.
PACKAGES="$PACKAGES time"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "install-deps: all packages present:$(printf ' %s' $PACKAGES)"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
else
    SUDO="sudo"
fi
echo "install-deps: installing:$missing"
# tshark asks whether non-root users may capture; answer for it (no).
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing

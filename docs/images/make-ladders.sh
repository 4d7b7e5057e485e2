#!/bin/sh
# Draws the ladder diagrams of the tour (docs/tour.md) from the committed
# teaching samples:
#   docs/images/ladder-login.svg          the login of login-tweener.pcap (DS, then NS)
#   docs/images/ladder-login.png          the same, rendered by headless Chromium
#   docs/images/ladder-list-sync.svg      the contact-list dump of list-sync.pcap
#   docs/images/ladder-chat.svg           the caller-side conversation of chat-caller.pcap
#   docs/images/ladder-file-transfer.svg  file-transfer.pcap: invitation and MSNFTP
#
# Usage: docs/images/make-ladders.sh [MSNPDUMP]   (default: build/cli/msnpdump)
# Needs Chromium for the PNG (Debian: chromium; scripts/install-deps.sh installs it).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
msnpdump=${1:-$root/build/cli/msnpdump}
out=$root/docs/images
samples=$root/samples/captures

if [ ! -x "$msnpdump" ]; then
    echo "make-ladders: no msnpdump at $msnpdump (build first, or give its path)" >&2
    exit 1
fi

"$msnpdump" -q ladder -T svg -r "$samples/login-tweener.pcap" > "$out/ladder-login.svg"
"$msnpdump" -q ladder -T svg -r "$samples/list-sync.pcap" > "$out/ladder-list-sync.svg"
"$msnpdump" -q ladder -T svg --session C2 -r "$samples/chat-caller.pcap" > "$out/ladder-chat.svg"
"$msnpdump" -q ladder -T svg -r "$samples/file-transfer.pcap" > "$out/ladder-file-transfer.svg"

browser=
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" > /dev/null 2>&1; then
        browser=$b
        break
    fi
done
[ -n "$browser" ] || { echo "make-ladders: no Chromium: the PNG is not made" >&2; exit 1; }

# the SVG's own size is the window's
size=$(sed -n 's/^<svg [^>]* width="\([0-9.]*\)" height="\([0-9.]*\)".*/\1,\2/p' \
    "$out/ladder-login.svg" | head -n 1)
width=${size%%,*}
height=${size##*,}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# root needs --no-sandbox; the profile directory keeps Chromium out of $HOME
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$profile" --force-device-scale-factor=1 \
    --window-size="${width%.*},${height%.*}" --screenshot="$out/ladder-login.png" \
    "file://$out/ladder-login.svg" > /dev/null 2>&1
[ -s "$out/ladder-login.png" ] || { echo "make-ladders: Chromium wrote no PNG" >&2; exit 1; }
echo "make-ladders: wrote $out/ladder-{login,list-sync,chat,file-transfer}.svg and ladder-login.png"

#!/bin/sh
# The README's two set-up commands are what CI runs: .ci/run must contain the
# test command word for word, and the install command must install through
# scripts/install-deps.sh (the one list of packages) and run msnpdump on a
# committed sample.
set -eu
root=$1
cmd_after() {
    # the first line of the fenced block that follows the marker
    awk -v m="<!-- $1 -->" '$0 == m {f = 1; next} f && /^```/ {if (g) exit; g = 1; next} f && g {print; exit}' "$root/README.md"
}
install=$(cmd_after setup:install)
test_cmd=$(cmd_after setup:test)
[ -n "$install" ] || { echo "README: no command after <!-- setup:install -->"; exit 1; }
[ -n "$test_cmd" ] || { echo "README: no command after <!-- setup:test -->"; exit 1; }
grep -qxF "$test_cmd" "$root/.ci/run" || { echo ".ci/run does not run the README's test command: $test_cmd"; exit 1; }
case "$install" in
scripts/install-deps.sh*) ;;
*) echo "README install command does not start with scripts/install-deps.sh: $install"; exit 1 ;;
esac
# A clone keeps the mode bits git recorded; CI calls these directly.
for f in scripts/install-deps.sh .ci/run .ci/deb-check .ci/ws44-check; do
    [ -x "$root/$f" ] || { echo "$f is not executable (git update-index --chmod=+x $f)"; exit 1; }
done
sample=$(printf '%s\n' "$install" | sed -n 's/.*msnpdump -r \([^ ]*\).*/\1/p')
[ -n "$sample" ] && [ -f "$root/$sample" ] || { echo "README install command runs msnpdump on a missing sample: $sample"; exit 1; }
echo "README commands and .ci/run agree (sample $sample)"

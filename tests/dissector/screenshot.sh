#!/bin/sh
# Remakes docs/images/wireshark-msnp-msg.png: the Wireshark GUI (Debian's
# wireshark-qt) under Xvfb with the plugin of a build tree, showing the
# reassembled MSG of samples/captures/chat.pcap (frame 42, 1504 bytes over two
# segments) with its fields expanded and msnp.mime.content_type selected.
#
# Not a test: run it by hand after a change to what the tree shows.
#   apt-get install wireshark-qt xvfb xdotool x11-apps netpbm
#   tests/dissector/screenshot.sh BUILD_DIR [OUTPUT.png]
# As root, Wireshark runs as nobody (it ignores WIRESHARK_PLUGIN_DIR for root).
set -eu

build=${1:?usage: screenshot.sh BUILD_DIR [OUTPUT.png]}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${2:-$top/docs/images/wireshark-msnp-msg.png}
plugin=$(ls "$build"/plugins/*/epan/msnp.so | head -1)
abi=$(basename "$(dirname "$(dirname "$plugin")")")
for tool in wireshark Xvfb xdotool xwd xwdtopnm pnmtopng; do
    command -v $tool >/dev/null || { echo "screenshot.sh: $tool is missing" >&2; exit 1; }
done

scratch=$(mktemp -d)
chmod 755 "$scratch"
display=:$((90 + $$ % 9))
cleanup() {
    [ -n "${ws_pid:-}" ] && kill "$ws_pid" 2>/dev/null || true
    [ -n "${x_pid:-}" ] && kill "$x_pid" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

mkdir -p "$scratch/plugins/$abi/epan" "$scratch/home/.config/wireshark"
cp "$plugin" "$scratch/plugins/$abi/epan/msnp.so"
cp "$top/samples/captures/chat.pcap" "$scratch/"
# Packet list over details over bytes; a short list and a tall tree.
cat > "$scratch/home/.config/wireshark/preferences" <<'EOF'
gui.update.enabled: FALSE
gui.layout_type: 1
EOF
cat > "$scratch/home/.config/wireshark/recent" <<'EOF'
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: 1600
gui.geometry_main_height: 1250
gui.geometry_main_maximized: FALSE
gui.geometry_main_upper_pane: 190
gui.geometry_main_lower_pane: 780
EOF
chmod -R a+rX "$scratch"
run=""
if [ "$(id -u)" -eq 0 ]; then
    chown -R 65534:65534 "$scratch/home"
    run="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
chmod 700 "$scratch/home"

Xvfb "$display" -screen 0 1600x1250x24 -nolisten tcp >/dev/null 2>&1 &
x_pid=$!
sleep 2
$run env -i HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/home" DISPLAY="$display" \
    WIRESHARK_PLUGIN_DIR="$scratch/plugins" PATH="$PATH" \
    wireshark -r "$scratch/chat.pcap" -g 42 -Y msnp >/dev/null 2>&1 &
ws_pid=$!
sleep 10
export DISPLAY="$display"
# The MSNP item is the last line of the details pane: select it, expand
# its subtrees, then select the content type to highlight its bytes.
xdotool mousemove 260 378 click 1
sleep 1
xdotool key shift+Right
sleep 1.5
xdotool mousemove 200 650 click 1
sleep 1.5
mkdir -p "$(dirname "$out")"
xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng > "$out"
echo "wrote $out"

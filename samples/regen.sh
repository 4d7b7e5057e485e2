#!/bin/sh
# Regenerate, check or verify the committed sample captures listed in
# samples/captures/MANIFEST (the only list of captures and their options).
#
#   regen.sh [--gen MSNPGEN]                 regenerate samples/captures/ in place
#   regen.sh [--gen MSNPGEN] --out DIR       write everything into DIR instead
#   regen.sh [--gen MSNPGEN] --check [DIR]   regenerate into DIR (default: a
#                                            temporary directory) and compare
#                                            byte for byte with the committed
#                                            files; exit 1 on any difference
#   regen.sh --tshark                        read every committed capture with
#                                            tshark: no malformed packets, no
#                                            checksum errors, every frame
#                                            decoded down to TCP; exit 77 when
#                                            tshark is not installed
#
# MSNPGEN defaults to $MSNPGEN, then build/samples/msnpgen under the
# repository root, then msnpgen on the PATH.
set -u
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
captures="$here/captures"
scenarios="$here/scenarios"
manifest="$captures/MANIFEST"

gen=${MSNPGEN:-}
out=""
mode=regen

while [ $# -gt 0 ]; do
    case "$1" in
    --gen) gen=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --check)
        mode=check
        shift
        if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then out=$1; shift; fi
        ;;
    --tshark) mode=tshark; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "regen.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

# Manifest entries without comments and blank lines.
entries() {
    sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$manifest" | grep -v '^[[:space:]]*$'
}

stem() { echo "${1%.*}"; }

if [ "$mode" = tshark ]; then
    if ! command -v tshark >/dev/null 2>&1; then
        echo "SKIP: tshark is not installed; cannot verify the captures"
        exit 77
    fi
    opts="-o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE"
    errf=$(mktemp)
    failed=0
    list=$(mktemp)
    entries > "$list"
    while read -r file scen rest; do
        f="$captures/$file"
        # One pass: per frame the TCP and IPv4 checksum status (1 = good;
        # empty for IPv6) and the expert severities (>= 8388608 = error,
        # which includes malformed packets).
        res=$(tshark -n -r "$f" $opts -T fields -e frame.number -e tcp.checksum.status \
                  -e ip.checksum.status -e _ws.expert.severity 2>"$errf")
        rc=$?
        # tshark run as root prints a harmless warning on stderr: ignore it.
        errs=$(grep -v '^Running as user "root"' "$errf")
        summary=$(printf '%s\n' "$res" | awk -F '\t' '
            NF == 0 { next }
            {
                n++; ok = ($2 == "1") && ($3 == "" || $3 == "1")
                k = split($4, sev, ",")
                for (i = 1; i <= k; i++) if (sev[i] + 0 >= 8388608) ok = 0
                if (!ok) { bad++; if (bad <= 5) list = list " " $1 }
            }
            END { printf "%d %d%s\n", n, bad, list }')
        set -- $summary
        total=$1 bad=$2
        shift 2
        if [ "$rc" -ne 0 ] || [ -n "$errs" ] || [ "$total" -eq 0 ] || [ "$bad" -ne 0 ]; then
            echo "FAIL $file: $bad of $total frames bad (first: ${*:-none}), tshark status $rc${errs:+: $errs}"
            failed=1
        else
            echo "ok   $file: $total frames"
        fi
    done < "$list"
    rm -f "$errf" "$list"
    exit $failed
fi
if [ -z "$gen" ]; then
    root=$(cd "$here/.." && pwd)
    if [ -x "$root/build/samples/msnpgen" ]; then
        gen="$root/build/samples/msnpgen"
    elif command -v msnpgen >/dev/null 2>&1; then
        gen=msnpgen
    else
        echo "regen.sh: msnpgen not found; build it or pass --gen PATH" >&2
        exit 2
    fi
fi

tmp=""
if [ "$mode" = check ] && [ -z "$out" ]; then
    tmp=$(mktemp -d)
    out=$tmp
fi
[ -n "$out" ] || out=$captures
mkdir -p "$out" || exit 3

status=0
list=$(mktemp)
entries > "$list"
: > "$list.new"
while read -r file scen rest; do
    s=$(stem "$file")
    rm -rf "$out/$s.files"
    # shellcheck disable=SC2086 # options are word-split on purpose
    if ! "$gen" "$scenarios/$scen" -o "$out/$file" --truth "$out/$s.truth" \
            --files "$out/$s.files" $rest; then
        echo "FAIL generating $file" >&2
        status=1
        continue
    fi
    # the files this entry produces
    echo "./$file" >> "$list.new"
    echo "./$s.truth" >> "$list.new"
    if [ -d "$out/$s.files" ]; then
        (cd "$out" && find "./$s.files" -type f) >> "$list.new"
    fi
    [ "$mode" = check ] || echo "wrote $file"
done < "$list"
sort -o "$list.new" "$list.new"

if [ "$mode" = check ]; then
    # Every regenerated file must equal the committed one ...
    while read -r f; do
        if [ ! -f "$captures/$f" ]; then
            echo "MISSING in samples/captures: $f (run samples/regen.sh)"
            status=1
        elif ! cmp -s "$out/$f" "$captures/$f"; then
            echo "DIFFERS: $f (regenerated output is not byte-identical)"
            status=1
        else
            echo "ok   $f"
        fi
    done < "$list.new"
    # ... and nothing else may be committed there.
    (cd "$captures" && find . -type f ! -name MANIFEST | sort) > "$list.old"
    comm -13 "$list.new" "$list.old" | while read -r f; do
        echo "STALE in samples/captures (not produced by MANIFEST): $f"
    done
    if [ -n "$(comm -13 "$list.new" "$list.old")" ]; then status=1; fi
    rm -f "$list.old"
fi
rm -f "$list" "$list.new"
[ -n "$tmp" ] && rm -rf "$tmp"
exit $status

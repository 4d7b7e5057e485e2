#!/bin/sh
# bench/run.sh — the whole benchmark in one command: build msnpdump, msnpgen,
# the Wireshark plugin (when its sources are there) and the floor `pcount`
# (Release), install msgsnarf and valgrind when missing, generate the inputs
# (1x, 4x and 16x populations), measure every tool interleaved and repeated,
# check the targets of issue #7, count each tool's instructions on a small
# input, and write bench/results/<date>.md. msnpdump built with
# profile-guided optimisation (scripts/build-pgo.sh) is measured beside the
# ordinary build unless --no-pgo.
#
#   bench/run.sh [--rounds N] [--users N] [--scales 1,4,16] [--quick] [--no-build] [--no-pgo]
#
# Everything bench.py accepts is passed through (bench/bench.py --help).
# Environment: MSNP_BENCH_DIR (inputs and scratch, default /tmp/msnp-bench),
# MSNP_BENCH_BUILD (build directory, default $MSNP_BENCH_DIR/build).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=${MSNP_BENCH_DIR:-/tmp/msnp-bench}
build=${MSNP_BENCH_BUILD:-$work/build}
mkdir -p "$work"
chmod 755 "$work"

nobuild=0
pgo=1
for a in "$@"; do
    case "$a" in
    --no-build) nobuild=1 ;;
    --no-pgo) pgo=0 ;;
    -h | --help) exec python3 "$here/bench.py" --help ;;
    esac
done

# msgsnarf (Debian package dsniff) is one of the peers measured.
if ! command -v msgsnarf >/dev/null 2>&1 && [ ! -x /usr/sbin/msgsnarf ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "bench: installing dsniff (msgsnarf)" >&2
        { apt-get install -y -qq dsniff || { apt-get update -qq && apt-get install -y -qq dsniff; }; } \
            >"$work/apt.log" 2>&1 || echo "bench: could not install dsniff (see $work/apt.log)" >&2
    else
        echo "bench: msgsnarf missing (apt-get install dsniff); it will be skipped" >&2
    fi
fi

# valgrind counts each tool's instructions (bench/instructions.py).
if ! command -v valgrind >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        echo "bench: installing valgrind" >&2
        { apt-get install -y -qq valgrind || { apt-get update -qq && apt-get install -y -qq valgrind; }; } \
            >>"$work/apt.log" 2>&1 || echo "bench: could not install valgrind (see $work/apt.log)" >&2
    else
        echo "bench: valgrind missing (apt-get install valgrind); instructions will not be counted" >&2
    fi
fi

if [ "$nobuild" = 0 ]; then
    echo "bench: building (Release) in $build" >&2
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$work/cmake.log" 2>&1 ||
        { cat "$work/cmake.log" >&2; exit 2; }
    cmake --build "$build" -j2 --target msnpdump msnpgen >>"$work/cmake.log" 2>&1 ||
        { tail -30 "$work/cmake.log" >&2; echo "bench: build failed" >&2; exit 2; }
    if [ -f "$root/dissector/CMakeLists.txt" ]; then
        cmake --build "$build" -j2 --target msnp_plugin >>"$work/cmake.log" 2>&1 ||
            echo "bench: the Wireshark plugin did not build; tshark+msnp will be skipped" >&2
    fi
fi
# msnpdump built with profile-guided optimisation, measured beside the
# ordinary build (scripts/build-pgo.sh; needs gcc).
pgo_args=""
if [ "$pgo" = 1 ] && [ "$nobuild" = 0 ]; then
    if command -v gcc >/dev/null 2>&1; then
        echo "bench: building msnpdump with profile-guided optimisation in $work/build-pgo" >&2
        "$root/scripts/build-pgo.sh" "$work/build-pgo" >>"$work/cmake.log" 2>&1 ||
            echo "bench: the PGO build failed (see $work/cmake.log); it will be skipped" >&2
    else
        echo "bench: no gcc: no PGO build" >&2
    fi
fi
if [ "$pgo" = 1 ] && [ -x "$work/build-pgo/cli/msnpdump" ]; then
    pgo_args="--pgo-build $work/build-pgo"
fi
cc -O2 -o "$work/pcount" "$here/pcount.c" -lpcap
cc -O2 -o "$work/measure" "$here/measure.c"

exec python3 "$here/bench.py" --root "$root" --build "$build" --work "$work" \
    --pcount "$work/pcount" --measure "$work/measure" $pgo_args "$@"

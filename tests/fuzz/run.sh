#!/bin/sh
# Run the libFuzzer targets for a fixed time each (docs/fuzzing.md).
#
# Usage: tests/fuzz/run.sh [-B BUILD] [-t SECONDS] [-j JOBS] [TARGET...] [-- LIBFUZZER-OPTION...]
#   -B BUILD    the fuzz build folder (default build-fuzz), configured with
#               CC=clang -DMSNP_FUZZ=ON (and usually -DMSNP_SANITIZE=address,undefined)
#               and built with --target fuzzers
#   -t SECONDS  time per target (default 20, the CI budget)
#   -j JOBS     targets fuzzed at once (default 1; one core each)
#   TARGET...   which ones (default: all, as listed in BUILD/tests/fuzz/targets.txt)
#   -- ...      further options for every libFuzzer run (e.g. -fork=2 -ignore_crashes=1)
#
# Each target keeps a growing corpus in BUILD/tests/fuzz/corpus/TARGET (started
# from its seeds and the committed regression inputs) and writes its log to
# BUILD/tests/fuzz/logs/TARGET.log. Every input that made a target fail (crash,
# sanitizer report, violated property, leak, timeout, out of memory) is copied
# to tests/fuzz/regressions/TARGET/, where the fuzz.replay.* tests replay it.
# Prints one line of statistics per target; exit status 1 when any target
# failed, 2 on a usage or setup error.
set -eu

src=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$src/../.." && pwd)
build=build-fuzz
seconds=20
jobs=1
targets=
while [ $# -gt 0 ]; do
    case $1 in
    -B) build=$2; shift 2 ;;
    -t) seconds=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) targets="$targets $1"; shift ;;
    esac
done
case $build in /*) ;; *) build=$root/$build ;; esac
bin=$build/tests/fuzz
if [ ! -f "$bin/targets.txt" ]; then
    echo "run.sh: no fuzz build in $build (configure with CC=clang -DMSNP_FUZZ=ON, build --target fuzzers)" >&2
    exit 2
fi
[ -n "$targets" ] || targets=$(tr ';' ' ' < "$bin/targets.txt")

# Inputs larger than this are not tried (the seeds set the default otherwise).
max_len() {
    case $1 in
    pipeline) echo 131072 ;;
    netdecode) echo 4096 ;;
    mime|payload|tcp_reasm) echo 8192 ;;
    *) echo 16384 ;;
    esac
}
# Text-protocol targets get the MSNP dictionary.
dict() {
    case $1 in
    tcp_reasm|netdecode|pcapblock) ;;
    *) echo "-dict=$src/msnp.dict" ;;
    esac
}

run_one() {
    t=$1
    shift
    exe=$bin/fuzz_$t
    if [ ! -x "$exe" ]; then
        echo "$t: no binary $exe" >&2
        return 2
    fi
    corpus=$bin/corpus/$t
    artifacts=$bin/artifacts/$t
    log=$bin/logs/$t.log
    mkdir -p "$corpus" "$artifacts" "$bin/logs"
    rm -f "$artifacts"/* # what an earlier run found is in regressions/ already
    set -- "$corpus" "$bin/seeds/$t"
    [ -d "$src/regressions/$t" ] && set -- "$@" "$src/regressions/$t"
    status=0
    began=$(date +%s)
    # The first directory receives new inputs; the others only seed it.
    # shellcheck disable=SC2046
    ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        "$exe" -max_total_time="$seconds" -max_len=$(max_len "$t") $(dict "$t") \
        -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" $extra "$@" > "$log" 2>&1 || status=$?
    elapsed=$(( $(date +%s) - began ))
    found=0
    for a in "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* \
             "$artifacts"/oom-* "$artifacts"/slow-unit-*; do
        [ -f "$a" ] || continue
        case $a in *slow-unit-*) continue ;; esac
        mkdir -p "$src/regressions/$t"
        cp "$a" "$src/regressions/$t/"
        found=$((found + 1))
    done
    done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED|pulse|NEW|REDUCE)' "$log" | tail -n 1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    cov=$(printf "%s\n" "$done_line" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(printf "%s\n" "$done_line" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
    corp=$(printf "%s\n" "$done_line" | sed -n 's/.*corp: \([^ ]*\).*/\1/p')
    printf '%-13s %5ss  execs %-10s %7s/s  cov %-5s ft %-6s corpus %-12s rss %sMB  exit %s  failures %s\n' \
        "$t" "$elapsed" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" \
        "${rss:-?}" "$status" "$found"
    if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then
        echo "$t: FAILED, see $log; inputs copied to tests/fuzz/regressions/$t/" >&2
        grep -E 'ERROR|property violated|SUMMARY' "$log" | head -n 5 >&2 || true
        return 1
    fi
    return 0
}

extra="$*"
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
# JOBS queues, each running its share of the targets one after the other.
q=0
while [ "$q" -lt "$jobs" ]; do
    (
        i=0
        for t in $targets; do
            if [ $((i % jobs)) -eq "$q" ] && ! run_one "$t"; then
                echo "$t" > "$results/$t.failed"
            fi
            i=$((i + 1))
        done
    ) &
    q=$((q + 1))
done
wait
failed=0
for f in "$results"/*.failed; do
    [ -f "$f" ] && failed=1
done
exit $failed

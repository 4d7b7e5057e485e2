#!/usr/bin/env python3
"""Hostile captures through msnpdump (issue 6): damaged files, lying headers,
absurd lengths and timestamps, floods of connections, and text that attacks the
terminal. For every case, in both output formats:

  - the exit status is one the README documents for it: 0, or 14 (the capture
    is truncated or a read failed, with a message on stderr) for a damaged
    capture, 3 (with a message) for a file header that cannot be read;
  - every line of -T jsonl output is one JSON object (strict UTF-8, strict JSON);
  - the text output holds no raw control byte (below 0x20 except LF, 0x7f), is
    valid UTF-8, and holds no C1 control (U+0080-U+009F) and no bidirectional
    override (U+202A-U+202E, U+2066-U+2069);
  - msnpdump's peak resident memory stays under the case's stated bound;
  - cases built from scenarios also check that the hostile lines were decoded
    (and escaped), not dropped: a suite that a silent decoder passes is no test;
    they run every view (commands, chats, sessions, invites), and invites with
    --extract, whose files must be plain, inside its folder and safe to list.

Cases named in KNOWN_OPEN (next to this script) fail because of a reported
bug not fixed yet: they are reported and do not fail the run, but one that
passes does (delete its line then).

Peak memory is msnpdump's ru_maxrss, the figure resource.getrusage(
RUSAGE_CHILDREN) reports, taken per run with os.wait4() in a small runner
process started before any capture is built: a child's ru_maxrss also counts
the memory of the process it was spawned from, so the driver, which builds
captures of tens of MiB, must not be that process. At the end the runner's
getrusage(RUSAGE_CHILDREN), the largest msnpdump run, is checked against the
largest bound. The bounds (MiB, for an uninstrumented build) follow
from msnpdump's documented budgets:

  BASE   24  the program, libpcap's read buffer, output buffers, one connection's
             state: any sample-sized capture, however damaged, since nothing in
             it (a length field, a caplen, a timestamp) may make msnpdump
             allocate what it claims;
  FLOOD 140  BASE + every default budget filled (16 out-of-order bytes held,
             32 partial commands, 8 records waiting in the hold queue) + the
             state of the case's 20000 tracked connections (about 3 KiB each:
             flow, reassembly, framer, classifier and correlation state);
  OOO    48  BASE + the 16 MiB out-of-order budget, which a long run must hit
             and then shed as gaps.

Under AddressSanitizer every allocation carries redzones and freed memory is
quarantined, so the bound is 3 x BOUND + 256 MiB there (quarantine capped at
64 MiB through ASAN_OPTIONS unless the caller sets them).

Usage: hostile.py --msnpdump PATH --msnpgen PATH --samples DIR --scenarios DIR
                  --workdir DIR [--only TEXT] [--verbose]
Exit status 0 when every case passes, 1 otherwise.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import captures  # noqa: E402
import output_checks  # noqa: E402

MIB = 1024 * 1024
BASE, FLOOD, OOO = 24, 140, 48
DAMAGED = {0, 14}      # a damaged capture: decoded, or decoded up to the damage
WELL_FORMED = {0}

asan = False


def bound_mib(bound):
    return 3 * bound + 256 if asan else bound


ALL_VIEWS = ("commands", "chats", "sessions", "invites")


class Case:
    """A capture and what msnpdump must make of it. Every view in `views` runs
    in both formats; `text_options` are more text runs of the commands view
    (e.g. other -t formats); `extract` (when not None) also runs the invites
    view with --extract and checks the files it writes, and how many when it
    is not -1."""

    def __init__(self, name, data, exits, bound, expect=None, views=("commands",),
                 text_options=(), extract=None):
        self.name, self.data, self.exits, self.bound = name, data, exits, bound
        self.expect = expect  # f(records, text) -> problems, for decoded content
        self.views, self.text_options, self.extract = views, text_options, extract


# Runs msnpdump for the driver and reports its exit status and peak memory:
# one JSON request per line on stdin, one answer per line on stdout; at the
# end, its getrusage(RUSAGE_CHILDREN).ru_maxrss.
RUNNER = r"""
import json, os, resource, sys
for line in sys.stdin:
    q = json.loads(line)
    if q.get("done"):
        break
    acts = [(os.POSIX_SPAWN_OPEN, 1, q["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
            (os.POSIX_SPAWN_OPEN, 2, q["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    pid = os.posix_spawn(q["argv"][0], q["argv"], q["env"], file_actions=acts)
    _, status, usage = os.wait4(pid, 0)
    print(json.dumps({"status": os.waitstatus_to_exitcode(status),
                      "maxrss": usage.ru_maxrss * 1024}), flush=True)
print(json.dumps({"children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}),
      flush=True)
"""


class Runner:
    def __init__(self):
        self.p = subprocess.Popen([sys.executable, "-c", RUNNER], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)

    def run(self, argv, out, err, env):
        """(exit status, peak RSS in bytes) of argv, its output in files."""
        self.p.stdin.write(json.dumps({"argv": argv, "out": out, "err": err, "env": env}) + "\n")
        self.p.stdin.flush()
        answer = json.loads(self.p.stdout.readline())
        return answer["status"], answer["maxrss"]

    def close(self):
        """getrusage(RUSAGE_CHILDREN).ru_maxrss of the runner: the largest of
        everything it ran, in bytes."""
        self.p.stdin.write(json.dumps({"done": True}) + "\n")
        self.p.stdin.flush()
        children = json.loads(self.p.stdout.readline())["children"]
        self.p.stdin.close()
        self.p.wait()
        return children


def case_runs(case):
    """(label, msnpdump arguments before -r, format) of every run of a case."""
    runs = []
    for view in case.views:
        pre = [] if view == "commands" else [view]
        for fmt in ("jsonl", "text"):
            runs.append((f"{view} {fmt}", pre + ["-T", fmt], fmt))
    for opts in case.text_options:
        runs.append((f"commands text {' '.join(opts)}", ["-T", "text"] + list(opts), "text"))
    return runs


def extracted_problems(folder, count):
    """--extract wrote only plain files (`count` of them unless -1), directly
    in its folder, under names that are safe to list."""
    problems = []
    written = sum(len(files) for _, _, files in os.walk(folder))
    if count != -1 and written != count:
        problems.append(f"--extract wrote {written} files, expected {count}")
    for dirpath, dirnames, filenames in os.walk(folder):
        if dirnames:
            problems.append(f"--extract created folders: {dirnames!r}")
        for name in filenames:
            raw = os.fsencode(name)
            bad = output_checks.text_problems(raw + b"\n")
            if bad or raw.startswith(b".") or b"\n" in raw:
                problems.append(f"--extract wrote an unsafe name {raw!r}: {bad}")
    return problems


def check_case(args, runner, case, n, env):
    slug = f"{n:04d}"
    path = os.path.join(args.workdir, slug + ".cap")
    with open(path, "wb") as fp:
        fp.write(case.data)
    problems, peaks, jsonl, text = [], [], None, None
    runs = case_runs(case)
    folder = os.path.join(args.workdir, slug + ".files")
    if case.extract is not None:
        os.makedirs(folder, exist_ok=True)
        runs.append(("invites --extract", ["invites", "--extract", folder, "-T", "jsonl"],
                     "jsonl"))
    for k, (label, pre, fmt) in enumerate(runs):
        out = os.path.join(args.workdir, f"{slug}.{k}.out")
        status, peak = runner.run([args.msnpdump, "-q"] + pre + ["-r", path], out,
                                  out + ".err", env)
        peaks.append(peak)
        with open(out, "rb") as fp:
            output = fp.read()
        with open(out + ".err", "rb") as fp:
            stderr = fp.read()
        if status < 0 or status not in case.exits:
            problems.append(f"{label}: exit status {status}, expected one of "
                            f"{sorted(case.exits)}: {stderr[-400:]!r}")
        elif status in (3, 14) and not stderr.strip():
            problems.append(f"{label}: exit status {status} without a message on stderr")
        elif status == 3 and output:
            problems.append(f"{label}: exit status 3 (input unreadable), yet records written")
        if b"Sanitizer" in stderr or b"runtime error" in stderr:
            problems.append(f"{label}: sanitizer report: {stderr[-600:]!r}")
        found = (output_checks.jsonl_problems if fmt == "jsonl" else
                 output_checks.text_problems)(output)
        problems += [f"{label}: {p}" for p in found]
        if k == 0:
            jsonl = output
        elif k == 1:
            text = output
    if case.extract is not None:
        problems += extracted_problems(folder, case.extract)
    limit = bound_mib(case.bound)
    peak = max(peaks)
    if peak > limit * MIB:
        problems.append(f"peak memory {peak / MIB:.1f} MiB over the bound of {limit} MiB")
    if case.expect and not problems:
        problems += case.expect(output_checks.records(jsonl), text.decode("utf-8"))
    if not problems:
        for k in range(len(runs)):
            for suffix in (".out", ".out.err"):
                os.remove(os.path.join(args.workdir, f"{slug}.{k}{suffix}"))
        os.remove(path)
        if case.extract is not None:
            shutil.rmtree(folder)
    return problems, peak


# ---- cases ---------------------------------------------------------------------------------
# Cases are generated one at a time (the driver stays small).

# Text time formats whose arithmetic absurd timestamps stress (-t e, r, d, ad).
TIME_FORMATS = (("-t", "e"), ("-t", "r"), ("-t", "d"), ("-t", "ad"))


def read_samples(samples):
    """(name, bytes) of the committed captures: classic pcap first, then pcapng."""
    files = []
    for name in sorted(os.listdir(samples)):
        if name.endswith((".pcap", ".pcapng")):
            with open(os.path.join(samples, name), "rb") as fp:
                files.append((name, fp.read()))
    return sorted(files, key=lambda f: captures.is_pcapng(f[1]))


def sample_cases(samples):
    files = read_samples(samples)
    first_pcap = next(n for n, d in files if not captures.is_pcapng(d))
    first_pcapng = next(n for n, d in files if captures.is_pcapng(d))
    for name, data in files:
        rng = captures.seeded(name)
        head = captures.file_header_len(data)  # a cut inside it: exit 3
        ng = captures.is_pcapng(data)
        # Every offset through the file header and the first packet's header for one
        # file of each format; elsewhere a dozen offsets spread over the file.
        every = name in (first_pcap, first_pcapng)
        for off in captures.truncation_offsets(len(data), 12, rng, every):
            exits = {3} if off < head else DAMAGED
            yield Case(f"{name} cut at {off}", data[:off], exits, BASE)
        for k in range(4):
            flips = 1 + rng.randrange(64)
            yield Case(f"{name} with {flips} random bytes changed (variant {k})",
                       captures.flip_bytes(data, rng, flips, head), DAMAGED, BASE,
                       views=ALL_VIEWS)
        if ng:
            yield Case(f"{name}: every timestamp 2^64-1 units",
                       captures.pcapng_absurd_timestamps(data), DAMAGED, BASE,
                       views=ALL_VIEWS, text_options=TIME_FORMATS)
            continue
        yield Case(f"{name}: caplen > len in every record", captures.caplen_over_len(data),
                   DAMAGED, BASE)
        yield Case(f"{name}: a record claiming 0xFFFFFF00 captured bytes",
                   captures.huge_caplen(data, 5), DAMAGED, BASE)
        yield Case(f"{name}: zero-length packets between all packets",
                   captures.zero_length_packets(data), DAMAGED, BASE)
        for how in ("max", "frac", "backwards", "zero", "jumpy"):
            yield Case(f"{name}: absurd timestamps ({how})",
                       captures.absurd_timestamps(data, how), DAMAGED, BASE,
                       text_options=TIME_FORMATS)
    pcap = next(d for n, d in files if n == first_pcap)
    pcapng = next(d for n, d in files if n == first_pcapng)
    for what, data, exits in captures.bad_headers(pcap, pcapng):
        yield Case(f"bad header: {what}", data, exits, BASE)


def commands(recs):
    return [r["line"] for r in recs if r["type"] == "command"]


def expect_lines(*wanted):
    """The decoded command lines include these (prefixes), in this order."""
    def check(recs, text):
        got = commands(recs)
        problems, at = [], 0
        for w in wanted:
            k = next((i for i in range(at, len(got)) if got[i].startswith(w)), None)
            if k is None:
                problems.append(f"command {w!r} not decoded (or out of order)")
            else:
                at = k + 1
        return problems
    return check


def expect_all(*checks):
    def check(recs, text):
        return [p for c in checks for p in c(recs, text)]
    return check


def expect_text(*fragments):
    """The text output shows these (escaped) fragments."""
    def check(recs, text):
        return [f"text output lacks {f!r}" for f in fragments if f not in text]
    return check


def expect_anomalies(kind, at_least):
    def check(recs, text):
        n = sum(1 for r in recs if r["type"] == "anomaly" and r["kind"] == kind)
        return [] if n >= at_least else [f"{n} {kind} anomalies, expected at least {at_least}"]
    return check


def expect_connections(count):
    def check(recs, text):
        n = sum(1 for r in recs if r["type"] == "connection")
        return [] if n == count else [f"{n} connection records, expected {count}"]
    return check


SCENARIO_EXPECT = {
    "control-bytes": expect_all(
        expect_lines("ILN 5 NLN eve@hotmail.com Eve%1B%5D0%3Bpwned%07", "ILN 5 AWY trudy",
                     "NLN BSY oscar", "REA 6 75 mallory", "ADG 7 81 Friends",
                     "NLN NLN carol@msn.com Carol%0D%0Aforged", "JOI eve@hotmail.com",
                     "MSG eve@hotmail.com Eve%1B%5B2J", "BYE eve@hotmail.com"),
        expect_text("Eve\\x1b]0;pwned\\x07\\x1b[2J", "Trudy\\u{009b}31m\\x00\\u{202e}evil",
                    "Oscar\\u{2066}gpj.exe\\u{2069}\\\\", "Carol\\x0d\\x0aforged")),
    "raw-control-lines": expect_all(
        expect_lines("NLN NLN utf@hotmail.com", "NLN NLN bad@hotmail.com", "MSG Hotmail",
                     "CHG 8 NLN 0"),
        expect_anomalies("malformed", 2),
        expect_text("Raw\\x1b[31m\\x07\\x00", "\\u{009b}\\u{202e}\\xff\\xfe",
                    "\\x1b[2J\\x1b]0;title\\x07garbage \\u{0085}")),
    "giant-lengths": expect_all(
        expect_lines("MSG Hotmail Hotmail 4294967295", "NOT 4294967295",
                     "NOT 18446744073709551616", "QRY 9", "PNG", "QNG", "ILN 10 NLN bob"),
        expect_lines("MSG 2 N 4294967295", "ACK 2", "MSG 3 N 9999", "NAK 3", "OUT"),
        expect_lines("FIL 18446744073709551615", "TFR", "BYE 16777989"),
        expect_anomalies("oversize", 6)),
    "hostile-file-names": expect_all(
        expect_lines("MSG 3 N", "MSG 4 N", "MSG 5 N", "MSG 6 N", "BYE bob@hotmail.com"),
        expect_lines("FIL 300", "TFR", "BYE 16777989"), expect_lines("FIL 100", "TFR")),
    "million-byte-line": expect_all(
        expect_lines("CHG 5 NLN 0", "ILN 6 NLN bob@hotmail.com Bob 0", "CHG 6 NLN 0"),
        expect_anomalies("oversize", 1)),
}


# Files --extract must write for a scenario (any number when absent).
SCENARIO_FILES = {"hostile-file-names": 2}

# Variants of each scenario besides the capture as written: one byte per
# segment, so that every escape straddles packets (not for the million-byte
# line, whose million packets would only cost time).
SCENARIO_VARIANTS = {"million-byte-line": []}


def scenario_cases(args):
    for name in sorted(os.listdir(args.scenarios)):
        if not name.endswith(".msnp"):
            continue
        stem = name[:-5]
        if stem not in SCENARIO_EXPECT:
            raise RuntimeError(f"scenario {name} has no expectations in SCENARIO_EXPECT")
        variants = [("", [])] + SCENARIO_VARIANTS.get(
            stem, [(", one byte per segment", ["--split", "1", "--link", "sll"])])
        for what, options in variants:
            path = os.path.join(args.workdir, f"scenario-{stem}.pcap")
            r = subprocess.run([args.msnpgen, os.path.join(args.scenarios, name), "-o", path]
                               + options, capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"msnpgen {name} {options}: {r.stderr}")
            with open(path, "rb") as fp:
                data = fp.read()
            os.remove(path)
            yield Case(f"scenario {name}{what}", data, WELL_FORMED, BASE, SCENARIO_EXPECT[stem],
                       views=ALL_VIEWS, extract=SCENARIO_FILES.get(stem, -1))


def synthetic_cases():
    yield Case("20000 half-open connections, each holding a partial command",
               captures.half_open_flows(20000), WELL_FORMED, FLOOD,
               expect_all(expect_connections(20000), expect_anomalies("truncated", 20000)))
    yield Case("20000 segments of 1000 bytes in reverse order (one connection)",
               captures.reversed_run(20000), WELL_FORMED, OOO,
               expect_all(expect_lines("MSG 1 N 4000", "OUT"), expect_anomalies("gap", 1)))
    yield Case("200 connections x 100 segments of 1000 bytes, each in reverse order",
               captures.reversed_run(100, flows=200), WELL_FORMED, OOO,
               expect_all(expect_connections(200), expect_lines("MSG 1 N 4000", "OUT")))


def read_known_open(path):
    """{case-name fragment: reason} of the cases expected to fail until a
    reported bug is fixed (KNOWN_OPEN next to this script)."""
    known = {}
    with open(path, encoding="utf-8") as fp:
        for line in fp:
            if line.strip() and not line.startswith("#"):
                fragment, _, why = line.rstrip("\n").partition(" | ")
                known[fragment.strip()] = why.strip()
    return known


def main():
    global asan
    runner = Runner()  # first, while this process is small
    ap = argparse.ArgumentParser()
    ap.add_argument("--msnpdump", required=True)
    ap.add_argument("--msnpgen", required=True)
    ap.add_argument("--samples", required=True)
    ap.add_argument("--scenarios", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--only", help="run only the cases whose name contains this")
    ap.add_argument("--verbose", action="store_true", help="print every case's peak memory")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    with open(args.msnpdump, "rb") as fp:
        asan = b"__asan_init" in fp.read()
    env = dict(os.environ)
    if asan:
        env.setdefault("ASAN_OPTIONS", "quarantine_size_mb=64:detect_leaks=1")

    known = read_known_open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                         "KNOWN_OPEN"))
    failures = count = largest = still_open = 0
    for group in (sample_cases(args.samples), scenario_cases(args), synthetic_cases()):
        for case in group:
            if args.only and args.only not in case.name:
                continue
            began = time.monotonic()
            problems, peak = check_case(args, runner, case, count, env)
            largest = max(largest, case.bound)
            if args.verbose:
                print(f"{peak / MIB:7.1f} MiB (bound {bound_mib(case.bound)}) "
                      f"{time.monotonic() - began:6.2f} s  {case.name}")
            open_why = next((w for f, w in known.items() if f in case.name), None)
            if open_why is not None and problems:
                still_open += 1
                print(f"KNOWN OPEN {case.name}: {problems[0][:300]} ({open_why})")
            elif open_why is not None:
                failures += 1
                print(f"FAIL {case.name}: passes now; remove its line from KNOWN_OPEN")
            elif problems:
                failures += 1
                print(f"FAIL {case.name} (files {count:04d}.* in {args.workdir}):")
                for p in problems[:8]:
                    print(f"  {p}")
            count += 1
    children = runner.close()
    if count and children > bound_mib(largest) * MIB:
        failures += 1
        print(f"FAIL largest msnpdump run: {children / MIB:.1f} MiB over {bound_mib(largest)} MiB")
    print(f"hostile captures: {count} cases, {failures} failed, {still_open} known open; "
          f"largest msnpdump run "
          f"{children / MIB:.1f} MiB{' (AddressSanitizer build)' if asan else ''}")
    return 1 if failures or not count else 0


if __name__ == "__main__":
    sys.exit(main())

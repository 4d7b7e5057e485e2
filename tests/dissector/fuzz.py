#!/usr/bin/env python3
"""A bounded fuzz loop: the samples, mutated with editcap -E (fixed seeds, so
every run is the same), cut with a small snapshot length, and read with
reassembly off and tiny limits, through tshark -2 -V with the plugin and
WIRESHARK_ABORT_ON_DISSECTOR_BUG=1. Any dissector bug, crash or non-zero exit
fails; the input that caused it is kept for reproduction.

With --random SEED, after the fixed cases it goes on drawing new ones
(mutation rate, seed, payload-only or whole frames, snapshot length, limits,
reassembly on or off) from SEED until the budget is spent: the long loop of
docs/fuzzing.md. Every failure prints the editcap and tshark options that
reproduce it.

Usage: fuzz.py --plugin MSNP_SO [--budget SECONDS] [--keep DIR] [--random SEED] CAPTURE...
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402

# (editcap options, tshark options): mutations and ways of reading them.
CASES = [
    (["-E", "0.02", "--seed", "1"], []),
    (["-E", "0.05", "--seed", "2", "-o", "54"], []),  # payload bytes only (Ethernet/IPv4/TCP)
    (["-E", "0.01", "--seed", "3", "-o", "54"], ["-o", "msnp.max_line:24",
                                                  "-o", "msnp.max_payload:40"]),
    (["-s", "90"], []),                                 # snapshot length cuts PDUs
    (["-E", "0.02", "--seed", "4", "-o", "54"], ["-o", "tcp.desegment_tcp_streams:FALSE"]),
]
BUG_MARKERS = ("Dissector bug", "DISSECTOR_ASSERT", "Segmentation fault")


def random_case(rng):
    """One more way to damage and read the samples."""
    edit = ["-E", f"{rng.choice([0.002, 0.005, 0.01, 0.02, 0.05, 0.1]):g}",
            "--seed", str(rng.randrange(1 << 31))]
    if rng.random() < 0.7:
        edit += ["-o", "54"]  # payload bytes only (Ethernet/IPv4/TCP)
    if rng.random() < 0.3:
        edit += ["-s", str(rng.randrange(60, 400))]
    read = []
    if rng.random() < 0.4:
        read += ["-o", f"msnp.max_line:{rng.randrange(8, 200)}",
                 "-o", f"msnp.max_payload:{rng.randrange(0, 2000)}"]
    if rng.random() < 0.3:
        read += ["-o", "tcp.desegment_tcp_streams:FALSE"]
    if rng.random() < 0.5:
        read += ["-o", "tcp.reassemble_out_of_order:TRUE"]
    return edit, read


def cases(seed):
    yield from CASES
    if seed is None:
        return
    rng = random.Random(seed)
    while True:
        yield random_case(rng)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--budget", type=float, default=40.0,
                    help="stop starting new runs after this many seconds")
    ap.add_argument("--keep", help="where to keep an input that failed")
    ap.add_argument("--random", type=int, metavar="SEED",
                    help="after the fixed cases, draw new ones from SEED until the budget is spent")
    ap.add_argument("captures", nargs="+")
    args = ap.parse_args()
    editcap = shutil.which("editcap")
    if not editcap:
        wstest.skip("editcap is not installed (it comes with tshark)")
    tshark = wstest.Tshark(args.plugin)
    work = tshark.workdir("fuzz")
    start = time.monotonic()
    runs = failures = 0
    for case, (edit, read) in enumerate(cases(args.random)):
        if time.monotonic() - start > args.budget:
            break
        for capture in args.captures:
            if time.monotonic() - start > args.budget:
                break
            stem = os.path.basename(capture)
            mutated = os.path.join(work, f"case{case}-{stem}")
            subprocess.run([editcap] + edit + [capture, mutated], check=True,
                           capture_output=True)
            os.chmod(mutated, 0o644)
            proc = tshark.run(["-2", "-V", "-r", mutated, "-z", "msnp,tree"] + read,
                              env={"WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1"}, check=False)
            runs += 1
            out = proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
            bug = next((m for m in BUG_MARKERS if m in out), None)
            if proc.returncode != 0 or bug:
                failures += 1
                kept = mutated
                if args.keep:
                    os.makedirs(args.keep, exist_ok=True)
                    kept = shutil.copy(mutated, args.keep)
                print(f"FAIL: editcap {' '.join(edit)} {stem}; tshark -2 -V {' '.join(read)}: "
                      f"exit {proc.returncode}{', ' + bug if bug else ''}; input kept as {kept}")
                print("\n".join(out.splitlines()[-15:]))
    print(f"{runs} fuzzed reads in {time.monotonic() - start:.1f} s, {failures} failure(s)")
    return 1 if failures or runs == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

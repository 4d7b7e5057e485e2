#!/usr/bin/env python3
"""scripts/build-pgo.sh, run as a user would: it must build an msnpdump from the
profiles of its training run, and that msnpdump must say exactly what the
ordinary build says, in every view, on every sample.

Checks: the script exits 0 and names the program it built; the training run left
profiles for the decoder, the framer and the parser; the folder is configured for
the optimised stage; stdout and exit status of both programs agree on each sample
and view. Exits 77 (skipped) without gcc.

Usage: pgo_check.py SOURCE_DIR MSNPDUMP CAPTURES_DIR WORKDIR
"""
import glob
import os
import shutil
import subprocess
import sys

VIEWS = [[], ["-T", "jsonl"], ["chats"], ["chats", "-T", "jsonl"], ["stats"], ["sessions"],
         ["users", "-T", "jsonl"], ["invites"], ["explain"], ["ladder"],
         ["-T", "fields", "-e", "msnp.cmd", "-e", "msnp.sid", "-e", "msnp.arg"]]


def main():
    src, ordinary, captures, work = sys.argv[1:5]
    if not shutil.which("gcc"):
        print("pgo_check: skipped: no gcc")
        return 77
    build = os.path.join(work, "build-pgo")
    os.makedirs(work, exist_ok=True)
    r = subprocess.run(["sh", os.path.join(src, "scripts", "build-pgo.sh"), build],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    problems = []
    if r.returncode != 0:
        print(r.stdout)
        print(f"pgo_check: build-pgo.sh exited {r.returncode}")
        return 1
    built = os.path.join(build, "cli", "msnpdump")
    if built not in r.stdout or not os.access(built, os.X_OK):
        problems.append(f"the script did not name or build {built}: {r.stdout[-300:]}")
    profiles = glob.glob(os.path.join(build, "pgo-profile", "*.gcda"))
    for source in ("decoder.c", "framer.c", "parse.c"):
        if not any(p.endswith("#" + source + ".gcda") for p in profiles):
            problems.append(f"no profile of {source} among {len(profiles)}")
    with open(os.path.join(build, "CMakeCache.txt")) as f:
        if "MSNP_PGO:STRING=use" not in f.read():
            problems.append("the build folder is not configured with MSNP_PGO=use")
    samples = sorted(p for p in glob.glob(os.path.join(captures, "*.pcap*"))
                     if p.endswith((".pcap", ".pcapng")))
    compared = 0
    for cap in samples:
        for view in VIEWS:
            runs = [subprocess.run([prog, "-q"] + view + ["-r", cap], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL) for prog in (ordinary, built)]
            compared += 1
            if (runs[0].returncode, runs[0].stdout) != (runs[1].returncode, runs[1].stdout):
                problems.append(f"{os.path.basename(cap)} {' '.join(view) or 'commands'}: "
                                f"exit {runs[0].returncode} / {runs[1].returncode}, "
                                f"{len(runs[0].stdout)} / {len(runs[1].stdout)} bytes")
    if compared == 0:
        problems.append(f"no sample in {captures}")
    for p in problems:
        print("pgo_check:", p)
    print(f"pgo_check: {compared} runs compared on {len(samples)} samples, "
          f"{len(profiles)} profiles, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Golden test: msnpdump's output on a capture equals a committed file.

Usage: golden.py MSNPDUMP CAPTURE GOLDEN [msnpdump options...]
       golden.py --update MSNPDUMP CAPTURE GOLDEN [options...]   rewrite GOLDEN

The golden file holds standard output, then a line '--- stderr', then standard error
(the summary), then '--- exit N'. On a difference the first differing lines are shown.
"""
import difflib
import subprocess
import sys


def render(msnpdump, capture, options):
    run = subprocess.run([msnpdump] + options + ["-r", capture], capture_output=True)
    return (run.stdout.decode("utf-8", errors="replace") + "--- stderr\n" +
            run.stderr.decode("utf-8", errors="replace") + f"--- exit {run.returncode}\n")


def main():
    args = sys.argv[1:]
    update = args[:1] == ["--update"]
    if update:
        args = args[1:]
    msnpdump, capture, golden = args[:3]
    got = render(msnpdump, capture, args[3:])
    if update:
        with open(golden, "w", encoding="utf-8") as fp:
            fp.write(got)
        print(f"wrote {golden}")
        return 0
    with open(golden, encoding="utf-8") as fp:
        want = fp.read()
    if got == want:
        print(f"{golden}: identical ({len(want.splitlines())} lines)")
        return 0
    diff = difflib.unified_diff(want.splitlines(), got.splitlines(), "golden", "msnpdump",
                                lineterm="", n=1)
    for n, line in enumerate(diff):
        if n > 60:
            print("...")
            break
        print(line)
    print(f"{golden}: differs; if the change is intended, regenerate with: "
          f"tests/tools/golden.py --update {msnpdump} {capture} {golden} {' '.join(args[3:])}")
    return 1


if __name__ == "__main__":
    sys.exit(main())

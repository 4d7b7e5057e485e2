#!/usr/bin/env python3
"""The two faces' -T fields columns for text values, byte for byte.

msnpdump's man page promises -T fields columns "as tshark -T fields prints
them". For text (a message with CR LF, a nickname with a TAB) that means the
same escapes: \\t, \\r and \\n. Where the two must differ by design — tshark
writes other control characters raw and a backslash single, msnpdump escapes
them for the terminal (\\xNN, \\u{NNNN}, \\\\) — the value is left out of the
comparison; every other value of the capture must be the same text.

Usage: compare_fields_text.py --plugin MSNP_SO --msnpdump MSNPDUMP CAPTURE
"""
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402

FIELDS = ["msnp.msg.text", "msnp.nick", "msnp.user", "msnp.mime.content_type",
          "msnp.format.font", "msnp.invite.file"]
# msnpdump's escapes that tshark does not make.
TERMINAL_ONLY = re.compile(r"\\(?:\\|x[0-9a-f]{2}|u\{)")


def msnpdump_columns(msnpdump, capture):
    """{frame: [column per field]}, a frame's commands' values joined by
    commas as tshark aggregates them."""
    args = [msnpdump, "-q", "-r", capture, "-T", "fields", "-e", "frame.number"]
    for f in FIELDS:
        args += ["-e", f]
    run = subprocess.run(args, capture_output=True)
    if run.returncode not in (0, 14):
        raise RuntimeError(f"msnpdump exited {run.returncode}: {run.stderr!r}")
    frames = {}
    for line in run.stdout.decode("utf-8").splitlines():
        cols = line.split("\t")
        values = frames.setdefault(int(cols[0]), [[] for _ in FIELDS])
        for i, v in enumerate(cols[1:]):
            if v:
                values[i].append(v)
    return {n: [",".join(v) for v in vs] for n, vs in frames.items()}


def tshark_columns(tshark, capture):
    args = ["-2", "-r", tshark.capture(capture), "-Y", "msnp", "-T", "fields",
            "-E", "occurrence=a", "-E", "aggregator=,", "-e", "frame.number"]
    for f in FIELDS:
        args += ["-e", f]
    frames = {}
    for line in tshark.text(args).splitlines():
        cols = line.split("\t")
        frames[int(cols[0])] = cols[1:]
    return frames


def main():
    args, tshark = wstest.faces_command_line()
    mine = msnpdump_columns(args.msnpdump, args.capture)
    theirs = tshark_columns(tshark, args.capture)
    compared = with_escapes = left_out = bad = 0
    for frame in sorted(mine):
        for i, field in enumerate(FIELDS):
            m = mine[frame][i]
            if not m:
                continue
            if TERMINAL_ONLY.search(m):
                left_out += 1
                continue
            t = theirs.get(frame, [""] * len(FIELDS))[i]
            compared += 1
            with_escapes += bool(re.search(r"\\[trn]", m))
            if m != t:
                bad += 1
                if bad <= 10:
                    print(f"frame {frame} {field}:\n    msnpdump: {m!r:.200}\n"
                          f"    plugin:   {t!r:.200}")
    print(f"{os.path.basename(args.capture)}: {compared} text values compared "
          f"({with_escapes} with \\t, \\r or \\n), {left_out} left out (escapes only "
          f"msnpdump makes), {bad} differ")
    if compared == 0 or with_escapes == 0:
        print("no value with an escape both faces make: the comparison proves nothing")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

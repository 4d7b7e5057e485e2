#!/usr/bin/env python3
"""The two faces' -T fields output, byte for byte, under tshark's -E options.

msnpdump's man page promises -T fields output "as tshark -T fields prints
it", with tshark's -E options (header, bom, separator, aggregator, occurrence,
quote). This runs both faces on CAPTURE with the same -e fields under several
-E combinations and compares their lines:

- text values with the escapes both make (\\t, \\r, \\n: a message with CR LF)
  must be the same;
- a line with an escape only msnpdump makes is left out: tshark writes other
  control characters raw, a backslash single and the quote character bare
  inside a quoted column; msnpdump escapes them (\\xNN, \\u{NNNN}, \\\\, \\");
- a frame with several commands is left out: tshark joins their values in one
  line (and -E occurrence picks among them), msnpdump writes a line per
  command.

At least one compared line must hold \\t, \\r or \\n, and every combination
must compare lines, or the comparison proves nothing.

Usage: compare_fields_output.py --plugin MSNP_SO --msnpdump MSNPDUMP CAPTURE
"""
import collections
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402

FIELDS = ["frame.number", "msnp.cmd", "msnp.trid", "msnp.arg", "msnp.msg.text", "msnp.nick", "msnp.user",
          "msnp.mime.content_type", "msnp.mime.header", "msnp.format.font", "msnp.invite.file"]
COMBINATIONS = [
    [],
    ["-E", "header=y", "-E", "separator=,", "-E", "quote=d"],
    ["-E", "bom=y", "-E", "header=y", "-E", "quote=s", "-E", "separator=/s"],
    ["-E", "occurrence=f", "-E", "aggregator=/s"],
    ["-E", "occurrence=l", "-E", "quote=d", "-E", "separator=;"],
]
ONLY_MSNPDUMP = re.compile(r"\\(?:\\|x[0-9a-f]{2}|u\{|\"|')")
BOM = "\ufeff"


def option(combo, name, default):
    for i in range(1, len(combo), 2):
        key, _, value = combo[i].partition("=")
        if key == name:
            return value
    return default


def split_output(text, combo):
    """(header line or None, [(frame, line)]) of one face's output."""
    sep = option(combo, "separator", "/t")
    sep = {"/t": "\t", "/s": " "}.get(sep, sep)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header = None
    if option(combo, "header", "n") == "y" and lines:
        header = lines.pop(0)
    rows = []
    for line in lines:
        first = line.split(sep, 1)[0].strip("\"'")
        rows.append((int(first), line))
    return header, rows


def run_msnpdump(msnpdump, capture, combo):
    args = [msnpdump, "-q", "-r", capture, "-T", "fields"] + combo
    for f in FIELDS:
        args += ["-e", f]
    run = subprocess.run(args, capture_output=True)
    if run.returncode not in (0, 14):
        raise RuntimeError(f"msnpdump exited {run.returncode}: {run.stderr!r}")
    return run.stdout.decode("utf-8")


def run_tshark(tshark, capture, combo):
    args = ["-2", "-r", tshark.capture(capture), "-Y", "msnp", "-T", "fields"] + combo
    for f in FIELDS:
        args += ["-e", f]
    return tshark.text(args)


def main():
    args, tshark = wstest.faces_command_line()
    bad = 0
    with_escapes = 0
    for combo in COMBINATIONS:
        label = " ".join(combo) or "(defaults)"
        mine_text = run_msnpdump(args.msnpdump, args.capture, combo)
        theirs_text = run_tshark(tshark, args.capture, combo)
        if option(combo, "bom", "n") == "y":
            for face, text in (("msnpdump", mine_text), ("tshark", theirs_text)):
                if not text.startswith(BOM):
                    print(f"{label}: {face}'s output does not start with the byte order mark")
                    bad += 1
            mine_text, theirs_text = mine_text.lstrip(BOM), theirs_text.lstrip(BOM)
        mine_header, mine = split_output(mine_text, combo)
        theirs_header, theirs = split_output(theirs_text, combo)
        if mine_header != theirs_header:
            print(f"{label}: headers differ:\n    msnpdump: {mine_header!r}\n"
                  f"    plugin:   {theirs_header!r}")
            bad += 1
        per_frame = collections.Counter(frame for frame, _ in mine)
        theirs_by_frame = dict(theirs)
        compared = left_out = 0
        for frame, line in mine:
            if per_frame[frame] > 1 or ONLY_MSNPDUMP.search(line):
                left_out += 1
                continue
            compared += 1
            with_escapes += bool(re.search(r"\\[trn]", line))
            other = theirs_by_frame.get(frame)
            if line != other:
                bad += 1
                if bad <= 10:
                    print(f"{label}: frame {frame} differs:\n    msnpdump: {line!r:.200}\n"
                          f"    plugin:   {other!r:.200}")
        print(f"{os.path.basename(args.capture)} {label}: {compared} lines compared, "
              f"{left_out} left out")
        if compared == 0:
            print(f"{label}: no line compared: the comparison proves nothing")
            return 1
    if with_escapes == 0:
        print("no compared line holds \\t, \\r or \\n: the escapes are not compared")
        return 1
    print(f"{bad} differences")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

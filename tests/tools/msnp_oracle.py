#!/usr/bin/env python3
"""An independent oracle for MSNP command lines in a capture.

tshark reassembles each TCP connection ("follow,tcp,raw"); this script frames
each direction with a deliberately simple reading of the protocol reference
(§2.4 payload commands, §2.5 later-version payload commands, §7 MSNFTP blocks)
written separately from libmsnp, and compares the command lines msnpdump
reports (-T jsonl) with its own: per connection and direction, every line
exactly once, in order, byte for byte.

Usage: msnp_oracle.py --tshark TSHARK --msnpdump MSNPDUMP CAPTURE
Exit status 0 when both agree; 1 with a report of the first differences.
Only for captures without loss (tshark's follow output has no gap markers).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_truth import json_text  # noqa: E402  (msnpdump's escaping of a line)

# Commands whose last token is always the payload length.
ALWAYS = {b"MSG", b"NOT", b"IPG", b"UBX", b"UBN", b"UBM"}
# Commands whose last token is the payload length when it is a number and the
# line has at least this many tokens.
WHEN_NUMERIC = {b"QRY": 4, b"PAG": 4, b"SDC": 10, b"GCF": 4, b"UUX": 3, b"ADL": 3,
                b"RML": 3, b"FQY": 3, b"UUN": 5, b"UUM": 6, b"PGD": 5}


def frame(stream):
    """Yield ('line', bytes) and ('block', n) items of one direction."""
    pos, n = 0, len(stream)
    ftp_left = 0
    saw_fil = False
    while pos < n:
        if (ftp_left > 0 or saw_fil) and stream[pos] in (0, 1):
            if pos + 3 > n:
                return
            if stream[pos] == 1:
                yield ("block", 0)
                pos += 3
                ftp_left = 0
                continue
            size = stream[pos + 1] | (stream[pos + 2] << 8)
            yield ("block", size)
            pos += 3 + size
            ftp_left = max(0, ftp_left - size)
            continue
        lf = stream.find(b"\n", pos)
        if lf < 0:
            return  # an incomplete line at the end
        line = stream[pos:lf]
        if line.endswith(b"\r"):
            line = line[:-1]
        pos = lf + 1
        toks = line.split()
        if not toks:
            continue  # an empty line is no command (msnpdump reports it as malformed)
        yield ("line", line)
        cmd = toks[0]
        length = None
        if cmd in ALWAYS and toks[-1].isdigit():
            length = int(toks[-1])
        elif cmd in WHEN_NUMERIC and len(toks) >= WHEN_NUMERIC[cmd] and toks[-1].isdigit():
            length = int(toks[-1])
        if length is not None:
            pos += length
        if cmd == b"FIL" and len(toks) == 2 and toks[1].isdigit():
            saw_fil = True
            ftp_left = int(toks[1])


def follow_streams(tshark, capture):
    """{stream index: (node0 endpoint, node1 endpoint, bytes 0->1, bytes 1->0)}"""
    out = subprocess.run([tshark, "-r", capture, "-T", "fields", "-e", "tcp.stream"],
                         check=True, capture_output=True, text=True).stdout
    indices = sorted({int(x) for x in out.split() if x.strip().isdigit()})
    streams = {}
    for i in indices:
        text = subprocess.run([tshark, "-r", capture, "-q", "-z", f"follow,tcp,raw,{i}"],
                              check=True, capture_output=True, text=True).stdout
        node = {}
        data = [bytearray(), bytearray()]
        for row in text.splitlines():
            m = re.match(r"^Node (\d): (.*)$", row)
            if m:
                node[int(m.group(1))] = m.group(2).strip()
                continue
            if not row or row.startswith("=") or row.startswith("Follow:") or \
                    row.startswith("Filter:"):
                continue
            side = 1 if row.startswith("\t") else 0
            hexes = row.strip()
            if re.fullmatch(r"[0-9a-fA-F]+", hexes):
                data[side] += bytes.fromhex(hexes)
        streams[i] = (node.get(0), node.get(1), bytes(data[0]), bytes(data[1]))
    return streams


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--msnpdump", required=True)
    ap.add_argument("capture")
    args = ap.parse_args()
    if not os.path.exists(args.capture):
        print(f"skipped: {args.capture} is not here (it lives outside the repository)")
        return 77
    if not shutil.which(args.tshark):
        print(f"skipped: {args.tshark} is not installed (scripts/install-deps.sh installs it)")
        return 77

    expected = {}
    for a, b, ab, ba in follow_streams(args.tshark, args.capture).values():
        for src, dst, data in ((a, b, ab), (b, a, ba)):
            lines = [json_text(x) for kind, x in frame(data) if kind == "line"]
            if lines:
                expected[(src, dst)] = lines

    run = subprocess.run([args.msnpdump, "-q", "-T", "jsonl", "-r", args.capture],
                         capture_output=True, text=True)
    if run.returncode != 0:
        print(f"msnpdump exited {run.returncode}: {run.stderr}")
        return 1
    got = {}
    for row in run.stdout.splitlines():
        rec = json.loads(row)
        if rec["type"] == "command":
            got.setdefault((rec["src"], rec["dst"]), []).append(rec["line"])

    bad = 0
    for key in sorted(set(expected) | set(got)):
        e, g = expected.get(key, []), got.get(key, [])
        if e != g:
            bad += 1
            print(f"{key[0]} -> {key[1]}: oracle {len(e)} lines, msnpdump {len(g)} lines")
            for i, (x, y) in enumerate(zip(e, g)):
                if x != y:
                    print(f"  first difference at line {i + 1}:\n    oracle:   {x[:200]}\n"
                          f"    msnpdump: {y[:200]}")
                    break
    total = sum(len(v) for v in expected.values())
    print(f"{len(expected)} directions, {total} command lines; {bad} directions differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The plugin's QRY check, against an independent computation: for every
client QRY of a known product id, msnp.qry.verified must be 1 exactly when
the answer is MD5(challenge of the CHL before it on that connection + the
client's key) as Python's hashlib computes it, and a QRY that does not
verify must carry the expert warning. The capture must hold answers of both
kinds, so that a plugin that always (or never) says "verified" fails.

The key is MSN Messenger 5/6's (protocol reference §3.4), the one the
samples use; QRYs of other product ids are not checked here.

Usage: check_qry.py --plugin MSNP_SO CAPTURE
"""
import argparse
import hashlib
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402

KEYS = {"msmsgs@msnmsgr.com": "Q1P7W2E4J9R8U3S5"}  # MSN Messenger 5 and 6
FIELDS = ["frame.number", "tcp.stream", "msnp.cmd", "msnp.dir", "msnp.challenge",
          "msnp.qry.client_id", "msnp.qry.answer", "msnp.qry.verified",
          "_ws.expert.message"]


def check(tshark, capture, two_pass):
    extra = ["-Y", "msnp"] + (["-2"] if two_pass else [])
    challenge = {}  # per TCP connection: the last CHL's challenge
    seen = {True: 0, False: 0}
    problems = []
    for row in tshark.packets(capture, FIELDS, extra):
        stream = row["tcp.stream"][0] if row["tcp.stream"] else ""
        frame = row["frame.number"][0]
        for cmd, value in zip(row["msnp.cmd"], row["msnp.challenge"] + [""] * 8):
            if cmd == "CHL" and value:
                challenge[stream] = value
        if not row["msnp.qry.client_id"]:
            continue
        client = row["msnp.qry.client_id"][0]
        answer = row["msnp.qry.answer"][0] if row["msnp.qry.answer"] else ""
        if client not in KEYS or stream not in challenge:
            continue
        right = hashlib.md5((challenge[stream] + KEYS[client]).encode()).hexdigest() == answer
        verified = row["msnp.qry.verified"]
        if verified != ["1" if right else "0"]:
            problems.append(f"frame {frame}: answer {'right' if right else 'wrong'}, "
                            f"msnp.qry.verified {verified}")
        warned = any("does not verify" in m for m in row["_ws.expert.message"])
        if warned == right:
            problems.append(f"frame {frame}: answer {'right' if right else 'wrong'}, "
                            f"expert warning {'present' if warned else 'absent'}")
        seen[right] += 1
    if not seen[True] or not seen[False]:
        problems.append(f"the capture needs right and wrong answers: {seen[True]} right, "
                        f"{seen[False]} wrong")
    return problems, seen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("capture")
    args = ap.parse_args()
    tshark = wstest.Tshark(args.plugin)
    bad = 0
    for two_pass in (False, True):
        problems, seen = check(tshark, args.capture, two_pass)
        name = "two-pass" if two_pass else "one-pass"
        for p in problems:
            print(f"{name}: {p}")
        bad += len(problems)
        print(f"{name}: {seen[True]} right and {seen[False]} wrong QRY answers checked")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

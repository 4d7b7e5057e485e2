#!/usr/bin/env python3
"""The statistics tree (tshark -q -z msnp,tree) counts what msnpdump reports:
commands per role and direction and per command, error replies, MSG content
types, and one response time per answered request.

Usage: check_stats.py --plugin MSNP_SO --msnpdump MSNPDUMP CAPTURE...
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402

problems = []


def expect(what, got, want):
    if got != want:
        problems.append(f"{what}: got {got!r}, expected {want!r}")


def stats_tree(tshark, capture):
    """{(parent path..., node): count} from the text the tree prints."""
    # Two passes: roles and directions as the whole connection tells them.
    text = tshark.text(["-2", "-q", "-r", tshark.capture(capture), "-z", "msnp,tree"])
    nodes, path = {}, []
    for row in text.splitlines():
        m = re.match(r"^( *)(\S.*?)\s{2,}(\d+)\s", row)
        if not m or row.startswith("Topic"):
            continue
        depth = len(m.group(1))
        path = path[:depth] + [m.group(2)]
        nodes[tuple(path)] = int(m.group(3))
    return text, nodes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--msnpdump", required=True)
    ap.add_argument("captures", nargs="+")
    args = ap.parse_args()
    tshark = wstest.Tshark(args.plugin)
    for capture in args.captures:
        name = os.path.basename(capture)
        text, nodes = stats_tree(tshark, capture)
        run = subprocess.run([args.msnpdump, "-q", "-T", "jsonl", "-r", capture],
                             capture_output=True, text=True, check=True)
        commands = [json.loads(r) for r in run.stdout.splitlines()]
        commands = [r for r in commands if r["type"] == "command"]

        top = "Commands by role and direction"
        expect(f"{name}: {top}", nodes.get((top,)), len(commands))
        per_conn = collections.Counter(f"{r['role']} {r['dir']}" for r in commands)
        for conn, n in per_conn.items():
            expect(f"{name}: {conn}", nodes.get((top, conn)), n)
        per_cmd = collections.Counter((f"{r['role']} {r['dir']}", r["cmd"]) for r in commands
                                      if not r["cmd"].isdigit())
        for (conn, cmd), n in per_cmd.items():
            expect(f"{name}: {conn} {cmd}", nodes.get((top, conn, cmd)), n)
        errors = collections.Counter(r["error"]["code"] for r in commands if "error" in r)
        for code, n in errors.items():
            found = [c for k, c in nodes.items() if len(k) == 2 and k[0] == "Error replies"
                     and k[1].startswith(f"{code} ")]
            expect(f"{name}: error {code}", found, [n])

        rows = tshark.packets(capture, ["msnp.mime.content_type", "msnp.response_to",
                                        "msnp.reply_line"])
        types = collections.Counter(t for r in rows for t in r["msnp.mime.content_type"])
        for t, n in types.items():
            expect(f"{name}: content type {t}", nodes.get(("MSG content types", t)), n)
        answered = sum(1 for r in rows for i, _ in enumerate(r["msnp.response_to"]))
        firsts = answered - sum(1 for r in rows for x in r["msnp.reply_line"] if x != "1")
        rt = "Response time by request (ms)"
        expect(f"{name}: {rt}", nodes.get((rt,)), firsts if firsts else None)
        if problems:
            print(text)
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

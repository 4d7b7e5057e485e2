#!/usr/bin/env python3
"""msnpdump allocates per connection, never per command (issue #7: no
per-command allocation on the hot path).

A population capture from msnpgen (40 users: hundreds of connections, thousands
of commands and messages) is decoded in every view with a preloaded counter of
malloc, calloc and realloc calls (alloc_count.so). The bound is per connection
and fixed: at most PER_CONN allocations a connection plus START for start-up
(the output buffer, the tables, libpcap); today each view makes about nine a
connection (its state, its reassembly buffers, the correlator's entries).
Before the hold queue, the correlator, the chats view and the payload fields
of -T fields and -Y kept their buffers for reuse, the views made 0.39 (text)
to 2.4 (payload fields) allocations a command on this input: 3,400 to 21,600
against a bound of about 2,800.

Usage: alloc_check.py MSNPDUMP MSNPGEN ALLOC_COUNT_SO WORKDIR
"""
import os
import re
import subprocess
import sys

PER_CONN = 12
START = 400
VIEWS = [[], ["-T", "jsonl"], ["chats"], ["stats"], ["sessions"],
         # payload fields: decoded per command into buffers the writer keeps
         ["-T", "fields", "-e", "msnp.cmd", "-e", "msnp.msg.text", "-e", "msnp.format.font",
          "-e", "msnp.mime.body_field"],
         ["-Y", 'msnp.msg.kind == "text" || msnp.invite.command', "-T", "jsonl"]]


def main():
    msnpdump, msnpgen, shim, work = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    capture = os.path.join(work, "pop40.pcap")
    subprocess.run([msnpgen, "--population", "40", "--seed", "1", "-o", capture], check=True,
                   stdout=subprocess.DEVNULL)
    counts_file = os.path.join(work, "counts")
    env = dict(os.environ, LD_PRELOAD=shim, MSNP_ALLOC_COUNT_OUT=counts_file)
    failures = 0
    for view in VIEWS:
        if os.path.exists(counts_file):
            os.remove(counts_file)
        p = subprocess.run([msnpdump] + view + ["-r", capture], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        name = " ".join(view) or "text"
        if p.returncode != 0:
            print(f"{name}: msnpdump failed ({p.returncode}): {p.stderr.strip()[:300]}")
            failures += 1
            continue
        commands = int(re.search(r"(\d+) commands", p.stderr).group(1))
        conns = int(re.search(r"(\d+) TCP connections", p.stderr).group(1))
        if not os.path.exists(counts_file):
            print(f"{name}: the allocation counter wrote nothing (not preloaded?)")
            failures += 1
            continue
        m, c, r = (int(x) for x in open(counts_file).read().split())
        total = m + c + r
        bound = PER_CONN * conns + START
        verdict = "ok" if total <= bound else "TOO MANY"
        print(f"{name}: {total} allocations ({m} malloc, {c} calloc, {r} realloc) for "
              f"{commands} commands on {conns} connections: {total / commands:.3f} a command; "
              f"bound {bound}: {verdict}")
        if commands < 20 * conns:
            print(f"{name}: too few commands a connection to tell per-command allocation apart")
            failures += 1
        if total > bound:
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""What msnpdump must say about the real 2005 capture ../shared/captures/msnms.pcap.

The capture is real people's traffic: nothing decoded from it is committed here, so this
test states facts (counts, roles, no anomalies) instead of comparing with a golden file.
The command lines themselves are checked against an independent oracle by msnp_oracle.py.
Exit 77 (skipped) when the capture is absent, as in a clone without ../shared.

Usage: msnms_check.py MSNPDUMP CAPTURE
"""
import json
import os
import subprocess
import sys


def main():
    msnpdump, capture = sys.argv[1:3]
    if not os.path.exists(capture):
        print(f"skipped: {capture} is not here (it lives outside the repository, in "
              f"../shared/captures)")
        return 77
    run = subprocess.run([msnpdump, "-T", "jsonl", "-r", capture], capture_output=True)
    problems = []
    if run.returncode != 0:
        problems.append(f"exit status {run.returncode}")
    records = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    conns = {r["uid"]: r for r in records if r["type"] == "connection"}
    commands = [r for r in records if r["type"] == "command"]
    anomalies = [r for r in records if r["type"] == "anomaly"]

    def expect(what, got, want):
        if got != want:
            problems.append(f"{what}: {got}, expected {want}")

    expect("connections", len(conns), 6)
    roles = sorted(c["role"] for c in conns.values())
    expect("roles", roles, ["NS", "SB", "SB", "SB", "SB", "SB"])
    expect("commands", len(commands), 364)
    expect("anomalies", [(a["kind"], a["detail"]) for a in anomalies], [])
    # Every connection's client is the local host 192.168.1.14 (no handshake in the
    # capture: the direction comes from the protocol).
    for c in conns.values():
        if not c["client"].startswith("192.168.1.14:"):
            problems.append(f"{c['uid']}: client {c['client']}")
    # The notification server speaks a later version: its later-version lines are
    # labelled, none of them is unknown.
    ns = [c["uid"] for c in conns.values() if c["role"] == "NS"]
    later = [r for r in commands if r["uid"] in ns and "since" in r]
    if not later:
        problems.append("no later-version command recognised on the NS connection")
    for r in commands:
        if not r["meaning"] or r["meaning"].startswith("unknown"):
            problems.append(f"frame {r['frame']}: meaning {r['meaning']!r}")
    # One connection has only its client-to-server side.
    one_sided = [c for c in conns.values() if c["s2c"]["bytes"] == 0]
    expect("connections without server data", len(one_sided), 1)
    # Conversations (chats view): every message and typing notification has its sender,
    # and, where the conversation's roster was seen, its recipient; the one-sided
    # connection's typing notifications name the account of the capture's login.
    chats = subprocess.run([msnpdump, "-q", "chats", "-T", "jsonl", "-r", capture],
                           capture_output=True)
    events = [json.loads(line) for line in chats.stdout.decode("utf-8").splitlines()]
    talk = [e for e in events if e["type"] in ("message", "typing")]
    expect("messages", sum(1 for e in talk if e["type"] == "message"), 34)
    expect("typing notifications", sum(1 for e in talk if e["type"] == "typing"), 210)
    expect("frames of events without a sender", [e["frames"] for e in talk if not e.get("from")],
           [])
    rostered = [e for e in talk if e.get("to_known", True)]
    expect("frames of events with a roster but not one other recipient",
           [e["frames"] for e in rostered if len(e["to"]) != 1 or e["to"][0] == e["from"]], [])
    sessions = subprocess.run([msnpdump, "-q", "sessions", "-T", "jsonl", "-r", capture],
                              capture_output=True)
    recs = [json.loads(line) for line in sessions.stdout.decode("utf-8").splitlines()]
    logins = [r for r in recs if r["type"] == "login"]
    sbs = [r for r in recs if r["type"] == "switchboard"]
    expect("logins with a known account", sum(1 for r in logins if r.get("user")), 1)
    expect("conversations tied to that login",
           sum(1 for r in sbs if logins and r.get("sid") == logins[0]["sid"]), 5)
    one_sided_uid = one_sided[0]["uid"] if one_sided else None
    mine = {e["from"] for e in talk if e["uid"] == one_sided_uid}
    expect("the one-sided connection's sender is the login's account",
           logins and mine == {logins[0].get("user")}, True)
    summary = run.stderr.decode()
    for needle in ("364 packets", "6 TCP connections: 6 MSNP (1 NS, 5 SB)", "364 commands"):
        if needle not in summary:
            problems.append(f"summary lacks {needle!r}: {summary}")
    for p in problems:
        print(p)
    print(f"msnms.pcap: {len(conns)} connections, {len(commands)} commands, "
          f"{len(anomalies)} anomalies; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

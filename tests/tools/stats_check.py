#!/usr/bin/env python3
"""msnpdump's stats view against the other views, on every sample capture.

Usage: stats_check.py MSNPDUMP CAPTURES_DIR

For each capture, `stats -T jsonl` must be valid JSON and agree with what the other
views say independently:
  - command counts by (role, dir, cmd) equal the counts of `-T fields -e msnp.role
    -e msnp.dir -e msnp.cmd`, row for row, and their total the number of lines;
  - error counts equal the fields' three-digit commands;
  - response times: for every request the commands view pairs a reply with (the
    first line carrying its frame in response_to), the pairs per (role, request
    command) and their exact nearest-rank min/p50/p90/p99/max (all samples have
    fewer than 64 pairs per command, where the view promises exact values);
  - sessions: logins (and those signed in within the capture) and switchboards as
    the sessions view reports them; connections by role as the commands view's
    connection records; chats: each switchboard's session id and message, typing
    and invitation counts;
  - anomalies by kind: count and bytes of the commands view's anomaly records;
  - the text form lists the same command rows.
"""
import collections
import json
import os
import re
import subprocess
import sys

failures = []


def fail(where, why):
    failures.append(f"{where}: {why}")


def run(msnpdump, args):
    r = subprocess.run([msnpdump, "-q"] + args, capture_output=True)
    return r.stdout.decode("utf-8")


def records(where, text):
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        try:
            out.append(json.loads(line))
        except ValueError as e:
            fail(where, f"line {n} is not JSON: {e}")
    return out


def nearest_rank(values, p):
    s = sorted(values)
    rank = max(1, (len(s) * p + 99) // 100)
    return s[rank - 1]


def check(msnpdump, capture):
    name = os.path.basename(capture)
    raw = subprocess.run([msnpdump, "-q", "stats", "-T", "jsonl", "-r", capture],
                         capture_output=True).stdout.decode("utf-8")
    stats = records(name, raw)
    by_type = collections.defaultdict(list)
    for r in stats:
        by_type[r.get("type")].append(r)

    # Command counts against -T fields.
    fields = run(msnpdump, ["-T", "fields", "-e", "msnp.role", "-e", "msnp.dir", "-e", "msnp.cmd",
                            "-r", capture]).splitlines()
    want = collections.Counter(tuple(line.split("\t")) for line in fields)
    got = collections.Counter()
    for r in by_type["command_count"]:
        got[(r["role"], r["dir"], r["cmd"])] += r["count"]
    if got != want:
        fail(name, f"command counts differ: stats-only {dict(got - want)}, "
                   f"fields-only {dict(want - got)}")
    cap = by_type["capture"]
    if len(cap) != 1 or cap[0].get("commands") != len(fields):
        fail(name, f"capture record {cap} but {len(fields)} commands")
    errors_want = collections.Counter(c for (_, _, c) in (tuple(l.split("\t")) for l in fields)
                                      if re.fullmatch(r"\d{3}", c))
    errors_got = {f"{r['code']:03d}": r["count"] for r in by_type["error_count"]}
    if errors_got != dict(errors_want):
        fail(name, f"error counts {errors_got}, fields say {dict(errors_want)}")

    # Response times against the commands view's pairing.
    view = records(name + " commands view", run(msnpdump, ["-T", "jsonl", "-r", capture]))
    commands = [r for r in view if r.get("type") == "command"]
    requests = collections.defaultdict(list)
    for c in commands:
        requests[(c["uid"], c["frame"])].append(c)
    seen, times = set(), collections.defaultdict(list)
    for c in commands:
        if "response_to" not in c:
            continue
        cands = requests.get((c["uid"], c["response_to"]), [])
        same = [q for q in cands if q.get("trid") == c.get("trid")] or cands
        if not same:
            fail(name, f"frame {c['frame']} answers frame {c['response_to']}, not a command")
            continue
        req = same[0]
        key = (c["uid"], c["response_to"], req.get("trid"))
        if key in seen:
            continue  # a later line of the same reply
        seen.add(key)
        times[(c["role"], req["cmd"])].append(round(c["time"] * 1000000))
    got_times = {(r["role"], r["cmd"]): r for r in by_type["response_time"]}
    if set(got_times) != set(times):
        fail(name, f"response-time rows {sorted(got_times)}, pairs in {sorted(times)}")
    for key, vals in times.items():
        r = got_times.get(key)
        if not r:
            continue
        if r["pairs"] != len(vals):
            fail(name, f"{key}: {r['pairs']} pairs, the commands view has {len(vals)}")
            continue
        expect = {"min": min(vals), "max": max(vals), "p50": nearest_rank(vals, 50),
                  "p90": nearest_rank(vals, 90), "p99": nearest_rank(vals, 99)}
        for k, v in expect.items():
            if round(r[k] * 1000000) != v:
                fail(name, f"{key} {k}: {r[k]}, expected {v / 1e6:.6f}")

    # Sessions and chats against the sessions view; connections by role.
    sessions = records(name + " sessions view", run(msnpdump, ["sessions", "-T", "jsonl",
                                                               "-r", capture]))
    logins = [s for s in sessions if s["type"] == "login"]
    sbs = [s for s in sessions if s["type"] == "switchboard"]
    srow = by_type["sessions"][0] if by_type["sessions"] else {}
    if (srow.get("logins"), srow.get("logins_seen"), srow.get("switchboards")) != \
            (len(logins), sum(1 for l in logins if l["login_seen"]), len(sbs)):
        fail(name, f"sessions {srow} vs {len(logins)} logins, {len(sbs)} switchboards")
    roles = collections.Counter(r["role"] for r in view if r.get("type") == "connection")
    conns = srow.get("connections", {})
    for role in ("DS", "NS", "SB", "FTP"):
        if conns.get(role, 0) != roles.get(role, 0):
            fail(name, f"{role} connections: {conns.get(role)}, commands view {roles.get(role, 0)}")
    chats = {(c.get("session_id"), c["messages"], c["typing"], c["invitations"])
             for c in by_type["chat"]}
    want_chats = {(s.get("session_id"), s["messages"], s["typing"], s["invitations"])
                  for s in sbs}
    if chats != want_chats:
        fail(name, f"chats {sorted(chats, key=str)} vs {sorted(want_chats, key=str)}")

    # Anomalies by kind.
    kinds = collections.defaultdict(lambda: [0, 0])
    for r in view:
        if r.get("type") == "anomaly":
            kinds[r["kind"]][0] += 1
            kinds[r["kind"]][1] += r.get("bytes", 0)
    got_kinds = {r["kind"]: [r["count"], r["bytes"]] for r in by_type["anomaly_count"]}
    if got_kinds != dict(kinds):
        fail(name, f"anomalies {got_kinds}, the commands view has {dict(kinds)}")

    # The text form lists the same command rows.
    text = subprocess.run([msnpdump, "-q", "stats", "-r", capture],
                          capture_output=True).stdout.decode("utf-8")
    rows = collections.Counter()
    part = text.split("Commands by role and direction\n", 1)[-1].split(" total", 1)[0]
    for line in part.splitlines()[1:]:
        f = line.split()
        if len(f) == 4:
            rows[(f[0].replace("?", "unknown"), f[1].replace("?", "unknown"), f[2])] += int(f[3])
    if rows != got:
        fail(name, "the text's command rows differ from the JSON ones")
    return len(fields)


def main():
    msnpdump, captures = sys.argv[1:3]
    files = sorted(f for f in os.listdir(captures) if re.search(r"\.pcap(ng)?(\.gz)?$", f))
    total = sum(check(msnpdump, os.path.join(captures, f)) for f in files)
    for f in failures[:100]:
        print(f)
    print(f"stats_check: {len(files)} captures, {total} commands; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

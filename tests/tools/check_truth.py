#!/usr/bin/env python3
"""Check msnpdump against a capture's ground truth (written by msnpgen --truth).

For every connection of the truth, matched by its client and server endpoints (and, for
an MSNP session over the HTTP gateway, by the gateway's Server= and IP= values):
- the connection is reported once, with the role its name says (ds, ns, sb*, ft*; gw* is
  a TCP connection carrying the HTTP gateway: role HTTP, no commands of its own);
- per direction, the command lines msnpdump reports are exactly the truth's lines, in
  order, each once: lines marked `lost` (their bytes are missing from the capture) must
  not appear, lines marked `resync` (the first after a loss) may;
- MSNFTP binary data: the file bytes and block counts per direction match;
- raw bytes (garbage, a line cut by the capture end) are accounted for by anomalies.
Also: every output line is one valid JSON object.

Usage: check_truth.py MSNPDUMP CAPTURE TRUTH [extra msnpdump options...]
"""
import json
import subprocess
import sys

ROLE_BY_NAME = (("ds", "DS"), ("ns", "NS"), ("sb", "SB"), ("ft", "FTP"), ("gw", "HTTP"))


def unescape(text):
    """The truth's escaping: \\xNN and \\\\ ."""
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            if text[i + 1] == "\\":
                out.append(0x5C)
                i += 2
                continue
            if text[i + 1] == "x" and i + 3 < len(text):
                out.append(int(text[i + 2:i + 4], 16))
                i += 4
                continue
        out += c.encode("utf-8")
        i += 1
    return bytes(out)


def json_text(b):
    """msnpdump's convention for a line: valid UTF-8 as is, other bytes as \\xNN."""
    out = []
    i = 0
    while i < len(b):
        for k in (1, 2, 3, 4):
            try:
                s = b[i:i + k].decode("utf-8")
            except UnicodeDecodeError:
                continue
            out.append(s)
            i += k
            break
        else:
            out.append("\\x%02x" % b[i])
            i += 1
    return "".join(out)


def parse_truth(path):
    conns = []
    cur = None
    with open(path, encoding="utf-8") as fp:
        for raw in fp:
            raw = raw.rstrip("\n")
            if not raw or raw.startswith("#"):
                continue
            if raw.startswith("conn ") or raw.startswith("gateway "):
                # gateway NAME CLIENT SERVER Server= IP= first-SessionID: an MSNP session
                # carried over the HTTP gateway, first seen on that carrier
                words = raw.split(" ")
                name, client, server = words[1:4]
                gateway = tuple(words[4:6]) if words[0] == "gateway" else None
                cur = {"name": name, "client": client, "server": server, "gateway": gateway,
                       "lines": {"c2s": [], "s2c": []},
                       "binary": {"c2s": [0, 0], "s2c": [0, 0]},
                       "binary_max": {"c2s": [0, 0], "s2c": [0, 0]},
                       "raw": {"c2s": 0, "s2c": 0},
                       "empty": {"c2s": 0, "s2c": 0}}
                conns.append(cur)
                continue
            mark = "required"
            for prefix in ("lost ", "resync "):
                if raw.startswith(prefix):
                    mark = prefix.strip()
                    raw = raw[len(prefix):]
            head, _, rest = raw.partition(" ")
            direction, _, kind = head.partition("-")
            if kind == "" and rest == "":
                # An empty line is no command: msnpdump reports it as malformed.
                if mark == "required":
                    cur["empty"][direction] += 1
            elif kind == "":
                cur["lines"][direction].append((mark, json_text(unescape(rest))))
            elif kind == "binary":
                # Lost binary data: some of its blocks may still be framed.
                n, blocks = rest.split()
                key = "binary" if mark == "required" else "binary_max"
                cur[key][direction][0] += int(n)
                cur[key][direction][1] += int(blocks)
            elif kind == "raw" and mark == "required":
                cur["raw"][direction] += int(rest)
    return conns


def match_lines(expected, got):
    """Return None when the reported commands `got` ((line, payload_missing) pairs) are the
    expected lines minus lost ones and minus some resync ones. A `lost` line may be reported
    only when the capture lost part of its payload, not of its line: then msnpdump reports
    it with payload_missing."""
    j = 0
    for i, (mark, line) in enumerate(expected):
        here = got[j][0] if j < len(got) else None
        if mark == "required":
            if here != line:
                return f"truth line {i + 1} ({line[:120]!r}) missing; msnpdump has " \
                       f"{here[:120]!r}" if here is not None else \
                       f"truth line {i + 1} ({line[:120]!r}) missing at the end"
            j += 1
        elif mark == "resync":
            if here == line:
                j += 1
        elif mark == "lost":
            # Reported with payload_missing: its line survived the loss. Reported as
            # complete it can only be a later line with the same text (else it ends up
            # as an extra line below).
            if here == line and got[j][1]:
                j += 1
    if j != len(got):
        return f"{len(got) - j} extra lines, first {got[j][0][:120]!r}"
    return None


def run_msnpdump(msnpdump, capture, extra=()):
    """Run msnpdump -T jsonl; return (records, error message or None)."""
    run = subprocess.run([msnpdump, "-T", "jsonl", "-r", capture] + list(extra),
                         capture_output=True)
    if run.returncode != 0:
        return None, f"msnpdump exited {run.returncode}: {run.stderr.decode(errors='replace')}"
    records = []
    for n, row in enumerate(run.stdout.decode("utf-8").splitlines(), 1):
        try:
            records.append(json.loads(row))
        except json.JSONDecodeError as e:
            return None, f"output line {n} is not valid JSON: {e}: {row[:200]}"
    return records, None


def is_subsequence(small, big):
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def connection_uids(records, truths):
    """Which reported connections stand for each truth connection: {name: [uid, ...]} in
    time order, and problems. A TCP connection is matched by its endpoints. An MSNP
    session over the HTTP gateway is matched by its carrier's endpoints and the gateway's
    Server= and IP=; where the capture broke the SessionID chain (a lost response, a
    capture that starts mid-session) msnpdump goes on with a session picked up midway:
    such pieces go to the truth session of their role whose lines contain theirs."""
    problems = []
    conns = {}
    pieces = []
    for r in records:
        if r["type"] != "connection":
            continue
        gw = r.get("gateway")
        if gw and not gw["server"]:
            pieces.append(r)
            continue
        key = (r["client"], r["server"], (gw["server"], gw["host"]) if gw else None)
        if key in conns:
            problems.append(f"connection {key} reported twice")
        conns[key] = r
    found = {}
    for t in truths:
        c = conns.get((t["client"], t["server"], t["gateway"]))
        found[t["name"]] = [c] if c else []

    def lines_of(uid, d):
        return [r["line"] for r in records
                if r["type"] == "command" and r["uid"] == uid and r["dir"] == d]

    for piece in sorted(pieces, key=lambda r: r["first_frame"]):
        for t in truths:
            want_role = next((role for prefix, role in ROLE_BY_NAME
                              if t["name"].startswith(prefix)), None)
            # A piece too short to tell its role is not a wrong one.
            if t["gateway"] is None or piece["role"] not in (want_role, "unknown"):
                continue
            if all(is_subsequence(lines_of(piece["uid"], d), [x for _, x in t["lines"][d]])
                   for d in ("c2s", "s2c")):
                found[t["name"]].append(piece)
                break
        else:
            problems.append(f"gateway session {piece['uid']} ({piece['role']}) fits no session "
                            f"of the truth")
    for name in found:
        found[name] = [r["uid"] for r in sorted(found[name], key=lambda r: r["first_frame"])]
    return found, problems


def check(records, truth, optional_first=()):
    """Compare records with the truth file; return a list of problems. For the connections
    named in optional_first (picked up mid-session, with reordered segments) the first line
    of each direction may be missing: nothing tells where such a stream starts."""
    truths = parse_truth(truth)
    found, failures = connection_uids(records, truths)
    # Over the HTTP gateway a loss anywhere in a carrier may cost whole bodies (a lost
    # head leaves its body without a session) and break SessionID chains: there, in a
    # capture that lost anything, every reported line must still be the session's, in
    # order, but lines may be missing.
    capture_lossy = any(mark == "lost" for t in truths for d in ("c2s", "s2c")
                        for mark, _ in t["lines"][d])
    role_of = {r["uid"]: r["role"] for r in records if r["type"] == "connection"}
    for t in truths:
        key = (t["client"], t["server"], t["gateway"])
        if t["name"] in optional_first:
            for d in ("c2s", "s2c"):
                lines = t["lines"][d]
                first = next((k for k, (mark, _) in enumerate(lines) if mark == "required"), None)
                if first is not None:
                    lines[first] = ("resync", lines[first][1])
        uids = found[t["name"]]
        if not uids:
            # Fine only when the capture lost every line of the connection.
            if any(mark == "required" for d in ("c2s", "s2c") for mark, _ in t["lines"][d]):
                failures.append(f"{t['name']} {key}: no connection record")
            continue
        gateway_lossy = t["gateway"] is not None and capture_lossy
        if len(uids) > 1 and not gateway_lossy:
            failures.append(f"{t['name']}: reported as {len(uids)} sessions ({', '.join(uids)}) "
                            f"though the capture lost nothing of it")
        uid = uids[0]
        c = {"uid": uid, "role": role_of[uid]}
        want_role = next((role for prefix, role in ROLE_BY_NAME if t["name"].startswith(prefix)),
                         None)
        only_errors = all(line[:3].isdigit() for d in ("c2s", "s2c")
                          for mark, line in t["lines"][d] if mark == "required")
        if want_role and c["role"] != want_role and not (
                (only_errors or gateway_lossy) and c["role"] == "unknown"):
            failures.append(f"{t['name']} ({uid}): role {c['role']}, expected {want_role}")
        for direction in ("c2s", "s2c"):
            got = [(r["line"], r.get("payload_missing", 0)) for r in records
                   if r["type"] == "command" and r["uid"] in uids and r["dir"] == direction]
            if gateway_lossy:
                lines = [x for _, x in t["lines"][direction]]
                problem = None if is_subsequence([x for x, _ in got], lines) else \
                    "lines not in the session's truth, or out of order"
            else:
                problem = match_lines(t["lines"][direction], got)
            if problem:
                failures.append(f"{t['name']} ({uid}) {direction}: {problem}")
            data = [r for r in records
                    if r["type"] == "data" and r["uid"] in uids and r["dir"] == direction]
            got_bin = [sum(r["bytes"] for r in data), sum(r["blocks"] for r in data)]
            want_bin, extra = t["binary"][direction], t["binary_max"][direction]
            if not (want_bin[0] <= got_bin[0] <= want_bin[0] + extra[0] and
                    want_bin[1] <= got_bin[1] <= want_bin[1] + extra[1]):
                failures.append(f"{t['name']} ({uid}) {direction}: MSNFTP data {got_bin}, "
                                f"expected {t['binary'][direction]} (bytes, blocks)")
            empty = sum(1 for r in records
                        if r["type"] == "anomaly" and r["uid"] in uids and r["dir"] == direction
                        and r["kind"] == "malformed" and r.get("sample", "") == "")
            if empty != t["empty"][direction]:
                failures.append(f"{t['name']} ({uid}) {direction}: {empty} empty lines reported, "
                                f"{t['empty'][direction]} sent")
            if t["raw"][direction]:
                covered = sum(r.get("bytes", 0) for r in records
                              if r["type"] == "anomaly" and r["uid"] in uids and
                              r["dir"] == direction and
                              r["kind"] in ("skipped", "malformed", "truncated"))
                if covered < t["raw"][direction]:
                    failures.append(f"{t['name']} ({uid}) {direction}: {t['raw'][direction]} "
                                    f"raw bytes sent, anomalies account for {covered}")
    return failures


def main():
    msnpdump, capture, truth = sys.argv[1:4]
    records, error = run_msnpdump(msnpdump, capture, sys.argv[4:])
    if error:
        print(error)
        return 1
    failures = check(records, truth)
    for f in failures:
        print(f)
    commands = sum(1 for r in records if r["type"] == "command")
    print(f"{capture}: {commands} commands; {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

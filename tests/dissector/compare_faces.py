#!/usr/bin/env python3
"""The two faces agree: per TCP connection and direction, the command lines
the Wireshark plugin shows (tshark -Y msnp -e msnp.command_line) are exactly
the lines msnpdump reports (-T jsonl "line"), each once, in order; and in
every frame the requests those lines answer (msnp.response_to, "response_to")
are the same, since both faces pair them with libmsnp's trid.c.

MSNP over the HTTP gateway: msnpdump stitches each session's bodies into one
stream (whatever TCP connection carried them), the plugin decodes the bodies
where they are, one HTTP message at a time and without pairing. There the
lines of all carriers are compared per direction in frame order, and pairing
is not compared.

tshark runs twice, in one pass and in two passes (-2): the second pass
replays every frame from its snapshot, and must frame it the same way.

Roles (msnp.role, "role"): in two passes every line has msnpdump's role. In
one pass a line may say "unknown" while its connection has not told what it
is, but never another role; and a connection announced by a referral
(msnp.setup_frame: XFR, RNG, an invitation) takes its role from that at once.

Usage: compare_faces.py --plugin MSNP_SO --msnpdump MSNPDUMP [--private] CAPTURE
--private: the capture is not ours to publish (real traffic): report
positions and lengths only, never its content.
Exit status 0 when both faces agree, 1 otherwise, 77 when CAPTURE or tshark
is not here.
"""
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402

REPLACEMENT = "\ufffd"


def normalised(line):
    """Bytes that are not UTF-8: msnpdump writes \\xNN, Wireshark U+FFFD (one
    per maximal invalid sequence). Compare them as one replacement run."""
    line = re.sub(r"\\x[0-9a-f]{2}", REPLACEMENT, line)
    return re.sub(REPLACEMENT + "+", REPLACEMENT, line)


def gateway_key(carriers, src, dst):
    """("gateway", "c2s"/"s2c") when src -> dst is a gateway carrier, else None."""
    if (src, dst) in carriers:
        return ("gateway", "c2s")
    if (dst, src) in carriers:
        return ("gateway", "s2c")
    return None


def plugin_lines(tshark, capture, two_pass, carriers):
    fields = ["frame.number", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "tcp.srcport",
              "tcp.dstport", "msnp.command_line", "msnp.response_to", "msnp.role",
              "msnp.setup_frame"]
    extra = ["-Y", "msnp"] + (["-2"] if two_pass else [])
    lines = {}
    pairs = {}
    roles = {}
    for row in tshark.packets(capture, fields, extra):
        src = (row["ip.src"] or row["ipv6.src"] or [""])[-1]
        dst = (row["ip.dst"] or row["ipv6.dst"] or [""])[-1]
        key = (wstest.endpoint(src, (row["tcp.srcport"] or [""])[-1]),
               wstest.endpoint(dst, (row["tcp.dstport"] or [""])[-1]))
        gateway = gateway_key(carriers, *key)
        if row["msnp.response_to"] and not gateway:
            pairs[int(row["frame.number"][0])] = sorted(int(x) for x in row["msnp.response_to"])
        if not row["msnp.command_line"]:
            continue
        lines.setdefault(gateway or key, []).extend(normalised(x) for x in row["msnp.command_line"])
        if not gateway:
            # A frame's PDUs share a connection: one role each, and the
            # connection's announcement if it had one.
            announced = bool(row["msnp.setup_frame"])
            roles.setdefault(key, []).extend(
                (int(row["frame.number"][0]), r, announced)
                for r in row["msnp.role"][:len(row["msnp.command_line"])])
    return lines, pairs, roles


def msnpdump_lines(msnpdump, capture):
    records = wstest.msnpdump_records(msnpdump, capture)
    carriers = {(r["client"], r["server"]) for r in records
                if r["type"] == "connection" and r["role"] == "HTTP"}
    sessions = wstest.gateway_sessions(records)
    lines = {}
    pairs = {}
    roles = {}
    for rec in sorted((r for r in records if r["type"] == "command"), key=lambda r: r["frame"]):
        key = (rec["src"], rec["dst"])
        if rec["uid"] in sessions:
            key = ("gateway", rec["dir"])
        else:
            roles.setdefault(key, []).append(rec["role"])
        lines.setdefault(key, []).append(normalised(rec["line"]))
        if "response_to" in rec and rec["uid"] not in sessions:
            pairs.setdefault(rec["frame"], []).append(rec["response_to"])
    return lines, {f: sorted(v) for f, v in pairs.items()}, carriers, roles


def compare_pairs(name, expected, got):
    """Frames whose replies name different requests in the two faces."""
    bad = [f for f in sorted(set(expected) | set(got)) if expected.get(f) != got.get(f)]
    for f in bad[:5]:
        print(f"{name}: frame {f}: msnpdump pairs replies with frames {expected.get(f, [])}, "
              f"the plugin with {got.get(f, [])}")
    return len(bad)


def compare_roles(name, expected, got, two_pass, private):
    """Lines whose role differs from msnpdump's (see the module's text)."""
    bad = 0
    for key in sorted(set(expected) | set(got)):
        want, have = expected.get(key, []), got.get(key, [])
        for i, (frame, role, announced) in enumerate(have[:len(want)]):
            if role == want[i]:
                continue
            if not two_pass and role == "unknown" and not announced:
                continue
            bad += 1
            if bad <= 5:
                where = "a connection" if private else f"{key[0]} -> {key[1]}"
                print(f"{name}: {where}: frame {frame}: msnpdump says {want[i]}, the plugin "
                      f"{role}{' (announced by a referral)' if announced else ''}")
    return bad


def compare(name, expected, got, private):
    bad = 0
    for key in sorted(set(expected) | set(got)):
        e, g = expected.get(key, []), got.get(key, [])
        if e == g:
            continue
        bad += 1
        where = "a connection" if private else f"{key[0]} -> {key[1]}"
        print(f"{name}: {where}: msnpdump {len(e)} lines, plugin {len(g)} lines")
        for i in range(max(len(e), len(g))):
            x = e[i] if i < len(e) else None
            y = g[i] if i < len(g) else None
            if x != y:
                if private:
                    print(f"  first difference at line {i + 1} (lengths {len(x or '')} and "
                          f"{len(y or '')}; content not shown: real traffic)")
                else:
                    print(f"  first difference at line {i + 1}:\n    msnpdump: {x!r:.200}\n"
                          f"    plugin:   {y!r:.200}")
                break
    return bad


def main():
    args, tshark = wstest.faces_command_line()

    expected, expected_pairs, carriers, expected_roles = msnpdump_lines(args.msnpdump,
                                                                        args.capture)
    bad = bad_pairs = bad_roles = 0
    for two_pass in (False, True):
        got, got_pairs, got_roles = plugin_lines(tshark, args.capture, two_pass, carriers)
        if expected and not got:
            print("tshark shows no MSNP command at all: is the plugin loaded? "
                  "(dissector.fields checks that)")
        name = "two-pass" if two_pass else "one-pass"
        bad += compare(name, expected, got, args.private)
        bad_pairs += compare_pairs(name, expected_pairs, got_pairs)
        bad_roles += compare_roles(name, expected_roles, got_roles, two_pass, args.private)
    total = sum(len(v) for v in expected.values())
    npairs = sum(len(v) for v in expected_pairs.values())
    print(f"{os.path.basename(args.capture)}: {len(expected)} directions, {total} command lines "
          f"and {npairs} paired replies from msnpdump; {bad} direction(s), {bad_pairs} "
          f"frame(s) of pairing and {bad_roles} line role(s) differ")
    return 1 if bad or bad_pairs or bad_roles or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Both faces tie each connection to the same login: msnp.sid.

- Commands: in every frame, the msnp.sid of the plugin's command PDUs, in
  order, equals the "sid" of msnpdump's command records of that frame.
- MSNFTP blocks: every block the plugin shows on a connection carries the
  sid of msnpdump's data record for that connection.

In two passes (tshark -2) every value must be there and equal. In one pass
the plugin knows a PDU's login only once its connection (and every earlier
one) has settled its role, as msnpdump's queue does: a value may be absent,
never different. HTTP-gateway frames are left out: the plugin decodes each
body on its own, without a login (docs/plugin.md, Limits).

Usage: compare_sid.py --plugin MSNP_SO --msnpdump MSNPDUMP [--private] CAPTURE
Exit status 0 when both faces agree, 1 otherwise, 77 when CAPTURE or tshark
is not here.
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402


def layers_with_duplicates(pairs):
    """tshark's JSON repeats the "msnp" key once per PDU of a frame."""
    out = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def plugin_pdus(tshark, capture, two_pass):
    """[(frame, src, dst, {field: value})] per msnp PDU, in order."""
    args = ["-r", tshark.capture(capture), "-T", "json", "-J", "frame ip ipv6 tcp msnp", "-Y", "msnp"]
    if two_pass:
        args.append("-2")
    packets = json.loads(tshark.text(args) or "[]", object_pairs_hook=layers_with_duplicates)
    pdus = []
    for pkt in packets:
        layers = pkt["_source"][0]["layers"][0]
        net = (layers.get("ip") or layers.get("ipv6"))[0]
        tcp = layers["tcp"][0]
        src_ip = (net.get("ip.src") or net.get("ipv6.src"))[0]
        dst_ip = (net.get("ip.dst") or net.get("ipv6.dst"))[0]
        src = wstest.endpoint(src_ip, tcp["tcp.srcport"][0])
        dst = wstest.endpoint(dst_ip, tcp["tcp.dstport"][0])
        frame = int(layers["frame"][0]["frame.number"][0])
        for msnp in layers["msnp"]:
            fields = {k: v[0] for k, v in msnp.items() if isinstance(v[0], str)}
            pdus.append((frame, src, dst, fields))
    return pdus


def compare(pdus, records, two_pass, private):
    gateway_frames = wstest.gateway_frames(records)
    expected = {}
    for r in records:
        if r["type"] == "command" and r["frame"] not in gateway_frames:
            expected.setdefault(r["frame"], []).append(r.get("sid", ""))
    transfers = {}
    for r in records:
        if r["type"] == "data" and r.get("role") == "FTP":
            for ends in ((r["src"], r["dst"]), (r["dst"], r["src"])):
                transfers[ends] = r.get("sid", "")
    got = {}
    problems, absent, checked = [], 0, 0
    for frame, src, dst, fields in pdus:
        if frame in gateway_frames:
            continue
        if "msnp.cmd" in fields:
            got.setdefault(frame, []).append(fields.get("msnp.sid", ""))
        elif "msnp.block.type" in fields and (src, dst) in transfers:
            checked += 1
            want, have = transfers[(src, dst)], fields.get("msnp.sid", "")
            if have != want and (two_pass or have):
                problems.append((frame, "block", want, have))
    for frame in sorted(set(expected) | set(got)):
        want, have = expected.get(frame, []), got.get(frame, [])
        checked += len(want)
        if want == have:
            continue
        if not two_pass and len(want) == len(have) and all(
                h in ("", w) for w, h in zip(want, have)):
            absent += sum(1 for h in have if not h)
            continue
        problems.append((frame, "commands", ",".join(want), ",".join(have)))
    label = "two passes" if two_pass else "one pass"
    for frame, what, want, have in problems[:10]:
        if private:
            print(f"{label}: frame {frame} ({what}): the faces differ")
        else:
            print(f"{label}: frame {frame} ({what}): msnpdump {want!r}, plugin {have!r}")
    sids = {s for v in expected.values() for s in v if s}
    print(f"{label}: {checked} values checked, {len(sids)} logins, {len(problems)} differ"
          + (f", {absent} not known yet" if not two_pass else "")
          + (f"; {len(gateway_frames)} HTTP-gateway frames left out" if gateway_frames else ""))
    return len(problems)


def main():
    args, tshark = wstest.faces_command_line()
    records = wstest.msnpdump_records(args.msnpdump, args.capture)
    bad = 0
    for two_pass in (True, False):
        bad += compare(plugin_pdus(tshark, args.capture, two_pass), records, two_pass,
                       args.private)
    has_logins = any(r.get("sid") for r in records if r["type"] == "command")
    if not has_logins:
        print("msnpdump ties no command to a login here: the comparison shows only "
              "that the plugin adds none")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

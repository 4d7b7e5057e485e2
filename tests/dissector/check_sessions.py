#!/usr/bin/env python3
"""How the plugin finds MSNP off port 1863, on a capture generated from
tests/dissector/sessions.msnp:
- a switchboard on port 1864 announced by XFR: an expected conversation
  (msnp.setup_frame = the XFR reply), found with or without the heuristic;
- an unannounced switchboard on port 31863 picked up mid-session: found by
  the heuristic only, and again by the port preference when it is off;
- a line protocol on port 2525 with MSNP-like words: left alone;
- the HTTP gateway: MSNP commands in application/x-msn-messenger bodies.

Usage: check_sessions.py --plugin MSNP_SO --msnpgen MSNPGEN SCENARIO
"""
import argparse
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402

FIELDS = ["frame.number", "tcp.srcport", "tcp.dstport", "msnp.command_line", "msnp.role",
          "msnp.dir", "msnp.setup_frame", "msnp.setup_method", "http.request.method",
          "http.response.code"]

SB_1864 = ["USR 1 alice@hotmail.com 123456.789012.345", "USR 1 OK alice@hotmail.com Alice",
           "CAL 2 bob@hotmail.com", "CAL 2 RINGING 424242", "JOI bob@hotmail.com Bob",
           "MSG 3 A 75", "ACK 3", "OUT"]
SB_31863 = ["MSG carol@msn.com Carol 70", "MSG 7 N 70", "BYE carol@msn.com"]

problems = []


def expect(what, got, want):
    if got != want:
        problems.append(f"{what}: got {got!r}, expected {want!r}")


def on_port(rows, port):
    return [r for r in rows if str(port) in (r["tcp.srcport"][:1] + r["tcp.dstport"][:1])]


def lines(rows):
    return [line for r in rows for line in r["msnp.command_line"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--msnpgen", required=True)
    ap.add_argument("scenario")
    args = ap.parse_args()
    tshark = wstest.Tshark(args.plugin)
    capture = tshark.generate(args.msnpgen, "sessions.pcap", args.scenario)

    rows = tshark.packets(capture, FIELDS)
    xfr = [r["frame.number"][0] for r in rows
           if r["msnp.command_line"][:1] == ["XFR 10 SB 203.0.113.5:1864 CKI 123456.789012.345"]]
    expect("the XFR reply", len(xfr), 1)
    sb = [r for r in on_port(rows, 1864) if r["msnp.command_line"]]
    expect("port 1864 (announced by XFR)", lines(sb), SB_1864)
    expect("port 1864 setup frames", {tuple(r["msnp.setup_frame"]) for r in sb}, {tuple(xfr)})
    expect("port 1864 setup method", {tuple(r["msnp.setup_method"]) for r in sb},
           {("XFR",)})
    expect("port 1864 role", {tuple(r["msnp.role"]) for r in sb}, {("SB",)})

    sb2 = [r for r in on_port(rows, 31863) if r["msnp.command_line"]]
    expect("port 31863 (heuristic)", lines(sb2), SB_31863)
    expect("port 31863 directions", [r["msnp.dir"] for r in sb2],
           [["s2c"], ["c2s"], ["s2c"]])
    expect("port 31863 setup frame", [r["msnp.setup_frame"] for r in sb2], [[], [], []])
    expect("port 2525 (not MSNP)", lines(on_port(rows, 2525)), [])

    gw = [r for r in on_port(rows, 80) if r["msnp.command_line"]]
    expect("HTTP gateway bodies", lines(gw), ["VER 5 MSNP8 CVR0", "VER 5 MSNP8 CVR0"])
    expect("HTTP gateway directions", [r["msnp.dir"] for r in gw], [["c2s"], ["s2c"]])
    expect("HTTP gateway messages", [bool(r["http.request.method"] or r["http.response.code"])
                                     for r in gw], [True, True])

    off = tshark.packets(capture, FIELDS, ["--disable-heuristic", "msnp_tcp"])
    expect("heuristic off: port 1864", lines(on_port(off, 1864)), SB_1864)
    expect("heuristic off: port 31863", lines(on_port(off, 31863)), [])

    pref = tshark.packets(capture, FIELDS, ["--disable-heuristic", "msnp_tcp",
                                            "-o", "msnp.tcp.port:1863,31863"])
    expect("heuristic off, port preference 31863", lines(on_port(pref, 31863)), SB_31863)

    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

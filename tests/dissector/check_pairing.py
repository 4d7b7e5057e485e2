#!/usr/bin/env python3
"""Request/response pairing in the plugin (msnp.response_in, msnp.response_to,
msnp.time, msnp.reply_line, msnp.async, the "no response" expert item), on
the samples, in one pass and in two:

- every reply names a request (response_to) that the capture holds, with the
  same TrID when the reply carries one, and msnp.time is the time between
  the two frames;
- in two passes every request answered has response_in = its first reply,
  and "no response seen" marks exactly the requests that always get an
  answer and did not; in one pass neither is known yet, everything else is
  the same;
- the exchanges of the protocol reference: the SYN dump, CHG + ILN, ADD FL +
  ILN, ANS + IRO + ANS OK, PNG/QNG, error replies, server pushes.

Usage: check_pairing.py --plugin MSNP_SO --captures DIR
"""
import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402

problems = []


def expect(what, cond):
    if not cond:
        problems.append(what)


def pdus(tshark, capture, two_pass):
    """[(frame, time, pdu-dict)] of every msnp PDU, in order."""
    args = ["-r", tshark.capture(capture), "-T", "json", "--no-duplicate-keys", "-J",
            "frame msnp", "-Y", "msnp"] + (["-2"] if two_pass else [])
    out = []
    for pkt in json.loads(tshark.text(args) or "[]"):
        layers = pkt["_source"]["layers"]
        frame = int(layers["frame"]["frame.number"])
        when = float(layers["frame"]["frame.time_epoch"])
        msnp = layers.get("msnp", [])
        for p in msnp if isinstance(msnp, list) else [msnp]:
            if "msnp.command_line" in p:
                out.append((frame, when, p))
    return out


def one(p, key):
    v = p.get(key)
    return v[0] if isinstance(v, list) else v


def no_response(p):
    return "msnp.no_response" in json.dumps(p)


def check_capture(tshark, path):
    name = os.path.basename(path)
    two = pdus(tshark, path, True)
    one_pass = pdus(tshark, path, False)
    expect(f"{name}: one and two passes show {len(one_pass)} and {len(two)} commands",
           len(one_pass) == len(two))
    times = {f: t for f, t, _ in two}
    by_frame = {}
    for f, _, p in two:
        by_frame.setdefault(f, []).append(p)

    for (f, _, p), (f1, _, p1) in zip(two, one_pass):
        line = one(p, "msnp.command_line")
        for key in ("msnp.response_to", "msnp.time", "msnp.reply_line", "msnp.async"):
            expect(f"{name} frame {f} {line!r}: {key} {one(p1, key)!r} in one pass, "
                   f"{one(p, key)!r} in two", one(p, key) == one(p1, key))
        expect(f"{name} frame {f}: response_in in one pass", one(p1, "msnp.response_in") is None)
        expect(f"{name} frame {f}: 'no response' in one pass", not no_response(p1))

        request = one(p, "msnp.response_to")
        if request is None:
            continue
        request = int(request)
        expect(f"{name} frame {f}: its request frame {request} is later", request < f)
        candidates = by_frame.get(request, [])
        trid = one(p, "msnp.trid")
        if trid is not None:
            candidates = [q for q in candidates if one(q, "msnp.trid") == trid]
        expect(f"{name} frame {f} {line!r}: no request with TrID {trid} in frame {request}",
               len(candidates) >= 1)
        delta = times[f] - times[request]
        expect(f"{name} frame {f}: msnp.time {one(p, 'msnp.time')} is not {delta:.6f}",
               abs(float(one(p, "msnp.time")) - delta) < 1e-6)
        first = one(p, "msnp.reply_line") in (None, "1")
        if first and candidates:
            expect(f"{name} frame {request}: response_in {one(candidates[0], 'msnp.response_in')}"
                   f", expected {f}", one(candidates[0], "msnp.response_in") == str(f))
    return two


def lines_of(rows):
    """Command line -> (frame, PDU) of its first occurrence."""
    out = {}
    for f, _, p in rows:
        out.setdefault(one(p, "msnp.command_line"), (f, p))
    return out


def check_login(rows):
    """Exchanges of samples/scenarios/login.msnp."""
    by_line = lines_of(rows)
    syn = by_line["SYN 8 0"][0]
    dump = [(f, p) for f, _, p in rows if one(p, "msnp.response_to") == str(syn)]
    expect(f"login: the SYN reply and dump have {len(dump)} lines, expected 15", len(dump) == 15)
    expect("login: the dump's lines are numbered 1..15",
           [one(p, "msnp.reply_line") for _, p in dump] == [str(i) for i in range(1, 16)])
    chg = by_line["CHG 9 NLN 0"]
    ilns = [p for f, _, p in rows if one(p, "msnp.cmd") == "ILN" and one(p, "msnp.trid") == "9"]
    expect("login: ILN 9 lines answer CHG 9",
           ilns and all(one(p, "msnp.response_to") == str(chg[0]) for p in ilns))
    expect("login: 215 17 answers ADD 17", one(by_line["215 17"][1], "msnp.response_to") ==
           str(by_line["ADD 17 AL bob@hotmail.com bob@hotmail.com"][0]))
    expect("login: QNG answers PNG",
           one(by_line["QNG"][1], "msnp.response_to") == str(by_line["PNG"][0]))
    for push in ("CHL 0 29409134351025259292", "NLN BSY bob@hotmail.com Bob 268435492",
                 "FLN carol@msn.com", "ADD 0 RL 79 grace@hotmail.com Grace", "NOT 441"):
        expect(f"login: {push} is a server push", one(by_line[push][1], "msnp.async") == "1")
    # PAG is answered only when it fails, OUT never: no "no response".
    expect("login: no request is flagged unanswered",
           not any(no_response(p) for _, _, p in rows))


def check_chat(rows):
    by_line = lines_of(rows)
    ans = by_line["ANS 1 alice@hotmail.com 849102291.520491113 11752099"][0]
    roster = [one(p, "msnp.command_line").split()[0] for f, _, p in rows
              if one(p, "msnp.response_to") == str(ans)]
    expect(f"chat: ANS is answered by {roster}", roster == ["IRO", "IRO", "ANS"])
    expect("chat: ACK 5 answers MSG 5",
           one(by_line["ACK 5"][1], "msnp.response_to") == str(by_line["MSG 5 A 137"][0]))
    expect("chat: NAK 6 answers MSG 6",
           one(by_line["NAK 6"][1], "msnp.response_to") == str(by_line["MSG 6 N 140"][0]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--captures", required=True)
    args = ap.parse_args()
    tshark = wstest.Tshark(args.plugin)
    for stem in ("login.pcap", "chat.pcap", "filetransfer.pcap", "edge.pcap",
                 "chat-messy.pcapng"):
        rows = check_capture(tshark, os.path.join(args.captures, stem))
        if stem == "login.pcap":
            check_login(rows)
        elif stem == "chat.pcap":
            check_chat(rows)
    # A request whose answer the capture lost is the one "no response" of
    # filetransfer-loss.pcap, and only two passes can tell.
    loss = os.path.join(args.captures, "filetransfer-loss.pcap")
    flagged = [f for f, _, p in pdus(tshark, loss, True) if no_response(p)]
    expect(f"filetransfer-loss: 'no response' in frames {flagged}, expected one",
           len(flagged) == 1)
    expect("filetransfer-loss: 'no response' in one pass",
           not any(no_response(p) for _, _, p in pdus(tshark, loss, False)))
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

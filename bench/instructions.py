"""Instruction counts of the benchmark's tools (valgrind's callgrind) on a
small population capture.

Times on a shared 2-core machine move by up to 2x between runs of the same
binary; the number of instructions a tool executes does not. Each tool runs
once on the small input and once on a copy of its first packet alone: the
difference, divided by the packets in between, is the tool's work per packet
without its start-up (tshark spends ~0.86 G instructions registering its
dissectors before it reads a packet). The ratios are the issue's targets
counted in instructions; the verdicts stay on time (bench.py)."""

import os
import re
import shutil
import struct
import subprocess

IREFS = re.compile(r"I\s+refs:\s+([\d,]+)")
PCAP_MAGICS = {b"\xd4\xc3\xb2\xa1": "<", b"\x4d\x3c\xb2\xa1": "<",
               b"\xa1\xb2\xc3\xd4": ">", b"\xa1\xb2\x3c\x4d": ">"}


def first_packet_copy(cap, out):
    """Write a classic pcap holding only cap's first record."""
    with open(cap, "rb") as f:
        header = f.read(24)
        order = PCAP_MAGICS.get(header[:4])
        if order is None:
            raise ValueError(f"{cap}: not a classic pcap file")
        rec = f.read(16)
        incl = struct.unpack(order + "I", rec[8:12])[0]
        data = f.read(incl)
    with open(out, "wb") as f:
        f.write(header + rec + data)
    os.chmod(out, 0o644)


def under_callgrind(argv):
    """argv run under callgrind; a setpriv prefix stays in front, so that
    valgrind runs as the unprivileged user with the tool."""
    vg = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    i = 0
    if argv and argv[0] == "setpriv":
        i = 1
        while i < len(argv) and argv[i].startswith("--"):
            i += 1
    return argv[:i] + vg + argv[i:]


def count_one(argv, env):
    """Instructions executed by argv, or (None, why)."""
    p = subprocess.run(under_callgrind(argv), env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, errors="replace")
    m = IREFS.search(p.stderr)
    if p.returncode != 0 or not m:
        # The tool's own words, without valgrind's "==pid==" lines.
        said = [l for l in p.stderr.splitlines() if l.strip() and not l.startswith("==")]
        text = (said[0] if said else "no message")[:160].replace("|", "/")
        return None, f"exit {p.returncode}: {text}"
    return int(m.group(1).replace(",", "")), ""


def count(tools, cap, packets, log):
    """{tool key: {"total", "startup", "per_packet"} or {"why"}}, or {"_why"}
    without valgrind. The first-packet copy goes beside cap, where the
    unprivileged user tshark runs as can read it."""
    if not shutil.which("valgrind"):
        return {"_why": "valgrind not installed (apt-get install valgrind)"}
    one = os.path.splitext(cap)[0] + "-first-packet.pcap"
    first_packet_copy(cap, one)
    res = {}
    for t in tools:
        if not t.available:
            continue
        log(f"instructions: {t.key}")
        total, why = count_one(t.argv_fn(cap), t.env)
        startup, why1 = count_one(t.argv_fn(one), t.env) if total else (None, "")
        if total is None or startup is None:
            res[t.key] = {"why": why or why1}
            continue
        res[t.key] = {"total": total, "startup": startup,
                      "per_packet": (total - startup) / max(packets - 1, 1)}
    return res


def report_lines(res, tools, users, seed, packets):
    """The report's section: a table and the issue's ratios in instructions."""
    L = ["## Instructions per packet (callgrind)", ""]
    if "_why" in res:
        return L + [f"Not measured: {res['_why']}.", ""]
    L.append(f"Input: `msnpgen --population {users} --seed {seed}` ({packets:,} packets); each "
             "tool once under `valgrind --tool=callgrind`, and once on the input's first packet "
             "alone (start-up). Per packet = (instructions on the input − start-up) / "
             f"({packets:,} − 1). Unlike times, these do not move with the machine's load.")
    L.append("")
    L.append("| tool | instructions | start-up | per packet | % of floor | × tshark msnms |")
    L.append("|---|---|---|---|---|---|")
    fl = res.get("floor", {}).get("per_packet")
    ms = res.get("msnms", {}).get("per_packet")
    for t in tools:
        r = res.get(t.key)
        if not r:
            continue
        if "why" in r:
            L.append(f"| {t.label} | failed: {r['why']} | | | | |")
            continue
        pp = r["per_packet"]
        pct = f"{100.0 * fl / pp:.1f}" if fl and pp > 0 else "–"
        xms = f"{pp / ms:.3f}" if ms and t.key.startswith("msn") and pp > 0 else "–"
        L.append(f"| {t.label} | {r['total'] / 1e6:,.1f} M | {r['startup'] / 1e6:,.1f} M "
                 f"| {pp:,.0f} | {pct} | {xms} |")
    L.append("")
    said = []
    for key, want, what in (("jsonl", 0.15, "`-T jsonl`"), ("stats", 0.35, "`stats`")):
        pp = res.get(key, {}).get("per_packet")
        if fl and pp:
            said.append(f"{what} at {fl / pp:.1%} of the floor (target {want:.0%})")
    a = res.get("msnp", {}).get("per_packet")
    if a and ms:
        said.append(f"tshark+msnp at {a / ms:.3f}× tshark+msnms (target 1.15×)")
    b, c = res.get("msnp-sum", {}).get("per_packet"), res.get("msnms-sum", {}).get("per_packet")
    if b and c:
        said.append(f"with summary output {b / c:.3f}×")
    if said:
        L.append("The issue's ratios counted in instructions (the verdicts above are on time): "
                 + "; ".join(said) + ".")
        L.append("")
    return L

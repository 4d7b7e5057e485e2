#!/usr/bin/env python3
"""msnpdump's tshark-like options, checked against its own JSON output and tshark's tools.

- -Y filters: the records kept are exactly those a straightforward evaluation of the same
  condition over the JSON records keeps (for a set of filters covering every operator);
- -T fields -e: one line per command, values equal to the JSON fields;
- several -r files: the same records as one file merged with mergecap (when installed);
- gzip-compressed input: the same records as the plain file;
- -t formats, --color, and exit status 4 for a bad filter.

Usage: cli_options.py MSNPDUMP SAMPLES_DIR WORKDIR
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys

problems = []


def run(msnpdump, args, **kw):
    return subprocess.run([msnpdump, "-q"] + args, capture_output=True, **kw)


def records(msnpdump, args):
    r = run(msnpdump, ["-T", "jsonl"] + args)
    if r.returncode != 0:
        problems.append(f"{args}: exit {r.returncode}: {r.stderr.decode()}")
        return []
    return [json.loads(x) for x in r.stdout.decode().splitlines()]


def expect(what, cond, detail=""):
    if not cond:
        problems.append(f"{what}: {detail}")


# (filter, python predicate over a JSON record)
FILTERS = [
    ('msnp.cmd == "USR"', lambda r: r.get("cmd") == "USR"),
    ('cmd eq USR', lambda r: r.get("cmd") == "USR"),
    ('msnp.cmd != "MSG"', lambda r: "cmd" in r and r["cmd"] != "MSG"),
    ('msnp.trid >= 20 && msnp.dir == "c2s"',
     lambda r: r.get("trid") is not None and r["trid"] >= 20 and r.get("dir") == "c2s"),
    ('msnp.trid < 5 || msnp.role == "DS"',
     lambda r: (r.get("trid") is not None and r["trid"] < 5) or r.get("role") == "DS"),
    ('!(msnp.role == "NS")', lambda r: r.get("role") != "NS"),
    ('not msnp.trid', lambda r: r.get("trid") is None),
    ('msnp.arg contains "hotmail"', lambda r: any("hotmail" in a for a in r.get("args", []))),
    ('msnp.command_line matches "^(LST|LSG) "', lambda r: re.match(r"^(LST|LSG) ", r.get("line", ""))),
    ('msnp.meaning matches "(?i)PASSPORT"', lambda r: "passport" in r.get("meaning", "").lower()),
    ('msnp.payload_len > 200', lambda r: r.get("payload_len", -1) > 200),
    ('msnp.error_code', lambda r: "error" in r),
    ('msnp.anomaly', lambda r: r["type"] == "anomaly"),
    ('type == "connection"', lambda r: r["type"] == "connection"),
    ('uid == "C2" and msnp.cmd in_a_word', None),  # a syntax error: exit 4
]


def main():
    msnpdump, samples, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    login = os.path.join(samples, "login.pcap")
    chat = os.path.join(samples, "chat.pcap")
    edge = os.path.join(samples, "edge.pcap")  # has anomalies
    both = ["-r", login, "-r", edge]
    every = records(msnpdump, both)

    def key(r):
        return (r["type"], r.get("frame"), r.get("uid"), r.get("line"), r.get("kind"))

    for expr, pred in FILTERS:
        if pred is None:
            r = run(msnpdump, ["-Y", expr, "-r", login])
            expect(f"-Y {expr!r}", r.returncode == 4 and b"-Y" in r.stderr, r.returncode)
            continue
        got = [key(r) for r in records(msnpdump, ["-Y", expr] + both)]
        want = [key(r) for r in every if pred(r)]
        expect(f"-Y {expr!r}", got == want and want, f"{len(got)} records, expected {len(want)}")

    # -T fields
    r = run(msnpdump, ["-T", "fields", "-e", "frame.number", "-e", "msnp.cmd", "-e", "msnp.trid",
                       "-e", "msnp.arg", "-E", "separator=|", "-r", login])
    lines = r.stdout.decode().splitlines()
    cmds = [x for x in records(msnpdump, ["-r", login]) if x["type"] == "command"]
    expect("-T fields lines", len(lines) == len(cmds), f"{len(lines)} vs {len(cmds)}")
    for line, rec in zip(lines, cmds):
        want = "|".join([str(rec["frame"]), rec["cmd"],
                         "" if rec["trid"] is None else str(rec["trid"]), ",".join(rec["args"])])
        if line != want:
            problems.append(f"-T fields: {line!r} != {want!r}")
            break
    r = run(msnpdump, ["-T", "fields", "-r", login])
    expect("-T fields without -e", r.returncode == 1, r.returncode)
    # -E as tshark's: occurrence picks among a command's values, the
    # aggregator joins them, quotes go around a column with a value only,
    # the byte order mark and the header come first.
    args = ["-T", "fields", "-e", "frame.number", "-e", "msnp.arg", "-e", "msnp.msg.text",
            "-r", login]
    lines = run(msnpdump, args + ["-E", "occurrence=f"]).stdout.decode().splitlines()
    want = [f"{c['frame']}\t{c['args'][0] if c['args'] else ''}\t" for c in cmds]
    expect("-E occurrence=f", lines == want, lines[:2])
    lines = run(msnpdump, args + ["-E", "occurrence=l"]).stdout.decode().splitlines()
    want = [f"{c['frame']}\t{c['args'][-1] if c['args'] else ''}\t" for c in cmds]
    expect("-E occurrence=l", lines == want, lines[:2])
    lines = run(msnpdump, args + ["-E", "aggregator=/s", "-E", "quote=d", "-E", "separator=,"]
                ).stdout.decode().splitlines()
    want = [f'"{c["frame"]}",' + (f'"{" ".join(c["args"])}"' if c["args"] else "") + ","
            for c in cmds]
    expect("-E aggregator=/s quote=d separator=,", lines == want, lines[:2])
    out = run(msnpdump, args + ["-E", "bom=y", "-E", "header=y", "-E", "quote=s"]).stdout
    expect("-E bom=y header=y", out.startswith(
        b"\xef\xbb\xbfframe.number\tmsnp.arg\tmsnp.msg.text\n'"), out[:60])
    out = run(msnpdump, args + ["-E", "header=y", "-Y", 'msnp.cmd == "ZZZ"']).stdout
    expect("-E header=y with no command", out == b"frame.number\tmsnp.arg\tmsnp.msg.text\n", out)
    for bad in ["quote=x", "occurrence=2", "separator=", "separator=ab", "aggregator=",
                "bom=1", "header", "colour=y"]:
        r = run(msnpdump, args + ["-E", bad])
        expect(f"-E {bad} refused", r.returncode == 1 and b"bad value for -E" in r.stderr,
               (r.returncode, r.stderr[:80]))

    # gzip
    gz = os.path.join(work, "chat.pcap.gz")
    with open(chat, "rb") as src, gzip.open(gz, "wb") as dst:
        dst.write(src.read())
    expect("gzip input", records(msnpdump, ["-r", gz]) == records(msnpdump, ["-r", chat]))

    # several files vs mergecap
    if shutil.which("mergecap"):
        merged = os.path.join(work, "merged.pcap")
        subprocess.run(["mergecap", "-F", "pcap", "-w", merged, login, chat], check=True)
        a = records(msnpdump, ["-r", login, "-r", chat])
        b = records(msnpdump, ["-r", merged])
        expect("two -r files == mergecap", a == b and a, f"{len(a)} vs {len(b)} records")
    else:
        print("note: mergecap not installed; the merge check is skipped")

    # -t formats
    for fmt, pattern in (("e", r"^\s+\d+ 1057\d{6}\.\d{6} "), ("r", r"^\s+\d+ 0\.000000 "),
                         ("ud", r"^\s+\d+ 2003-07-03 15:\d\d:\d\d\.\d{6} ")):
        out = run(msnpdump, ["-t", fmt, "-r", login]).stdout.decode().splitlines()
        expect(f"-t {fmt}", out and re.match(pattern, out[0]), out[:1])
    r = run(msnpdump, ["-t", "x", "-r", login])
    expect("-t x", r.returncode == 1, r.returncode)

    # colour only when asked (the test's stdout is no terminal)
    plain = run(msnpdump, ["-r", login]).stdout
    colour = run(msnpdump, ["--color", "always", "-r", login]).stdout
    expect("--color auto off a terminal", b"\x1b[" not in plain)
    expect("--color always", b"\x1b[" in colour)
    expect("--color never", b"\x1b[" not in run(msnpdump, ["--color=never", "-r", login]).stdout)

    for p in problems:
        print(p)
    print(f"cli options: {len(FILTERS)} filters; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The ladder view (msnpdump ladder), checked on every sample and on a hostile capture.

- text: every line fits 100 terminal columns and carries no control character; every
  connection with a command is in exactly one diagram;
- mermaid: one ```mermaid sequenceDiagram block per diagram, participants declared, every
  message line well formed, capture text escaped (no raw ; # < > ` " % { } | in labels);
- svg: valid XML, root <svg>, nothing external (no href/src, no url() but #fragments, no
  @import), no <script>, <foreignObject>, <image>, <a> or <iframe>; for the known samples
  every command record (from -T jsonl) is drawn by a row of its connection's diagram, every
  reply whose request was seen says "↩ <request frame>", every chat peer has a lane;
- --session, -T/--format and their errors; keep-alive and run collapsing, the shared peer
  lane and the dispatch + notification server login in one diagram (hostile capture).

Usage: ladder_check.py MSNPDUMP MSNPGEN SAMPLES_DIR HOSTILE_SCENARIO WORKDIR
"""
import json
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

problems = []
SVG = "{http://www.w3.org/2000/svg}"


def expect(what, cond, detail=""):
    if not cond:
        problems.append(f"{what}: {detail}")
    return cond


def run(msnpdump, args):
    return subprocess.run([msnpdump, "-q"] + args, capture_output=True)


def columns(line):
    """Terminal columns: wide and full-width characters take 2, combining marks 0."""
    w = 0
    for c in line:
        if unicodedata.combining(c):
            continue
        w += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
    return w


def uids_of_title(title):
    """'C1+C2 login S1: ...' -> ['C1', 'C2']"""
    first = title.split(" ", 1)[0]
    return first.split("+") if re.fullmatch(r"C\d+(\+C\d+)*", first) else []


# ---- text ------------------------------------------------------------------

def check_text(name, out, records):
    text = out.decode("utf-8")
    headings = []
    for n, line in enumerate(text.splitlines(), 1):
        expect(f"{name} text line {n} fits 100 columns", columns(line) <= 100,
               f"{columns(line)}: {line}")
        bad = [c for c in line if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0]
        expect(f"{name} text line {n} has no control character", not bad, repr(line))
        if line.startswith("== "):
            headings.append(line[3:])
    drawn = [u for h in headings for u in uids_of_title(h)]
    expect(f"{name}: no connection in two diagrams", len(drawn) == len(set(drawn)), drawn)
    wanted = {r["uid"] for r in records if r["type"] == "command"}
    expect(f"{name}: every connection with commands is drawn", wanted <= set(drawn),
           f"missing {sorted(wanted - set(drawn))}")
    return headings


# ---- mermaid ---------------------------------------------------------------

MESSAGE = re.compile(r"^    (L\d+)(->>|-->>|-\))(L\d+): \[\d+(-\d+)?\] (.*)$")
NOTE = re.compile(r"^    Note over (L\d+)(,L\d+)?: (.*)$")
PARTICIPANT = re.compile(r"^    participant (L\d+) as (.+)$")
ENTITY = re.compile(r"#(\d+|[a-z]+);")


def escaped_label(s):
    """No raw Mermaid or HTML syntax left once the entity codes are taken out."""
    bare = ENTITY.sub("", s)
    return not any(c in bare for c in ';#<>`"%{}|')


def check_mermaid(name, out, ndiagrams):
    md = out.decode("utf-8")
    blocks = re.findall(r"```mermaid\n(.*?)```", md, re.S)
    expect(f"{name} mermaid: one block per diagram", len(blocks) == ndiagrams,
           f"{len(blocks)} blocks, {ndiagrams} diagrams")
    for b, block in enumerate(blocks):
        lines = block.splitlines()
        expect(f"{name} mermaid block {b} is a sequenceDiagram",
               lines and lines[0] == "sequenceDiagram", lines[:1])
        declared = set()
        for line in lines[1:]:
            m = PARTICIPANT.match(line)
            if m:
                declared.add(m.group(1))
                expect(f"{name} mermaid participant escaped", escaped_label(m.group(2)), line)
                continue
            m = MESSAGE.match(line) or NOTE.match(line)
            if not expect(f"{name} mermaid line well formed", m, line):
                continue
            ids = {m.group(1)} | ({m.group(3)} if MESSAGE.match(line) else
                                 ({m.group(2)[1:]} if m.group(2) else set()))
            expect(f"{name} mermaid lanes declared", ids <= declared, line)
            label = m.group(5) if MESSAGE.match(line) else m.group(3)
            expect(f"{name} mermaid label escaped", escaped_label(label), line)


# ---- svg -------------------------------------------------------------------

FORBIDDEN = {"script", "foreignObject", "image", "a", "iframe", "use", "object", "embed"}


def check_svg(name, out, ndiagrams):
    try:
        root = ET.fromstring(out)
    except ET.ParseError as e:
        expect(f"{name} svg is valid XML", False, str(e))
        return None
    expect(f"{name} svg root", root.tag == SVG + "svg", root.tag)
    for el in root.iter():
        local = el.tag.split("}")[-1]
        expect(f"{name} svg has no <{local}>", local not in FORBIDDEN)
        for k, v in el.attrib.items():
            key = k.split("}")[-1]
            expect(f"{name} svg: no external reference", key not in ("href", "src"), f"{k}={v}")
            targets = re.findall(r"url\(([^)]*)\)", v)
            expect(f"{name} svg: url() only to fragments",
                   all(u.startswith("#") for u in targets), f"{k}={v}")
            expect(f"{name} svg: no event handler attributes", not key.startswith("on"), k)
        if local == "style":
            css = el.text or ""
            expect(f"{name} svg style: nothing imported",
                   "@import" not in css and "url(" not in css)
    diagrams = [g for g in root.iter(SVG + "g") if g.get("class") == "diagram"]
    expect(f"{name} svg: one group per diagram", len(diagrams) == ndiagrams,
           f"{len(diagrams)} vs {ndiagrams}")
    return diagrams


def svg_model(diagrams):
    """uid -> (lanes: [title], rows: [(first, last, title)])"""
    model = {}
    for g in diagrams:
        title = "".join(t.text or "" for t in g.iter(SVG + "text") if t.get("class") == "title")
        lanes = [lane.findtext(SVG + "title") or "" for lane in g.iter(SVG + "g")
                 if lane.get("class") == "lane"]
        rows = []
        for r in g.iter(SVG + "g"):
            if not (r.get("class") or "").startswith("row "):
                continue
            t = r.findtext(SVG + "title") or ""
            m = re.match(r"frames? (\d+)(?:-(\d+))?: (.*)$", t, re.S)
            if m:
                rows.append((int(m.group(1)), int(m.group(2) or m.group(1)), m.group(3)))
        for uid in uids_of_title(title):
            model[uid] = (lanes, rows)
    return model


def check_coverage(name, records, model):
    """Every command drawn by a row of its diagram, replies paired, peers laned."""
    for r in records:
        if r["type"] != "command":
            continue
        lanes, rows = model.get(r["uid"], ([], []))
        f, cmd = r["frame"], r["cmd"]
        keepalive = cmd in ("PNG", "QNG")
        hit = [t for a, b, t in rows if a <= f <= b and
               (t.split(" ", 1)[0] == cmd or (keepalive and t.startswith("PNG \u21c4 QNG")))]
        if not expect(f"{name}: {r['uid']} frame {f} {cmd} has its row", hit):
            continue
        single = [t for a, b, t in rows if a == b == f and t.split(" ", 1)[0] == cmd]
        if "response_to" in r and single:  # collapsed rows pair their first line only
            expect(f"{name}: frame {f} names its request",
                   any(f"\u21a9 {r['response_to']}" in t for t in single), single)
    peers = {}
    for r in records:
        if r["type"] != "command" or r.get("role") != "SB" or r.get("dir") != "s2c":
            continue
        args = r.get("args", [])
        who = {"JOI": 0, "IRO": 2, "MSG": 0, "BYE": 0}.get(r["cmd"])
        if who is not None and len(args) > who and "@" in args[who]:
            peers.setdefault(r["uid"], set()).add(args[who])
    for uid, who in peers.items():
        lanes, _ = model.get(uid, ([], []))
        laned = {re.sub(r"^P\d+ = ", "", lane).split(" ", 1)[0] for lane in lanes
                 if re.match(r"P\d+ = ", lane)}
        if len(who) <= 6:
            expect(f"{name}: {uid} has a lane per chat peer", who <= laned, f"{who} vs {laned}")


# ---- the whole ----------------------------------------------------------------

def check_capture(msnpdump, name, path, coverage):
    r = run(msnpdump, ["-T", "jsonl", "-r", path])
    records = []
    if r.returncode in (0, 14):
        records = [json.loads(x) for x in r.stdout.decode().splitlines()]
    outs = {}
    for fmt in ("text", "mermaid", "svg"):
        res = run(msnpdump, ["ladder", "-T", fmt, "-r", path])
        expect(f"{name} ladder -T {fmt} exits 0 (or 14 on a cut capture)",
               res.returncode in (0, 14), f"{res.returncode}: {res.stderr.decode()[:300]}")
        outs[fmt] = res.stdout
    headings = check_text(name, outs["text"], records)
    check_mermaid(name, outs["mermaid"], len(headings))
    diagrams = check_svg(name, outs["svg"], len(headings))
    if diagrams is not None and coverage:
        check_coverage(name, records, svg_model(diagrams))
    return outs


def check_options(msnpdump, chat):
    def heads(args):
        r = run(msnpdump, ["ladder"] + args + ["-r", chat])
        expect(f"ladder {args} exits 0", r.returncode == 0, r.stderr.decode())
        return [l for l in r.stdout.decode().splitlines() if l.startswith("== ")]

    all_heads = heads([])
    one = heads(["--session", "C3"])
    expect("--session C3 draws C3 only", len(one) == 1 and one[0].startswith("== C3 "), one)
    two = heads(["--session=c2,C3"])
    expect("--session c2,C3 draws two", [h.split()[1] for h in two] == ["C2", "C3"], two)
    login = heads(["--session", "S1"])
    expect("--session S1 draws the login and its switchboards",
           login == all_heads and len(login) == 3, login)
    expect("--session C99 draws nothing", heads(["--session", "C99"]) == [])
    r = run(msnpdump, ["ladder", "--format", "svg", "-r", chat])
    expect("--format svg", r.returncode == 0 and r.stdout.startswith(b"<?xml"), r.stderr.decode())
    for bad in (["ladder", "--session", "X1"], ["ladder", "--session", "C"],
                ["ladder", "--session", "C1,"], ["ladder", "--session", "S99999999999"],
                ["chats", "--session", "C1"],
                ["ladder", "-T", "jsonl"], ["-T", "svg"], ["sessions", "-T", "mermaid"],
                ["ladder", "-T", "png"]):
        r = run(msnpdump, bad + ["-r", chat])
        expect(f"{bad} is a usage error (exit 1)", r.returncode == 1 and r.stderr, r.returncode)


def check_hostile(outs):
    text = outs["text"].decode("utf-8")
    expect("hostile: DS and NS connections draw one login",
           ("\n" + text).count("\n== C1+C2 login S1") == 1, text[:200])
    expect("hostile: keep-alives collapse into one arrow", "PNG \u21c4 QNG \u00d75" in text)
    expect("hostile: a run of presence lines collapses", re.search(r"NLN .*\u2026 \u00d74", text))
    expect("hostile: the seventh and later peers share the last lane",
           "P6 = p6@hotmail.com and 3 more" in text)
    expect("hostile: no escape character reaches the terminal", "\x1b" not in text)
    expect("hostile: the bidirectional override is escaped",
           "\u202e" not in text and "\\u{202e}" in text)
    md = outs["mermaid"].decode("utf-8")
    for block in re.findall(r"```mermaid\n(.*?)```", md, re.S):
        expect("hostile: no Mermaid directive inside a block", "%%" not in block)
    svg = outs["svg"].decode("utf-8")
    root = ET.fromstring(outs["svg"])
    titles = "".join(t.text or "" for t in root.iter(SVG + "text"))
    expect("hostile: markup from the capture is text in the SVG",
           "<script>alert(1)</script>" in titles)
    expect("hostile: no U+FFFE in the SVG", "\ufffe" not in svg)


def main():
    msnpdump, msnpgen, samples, scenario, work = sys.argv[1:6]
    os.makedirs(work, exist_ok=True)
    manifest = os.path.join(samples, "MANIFEST")
    captures = [l.split()[0] for l in open(manifest) if l.strip() and not l.startswith("#")]
    known = {"login.pcap", "chat.pcap", "filetransfer.pcap", "chat-messy.pcapng", "edge.pcap",
             "chat-ipv6.pcap"}
    for c in captures:
        check_capture(msnpdump, c, os.path.join(samples, c), c in known)
    hostile = os.path.join(work, "hostile.pcap")
    g = subprocess.run([msnpgen, scenario, "-o", hostile], capture_output=True)
    if expect("msnpgen makes the hostile capture", g.returncode == 0, g.stderr.decode()):
        check_hostile(check_capture(msnpdump, "hostile", hostile, True))
    check_options(msnpdump, os.path.join(samples, "chat.pcap"))
    for p in problems[:60]:
        print("FAIL", p)
    if problems:
        print(f"{len(problems)} problems")
        return 1
    print(f"ladder: {len(captures) + 1} captures checked in text, mermaid and svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())

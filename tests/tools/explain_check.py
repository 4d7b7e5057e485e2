#!/usr/bin/env python3
"""msnpdump's explain view: every command of every sample gets a specific meaning,
and `msnpdump explain CMD` gives the reference entry of every command.

Usage: explain_check.py MSNPDUMP CAPTURES_DIR COMMANDS_MD

An explanation is GENERIC, and the test fails naming it, when any of these holds:
  1. its meaning is empty or is the command's bare default: the one-line summary
     docs/commands.md gives for the command (the same for every line of it);
  2. it has no context clause (where the line stands: a procedure step, a position
     in a multi-line reply, or the session it belongs to);
  3. its exchange clause does not say how the line pairs, as the commands view's
     own pairing fields tell independently: a reply (response_to R) must name
     "frame R"; a server push (async) must say "server-initiated"; a client line
     must say what answers it ("request, answered by ...", "request; nothing
     answers it", "request; answered only if it fails"); any other server line
     must say its request is "not in the capture";
  4. it is a continuation (not the first line answering its request) and its
     context neither gives its place ("line N of the reply to the CMD in frame R",
     N >= 2) nor a procedure step; SYN-dump LST and LSG lines must count
     "contact i of n" / "group i of n" with n from the SYN reply and i in order;
  5. it is an error reply without the error table's glossary line (code, name and
     meaning as docs/commands.md lists them);
  6. it is an MSG whose content type the commands view decoded and no note names
     that content type; a client MSG without its acknowledgement mode;
  7. it is a client QRY whose verification (the commands view's qry.verified) the
     notes do not state;
  8. it presents a switchboard cookie (USR, ANS) or an MSNFTP AuthCookie whose
     XFR, RNG or ACCEPT came before it in the output, and the notes do not name
     that frame;
  9. it claims a procedure step and its context does not say "step N of M of".
"""
import json
import os
import re
import subprocess
import sys

failures = []


def fail(where, why):
    failures.append(f"{where}: {why}")


def unescape_md(s):
    s = s.replace("&lt;", "<").replace("&gt;", ">")
    return re.sub(r"\\(.)", r"\1", s)


def read_reference(path):
    """Summaries, form shapes and examples per command, and the error table,
    from docs/commands.md (generated from the tables by a separate program)."""
    summaries, shapes, examples, errors = {}, {}, {}, {}
    section = None
    in_errors = False
    with open(path, encoding="utf-8") as fp:
        for line in fp:
            line = line.rstrip("\n")
            m = re.match(r"^\| \[([A-Z]{3})\]\(#[a-z]{3}\) \|.*\| (.*) \|$", line)
            if m:
                summaries[m.group(1)] = unescape_md(m.group(2))
                continue
            m = re.match(r"^### ([A-Z]{3})$", line)
            if m:
                section = m.group(1)
                shapes[section], examples[section] = [], []
                continue
            if line.startswith("## "):
                section = None
                in_errors = line == "## Error codes"
                continue
            if section:
                m = re.match(r"^\d+\. `(.*)`  $", line)
                if m:
                    shapes[section].append(m.group(1))
                m = re.match(r"^\s+Example: `(.*)`$", line)
                if m:
                    examples[section].append(m.group(1))
            if in_errors:
                m = re.match(r"^\| (\d{3}) \| (.*?) \| (.*?) \|", line)
                if m:
                    errors[m.group(1)] = (unescape_md(m.group(2)), unescape_md(m.group(3)))
    return summaries, shapes, examples, errors


def run(msnpdump, args):
    return subprocess.run([msnpdump] + args, capture_output=True)


def jsonl(where, out):
    records = []
    for n, line in enumerate(out.decode("utf-8").splitlines(), 1):
        try:
            records.append(json.loads(line))
        except ValueError as e:
            fail(where, f"line {n} is not JSON: {e}")
    return records


def check_capture(msnpdump, capture, summaries, errors):
    name = os.path.basename(capture)
    ex = run(msnpdump, ["explain", "-q", "-T", "jsonl", "-r", capture])
    cv = run(msnpdump, ["-q", "-T", "jsonl", "-r", capture])
    if ex.returncode != cv.returncode:
        fail(name, f"explain exits {ex.returncode}, the commands view {cv.returncode}")
    explained = [r for r in jsonl(name, ex.stdout) if r.get("type") == "command"]
    commands = [r for r in jsonl(name, cv.stdout) if r.get("type") == "command"]
    if len(explained) != len(commands):
        fail(name, f"{len(explained)} explained commands, the commands view has {len(commands)}")
        return 0
    if not commands:
        fail(name, "no commands at all")
    # What the commands view says, to check the explanations against.
    answered = {}  # (uid, response_to) -> lines seen answering it
    cookie_origin = {}  # ("XFR"|"RNG"|"ACCEPT", cookie) -> frame, as far as read
    dump = {}  # uid -> [contacts, groups, contacts seen, groups seen]
    for e, c in zip(explained, commands):
        where = f"{name} frame {c['frame']} {c['uid']} {c['line'][:60]!r}"
        if (e["frame"], e["uid"], e["line"]) != (c["frame"], c["uid"], c["line"]):
            fail(where, f"explain has frame {e['frame']} {e['uid']} {e['line'][:40]!r} here")
            continue
        x = e.get("explain") or {}
        meaning, context = x.get("meaning", ""), x.get("context", "")
        exchange, notes = x.get("exchange", ""), x.get("notes", [])
        cmd, dirn, args = c["cmd"], c["dir"], c.get("args", [])
        # 1. not the bare default
        if not meaning or meaning == summaries.get(cmd):
            fail(where, f"generic meaning {meaning!r}")
        # 2. a context clause
        if not context:
            fail(where, "no context clause")
        # 3. the exchange agrees with the commands view's pairing
        if "response_to" in c:
            if not exchange.startswith("reply") or f"frame {c['response_to']}" not in exchange:
                fail(where, f"reply to frame {c['response_to']}, exchange says {exchange!r}")
        elif c.get("async"):
            if not exchange.startswith("server-initiated"):
                fail(where, f"server push, exchange says {exchange!r}")
        elif dirn == "c2s" or (c["role"] == "FTP" and dirn in ("c2s", "s2c")
                               and exchange.startswith("request")):
            if not re.match(r"request(, answered by \S|; nothing answers it|; answered only "
                            r"if it fails: \S)", exchange):
                fail(where, f"request without what answers it: {exchange!r}")
        elif dirn == "s2c":
            if "not in the capture" not in exchange:
                fail(where, f"unpaired server line, exchange says {exchange!r}")
        else:
            fail(where, f"direction {dirn}: nothing can be said of the exchange")
        # 4. continuations give their place
        if "response_to" in c:
            key = (c["uid"], c["response_to"])
            n = answered.get(key, 0)
            answered[key] = n + 1
            if n and not (context.startswith("step ") or
                          re.match(rf"line {n + 1} of the reply to the [A-Z]{{3}} in frame "
                                   rf"{c['response_to']}\b", context)):
                fail(where, f"line {n + 1} of a reply, context says {context!r}")
        if cmd == "SYN" and dirn == "s2c" and len(args) == 3:
            dump[c["uid"]] = [int(args[1]), int(args[2]), 0, 0]
        if c.get("trid") is None and cmd in ("LST", "LSG") and c["uid"] in dump:
            d = dump[c["uid"]]
            i = 2 if cmd == "LST" else 3
            d[i] += 1
            want = f"{'contact' if cmd == 'LST' else 'group'} {d[i]} of {d[i - 2]}"
            if want not in context:
                fail(where, f"dump line: expected {want!r} in {context!r}")
        # 5. errors with their glossary line
        if re.fullmatch(r"\d{3}", cmd):
            if cmd not in errors:
                fail(where, f"error {cmd} not in docs/commands.md")
            else:
                nm, mn = errors[cmd]
                if not any(f"error {cmd} ({nm}): {mn}" in n for n in notes):
                    fail(where, f"no glossary line for error {cmd} in {notes}")
        # 6. payload content and acknowledgement mode
        ctype = (c.get("mime") or {}).get("content_type")
        if cmd == "MSG" and ctype and not any(ctype in n for n in notes):
            fail(where, f"no note names the content type {ctype}")
        if cmd == "MSG" and dirn == "c2s" and args and \
                not any(f"acknowledgement mode {args[0]} " in n for n in notes):
            fail(where, f"no note on acknowledgement mode {args[0]}")
        # 7. QRY verified or not
        qry = c.get("qry")
        if qry and qry.get("verified") is True and not any("the answer verifies" in n
                                                           for n in notes):
            fail(where, "a verified QRY answer not said to verify")
        if qry and qry.get("verified") is False and not any("does not verify" in n
                                                            for n in notes):
            fail(where, "a wrong QRY answer not said to fail")
        # 8. cookies tied to where they came from
        origin = None
        if c["role"] == "SB" and dirn == "c2s" and cmd == "USR" and len(args) == 2:
            origin = cookie_origin.get(("XFR", args[1]))
        elif c["role"] == "SB" and dirn == "c2s" and cmd == "ANS" and len(args) == 3:
            origin = cookie_origin.get(("RNG", args[1]))
        elif c["role"] == "FTP" and cmd == "USR" and len(args) == 2:
            origin = cookie_origin.get(("ACCEPT", args[1]))
        if origin is not None and not any(f"in frame {origin} " in n for n in notes):
            fail(where, f"cookie handed out in frame {origin}, notes: {notes}")
        # Cookies handed out here, for the lines that present them later on.
        if cmd == "XFR" and dirn == "s2c" and len(args) >= 4 and args[0] == "SB":
            cookie_origin.setdefault(("XFR", args[3]), c["frame"])
        if cmd == "RNG" and len(args) >= 4:
            cookie_origin.setdefault(("RNG", args[3]), c["frame"])
        body = c.get("body") or ""
        if cmd == "MSG" and "Invitation-Command: ACCEPT" in body:
            m = re.search(r"AuthCookie: *(\S+)", body)
            if m:
                cookie_origin.setdefault(("ACCEPT", m.group(1)), c["frame"])
        # 9. steps
        step = x.get("step")
        if step and not context.startswith(f"step {step['number']} of {step['of']} of "):
            fail(where, f"step {step} but context {context!r}")
    return len(commands)


def check_text(msnpdump, capture):
    """The text form: every command line is followed by its clauses."""
    name = os.path.basename(capture)
    out = run(msnpdump, ["explain", "-q", "-r", capture]).stdout.decode("utf-8").splitlines()
    for i, line in enumerate(out):
        if re.match(r"^ *\d+ \S+ C\d+ +\S+ +[CS?]>[CS?] ", line) and " -- " in line:
            clauses = 0
            for nxt in out[i + 1:]:
                if not nxt.startswith(" " * 9) or re.match(r"^ *\d+ ", nxt):
                    break
                clauses += 1
            if clauses < 2:
                fail(name, f"text: {line[:70]!r} has {clauses} clause lines")


def check_reference(msnpdump, shapes, examples, errors):
    for cmd in sorted(shapes):
        r = run(msnpdump, ["explain", cmd])
        where = f"explain {cmd}"
        if r.returncode != 0:
            fail(where, f"exit {r.returncode}: {r.stderr.decode()[:200]}")
            continue
        text = r.stdout.decode("utf-8")
        for s in shapes[cmd]:
            if s not in text:
                fail(where, f"lacks its syntax {s!r}")
        for e in examples[cmd]:
            if e not in text:
                fail(where, f"lacks its example {e!r}")
        for needle in ("how it is answered:", "errors it can get:", "versions: ", "about it:"):
            if needle not in text:
                fail(where, f"lacks {needle!r}")
        j = run(msnpdump, ["explain", cmd, "-T", "jsonl"])
        recs = jsonl(where + " -T jsonl", j.stdout)
        if j.returncode != 0 or len(recs) != 1 or recs[0].get("cmd") != cmd:
            fail(where, f"-T jsonl: exit {j.returncode}, {len(recs)} records")
        elif [f["syntax"] for f in recs[0]["forms"]] != shapes[cmd]:
            fail(where, "-T jsonl: the forms' syntax differs from docs/commands.md")
        else:
            for err in recs[0]["errors"]:
                if str(err["code"]) not in errors:
                    fail(where, f"error {err['code']} is not in the error table")
    # Lower case is accepted; an error code gives its glossary line.
    r = run(msnpdump, ["explain", "usr"])
    if r.returncode != 0 or b"USR <TrID> TWN I <user>" not in r.stdout:
        fail("explain usr", f"exit {r.returncode}")
    r = run(msnpdump, ["explain", "911"])
    if r.returncode != 0 or f"error 911 ({errors['911'][0]})".encode() not in r.stdout:
        fail("explain 911", f"exit {r.returncode}: {r.stdout[:120]!r}")
    # Unknown topics and mixed uses are usage errors.
    for args in (["explain", "XYZ"], ["explain", "999"], ["explain", "US"],
                 ["explain", "USR", "-r", "/dev/null"]):
        r = run(msnpdump, args)
        if r.returncode != 1 or r.stdout or not r.stderr:
            fail(" ".join(args), f"exit {r.returncode}, stdout {r.stdout[:60]!r}")
    r = run(msnpdump, ["explain", "XYZ"])
    if b"'XYZ'" not in r.stderr:
        fail("explain XYZ", f"the message does not name it: {r.stderr!r}")


def main():
    msnpdump, captures, commands_md = sys.argv[1:4]
    summaries, shapes, examples, errors = read_reference(commands_md)
    if len(shapes) < 40 or len(errors) < 50:
        fail(commands_md, f"read {len(shapes)} commands and {len(errors)} errors")
    total = 0
    files = sorted(f for f in os.listdir(captures) if re.search(r"\.pcap(ng)?(\.gz)?$", f))
    for f in files:
        total += check_capture(msnpdump, os.path.join(captures, f), summaries, errors)
        check_text(msnpdump, os.path.join(captures, f))
    check_reference(msnpdump, shapes, examples, errors)
    for f in failures[:200]:
        print(f)
    print(f"explain_check: {len(files)} captures, {total} commands, {len(shapes)} reference "
          f"entries; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

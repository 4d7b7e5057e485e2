#!/usr/bin/env python3
"""msnpdump --redact: no credential of a capture reaches any output, and nothing else changes.

For every capture given (and for a capture built here with credentials planted where the
decoder cannot parse them: a line that fits no form, a line cut by the end of the stream,
bytes skipped after a gap):
- the secrets are found independently of msnpdump's redaction, from its unredacted
  `-T jsonl` records (Passport tickets of USR TWN S, hashes of MD5 logins, switchboard
  cookies of XFR/RNG/USR/ANS, MSNFTP AuthCookies, MSPAuth and MSPProf headers, invitation
  AuthCookie fields), plus the planted ones;
- every view in every format (read from `msnpdump --help`), the -w log set and --extract's
  file names are made with --redact: no secret appears in them, raw or escaped for JSON,
  HTML or the text view; without --redact the same secrets do appear (so this check can
  fail);
- the redacted output is the unredacted one but for the masks: the same number of lines,
  every changed stretch is mask bytes ('*', '#', digits); in the commands view record by
  record the same type, command, connection, login (sid), frame, arguments but the secret
  ones, MIME headers but the secret ones;
- equal secrets get equal masks and different secrets different ones (an XFR cookie and
  the switchboard USR that presents it still pair up).

Usage: redact_check.py MSNPDUMP WORKDIR CAPTURE...   (a CAPTURE that does not exist: exit 77)
"""
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

problems = []
MASK = re.compile(r"^\*+(#[0-9]+)?$")
# A mask as the views write it: '#' is "#35;" in Mermaid.
MASK_RUN = re.compile(r"\*+(?:(?:#35;|&#35;|#)[0-9]+)?")
SECRET_HEADERS = {"mspauth", "mspprof", "authcookie"}
FIELDS = ["frame.number", "msnp.command_line", "msnp.arg", "msnp.cookie", "msnp.ticket",
          "msnp.md5_hash", "msnp.response", "msnp.mime.header", "msnp.meaning",
          "msnp.anomaly_detail"]


def expect(what, cond, detail=""):
    if not cond:
        problems.append(f"{what}: {detail}")
    return cond


def run(msnpdump, args):
    r = subprocess.run([msnpdump] + args, capture_output=True)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def views_and_formats(msnpdump):
    """[(view, format)] as --help lists them: '  NAME  summary (-T a b c)'."""
    _, out, _ = run(msnpdump, ["--help"])
    block = out.split("Views:", 1)[1].split("Options:", 1)[0]
    pairs = []
    for line in block.splitlines():
        m = re.match(r"^  (\S+)\s.*\(-T ([a-z ]+)\)\s*$", line)
        if m:
            pairs += [(m.group(1), fmt) for fmt in m.group(2).split()]
    return pairs


# ---- secrets, found from the unredacted records ------------------------------------------

def secrets_of(records):
    """{secret: what} from the commands view's -T jsonl records, by the protocol reference
    (§3.1, §3.5, §5, §6.2, §6.3, §7) rather than by libmsnp's table."""
    found = {}

    def add(value, what):
        if value and not MASK.match(value):
            found.setdefault(value, what)

    for r in records:
        if r.get("type") != "command":
            continue
        cmd, args, role, d = r.get("cmd"), r.get("args") or [], r.get("role"), r.get("dir")
        if cmd == "USR" and len(args) >= 3 and args[0] in ("TWN", "MD5", "SSO") and args[1] == "S" \
                and d == "c2s":
            add(args[2], f"{args[0]} S credential")
            if args[0] == "SSO" and len(args) >= 4:
                add(args[3], "SSO response")
        elif cmd == "USR" and role == "SB" and d == "c2s" and len(args) == 2:
            add(args[1], "switchboard cookie (USR)")
        elif cmd == "USR" and role == "FTP" and r.get("trid") is None and len(args) == 2:
            add(args[1], "AuthCookie (MSNFTP USR)")
        elif cmd == "ANS" and d == "c2s" and len(args) == 3:
            add(args[1], "switchboard cookie (ANS)")
        elif cmd == "RNG" and len(args) >= 4 and args[2] == "CKI":
            add(args[3], "switchboard cookie (RNG)")
        elif cmd == "XFR" and len(args) >= 4 and args[0] == "SB" and args[2] == "CKI":
            add(args[3], "switchboard cookie (XFR)")
        headers = (r.get("mime") or {}).get("headers") or {}
        for name, value in headers.items():
            if name.lower() in SECRET_HEADERS:
                add(value.strip(), name)
        if (r.get("mime") or {}).get("content_type", "").lower() != "text/plain":
            for line in (r.get("body") or "").splitlines():
                name, sep, value = line.partition(":")
                if sep and name.strip().lower() in SECRET_HEADERS:
                    add(value.strip(), name.strip())
    return found


def spellings(secret):
    """The ways an output may write a secret: raw, JSON-escaped, HTML-escaped; and for the
    long random ones (tickets, MSPAuth) their pieces between punctuation."""
    forms = {secret, json.dumps(secret)[1:-1], html.escape(secret, quote=True),
             html.escape(secret, quote=False)}
    if len(secret) >= 40:
        forms |= {p for p in re.split(r"[^A-Za-z0-9]+", secret) if len(p) >= 16}
    return forms


def leaks(text, secrets):
    return sorted({s for s in secrets for f in spellings(s) if f in text})


# ---- comparisons ---------------------------------------------------------------------------

def changed_stretches_are_masks(plain, redacted):
    """The redacted text is the plain one with some stretches replaced by masks: read
    each mask of the redacted text as 'something', the rest literally."""
    if plain == redacted:
        return True
    parts = MASK_RUN.split(redacted)
    if len(parts) == 1:
        return False
    pattern = "(?:.+?)".join(re.escape(p) for p in parts)
    return re.fullmatch(pattern, plain, re.S) is not None


def compare_text(what, plain, redacted):
    a, b = plain.splitlines(), redacted.splitlines()
    if not expect(f"{what}: as many lines redacted as not", len(a) == len(b), f"{len(a)} vs {len(b)}"):
        return
    bad = [(x, y) for x, y in zip(a, b) if not changed_stretches_are_masks(x, y)]
    expect(f"{what}: only masks differ", not bad, bad[:1])


def compare_records(what, plain, redacted, secrets):
    """The commands view's records, field by field."""
    if not expect(f"{what}: record count", len(plain) == len(redacted),
                  f"{len(plain)} vs {len(redacted)}"):
        return {}
    unfitted = {(r.get("uid"), r.get("frame")) for r in plain
                if r.get("type") == "anomaly" and r.get("kind") == "unexpected_syntax"}
    masks = {}
    for a, b in zip(plain, redacted):
        same = ("type", "cmd", "uid", "sid", "frame", "role", "dir", "trid", "response_to",
                "async", "payload_len", "kind", "bytes", "end")
        diff = [k for k in same if a.get(k) != b.get(k)]
        if not expect(f"{what}: frame {a.get('frame')} keeps {same}", not diff, diff):
            continue
        expect(f"{what}: frame {a.get('frame')} has the same fields", a.keys() == b.keys(),
               sorted(set(a) ^ set(b)))
        if a.get("type") != "command":
            for k in ("sample", "detail"):
                if k in a:
                    expect(f"{what}: frame {a['frame']} {k}", changed_stretches_are_masks(a[k], b[k]),
                           (a[k], b[k]))
            continue
        expect(f"{what}: frame {a['frame']} line length", len(a["line"]) == len(b["line"]),
               (a["line"], b["line"]))
        args_a, args_b = a.get("args", []), b.get("args", [])
        expect(f"{what}: frame {a['frame']} argument count", len(args_a) == len(args_b))
        for x, y in zip(args_a, args_b):
            if x == y:
                expect(f"{what}: frame {a['frame']} secret argument {x!r} masked", x not in secrets)
                continue
            masked = bool(MASK.match(y)) and len(x) == len(y)
            expect(f"{what}: frame {a['frame']} argument {x!r} -> {y!r} is a mask", masked)
            expect(f"{what}: frame {a['frame']} masks only secrets",
                   x in secrets or (a["uid"], a["frame"]) in unfitted, x)
            if masked and x in secrets:
                masks.setdefault(x, set()).add(y)
        ha = (a.get("mime") or {}).get("headers") or {}
        hb = (b.get("mime") or {}).get("headers") or {}
        expect(f"{what}: frame {a['frame']} MIME header names", list(ha) == list(hb))
        for name in ha:
            if name.lower() in SECRET_HEADERS and ha[name]:
                expect(f"{what}: frame {a['frame']} {name} masked", MASK.match(hb.get(name, "")),
                       hb.get(name))
                masks.setdefault(ha[name], set()).add(hb.get(name))
            else:
                expect(f"{what}: frame {a['frame']} {name} kept", ha[name] == hb.get(name))
        if "body" in a:
            expect(f"{what}: frame {a['frame']} body", changed_stretches_are_masks(a["body"], b["body"]))
        if "meaning" in a:
            expect(f"{what}: frame {a['frame']} meaning",
                   changed_stretches_are_masks(a["meaning"], b["meaning"]))
    return masks


def check_masks_pair_up(what, masks):
    """Equal secrets, equal masks; different secrets, different masks."""
    owner = {}
    for secret, ms in masks.items():
        expect(f"{what}: one mask for {secret!r}", len(ms) == 1, sorted(ms))
        for m in ms:
            if "#" in m:
                expect(f"{what}: mask {m} stands for one secret", owner.setdefault(m, secret) == secret,
                       (owner.get(m), secret))


# ---- one capture ---------------------------------------------------------------------------

def check_capture(msnpdump, capture, work, pairs, planted):
    name = os.path.basename(capture)
    code, out, err = run(msnpdump, ["-q", "-T", "jsonl", "-r", capture])
    if not expect(f"{name}: jsonl exit", code == 0, err[-300:]):
        return {}
    plain_records = [json.loads(line) for line in out.splitlines()]
    secrets = secrets_of(plain_records)
    for s in planted:
        secrets.setdefault(s, "planted")
    code, out_r, err_r = run(msnpdump, ["-q", "--redact", "-T", "jsonl", "-r", capture])
    red_records = [json.loads(line) for line in out_r.splitlines()]
    masks = compare_records(f"{name} commands jsonl", plain_records, red_records, secrets)
    check_masks_pair_up(f"{name} commands jsonl", masks)

    def one(pair):
        view, fmt = pair
        extra = [x for f in FIELDS for x in ("-e", f)] if fmt == "fields" else []
        base = [view, "-T", fmt] + extra + ["-r", capture]
        return pair, run(msnpdump, base), run(msnpdump, ["--redact"] + base)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, pairs))
    seen_plain = set()
    for (view, fmt), (c1, o1, e1), (c2, o2, e2) in results:
        what = f"{name} {view} -T {fmt}"
        expect(f"{what}: exit status", c1 == c2 == 0, (c1, c2, e2[-200:]))
        bad = leaks(o2 + e2, secrets)
        expect(f"{what}: no secret in the redacted output", not bad, bad[:3])
        seen_plain.update(leaks(o1, secrets))
        compare_text(what, o1, o2)
        expect(f"{what}: the same summary", e1 == e2, (e1[-200:], e2[-200:]))

    # The log set, and the names --extract writes.
    logs = {}
    for flag in ("", "--redact"):
        d = os.path.join(work, name + (".logs-redacted" if flag else ".logs"))
        shutil.rmtree(d, ignore_errors=True)
        code, _, err = run(msnpdump, ["-q", "-w", d, "-r", capture] + ([flag] if flag else []))
        expect(f"{name} -w {flag}: exit", code == 0, err[-200:])
        logs[flag] = {f: open(os.path.join(d, f), encoding="utf-8", errors="replace").read()
                      for f in sorted(os.listdir(d))} if code == 0 else {}
    for log, text in logs.get("--redact", {}).items():
        bad = leaks(text, secrets)
        expect(f"{name} -w {log}: no secret", not bad, bad[:3])
        compare_text(f"{name} -w {log}", logs[""].get(log, ""), text)
        seen_plain.update(leaks(logs[""].get(log, ""), secrets))
    ext = os.path.join(work, name + ".extract")
    shutil.rmtree(ext, ignore_errors=True)
    run(msnpdump, ["-q", "invites", "--redact", "--extract", ext, "-r", capture])
    names = " ".join(os.listdir(ext)) if os.path.isdir(ext) else ""
    expect(f"{name} --extract: no secret in file names", not leaks(names, secrets))

    # Without --redact the secrets are there: the checks above could have failed.
    missing = sorted(set(secrets) - seen_plain)
    expect(f"{name}: every secret appears in some unredacted output", not missing, missing[:3])
    return secrets


# ---- a capture with credentials where the parser cannot place them ----------------------

def pcap_with_planted_secrets(path):
    """One NS connection, Ethernet/IPv4, checksums zero. (The HTTP gateway's anomalies
    show only the first line of a head, so its credential headers never reach an output.)"""
    planted = []

    def secret(tag):
        s = f"SeCrEt{tag}x{len(planted):02d}Zq9Wv"
        planted.append(s)
        return s

    ns_c2s = ("VER 1 MSNP8 CVR0\r\n"
              "USR 2 TWN I alice@example.com\r\n"
              f"USR 3 TWN S t={secret('ticket')}&p={secret('p')}\r\n"
              # fits no form: one argument too many
              f"USR 4 TWN S t={secret('tick2')}&p=X {secret('extra')}\r\n"
              # a switchboard command on a notification server
              f"ANS 5 alice@example.com {secret('anscookie')} 1234\r\n")
    ns_c2s_tail = f"USR 9 TWN S t={secret('cut')}&p=Y"  # the stream ends inside this line
    profile = ("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile; charset=UTF-8\r\n"
               f"LoginTime: 1057244402\r\nsid: 507\r\nkv: 5\r\nMSPAuth: {secret('mspauth')}\r\n"
               f"MSPProf: {secret('mspprof')}\r\nClientIP: 192.0.2.7\r\n\r\n")
    ns_s2c = ("VER 1 MSNP8 CVR0\r\n"
              "USR 2 TWN S lc=1033,id=507,tw=40,fs=1,ct=1057244400,kpp=1,kv=5,tpf=0123abcd\r\n"
              "USR 3 OK alice@example.com Alice 1 0\r\n"
              f"MSG Hotmail Hotmail {len(profile)}\r\n{profile}"
              f"XFR 7 SB 192.0.2.80:1863 CKI {secret('xfr')}\r\n")
    # After a gap the decoder skips to the next command line: the skipped bytes start
    # with a header line carrying a secret.
    lost = "MSG Hotmail Hotmail 100\r\nMIME-Ver"
    skipped = f"AuthCookie: {secret('skipped')}\r\nTypingUser: nobody@example.com\r\n"
    after = "QNG\r\n"

    frames = []
    t = [1057244400.0]

    def packet(src, dst, sport, dport, seq, ack, flags, data=b""):
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                          5 << 4, flags, 65535, 0, 0)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(data), 0, 0, 64, 6, 0,
                         bytes(src), bytes(dst))
        eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
        t[0] += 0.01
        frames.append((t[0], eth + ip + tcp + data))

    def connection(cport, sport, c2s_parts, s2c_parts, gap_after=None):
        cli, srv = [10, 0, 0, 1], [10, 0, 0, 2]
        cseq, sseq = 1000, 5000
        packet(cli, srv, cport, sport, cseq, 0, 0x02)
        packet(srv, cli, sport, cport, sseq, cseq + 1, 0x12)
        cseq += 1
        sseq += 1
        for i in range(max(len(c2s_parts), len(s2c_parts))):
            if i < len(c2s_parts):
                data = c2s_parts[i].encode()
                packet(cli, srv, cport, sport, cseq, sseq, 0x18, data)
                cseq += len(data)
            if i < len(s2c_parts):
                data = s2c_parts[i].encode()
                if gap_after is not None and i == gap_after:
                    sseq += len(data)  # never sent: the capture lost it
                else:
                    packet(srv, cli, sport, cport, sseq, cseq, 0x18, data)
                    sseq += len(data)
        packet(cli, srv, cport, sport, cseq, sseq, 0x11)
        packet(srv, cli, sport, cport, sseq, cseq + 1, 0x11)

    connection(40000, 1863, [ns_c2s, ns_c2s_tail], [ns_s2c, lost, skipped + after], gap_after=1)
    with open(path, "wb") as fp:
        fp.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for ts, data in frames:
            fp.write(struct.pack("<IIII", int(ts), int((ts % 1) * 1e6), len(data), len(data)))
            fp.write(data)
    return planted


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    msnpdump, work, captures = sys.argv[1], sys.argv[2], sys.argv[3:]
    missing = [c for c in captures if not os.path.exists(c)]
    if missing:
        print(f"SKIP: {', '.join(missing)} not here")
        return 77
    os.makedirs(work, exist_ok=True)
    pairs = views_and_formats(msnpdump)
    expect("--help lists views and formats", len(pairs) >= 8, pairs)
    planted_path = os.path.join(work, "planted-secrets.pcap")
    planted = pcap_with_planted_secrets(planted_path)
    kinds = {}
    for capture in captures + [planted_path]:
        found = check_capture(msnpdump, capture, work, pairs,
                              planted if capture == planted_path else [])
        for s, what in found.items():
            kinds.setdefault(what.split(" (")[0], set()).add(s)
        print(f"{os.path.basename(capture)}: {len(found)} secrets")
    # The extraction itself found each kind somewhere (the samples have them all).
    if len(captures) > 1:
        for kind in ("TWN S credential", "switchboard cookie", "AuthCookie", "MSPAuth"):
            expect(f"the captures hold a {kind}", kind in kinds, sorted(kinds))
    for p in problems[:40]:
        print("FAIL:", p)
    if problems:
        print(f"{len(problems)} problems")
        return 1
    print(f"OK: {len(captures) + 1} captures, {len(pairs)} view formats, -w and --extract")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The correlation views (chats, sessions, invites) against what the scenarios say.

- both-legs.msnp (generated here by msnpgen): one conversation seen on both of its legs.
  Every message, typing notification and invitation message is reported once, with the
  frames of both legs; the same words sent twice are two messages; both legs are tied to
  their logins (XFR and RNG cookies); the transfer is tied to its invitation by AuthCookie,
  its MD5 is the generator's file's, and --extract writes that file byte for byte.
- filetransfer.pcap: the extracted file is the committed notes.txt, byte for byte; the
  declined invitation is reported as declined with its Cancel-Code.
- filetransfer-loss.pcap: the transfer lost data, so it is not "transferred" and has no MD5.
- a transfer whose invitation is not in the capture (a scenario written here: the MSNFTP
  connection alone) is reported on its own, with its connection's frames and time.
- chat.pcap: messages have their senders and recipients from the rosters; a third party's
  join and the server dropping someone are reported.
- every record of every view is one valid JSON object; text views contain no raw control
  characters.

Usage: views_check.py MSNPDUMP MSNPGEN SAMPLES_DIR SCENARIOS_DIR WORKDIR
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

problems = []


def expect(what, cond, detail=""):
    if not cond:
        problems.append(f"{what}: {detail}")


def view(msnpdump, name, capture, *extra, jsonl=True):
    args = [msnpdump, "-q", name] + (["-T", "jsonl"] if jsonl else []) + list(extra) + ["-r", capture]
    r = subprocess.run(args, capture_output=True)
    if r.returncode != 0:
        problems.append(f"{name} on {capture}: exit {r.returncode}: {r.stderr.decode()}")
        return []
    if not jsonl:
        text = r.stdout.decode("utf-8")
        bad = [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f]
        expect(f"{name} text on {capture} has no control characters", not bad, bad[:5])
        return text
    return [json.loads(line) for line in r.stdout.decode("utf-8").splitlines()]


def md5(path):
    with open(path, "rb") as fp:
        return hashlib.md5(fp.read()).hexdigest()


def check_both_legs(msnpdump, msnpgen, scenarios, work):
    cap = os.path.join(work, "both-legs.pcap")
    files = os.path.join(work, "both-legs.files")
    shutil.rmtree(files, ignore_errors=True)
    subprocess.run([msnpgen, os.path.join(scenarios, "both-legs.msnp"), "-o", cap,
                    "--files", files], check=True, capture_output=True)
    chats = view(msnpdump, "chats", cap)
    msgs = [r for r in chats if r["type"] == "message"]
    expect("both legs: messages", len(msgs) == 4, len(msgs))
    for m in msgs:
        expect("both legs: a message on 2 legs", len(m["frames"]) == 2 and len(m["uids"]) == 2, m)
        expect("both legs: recipients", m["to"] == (["bob@hotmail.com"]
               if m["from"] == "alice@hotmail.com" else ["alice@hotmail.com"]), m)
    texts = [m["text"] for m in msgs]
    expect("both legs: texts", texts == ["Hi Bob, I have the photos from Saturday.",
                                         "Great, send them over!", "ok", "ok"], texts)
    typing = [r for r in chats if r["type"] == "typing"]
    expect("both legs: one typing notification", len(typing) == 1 and len(typing[0]["frames"]) == 2,
           typing)
    invites = [r for r in chats if r["type"] == "invitation"]
    expect("both legs: three invitation messages", [i["command"] for i in invites] ==
           ["INVITE", "ACCEPT", "ACCEPT"], invites)

    sessions = view(msnpdump, "sessions", cap)
    sbs = [r for r in sessions if r["type"] == "switchboard"]
    expect("both legs: one conversation", len(sbs) == 1, sbs)
    if sbs:
        links = sorted(leg["linked_by"] for leg in sbs[0]["legs"])
        expect("both legs: legs linked by their cookies", links == ["RNG cookie", "XFR cookie"],
               links)
        expect("both legs: counts", sbs[0]["messages"] == 4 and sbs[0]["typing"] == 1, sbs[0])
    logins = {r["sid"]: r for r in sessions if r["type"] == "login"}
    expect("both legs: logins", sorted(r.get("user", "") for r in logins.values()) ==
           ["alice@hotmail.com", "bob@hotmail.com"], logins)

    out = os.path.join(work, "both-legs.extract")
    shutil.rmtree(out, ignore_errors=True)
    inv = view(msnpdump, "invites", cap, "--extract", out)
    expect("both legs: one invitation", len(inv) == 1, inv)
    if inv:
        i = inv[0]
        want = md5(os.path.join(files, "saturday.jpg"))
        expect("both legs: transferred", i["outcome"] == "transferred" and i["md5"] == want
               and i["bytes"] == 3000 and i["size"] == 3000, i)
        expect("both legs: extracted", "extracted" in i and
               md5(i["extracted"]) == want and os.path.basename(i["extracted"]).endswith(
                   "saturday.jpg"), i)
    view(msnpdump, "chats", cap, jsonl=False)


def check_filetransfer(msnpdump, samples, work):
    out = os.path.join(work, "ft.extract")
    shutil.rmtree(out, ignore_errors=True)
    inv = view(msnpdump, "invites", os.path.join(samples, "filetransfer.pcap"), "--extract", out)
    done = [i for i in inv if i["outcome"] == "transferred"]
    expect("filetransfer: one transfer", len(done) == 1, inv)
    if done:
        sent = os.path.join(samples, "filetransfer.files", "notes.txt")
        with open(sent, "rb") as a, open(done[0]["extracted"], "rb") as b:
            expect("filetransfer: extracted file is the sent file", a.read() == b.read())
        expect("filetransfer: tied by AuthCookie", done[0].get("ftp_uid") and done[0].get("sid"),
               done[0])
    declined = [i for i in inv if i["outcome"] == "declined"]
    expect("filetransfer: the declined invitation", len(declined) == 1 and
           declined[0].get("cancel_code") == "REJECT", inv)

    lossy = view(msnpdump, "invites", os.path.join(samples, "filetransfer-loss.pcap"))
    ft = [i for i in lossy if i.get("ftp_uid")]
    expect("filetransfer-loss: the transfer is not complete",
           ft and all(i["outcome"] != "transferred" and "md5" not in i for i in ft), lossy)
    view(msnpdump, "invites", os.path.join(samples, "filetransfer.pcap"), jsonl=False)


ORPHAN_SCENARIO = """format pcap
link ethernet
seed 3
start 2003-07-03T15:30:09Z
delay 0.020
conn ft 198.51.100.20:2051 192.0.2.10:6891 local=server rtt=0.060
ft > VER MSNFTP
ft < VER MSNFTP
ft > USR bob@hotmail.com 1927433
ft < FIL 3000
ft > TFR
ft <msnftp notes.txt 3000
ft > BYE 16777989
fin ft client
"""


def check_orphan_transfer(msnpdump, msnpgen, work):
    scenario = os.path.join(work, "orphan-transfer.msnp")
    cap = os.path.join(work, "orphan-transfer.pcap")
    with open(scenario, "w") as fp:
        fp.write(ORPHAN_SCENARIO)
    subprocess.run([msnpgen, scenario, "-o", cap], check=True, capture_output=True)
    commands = view(msnpdump, "commands", cap)
    frames = [r["frame"] for r in commands if r["type"] == "command"]
    inv = view(msnpdump, "invites", cap)
    expect("orphan transfer: one record", len(inv) == 1, inv)
    if inv and frames:
        i = inv[0]
        expect("orphan transfer: transferred, no inviter", i["outcome"] == "transferred" and
               i["bytes"] == 3000 and "from" not in i and i.get("auth_cookie") == "1927433", i)
        expect("orphan transfer: the connection's first and last command frames",
               (i["first_frame"], i["last_frame"]) == (min(frames), max(frames)), i)
    text = view(msnpdump, "invites", cap, jsonl=False)
    expect("orphan transfer: text at the transfer's time",
           text.startswith("# 2003-07-03 (times are UTC)\n[15:30:09.") and "1970" not in text,
           text[:200])


def check_chat(msnpdump, samples):
    cap = os.path.join(samples, "chat.pcap")
    chats = view(msnpdump, "chats", cap)
    msgs = [r for r in chats if r["type"] == "message"]
    expect("chat: every message has a sender", all(m.get("from") for m in msgs), msgs)
    erin = [m for m in msgs if m["from"] == "erin@hotmail.com"]
    expect("chat: erin writes to everyone present", erin and sorted(erin[0]["to"]) ==
           ["alice@hotmail.com", "carol@msn.com", "dave@hotmail.com"], erin)
    dropped = [r for r in chats if r["type"] == "leave" and r.get("reason")]
    expect("chat: dave dropped by the server", [r["user"] for r in dropped] ==
           ["dave@hotmail.com"], dropped)
    formatted = [m for m in msgs if "format" in m]
    expect("chat: X-MMS-IM-Format decoded", formatted and
           formatted[0]["format"].get("font") == "Arial" and
           formatted[0]["format"].get("color") == "#ff0000", formatted[:1])
    text = view(msnpdump, "chats", cap, jsonl=False)
    expect("chat: text transcript", re.search(r"alice@hotmail\.com \u2192 bob@hotmail\.com: Hi Bob",
                                              text), text[:300])


def main():
    msnpdump, msnpgen, samples, scenarios, work = sys.argv[1:6]
    os.makedirs(work, exist_ok=True)
    check_both_legs(msnpdump, msnpgen, scenarios, work)
    check_filetransfer(msnpdump, samples, work)
    check_orphan_transfer(msnpdump, msnpgen, work)
    check_chat(msnpdump, samples)
    for p in problems:
        print(p)
    print(f"views: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

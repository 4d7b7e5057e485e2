#!/usr/bin/env python3
"""The users view against the samples' ground truth, and on captures that attack it.

Samples: for every capture of samples/captures/MANIFEST, every notification-server
connection of its truth is replayed through a model written here from the protocol
reference (§3.1-§3.3): the SYN dump (GTC, BLP, PRP, LSG, LST and the BPR lines after
each LST), the list edits the server confirms (an error reply changes nothing), the
CHG exchanges and the ILN/NLN/FLN lines. The view's record for that connection must
say the same: account and friendly name, the announced and received dump counts, the
groups, every listed contact with its lists, groups, name and phone properties, the own
properties and GTC/BLP, the edits with their results and error codes, the status
changes and the presence timeline in order; nothing dropped. Connections whose lines
the capture lost are only required to have a record. Every record is one valid JSON
object, every text line safe for a terminal, and there is one record per NS connection.

Hostile: tests/hostile/scenarios/control-bytes.msnp (escape sequences in nicknames and
group names): the text output is terminal-safe and the JSON keeps the decoded bytes.

Usage: users_check.py MSNPDUMP MSNPGEN CAPTURES HOSTILE_SCENARIO WORKDIR
       users_check.py --real MSNPDUMP CAPTURE   (a real capture; exit 77 when absent)
"""
import os
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "hostile"))
from check_truth import connection_uids, parse_truth, unescape  # noqa: E402
from output_checks import jsonl_problems, records as json_records, text_problems  # noqa: E402

LIST_BITS = (("FL", 1), ("AL", 2), ("BL", 4), ("RL", 8))
PROPERTIES = ("PHH", "PHW", "PHM", "MOB", "MBE", "MFN", "WWE")
DUMP_COMMANDS = ("GTC", "BLP", "PRP", "LSG", "LST", "BPR")
EDIT_COMMANDS = ("ADD", "REM", "ADG", "RMG", "REG", "REA", "PRP", "GTC", "BLP")

failures = []


def expect(what, cond, detail=""):
    if not cond:
        failures.append(f"{what}{': ' + detail if detail else ''}")
    return cond


def decode(s):
    return urllib.parse.unquote_to_bytes(s).decode("utf-8", errors="replace")


def run(msnpdump, *args):
    r = subprocess.run([msnpdump, "-q"] + list(args), capture_output=True)
    return r.returncode, r.stdout


# ---- the model ------------------------------------------------------------------------


class Login:
    def __init__(self):
        self.account = None
        self.nick = None
        self.version = None
        self.announced = None
        self.received = [0, 0]
        self.dump_open = False
        self.last_lst = None
        self.gtc = self.blp = None
        self.props = {}
        self.groups = {}
        self.contacts = {}  # account (lower case) -> dict
        self.edits = []     # [cmd, result, error]
        self.status = []    # [status, result, error]
        self.presence = []  # (cmd, account, status)
        self.pending = {}   # trid -> (cmd, entry)

    def contact(self, account):
        return self.contacts.setdefault(account.lower(), {
            "account": account, "nick": None, "lists": 0, "groups": set(), "phones": {},
            "listed": False})

    def dump_line(self, t):
        cmd = t[0]
        if cmd == "LST":
            self.received[0] += 1
            self.last_lst = None
            if t[1].startswith("N="):
                return  # a later version's form: not read
            c = self.contact(t[1])
            c.update(nick=decode(t[2]), lists=int(t[3]), listed=True,
                     groups={int(g) for g in t[4].split(",")} if len(t) > 4 else set())
            self.last_lst = c
        elif cmd == "LSG":
            self.received[1] += 1
            if t[1].isdigit():
                self.groups[int(t[1])] = decode(t[2])
        elif cmd == "BPR":
            if self.last_lst is not None:
                set_prop(self.last_lst["phones"], t[1:])
        elif cmd == "PRP":
            set_prop(self.props, t[1:])
            if t[1] == "MFN" and len(t) > 2:
                self.nick = decode(t[2])
        elif cmd == "GTC":
            self.gtc = t[1]
        elif cmd == "BLP":
            self.blp = t[1]

    def reply(self, t, pending_entry):
        """A confirmed edit (or one the server pushes): change the list."""
        cmd = t[0]
        if pending_entry is not None:
            pending_entry[1] = "done"
        else:
            self.edits.append([cmd, "done", 0])
        if cmd == "BPR":  # BPR ver user prop [value]
            self.version = int(t[1])
            c = self.contacts.get(t[2].lower())
            if c:
                set_prop(c["phones"], t[3:])
            return
        self.version = int(t[2]) if cmd not in ("ADD", "REM") else int(t[3])
        if cmd == "ADD":
            bit = dict(LIST_BITS)[t[2]]
            c = self.contact(t[4])
            c["lists"] |= bit
            c["listed"] = True
            if bit == 1 and len(t) > 6:
                c["groups"].add(int(t[6]))
            if bit == 1 or c["nick"] is None:
                c["nick"] = decode(t[5])
        elif cmd == "REM":
            bit = dict(LIST_BITS)[t[2]]
            c = self.contacts.get(t[4].lower())
            if c is None:
                return
            if bit == 1 and len(t) > 5:
                c["groups"].discard(int(t[5]))
                return
            c["lists"] &= ~bit
            if bit == 1:
                c["groups"] = set()
        elif cmd in ("ADG", "REG"):
            name, gid = (t[3], t[4]) if cmd == "ADG" else (t[4], t[3])
            self.groups[int(gid)] = decode(name)
        elif cmd == "RMG":
            gid = int(t[3])
            self.groups.pop(gid, None)
            for c in self.contacts.values():
                if gid in c["groups"]:
                    c["groups"].discard(gid)
                    if not c["groups"]:
                        c["lists"] &= ~1
        elif cmd == "REA":
            if self.account and t[3].lower() == self.account.lower():
                self.nick = decode(t[4])
            elif t[3].lower() in self.contacts:
                self.contacts[t[3].lower()]["nick"] = decode(t[4])
        elif cmd == "PRP":
            set_prop(self.props, t[3:])
            if t[3] == "MFN" and len(t) > 4:
                self.nick = decode(t[4])
        elif cmd == "GTC":
            self.gtc = t[3]
        elif cmd == "BLP":
            self.blp = t[3]

    def line(self, direction, text):
        t = text.split(" ")
        cmd = t[0]
        if direction == "s2c" and self.dump_open:
            is_dump = cmd in DUMP_COMMANDS and (
                len(t) < 7 if cmd == "LSG" else not (len(t) > 1 and t[1].isdigit()))
            if is_dump:
                self.dump_line(t)
                return
            self.dump_open = False
            self.last_lst = None
        if direction == "c2s":
            if cmd == "USR" and len(t) == 5 and t[3] == "I" and self.account is None:
                self.account = t[4]
            elif cmd == "CVR" and len(t) == 10 and self.account is None:
                self.account = t[9]
            elif cmd in EDIT_COMMANDS and len(t) > 1 and t[1].isdigit():
                entry = [cmd, "no reply", 0]
                self.edits.append(entry)
                self.pending[t[1]] = (cmd, entry)
            elif cmd == "CHG":
                entry = [t[2], "no reply", 0]
                self.status.append(entry)
                self.pending[t[1]] = (cmd, entry)
            return
        if cmd[:1].isdigit():
            req = self.pending.pop(t[1], None) if len(t) > 1 else None
            if req:
                req[1][1:] = ["failed", int(cmd)]
            return
        if cmd == "USR" and len(t) >= 5 and t[2] == "OK":
            self.account = t[3]
            if len(t) == 7:
                self.nick = decode(t[4])
        elif cmd == "SYN" and len(t) in (5, 6) and t[-1].isdigit() and t[-2].isdigit():
            # MSNP10+ stamps the list with two times instead of a version number
            if len(t) == 5:
                self.version = int(t[2])
            self.announced = (int(t[-2]), int(t[-1]))
            self.received = [0, 0]
            self.groups, self.props, self.gtc, self.blp = {}, {}, None, None
            for c in self.contacts.values():
                c.update(lists=0, groups=set(), phones={}, listed=False)
            self.dump_open = True
        elif cmd == "SYN" and len(t) == 3:
            self.version = int(t[2])
        elif cmd == "CHG":
            req = self.pending.pop(t[1], None) if t[1] != "0" else None
            if req and req[0] == "CHG":
                req[1][0:2] = [t[2], "done"]
            else:
                self.status.append([t[2], "done", 0])
        elif cmd in ("ILN", "NLN", "FLN"):
            at = {"ILN": (3, 2), "NLN": (2, 1), "FLN": (1, None)}[cmd]
            user, status = t[at[0]], t[at[1]] if at[1] else "FLN"
            self.contact(user)
            self.presence.append((cmd, user, status))
        elif cmd in EDIT_COMMANDS or (cmd == "BPR" and len(t) >= 4 and t[1].isdigit()):
            if cmd == "BPR":
                self.reply(t, None)
                return
            trid = t[1]
            req = self.pending.get(trid) if trid != "0" else None
            if req and req[0] == cmd:
                del self.pending[trid]
                self.reply(t, req[1])
            else:
                self.reply(t, None)


def set_prop(props, words):
    """PROP [value]: a property line without a value clears it."""
    if words[0] not in PROPERTIES:
        return
    if len(words) > 1:
        props[words[0]] = decode(words[1])
    else:
        props.pop(words[0], None)


def truth_lines(path):
    """{connection name: [(direction, line), ...]} in the truth's order, and the names
    of connections that lost lines."""
    conns, lossy, cur = {}, set(), None
    with open(path, encoding="utf-8") as fp:
        for raw in fp:
            raw = raw.rstrip("\n")
            if not raw or raw.startswith("#"):
                continue
            words = raw.split(" ")
            if words[0] in ("conn", "gateway"):
                cur = words[1]
                conns[cur] = []
                continue
            if words[0] in ("lost", "resync"):
                lossy.add(cur)
                continue
            direction = words[0]
            if direction in ("c2s", "s2c"):
                text = unescape(raw[4:]).decode("utf-8", errors="replace")
                conns[cur].append((direction, text))
    return conns, lossy


# ---- comparison -----------------------------------------------------------------------


def lists_of(bits):
    return [name for name, bit in LIST_BITS if bits & bit]


def compare(where, model, rec):
    expect(f"{where}: account", rec["account"] == model.account or
           (model.account is None and rec.get("account_from") == "linked"),
           f"{rec['account']!r}, model {model.account!r}")
    expect(f"{where}: nick", rec.get("nick") == model.nick,
           f"{rec.get('nick')!r}, model {model.nick!r}")
    lst = rec["list"]
    expect(f"{where}: list version", lst["version"] == model.version,
           f"{lst['version']}, model {model.version}")
    want_announced = ({"contacts": model.announced[0], "groups": model.announced[1]}
                      if model.announced else None)
    expect(f"{where}: announced", lst["announced"] == want_announced,
           f"{lst['announced']}, model {want_announced}")
    if model.announced:
        expect(f"{where}: received", [lst["received"]["contacts"], lst["received"]["groups"]] ==
               model.received, f"{lst['received']}, model {model.received}")
        complete = model.received[0] >= model.announced[0] and \
            model.received[1] >= model.announced[1]
        expect(f"{where}: dump", lst["dump"] == ("complete" if complete else "cut short"),
               lst["dump"])
    expect(f"{where}: gtc", lst.get("gtc") == model.gtc, f"{lst.get('gtc')}, model {model.gtc}")
    expect(f"{where}: blp", lst.get("blp") == model.blp, f"{lst.get('blp')}, model {model.blp}")
    expect(f"{where}: own properties", rec["phones"] == model.props,
           f"{rec['phones']}, model {model.props}")
    got_groups = {g["id"]: g["name"] for g in lst["groups"]}
    expect(f"{where}: groups", got_groups == model.groups, f"{got_groups}, model {model.groups}")
    want = {k: c for k, c in model.contacts.items() if c["listed"]}
    got = {c["account"].lower(): c for c in lst["contacts"]}
    expect(f"{where}: contacts", sorted(got) == sorted(want),
           f"{sorted(got)}, model {sorted(want)}")
    for key in sorted(set(got) & set(want)):
        g, m = got[key], want[key]
        expect(f"{where}: {key} lists", g["lists"] == lists_of(m["lists"]),
               f"{g['lists']}, model {lists_of(m['lists'])}")
        expect(f"{where}: {key} groups", g["groups"] == sorted(m["groups"]),
               f"{g['groups']}, model {sorted(m['groups'])}")
        expect(f"{where}: {key} nick", g.get("nick") == m["nick"],
               f"{g.get('nick')!r}, model {m['nick']!r}")
        expect(f"{where}: {key} phones", g["phones"] == m["phones"],
               f"{g['phones']}, model {m['phones']}")
    got_edits = [[e["cmd"], e["result"], e.get("error", {}).get("code", 0)] for e in rec["edits"]]
    expect(f"{where}: edits", got_edits == model.edits,
           f"\n  view  {got_edits}\n  model {model.edits}")
    got_status = [[s["status"], s["result"], s.get("error", {}).get("code", 0)]
                  for s in rec["status"]]
    expect(f"{where}: status", got_status == model.status,
           f"\n  view  {got_status}\n  model {model.status}")
    got_presence = [(p["cmd"], p["account"], p["status"]) for p in rec["presence"]]
    expect(f"{where}: presence", got_presence == model.presence,
           f"\n  view  {got_presence}\n  model {model.presence}")
    dropped = {k: v for k, v in rec["dropped"].items() if v and k != "later_version"}
    expect(f"{where}: nothing dropped", not dropped, str(dropped))


def check_sample(msnpdump, captures, capture, stem):
    path = os.path.join(captures, capture)
    code, out = run(msnpdump, "users", "-T", "jsonl", "-r", path)
    if not expect(f"{capture}: exit status", code == 0, str(code)):
        return 0
    problems = jsonl_problems(out)
    if not expect(f"{capture}: JSON Lines", not problems, "; ".join(problems)):
        return 0
    users = json_records(out)
    code, text = run(msnpdump, "users", "-r", path)
    expect(f"{capture}: text exit status", code == 0, str(code))
    problems = text_problems(text)
    expect(f"{capture}: text", not problems, "; ".join(problems))
    expect(f"{capture}: one text record per JSON record",
           text.count(b"\nuser ") + text.startswith(b"user ") == len(users))

    code, out = run(msnpdump, "-T", "jsonl", "-r", path)
    commands = json_records(out)
    ns_uids = sorted(r["uid"] for r in commands if r["type"] == "connection" and r["role"] == "NS")
    expect(f"{capture}: one record per NS connection", sorted(u["uid"] for u in users) == ns_uids,
           f"{sorted(u['uid'] for u in users)} vs {ns_uids}")
    by_uid = {u["uid"]: u for u in users}
    truths = parse_truth(os.path.join(captures, stem + ".truth"))
    found, _ = connection_uids(commands, truths)
    lines, lossy = truth_lines(os.path.join(captures, stem + ".truth"))
    checked = 0
    for t in truths:
        if not t["name"].startswith("ns") or len(found.get(t["name"], [])) != 1:
            continue
        uid = found[t["name"]][0]
        rec = by_uid.get(uid)
        if not expect(f"{capture} {t['name']} ({uid}): a users record", rec is not None):
            continue
        if t["name"] in lossy:
            continue
        model = Login()
        for direction, text_line in lines[t["name"]]:
            model.line(direction, text_line)
        compare(f"{capture} {t['name']} ({uid})", model, rec)
        checked += 1
    return checked


def check_hostile(msnpdump, msnpgen, scenario, work):
    os.makedirs(work, exist_ok=True)
    capture = os.path.join(work, "control-bytes.pcap")
    subprocess.run([msnpgen, scenario, "-o", capture], check=True, capture_output=True)
    code, text = run(msnpdump, "users", "-r", capture)
    expect("control-bytes: text exit status", code == 0, str(code))
    problems = text_problems(text)
    expect("control-bytes: text is terminal-safe", not problems, "; ".join(problems))
    for fmt in ("u", "e", "r"):
        code, text = run(msnpdump, "users", "-t", fmt, "-r", capture)
        expect(f"control-bytes: text -t {fmt}", code == 0 and not text_problems(text))
    code, out = run(msnpdump, "users", "-T", "jsonl", "-r", capture)
    problems = jsonl_problems(out)
    if not expect("control-bytes: JSON Lines", not problems, "; ".join(problems)):
        return
    users = json_records(out)
    presence = {p["account"]: p.get("nick") for u in users for p in u["presence"]}
    expect("control-bytes: a nickname keeps its bytes",
           presence.get("eve@hotmail.com") == "Eve\x1b]0;pwned\x07\x1b[2J",
           repr(presence.get("eve@hotmail.com")))
    groups = [g["name"] for u in users for g in u["list"]["groups"]]
    expect("control-bytes: a group name keeps its bytes",
           groups == ["Fam\x07ily\u0085"], repr(groups))


def check_real(msnpdump, capture):
    """A real capture that begins mid-session: no sign-in, no dump; presence only."""
    code, out = run(msnpdump, "users", "-T", "jsonl", "-r", capture)
    expect("real capture: exit status", code == 0, str(code))
    problems = jsonl_problems(out)
    if not expect("real capture: JSON Lines", not problems, "; ".join(problems)):
        return
    users = json_records(out)
    code, text = run(msnpdump, "users", "-r", capture)
    expect("real capture: text", code == 0 and not text_problems(text))
    code, out = run(msnpdump, "-T", "jsonl", "-r", capture)
    commands = json_records(out)
    ns = [r for r in commands if r["type"] == "connection" and r["role"] == "NS"]
    expect("real capture: one record per NS connection",
           sorted(u["uid"] for u in users) == sorted(r["uid"] for r in ns))
    code, out = run(msnpdump, "sessions", "-T", "jsonl", "-r", capture)
    logins = {r["sid"]: r for r in json_records(out) if r["type"] == "login"}
    for u in users:
        uid = u["uid"]
        want = []
        for r in commands:
            if r["type"] != "command" or r["uid"] != uid or r["dir"] != "s2c":
                continue
            a = r["args"]
            if r["cmd"] == "FLN":
                want.append(("FLN", a[0], "FLN"))
            elif r["cmd"] == "NLN":
                want.append(("NLN", a[1], a[0]))
            elif r["cmd"] == "ILN":
                want.append(("ILN", a[1], a[0]))
        got = [(p["cmd"], p["account"], p["status"]) for p in u["presence"]]
        expect(f"real capture {uid}: presence is every ILN/NLN/FLN line, in order",
               got == want and got, f"{len(got)} entries, {len(want)} lines")
        login = logins.get(u.get("sid"))
        if login and login.get("user"):
            expect(f"real capture {uid}: account as the sessions view says",
                   u["account"] == login["user"], f"{u['account']!r} vs {login['user']!r}")
        expect(f"real capture {uid}: no dump", u["list"]["dump"] == "not seen" and
               not u["list"]["contacts"])
        expect(f"real capture {uid}: nothing dropped",
               not any(v for k, v in u["dropped"].items() if k != "later_version"),
               str(u["dropped"]))


def main():
    args = sys.argv[1:]
    if args[:1] == ["--real"]:
        msnpdump, capture = args[1:3]
        if not os.path.exists(capture):
            print(f"{capture} is absent: skipped")
            return 77
        check_real(msnpdump, capture)
    else:
        msnpdump, msnpgen, captures, scenario, work = args
        checked = 0
        with open(os.path.join(captures, "MANIFEST"), encoding="utf-8") as fp:
            for row in fp:
                words = row.split()
                if not words or words[0].startswith("#"):
                    continue
                capture = words[0]
                checked += check_sample(msnpdump, captures, capture, capture.rsplit(".", 1)[0])
        expect("some logins were checked against the model", checked > 10, str(checked))
        check_hostile(msnpdump, msnpgen, scenario, work)
        print(f"{checked} logins checked against the model")
    for f in failures:
        print("FAIL", f)
    print(f"users_check: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

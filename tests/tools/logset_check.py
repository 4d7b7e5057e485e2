#!/usr/bin/env python3
"""msnpdump -w DIR: the log set of one run against the separate views, and its joins.

For every sample capture:
- commands.log, anomalies.log and connections.log are the commands view's -T jsonl records
  split by type (command and data; anomaly; connection), each in the view's order, and
  together every line of it;
- sessions.log, chats.log and invites.log are byte for byte the sessions, chats and invites
  views' -T jsonl output;
- every uid named in sessions, chats and invites (uid, uids, ftp_uid, legs) is a connection
  of connections.log, and has records in commands.log; every sid named anywhere is a login
  of sessions.log.
Then what -w does with existing logs, folders, failed writes and conflicting options.

Usage: logset_check.py MSNPDUMP CAPTURES_DIR WORKDIR
"""
import glob
import json
import os
import resource
import shutil
import signal
import subprocess
import sys

LOGS = ["commands.log", "anomalies.log", "connections.log", "sessions.log", "chats.log",
        "invites.log", "users.log"]
# Which records of the commands view each of the first three logs holds.
RECORD_LOGS = {"commands.log": {"command", "data"}, "anomalies.log": {"anomaly"},
               "connections.log": {"connection"}}
VIEW_LOGS = {"sessions.log": "sessions", "chats.log": "chats", "invites.log": "invites",
             "users.log": "users"}

problems = []


def expect(what, cond, detail=""):
    if not cond:
        problems.append(f"{what}: {detail}")
    return cond


def run(msnpdump, args, **kw):
    return subprocess.run([msnpdump] + args, capture_output=True, **kw)


def read_lines(path):
    with open(path, "rb") as fp:
        return fp.read().splitlines()


def uids_named(obj):
    """Every connection uid a view record refers to."""
    out = []
    for key in ("uid", "ftp_uid"):
        if isinstance(obj.get(key), str):
            out.append(obj[key])
    out += [u for u in obj.get("uids", []) if isinstance(u, str)]
    out += [leg["uid"] for leg in obj.get("legs", []) if isinstance(leg, dict) and "uid" in leg]
    return out


def check_capture(msnpdump, capture, work, totals):
    name = os.path.basename(capture)
    logdir = os.path.join(work, name + ".logs")
    shutil.rmtree(logdir, ignore_errors=True)
    r = run(msnpdump, ["-q", "-w", logdir, "-r", capture])
    if not expect(f"{name}: -w exit", r.returncode == 0, f"{r.returncode} {r.stderr[-300:]}"):
        return
    expect(f"{name}: -w writes nothing to stdout", r.stdout == b"", r.stdout[:200])
    expect(f"{name}: the log set", sorted(os.listdir(logdir)) == sorted(LOGS),
           sorted(os.listdir(logdir)))
    logs = {log: read_lines(os.path.join(logdir, log)) for log in LOGS}

    # The commands view, split by record type.
    r = run(msnpdump, ["-q", "-T", "jsonl", "-r", capture])
    view = r.stdout.splitlines()
    for log, types in RECORD_LOGS.items():
        want = [line for line in view if json.loads(line)["type"] in types]
        expect(f"{name}: {log} = the commands view's {sorted(types)} records", logs[log] == want,
               f"{len(logs[log])} lines, the view has {len(want)}")
    expect(f"{name}: every commands-view line is in one log",
           sum(len(logs[log]) for log in RECORD_LOGS) == len(view),
           f"{sum(len(logs[log]) for log in RECORD_LOGS)} vs {len(view)}")
    # The correlation views, whole.
    for log, v in VIEW_LOGS.items():
        r = run(msnpdump, [v, "-q", "-T", "jsonl", "-r", capture])
        expect(f"{name}: {log} = `{v} -T jsonl`", logs[log] == r.stdout.splitlines(),
               f"{len(logs[log])} lines, the view has {len(r.stdout.splitlines())}")
        totals[log] += len(logs[log])

    # Joins.
    parsed = {log: [json.loads(line) for line in lines] for log, lines in logs.items()}
    conn_uids = {rec["uid"] for rec in parsed["connections.log"]}
    command_uids = {rec["uid"] for rec in parsed["commands.log"]}
    login_sids = {rec["sid"] for rec in parsed["sessions.log"] if rec["type"] == "login"}
    expect(f"{name}: one connection record per uid",
           len(conn_uids) == len(parsed["connections.log"]), "duplicate uids")
    for log in ("sessions.log", "chats.log", "invites.log", "users.log"):
        for rec in parsed[log]:
            for uid in uids_named(rec):
                totals["uid refs"] += 1
                expect(f"{name}: {log} names uid {uid}", uid in conn_uids and uid in command_uids,
                       "absent from connections.log or commands.log")
    for log in LOGS:
        for rec in parsed[log]:
            if "sid" in rec:
                totals["sid refs"] += 1
                expect(f"{name}: {log} names sid {rec['sid']}", rec["sid"] in login_sids,
                       "no login of that sid in sessions.log")


def check_behaviour(msnpdump, captures, work):
    chat = os.path.join(captures, "chat.pcap")
    logdir = os.path.join(work, "again")
    shutil.rmtree(logdir, ignore_errors=True)
    r = run(msnpdump, ["-q", "-w", logdir, "-r", chat])
    expect("first run", r.returncode == 0, r.stderr)
    before = {log: read_lines(os.path.join(logdir, log)) for log in LOGS}

    # Existing logs are refused (status 15, nothing touched) unless --overwrite.
    marker = os.path.join(logdir, "chats.log")
    with open(marker, "wb") as fp:
        fp.write(b"kept\n")
    os.unlink(os.path.join(logdir, "invites.log"))
    r = run(msnpdump, ["-q", "-w", logdir, "-r", chat])
    expect("existing logs refused", r.returncode == 15 and b"--overwrite" in r.stderr,
           f"exit {r.returncode} {r.stderr}")
    expect("a refused run leaves the old logs", read_lines(marker) == [b"kept"])
    expect("a refused run creates no log", not os.path.exists(os.path.join(logdir, "invites.log")))
    r = run(msnpdump, ["-q", "-w", logdir, "--overwrite", "-r", chat])
    expect("--overwrite", r.returncode == 0, f"exit {r.returncode} {r.stderr}")
    after = {log: read_lines(os.path.join(logdir, log)) for log in LOGS}
    expect("--overwrite writes the same logs", after == before)

    # A log that is a symbolic link is never written through.
    target = os.path.join(work, "link-target")
    with open(target, "wb") as fp:
        fp.write(b"untouched\n")
    os.unlink(marker)
    os.symlink(target, marker)
    r = run(msnpdump, ["-q", "-w", logdir, "--overwrite", "-r", chat])
    expect("symbolic link refused", r.returncode == 15, f"exit {r.returncode}")
    expect("symbolic link target untouched", read_lines(target) == [b"untouched"])

    # Missing folders are created; a file where the folder should be is an error.
    nested = os.path.join(work, "new", "deeper", "logs")
    shutil.rmtree(os.path.join(work, "new"), ignore_errors=True)
    r = run(msnpdump, ["-q", "-w", nested, "-r", chat])
    expect("nested folder created", r.returncode == 0 and sorted(os.listdir(nested)) == sorted(LOGS),
           f"exit {r.returncode} {r.stderr}")
    r = run(msnpdump, ["-q", "-w", os.path.join(target, "logs"), "-r", chat])
    expect("folder path through a file", r.returncode == 15 and b"folder" in r.stderr,
           f"exit {r.returncode} {r.stderr}")

    # A write that fails (file size limit) is status 15 and names the log.
    full = os.path.join(work, "full")
    shutil.rmtree(full, ignore_errors=True)

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    r = run(msnpdump, ["-q", "-w", full, "-r", chat], preexec_fn=small_files)
    expect("failed write", r.returncode == 15 and b"commands.log" in r.stderr,
           f"exit {r.returncode} {r.stderr}")

    # Options that do not go with -w; --extract does.
    for args in (["chats", "-w", logdir], ["-T", "jsonl", "-w", logdir], ["--overwrite"]):
        r = run(msnpdump, args + ["-r", chat])
        expect(f"usage {args}", r.returncode == 1 and r.stderr, f"exit {r.returncode}")
    ft = os.path.join(captures, "filetransfer.pcap")
    files = os.path.join(work, "extracted")
    shutil.rmtree(files, ignore_errors=True)
    ftlogs = os.path.join(work, "ft-extract")
    shutil.rmtree(ftlogs, ignore_errors=True)
    r = run(msnpdump, ["-q", "-w", ftlogs, "--extract", files, "-r", ft])
    invites = [json.loads(line) for line in read_lines(os.path.join(ftlogs, "invites.log"))]
    written = [i["extracted"] for i in invites if "extracted" in i]
    expect("-w with --extract", r.returncode == 0 and written and all(map(os.path.isfile, written)),
           f"exit {r.returncode} {written}")


def main():
    msnpdump, captures, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    samples = sorted(glob.glob(os.path.join(captures, "*.pcap")) +
                     glob.glob(os.path.join(captures, "*.pcapng")))
    totals = {log: 0 for log in VIEW_LOGS}
    totals.update({"uid refs": 0, "sid refs": 0})
    for capture in samples:
        check_capture(msnpdump, capture, work, totals)
    # The checks above must have had something to check.
    for what, n in totals.items():
        expect(f"the samples give {what}", n > 0, "none: the test checked nothing")
    check_behaviour(msnpdump, captures, work)
    for p in problems:
        print("FAIL", p)
    print(f"{len(samples)} captures; " + ", ".join(f"{k}: {v}" for k, v in totals.items()))
    print(f"{'FAILED' if problems else 'ok'}: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

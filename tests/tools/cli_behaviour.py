#!/usr/bin/env python3
"""msnpdump as a command: options, exit statuses, standard input, and damaged captures.

Exit statuses (README): 0 success, 1 usage, 3 cannot open or parse the input, 14 truncated
input or read error (records so far still written). A capture cut at any byte must give 0
or 14, valid JSON Lines, a message on stderr when 14, and never a crash.

Usage: cli_behaviour.py MSNPDUMP SAMPLE.pcap WORKDIR
"""
import json
import os
import re
import struct
import subprocess
import sys

problems = []


def run(msnpdump, args, stdin=None):
    return subprocess.run([msnpdump] + args, capture_output=True, input=stdin)


def expect(what, cond, detail=""):
    if not cond:
        problems.append(f"{what}: {detail}")


def valid_jsonl(data):
    for n, line in enumerate(data.decode("utf-8").splitlines(), 1):
        obj = json.loads(line)
        if not isinstance(obj, dict) or "type" not in obj:
            raise ValueError(f"line {n} is not a record")
    return True


def main():
    msnpdump, sample, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)

    # Usage errors: status 1 and a message.
    for args in ([], ["-T", "xml", "-r", sample], ["--bogus"], ["-r"], ["-c", "0", "-r", sample],
                 ["--max-line", "3", "-r", sample], ["--port", "70000", "-r", sample],
                 # columns and their layout without -T fields (tshark refuses -e too)
                 ["-e", "msnp.cmd", "-r", sample], ["-T", "jsonl", "-e", "msnp.cmd", "-r", sample],
                 ["-E", "header=y", "-r", sample]):
        r = run(msnpdump, args)
        expect(f"usage {args}", r.returncode == 1 and r.stderr, f"exit {r.returncode}")
    r = run(msnpdump, ["--help"])
    expect("--help", r.returncode == 0 and b"-r FILE" in r.stdout, f"exit {r.returncode}")

    # Inputs that cannot be read: status 3.
    missing = os.path.join(work, "does-not-exist.pcap")
    r = run(msnpdump, ["-r", missing])
    expect("missing file", r.returncode == 3 and missing.encode() in r.stderr, r.stderr)
    notpcap = os.path.join(work, "not-a-capture.txt")
    with open(notpcap, "wb") as fp:
        fp.write(b"VER 1 MSNP8 CVR0\r\n" * 4)
    r = run(msnpdump, ["-r", notpcap])
    expect("not a capture", r.returncode == 3 and r.stderr, f"exit {r.returncode}")
    oddlink = os.path.join(work, "link147.pcap")
    with open(oddlink, "wb") as fp:
        fp.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 147))
    r = run(msnpdump, ["-r", oddlink])
    expect("unsupported link type", r.returncode == 3 and b"link type 147" in r.stderr,
           r.stderr)

    # Standard input gives the same records as the file.
    with open(sample, "rb") as fp:
        data = fp.read()
    a = run(msnpdump, ["-T", "jsonl", "-r", sample])
    b = run(msnpdump, ["-T", "jsonl", "-r", "-"], stdin=data)
    expect("stdin", a.returncode == 0 and a.stdout == b.stdout and b.returncode == 0,
           f"exit {b.returncode}")

    # A pipe named as a file (`-r <(zcat capture.pcap.gz)`, `-r /dev/fd/N`): its first bytes
    # cannot be read twice to tell the format; the same records as the file.
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        os.write(wfd, data)
        os._exit(0)
    os.close(wfd)
    p = subprocess.run([msnpdump, "-T", "jsonl", "-r", f"/dev/fd/{rfd}"], capture_output=True,
                       pass_fds=(rfd,))
    os.close(rfd)
    os.waitpid(pid, 0)
    expect("pipe as -r file", p.returncode == 0 and p.stdout == a.stdout,
           f"exit {p.returncode} {p.stderr[-200:]}")

    # -c N stops after N packets.
    r = run(msnpdump, ["-T", "jsonl", "-c", "5", "-r", sample])
    frames = [json.loads(x).get("frame", 0) for x in r.stdout.decode().splitlines()]
    expect("-c 5", r.returncode == 0 and frames and max(frames) <= 5, frames)
    expect("-c 5 summary", b"5 packets" in r.stderr, r.stderr)

    # The summary goes to stderr; -q silences it; stdout stays records only.
    r = run(msnpdump, ["-q", "-T", "jsonl", "-r", sample])
    expect("-q", r.returncode == 0 and r.stderr == b"", r.stderr)

    # An empty output says why on stderr, after the summary (not under -q); one with records
    # does not.
    nothing = b"nothing to show"
    header_only = os.path.join(work, "header-only.pcap")
    with open(header_only, "wb") as fp:
        fp.write(data[:24])
    for view, absent in (("commands", b"no MSNP command, anomaly or MSNFTP data in the capture"),
                         ("chats", b"no switchboard conversation in the capture"),
                         ("sessions", b"no login or switchboard conversation in the capture"),
                         ("invites", b"no invitation or MSNFTP file transfer in the capture"),
                         ("users", b"no notification-server login in the capture"),
                         ("explain", b"no MSNP command in the capture"),
                         ("ladder", b"no login, switchboard or file transfer in the capture")):
        r = run(msnpdump, [view, "-r", header_only])
        expect(f"{view} of no packets", r.returncode == 0 and r.stdout == b"" and
               r.stderr.rstrip().endswith(b"nothing to show: " + absent), r.stderr[-200:])
        r = run(msnpdump, [view, "-q", "-r", header_only])
        expect(f"{view} -q of no packets", r.stderr == b"", r.stderr[-200:])
        if view != "invites":  # the sample has no invitation
            r = run(msnpdump, [view, "-r", sample])
            expect(f"{view} of the sample", r.stdout and nothing not in r.stderr,
                   r.stderr[-200:])
    r = run(msnpdump, ["stats", "-r", header_only])
    expect("stats of no packets", r.stdout and nothing not in r.stderr, r.stderr[-200:])
    r = run(msnpdump, ["-Y", 'msnp.cmd == "ZZZ"', "-r", sample])
    expect("-Y keeping nothing", r.stdout == b"" and re.search(
        rb"nothing to show: .*\(-Y kept 0 of [1-9][0-9]* records\)\n$", r.stderr), r.stderr[-200:])
    r = run(msnpdump, ["-Y", 'msnp.cmd == "MSG"', "-r", sample])
    expect("-Y keeping some", r.stdout and nothing not in r.stderr, r.stderr[-200:])
    # -Y with a view it cannot narrow is a usage error, not a filter silently ignored.
    for view in ("chats", "sessions", "invites"):
        r = run(msnpdump, [view, "-Y", 'msnp.cmd == "MSG"', "-r", sample])
        expect(f"{view} -Y", r.returncode == 1 and r.stdout == b"" and
               b"-Y keeps records; the " + view.encode() + b" view" in r.stderr, r.stderr[-200:])
    for view in ("users", "explain", "stats", "ladder"):
        r = run(msnpdump, [view, "-Y", 'msnp.cmd == "MSG"', "-r", sample])
        expect(f"{view} -Y", r.returncode == 0, r.stderr[-200:])
    r = run(msnpdump, ["ladder", "--session", "C99", "-r", sample])
    expect("ladder of an absent session", r.stdout == b"" and r.stderr.rstrip().endswith(
        b"nothing to show: no login, switchboard or file transfer among --session C99"),
        r.stderr[-200:])

    # A capture cut at many offsets: 0 or 14, valid JSON, a message when 14.
    offsets = sorted(set(list(range(0, 200)) + list(range(200, len(data), 37)) + [len(data) - 1]))
    cut = os.path.join(work, "cut.pcap")
    worst = {}
    for off in offsets:
        with open(cut, "wb") as fp:
            fp.write(data[:off])
        r = run(msnpdump, ["-T", "jsonl", "-r", cut])
        worst[r.returncode] = worst.get(r.returncode, 0) + 1
        if r.returncode not in (0, 3, 14):
            problems.append(f"cut at {off}: exit {r.returncode} {r.stderr[-300:]}")
            continue
        if off < 24 and r.returncode != 3:
            problems.append(f"cut at {off} (inside the file header): exit {r.returncode}")
        if r.returncode == 14 and b"read error" not in r.stderr and b"truncated" not in r.stderr:
            problems.append(f"cut at {off}: exit 14 without a message: {r.stderr}")
        try:
            valid_jsonl(r.stdout)
        except (ValueError, UnicodeDecodeError) as e:
            problems.append(f"cut at {off}: invalid output: {e}")
    expect("some cuts are reported as truncated", worst.get(14, 0) > 0, worst)

    for p in problems:
        print(p)
    print(f"cli behaviour: {len(offsets)} truncations {worst}; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

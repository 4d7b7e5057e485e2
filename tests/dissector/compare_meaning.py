#!/usr/bin/env python3
"""The two faces give the decoded payload values the same names and the same
values: for every field of libmsnp's payload vocabulary that msnpdump's -e
offers (msnp.msg.text, msnp.format.*, msnp.typing.user, msnp.invite.*,
msnp.qry.*, msnp.profile.*, msnp.notification.*, ...; `msnpdump --fields`),
the values `tshark -2 -T fields -e FIELD` shows in each frame equal the
values `msnpdump -T fields -e FIELD` reports for the commands that frame
completes. The test fails when the two faces disagree, when a field
msnpdump offers is not a plugin field, and when a capture that carries
payloads yields no value at all.

MSNP over the HTTP gateway: the plugin decodes each body on its own, without
the connection's CHL, so it cannot check a QRY there; msnpdump stitches the
session and can. Frames of gateway sessions are compared without the QRY
check (msnp.qry.verified, .status, .expected).

Usage: compare_meaning.py --plugin MSNP_SO --msnpdump MSNPDUMP [--private] CAPTURE
--private: the capture is not ours to publish (real traffic): name frames and
fields that differ, never their values.
Exit status 0 when both faces agree, 1 otherwise, 77 when CAPTURE or tshark
is not here.
"""
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402

REPLACEMENT = "\ufffd"
MSNPDUMP_MAX_FIELDS = 60  # msnpdump takes at most 64 -e
GATEWAY_UNCHECKABLE = {"msnp.qry.verified", "msnp.qry.status", "msnp.qry.expected"}
ESCAPE = re.compile(r"\\(?:([\\trn])|x([0-9a-f]{2})|u\{([0-9a-f]{4,6})\})")
ESCAPED_CHAR = {"\\": "\\", "t": "\t", "r": "\r", "n": "\n"}


def normalised(value):
    """msnpdump's -T fields value as the text tshark -T json gives: its
    escapes undone (a doubled backslash, \\t \\r \\n, \\xNN, \\u{NNNN});
    bytes that are not UTF-8 are \\xNN in msnpdump and U+FFFD in tshark (one
    per maximal invalid sequence): compare them as one replacement run."""
    def undo(m):
        if m.group(1):
            return ESCAPED_CHAR[m.group(1)]
        if m.group(2):
            b = int(m.group(2), 16)
            return chr(b) if b < 0x80 else REPLACEMENT
        return chr(int(m.group(3), 16))
    return one_replacement_per_run(ESCAPE.sub(undo, value))


def one_replacement_per_run(value):
    return re.sub(REPLACEMENT + "+", REPLACEMENT, value)


def vocabulary(msnpdump):
    """The decoded-payload names msnpdump offers: every msnp.<group>.<name>."""
    out = subprocess.run([msnpdump, "--fields"], capture_output=True, text=True, check=True)
    names = [line.split()[0] for line in out.stdout.splitlines() if line.strip()]
    return [n for n in names if re.fullmatch(r"msnp\.[a-z0-9_]+\.[a-z0-9_]+", n)]


def run_msnpdump(msnpdump, capture, fields):
    """{frame: {field: [values...]}} over the commands each frame completes."""
    got = {}
    for i in range(0, len(fields), MSNPDUMP_MAX_FIELDS):
        chunk = fields[i:i + MSNPDUMP_MAX_FIELDS]
        args = [msnpdump, "-q", "-r", capture, "-T", "fields", "-e", "frame.number"]
        for f in chunk:
            args += ["-e", f]
        run = subprocess.run(args, capture_output=True, text=True)
        if run.returncode not in (0, 14):
            raise RuntimeError(f"msnpdump exited {run.returncode}: {run.stderr}")
        for line in run.stdout.splitlines():
            cols = line.split("\t")
            frame = got.setdefault(int(cols[0]), {})
            for f, v in zip(chunk, cols[1:]):
                if v:
                    frame.setdefault(f, []).append(normalised(v))
    return {n: {f: ",".join(v) for f, v in fs.items()} for n, fs in got.items()}


def run_tshark(tshark, capture, fields):
    got = {}
    for row in tshark.packets(capture, ["frame.number"] + fields, ["-Y", "msnp", "-2"]):
        # An empty value is an empty column in msnpdump's output: absent.
        values = {f: ",".join(one_replacement_per_run(x) for x in row[f]) for f in fields if any(row[f])}
        got[int(row["frame.number"][0])] = values
    return got


def main():
    args, tshark = wstest.faces_command_line()

    fields = vocabulary(args.msnpdump)
    registered = set(tshark.text(["-G", "fields"]).split("\n"))
    plugin_names = {line.split("\t")[2] for line in registered if line.startswith("F\t")}
    missing = [f for f in fields if f not in plugin_names]
    for f in missing:
        print(f"msnpdump offers {f}, the plugin has no such field")

    expected = run_msnpdump(args.msnpdump, args.capture, fields)
    got = run_tshark(tshark, args.capture, fields)
    gateway = wstest.gateway_frames(wstest.msnpdump_records(args.msnpdump, args.capture))
    bad = 0
    values = 0
    for frame in sorted(set(expected) | set(got)):
        e, g = expected.get(frame, {}), got.get(frame, {})
        for f in sorted(set(e) | set(g)):
            if frame in gateway and f in GATEWAY_UNCHECKABLE:
                continue
            values += f in e
            if e.get(f) == g.get(f):
                continue
            bad += 1
            if bad <= 10 and args.private:
                print(f"frame {frame} {f}: the faces differ (values not shown: real traffic)")
            elif bad <= 10:
                print(f"frame {frame} {f}:\n    msnpdump: {e.get(f)!r:.200}\n"
                      f"    plugin:   {g.get(f)!r:.200}")
    used = sorted({f for fs in expected.values() for f in fs})
    print(f"{os.path.basename(args.capture)}: {len(fields)} fields, {values} values in "
          f"{len(expected)} frames from msnpdump ({len(used)} fields used); "
          f"{bad} differ, {len(missing)} missing from the plugin")
    carries_payloads = subprocess.run(
        [args.msnpdump, "-q", "-r", args.capture, "-T", "fields", "-Y", "msnp.payload_len",
         "-e", "frame.number"], capture_output=True, text=True).stdout.strip()
    if carries_payloads and values == 0:
        print("payload commands, but not one decoded value: the comparison proves nothing")
        return 1
    return 1 if bad or missing else 0


if __name__ == "__main__":
    sys.exit(main())

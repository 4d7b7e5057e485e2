#!/usr/bin/env python3
"""Golden -T fields output of the plugin on a committed sample (two passes,
so that responses and unanswered requests are final).

Usage: golden_fields.py --plugin MSNP_SO [--set meaning] CAPTURE GOLDEN [--update]
--set commands (the default): the command fields, for every sample;
--set meaning: what payloads, QRY answers and MSNFTP transfers mean
(msnp-meaning.c), for the samples that show it (golden/STEM.meaning).
--update rewrites GOLDEN from the current output (then review the diff).
"""
import argparse
import difflib
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402

FIELDS = [
    "frame.number", "tcp.stream", "msnp.role", "msnp.dir", "msnp.cmd", "msnp.trid",
    "msnp.command_line", "msnp.payload_len", "msnp.payload_missing", "msnp.error_code",
    "msnp.async", "msnp.response_to", "msnp.response_in", "msnp.time", "msnp.reply_line",
    "msnp.since", "msnp.mime.content_type", "msnp.user", "msnp.nick", "msnp.setup_frame",
    "msnp.block.len", "_ws.expert.message",
]

MEANING_FIELDS = [
    "frame.number", "tcp.stream", "msnp.cmd", "msnp.msg.kind", "msnp.msg.text",
    "msnp.format.font", "msnp.format.effects", "msnp.format.color", "msnp.format.charset",
    "msnp.format.family", "msnp.format.pitch", "msnp.typing.user", "msnp.invite.command",
    "msnp.invite.cookie", "msnp.invite.app_name", "msnp.invite.app_guid", "msnp.invite.file",
    "msnp.invite.size", "msnp.invite.ip", "msnp.invite.port", "msnp.invite.portx",
    "msnp.invite.portx_ok", "msnp.invite.auth_cookie", "msnp.invite.cancel_code",
    "msnp.qry.client_id", "msnp.qry.verified", "msnp.qry.status", "msnp.ftp.size",
    "msnp.ftp.bytes", "msnp.ftp.md5", "msnp.ftp.outcome", "_ws.expert.message",
]
SETS = {"commands": FIELDS, "meaning": MEANING_FIELDS}


def render(tshark, capture, fields):
    args = ["-2", "-r", tshark.capture(capture), "-Y", "msnp", "-T", "fields",
            "-E", "header=y", "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in fields:
        args += ["-e", f]
    return tshark.text(args)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--set", choices=sorted(SETS), default="commands")
    ap.add_argument("capture")
    ap.add_argument("golden")
    args = ap.parse_args()
    tshark = wstest.Tshark(args.plugin)
    got = render(tshark, args.capture, SETS[args.set])
    if args.update:
        with open(args.golden, "w", encoding="utf-8") as f:
            f.write(got)
        print(f"wrote {args.golden}")
        return 0
    with open(args.golden, encoding="utf-8") as f:
        want = f.read()
    if got == want:
        print(f"{os.path.basename(args.capture)}: {got.count(chr(10)) - 1} frames as expected")
        return 0
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                               args.golden, "tshark", n=1))
    print(f"\n{args.golden} differs; if the change is intended, regenerate it with\n"
          f"  {sys.argv[0]} --plugin {args.plugin} --set {args.set} {args.capture} "
          f"{args.golden} --update")
    return 1


if __name__ == "__main__":
    sys.exit(main())

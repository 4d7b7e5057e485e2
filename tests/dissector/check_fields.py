#!/usr/bin/env python3
"""The plugin's registrations, as tshark reports them:
- its fields (tshark -G fields): the fixed ones with their types, msnpdump's
  JSON vocabulary (docs/jsonl.md), and one msnp.<name> per argument name of
  the command table (the "Field names" table of docs/commands.md, generated
  from the same table), one field per name of libmsnp's payload vocabulary
  with its type (the "Field vocabulary" table of docs/payloads.md, which a
  unit test keeps equal to the vocabulary), nothing registered twice;
- port 1863 is msnp's, not msnms's (tshark -G decodes);
- the TCP heuristic is there and enabled (tshark -G heuristic-decodes);
- the preferences exist (tshark -G defaultprefs; the port range by setting it).

Usage: check_fields.py --plugin MSNP_SO --commands-doc docs/commands.md
                       --payloads-doc docs/payloads.md --capture CAPTURE
"""
import argparse
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402

FIXED = {
    "msnp.command_line": "FT_STRING", "msnp.cmd": "FT_STRING", "msnp.trid": "FT_UINT32",
    "msnp.args": "FT_UINT32", "msnp.arg": "FT_STRING", "msnp.payload_len": "FT_UINT64",
    "msnp.payload": "FT_BYTES", "msnp.payload_missing": "FT_UINT64",
    "msnp.error_code": "FT_UINT16", "msnp.error_meaning": "FT_STRING",
    "msnp.role": "FT_STRING", "msnp.dir": "FT_STRING", "msnp.meaning": "FT_STRING",
    "msnp.since": "FT_STRING", "msnp.async": "FT_BOOLEAN",
    "msnp.response_in": "FT_FRAMENUM", "msnp.response_to": "FT_FRAMENUM",
    "msnp.time": "FT_RELATIVE_TIME", "msnp.reply_line": "FT_UINT32",
    "msnp.mime.header": "FT_STRING", "msnp.mime.content_type": "FT_STRING",
    "msnp.mime.charset": "FT_STRING", "msnp.block.type": "FT_UINT8",
    "msnp.block.len": "FT_UINT16", "msnp.block.data": "FT_BYTES",
    "msnp.skipped": "FT_BYTES", "msnp.setup_frame": "FT_FRAMENUM",
    "msnp.setup_method": "FT_STRING",
    "msnp.sid": "FT_STRING",
}
# msnpdump's JSON field -> the plugin's field (docs/jsonl.md: one vocabulary).
JSON_VOCABULARY = {
    "line": "msnp.command_line", "cmd": "msnp.cmd", "trid": "msnp.trid", "args": "msnp.arg",
    "payload_len": "msnp.payload_len", "payload_missing": "msnp.payload_missing",
    "error": "msnp.error_code", "since": "msnp.since", "meaning": "msnp.meaning",
    "role": "msnp.role", "dir": "msnp.dir",
}
EXPERT = [
    "error_reply", "unknown_error_code", "malformed", "not_msnp", "line_too_long",
    "payload_too_long", "bad_length", "truncated", "length_position", "irregular_spacing",
    "unknown_command", "unexpected_syntax", "other_version", "no_response", "credential",
    "disconnect", "bad_block", "block_overrun", "cookie_mismatch", "not_msnp_connection",
    "qry.not_verified", "invite.cancelled", "ftp.incomplete",
]
VOCABULARY_TYPES = {"string": "FT_STRING", "bool": "FT_BOOLEAN", "bytes": "FT_BYTES",
                    "int32": "FT_INT32", "uint8": "FT_UINT8", "uint16": "FT_UINT16",
                    "uint32": "FT_UINT32", "uint64": "FT_UINT64",
                    "time": "FT_UINT64"}  # Unix seconds, as msnpdump writes them
PREFS = ["msnp.desegment", "msnp.max_line", "msnp.max_payload"]


def argument_names(commands_doc):
    """The `field` column of docs/commands.md's "Field names" table."""
    names, inside = [], False
    with open(commands_doc, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                inside = line.strip() == "## Field names"
                continue
            m = re.match(r"^\| `([a-z0-9_]+)` \|", line)
            if inside and m:
                names.append(m.group(1))
    return names


def vocabulary(payloads_doc):
    """{name: type} from the "Field vocabulary" table of docs/payloads.md."""
    names, inside = {}, False
    with open(payloads_doc, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                inside = line.strip() == "## Field vocabulary"
                continue
            m = re.match(r"^\| `(msnp\.[a-z0-9_.]+)` \| ([a-z0-9]+)[^|]*\|", line)
            if inside and m:
                names[m.group(1)] = VOCABULARY_TYPES.get(m.group(2), m.group(2))
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--commands-doc", required=True)
    ap.add_argument("--payloads-doc", required=True)
    ap.add_argument("--capture", required=True, help="any sample, to set preferences on")
    args = ap.parse_args()
    tshark = wstest.Tshark(args.plugin)
    tshark.require_plugin()
    problems = []

    fields = {}
    for row in tshark.text(["-G", "fields"]).splitlines():
        col = row.split("\t")
        if col[0] == "F" and len(col) > 3 and col[2].startswith("msnp."):
            if col[2] in fields:
                problems.append(f"{col[2]} is registered twice")
            fields[col[2]] = col[3]

    for name, ftype in FIXED.items():
        if fields.get(name) != ftype:
            problems.append(f"{name}: {fields.get(name, 'missing')}, expected {ftype}")
    for json_name, name in JSON_VOCABULARY.items():
        if name not in fields:
            problems.append(f"msnpdump's \"{json_name}\" has no field {name}")
    for e in EXPERT:
        if fields.get("msnp." + e) != "FT_NONE":
            problems.append(f"expert item msnp.{e} is not registered")

    names = argument_names(args.commands_doc)
    if len(names) < 50:
        problems.append(f"only {len(names)} argument names in {args.commands_doc}")
    generated = set()
    for n in names:
        want = "FT_UINT64" if n == "payload_len" else "FT_STRING"
        field = "msnp." + n
        if fields.get(field) != want:
            problems.append(f"argument name {n}: {field} is {fields.get(field, 'missing')}, "
                            f"expected {want}")
        generated.add(field)
    vocab = vocabulary(args.payloads_doc)
    if len(vocab) < 100:
        problems.append(f"only {len(vocab)} vocabulary names in {args.payloads_doc}")
    for name, want in vocab.items():
        if fields.get(name) != want and name not in FIXED:
            problems.append(f"vocabulary {name}: {fields.get(name, 'missing')}, expected {want}")
    stray = (set(fields) - set(FIXED) - generated - set(vocab)
             - {"msnp." + e for e in EXPERT})
    if stray:
        problems.append(f"fields neither fixed nor from the command table: {sorted(stray)}")

    decodes = tshark.text(["-G", "decodes"]).splitlines()
    if "tcp.port\t1863\tmsnp" not in decodes:
        problems.append("tcp.port 1863 is not msnp's")
    if any(d.startswith("tcp.port\t1863\t") and not d.endswith("\tmsnp") for d in decodes):
        problems.append("another dissector still holds tcp.port 1863")
    if "tcp\tmsnp\tT" not in tshark.text(["-G", "heuristic-decodes"]).splitlines():
        problems.append("the heuristic msnp over tcp is missing or disabled")
    prefs = tshark.text(["-G", "defaultprefs"])
    for p in PREFS:
        if not re.search(rf"^#{re.escape(p)}:", prefs, re.M):
            problems.append(f"preference {p} is missing")
    # The port range comes with Decode As and is not listed with the others;
    # tshark refuses unknown preferences, so setting it proves it is there.
    capture = tshark.capture(args.capture)
    for pref, works in (("msnp.tcp.port:1863,31863", True), ("msnp.no_such_pref:1", False)):
        proc = tshark.run(["-o", pref, "-r", capture, "-c", "1"], check=False)
        if (proc.returncode == 0) != works:
            problems.append(f"-o {pref}: exit status {proc.returncode}: "
                            + proc.stderr.decode("utf-8", "replace").strip())

    for p in problems:
        print(p)
    print(f"{len(fields)} msnp fields ({len(names)} from argument names); "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Every MSNP8 command of libmsnp's command table appears in the committed samples.

The commands come from the table itself (TABLE_COMMANDS, a program linking libmsnp that
prints it), never from a copied list. For each MSNP8 command:
- some committed sample's ground truth (samples/captures/*.truth, written by msnpgen)
  holds a line of it, and
- msnpdump reports it on a committed capture (-T fields -e msnp.cmd -e msnp.role) in every
  connection role its MSNP8 forms have (USR on DS, NS, SB and MSNFTP connections, ...).
Commands of other protocol versions (later [L], or MSNP2-7) are listed, not required.
The captures are the MANIFEST's. Fails naming each missing command and role.

Usage: sample_coverage.py TABLE_COMMANDS MSNPDUMP CAPTURES_DIR
"""
import os
import re
import subprocess
import sys

COMMAND = re.compile(r"^[A-Z]{3}$")


def table(program):
    """{name: (era, since, roles)} from the table program."""
    run = subprocess.run([program], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{program} exited {run.returncode}: {run.stderr}")
    rows = {}
    for line in run.stdout.splitlines():
        name, era, since, roles = line.split(" ")
        rows[name] = (era, since, set() if roles == "-" else set(roles.split(",")))
    return rows


def manifest(captures):
    """The committed captures, in MANIFEST order."""
    files = []
    with open(os.path.join(captures, "MANIFEST"), encoding="utf-8") as fp:
        for line in fp:
            line = line.split("#", 1)[0].split()
            if line:
                files.append(line[0])
    return files


def truth_commands(path):
    """Command names of the records of a ground-truth file."""
    names = set()
    with open(path, encoding="utf-8") as fp:
        for line in fp:
            words = line.split()
            if words and words[0] in ("lost", "resync"):
                words = words[1:]
            if len(words) >= 2 and words[0] in ("c2s", "s2c") and COMMAND.match(words[1]):
                names.add(words[1])
    return names


def decoded(msnpdump, capture):
    """(command, role) pairs msnpdump reports for a capture."""
    run = subprocess.run([msnpdump, "-q", "-T", "fields", "-e", "msnp.cmd", "-e", "msnp.role",
                          "-r", capture], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"msnpdump on {capture} exited {run.returncode}: {run.stderr}")
    pairs = set()
    for line in run.stdout.splitlines():
        cmd, _, role = line.partition("\t")
        if COMMAND.match(cmd):
            pairs.add((cmd, role))
    return pairs


def main():
    program, msnpdump, captures = sys.argv[1:4]
    rows = table(program)
    files = manifest(captures)
    if not rows or not files:
        print("no commands in the table or no captures in the MANIFEST")
        return 1
    in_truth = {}   # command -> first sample whose truth holds it
    seen = {}       # (command, role) -> first capture msnpdump reports it in
    for name in files:
        stem = os.path.splitext(name)[0]
        for cmd in sorted(truth_commands(os.path.join(captures, stem + ".truth"))):
            in_truth.setdefault(cmd, name)
        for pair in sorted(decoded(msnpdump, os.path.join(captures, name))):
            seen.setdefault(pair, name)

    problems = []
    msnp8 = sorted(n for n, (era, _, _) in rows.items() if era == "msnp8")
    for cmd in msnp8:
        roles = sorted(rows[cmd][2])
        if cmd not in in_truth:
            problems.append(f"{cmd}: in no committed sample (no truth record)")
        for role in roles:
            if (cmd, role) not in seen:
                other = sorted(f"{r} in {f}" for (c, r), f in seen.items() if c == cmd)
                problems.append(f"{cmd} on {role} connections: msnpdump reports it in no "
                                f"committed capture" + (f" (only {', '.join(other)})"
                                                          if other else ""))
        if cmd in in_truth and all((cmd, r) in seen for r in roles):
            where = ", ".join(f"{r} {seen[(cmd, r)]}" for r in roles)
            print(f"ok   {cmd}: {where}")
    for cmd in sorted(n for n, (era, _, _) in rows.items() if era != "msnp8"):
        era, since, _ = rows[cmd]
        where = in_truth.get(cmd)
        print(f"skip {cmd}: not MSNP8 ({since}, {era})" +
              (f"; shown in {where}" if where else ""))
    for p in problems:
        print(f"MISSING {p}")
    print(f"{len(msnp8)} MSNP8 commands, {len(rows) - len(msnp8)} of other versions; "
          f"{len(files)} captures; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

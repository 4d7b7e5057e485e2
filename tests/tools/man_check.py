#!/usr/bin/env python3
"""The man page msnpdump(1) against `msnpdump --help`.

`--help` is written from the view and option tables of cli/main.c. Every view there must be an
entry of the man page's VIEWS section, every option (each of its spellings) an entry of OPTIONS,
every exit status an entry of EXIT STATUS; and every option entry of the man page must still
exist. The page must render without a warning under `groff -man -ww` and, where man-db is
installed, under `man --warnings -l`.
Exits 77 (skipped) when groff is not installed.

Usage: man_check.py MSNPDUMP MANPAGE
"""
import os
import re
import shutil
import subprocess
import sys

OPTION = re.compile(r"^--?[A-Za-z][\w-]*,?$")
PLACEHOLDER = re.compile(r"^[A-Z][A-Z_]*$")

problems = []


def expect(what, cond, detail=""):
    if not cond:
        problems.append(f"{what}: {detail}")
    return cond


def option_names(text):
    """The option spellings at the start of `text` ("-r, --read FILE  help..." -> -r, --read)."""
    names = []
    for tok in text.split():
        if OPTION.match(tok):
            names.append(tok.rstrip(","))
        elif not PLACEHOLDER.match(tok):
            break
    return names


def parse_help(out):
    views, options, statuses, section = [], [], set(), None
    for line in out.splitlines():
        if line in ("Views:", "Options:"):
            section = line
        elif line.startswith("Exit status:"):
            section = "exit"
        elif not line.strip():
            if section != "exit":
                section = None
        if section == "exit":
            statuses |= set(re.findall(r"(?<![\w.])(\d+) [a-z]", line))
        elif section == "Views:" and line.startswith("  ") and line.strip():
            views.append(line.split()[0])
        elif section == "Options:" and line.startswith("  -"):
            options += option_names(line)
    return views, options, statuses


def sections(rendered):
    """{SECTION: [lines]} of a page rendered as plain text."""
    out, name = {}, None
    for line in rendered.splitlines():
        if line and not line[0].isspace():
            name = line.strip()
            out[name] = []
        elif name:
            out[name].append(line)
    return out


def entries(lines):
    """The lines of a section at its first indent: paragraphs and the tags of entries."""
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    base = min(indents) if indents else 0
    return [line.strip() for line in lines if line.strip() and len(line) - len(line.lstrip()) == base]


def main():
    msnpdump, page = sys.argv[1:3]
    if not shutil.which("groff"):
        print("groff is not installed (scripts/install-deps.sh installs groff-base): skipped")
        return 77
    r = subprocess.run([msnpdump, "--help"], capture_output=True, text=True)
    expect("msnpdump --help", r.returncode == 0, f"exit {r.returncode}")
    views, options, statuses = parse_help(r.stdout)
    # A change of --help's layout must not make this test vacuous.
    expect("--help lists the views", len(views) >= 4, views)
    expect("--help lists the options", len(options) >= 15, options)
    expect("--help lists the exit statuses", {"0", "1", "15"} <= statuses, statuses)

    # Warnings: groff's own (-ww: all of them), and man-db's rendering.
    r = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page], capture_output=True,
                       text=True)
    expect("groff -man -ww renders without warnings", r.returncode == 0 and not r.stderr,
           r.stderr.strip())
    if shutil.which("man"):
        env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
        r = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", page], capture_output=True,
                           text=True, env=env)
        expect("man --warnings -l renders without warnings",
               r.returncode == 0 and not r.stderr and "MSNPDUMP(1)" in r.stdout,
               f"exit {r.returncode} {r.stderr.strip()}")
    else:
        print("man (man-db) is not installed: only groff checked")

    # Plain text, one paragraph per line: no hyphenation, no wrapping, no overstriking.
    r = subprocess.run(["groff", "-man", "-Tutf8", "-rLL=1000n", "-rHY=0", "-P-cbou", page],
                       capture_output=True, text=True)
    secs = sections(r.stdout)
    for name in ("NAME", "SYNOPSIS", "DESCRIPTION", "VIEWS", "OPTIONS", "EXIT STATUS",
                 "ENVIRONMENT", "FILES", "EXAMPLES"):
        expect("section", name in secs, f"{name} missing")

    view_tags = {line.split()[0] for line in entries(secs.get("VIEWS", []))}
    for v in views:
        expect("view documented", v in view_tags, f"'{v}' (from --help) has no entry in VIEWS")

    man_options = set()
    for line in entries(secs.get("OPTIONS", [])):
        if line.startswith("-"):
            man_options.update(option_names(line))
    for o in options:
        expect("option documented", o in man_options, f"'{o}' (from --help) has no entry in OPTIONS")
    for o in sorted(man_options - set(options)):
        expect("option exists", False, f"'{o}' is in the man page's OPTIONS but not in --help")

    status_tags = {line.split()[0] for line in entries(secs.get("EXIT STATUS", []))}
    for s in sorted(statuses, key=int):
        expect("exit status documented", s in status_tags, f"{s} has no entry in EXIT STATUS")

    env_text = "\n".join(secs.get("ENVIRONMENT", []))
    expect("NO_COLOR documented", "NO_COLOR" in env_text, "not in ENVIRONMENT")

    for p in problems:
        print("FAIL", p)
    print(f"{len(views)} views, {len(options)} option spellings, {len(statuses)} exit statuses")
    print(f"{'FAILED' if problems else 'ok'}: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

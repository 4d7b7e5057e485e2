#!/usr/bin/env python3
"""The GNU parallel recipes of docs/batch.md, run as written there.

A tree of many small copies of the samples (nested folders, spaces and quotes in names, gzip
copies), one truncated capture (msnpdump exits 14) and one file that is not a capture (exit 3).
For each recipe (the sh block after <!-- batch:jsonl --> and after <!-- batch:logsets -->):
- every output equals a sequential run of msnpdump on the same input, and there is one per input
  that msnpdump can read;
- the joblog has one job per input, with the exit statuses the sequential runs had;
- run again, it runs only the failed jobs: the outputs of the others are not rewritten;
- with its joblog cut short as by a kill (and the outputs removed), it runs again exactly the
  jobs the joblog lost, plus the failed ones.
Exits 77 (skipped) when GNU parallel is not installed.

Usage: batch_recipe.py MSNPDUMP BATCH_MD CAPTURES_DIR WORKDIR
"""
import gzip
import os
import re
import shutil
import subprocess
import sys

COPIES = 96  # capture files, the samples in turn

problems = []


def expect(what, cond, detail=""):
    if not cond:
        problems.append(f"{what}: {detail}")
    return cond


def recipe(doc, marker):
    m = re.search(r"<!-- batch:" + marker + r" -->\s*```sh\n(.*?)```", doc, re.S)
    if not m:
        sys.exit(f"{marker}: no ```sh block after <!-- batch:{marker} --> in the document")
    return m.group(1)


def make_inputs(captures, root):
    """The input tree; returns {relative path: bytes}."""
    samples = sorted(f for f in os.listdir(captures) if f.endswith((".pcap", ".pcapng")))
    inputs = {}
    for k in range(COPIES):
        s = samples[k % len(samples)]
        with open(os.path.join(captures, s), "rb") as fp:
            data = fp.read()
        folder = os.path.join(f"case {k % 3}", f"day-{k % 5}" if k % 2 else f"day {k % 5}'s")
        name = os.path.join(folder, f"{k}-{s}")
        if k % 7 == 0:
            name, data = name + ".gz", gzip.compress(data, mtime=0)
        inputs[name] = data
    with open(os.path.join(captures, "chat.pcap"), "rb") as fp:
        chat = fp.read()
    inputs[os.path.join("case 0", "cut short.pcap")] = chat[: len(chat) * 2 // 3]
    inputs[os.path.join("case 1", "notes.pcap")] = b"not a capture\n" * 10
    for rel, data in inputs.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fp:
            fp.write(data)
    return inputs


def joblog_rows(path):
    with open(path) as fp:
        lines = fp.read().splitlines()
    expect("joblog header", lines and lines[0].split("\t")[:2] == ["Seq", "Host"], lines[:1])
    rows = []
    for line in lines[1:]:
        cols = line.split("\t")
        if expect("joblog line", len(cols) >= 9, repr(line)):
            rows.append({"seq": int(cols[0]), "exit": int(cols[6])})
    return rows


class Recipe:
    def __init__(self, name, script, output_of, sequential, msnpdump, root, work, env):
        self.name, self.script = name, script
        self.output_of = output_of      # input rel path -> output path (file or folder)
        self.sequential = sequential    # input path -> expected content, or None (no output)
        self.msnpdump, self.root, self.work = msnpdump, root, work
        self.out = os.path.join(work, name + " out")
        self.joblog = os.path.join(work, name + ".joblog")
        self.env = dict(env, IN=root, OUT=self.out, JOBLOG=self.joblog)

    def run(self):
        r = subprocess.run(["bash", "-c", self.script], env=self.env, capture_output=True)
        return r

    def content(self, rel):
        path = self.output_of(self.out, rel)
        if os.path.isdir(path):
            return {f: open(os.path.join(path, f), "rb").read() for f in sorted(os.listdir(path))}
        if os.path.isfile(path):
            with open(path, "rb") as fp:
                return fp.read()
        return None

    def stamp(self, rel):
        path = self.output_of(self.out, rel)
        if os.path.isdir(path):
            path = os.path.join(path, "commands.log")
        st = os.stat(path)
        return (st.st_ino, st.st_mtime_ns)


def check_recipe(rc, inputs, expected, statuses):
    name = rc.name
    shutil.rmtree(rc.out, ignore_errors=True)
    if os.path.exists(rc.joblog):
        os.unlink(rc.joblog)
    failed = sorted(rel for rel, s in statuses.items() if s != 0)
    with_output = sorted(rel for rel in inputs if expected[rel] is not None)

    # First run: every output, every status.
    rc.run()
    for rel in inputs:
        got = rc.content(rel)
        expect(f"{name}: output of {rel!r}", got == expected[rel],
               "missing" if got is None else "differs from a sequential run")
    rows = joblog_rows(rc.joblog)
    expect(f"{name}: one job per input", len(rows) == len(inputs), f"{len(rows)} jobs")
    expect(f"{name}: exit statuses", sorted(r["exit"] for r in rows) == sorted(statuses.values()),
           f"{sorted(r['exit'] for r in rows if r['exit'])} vs "
           f"{sorted(s for s in statuses.values() if s)}")

    # Again: only the failed jobs run; the other outputs are not rewritten.
    stamps = {rel: rc.stamp(rel) for rel in with_output if statuses[rel] == 0}
    rc.run()
    rows2 = joblog_rows(rc.joblog)
    expect(f"{name}: a rerun runs the failed jobs only", len(rows2) - len(rows) == len(failed),
           f"{len(rows2) - len(rows)} jobs ran, {len(failed)} had failed")
    expect(f"{name}: a rerun rewrites no finished output",
           all(rc.stamp(rel) == stamps[rel] for rel in stamps))

    # Cut the joblog as a kill would (the last jobs never recorded), remove every output:
    # a rerun must redo the lost jobs and the failed ones, and only those.
    keep = len(inputs) // 2
    with open(rc.joblog) as fp:
        lines = fp.read().splitlines(keepends=True)
    header, jobs = lines[0], lines[1:]
    first = sorted(jobs, key=lambda line: int(line.split("\t")[0]))[:keep]
    with open(rc.joblog, "w") as fp:
        fp.writelines([header] + first)
    kept_ok = sum(1 for line in first if line.split("\t")[6] == "0")
    shutil.rmtree(rc.out)
    rc.run()
    present = [rel for rel in inputs if rc.content(rel) is not None]
    want = len(with_output) - kept_ok
    expect(f"{name}: a resumed run redoes the lost and failed jobs", len(present) == want,
           f"{len(present)} outputs, expected {want} ({kept_ok} jobs were recorded as done)")
    for rel in present:
        expect(f"{name}: resumed output of {rel!r}", rc.content(rel) == expected[rel], "differs")


def main():
    msnpdump, batch_md, captures, work = sys.argv[1:5]
    if not shutil.which("parallel"):
        print("GNU parallel is not installed (scripts/install-deps.sh installs it): skipped")
        return 77
    with open(batch_md) as fp:
        doc = fp.read()
    shutil.rmtree(work, ignore_errors=True)
    root = os.path.join(work, "captures")
    inputs = make_inputs(captures, root)

    bindir = os.path.join(work, "bin")
    os.makedirs(bindir)
    os.symlink(os.path.abspath(msnpdump), os.path.join(bindir, "msnpdump"))
    home = os.path.join(work, "home")
    os.makedirs(home)
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""), HOME=home,
               LC_ALL="C")

    # Sequential runs: the statuses and what each recipe must produce.
    statuses, jsonl, logsets = {}, {}, {}
    seqdir = os.path.join(work, "sequential")
    for i, rel in enumerate(sorted(inputs)):
        path = os.path.join(root, rel)
        r = subprocess.run([msnpdump, "-q", "-T", "jsonl", "-r", path], capture_output=True)
        statuses[rel] = r.returncode
        jsonl[rel] = r.stdout if r.returncode in (0, 14) else None
        logdir = os.path.join(seqdir, str(i))
        r2 = subprocess.run([msnpdump, "-q", "-w", logdir, "-r", path], capture_output=True)
        expect(f"sequential -w {rel!r}", r2.returncode == r.returncode, r2.stderr)
        logsets[rel] = ({f: open(os.path.join(logdir, f), "rb").read()
                         for f in sorted(os.listdir(logdir))}
                        if r.returncode in (0, 14) else None)
    expect("the tree has a truncated capture", sorted(set(statuses.values())) == [0, 3, 14],
           sorted(set(statuses.values())))

    recipes = [
        Recipe("jsonl", recipe(doc, "jsonl"),
               lambda out, rel: os.path.join(out, rel + ".jsonl"), jsonl, msnpdump, root, work,
               env),
        Recipe("logsets", recipe(doc, "logsets"),
               lambda out, rel: os.path.join(out, rel), logsets, msnpdump, root, work, env),
    ]
    for rc in recipes:
        check_recipe(rc, inputs, rc.sequential, statuses)

    for p in problems[:40]:
        print("FAIL", p)
    print(f"{len(inputs)} inputs, {len(recipes)} recipes")
    print(f"{'FAILED' if problems else 'ok'}: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

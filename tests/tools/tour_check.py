#!/usr/bin/env python3
"""docs/tour.md tells the truth about the samples:
- every `$ build/cli/msnpdump ...` block: the command runs, and the lines shown after it appear in
  its output, in order (a line "..." stands for lines left out);
- every excerpt of `explain` output (indented lines under a frame line) appears, line for line,
  in `msnpdump explain` of one committed sample;
- every image it shows exists, and the ladder SVGs are what docs/images/make-ladders.sh draws now.

Usage: tour_check.py MSNPDUMP REPO WORKDIR
"""
import os
import re
import shlex
import shutil
import subprocess
import sys


def blocks(text):
    """Fenced code blocks: lists of lines."""
    out, cur = [], None
    for line in text.splitlines():
        if line.startswith("```"):
            if cur is None:
                cur = []
            else:
                out.append(cur)
                cur = None
        elif cur is not None:
            cur.append(line)
    return out


def subsequence(want, got):
    it = iter(got)
    for w in want:
        if w == "...":
            continue
        if not any(w == g for g in it):
            return w
    return None


def main():
    msnpdump, repo, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(repo, "docs", "tour.md"), encoding="utf-8") as fp:
        tour = fp.read()
    problems = []
    captures = os.path.join(repo, "samples", "captures")
    explained = {}

    def explain_of(sample):
        if sample not in explained:
            run = subprocess.run([msnpdump, "-q", "explain", "-r", os.path.join(captures, sample)],
                                 capture_output=True, text=True)
            explained[sample] = run.stdout.splitlines()
        return explained[sample]

    samples = sorted(f for f in os.listdir(captures) if f.endswith((".pcap", ".pcapng")))
    commands = excerpts = 0
    for b in blocks(tour):
        if b and b[0].startswith("$ build/cli/msnpdump"):
            commands += 1
            argv = shlex.split(b[0][2:])
            argv[0] = msnpdump
            extract = os.path.join(work, "files")
            # --extract never overwrites: a second run would write C3_x-2
            shutil.rmtree(extract, ignore_errors=True)
            argv = [extract if a == "files" else a for a in argv]
            run = subprocess.run(argv, capture_output=True, text=True, cwd=repo)
            if run.returncode != 0:
                problems.append(f"{b[0]}: exit {run.returncode}: {run.stderr.strip()[:200]}")
                continue
            got = [line.replace(extract, "files") for line in run.stdout.splitlines()]
            missing = subsequence(b[1:], got)
            if missing is not None:
                problems.append(f"{b[0]}: the tour shows a line it does not print: {missing!r}")
        elif b and re.match(r"^ +\d+ \d\d:\d\d:\d\d\.\d{6} C\d+ ", b[0]):
            excerpts += 1
            if not any(subsequence(b, explain_of(s)) is None for s in samples):
                problems.append(f"an explain excerpt matches no sample's explain output: "
                                f"{b[0].strip()[:100]!r}")
    images = re.findall(r"\]\((images/[^)\s]+)\)", tour)
    for img in images:
        if not os.path.exists(os.path.join(repo, "docs", img)):
            problems.append(f"image {img} is missing")
    # The ladder SVGs, drawn again (the PNG needs Chromium and is not compared).
    fresh = os.path.join(work, "ladders")
    os.makedirs(fresh, exist_ok=True)
    script = os.path.join(repo, "docs", "images", "make-ladders.sh")
    with open(script, encoding="utf-8") as fp:
        lines = [line for line in fp.read().splitlines()
                 if line.startswith('"$msnpdump" -q ladder')]
    for line in lines:
        m = re.match(r'"\$msnpdump" (.*) -r "\$samples/([^"]+)" > "\$out/([^"]+)"$', line)
        if not m:
            problems.append(f"make-ladders.sh: cannot read {line!r}")
            continue
        args, sample, name = m.groups()
        run = subprocess.run([msnpdump] + shlex.split(args) + ["-r", os.path.join(captures, sample)],
                             capture_output=True)
        with open(os.path.join(repo, "docs", "images", name), "rb") as fp:
            if fp.read() != run.stdout:
                problems.append(f"docs/images/{name} is stale: run docs/images/make-ladders.sh")
    for p in problems:
        print(p)
    print(f"tour: {commands} commands, {excerpts} explain excerpts, {len(images)} images, "
          f"{len(lines)} ladders; {len(problems)} problems")
    return 1 if problems or commands == 0 or excerpts == 0 or not lines else 0


if __name__ == "__main__":
    sys.exit(main())

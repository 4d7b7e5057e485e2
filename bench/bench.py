#!/usr/bin/env python3
"""msnp benchmark (issue #7): throughput and peak memory of msnpdump against
the libpcap floor and the peers (msgsnarf, tshark with its built-in msnms
dissector, tshark with the project's msnp plugin), on large realistic
captures made by `msnpgen --population`.

Normally started through bench/run.sh, which builds everything first.
Standard library only. The result table goes to stdout and to
bench/results/<date>.md (<date>-<HHMM>.md for a later run the same day).
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import instructions

NOBODY = 65534
BASE_USERS = 2900  # ~1.22 M packets: at least the size of the capture in peers-and-cli.md §1.2
INSTR_USERS = 40   # ~12 k packets: tshark under callgrind takes about a minute on it

TEXT_CMD = re.compile(rb"^ *\d+ \S+ C\d+ +\S+ +(C>S|S>C) ")
TEXT_CONN = re.compile(rb"^ *\d+ \S+ C\d+ +\S+ +== ")
SNARF_LINE = re.compile(rb"^[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d MSN ")


def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


def sh(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace", **kw)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


# ---------------------------------------------------------------------------
# Inputs


def make_input(args, users, fmt):
    """Generate (or reuse) the population capture of `users` users."""
    gen = os.path.join(args.build, "samples", "msnpgen")
    ext = "pcapng" if fmt == "pcapng" else "pcap"
    base = os.path.join(args.data, f"pop-{users}u-seed{args.seed}")
    cap, counts, stamp = f"{base}.{ext}", f"{base}.json", f"{base}.{ext}.stamp"
    argv = [gen, "--population", str(users), "--seed", str(args.seed), "--format", fmt,
            "-o", cap, "--counts", counts, "--stats"]
    want = json.dumps({"argv": argv[1:], "gen": sha256(gen)})
    if os.path.exists(cap) and os.path.exists(counts) and os.path.exists(stamp):
        with open(stamp) as f:
            if f.read() == want:
                log(f"reusing {cap}")
                return cap, counts, None
    log(f"generating {cap} ({users} users)")
    errpath = os.path.join(args.scratch, "msnpgen.err")
    rc, wall, cpu, rss = run_measured(argv, errpath=errpath)
    with open(errpath, encoding="utf-8", errors="replace") as f:
        err = f.read()
    if rc != 0:
        sys.exit(f"bench: msnpgen failed ({rc}): {err}")
    os.chmod(cap, 0o644)
    with open(stamp, "w") as f:
        f.write(want)
    gen_info = {"wall": wall, "rss_kib": rss, "cpu": cpu, "stats": err.strip()}
    return cap, counts, gen_info


# ---------------------------------------------------------------------------
# Tools


class Tool:
    def __init__(self, key, label, argv_fn, env=None, counter=None, verify_fn=None,
                 note=""):
        self.key = key
        self.label = label
        self.argv_fn = argv_fn      # capture path -> argv (timed run)
        self.env = env
        self.counter = counter      # (kind, verify argv_fn or None)
        self.verify_fn = verify_fn  # capture path -> argv of the counting run (None: timed argv)
        self.note = note
        self.available = True
        self.why = ""


def run_measured(argv, env=None, stdout=subprocess.DEVNULL, errpath=None):
    """Run argv under bench/measure.c; return (exit code, wall s, cpu s, peak RSS KiB)."""
    errf = open(errpath, "wb") if errpath else subprocess.DEVNULL
    stat = os.path.join(MEASURE["scratch"], "measure.out")
    try:
        if os.path.exists(stat):
            os.unlink(stat)
        p = subprocess.run([MEASURE["bin"], stat] + argv, stdout=stdout, stderr=errf, env=env)
    finally:
        if errpath:
            errf.close()
    try:
        with open(stat) as f:
            wall, ut, st, rss, code = f.read().split()
    except (OSError, ValueError):
        return p.returncode or 125, float("nan"), float("nan"), 0
    return int(code), float(wall), float(ut) + float(st), int(rss)


MEASURE = {}


def count_output(kind, path):
    """Records in a tool's output file, by kind of output."""
    c = {}
    with open(path, "rb") as f:
        if kind == "pcount":
            m = re.match(rb"(\d+) packets", f.read())
            c["packets"] = int(m.group(1)) if m else None
        elif kind == "text":
            cmds = conns = blocks = 0
            for line in f:
                if TEXT_CMD.match(line):
                    if b"[MSNFTP file data" in line:
                        blocks += 1
                    else:
                        cmds += 1
                elif TEXT_CONN.match(line):
                    conns += 1
            c.update(commands=cmds, connections=conns)
        elif kind == "jsonl":
            types = {}
            for line in f:
                m = re.match(rb'\{"type":"([a-z_]+)"', line)
                k = m.group(1).decode() if m else "?"
                types[k] = types.get(k, 0) + 1
            c.update(types)
        elif kind == "snarf":
            c["messages"] = sum(1 for line in f if SNARF_LINE.match(line))
        elif kind == "lines":
            c["lines"] = sum(1 for line in f if line.strip())
        elif kind == "cmdfield":
            n = 0
            for line in f:
                line = line.strip()
                if line:
                    n += line.count(b",") + 1
            c["commands"] = n
    return c


def msnpdump_has_view(msnpdump, view, sample):
    """A view exists when the help names it and `msnpdump VIEW` decodes a sample."""
    try:
        h = sh([msnpdump, "--help"]).stdout
    except OSError:
        return False, "msnpdump missing"
    if not re.search(rf"\b{view}\b", h):
        return False, f"not available yet (`msnpdump --help` does not list `{view}`)"
    r = sh([msnpdump, view, "-q", "-r", sample])
    if r.returncode != 0:
        return False, f"not available yet (`msnpdump {view}` exits {r.returncode})"
    return True, ""


def nobody_env(args, plugin_dir=None):
    home = os.path.join(args.work, "home-nobody")
    os.makedirs(home, exist_ok=True)
    os.chown(home, NOBODY, NOBODY)
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "LC_ALL": "C"}
    if plugin_dir:
        env["WIRESHARK_PLUGIN_DIR"] = plugin_dir
    return env


def empty_plugin_dir(args):
    """WIRESHARK_PLUGIN_DIR replaces the system plugin folder: the msnp run
    loads msnp.so alone, so the msnms run loads nothing. With the system's
    plugins (profinet, opcua, mate, ... register on TCP too) it would do work
    the msnp run skips, and the ratio would flatter the plugin (~0.5 %)."""
    d = os.path.join(args.work, "plugins-none")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)
    return d


def as_nobody(argv):
    if os.getuid() != 0:
        return argv
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] + argv


def setup_tools(args, sample):
    md = os.path.join(args.build, "cli", "msnpdump")
    tools = []
    tools.append(Tool("floor", "floor: `pcount` (pcap_next_ex loop, -O2)",
                      lambda f: [args.pcount, f], counter="pcount"))
    tools.append(Tool("text", "`msnpdump -T text`", lambda f: [md, "-r", f],
                      counter="text"))
    tools.append(Tool("jsonl", "`msnpdump -T jsonl`", lambda f: [md, "-T", "jsonl", "-r", f],
                      counter="jsonl"))
    for view in ("chats", "stats"):
        t = Tool(view, f"`msnpdump {view}`", (lambda v: lambda f: [md, v, "-r", f])(view),
                 counter="jsonl" if view == "chats" else "lines",
                 verify_fn=(lambda v: lambda f: [md, v, "-T", "jsonl", "-r", f])(view)
                 if view == "chats" else None)
        ok, why = msnpdump_has_view(md, view, sample)
        t.available, t.why = ok, why
        tools.append(t)
    # The same two, built with profile-guided optimisation (scripts/build-pgo.sh):
    # reported beside the ordinary build, which the verdicts are on.
    if args.pgo_build:
        pmd = os.path.join(args.pgo_build, "cli", "msnpdump")
        for key, label, argv, counter in (
                ("jsonl-pgo", "`msnpdump -T jsonl`, PGO build", ["-T", "jsonl"], "jsonl"),
                ("stats-pgo", "`msnpdump stats`, PGO build", ["stats"], "lines")):
            t = Tool(key, label, (lambda a: lambda f: [pmd] + a + ["-r", f])(argv),
                     counter=counter)
            if not os.access(pmd, os.X_OK):
                t.available, t.why = False, f"no PGO build ({pmd} missing)"
            tools.append(t)
    snarf = shutil.which("msgsnarf") or ("/usr/sbin/msgsnarf"
                                         if os.path.exists("/usr/sbin/msgsnarf") else None)
    t = Tool("msgsnarf", "`msgsnarf -p` (dsniff)", lambda f: [snarf, "-p", f], counter="snarf")
    if not snarf:
        t.available, t.why = False, "msgsnarf not installed (apt-get install dsniff)"
    tools.append(t)

    tshark = shutil.which("tshark")
    # Both tshark runs reassemble reordered segments (off by default in 4.0),
    # without which the plugin misses commands whose first segment came late.
    ooo = ["-o", "tcp.reassemble_out_of_order:TRUE"]
    t = Tool("msnms", "`tshark -Y msnms -T fields -e frame.number` (built-in)",
             lambda f: as_nobody(["tshark", "-n"] + ooo + ["-r", f, "-Y", "msnms", "-T", "fields",
                                  "-e", "frame.number"]),
             env=nobody_env(args, empty_plugin_dir(args)), counter="lines")
    if not tshark:
        t.available, t.why = False, "tshark not installed"
    tools.append(t)

    plugin_src = os.path.join(args.build, "plugins", "4.0", "epan", "msnp.so")
    pdir = os.path.join(args.work, "plugin")
    t = Tool("msnp", "`tshark -Y msnp -T fields -e frame.number` (msnp plugin)",
             lambda f: as_nobody(["tshark", "-n"] + ooo + ["-r", f, "-Y", "msnp", "-T", "fields",
                                  "-e", "frame.number"]),
             env=nobody_env(args, pdir), counter="cmdfield",
             verify_fn=lambda f: as_nobody(["tshark", "-n"] + ooo + ["-r", f, "-Y", "msnp", "-T",
                                            "fields", "-e", "msnp.cmd", "-E",
                                            "occurrence=a", "-E", "aggregator=,"]))
    if not tshark:
        t.available, t.why = False, "tshark not installed"
    elif not os.path.exists(plugin_src):
        t.available, t.why = False, f"plugin not built ({plugin_src} missing)"
    else:
        dst = os.path.join(pdir, "4.0", "epan")
        os.makedirs(dst, exist_ok=True)
        shutil.copy(plugin_src, os.path.join(dst, "msnp.so"))
        for d in (pdir, os.path.join(pdir, "4.0"), dst):
            os.chmod(d, 0o755)
        os.chmod(os.path.join(dst, "msnp.so"), 0o644)
        r = subprocess.run(as_nobody(["tshark", "-G", "protocols"]), env=t.env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           errors="replace")
        if not re.search(r"\tmsnp$", r.stdout, re.M):
            t.available = False
            t.why = ("tshark did not load the plugin: " + r.stderr.strip()[:300]) or \
                "tshark did not load the plugin"
    tools.append(t)

    # The same pair with tshark's default output, a summary line per frame:
    # Wireshark then does not show the tree and makes only what the filter
    # and the columns need (also the GUI's first pass over a file).
    for base in tools[-2:]:
        proto = base.key
        s = Tool(proto + "-sum", f"`tshark -Y {proto}` (summary lines)",
                 lambda f, proto=proto: as_nobody(["tshark", "-n"] + ooo + ["-r", f, "-Y", proto]),
                 env=base.env, counter="lines")
        s.available, s.why = base.available, base.why
        tools.append(s)
    return tools


# ---------------------------------------------------------------------------
# Measurement


def verify(args, tool, cap, tag):
    """One untimed run whose output is counted (and a warm-up)."""
    argv = (tool.verify_fn or tool.argv_fn)(cap)
    out = os.path.join(args.scratch, f"{tool.key}-{tag}.out")
    err = os.path.join(args.scratch, f"{tool.key}-{tag}.err")
    with open(out, "wb") as o:
        rc, wall, cpu, rss = run_measured(argv, env=tool.env, stdout=o, errpath=err)
    kind = tool.counter
    if tool.verify_fn and tool.key == "chats":
        kind = "jsonl"
    c = count_output(kind, out) if rc == 0 else {}
    with open(err, "rb") as f:
        errtext = f.read().decode("utf-8", "replace")
    os.unlink(out)
    return rc, c, errtext


def beside_twins(order, r):
    """A PGO build runs right beside its ordinary twin, after it in round r = 0
    (the first), before it in r = 1, and so on: their ratio in each round
    then compares runs a second apart, not the machine's mood across a round."""
    twins = {ordinary(t.key): t for t in order if t.key.endswith("-pgo")}
    out = []
    for t in order:
        if t.key.endswith("-pgo"):
            continue
        twin = twins.get(t.key)
        out += [t] if twin is None else [twin, t] if r % 2 else [t, twin]
    return out


def paired(base_runs, runs):
    """Median, least and most of the per-round CPU time ratios run/base, or None."""
    rs = [b2["cpu"] / b1["cpu"] for b1, b2 in zip(base_runs, runs)
          if b1["rc"] == 0 and b2["rc"] == 0 and b1["cpu"] > 0]
    return (med(rs), min(rs), max(rs), len(rs)) if rs else None


# The floor's run is the shortest (about 0.08 s on the 1x input), so a pause of
# the machine moves it most, and every throughput verdict is a ratio to it: it
# runs this many times in a row in each round and counts as the median run.
FLOOR_RUNS = 3


def median_run(runs):
    """The run of median wall time among runs (the failed one if any failed)."""
    failed = [x for x in runs if x["rc"] != 0]
    if failed:
        return failed[0]
    return sorted(runs, key=lambda x: x["wall"])[len(runs) // 2]


def measure(args, tools, cap, rounds, tag):
    res = {t.key: [] for t in tools if t.available}
    order_rng = random.Random(args.seed * 1000 + len(tag))
    for r in range(rounds):
        order = [t for t in tools if t.available]
        order_rng.shuffle(order)
        order = beside_twins(order, r)
        log(f"{tag} round {r + 1}/{rounds}: " + " ".join(t.key for t in order)
            + f" (load {loadavg()})")
        for t in order:
            err = os.path.join(args.scratch, f"{t.key}-{tag}-time.err")
            runs = []
            for _ in range(FLOOR_RUNS if t.key == "floor" else 1):
                rc, wall, cpu, rss = run_measured(t.argv_fn(cap), env=t.env, errpath=err)
                runs.append({"rc": rc, "wall": wall, "cpu": cpu, "rss": rss})
                if rc != 0:
                    break
            res[t.key].append(median_run(runs))
            if rc != 0:
                with open(err, "rb") as f:
                    log(f"{t.key} exited {rc}: {f.read()[-300:].decode('utf-8', 'replace')}")
    return res


BATCH_FILES = 4


def measure_batch(args, cap1, rounds):
    """Many captures at once, as docs/batch.md runs them: GNU parallel starting
    one `msnpdump -q -T jsonl` per file (output to /dev/null), on BATCH_FILES
    links to the 1x input, with --jobs 1 and --jobs <cores>, alternating; the
    wall and CPU time of the whole parallel run. Returns ({jobs: [runs]}, None)
    or (None, why not)."""
    par = shutil.which("parallel")
    if not par:
        return None, "GNU parallel not installed (apt-get install parallel)"
    cores = os.cpu_count() or 1
    if cores < 2:
        return None, "one CPU: nothing to run in parallel"
    d = os.path.join(args.scratch, "batch")
    os.makedirs(d, exist_ok=True)
    files = []
    for i in range(BATCH_FILES):
        f = os.path.join(d, f"part{i + 1}.pcap")
        try:
            os.link(cap1, f)
        except OSError:
            os.symlink(cap1, f)
        files.append(f)
    md = os.path.join(args.build, "cli", "msnpdump")
    job = f"{shlex.quote(md)} -q -T jsonl -r {{}} > /dev/null"
    res = {1: [], cores: []}
    for r in range(rounds):
        order = [1, cores] if r % 2 == 0 else [cores, 1]
        log(f"batch round {r + 1}/{rounds}: --jobs " + ", ".join(map(str, order)))
        for j in order:
            err = os.path.join(args.scratch, f"batch-{j}.err")
            argv = [par, "--will-cite", "--halt", "now,fail=1", "--jobs", str(j), job,
                    ":::"] + files
            rc, wall, cpu, rss = run_measured(argv, errpath=err)
            res[j].append({"rc": rc, "wall": wall, "cpu": cpu, "rss": rss})
            if rc != 0:
                with open(err, "rb") as f:
                    log(f"batch --jobs {j} exited {rc}: "
                        f"{f.read()[-300:].decode('utf-8', 'replace')}")
    return res, None


def batch_lines(batch, size1):
    """The report's section on many captures at once."""
    res, why = batch
    L = ["## Many captures at once (GNU parallel, as in docs/batch.md)", ""]
    if res is None:
        return L + [f"Not measured: {why}.", ""]
    summ = {j: summarize(v) for j, v in res.items()}
    one = summ.get(1)
    L.append(f"{BATCH_FILES} links to the 1× input, `parallel --jobs N 'msnpdump -q -T jsonl "
             "-r {} > /dev/null'`, rounds alternating; wall and CPU time of the whole run.")
    L.append("")
    L.append("| jobs | median s (min–max) | CPU s | MB/s, all files | speed-up over 1 job |")
    L.append("|---|---|---|---|---|")
    for j in sorted(summ):
        s = summ[j]
        if not s:
            L.append(f"| {j} | failed | | | |")
            continue
        up = one["wall"] / s["wall"] if one else None
        L.append(f"| {j} | {fmt(s['wall'], 3)} ({fmt(s['wmin'], 3)}–{fmt(s['wmax'], 3)}) "
                 f"| {fmt(s['cpu'], 3)} | {fmt(BATCH_FILES * size1 / 1e6 / s['wall'], 1)} "
                 f"| {fmt(up, 2)}× |")
    L.append("")
    return L


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def summarize(runs):
    ok = [x for x in runs if x["rc"] == 0]
    if not ok:
        return None
    w = [x["wall"] for x in ok]
    return {"n": len(ok), "wall": med(w), "wmin": min(w), "wmax": max(w),
            "cpu": med([x["cpu"] for x in ok]), "cmin": min(x["cpu"] for x in ok),
            "rss": max(x["rss"] for x in ok) / 1024.0,
            "failed": len(runs) - len(ok)}


# ---------------------------------------------------------------------------
# Report


def fmt(x, nd=2):
    if x is None or x != x:
        return "–"
    return f"{x:,.{nd}f}"


def versions(args):
    v = {}
    md = os.path.join(args.build, "cli", "msnpdump")
    v["msnpdump"] = sh([md, "--version"]).stdout.strip().splitlines()[0] if os.path.exists(md) else "?"
    if shutil.which("tshark"):
        r = subprocess.run(["tshark", "--version"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
        v["tshark"] = (r.stdout.splitlines() or ["tshark ?"])[0]
    r = sh(["dpkg-query", "-W", "-f", "${Version}", "dsniff"])
    v["dsniff"] = r.stdout.strip() if r.returncode == 0 else "not installed"
    r = sh(["dpkg-query", "-W", "-f", "${Version}", "libpcap0.8"])
    v["libpcap"] = r.stdout.strip() if r.returncode == 0 else "?"
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")
    r = subprocess.run(["git", "-C", args.root, "rev-parse", "--short", "HEAD"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    head = r.stdout.strip() or "?"
    r = subprocess.run(["git", "-C", args.root, "status", "--porcelain", "--untracked-files=no"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    dirty = len([l for l in r.stdout.splitlines() if l.strip()])
    v["tree"] = f"{head}" + (f" + {dirty} modified files (uncommitted)" if dirty else "")
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    v["machine"] = f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}"
    return v


def ordinary(key):
    """A PGO build's tool key -> the ordinary build's, whose counts it shares."""
    return key[:-len("-pgo")] if key.endswith("-pgo") else key


def expected_for(key, counts):
    """(what, expected number) the tool's count is compared with."""
    key = ordinary(key)
    return {
        "floor": ("packets", counts["packets"]),
        "text": ("commands", counts["commands"]),
        "jsonl": ("command", counts["commands"]),
        "chats": ("message", counts["text_messages"]),
        "msgsnarf": ("messages", counts["text_messages"]),
        "msnms": ("lines", counts["data_packets_port_1863"]),
        "msnp": ("commands", counts["commands"]),
        "msnms-sum": ("lines", counts["data_packets_port_1863"]),
    }.get(key)


def records_cell(key, c, counts):
    if c is None:
        return "–", "–"
    key = ordinary(key)
    exp = expected_for(key, counts)
    if key == "stats":
        return f"{c.get('lines', 0):,} lines", "(summary)"
    if key == "msnp-sum":
        return f"{c.get('lines', 0):,} frames", "(one line per frame with MSNP)"
    if not exp:
        return str(c), "–"
    what, want = exp
    got = c.get(what)
    if got is None:
        return "–", f"{want:,} {what}"
    extra = ""
    if key == "text":
        extra = f", {c.get('connections', 0):,} conns"
    if key == "jsonl":
        extra = f", {c.get('connection', 0):,} conns"
        what = "commands"
    pct = 100.0 * got / want if want else 0.0
    mark = "✔" if got == want else f"{pct:.1f} %"
    if key in ("msnms", "msnms-sum"):
        mark = f"{pct:.1f} % (frames vs data segments on port 1863)"
    return f"{got:,} {what}{extra}", f"{want:,} — {mark}"


def report(args, tools, counts, size, summ, rss_scales, ver, vinfo, gens, load0, load1,
           started, elapsed, instr, batch=None):
    L = []
    P = L.append
    pk = counts["packets"]
    mb = size / 1e6
    P(f"# msnp benchmark — {started:%Y-%m-%d %H:%M} UTC")
    P("")
    P(f"Command: `{' '.join(['bench/run.sh'] + args.passthrough)}` ({elapsed / 60:.1f} min)")
    P("")
    busy, waited = is_busy(summ)
    P(f"- Machine: {ver['machine']}; load average {load0} at start, {load1} at end (the "
      "benchmark's own runs count in it)"
      + (f" — **the machine was busy: the timed runs waited for a CPU ({waited}); wall times "
         "are inflated and noisy, the CPU-time columns are the steadier ones and the "
         "throughput targets are judged on them**" if busy
         else f"; the timed runs did not wait for a CPU ({waited})"))
    P(f"- Tree: {ver['tree']}; {ver['msnpdump']}; {ver.get('tshark', 'tshark: not installed')}; "
      f"dsniff {ver['dsniff']}; libpcap {ver['libpcap']}")
    P(f"- Input (1×): `msnpgen --population {counts['users']} --seed {args.seed}` → "
      f"{mb:,.1f} MB pcap, {pk:,} packets, {counts['connections']:,} TCP connections "
      f"({counts['connections_ds']:,} DS, {counts['connections_ns']:,} NS, "
      f"{counts['connections_sb']:,} SB, {counts['connections_msnftp']:,} MSNFTP), "
      f"{counts['users']:,} users, {counts['chats']:,} chats, {counts['commands']:,} commands, "
      f"{counts['text_messages']:,} text messages, {counts['typing_notifications']:,} typing "
      f"notifications, {counts['invitations']:,} invitations, {counts['msnftp_transfers']:,} "
      f"MSNFTP transfers; at most {counts['max_open_connections']:,} connections open at once; "
      f"{counts['span_seconds']:.0f} s of traffic")
    if gens:
        g = ", ".join(f"{k}: {v['wall']:.1f} s, {v['rss_kib'] / 1024:.0f} MiB"
                      for k, v in gens.items() if v)
        if g:
            P(f"- Generation (msnpgen, wall time, peak RSS): {g}")
    P(f"- Method: {args.rounds} rounds; each round runs every tool once in a new random order "
      f"(the floor {FLOOR_RUNS} times in a row, counted as the median of the {FLOOR_RUNS}: its "
      "run is the shortest, the one a pause of the machine moves most); "
      "median wall time, (min–max) spread; stdout to /dev/null; MB = 10^6 bytes of the input file; "
      "peak RSS from wait4(). An untimed run of each tool first (warm-up) has its output counted "
      "against the generator's ground truth. tshark runs as an unprivileged user (setpriv) so "
      "that WIRESHARK_PLUGIN_DIR is honoured; both tshark variants run the same way and load no "
      "plugin but msnp (the msnms runs get an empty plugin folder, not the system's).")
    P("")
    P(f"## Throughput on the 1× input ({mb:,.1f} MB, {pk:,} packets)")
    P("")
    P("| tool | median s (min–max) | MB/s | kpkt/s | CPU s | MB/s per CPU s | peak RSS MiB "
      "| % of floor | × tshark msnms | records out | ground truth |")
    P("|---|---|---|---|---|---|---|---|---|---|---|")
    fl = summ.get("floor")
    ts = summ.get("msnms")
    for t in tools:
        if not t.available:
            P(f"| {t.label} | {t.why} | | | | | | | | | |")
            continue
        s = summ.get(t.key)
        if not s:
            P(f"| {t.label} | failed (every run exited non-zero) | | | | | | | | | |")
            continue
        pct = 100.0 * fl["wall"] / s["wall"] if fl else None
        xts = ts["wall"] / s["wall"] if ts else None
        rec, truth = records_cell(t.key, vinfo.get(t.key, {}).get("counts"), counts)
        vrc = vinfo.get(t.key, {}).get("rc")
        if vrc not in (None, 0):
            rec = f"exit {vrc}"
        fail = f" ({s['failed']} failed)" if s["failed"] else ""
        P(f"| {t.label} | {fmt(s['wall'], 3)} ({fmt(s['wmin'], 3)}–{fmt(s['wmax'], 3)}){fail} "
          f"| {fmt(mb / s['wall'], 1)} | {fmt(pk / 1e3 / s['wall'], 0)} | {fmt(s['cpu'], 3)} "
          f"| {fmt(mb / s['cpu'] if s['cpu'] > 0 else None, 1)} | {fmt(s['rss'], 1)} "
          f"| {fmt(pct, 1)} | {fmt(xts, 1)} | {rec} | {truth} |")
    P("")
    if rss_scales:
        scales = sorted({sc for d in rss_scales.values() for sc in d})
        P("## Peak RSS against input size")
        P("")
        hdr = " | ".join(f"{sc}× ({rss_scales['_size'][sc] / 1e6:,.0f} MB, "
                         f"{rss_scales['_packets'][sc] / 1e6:.2f} M pkts)" for sc in scales)
        P(f"| tool | {hdr} |")
        P("|---|" + "---|" * len(scales))
        for t in tools:
            d = rss_scales.get(t.key)
            if not d or t.key.endswith("-pgo"):
                continue
            cells = []
            for sc in scales:
                x = d.get(sc)
                if not x:
                    cells.append("–")
                else:
                    cells.append(f"{x['rss']:.1f} MiB, {rss_scales['_size'][sc] / 1e6 / x['wall']:,.0f} MB/s")
            P(f"| {t.label} | " + " | ".join(cells) + " |")
        P("")
    if batch is not None:
        L.extend(batch_lines(batch, size))
    P("## Targets (issue #7)")
    P("")
    for line in targets(tools, summ, rss_scales, busy):
        P(f"- {line}")
    P("")
    if instr is not None:
        L.extend(instructions.report_lines(instr["counts"], tools, args.instr_users, args.seed,
                                           instr["packets"]))
    P("Notes: record counts come from the untimed run (msnpdump views with `-T jsonl` where the "
      "count needs it; the plugin's run with `-e msnp.cmd -E occurrence=a` counts commands). "
      "`msgsnarf` prints only text/plain messages; `tshark -Y msnms` prints one line per "
      "TCP segment on port 1863 (no reassembly), so its count is compared with data segments, "
      "not commands.")
    return "\n".join(L) + "\n"


def is_busy(summ):
    """Busy: some tool's median wall time on the 1x input exceeds its median
    CPU time by more than 10 %, i.e. it waited for a CPU (the input is in the
    page cache, so a run that never waits takes as long as it computes). The
    load average cannot tell: the benchmark's own runs keep it near 1.
    Returns (busy, what the worst ratio was)."""
    worst, key = 0.0, None
    for k, v in summ.items():
        if v and v.get("cpu", 0) > 0:
            r = v["wall"] / v["cpu"]
            if r > worst:
                worst, key = r, k
    if key is None:
        return False, "no timed run"
    return worst > 1.10, f"largest median wall/CPU time {worst:.2f}, {key}"


def targets(tools, summ, rss_scales, busy=False):
    """PASS/FAIL per target of issue #7. Throughput ratios are judged on wall
    time when the machine was idle, on CPU time when it was busy (other jobs
    stretch wall times, short runs such as the floor's the most). A ratio
    must also hold between the tools' least disturbed rounds (least CPU
    time): where the medians and those rounds disagree, a pause of the
    machine decided it, and the verdict is UNSETTLED rather than either."""
    out = []
    fl = summ.get("floor")
    avail = {t.key: t for t in tools}

    def least(base, s, share):
        """The same ratio from each tool's least disturbed round (its least CPU
        time), or None with fewer than two rounds."""
        if not base or not s or base["cmin"] <= 0 or s["cmin"] <= 0 or s["n"] < 2:
            return None
        return base["cmin"] / s["cmin"] if share else s["cmin"] / base["cmin"]

    def best_of(base, s, share):
        r = least(base, s, share)
        if r is None:
            return ""
        return f"; least CPU time of {s['n']} rounds each: " + (f"{r:.1%}" if share else f"{r:.2f}×")

    def judge(median_ok, least_ok):
        if least_ok is None or median_ok == least_ok:
            return "PASS" if median_ok else "FAIL"
        return "UNSETTLED"
    basis = "CPU time (machine busy)" if busy else "wall time"

    def ratio_line(key, want, what):
        t = avail.get(key)
        if not t or not t.available:
            return f"N/A — {what} ≥ {want:.0%} of the floor: {t.why if t else 'not measured'}"
        s = summ.get(key)
        if not s or not fl:
            return f"FAIL — {what}: no successful run"
        rw = fl["wall"] / s["wall"]
        rc = fl["cpu"] / s["cpu"] if s["cpu"] > 0 and fl["cpu"] > 0 else float("nan")
        r = rc if busy else rw
        rl = least(fl, s, True)
        verdict = judge(r >= want, None if rl is None else rl >= want)
        return (f"{verdict} — {what} at {r:.1%} of the floor's throughput by {basis} "
                f"(target ≥ {want:.0%}; by wall time {rw:.1%}, by CPU time {rc:.1%}"
                f"{best_of(fl, s, True)})")

    out.append(ratio_line("jsonl", 0.15, "`msnpdump -T jsonl`"))
    out.append(ratio_line("stats", 0.35, "`msnpdump stats`"))
    for key, want, what in (("jsonl-pgo", 0.15, "`msnpdump -T jsonl`"),
                            ("stats-pgo", 0.35, "`msnpdump stats`")):
        s, t = summ.get(key), avail.get(key)
        if not (s and t and t.available and fl):
            continue
        r = fl["cpu"] / s["cpu"] if busy else fl["wall"] / s["wall"]
        pr = s.get("paired")
        gain = (f"; it took {pr[0]:.2f} of the ordinary build's CPU time, median of {pr[3]} "
                f"rounds run side by side ({pr[1]:.2f}–{pr[2]:.2f})" if pr else "")
        out.append(f"(not a verdict: the PGO build, `scripts/build-pgo.sh`) — {what} at {r:.1%} "
                   f"of the floor's throughput by {basis} ({'meets' if r >= want else 'misses'} "
                   f"the {want:.0%} target{gain})")
    # memory
    lines = []
    verdict = "PASS"
    for key in ("text", "jsonl", "chats", "stats"):
        d = rss_scales.get(key) if rss_scales else None
        if not d:
            continue
        sc = sorted(d)
        vals = [d[s]["rss"] for s in sc]
        flat = vals[-1] <= vals[0] * 1.10 + 2.0
        ok = max(vals) <= 64.0 and flat
        if not ok:
            verdict = "FAIL"
        pk = [rss_scales["_packets"][s] for s in sc]
        slope = ((vals[-1] - vals[0]) * 1048576.0 / (pk[-1] - pk[0])) if pk[-1] > pk[0] else 0.0
        lines.append(f"{key} " + "/".join(f"{v:.1f}" for v in vals) + " MiB"
                     + ("" if flat else f" (grows: {slope:.2f} bytes per packet)"))
    if lines:
        scl = "/".join(f"{s}×" for s in sorted(rss_scales["_size"]))
        out.append(f"{verdict} — msnpdump peak RSS ≤ 64 MiB and independent of capture size "
                   f"(MiB at {scl}: " + "; ".join(lines)
                   + "; flat = largest ≤ 1.10 × smallest + 2 MiB)")
    else:
        out.append("N/A — memory: msnpdump not measured")
    t = avail.get("msnp")
    if not t or not t.available:
        out.append(f"N/A — tshark+msnp within 1.15× the time of tshark+msnms: {t.why if t else ''}")
    else:
        a, b = summ.get("msnp"), summ.get("msnms")
        if a and b:
            rw, rc = a["wall"] / b["wall"], a["cpu"] / b["cpu"]
            r = rc if busy else rw
            rl = least(b, a, False)
            verdict = judge(r <= 1.15, None if rl is None else rl <= 1.15)
            out.append(f"{verdict} — tshark+msnp takes {r:.2f}× the time "
                       f"of tshark+msnms by {basis} (target ≤ 1.15×; wall {rw:.2f}×, "
                       f"CPU {rc:.2f}×{best_of(b, a, False)})")
        else:
            out.append("FAIL — tshark+msnp vs msnms: a run failed")
    a, b = summ.get("msnp-sum"), summ.get("msnms-sum")
    if a and b:
        rw, rc = a["wall"] / b["wall"], a["cpu"] / b["cpu"]
        out.append(f"(not a target) — with tshark's summary output (`-Y msnp` against `-Y msnms`, "
                   f"no tree shown) tshark+msnp takes {rc if busy else rw:.2f}× the time of "
                   f"tshark+msnms by {basis} (wall {rw:.2f}×, CPU {rc:.2f}×)")
    return out


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--build", help="build directory (msnpdump, msnpgen, plugin)")
    ap.add_argument("--work", default="/tmp/msnp-bench", help="inputs and scratch")
    ap.add_argument("--pcount", help="the floor binary (bench/pcount.c)")
    ap.add_argument("--measure", help="the runner binary (bench/measure.c)")
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds on the 1× input (5)")
    ap.add_argument("--users", type=int, default=BASE_USERS,
                    help=f"users of the 1× input ({BASE_USERS}: ~1.22 M packets)")
    ap.add_argument("--scales", default="1,4,16", help="input sizes for the memory check")
    ap.add_argument("--scale-rounds", type=int, default=1,
                    help="runs per tool on the larger inputs (1)")
    ap.add_argument("--tshark-scales", action="store_true",
                    help="also run tshark on the larger inputs (slow, GiBs of RSS)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--instr-users", type=int, default=INSTR_USERS,
                    help=f"users of the input counted in instructions ({INSTR_USERS}); "
                    "0 leaves the count out")
    ap.add_argument("--quick", action="store_true",
                    help="1 round, 1× and 4× only, no instruction count")
    ap.add_argument("--no-build", action="store_true", help="(run.sh) use the existing build")
    ap.add_argument("--pgo-build", help="(run.sh) build directory of scripts/build-pgo.sh, "
                    "measured beside the ordinary build")
    ap.add_argument("--no-pgo", action="store_true", help="(run.sh) no PGO build")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results/")
    args = ap.parse_args()
    # The report's command line is what the user gave run.sh, without the
    # paths run.sh adds.
    from_run_sh = ("--root", "--build", "--work", "--pcount", "--measure", "--pgo-build")
    args.passthrough = []
    skip = False
    for a in sys.argv[1:]:
        if skip:
            skip = False
        elif a in from_run_sh:
            skip = True
        elif a.split("=")[0] not in from_run_sh:
            args.passthrough.append(a)
    if args.quick:
        args.rounds = 1
        args.scales = "1,4"
        args.instr_users = 0
    if not args.build:
        args.build = os.path.join(args.work, "build")
    if not args.pcount:
        args.pcount = os.path.join(args.work, "pcount")
    if not args.measure:
        args.measure = os.path.join(args.work, "measure")
    scales = sorted({int(x) for x in args.scales.split(",") if x.strip()})
    if 1 not in scales:
        scales = [1] + scales
    started = datetime.datetime.now(datetime.timezone.utc)
    t_start = time.perf_counter()
    load0 = loadavg()

    os.makedirs(args.work, exist_ok=True)
    args.data = os.path.join(args.work, "data")
    os.makedirs(args.data, exist_ok=True)
    for d in (args.work, args.data):
        os.chmod(d, 0o755)
    args.scratch = tempfile.mkdtemp(prefix="run-", dir=args.work)
    MEASURE["bin"], MEASURE["scratch"] = args.measure, args.scratch

    # inputs
    caps, gens = {}, {}
    for sc in scales:
        cap, cj, g = make_input(args, args.users * sc, "pcap")
        with open(cj) as f:
            caps[sc] = (cap, json.load(f), os.path.getsize(cap))
        gens[f"{sc}×"] = g
    cap1, counts, size1 = caps[1]
    # tshark as nobody must be able to read the input
    if os.getuid() == 0:
        r = subprocess.run(as_nobody(["test", "-r", cap1]))
        if r.returncode != 0:
            sys.exit(f"bench: {cap1} is not readable by uid {NOBODY}; use a world-readable "
                     "MSNP_BENCH_DIR")

    sample = os.path.join(args.root, "samples", "captures", "chat.pcap")
    tools = setup_tools(args, sample)
    for t in tools:
        if not t.available:
            log(f"{t.key}: skipped — {t.why}")

    # warm the page cache, then one counted (untimed) run per tool
    with open(cap1, "rb") as f:
        while f.read(1 << 22):
            pass
    vinfo = {}
    for t in tools:
        if not t.available:
            continue
        log(f"counting run: {t.key}")
        rc, c, err = verify(args, t, cap1, "1x")
        vinfo[t.key] = {"rc": rc, "counts": c, "err": err}
        if rc != 0:
            log(f"{t.key}: counting run exited {rc}: {err[-300:]}")

    res = measure(args, tools, cap1, args.rounds, "1x")
    summ = {k: summarize(v) for k, v in res.items()}
    for k in res:
        if k.endswith("-pgo") and summ.get(k) and ordinary(k) in res:
            summ[k]["paired"] = paired(res[ordinary(k)], res[k])
    batch = measure_batch(args, cap1, max(2, min(args.rounds, 3))) if not args.quick else None

    # memory against size
    rss_scales = {"_size": {}, "_packets": {}}
    for sc in scales:
        cap, cj, size = caps[sc]
        rss_scales["_size"][sc] = size
        rss_scales["_packets"][sc] = cj["packets"]
        if sc == 1:
            for k, s in summ.items():
                if s:
                    rss_scales.setdefault(k, {})[1] = {"rss": s["rss"], "wall": s["wall"]}
            continue
        with open(cap, "rb") as f:
            while f.read(1 << 22):
                pass
        sub = [t for t in tools if t.available and not t.key.endswith("-pgo")
               and (args.tshark_scales or t.key not in ("msnms", "msnp", "msnms-sum", "msnp-sum"))]
        r = measure(args, sub, cap, args.scale_rounds, f"{sc}x")
        for k, v in r.items():
            s = summarize(v)
            if s:
                rss_scales.setdefault(k, {})[sc] = {"rss": s["rss"], "wall": s["wall"]}

    load1 = loadavg()

    # instructions, after the timed runs (callgrind keeps a core busy)
    instr = None
    if args.instr_users > 0:
        cap, cj, _ = make_input(args, args.instr_users, "pcap")
        with open(cj) as f:
            small = json.load(f)
        instr = {"packets": small["packets"],
                 "counts": instructions.count(tools, cap, small["packets"], log)}

    ver = versions(args)
    md = report(args, tools, counts, size1, summ, rss_scales, ver, vinfo, gens, load0, load1,
                started, time.perf_counter() - t_start, instr, batch)
    print(md)
    if not args.no_write:
        outdir = os.path.join(args.root, "bench", "results")
        os.makedirs(outdir, exist_ok=True)
        # A later run the same day gets its own file: an earlier report may
        # not be committed yet.
        path = os.path.join(outdir, f"{started:%Y-%m-%d}.md")
        if os.path.exists(path):
            path = os.path.join(outdir, f"{started:%Y-%m-%d-%H%M}.md")
        with open(path, "w") as f:
            f.write(md)
        log(f"wrote {path}")
    raw = os.path.join(args.work, "last-run.json")
    with open(raw, "w") as f:
        json.dump({"runs": res, "verify": {k: {"rc": v["rc"], "counts": v["counts"]}
                                           for k, v in vinfo.items()},
                   "rss_scales": {str(k): v for k, v in rss_scales.items()},
                   "instructions": instr,
                   "batch": batch[0] if batch else None}, f, indent=1)
    shutil.rmtree(args.scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

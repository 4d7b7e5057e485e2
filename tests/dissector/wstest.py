"""Running the real tshark with the msnp plugin of this build tree.

Wireshark ignores WIRESHARK_PLUGIN_DIR (and the personal plugin folder) when
started by root, and CI runs as root: then tshark runs as nobody
(setpriv --reuid=65534 --regid=65534 --clear-groups). nobody may not be able
to enter the checkout, so the plugin and the captures are copied into a
scratch directory (mode 755) first: <scratch>/plugins/<major.minor>/epan/msnp.so,
<scratch>/home (tshark's HOME), <scratch>/<capture>. As an ordinary user the
same scratch directory is used, without setpriv.

Exit status 77 (ctest's SKIP_RETURN_CODE) when tshark is not installed.
"""
import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
NOBODY = 65534


def skip(message):
    print(f"skipped: {message}")
    sys.exit(SKIP)


class Tshark:
    def __init__(self, plugin):
        self.tshark = shutil.which("tshark")
        if not self.tshark:
            skip("tshark is not installed (scripts/install-deps.sh installs it)")
        self.as_root = os.geteuid() == 0
        if self.as_root and not shutil.which("setpriv"):
            skip("running as root needs setpriv (util-linux) to run tshark as nobody")
        # plugin is <build>/plugins/<major.minor>/epan/msnp.so
        abi = os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(plugin))))
        self.scratch = tempfile.mkdtemp(prefix="msnp-dissector-")
        atexit.register(shutil.rmtree, self.scratch, True)
        os.chmod(self.scratch, 0o755)
        epan = os.path.join(self.scratch, "plugins", abi, "epan")
        os.makedirs(epan)
        for d in (os.path.join(self.scratch, "plugins"), os.path.dirname(epan), epan):
            os.chmod(d, 0o755)
        shutil.copy(plugin, os.path.join(epan, "msnp.so"))
        os.chmod(os.path.join(epan, "msnp.so"), 0o755)
        self.home = os.path.join(self.scratch, "home")
        os.makedirs(self.home)
        if self.as_root:
            os.chown(self.home, NOBODY, NOBODY)

    def capture(self, path):
        """A copy of a capture that tshark (as nobody) can read."""
        dest = os.path.join(self.scratch, os.path.basename(path))
        if not os.path.exists(dest):
            shutil.copy(path, dest)
            os.chmod(dest, 0o644)
        return dest

    def workdir(self, name):
        """A directory for files the test and tshark share."""
        d = os.path.join(self.scratch, name)
        os.makedirs(d, exist_ok=True)
        os.chmod(d, 0o777)
        return d

    def generate(self, msnpgen, name, *gen_args):
        """A capture msnpgen makes (`msnpgen GEN_ARGS -o FILE`: a scenario, or
        --population ...), where tshark can read it."""
        path = os.path.join(self.workdir("made"), name)
        subprocess.run([msnpgen, *gen_args, "-o", path], check=True)
        os.chmod(path, 0o644)
        return path

    def command(self, args, env=None):
        environment = {
            "HOME": self.home,
            "WIRESHARK_PLUGIN_DIR": os.path.join(self.scratch, "plugins"),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LC_ALL": "C.UTF-8",
        }
        preload = os.environ.get("MSNP_TSHARK_PRELOAD")
        if preload:
            # A plugin built with AddressSanitizer (see CMakeLists-dissector.cmake).
            environment["LD_PRELOAD"] = preload
            environment["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1"
            environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
            # The extcap programs tshark starts would get the runtime too, and
            # one of them (androiddump) then hangs: give tshark none.
            extcap = os.path.join(self.scratch, "no-extcap")
            os.makedirs(extcap, exist_ok=True)
            os.chmod(extcap, 0o755)
            environment["WIRESHARK_EXTCAP_DIR"] = extcap
        environment.update(env or {})
        # No name resolution: nothing to look up, and no waiting on DNS.
        # (-G must come first.)
        args = list(args)
        cmd = [self.tshark] + (args if args[:1] == ["-G"] else ["-n"] + args)
        if self.as_root:
            cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                   "env", "-i"] + [f"{k}={v}" for k, v in environment.items()] + cmd
            return cmd, None
        return cmd, environment

    def run(self, args, env=None, check=True, timeout=120):
        cmd, environment = self.command(args, env)
        proc = subprocess.run(cmd, env=environment, capture_output=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise RuntimeError(f"tshark {' '.join(args)} exited {proc.returncode}:\n"
                               f"{proc.stderr.decode('utf-8', 'replace')}")
        return proc

    def text(self, args, **kw):
        return self.run(args, **kw).stdout.decode("utf-8")

    def require_plugin(self):
        """Fail (not skip) when tshark did not load our plugin. One test
        (dissector.fields) does; the others would only repeat it."""
        out = self.text(["-G", "plugins"])
        if "msnp.so" not in out:
            raise RuntimeError("tshark did not load msnp.so from "
                               f"{self.scratch}/plugins:\n{out}")

    def packets(self, capture, fields, extra=()):
        """-T json -e FIELD...: one dict per packet, each field a list of values."""
        args = ["-r", self.capture(capture), "-T", "json"]
        for f in fields:
            args += ["-e", f]
        out = self.text(args + list(extra))
        rows = []
        for pkt in json.loads(out or "[]"):
            layers = pkt["_source"]["layers"]
            rows.append({f: layers.get(f, []) for f in fields})
        return rows


def faces_command_line():
    """The command line of each comparison of the two faces: --plugin
    MSNP_SO --msnpdump MSNPDUMP [--private] [--msnpgen MSNPGEN] CAPTURE.
    With --msnpgen, CAPTURE is an msnpgen scenario, made into a capture
    first. Returns the arguments and a Tshark; exit 77 when CAPTURE is not
    here (the real capture lives outside the repository)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--msnpdump", required=True)
    ap.add_argument("--private", action="store_true")
    ap.add_argument("--msnpgen")
    ap.add_argument("capture")
    args = ap.parse_args()
    if not os.path.exists(args.capture):
        skip(f"{args.capture} is not here")
    tshark = Tshark(args.plugin)
    if args.msnpgen:
        stem = os.path.splitext(os.path.basename(args.capture))[0]
        args.capture = tshark.generate(args.msnpgen, stem + ".pcap", args.capture)
    return args, tshark


def msnpdump_records(msnpdump, capture):
    """msnpdump -T jsonl's records of CAPTURE (exit status 14, damaged
    input, still gives them)."""
    run = subprocess.run([msnpdump, "-q", "-T", "jsonl", "-r", capture], capture_output=True,
                         text=True)
    if run.returncode not in (0, 14):
        raise RuntimeError(f"msnpdump exited {run.returncode}: {run.stderr}")
    return [json.loads(row) for row in run.stdout.splitlines()]


def gateway_sessions(records):
    """The uids of the HTTP-gateway sessions msnpdump stitched."""
    return {r["uid"] for r in records if r["type"] == "connection" and "gateway" in r}


def gateway_frames(records):
    """Frames that complete a command of an HTTP-gateway session."""
    sessions = gateway_sessions(records)
    return {r["frame"] for r in records if r["type"] == "command" and r["uid"] in sessions}


def endpoint(ip, port):
    """msnpdump's notation: a.b.c.d:port, [v6]:port."""
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"

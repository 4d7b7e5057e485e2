#!/usr/bin/env python3
"""What the plugin adds to tshark's memory, per packet, on a busy capture.

tshark keeps state for every packet whatever dissects it (about 0.7 KiB a
packet with the built-in msnms dissector); the plugin adds its own: a record
per PDU and per frame, TCP's reassembly of PDUs split over segments, the
connections and the login correlator. This test makes a population capture
(msnpgen --population: logins, chats, transfers, hundreds of connections at
once), runs `tshark -Y msnms` with no plugin and `tshark -Y msnp` with ours,
both `-T fields -e frame.number` as the benchmark does, and bounds the
difference of their peak resident set sizes (GNU time's %M) per packet.

The bound, 256 bytes a packet, sits between what the plugin took before
2026-11-27 (about 320: state of every conversation kept to the end, a
128-byte record per PDU, frame records as proto data) and what it takes now
(about 190). Under AddressSanitizer (MSNP_TSHARK_PRELOAD) peak memory says
nothing about the plugin's own: skipped.

Usage: check_memory.py --plugin MSNP_SO --msnpgen MSNPGEN
"""
import argparse
import os
import struct
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wstest  # noqa: E402

TIME = "/usr/bin/time"
USERS, SEED = 300, 3
BOUND = 256  # bytes a packet


def packets_in(path):
    """Records of a classic pcap file (what msnpgen writes)."""
    with open(path, "rb") as f:
        data = f.read()
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    n, at = 0, 24
    while at + 16 <= len(data):
        caplen = struct.unpack(endian + "I", data[at + 8:at + 12])[0]
        at += 16 + caplen
        n += 1
    return n


def peak_rss(tshark, args, env, workdir, name):
    """Peak RSS in KiB of one tshark run, and its standard output."""
    out = os.path.join(workdir, name + ".rss")
    cmd, environment = tshark.command(args, env)
    proc = subprocess.run([TIME, "-f", "%M", "-o", out] + cmd, env=environment,
                          capture_output=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"tshark {' '.join(args)} exited {proc.returncode}:\n"
                           f"{proc.stderr.decode('utf-8', 'replace')}")
    with open(out) as f:
        return int(f.read().split()[-1]), proc.stdout.decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--msnpgen", required=True)
    args = ap.parse_args()
    if os.environ.get("MSNP_TSHARK_PRELOAD"):
        wstest.skip("peak memory under AddressSanitizer is not the plugin's")
    if not os.access(TIME, os.X_OK):
        wstest.skip(f"{TIME} (GNU time) is not installed (scripts/install-deps.sh installs it)")
    tshark = wstest.Tshark(args.plugin)
    tshark.require_plugin()
    work = tshark.workdir("memory")
    capture = tshark.generate(args.msnpgen, f"pop{USERS}.pcap", "--population", str(USERS),
                              "--seed", str(SEED))
    packets = packets_in(capture)
    none = tshark.workdir("no-plugins")
    fields = ["-o", "tcp.reassemble_out_of_order:TRUE", "-r", capture, "-T", "fields",
              "-e", "frame.number"]
    base, base_out = peak_rss(tshark, fields + ["-Y", "msnms"],
                              {"WIRESHARK_PLUGIN_DIR": none}, work, "msnms")
    ours, ours_out = peak_rss(tshark, fields + ["-Y", "msnp"], None, work, "msnp")
    frames = len(ours_out.split())
    extra = (ours - base) * 1024 / packets
    print(f"pop{USERS}.pcap: {packets} packets; peak RSS tshark+msnms {base} KiB "
          f"({len(base_out.split())} frames), tshark+msnp {ours} KiB ({frames} frames): "
          f"{extra:.0f} bytes a packet more (bound {BOUND})")
    if frames == 0:
        print("tshark+msnp showed no MSNP frame: nothing was measured")
        return 1
    return 1 if extra > BOUND else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""msnpdump --max-mem: peak memory stays within the budget on captures built to exhaust it,
every limit it reaches is reported as an anomaly, and decoding goes on after it.

Hostile captures, generated here (Ethernet/IPv4/TCP, checksums zero):
- many-flows: 60,000 connections that each leave a partial payload behind and never end
  (flows tracked, partial-command memory);
- many-conversations: 30,000 switchboard connections, each a conversation with a message
  (flows, and the correlation state: conversations, connections, waiting messages);
- out-of-order: 400 connections that each send 140 KB after a one-byte hole that is never
  filled (out-of-order bytes held, per connection and in total);
- huge-payload: 48 connections that each announce a 1 MiB MSG and send all of it but the
  last byte, interleaved, plus one that announces 4294967295 bytes (partial-command memory,
  --max-payload).
Each capture ends with a short, complete notification-server session that must still be
decoded in full (its commands and its closing connection record).

Peak memory is GNU time's maximum resident set size (%M) of the msnpdump process.
The bound: with --max-mem 32M, the peak must stay below 32 MiB + the peak of the same
msnpdump on a capture of one small session (the program, libpcap, libc, the output
buffer: measured here, not assumed) + 8 MiB for what the budget does not own (allocator
fragmentation and rounding, the copy of the largest command). The same captures without
--max-mem must peak at least a third higher than with it: otherwise they do not test the
budget. Under AddressSanitizer (redzones, quarantine, shadow memory) peak memory says
nothing about msnpdump's own: only the anomalies and the decoding after them are checked.

Usage: memory_check.py MSNPDUMP WORKDIR
"""
import os
import shutil
import struct
import subprocess
import sys

TIME = "/usr/bin/time"
BUDGET = 32 << 20
SLACK = 8 << 20
problems = []


def expect(what, cond, detail=""):
    if not cond:
        problems.append(f"{what}: {detail}")
    return cond


class Pcap:
    """Writes packets of TCP connections; each connection has its own client port."""

    def __init__(self, path):
        self.fp = open(path, "wb")
        self.fp.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        self.usec = 0

    def packet(self, src, dst, sport, dport, seq, ack, flags, data=b""):
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                          5 << 4, flags, 65535, 0, 0)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(data), 0, 0, 64, 6, 0,
                         src, dst)
        frame = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + ip + tcp + data
        self.usec += 100
        self.fp.write(struct.pack("<IIII", 1057244400 + self.usec // 1000000, self.usec % 1000000,
                                  len(frame), len(frame)))
        self.fp.write(frame)

    def close(self):
        self.fp.close()


def client_addr(i):
    return bytes([10, 1 + (i >> 16) % 200, (i >> 8) & 255, i & 255])


SERVER = bytes([192, 0, 2, 1])


def closing_session(pcap):
    """A complete NS session: the proof that decoding went on."""
    cli, cport = bytes([198, 51, 100, 7]), 50000
    c2s = b"VER 1 MSNP8 CVR0\r\nUSR 2 TWN I last@example.com\r\nOUT\r\n"
    s2c = b"VER 1 MSNP8 CVR0\r\nUSR 2 TWN S lc=1033,id=507,tw=40\r\n"
    pcap.packet(cli, SERVER, cport, 1863, 1000, 0, 0x02)
    pcap.packet(SERVER, cli, 1863, cport, 9000, 1001, 0x12)
    pcap.packet(cli, SERVER, cport, 1863, 1001, 9001, 0x18, c2s)
    pcap.packet(SERVER, cli, 1863, cport, 9001, 1001 + len(c2s), 0x18, s2c)
    pcap.packet(cli, SERVER, cport, 1863, 1001 + len(c2s), 9001 + len(s2c), 0x11)
    pcap.packet(SERVER, cli, 1863, cport, 9001 + len(s2c), 1002 + len(c2s), 0x11)


def many_flows(path, n=60000):
    pcap = Pcap(path)
    for i in range(n):
        data = (f"VER 1 MSNP8 CVR0\r\nUSR 2 TWN I user{i}@example.com\r\nMSG 3 N 2000\r\n"
                .encode() + b"x" * 400)
        pcap.packet(client_addr(i), SERVER, 20000 + i % 40000, 1863, 1, 0, 0x18, data)
    closing_session(pcap)
    pcap.close()


def out_of_order(path, n=300, segments=60):
    pcap = Pcap(path)
    head = b"VER 1 MSNP8 CVR0\r\nUSR 2 TWN I someone@example.com\r\n"
    for i in range(n):
        pcap.packet(client_addr(i), SERVER, 30000 + i, 1863, 1000, 0, 0x02)
        pcap.packet(client_addr(i), SERVER, 30000 + i, 1863, 1001, 0, 0x18, head)
    chunk = b"MSG 3 U 1385\r\n" + b"m" * 1385
    for k in range(segments):
        for i in range(n):
            # the byte after the head never comes: everything after it waits
            pcap.packet(client_addr(i), SERVER, 30000 + i, 1863,
                        1002 + len(head) + k * len(chunk), 0, 0x18, chunk)
    closing_session(pcap)
    pcap.close()


def huge_payload(path, n=48, size=1 << 20, segment=16384):
    pcap = Pcap(path)
    heads = [b"VER 1 MSNP8 CVR0\r\nMSG 2 N %d\r\n" % size for _ in range(n)]
    sent = [0] * n
    total = [len(h) + size - 1 for h in heads]
    body = b"z" * segment
    for i in range(n):
        pcap.packet(client_addr(i), SERVER, 40000 + i, 1863, 1000, 0, 0x02)
    while any(sent[i] < total[i] for i in range(n)):
        for i in range(n):
            if sent[i] >= total[i]:
                continue
            if sent[i] == 0:
                data = heads[i] + body[: segment - len(heads[i])]
            else:
                data = body[: min(segment, total[i] - sent[i])]
            pcap.packet(client_addr(i), SERVER, 40000 + i, 1863, 1001 + sent[i], 0, 0x18, data)
            sent[i] += len(data)
    big = client_addr(n)
    pcap.packet(big, SERVER, 40000 + n, 1863, 1000, 0, 0x02)
    pcap.packet(big, SERVER, 40000 + n, 1863, 1001, 0, 0x18,
                b"VER 1 MSNP8 CVR0\r\nMSG 2 N 4294967295\r\n" + b"w" * 1000)
    closing_session(pcap)
    pcap.close()


def many_conversations(path, n=30000):
    pcap = Pcap(path)
    for i in range(n):
        cli, port = client_addr(i), 20000 + i % 40000
        pcap.packet(cli, SERVER, port, 1863, 1, 1, 0x18,
                    b"ANS 1 u%d@example.com 1.%d %d\r\n" % (i, i, i))
        pcap.packet(SERVER, cli, 1863, port, 1, 1, 0x18,
                    b"IRO 1 1 1 o%d@example.com Other\r\nANS 1 OK\r\n"
                    b"MSG o%d@example.com Other 20\r\nContent-Type: te\r\n\r\n" % (i, i))
    closing_session(pcap)
    pcap.close()


def small(path):
    pcap = Pcap(path)
    closing_session(pcap)
    pcap.close()


def peak_rss(msnpdump, args, out_path):
    """(exit status, peak RSS in bytes); stdout goes to out_path."""
    with open(out_path, "wb") as out:
        r = subprocess.run([TIME, "-f", "%M", msnpdump] + args, stdout=out,
                           stderr=subprocess.PIPE)
    last = r.stderr.decode().strip().splitlines()[-1]
    return r.returncode, int(last) * 1024


def read_text(path):
    """The text view's lines as (uid, what, rest): what is the command, '!!' + the anomaly
    kind, or '==' (frame time uid role [dir] ...)."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as fp:
        for line in fp:
            f = line.split()
            if len(f) < 6 or not f[0].isdigit():
                continue
            if f[4] == "==":
                out.append((f[2], "==", " ".join(f[5:])))
            elif f[5] == "!!" and len(f) > 6:
                out.append((f[2], "!!" + f[6].rstrip(":"), " ".join(f[7:])))
            else:
                out.append((f[2], f[5], " ".join(f[6:])))
    return out


def went_on(name, lines):
    """The closing session is there in full, and closed."""
    ends = [uid for uid, what, rest in lines if what == "==" and "198.51.100.7:50000" in rest]
    if not expect(f"{name}: the session after the hostile part is closed", len(ends) == 1, ends):
        return
    cmds = [what for uid, what, _ in lines if uid == ends[0] and not what.startswith(("!!", "=="))]
    expect(f"{name}: the session after the hostile part is decoded in full",
           cmds == ["VER", "USR", "OUT", "VER", "USR"], cmds)
    bad = [what for uid, what, _ in lines if uid == ends[0] and what.startswith("!!")]
    expect(f"{name}: and without anomalies", not bad, bad)


def anomalies(lines, kind, text=""):
    return [rest for _, what, rest in lines if what == "!!" + kind and text in rest]


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    msnpdump, work = sys.argv[1:]
    if not os.access(TIME, os.X_OK):
        print(f"{TIME} (GNU time) is missing: scripts/install-deps.sh installs it")
        return 1
    with open(msnpdump, "rb") as fp:
        asan = b"__asan_init" in fp.read()
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    cases = {"many-flows": many_flows, "many-conversations": many_conversations,
             "out-of-order": out_of_order, "huge-payload": huge_payload}
    base_pcap = os.path.join(work, "small.pcap")
    small(base_pcap)
    status, baseline = peak_rss(msnpdump, ["-q", "--max-mem", "32M", "-r", base_pcap],
                                os.path.join(work, "small.txt"))
    expect("small capture: exit 0", status == 0, status)
    bound = BUDGET + baseline + SLACK
    print(f"baseline {baseline >> 10} KiB; bound {bound >> 10} KiB")
    for name, make in cases.items():
        pcap = os.path.join(work, name + ".pcap")
        make(pcap)
        out = os.path.join(work, name + ".txt")
        status, peak = peak_rss(msnpdump, ["-q", "--max-mem", "32M", "-r", pcap], out)
        print(f"{name}: --max-mem 32M: peak {peak >> 10} KiB")
        expect(f"{name}: exit 0", status == 0, status)
        expect(f"{name}: peak RSS {peak >> 10} KiB under the bound {bound >> 10} KiB",
               asan or peak < bound)
        recs = read_text(out)
        went_on(name, recs)
        if name.startswith("many-"):
            expect(f"{name}: evictions reported", len(anomalies(recs, "evicted")) > 1000,
                   len(anomalies(recs, "evicted")))
            evicted = [r for r in recs if r[1] == "==" and "dropped (flow limit)" in r[2]]
            expect(f"{name}: evicted connections say so", len(evicted) > 1000, len(evicted))
        elif name == "out-of-order":
            expect(f"{name}: gaps the budget forced are reported",
                   len(anomalies(recs, "gap", "--max-held")) > 0)
        else:
            expect(f"{name}: partial commands dropped for memory are reported",
                   len(anomalies(recs, "truncated", "memory for partial commands")) > 0)
            expect(f"{name}: the 4294967295-byte payload is refused",
                   any("4294967295" in r for r in anomalies(recs, "oversize")))
        # Without the budget the same capture takes more: it does test the budget.
        status, free_peak = peak_rss(msnpdump, ["-q", "-r", pcap],
                                     os.path.join(work, name + ".defaults.txt"))
        print(f"{name}: defaults: peak {free_peak >> 10} KiB")
        expect(f"{name}: the budget lowers the peak by a quarter at least "
               f"({peak >> 10} KiB with it, {free_peak >> 10} KiB without)",
               asan or peak * 4 < free_peak * 3)
        for f in (pcap, out, os.path.join(work, name + ".defaults.txt")):
            os.remove(f)
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

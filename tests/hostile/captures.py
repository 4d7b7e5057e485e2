"""Capture files for the hostile suite: reading and writing classic pcap and
pcapng, the damage a hostile or broken capture can carry (cuts, flipped bytes,
lying record headers, absurd timestamps, bad file headers), and synthetic
captures built packet by packet (thousands of half-open connections, long
out-of-order runs).

Only what the suite needs: classic pcap in either byte order (microsecond or
nanosecond magic), pcapng blocks as opaque units except the Enhanced Packet
Block's timestamp."""
import random
import struct

PCAP_MAGICS = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",
               b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">"}
PCAPNG_SHB = 0x0A0D0D0A
PCAPNG_EPB = 6
LINKTYPE_ETHERNET = 1


def is_pcapng(data):
    return data[:4] == struct.pack("<I", PCAPNG_SHB)


def file_header_len(data):
    """Bytes of the file header: classic pcap's 24, or pcapng's Section Header
    Block and the Interface Description Blocks right after it (what libpcap
    reads when it opens the file)."""
    if not is_pcapng(data) or len(data) < 12:
        return 24
    endian = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
    pos = struct.unpack(endian + "I", data[4:8])[0]
    while pos + 8 <= len(data):
        btype, blen = struct.unpack(endian + "II", data[pos:pos + 8])
        if btype != 1 or blen < 12:
            break
        pos += blen
    return pos


# ---- classic pcap ---------------------------------------------------------------------

class Pcap:
    """A classic pcap file: its 24-byte header and its records, each a list
    [ts_sec, ts_frac, caplen, origlen, data]; `tail` keeps bytes after the last
    complete record."""

    def __init__(self, data):
        self.endian = PCAP_MAGICS[data[:4]]
        self.header = bytearray(data[:24])
        self.records = []
        pos = 24
        while pos + 16 <= len(data):
            sec, frac, incl, orig = struct.unpack(self.endian + "IIII", data[pos:pos + 16])
            if pos + 16 + incl > len(data):
                break
            self.records.append([sec, frac, incl, orig, data[pos + 16:pos + 16 + incl]])
            pos += 16 + incl
        self.tail = data[pos:]

    def bytes(self):
        out = bytearray(self.header)
        for sec, frac, incl, orig, pkt in self.records:
            out += struct.pack(self.endian + "IIII", sec & 0xFFFFFFFF, frac & 0xFFFFFFFF,
                               incl & 0xFFFFFFFF, orig & 0xFFFFFFFF)
            out += pkt
        return bytes(out + self.tail)


def write_pcap(packets, linktype=LINKTYPE_ETHERNET, snaplen=262144):
    """A little-endian microsecond pcap of (sec, usec, bytes) packets."""
    out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
    for sec, usec, pkt in packets:
        out += struct.pack("<IIII", sec, usec, len(pkt), len(pkt)) + pkt
    return bytes(out)


# ---- pcapng -------------------------------------------------------------------------------

def pcapng_blocks(data):
    """[(type, body)] of a pcapng file in the SHB's byte order, and that order."""
    endian = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
    blocks, pos = [], 0
    while pos + 12 <= len(data):
        btype, blen = struct.unpack(endian + "II", data[pos:pos + 8])
        if blen < 12 or pos + blen > len(data):
            break
        blocks.append((btype, data[pos + 8:pos + blen - 4]))
        pos += blen
    return blocks, endian


def pcapng_bytes(blocks, endian):
    out = bytearray()
    for btype, body in blocks:
        blen = 12 + len(body)
        out += struct.pack(endian + "II", btype, blen) + body + struct.pack(endian + "I", blen)
    return bytes(out)


# ---- damage -------------------------------------------------------------------------------

def truncation_offsets(size, count, rng, every_head):
    """`count` offsets spread over the file and its last byte; with
    `every_head`, also every offset through the file header and the first
    packet's header (the first 80 bytes)."""
    offs = set(range(0, min(size, 80))) if every_head else {0, 1, 12, 23, 24, 30, 39, 40}
    offs.update(rng.randrange(80, size) for _ in range(count) if size > 80)
    offs.add(size - 1)
    return sorted(o for o in offs if 0 <= o < size)


def flip_bytes(data, rng, flips, start):
    """`flips` random bytes at or after `start` replaced by random values."""
    b = bytearray(data)
    for _ in range(flips):
        i = rng.randrange(start, len(b))
        b[i] = rng.randrange(256)
    return bytes(b)


def caplen_over_len(data):
    """Every record says it captured more than the packet's length on the wire."""
    p = Pcap(data)
    for r in p.records:
        r[3] = max(0, r[2] // 2)
    return p.bytes()


def huge_caplen(data, at):
    """Record `at` claims 0xFFFFFF00 captured bytes (far beyond the file)."""
    p = Pcap(data)
    if p.records:
        p.records[min(at, len(p.records) - 1)][2] = 0xFFFFFF00
    return p.bytes()


def zero_length_packets(data):
    """An empty record (caplen 0, len 0) and one that captured nothing of a
    1500-byte packet, between every two packets."""
    p = Pcap(data)
    recs = []
    for r in p.records:
        recs.append(r)
        recs.append([r[0], r[1], 0, 0, b""])
        recs.append([r[0], r[1], 0, 1500, b""])
    p.records = recs
    return p.bytes()


def absurd_timestamps(data, how):
    """Timestamps at the end of time, fractions of a second over a million,
    running backwards, or all zero."""
    p = Pcap(data)
    n = len(p.records)
    for i, r in enumerate(p.records):
        if how == "max":
            r[0], r[1] = 0xFFFFFFFF, 0xFFFFFFFF
        elif how == "frac":
            r[1] = 999999999 + i
        elif how == "backwards":
            r[0] = 2000000000 - i * 86400
        elif how == "zero":
            r[0], r[1] = 0, 0
        elif how == "jumpy":
            r[0] = (0xFFFFFFFF if i % 2 else 0) ^ (i * 7919)
    assert n
    return p.bytes()


def pcapng_absurd_timestamps(data):
    """Every Enhanced Packet Block stamped 2^64 - 1 time units."""
    blocks, endian = pcapng_blocks(data)
    out = []
    for btype, body in blocks:
        if btype == PCAPNG_EPB and len(body) >= 20:
            body = body[:4] + struct.pack(endian + "II", 0xFFFFFFFF, 0xFFFFFFFF) + body[12:]
        out.append((btype, body))
    return pcapng_bytes(out, endian)


def bad_headers(sample_pcap, sample_pcapng):
    """(name, bytes, allowed exit statuses) of files whose header cannot be
    read, or is odd but readable."""
    p = bytearray(sample_pcap)
    cases = [
        ("empty file", b"", {3}),
        ("one byte", b"\xd4", {3}),
        ("text, not a capture", b"VER 1 MSNP8 CVR0\r\n" * 8, {3}),
        ("bad magic", b"\x00\x11\x22\x33" + bytes(p[4:]), {3}),
        ("version 99", bytes(p[:4]) + struct.pack("<HH", 99, 4) + bytes(p[8:]), {3}),
        ("snaplen 0", bytes(p[:16]) + struct.pack("<I", 0) + bytes(p[20:]), {0, 3, 14}),
        ("snaplen 2^32-1", bytes(p[:16]) + struct.pack("<I", 0xFFFFFFFF) + bytes(p[20:]),
         {0, 3, 14}),
        ("unsupported link type 147", bytes(p[:20]) + struct.pack("<I", 147) + bytes(p[24:]),
         {3}),
        ("link type 65535", bytes(p[:20]) + struct.pack("<I", 0xFFFF) + bytes(p[24:]), {3}),
        ("header only", bytes(p[:24]), {0}),
    ]
    g = bytearray(sample_pcapng)
    shb_len = struct.unpack("<I", bytes(g[4:8]))[0]
    cases += [
        ("pcapng: SHB only", bytes(g[:shb_len]), {0, 3}),
        ("pcapng: bad byte-order magic", bytes(g[:8]) + b"\x11\x22\x33\x44" + bytes(g[12:]),
         {3}),
        ("pcapng: SHB length not a multiple of 4",
         bytes(g[:4]) + struct.pack("<I", shb_len + 1) + bytes(g[8:]), {3}),
        ("pcapng: SHB length 8", bytes(g[:4]) + struct.pack("<I", 8) + bytes(g[8:]), {3}),
        ("pcapng: SHB length 2^32-4", bytes(g[:4]) + struct.pack("<I", 0xFFFFFFFC) + bytes(g[8:]),
         {3}),
        ("pcapng: no interface block", bytes(g[:shb_len]) + _without_idb(bytes(g[shb_len:])),
         {0, 3, 14}),
    ]
    return cases


def _without_idb(rest):
    """The blocks after the SHB without their Interface Description Blocks."""
    out, pos = bytearray(), 0
    while pos + 8 <= len(rest):
        btype, blen = struct.unpack("<II", rest[pos:pos + 8])
        if blen < 12 or pos + blen > len(rest):
            break
        if btype != 1:
            out += rest[pos:pos + blen]
        pos += blen
    return bytes(out)


# ---- synthetic packets --------------------------------------------------------------------

def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def tcp_packet(src, dst, sport, dport, seq, ack, flags, payload=b""):
    """An Ethernet/IPv4/TCP packet with correct checksums. src and dst are
    dotted IPv4 strings; flags a string of S, A, F, R, P."""
    fl = sum({"F": 1, "S": 2, "R": 4, "P": 8, "A": 16}[c] for c in flags)
    sip = bytes(int(x) for x in src.split("."))
    dip = bytes(int(x) for x in dst.split("."))
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4,
                      fl, 65535, 0, 0) + payload
    pseudo = sip + dip + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", _csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, sip, dip)
    ip = ip[:10] + struct.pack("!H", _csum(ip)) + ip[12:]
    eth = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00"
    return eth + ip + tcp


def half_open_flows(count, start_sec=1078142400):
    """`count` connections to a notification server, each opened (SYN, SYN/ACK,
    ACK) and sent the first half of a command line, none ever closed: every
    one holds a partial line until the capture ends."""
    pkts = []
    t = start_sec
    for i in range(count):
        client = "10.%d.%d.%d" % (1 + i // 65025, (i // 255) % 255, 1 + i % 255)
        sport = 1024 + i % 60000
        cseq, sseq = 1000 + i * 7919, 5000 + i * 104729
        usec = (i * 37) % 1000000
        line = b"VER %d MSNP8 CVR0\r\nUSR %d TWN I user%d@hotmail.com" % (i, i + 1, i)
        pkts.append((t, usec, tcp_packet(client, "207.46.106.145", sport, 1863, cseq, 0, "S")))
        pkts.append((t, usec, tcp_packet("207.46.106.145", client, 1863, sport, sseq, cseq + 1,
                                         "SA")))
        pkts.append((t, usec, tcp_packet(client, "207.46.106.145", sport, 1863, cseq + 1,
                                         sseq + 1, "PA", line)))
        if i % 1000 == 999:
            t += 1
    return write_pcap(pkts)


def reversed_run(segments, seg_size=1000, flows=1, start_sec=1078142400):
    """`flows` connections each sending about `segments` data segments of
    `seg_size` bytes in reverse order after the handshake: everything after
    the first segment arrives before it, more than any out-of-order budget
    holds. The stream is whole MSG commands with 4000-byte payloads (few
    records for much data); each connection then sends one OUT in order and
    closes."""
    unit = b"MSG 1 N 4000\r\n" + b"x" * 3998 + b"\r\n"
    stream = unit * -(-segments * seg_size // len(unit))  # whole commands
    need = len(stream)
    segments = -(-need // seg_size)
    pkts = []
    t = start_sec
    for f in range(flows):
        client = "192.0.2.%d" % (10 + f % 200)
        sport = 2000 + f
        cseq, sseq = 100000 + f * 7, 900000 + f * 11
        pkts.append((t, 0, tcp_packet(client, "207.46.106.145", sport, 1863, cseq, 0, "S")))
        pkts.append((t, 1, tcp_packet("207.46.106.145", client, 1863, sport, sseq, cseq + 1,
                                      "SA")))
        pkts.append((t, 2, tcp_packet(client, "207.46.106.145", sport, 1863, cseq + 1, sseq + 1,
                                      "A")))
        t += 1
    for k in reversed(range(segments)):
        body = stream[k * seg_size:(k + 1) * seg_size]
        for f in range(flows):
            client = "192.0.2.%d" % (10 + f % 200)
            cseq, sseq = 100000 + f * 7, 900000 + f * 11
            pkts.append((t, (k * 13) % 1000000,
                         tcp_packet(client, "207.46.106.145", 2000 + f, 1863,
                                    cseq + 1 + k * seg_size, sseq + 1, "PA", body)))
        if k % 1000 == 0:
            t += 1
    for f in range(flows):
        client = "192.0.2.%d" % (10 + f % 200)
        cseq, sseq = 100000 + f * 7, 900000 + f * 11
        end = cseq + 1 + need
        pkts.append((t, 0, tcp_packet(client, "207.46.106.145", 2000 + f, 1863, end, sseq + 1,
                                      "PA", b"OUT\r\n")))
        pkts.append((t, 1, tcp_packet(client, "207.46.106.145", 2000 + f, 1863, end + 5,
                                      sseq + 1, "FA")))
    return write_pcap(pkts)


def seeded(name):
    """A random generator whose sequence depends only on `name`."""
    return random.Random(sum((i + 1) * b for i, b in enumerate(name.encode())))

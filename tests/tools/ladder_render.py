#!/usr/bin/env python3
"""The ladder's SVG renders in headless Chromium to an image that is not blank.

msnpdump ladder -T svg on a capture, rendered by Chromium (Debian package chromium; run
with --no-sandbox, which root needs) at the SVG's own size into a PNG. The PNG is decoded
here with zlib (no imaging library needed) and must show ink: enough pixels that differ from
the background, and among them the request arrows' blue and the reply arrows' green
(the top 900 pixels are enough to judge and quick to decode).

Exit 77 (skipped) when no Chromium is installed.

Usage: ladder_render.py MSNPDUMP CAPTURE WORKDIR [PNG_OUT]
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib



def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def decode_png(data):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB or RGBA PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = ihdr
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, color type {color}, "
                         f"interlace {interlace}")
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


def near(p, q, tol):
    return all(abs(a - b) <= tol for a, b in zip(p, q))


def bluish(p):  # the request arrows (#1f5fbf), antialiased
    return p[2] > p[0] + 60 and p[2] > p[1] + 30


def greenish(p):  # the reply arrows (#2e7d32)
    return p[1] > p[0] + 30 and p[1] > p[2] + 30


def main():
    msnpdump, capture, work = sys.argv[1:4]
    png_out = sys.argv[4] if len(sys.argv) > 4 else None
    browser = chromium()
    if not browser:
        print("SKIP: no Chromium found (chromium, chromium-browser, google-chrome); "
              "scripts/install-deps.sh installs Debian's chromium")
        return 77
    os.makedirs(work, exist_ok=True)
    svg = os.path.join(work, "ladder.svg")
    r = subprocess.run([msnpdump, "-q", "ladder", "-T", "svg", "-r", capture], capture_output=True)
    if r.returncode != 0:
        print(f"FAIL: msnpdump exit {r.returncode}: {r.stderr.decode()}")
        return 1
    with open(svg, "wb") as fp:
        fp.write(r.stdout)
    root = ET.fromstring(r.stdout)
    width = int(float(root.get("width")))
    height = min(int(float(root.get("height"))), 900)  # the top: enough to judge, quick to decode
    png = png_out or os.path.join(work, "ladder.png")
    if os.path.exists(png):
        os.remove(png)
    with tempfile.TemporaryDirectory(prefix="ladder-chromium-") as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--no-first-run", "--user-data-dir=" + profile, "--force-device-scale-factor=1",
               f"--window-size={width},{height}", "--screenshot=" + os.path.abspath(png),
               "file://" + os.path.abspath(svg)]
        try:
            c = subprocess.run(cmd, capture_output=True, timeout=180)
        except subprocess.TimeoutExpired:
            print("FAIL: Chromium did not finish within 180 s")
            return 1
    if not os.path.exists(png):
        print(f"FAIL: Chromium wrote no image (exit {c.returncode}): {c.stderr.decode()[-800:]}")
        return 1
    w, h, rows = decode_png(open(png, "rb").read())
    background = rows[0][0]
    ink = sum(1 for row in rows for p in row if not near(p, background, 24))
    blue = sum(1 for row in rows for p in row if bluish(p))
    green = sum(1 for row in rows for p in row if greenish(p))
    print(f"{png}: {w}x{h}, background {background}, {ink} pixels of ink "
          f"({100.0 * ink / (w * h):.1f}%), {blue} request blue, {green} reply green")
    ok = ink > 0.01 * w * h and blue > 2000 and green > 2000
    if not ok:
        print("FAIL: the rendered ladder looks blank or has no arrows")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

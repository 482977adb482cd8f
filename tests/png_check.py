#!/usr/bin/env python3
"""Checks that a PNG (8-bit RGB or RGBA, as Chromium's screenshots are) shows something: more
than a few colours and a share of pixels that differ from the most common (background) colour.
Usage: png_check.py FILE [MIN_COLOURS [MIN_SHARE]]; prints what it found, exits 1 when blank."""
import struct
import sys
import zlib
from collections import Counter


def decode(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise SystemExit(f"unsupported PNG: depth {depth}, colour type {colour}")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:  # Sub
            for i in range(channels, stride):
                row[i] = (row[i] + row[i - channels]) & 0xFF
        elif kind == 2:  # Up
            row = bytearray((a + b) & 0xFF for a, b in zip(row, previous))
        elif kind == 3:  # Average
            for i in range(stride):
                left = row[i - channels] if i >= channels else 0
                row[i] = (row[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = row[i - channels] if i >= channels else 0
                b, c = previous[i], previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(row))
        previous = row
    return width, height, channels, rows


def main():
    path = sys.argv[1]
    min_colours = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    min_share = float(sys.argv[3]) if len(sys.argv) > 3 else 0.01
    width, height, channels, rows = decode(open(path, "rb").read())
    pixels = Counter()
    for row in rows:
        pixels.update(row[i:i + 3] for i in range(0, len(row), channels))
    background, count = pixels.most_common(1)[0]
    share = 1 - count / (width * height)
    print(f"{path}: {width}x{height}, {len(pixels)} colours, {share:.1%} not background "
          f"#{background.hex()}")
    sys.exit(0 if len(pixels) >= min_colours and share >= min_share else 1)


if __name__ == "__main__":
    main()

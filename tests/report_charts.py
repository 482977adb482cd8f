#!/usr/bin/env python3
"""Checks that every chart of a sigma report is there and drawn: takes the charts (the
<figure class="chart"> images) out of the page, lays them out one below the other on a page of
their own, screenshots that in headless Chromium, and looks at each chart's rectangle of the
screenshot for the colours of its data (a blank or empty chart has only white, greys and black).
Usage: report_charts.py PAGE CHROMIUM ARTEFACT_DIR ID...; exits 1 naming a chart that is missing
or blank, or any chart not among the IDs."""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from png_check import decode  # noqa: E402

MIN_DATA_PIXELS = 150  # a line of markers across a chart has a thousand or more
FRAME_GREY = 0x8C  # the plotting area's frame


def frame_top(rows, top, height, width, channels):
    """The first row of the chart whose pixels are mostly the frame's grey: the frame's top."""
    for y in range(top, top + height):
        row = rows[y]
        grey = sum(1 for x in range(0, width * channels, channels)
                   if all(abs(row[x + c] - FRAME_GREY) <= 12 for c in range(3)))
        if grey > width // 2:
            return y
    return None
GAP = 10


def main():
    page_path, chromium, artefacts, *expected = sys.argv[1:]
    page = open(page_path, encoding="utf-8").read()
    charts = re.findall(r'<figure class="chart" id="chart-([^"]+)"><img src="(data:image/svg\+xml;'
                        r'base64,[^"]+)" width="(\d+)" height="(\d+)"', page)
    found = [name for name, _, _, _ in charts]
    if sorted(found) != sorted(expected):
        sys.exit(f"FAIL: charts {found}, expected {expected}")
    top, images = 0, []
    for name, uri, width, height in charts:
        images.append((name, top, int(width), int(height)))
        top += int(height) + GAP
    width = max(w for _, _, w, _ in images)
    body = "".join(f'<img src="{uri}" style="position:absolute;left:0;top:{t}px" width="{w}" '
                   f'height="{h}">' for (_, uri, _, _), (_, t, w, h) in zip(charts, images))
    os.makedirs(artefacts, exist_ok=True)
    html = os.path.join(artefacts, "charts.html")
    shot = os.path.join(artefacts, "charts.png")
    with open(html, "w", encoding="utf-8") as out:
        out.write(f'<!DOCTYPE html><html><body style="margin:0">{body}</body></html>')
    if os.path.exists(shot):
        os.remove(shot)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
                        f"--screenshot={shot}", f"--window-size={width},{top}",
                        "file://" + os.path.abspath(html)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120,
                       check=True)
    shot_width, shot_height, channels, rows = decode(open(shot, "rb").read())
    failed = False
    for name, t, w, h in images:
        h = min(h, shot_height - t)
        w = min(w, shot_width)
        frame = frame_top(rows, t, h, w, channels)
        if frame is None:
            print(f"FAIL: chart-{name} has no frame", file=sys.stderr)
            failed = True
            continue
        data = 0
        for row in rows[frame:t + h]:
            for x in range(0, w * channels, channels):
                r, g, b = row[x], row[x + 1], row[x + 2]
                data += max(r, g, b) - min(r, g, b) > 60
        print(f"chart-{name}: {data} pixels in the data's colours")
        if data < MIN_DATA_PIXELS:
            print(f"FAIL: chart-{name} looks blank", file=sys.stderr)
            failed = True
    sys.exit(1 if failed else 0)


main()

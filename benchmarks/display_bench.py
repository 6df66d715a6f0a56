"""CPU cost of the LED display: per frame of a scrolling panel, and of the DDP driver on the network.

    python -m benchmarks.display_bench            # about 10 seconds

Prints CPU time per frame (compose + brightness + bytes, as the player does) for a 256×64 panel and
a 1920×240 wall, each as a share of the 16.7 ms frame budget at 60 fps, and the packets/s and bytes/s
the DDP driver sustains to a UDP receiver on 127.0.0.1 (bounded number of frames).
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from pathlib import Path

from PIL import Image

from benchmarks.report import report
from display.config import DisplaySection
from display.drivers.ddp import HEADER, MAX_PAYLOAD, DdpDriver
from display.render.frames import Program
from display.render.setup import build_renderer

BUDGET_MS = 1000.0 / 60.0
UNIFONT = Path("/usr/share/fonts/opentype/unifont/unifont.otf")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TEXT = "2027年度城乡居民养老保险开始缴费，可在B区18-20号窗口或“青禾政务”小程序缴纳，逾期可补缴"


def section_for(panel: str) -> DisplaySection:
    """Bundled fonts when installed, else the Debian copies of the same families."""
    probe = DisplaySection(panel=panel, scroll_speed=60.0)
    path = probe.font_path()
    if not path.is_file():
        path = UNIFONT if probe.uses_pixel_font() else NOTO_CJK
    index = 2 if path == NOTO_CJK else 0
    return DisplaySection(panel=panel, scroll_speed=60.0, font=path, font_index=index, brightness=0.8)


def scrolling_program(panel: str) -> Program:
    section = section_for(panel)
    renderer = build_renderer(section).at_level(section.brightness)  # dimmed as the player does
    program = renderer.text_program(TEXT, (255, 176, 0), dwell=8.0)
    assert program.scrolls, f"{panel}: the benchmark text must scroll"
    return program


def frame_cost_ms(panel: str, frames: int) -> float:
    """CPU milliseconds per frame: compose at successive times and take the bytes a driver sends."""
    program = scrolling_program(panel)
    layout = program.layout
    canvas = Image.new("RGB", (layout.width, layout.height))
    start = time.process_time()
    for index in range(frames):
        program.frame(index / 60.0, canvas).tobytes()
    return (time.process_time() - start) * 1000.0 / frames


def ddp_throughput(panel: str, frames: int) -> tuple[float, float, float, int]:
    """(packets/s, bytes/s, CPU ms per frame, packets received), sending `frames` frames unpaced."""
    program = scrolling_program(panel)
    width, height = program.layout.width, program.layout.height
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(0.5)
    received = 0
    done = threading.Event()

    def drain() -> None:
        nonlocal received
        while not done.is_set():
            try:
                receiver.recv(2048)
                received += 1
            except TimeoutError:
                continue

    thread = threading.Thread(target=drain, daemon=True)
    thread.start()
    driver = DdpDriver(f"ddp://127.0.0.1:{receiver.getsockname()[1]}")
    driver.open(width, height, 60.0)
    images = [program.frame(index / 60.0).copy() for index in range(60)]
    wall, cpu = time.perf_counter(), time.process_time()
    for index in range(frames):
        driver.send(images[index % len(images)])
        if index % 8 == 7:
            time.sleep(0.0005)  # let the receiving thread keep up (a real panel reads on its own CPU)
    elapsed, cpu_used = time.perf_counter() - wall, time.process_time() - cpu
    driver.close()
    time.sleep(0.2)
    done.set()
    thread.join()
    receiver.close()
    return driver.packets_sent / elapsed, driver.bytes_sent / elapsed, cpu_used * 1000 / frames, received


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=600, help="frames per measurement (default 600)")
    args = parser.parse_args()
    print(f"frame budget at 60 fps: {BUDGET_MS:.1f} ms")
    costs = {}
    for panel in ("256x64", "1920x240"):
        costs[panel] = cost = frame_cost_ms(
            panel, args.frames if panel == "256x64" else max(60, args.frames // 4)
        )
        small = panel == "256x64"
        report(
            f"led.frame_cpu_{panel}",
            f"LED: CPU per frame, {panel} scrolling" + (" at 60 fps" if small else " wall"),
            cost,
            "ms",
            target=f"≤ {BUDGET_MS / 10:.2f} ms (10 % of a 60 fps frame)" if small else "",
            ok=cost <= BUDGET_MS / 10 if small else None,
            detail=f"{cost / BUDGET_MS * 100:.1f} % of {BUDGET_MS:.1f} ms",
        )
    packets, volume, cpu_ms, received = ddp_throughput("256x64", args.frames)
    per_frame = -(-256 * 64 * 3 // MAX_PAYLOAD)
    report(
        "led.ddp_unpaced_packets",
        "LED: DDP 256×64 to 127.0.0.1, unpaced",
        packets,
        "packets/s",
        detail=f"{volume / 1e6:.1f} MB/s, {cpu_ms:.3f} ms CPU/frame sent; "
        f"{received} of {args.frames * per_frame} packets received",
    )
    frame_bytes = 256 * 64 * 3 + per_frame * HEADER.size
    total = costs["256x64"] + cpu_ms
    report(
        "led.ddp_60fps_cpu",
        "LED: DDP 256×64 at 60 fps, render + send CPU per frame",
        total,
        "ms",
        target=f"≤ {BUDGET_MS / 10:.2f} ms",
        ok=total <= BUDGET_MS / 10,
        detail=f"{per_frame * 60:,} packets/s, {frame_bytes * 60 / 1e6:.2f} MB/s",
    )


if __name__ == "__main__":
    main()

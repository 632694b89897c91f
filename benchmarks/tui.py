"""How responsive the rehearsal studio is.

1. **Time to first frame**: ``practice`` started as a fresh process in a pseudo-terminal (80×24)
   until Home's bank list is on screen (median of several launches), and the CPU time the process
   had used by then (steadier than wall time when other work shares the machine), with that of
   its main thread alone (the interface's; PortAudio starts on another while the studio is
   imported). Target: under 500 ms. The launches read compiled bytecode, as an installed
   ``practice`` does (pip compiles it at install): a first launch, timed apart, writes it to a
   temporary folder (``PYTHONPYCACHEPREFIX``), even where ``PYTHONDONTWRITEBYTECODE`` is set.
   ``--no-bytecode`` writes none (``PYTHONDONTWRITEBYTECODE=1``): a checkout without
   ``__pycache__`` folders is then compiled at every launch.
2. **Longest event-loop stall while an answer is analysed**: the app runs with the real speech
   model (bundled Whisper tiny.en) and a stand-in recorder that "records" a real spoken answer;
   a probe task in the app's event loop wakes every 5 ms and notes how late it woke, from the
   moment the answer is handed to the analysis worker until the feedback is on screen.
   Target: under 50 ms.

Run: ``HF_HUB_OFFLINE=1 python benchmarks/tui.py [--launches N] [--answer FILE] [--no-bytecode]``.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import soundfile

from benchmarks import shared_data
from practice import workspace
from practice.analysis.audio import SAMPLE_RATE, load_audio
from practice.analysis.transcribe import create_transcriber
from practice.speech.recorder import StopReason
from practice.tui.app import make_app
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.interview import Phase
from practice.tui.services import Services, default_services
from tests.tui_fakes import FakeRecording

SHARED_ANSWER = shared_data("jfk.flac")
"""The speech sample next to the checkout (``../shared/data``), found from a worktree too."""
PROBE_SECONDS = 0.005


def first_frame_seconds(home: Path, bytecode: Path | None) -> tuple[float, float, float]:
    """Start ``practice`` in an 80×24 pseudo-terminal: seconds until Home's banks are drawn, and
    the CPU seconds (user + system) the process and its main thread had used by then. Compiled
    modules are read from and written to ``bytecode``; with None, none is written
    (``PYTHONDONTWRITEBYTECODE``): the modules without a ``__pycache__`` are compiled at every
    launch."""
    env = {**os.environ, "PRACTICE_HOME": str(home), "TERM": "xterm-256color"}
    if bytecode is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode)
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become practice
        os.execve(sys.executable, [sys.executable, "-m", "practice"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    elapsed = cpu = main_cpu = float("nan")
    deadline = started + 30
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if b"Question banks" in seen:
                elapsed = time.perf_counter() - started
                cpu, main_cpu = cpu_seconds(pid), cpu_seconds(pid, pid)
                break
    os.write(fd, b"q")
    for _ in range(100):
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    os.close(fd)
    return elapsed, cpu, main_cpu


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """User + system CPU time of a running process, or of one of its threads, from /proc."""
    stat = Path(f"/proc/{pid}" if thread is None else f"/proc/{pid}/task/{thread}") / "stat"
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ReplayRecorder:
    """A recorder that 'records' a prepared answer at once (the analysis is what is measured)."""

    def __init__(self, samples: np.ndarray) -> None:
        self.samples = samples

    def record(
        self,
        path: Path,
        *,
        stop: threading.Event,
        on_level: Callable[[float], None],
        max_seconds: float,
        silence_stop_seconds: float,
        on_block: Callable[[np.ndarray], None] | None = None,
    ) -> FakeRecording:
        on_level(-20.0)
        soundfile.write(path, self.samples, SAMPLE_RATE, subtype="PCM_16")
        if on_block is not None:  # all at once, as stored: what is left at Stop is everything
            on_block(soundfile.read(str(path), dtype="float32")[0])
        return FakeRecording(len(self.samples) / SAMPLE_RATE, StopReason.SILENCE)


async def analysis_stall(services: Services) -> tuple[float, float, float, int]:
    """(longest stall, 99th percentile stall, analysis seconds, words heard); stalls in ms."""
    app = make_app(services.place, services)
    lates: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        while getattr(app.screen, "phase", None) is not Phase.ANALYSING:
            await asyncio.sleep(0.001)
        started = time.perf_counter()
        while not isinstance(app.screen, FeedbackScreen):
            before = time.perf_counter()
            await asyncio.sleep(PROBE_SECONDS)
            lates.append((time.perf_counter() - before - PROBE_SECONDS) * 1000)
        analysed = time.perf_counter() - started
        screen: FeedbackScreen = app.screen
        report = screen.attempt.report
        words = 0 if report is None else len(report.words)
        await pilot.press("escape", "y")
    return max(lates), float(np.percentile(lates, 99)), analysed, words


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--answer", type=Path, default=SHARED_ANSWER, help="a spoken answer")
    parser.add_argument("--repeat", type=int, default=3, help="play the answer N times over")
    parser.add_argument(
        "--no-bytecode", action="store_true", help="write no bytecode (PYTHONDONTWRITEBYTECODE)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        (home / "recordings").mkdir(parents=True)
        os.environ["PRACTICE_HOME"] = str(home)
        bytecode = None if args.no_bytecode else Path(folder) / "bytecode"
        if bytecode is not None:
            elapsed, cpu, _main_cpu = first_frame_seconds(home, bytecode)
            print(
                f"first launch, compiling the bytecode: {elapsed * 1000:.0f} ms "
                f"(CPU {cpu * 1000:.0f} ms)"
            )
        launches = [first_frame_seconds(home, bytecode) for _ in range(args.launches)]
        times = [elapsed for elapsed, _cpu, _main_cpu in launches]
        cpu = statistics.median(cpu for _elapsed, cpu, _main_cpu in launches)
        main_cpu = statistics.median(main_cpu for _elapsed, _cpu, main_cpu in launches)
        print(
            f"first frame{' (no bytecode)' if bytecode is None else ''}: "
            f"median {statistics.median(times) * 1000:.0f} ms, "
            f"worst {max(times) * 1000:.0f} ms over {len(times)} launches (target < 500 ms); "
            f"CPU by then: median {cpu * 1000:.0f} ms (main thread {main_cpu * 1000:.0f} ms); "
            f"load {os.getloadavg()[0]:.1f}"
        )

        samples = np.concatenate([load_audio(args.answer)] * args.repeat)
        transcriber = create_transcriber()
        transcriber.load()  # the studio loads it while the first question is asked
        base = default_services(workspace.resolve(home))
        services = Services(
            place=base.place,
            settings=base.settings,
            banks=base.banks,
            store=base.store,
            recorder=ReplayRecorder(samples),
            transcriber=transcriber,
        )
        longest, p99, seconds, words = asyncio.run(analysis_stall(services))
        print(
            f"analysis of a {len(samples) / SAMPLE_RATE:.0f} s answer ({words} words) took "
            f"{seconds:.2f} s; "
            f"event-loop stall: longest {longest:.1f} ms, p99 {p99:.1f} ms (target < 50 ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

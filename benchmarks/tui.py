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
3. **Longest event-loop stall while an answer is recorded**: the same app, the answer fed to the
   studio in real time (50-ms blocks, as the recorder hands them on, with their levels) while it
   is analysed as it is spoken; the probe runs from the first block to the last. With it, figures
   the machine's load does not inflate: the garbage collector's longest pass meanwhile (the CPU
   time of the thread that ran it; a pass holds the GIL, so the event loop waits for it, and a
   full pass over the studio's objects took 40-70 ms) and the main thread's CPU time per second
   of recording (what the interface itself costs). Target: under 50 ms.

Run: ``HF_HUB_OFFLINE=1 python benchmarks/tui.py [--launches N] [--answer FILE] [--no-bytecode]
[--recorded FILE] [--parts 1 2 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import gc
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
from practice.settings import Settings
from practice.speech.recorder import StopReason, dbfs
from practice.tui import trace
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


class RealTimeRecorder:
    """A recorder that 'records' a prepared answer in real time: 50-ms blocks, each handed on
    (int16-quantised, as the WAV stores it) with its level when its time has come."""

    BLOCK = 800

    def __init__(self, samples: np.ndarray) -> None:
        self.samples = samples
        self.done = threading.Event()

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
        pcm = (np.clip(self.samples, -1.0, 1.0) * 32767.0).astype("<i2")
        started, fed = time.monotonic(), 0
        while fed < len(pcm) and not stop.is_set():
            block = pcm[fed : fed + self.BLOCK]
            fed += len(block)
            stored = block.astype(np.float32) / np.float32(32768)
            if on_block is not None:
                on_block(stored)
            on_level(dbfs(stored))
            time.sleep(max(0.0, started + fed / SAMPLE_RATE - time.monotonic()))
        soundfile.write(path, pcm[:fed], SAMPLE_RATE, subtype="PCM_16")
        self.done.set()
        return FakeRecording(fed / SAMPLE_RATE, StopReason.REQUESTED)


async def recording_stall(
    services: Services, recorder: RealTimeRecorder
) -> tuple[list[float], dict[str, float], float]:
    """(stalls in ms, the collector's longest pass, main-thread CPU ms per second) while the
    answer is recorded and analysed as it is spoken."""
    app = make_app(services.place, services)
    lates: list[float] = []
    collections = trace.Collections()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        while getattr(app.screen, "phase", None) is not Phase.READY:
            await asyncio.sleep(0.01)
        # the model and Silero VAD load while the question is asked, before the answer
        await app.workers.wait_for_complete()
        await pilot.press("space")
        while getattr(app.screen, "phase", None) is not Phase.RECORDING:
            await asyncio.sleep(0.001)
        gc.callbacks.append(collections)
        started, cpu = time.perf_counter(), time.thread_time()
        while not recorder.done.is_set():
            before = time.perf_counter()
            await asyncio.sleep(PROBE_SECONDS)
            lates.append((time.perf_counter() - before - PROBE_SECONDS) * 1000)
        main_cpu = (time.thread_time() - cpu) * 1000 / (time.perf_counter() - started)
        gc.callbacks.remove(collections)
        await pilot.press("escape", "y")
    return lates, collections.take(), main_cpu


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


def first_frames(home: Path, bytecode: Path | None, launches: int) -> None:
    """Part 1: the first launch (compiling the bytecode), then ``launches`` timed ones."""
    if bytecode is not None:
        elapsed, cpu, _main_cpu = first_frame_seconds(home, bytecode)
        print(
            f"first launch, compiling the bytecode: {elapsed * 1000:.0f} ms "
            f"(CPU {cpu * 1000:.0f} ms)"
        )
    runs = [first_frame_seconds(home, bytecode) for _ in range(launches)]
    times = [elapsed for elapsed, _cpu, _main_cpu in runs]
    cpu = statistics.median(cpu for _elapsed, cpu, _main_cpu in runs)
    main_cpu = statistics.median(main_cpu for _elapsed, _cpu, main_cpu in runs)
    print(
        f"first frame{' (no bytecode)' if bytecode is None else ''}: "
        f"median {statistics.median(times) * 1000:.0f} ms, "
        f"worst {max(times) * 1000:.0f} ms over {len(times)} launches (target < 500 ms); "
        f"CPU by then: median {cpu * 1000:.0f} ms (main thread {main_cpu * 1000:.0f} ms); "
        f"load {os.getloadavg()[0]:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--answer", type=Path, default=SHARED_ANSWER, help="a spoken answer")
    parser.add_argument("--repeat", type=int, default=3, help="play the answer N times over")
    parser.add_argument(
        "--no-bytecode", action="store_true", help="write no bytecode (PYTHONDONTWRITEBYTECODE)"
    )
    parser.add_argument(
        "--recorded",
        type=Path,
        default=None,
        help="the answer recorded in real time (part 3; default: --answer, --repeat times)",
    )
    parser.add_argument("--parts", type=int, nargs="+", default=[1, 2, 3], choices=[1, 2, 3])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        (home / "recordings").mkdir(parents=True)
        os.environ["PRACTICE_HOME"] = str(home)
        bytecode = None if args.no_bytecode else Path(folder) / "bytecode"
        if 1 in args.parts:
            first_frames(home, bytecode, args.launches)
        if not {2, 3} & set(args.parts):
            return 0
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
        if 2 in args.parts:
            longest, p99, seconds, words = asyncio.run(analysis_stall(services))
            print(
                f"analysis of a {len(samples) / SAMPLE_RATE:.0f} s answer ({words} words) took "
                f"{seconds:.2f} s; "
                f"event-loop stall: longest {longest:.1f} ms, p99 {p99:.1f} ms (target < 50 ms)"
            )
        if 3 in args.parts:
            recorded = samples if args.recorded is None else load_audio(args.recorded)
            recorder = RealTimeRecorder(recorded)
            services = Services(
                place=base.place,
                settings=Settings(auto_record=False),
                banks=base.banks,
                store=base.store,
                recorder=recorder,
                transcriber=transcriber,
            )
            load = os.getloadavg()[0]
            lates, longest_pass, main_cpu = asyncio.run(recording_stall(services, recorder))
            print(
                f"recording a {len(recorded) / SAMPLE_RATE:.0f} s answer, analysed as it is "
                f"spoken: event-loop stall longest {max(lates):.1f} ms, "
                f"p99 {np.percentile(lates, 99):.1f} ms (target < 50 ms); the collector's "
                f"longest pass {longest_pass['gc_cpu_ms']:.1f} ms of CPU "
                f"({longest_pass['gc_ms']:.1f} ms wall, generation "
                f"{longest_pass['gc_generation']:.0f}); the interface's thread "
                f"{main_cpu:.0f} ms of CPU per second; load {load:.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

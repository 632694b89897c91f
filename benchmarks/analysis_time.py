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
spread), the same for the process's CPU seconds, and the load average before and after: other
work on the machine slows both alike, so read the ratios (target: at most 1.3).

``--span`` times the analysis once per given :class:`EncoderSpan` in the same rounds (how much
of each 30 s window the engine encodes); ``--calls`` times single engine calls on 2, 5, 10 and
25 s of the synthesised answer per span, and the verdict's decoding of 1 and 2 s with its
stretches encoded short and as a whole window (process CPU seconds).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from practice.analysis.audio import SAMPLE_RATE, load_audio
from practice.analysis.engines.faster import WHOLE_WINDOW, EncoderSpan
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


def _span(text: str) -> EncoderSpan:
    """``PAD[,STEP][,fill]`` (seconds) as an :class:`EncoderSpan`; ``whole`` for 30 s."""
    if text == "whole":
        return WHOLE_WINDOW
    parts = text.split(",")
    fill = parts[-1] == "fill"
    numbers = parts[:-1] if fill else parts
    try:
        if not 1 <= len(numbers) <= 2:
            raise ValueError
        return EncoderSpan(float(numbers[0]), float(numbers[1] if len(numbers) > 1 else 0), fill)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected PAD[,STEP][,fill] in seconds, or whole"
        ) from None


def _span_name(span: EncoderSpan) -> str:
    if span == WHOLE_WINDOW:
        return "whole 30 s window"
    step = f", in steps of {span.step_seconds:g} s" if span.step_seconds else ""
    fill = ", rest filled" if span.fill else ""
    return f"audio + {span.pad_seconds:g} s{step}{fill}"


CALL_SECONDS = (2.0, 5.0, 10.0, 25.0)
"""The lengths of audio timed as single engine calls (``--calls``)."""


def _time_calls(
    samples: np.ndarray, spans: Sequence[EncoderSpan], repeats: int
) -> dict[tuple[float, EncoderSpan], list[float]]:
    """Process CPU seconds of one engine call (practice's decoding) on ``CALL_SECONDS`` of
    ``samples``, per span, alternating. Each round starts its pieces 0.5 s later than the last,
    so that no engine finds a piece's encoder pass or words kept from before."""
    from practice.analysis.engines.faster import FasterWhisperTranscriber

    cpu: dict[tuple[float, EncoderSpan], list[float]] = {}
    engines = {span: FasterWhisperTranscriber(span=span) for span in spans}
    for engine in engines.values():
        engine.transcribe(samples[: 3 * SAMPLE_RATE])  # loaded and warmed up, not timed
    for round_ in range(repeats):
        start = round(0.5 * (round_ + 1) * SAMPLE_RATE)
        for seconds in CALL_SECONDS:
            piece = samples[start : start + round(seconds * SAMPLE_RATE)]
            for span, engine in engines.items():
                started = time.process_time()
                engine.transcribe(piece)
                cpu.setdefault((seconds, span), []).append(time.process_time() - started)
    return cpu


VERDICT_SECONDS = (1.0, 2.0)
"""The lengths of joined stretches timed as the verdict's decoding (``--calls``)."""


def _time_verdict(samples: np.ndarray, repeats: int) -> dict[tuple[float, bool], list[float]]:
    """Process CPU seconds of the verdict's decoding (``VERDICT_DECODING``) of ``VERDICT_SECONDS``
    of ``samples``, its stretches encoded short (as it is) and as a whole window, alternating."""
    from practice.analysis.engines.faster import FasterWhisperTranscriber
    from practice.analysis.verdict import VERDICT_DECODING

    engine = FasterWhisperTranscriber()
    engine.transcribe(samples[: 3 * SAMPLE_RATE])  # loaded and warmed up, not timed
    cpu: dict[tuple[float, bool], list[float]] = {}
    for round_ in range(repeats):
        start = round(0.5 * (round_ + 1) * SAMPLE_RATE)
        for seconds in VERDICT_SECONDS:
            piece = samples[start : start + round(seconds * SAMPLE_RATE)]
            for short in (True, False):
                options = replace(VERDICT_DECODING, short_window=short)
                started = time.process_time()
                engine.transcribe(piece, options=options)
                cpu.setdefault((seconds, short), []).append(time.process_time() - started)
    return cpu


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
    parser.add_argument(
        "--span",
        action="append",
        type=_span,
        default=[],
        metavar="PAD[,STEP][,fill]",
        help="how much of each window the engine encodes (EncoderSpan: the audio, PAD seconds "
        "after it, rounded up to STEP seconds, 'fill': the rest of the output filled with the "
        "padding's own; 'whole' for the 30 s window); repeatable, each timed in the same "
        "rounds (default: the engine's default)",
    )
    parser.add_argument(
        "--calls",
        action="store_true",
        help="also time single engine calls on the first 2, 5, 10 and 25 s of the synthesised "
        "answer (process CPU seconds), per span",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from faster_whisper import WhisperModel

    from benchmarks.accuracy.__main__ import decode_options
    from benchmarks.real.data import default_folder
    from practice.analysis.answer import analyze_samples
    from practice.analysis.engines.faster import FasterWhisperTranscriber
    from practice.analysis.transcript import bundled_model_path, default_threads

    spans: list[EncoderSpan] = list(dict.fromkeys(args.span)) or [WHOLE_WINDOW]
    folder = default_folder()
    real = None if args.no_real or not (folder / "truth.json").is_file() else folder
    if real is None and not args.no_real:
        print(f"real recordings: skipped (no real-speech set at {folder})")
    files = _files(real)
    calls_audio = load_audio(files[0][1]) if args.calls else None
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
        analysis: dict[EncoderSpan, list[float]] = {span: [] for span in spans}
        analysis_cpu: dict[EncoderSpan, list[float]] = {span: [] for span in spans}
        engine: dict[EncoderSpan, list[float]] = {span: [] for span in spans}
        bare: list[float] = []
        bare_cpu: list[float] = []
        for _round in range(max(args.repeats, 1)):
            for span in spans:
                # A fresh engine each round: the engine keeps its last windows' encoder passes
                # and unprompted decodings, which a repeat of the same samples would find.
                transcriber = _Timed(FasterWhisperTranscriber(options=options, span=span))
                transcriber.load()
                started, cpu = time.perf_counter(), time.process_time()
                analyze_samples(samples, transcriber)
                analysis[span].append(time.perf_counter() - started)
                analysis_cpu[span].append(time.process_time() - cpu)
                engine[span].append(transcriber.seconds)
            started, cpu = time.perf_counter(), time.process_time()
            segments, _info = bare_model.transcribe(
                samples, language="en", beam_size=5, word_timestamps=True
            )
            list(segments)
            bare.append(time.perf_counter() - started)
            bare_cpu.append(time.process_time() - cpu)
        for span in spans:
            ratios = [a / b for a, b in zip(analysis[span], bare, strict=True)]
            cpu_ratios = [a / b for a, b in zip(analysis_cpu[span], bare_cpu, strict=True)]
            rows.append(
                (
                    name,
                    _span_name(span),
                    len(samples) / SAMPLE_RATE,
                    statistics.median(analysis[span]),
                    statistics.median(engine[span]),
                    statistics.median(bare),
                    statistics.median(ratios),
                    min(ratios),
                    max(ratios),
                    statistics.median(analysis_cpu[span]),
                    statistics.median(bare_cpu),
                    statistics.median(cpu_ratios),
                )
            )
            print(f"{name}, {_span_name(span)}: ratios {' '.join(f'{r:.2f}' for r in ratios)}")
    print(f"load average before {load_before}, after {_load()}; {args.repeats} rounds per file")
    print(
        "| file | encoded | audio | analysis | of it the engine | bare faster-whisper "
        "| ratio (min-max) | CPU: analysis / bare | CPU ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, encoded, audio, full, decode, bare_s, ratio, low, high, cpu, bcpu, cratio in rows:
        print(
            f"| {name} | {encoded} | {audio:.1f} s | {full:.2f} s | {decode:.2f} s | "
            f"{bare_s:.2f} s | **{ratio:.2f}x** ({low:.2f}-{high:.2f}) | {cpu:.2f} s / "
            f"{bcpu:.2f} s | {cratio:.2f}x |"
        )
    for span in spans:
        chosen = [row for row in rows if row[1] == _span_name(span)]
        if chosen:
            total = sum(row[3] for row in chosen) / sum(row[5] for row in chosen)
            print(f"all files, {_span_name(span)}: analysis / bare {total:.2f}x (sums of medians)")
    if calls_audio is not None:
        load_before = _load()
        call_cpu = _time_calls(calls_audio, spans, max(args.repeats, 1))
        print(
            f"\nOne engine call, process CPU seconds (median of {args.repeats}; load average "
            f"before {load_before}, after {_load()}):"
        )
        first = spans[0]
        print("| audio | " + " | ".join(_span_name(span) for span in spans) + " |")
        print("|---|" + "---|" * len(spans))
        for seconds in CALL_SECONDS:
            base = statistics.median(call_cpu[seconds, first])
            cells = [f"{base:.2f} s"] + [
                f"{statistics.median(call_cpu[seconds, span]):.2f} s "
                f"({statistics.median(call_cpu[seconds, span]) / base:.2f}x)"
                for span in spans[1:]
            ]
            print(f"| {seconds:g} s | " + " | ".join(cells) + " |")
        load_before = _load()
        verdict_cpu = _time_verdict(calls_audio, max(args.repeats, 1))
        print(
            f"\nThe verdict's decoding, process CPU seconds (median of {args.repeats}; load "
            f"average before {load_before}, after {_load()}):"
        )
        print("| stretches | a whole 30 s window | encoded short (as now) |")
        print("|---|---|---|")
        for seconds in VERDICT_SECONDS:
            whole = statistics.median(verdict_cpu[seconds, False])
            short = statistics.median(verdict_cpu[seconds, True])
            print(f"| {seconds:g} s | {whole:.2f} s | {short:.2f} s ({short / whole:.2f}x) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m benchmarks.chunked``: the answer transcribed in pieces cut as it is fed (what
``practice`` does, live and for files) next to the whole answer cut at Stop (the analysis before
streaming), on the accuracy benchmark's answers and on the real-speech set.

Both run in one process on the same audio, one after the other for each answer (their order
alternates), through the same analysis; only the cutting differs (``Chunker(piece_seconds)``
against ``Chunker(None)``). Printed per set and way: answers, pieces (count, median and longest
seconds), filler P/R/F1, WER, analysis seconds per audio minute, answers whose last piece was
the one closed in the last pause ("early": live, an idle engine had its words before Stop); then
the paired figures (answers with the same pieces, with the same transcript, words changed) and
whether chunked stays within 0.005 filler F1 and 0.5 WER points of batch.

```
python -m benchmarks.chunked                          # joe + espeak-us, both splits, real set
python -m benchmarks.chunked --voices joe --limit 10  # a quick look
python -m benchmarks.chunked --piece-seconds 25       # another piece length
```
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.accuracy.score import Counts, edit_distance, score_answer, summarize, wer_words
from benchmarks.accuracy.script import SCRIPTS_DIR, load_scripts
from benchmarks.accuracy.synth import CACHE_DIR, render_all, voice_named
from benchmarks.real.data import default_folder, load_items
from benchmarks.real.score import Edits, score_file
from practice.analysis.answer import analyze_samples
from practice.analysis.audio import SAMPLE_RATE, load_audio
from practice.analysis.pieces import PIECE_SECONDS, Chunker
from practice.analysis.transcript import Transcriber
from practice.errors import PracticeError

WAYS = ("batch", "chunked")
MAX_F1_LOSS = 0.005
MAX_WER_POINTS = 0.5


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.chunked", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--voices", default="joe,espeak-us", help="accuracy voices (comma list)")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--limit", type=int, help="only the first N scripts of each split")
    parser.add_argument("--scripts", help="comma-separated script ids")
    parser.add_argument("--piece-seconds", type=float, default=PIECE_SECONDS)
    parser.add_argument("--no-accuracy", action="store_true", help="only the real-speech set")
    parser.add_argument("--no-real", action="store_true", help="only the accuracy answers")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="accuracy audio cache")
    parser.add_argument("--json", type=Path, help="write every answer's figures here")
    return parser


@dataclass
class Run:
    """One way's analysis of one answer."""

    result: dict[str, Any]
    seconds: float
    pieces: list[float]
    early: bool
    """Whether the last piece was the one closed in the last pause (ready before Stop live)."""


@dataclass
class Table:
    """One set's figures for both ways."""

    name: str
    fillers: dict[str, Counts] = field(default_factory=dict)
    wer: dict[str, float] = field(default_factory=dict)
    runs: dict[str, list[Run]] = field(default_factory=dict)
    audio_s: float = 0.0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from practice.analysis.transcribe import create_transcriber

    transcriber = create_transcriber()
    transcriber.load()
    tables: list[Table] = []
    try:
        if not args.no_accuracy:
            tables += _accuracy(args, transcriber)
        if not args.no_real:
            tables += _real(args, transcriber)
    except PracticeError as error:
        print(f"benchmarks.chunked: {error}", file=sys.stderr)
        return 1
    print(format_tables(tables, args.piece_seconds))
    if args.json:
        args.json.write_text(json.dumps(_to_json(tables), indent=1), encoding="utf-8")
    return 0


def _analyse(
    samples: np.ndarray, name: str, index: int, transcriber: Transcriber, piece_seconds: float
) -> dict[str, Run]:
    """Both ways on one answer (batch first on even answers, chunked first on odd ones)."""
    runs: dict[str, Run] = {}
    for way in WAYS if index % 2 == 0 else WAYS[::-1]:
        started = time.perf_counter()
        chunks = Chunker.of(samples, piece_seconds if way == "chunked" else None)
        report = analyze_samples(samples, transcriber, file=name, chunks=chunks)
        seconds = time.perf_counter() - started
        sizes = [piece.end - piece.start for piece in chunks.planned]
        runs[way] = Run(report.to_json(), seconds, sizes, chunks.closed_early())
    return runs


def _accuracy(args: argparse.Namespace, transcriber: Transcriber) -> list[Table]:
    scripts = list(load_scripts(SCRIPTS_DIR))
    if args.scripts:
        wanted = set(args.scripts.split(","))
        scripts = [script for script in scripts if script.id in wanted]
    voices = [voice_named(name.strip()) for name in args.voices.split(",") if name.strip()]
    tables = []
    for split in ("dev", "test") if args.split == "all" else (args.split,):
        chosen = [script for script in scripts if script.split == split][: args.limit]
        pairs = [(script, voice) for script in chosen for voice in voices]
        if not pairs:
            continue
        rendered = render_all(pairs, cache_dir=args.cache)
        table = Table(f"accuracy {split}")
        scores: dict[str, list[Any]] = {way: [] for way in WAYS}
        for index, (wav, truth) in enumerate(rendered):
            runs = _analyse(load_audio(wav), str(wav), index, transcriber, args.piece_seconds)
            for way, run in runs.items():
                table.runs.setdefault(way, []).append(run)
                scores[way].append(score_answer(truth, run.result, split, run.seconds))
            table.audio_s += truth.duration_s
            _tick(table.name, index + 1, len(rendered))
        for way in WAYS:
            summary = summarize(scores[way])
            table.fillers[way], table.wer[way] = summary.fillers, summary.wer
        tables.append(table)
    return tables


def _real(args: argparse.Namespace, transcriber: Transcriber) -> list[Table]:
    folder = default_folder()
    if not (folder / "truth.json").is_file():
        print(f"benchmarks.chunked: no real-speech set at {folder}: skipped", file=sys.stderr)
        return []
    items = [item for item in load_items(folder) if item.path.is_file()]
    table = Table("real")
    fillers: dict[str, Counts] = {way: Counts() for way in WAYS}
    edits: dict[str, Edits] = {way: Edits(0, 0, 0, 0) for way in WAYS}
    for index, item in enumerate(items):
        samples = load_audio(item.path)
        duration = len(samples) / SAMPLE_RATE
        runs = _analyse(samples, str(item.path), index, transcriber, args.piece_seconds)
        for way, run in runs.items():
            table.runs.setdefault(way, []).append(run)
            score = score_file(item, run.result, duration_s=duration)
            found = score.hesitations + score.markers + (score.restarts or Counts())
            fillers[way] = fillers[way] + found
            if score.practice is not None:
                edits[way] = edits[way] + score.practice
        table.audio_s += duration
        _tick(table.name, index + 1, len(items))
    table.fillers = fillers
    table.wer = {way: edits[way].wer for way in WAYS}
    return [table]


def _tick(name: str, done: int, total: int) -> None:
    print(f"\r{name}: {done}/{total}", end="\n" if done == total else "", file=sys.stderr)


def _transcript(run: Run) -> list[str]:
    return wer_words(str(run.result["transcript"]).split())


def format_tables(tables: Sequence[Table], piece_seconds: float) -> str:
    """The side-by-side table and the paired figures."""
    lines = [
        f"chunked: pieces cut as the answer is fed, {piece_seconds:g} s; batch: whole answer "
        "cut at Stop (pieces <= 28 s)",
        "",
        f"{'set':<14} {'way':<8} {'answers':>7} {'audio':>7} {'pieces':>7} {'median':>7} "
        f"{'longest':>7} {'filler P / R / F1':>20} {'WER':>6} {'s/min':>6} {'early':>6}",
    ]
    verdicts = []
    for table in tables:
        for way in WAYS:
            runs = table.runs[way]
            sizes = [size for run in runs for size in run.pieces]
            counts = table.fillers[way]
            seconds = sum(run.seconds for run in runs)
            lines.append(
                f"{table.name:<14} {way:<8} {len(runs):>7} {table.audio_s / 60:>5.1f} m "
                f"{len(sizes):>7} {_fmt(statistics.median, sizes)} {_fmt(max, sizes)} "
                f"{counts.precision:>6.3f} /{counts.recall:>6.3f} /{counts.f1:>6.3f} "
                f"{100 * table.wer[way]:>5.1f}% {seconds / table.audio_s * 60:>6.2f} "
                f"{sum(run.early for run in runs):>6}"
            )
        pairs = list(zip(table.runs["batch"], table.runs["chunked"], strict=True))
        cut = sum(a.pieces == b.pieces for a, b in pairs)
        same = sum(_transcript(a) == _transcript(b) for a, b in pairs)
        changed = sum(edit_distance(_transcript(a), _transcript(b)) for a, b in pairs)
        total = sum(len(_transcript(a)) for a, _b in pairs)
        loss = table.fillers["batch"].f1 - table.fillers["chunked"].f1
        points = 100 * (table.wer["chunked"] - table.wer["batch"])
        ok = loss <= MAX_F1_LOSS and points <= MAX_WER_POINTS
        verdicts.append(
            f"{table.name}: same pieces {cut}/{len(pairs)}, same transcript {same}/{len(pairs)}, "
            f"words changed {changed}/{total}"
            f" ({100 * changed / max(total, 1):.1f} %); filler F1 {-loss:+.3f}, WER "
            f"{points:+.2f} points: {'within' if ok else 'OUTSIDE'} the limits "
            f"(-{MAX_F1_LOSS} F1, +{MAX_WER_POINTS} points)"
        )
    return "\n".join([*lines, "", *verdicts])


def _fmt(how: Callable[[list[float]], float], sizes: list[float]) -> str:
    return f"{how(sizes):>6.1f}s" if sizes else f"{'-':>7}"


def _to_json(tables: Sequence[Table]) -> dict[str, Any]:
    return {
        table.name: {
            way: {
                "fillers": table.fillers[way].to_json(),
                "wer": round(table.wer[way], 4),
                "answers": [
                    {
                        "file": run.result.get("file"),
                        "seconds": round(run.seconds, 3),
                        "pieces": [round(size, 2) for size in run.pieces],
                        "early": run.early,
                        "transcript": run.result["transcript"],
                    }
                    for run in table.runs[way]
                ],
            }
            for way in WAYS
        }
        for table in tables
    }


if __name__ == "__main__":
    raise SystemExit(main())

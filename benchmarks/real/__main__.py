"""``python -m benchmarks.real``: practice's analysis of real recordings (``../shared/data/real``)
next to bare faster-whisper on the same bundled model, scored against their truth.

Practice runs exactly as ``practice analyze`` does (``analyze_file`` with the default
transcriber). Bare faster-whisper is ``WhisperModel.transcribe`` on the whole file with its own
defaults (beam 5, previous text carried over, no prompt, no VAD filter) plus ``language="en"`` and
word times. See :mod:`benchmarks.real.score` for how each figure is counted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.accuracy.__main__ import decode_options
from benchmarks.accuracy.replay import replay
from benchmarks.accuracy.score import Counts
from benchmarks.real.data import ENV_VAR, DataError, Item, default_folder, load_items
from benchmarks.real.score import WORSE_BY, Edits, FileScore, score_file
from practice.analysis.audio import SAMPLE_RATE, load_audio
from practice.analysis.engines.faster import FasterWhisperTranscriber
from practice.analysis.transcript import DecodeOptions
from practice.errors import PracticeError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.real",
        description="Transcript WER, hesitations, markers, restarts and false fillers of "
        "practice's analysis on real recordings, next to bare faster-whisper.",
    )
    parser.add_argument(
        "--data",
        type=Path,
        help=f"the real-speech folder (default ${ENV_VAR}, else ../shared/data/real)",
    )
    parser.add_argument(
        "--only", help="comma-separated parts of file names: analyse only the files matching one"
    )
    parser.add_argument("--json", type=Path, help="write per-file figures and totals here")
    parser.add_argument(
        "--save-results",
        type=Path,
        help="write practice's analysis and bare faster-whisper's words here (JSON lines)",
    )
    parser.add_argument(
        "--replay",
        type=Path,
        help="analyse again with the words saved by --save-results instead of the engine "
        "(bare faster-whisper's words are read back too)",
    )
    parser.add_argument(
        "--bare",
        type=Path,
        help="read bare faster-whisper's words from results saved by --save-results instead of "
        "running it again (for an A/B of practice's side)",
    )
    parser.add_argument(
        "--decode",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="a decoding setting of practice's engine for an A/B (DecodeOptions field, "
        "repeatable; as in benchmarks.accuracy)",
    )
    parser.add_argument("--no-vad", action="store_true", help="skip the VAD coverage check")
    parser.add_argument(
        "--augment",
        help="comma-separated augmentations (benchmarks/real/augment.py; 'all' for every one): "
        "analyse augmented copies of the files too and compare them with the original",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    folder = args.data or default_folder()
    if not (folder / "truth.json").is_file():
        print(
            f"benchmarks.real: skipped: no real-speech set at {folder} (set --data or ${ENV_VAR})"
        )
        return 0
    try:
        return _run(args, folder)
    except PracticeError as error:
        print(f"benchmarks.real: {error}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, folder: Path) -> int:
    items = load_items(folder)
    if args.only:
        parts = [part.strip() for part in args.only.split(",") if part.strip()]
        items = [item for item in items if any(part in item.name for part in parts)]
    if not items:
        raise DataError("no recordings selected")
    missing = [item.name for item in items if not item.path.is_file()]
    if missing:
        raise DataError(f"{folder}: {len(missing)} recordings missing, e.g. {missing[0]}")
    augmentations = []
    if args.augment:
        from benchmarks.real.augment import chosen

        if args.replay:
            raise DataError("--augment analyses afresh: it cannot be used with --replay")
        augmentations = chosen(args.augment)
    if args.replay:
        saved = _read_saved(args.replay, items)
        practice = replay([item.path for item in items], saved)
        bare = [_saved_bare(result) for result in saved]
    else:
        practice = _analyse(items, decode_options(args.decode))
        bare = (
            # Its time was taken in another run, under another load: not compared.
            [(_saved_bare(result)[0], None) for result in _read_saved(args.bare, items)]
            if args.bare
            else _bare(items)
        )
    if args.save_results:
        lines = [
            json.dumps({**result, "bare": {"words": words, "seconds": seconds}})
            for (result, _s), (words, seconds) in zip(practice, bare, strict=True)
        ]
        args.save_results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scores = _scores(items, practice, bare, vad=not args.no_vad)
    print(format_report(scores, replayed=args.replay is not None))
    if args.json:
        report = {"totals": totals_json(scores), "files": [score.to_json() for score in scores]}
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    if augmentations:
        from benchmarks.real.augment import augmented, summary

        runs = [("original", scores)]
        for augmentation in augmentations:
            print(f"\n{augmentation.name}: {augmentation.description}")
            changed = augmented(items, augmentation, folder)
            runs.append(
                (
                    augmentation.name,
                    _scores(
                        changed,
                        _analyse(changed, decode_options(args.decode)),
                        _bare(changed),
                        vad=not args.no_vad,
                    ),
                )
            )
            print(format_report(runs[-1][1]))
        print("\n" + summary(runs))
    return 0


def _scores(
    items: Sequence[Item],
    practice: Sequence[tuple[dict[str, Any], float | None]],
    bare: Sequence[tuple[BareWords, float | None]],
    vad: bool,
) -> list[FileScore]:
    scores = []
    for item, (result, seconds), (words, bare_seconds) in zip(items, practice, bare, strict=True):
        samples = load_audio(item.path)
        scores.append(
            score_file(
                item,
                result,
                words,
                duration_s=len(samples) / SAMPLE_RATE,
                vad=_vad(samples) if vad else None,
                seconds_practice=seconds,
                seconds_bare=bare_seconds,
            )
        )
    return scores


def _analyse(
    items: Sequence[Item], options: DecodeOptions
) -> list[tuple[dict[str, Any], float | None]]:
    from practice.analysis.answer import analyze_file

    transcriber = FasterWhisperTranscriber(options=options)
    transcriber.load()
    timed: list[tuple[dict[str, Any], float | None]] = []
    for index, item in enumerate(items, 1):
        started = time.perf_counter()
        result = analyze_file(item.path, transcriber).to_json()
        timed.append((result, time.perf_counter() - started))
        print(f"\rpractice {index}/{len(items)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return timed


BareWords = list[dict[str, Any]]


def _bare(items: Sequence[Item]) -> list[tuple[BareWords, float | None]]:
    from faster_whisper import WhisperModel

    from practice.analysis.transcript import bundled_model_path, default_threads

    model = WhisperModel(
        str(bundled_model_path()),
        device="cpu",
        compute_type="int8",
        cpu_threads=default_threads(),
    )
    timed: list[tuple[BareWords, float | None]] = []
    for index, item in enumerate(items, 1):
        started = time.perf_counter()
        samples = load_audio(item.path)
        segments, _info = model.transcribe(samples, language="en", word_timestamps=True)
        words = [
            {"text": w.word.strip(), "start": round(w.start, 3), "end": round(w.end, 3)}
            for segment in segments
            for w in segment.words or ()
            if w.word.strip()
        ]
        timed.append((words, time.perf_counter() - started))
        print(f"\rbare faster-whisper {index}/{len(items)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return timed


def _vad(samples: np.ndarray) -> list[tuple[float, float]]:
    """Silero VAD's speech (faster-whisper's copy), unpadded, gaps of 0.1 s kept."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=100, speech_pad_ms=0)
    return [
        (chunk["start"] / SAMPLE_RATE, chunk["end"] / SAMPLE_RATE)
        for chunk in get_speech_timestamps(samples, options)
    ]


def _read_saved(path: Path, items: Sequence[Item]) -> list[dict[str, Any]]:
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except OSError as error:
        raise DataError(f"{path}: {error.strerror}") from None
    by_name: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(lines, 1):
        try:
            result = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataError(f"{path}:{number}: not JSON ({error.msg})") from None
        if not isinstance(result, dict) or not isinstance(result.get("file"), str):
            raise DataError(f'{path}:{number}: no "file" naming the analysed recording')
        by_name[str(Path(result["file"]).resolve())] = result
    missing = [item.name for item in items if str(item.path.resolve()) not in by_name]
    if missing:
        raise DataError(f"{path}: no saved result for {len(missing)} files, e.g. {missing[0]}")
    return [by_name[str(item.path.resolve())] for item in items]


def _saved_bare(result: Mapping[str, Any]) -> tuple[BareWords, float | None]:
    bare = result.get("bare")
    if not isinstance(bare, Mapping) or not isinstance(bare.get("words"), list):
        raise DataError(f"{result['file']}: the saved result has no bare faster-whisper words")
    seconds = bare.get("seconds")
    return list(bare["words"]), None if seconds is None else float(seconds)


# Report ---------------------------------------------------------------------------------------


def _prf(counts: Counts) -> str:
    return f"P {counts.precision:.2f} R {counts.recall:.2f} F1 {counts.f1:.2f}"


def _found(counts: Counts) -> str:
    return f"{counts.tp} of {counts.tp + counts.fn} found, {counts.fp} false"


def _wer(edits: Edits | None) -> str:
    return "-" if edits is None else f"{edits.wer:.2f} ({edits.deletions} lost)"


def _file_line(score: FileScore, replayed: bool) -> str:
    parts = [
        f"{score.name:<34}{score.duration_s:5.1f} s",
        f"WER {_wer(score.practice)} bare {_wer(score.bare)}",
        f"hes {score.hesitations.tp}/{score.hesitations.tp + score.hesitations.fn}"
        f" +{score.hesitations.fp} false"
        + (f" ({score.likely_hesitations} likely)" if score.likely_hesitations else ""),
    ]
    if score.hesitations_bare is not None:
        bare = score.hesitations_bare
        parts[-1] += f" bare {bare.tp}/{bare.tp + bare.fn} +{bare.fp}"
    if score.markers.tp + score.markers.fn + score.markers.fp:
        parts.append(f"markers {score.markers.tp}/{score.markers.tp + score.markers.fn}")
        if score.markers.fp:
            parts[-1] += f" +{score.markers.fp} false"
    if score.restarts is not None:
        parts.append(
            f"restarts {score.restarts_found} (truth {score.restarts.tp + score.restarts.fn})"
        )
    elif score.restarts_found:
        parts.append(f"repetitions {score.restarts_found}")
    if score.unworded_practice is not None and score.unworded_bare is not None:
        parts.append(
            f"no-word speech {score.unworded_practice.seconds:.1f} s"
            f" bare {score.unworded_bare.seconds:.1f} s"
        )
    if score.seconds_practice is not None and score.seconds_bare is not None and not replayed:
        parts.append(f"time {score.seconds_practice:.1f} s bare {score.seconds_bare:.1f} s")
    return "  ".join(parts)


def _group(scores: Sequence[FileScore], kind: str) -> list[FileScore]:
    return [s for s in scores if (s.kind == "acted") == (kind == "acted")]


def _sum_edits(scores: Sequence[FileScore], bare: bool) -> Edits:
    chosen = [s.bare if bare else s.practice for s in scores]
    return sum((e for e in chosen if e is not None), Edits(0, 0, 0, 0))


def _totals(scores: Sequence[FileScore]) -> dict[str, Any]:
    restarts = [s.restarts for s in scores if s.restarts is not None]
    times = [
        (s.seconds_practice, s.seconds_bare)
        for s in scores
        if s.seconds_practice is not None and s.seconds_bare is not None
    ]
    return {
        "files": len(scores),
        "minutes": sum(s.duration_s for s in scores) / 60,
        "practice": _sum_edits(scores, bare=False),
        "bare": _sum_edits(scores, bare=True),
        "hesitations": sum((s.hesitations for s in scores), Counts()),
        "likely": sum(s.likely_hesitations for s in scores),
        "hesitations_bare": sum(
            (s.hesitations_bare for s in scores if s.hesitations_bare is not None), Counts()
        ),
        "markers": sum((s.markers for s in scores), Counts()),
        "restarts": sum(restarts, Counts()) if restarts else None,
        "false_fillers": [(s.name, s.false_fillers) for s in scores if s.false_fillers],
        "no_filler_clips": sum(1 for s in scores if not s.has_fillers),
        "unworded": sum(s.unworded_practice.seconds for s in scores if s.unworded_practice),
        "unworded_bare": sum(s.unworded_bare.seconds for s in scores if s.unworded_bare),
        "seconds": sum(p for p, _b in times) if times else None,
        "seconds_bare": sum(b for _p, b in times) if times else None,
    }


def format_report(scores: Sequence[FileScore], replayed: bool = False) -> str:
    lines = [_file_line(score, replayed) for score in scores]
    lines.append("")
    lines.append(
        "hesitations are practice's counted um/uh/er/ah/hmm events; on the two spontaneous files "
        "matched by time (±0.3 s), on the acted clips by count per clip (their tokens have no "
        "times: matched = min(found, true), the excess is false); restarts by count"
    )
    for kind in ("spontaneous", "acted"):
        chosen = _group(scores, kind)
        if not chosen:
            continue
        t = _totals(chosen)
        lines.append("")
        lines.append(f"{kind} ({t['files']} files, {t['minutes']:.1f} min)")
        lines.append(
            f"  transcript WER {t['practice'].wer:.3f} ({t['practice'].deletions} of "
            f"{t['practice'].reference} words lost), bare faster-whisper {t['bare'].wer:.3f} "
            f"({t['bare'].deletions} lost)"
        )
        lines.append(
            f"  hesitations {_found(t['hesitations'])} ({t['likely']} more likely); "
            f"{_prf(t['hesitations'])}"
        )
        lines.append(
            f"  hesitation words bare faster-whisper wrote: {_found(t['hesitations_bare'])}; "
            f"{_prf(t['hesitations_bare'])}"
        )
        lines.append(f"  discourse markers {_found(t['markers'])}")
        if t["restarts"] is not None:
            lines.append(f"  restarts {_found(t['restarts'])} (by count)")
        lines.append(
            f"  speech the VAD hears left out of the words {t['unworded']:.1f} s "
            f"(bare faster-whisper {t['unworded_bare']:.1f} s)"
        )
        if t["seconds"] is not None and not replayed:
            lines.append(
                f"  analysis {t['seconds']:.1f} s, bare transcription {t['seconds_bare']:.1f} s "
                f"({t['seconds'] / max(t['seconds_bare'], 1e-9):.2f}x)"
            )
        worse = [s for s in chosen if s.worse_than_bare]
        lines.append(
            f"  files with a WER more than {WORSE_BY} above bare faster-whisper's: {len(worse)}"
            + "".join(
                f"\n    {s.name}: {_wer(s.practice)} bare {_wer(s.bare)}"
                f"\n      practice: {s.transcript}\n      bare:     {s.transcript_bare}"
                for s in worse
            )
        )
        if kind == "acted":
            false = sum(len(types) for _name, types in t["false_fillers"])
            lines.append(
                f"  false fillers on the {t['no_filler_clips']} clips that have none: {false}"
                + "".join(f"\n    {name}: {', '.join(types)}" for name, types in t["false_fillers"])
            )
    return "\n".join(lines)


def totals_json(scores: Sequence[FileScore]) -> dict[str, Any]:
    report: dict[str, Any] = {}
    for kind in ("spontaneous", "acted", "all"):
        chosen = list(scores) if kind == "all" else _group(scores, kind)
        if not chosen:
            continue
        t = _totals(chosen)
        report[kind] = {
            "files": t["files"],
            "minutes": round(t["minutes"], 2),
            "practice": t["practice"].to_json(),
            "bare": t["bare"].to_json(),
            "hesitations": t["hesitations"].to_json(),
            "likely_hesitations": t["likely"],
            "hesitations_bare": t["hesitations_bare"].to_json(),
            "markers": t["markers"].to_json(),
            "restarts": None if t["restarts"] is None else t["restarts"].to_json(),
            "false_fillers": {name: list(types) for name, types in t["false_fillers"]},
            "false_fillers_on_clean_clips": sum(len(ty) for _n, ty in t["false_fillers"]),
            "worse_than_bare": [s.name for s in chosen if s.worse_than_bare],
            "unworded_s": round(t["unworded"], 2),
            "unworded_bare_s": round(t["unworded_bare"], 2),
            "seconds": None if t["seconds"] is None else round(t["seconds"], 2),
            "seconds_bare": None if t["seconds_bare"] is None else round(t["seconds_bare"], 2),
        }
    return report


if __name__ == "__main__":
    sys.exit(main())

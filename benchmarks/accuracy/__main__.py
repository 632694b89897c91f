"""``python -m benchmarks.accuracy``: render every script with every voice (cached), analyse each
answer in-process with practice, score it against the truth and print the table.

Without ``--results`` the answers are analysed with ``practice.analysis.answer.analyze_file``;
with ``--results FILE`` the JSON lines in FILE (one ``practice analyze --json`` object per answer,
its ``"file"`` naming the WAV) are scored instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from benchmarks.accuracy.people import SCRIPTS_DIR as PEOPLE_SCRIPTS
from benchmarks.accuracy.people import (
    VARIANT_NAMES,
    VARIANT_VOICES,
    render_all_people,
    variants_named,
)
from benchmarks.accuracy.replay import replay
from benchmarks.accuracy.score import (
    COUNTED,
    AnswerScore,
    ResultError,
    Summary,
    score_answer,
    summarize,
)
from benchmarks.accuracy.script import SCRIPTS_DIR, Script, ScriptError, load_scripts
from benchmarks.accuracy.synth import CACHE_DIR, VOICES, Voice, render_all, voice_named
from benchmarks.accuracy.table import format_table
from benchmarks.accuracy.truth import COMMITTED, Truth, differing, write_committed
from practice.analysis.engines.faster import FasterWhisperTranscriber
from practice.analysis.transcript import DecodeOptions
from practice.errors import PracticeError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.accuracy",
        description="Filler, pause, pace and WER accuracy of practice's analysis on synthetic "
        "answers with exact truth.",
    )
    parser.add_argument(
        "--voices", help=f"comma-separated voices (default all: {', '.join(VOICES)})"
    )
    parser.add_argument(
        "--variants",
        help="run the answers closer to people instead (scripts-people/, rendered as running "
        "text: see people.py): comma-separated inline, drift, room, all, or names such as "
        "joe-drift; --voices then picks their base voices (joe, espeak-us)",
    )
    parser.add_argument("--scripts", help="comma-separated script ids (default all)")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--limit", type=int, help="only the first N scripts")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="synthesis worker processes"
    )
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="audio cache folder")
    parser.add_argument(
        "--write-truth",
        action="store_true",
        help="record the rendered timelines in truth.jsonl (after editing scripts)",
    )
    parser.add_argument("--synth-only", action="store_true", help="render the audio and stop")
    parser.add_argument("--results", type=Path, help="score these JSON lines, do not analyse")
    parser.add_argument("--save-results", type=Path, help="write the analysis JSON lines here")
    parser.add_argument(
        "--replay",
        type=Path,
        help="analyse again with the words saved in these JSON lines instead of the engine "
        "(measures changes after transcription quickly; the times exclude the engine but for "
        "the verdict step's extra decoding, run on the real engine)",
    )
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=COUNTED,
        help=f"score filler events at least this confident (default {COUNTED}: counted ones)",
    )
    parser.add_argument("--json", type=Path, help="write the summaries and per-answer scores here")
    parser.add_argument(
        "--decode",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="a faster-whisper decoding setting for an A/B (DecodeOptions field, repeatable): "
        "beam_size=1, initial_prompt='Um, uh, hmm.', hotwords='um uh hmm', "
        "temperature_fallback=0",
    )
    return parser


class BenchmarkError(PracticeError):
    """The benchmark cannot run as asked."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except PracticeError as error:
        print(f"benchmarks.accuracy: {error}", file=sys.stderr)
        return 1


def _selected_scripts(args: argparse.Namespace, folder: Path = SCRIPTS_DIR) -> list[Script]:
    scripts = list(load_scripts(folder))
    if args.scripts:
        wanted = [name.strip() for name in args.scripts.split(",") if name.strip()]
        known = {script.id for script in scripts}
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise ScriptError(f"unknown script ids: {', '.join(unknown)}")
        scripts = [script for script in scripts if script.id in wanted]
    if args.split != "all":
        scripts = [script for script in scripts if script.split == args.split]
    if args.limit is not None:
        scripts = scripts[: max(args.limit, 0)]
    return scripts


def _selected(args: argparse.Namespace) -> tuple[list[Script], list[Voice]]:
    scripts = _selected_scripts(args)
    names = args.voices.split(",") if args.voices else list(VOICES)
    voices = [voice_named(name.strip()) for name in names if name.strip()]
    if not scripts or not voices:
        raise BenchmarkError("no scripts or no voices selected")
    return scripts, voices


def _render_people(args: argparse.Namespace) -> tuple[list[Script], list[tuple[Path, Truth]]]:
    scripts = _selected_scripts(args, PEOPLE_SCRIPTS)
    variants = variants_named(args.variants)
    if args.voices:
        bases = {name.strip() for name in args.voices.split(",")}
        variants = [variant for variant in variants if variant.voice.name in bases]
    if not scripts or not variants:
        raise BenchmarkError("no scripts or no variants selected")
    pairs = [(script, variant) for script in scripts for variant in variants]
    started = time.perf_counter()
    rendered = render_all_people(pairs, jobs=args.jobs, cache_dir=args.cache)
    _ready(rendered, f"{len(scripts)} scripts x {len(variants)} variants", started, args)
    print("Closer to people: " + ", ".join(variant.name for variant in variants), flush=True)
    return scripts, rendered


def _ready(
    rendered: Sequence[tuple[Path, Truth]], what: str, started: float, args: argparse.Namespace
) -> None:
    audio_s = sum(truth.duration_s for _wav, truth in rendered)
    print(
        f"{len(rendered)} answers ({what}, {audio_s / 60:.1f} min of audio) ready in "
        f"{time.perf_counter() - started:.1f} s with {args.jobs} job(s); cache: {args.cache}",
        flush=True,
    )


def _run(args: argparse.Namespace) -> int:
    if args.variants:
        if args.write_truth:
            raise BenchmarkError("--write-truth records the chunk renderings only")
        scripts, rendered = _render_people(args)
    else:
        scripts, rendered = _render_chunks(args)
    if args.synth_only:
        return 0
    return _score(args, scripts, rendered)


def _render_chunks(args: argparse.Namespace) -> tuple[list[Script], list[tuple[Path, Truth]]]:
    scripts, voices = _selected(args)
    pairs = [(script, voice) for script in scripts for voice in voices]
    started = time.perf_counter()
    rendered = render_all(pairs, jobs=args.jobs, cache_dir=args.cache)
    _ready(rendered, f"{len(scripts)} scripts x {len(voices)} voices", started, args)
    clean = [
        truth
        for (_wav, truth), (_s, voice) in zip(rendered, pairs, strict=True)
        if not voice.degrade
    ]
    if args.write_truth:
        write_committed(clean)
        print(f"recorded {len(clean)} timelines in {COMMITTED}")
    elif changed := differing(clean):
        print(
            f"warning: {len(changed)} renderings differ from {COMMITTED.name} "
            f"(e.g. {changed[0].script} by {changed[0].voice}): a script was edited or an engine "
            "changed; check, then run with --write-truth",
            file=sys.stderr,
        )
    return scripts, rendered


def _score(
    args: argparse.Namespace, scripts: Sequence[Script], rendered: Sequence[tuple[Path, Truth]]
) -> int:
    splits = {script.id: script.split for script in scripts}
    wavs = [wav for wav, _truth in rendered]
    if args.results:
        timed: list[tuple[dict[str, Any], float | None]] = [
            (result, None) for result in _read_results(args.results, wavs)
        ]
    elif args.replay:
        timed = replay(wavs, _read_results(args.replay, wavs))
    else:
        timed = _analyse([wav for wav, _truth in rendered], decode_options(args.decode))
    if args.save_results:
        lines = [json.dumps(result) for result, _seconds in timed]
        args.save_results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scores = [
        score_answer(truth, result, splits[truth.script], seconds, args.min_confidence)
        for (_wav, truth), (result, seconds) in zip(rendered, timed, strict=True)
    ]
    summaries = _summaries(scores)
    print(format_table(summaries))
    variants: dict[str, Summary | None] = {}
    if args.variants:
        for kind in dict.fromkeys(_variant_kind(score.voice) for score in scores):
            variants[kind] = summarize([s for s in scores if _variant_kind(s.voice) == kind])
        print("\nBy variant (both splits)")
        print(format_table(variants))
    if args.json:
        report = {
            "summaries": {k: v.to_json() if v else None for k, v in summaries.items()},
            "variants": {k: v.to_json() for k, v in variants.items() if v},
            "answers": [score.to_json() for score in scores],
        }
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


def _variant_kind(name: str) -> str:
    return VARIANT_NAMES[VARIANT_VOICES[name].level]


def _summaries(scores: Sequence[AnswerScore]) -> dict[str, Summary | None]:
    summaries: dict[str, Summary | None] = {}
    for split in ("dev", "test"):
        chosen = [score for score in scores if score.split == split]
        summaries[split] = summarize(chosen) if chosen else None
    summaries["all"] = summarize(scores)
    return summaries


def decode_options(settings: Sequence[str]) -> DecodeOptions:
    """DecodeOptions from ``FIELD=VALUE`` strings, each value read as its field's type."""
    options = DecodeOptions()
    types = {field.name: type(getattr(options, field.name)) for field in fields(options)}
    changes: dict[str, Any] = {}
    for setting in settings:
        name, equals, value = setting.partition("=")
        if not equals or name not in types:
            raise BenchmarkError(
                f"--decode {setting!r}: expected FIELD=VALUE with FIELD one of {', '.join(types)}"
            )
        kind = types[name]
        try:
            if kind is bool:
                changes[name] = value.lower() in ("1", "true", "yes")
            elif kind in (int, float):
                changes[name] = kind(value)
            else:
                changes[name] = value or None
        except ValueError:
            raise BenchmarkError(f"--decode {setting!r}: not a valid {kind.__name__}") from None
    return replace(options, **changes)


def _analyse(
    wavs: Sequence[Path], options: DecodeOptions
) -> list[tuple[dict[str, Any], float | None]]:
    from practice.analysis.answer import analyze_file

    transcriber = FasterWhisperTranscriber(options=options)
    transcriber.load()
    timed: list[tuple[dict[str, Any], float | None]] = []
    for index, wav in enumerate(wavs, 1):
        started = time.perf_counter()
        result = analyze_file(wav, transcriber).to_json()
        timed.append((result, time.perf_counter() - started))
        print(f"\ranalysed {index}/{len(wavs)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return timed


def _read_results(path: Path, wavs: Sequence[Path]) -> list[dict[str, Any]]:
    by_name: dict[str, dict[str, Any]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise BenchmarkError(f"{path}: {error.strerror}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            result = json.loads(line)
        except json.JSONDecodeError as error:
            raise ResultError(f"{path}:{number}: not JSON ({error.msg})") from None
        if not isinstance(result, Mapping) or not isinstance(result.get("file"), str):
            raise ResultError(f'{path}:{number}: no "file" naming the analysed WAV')
        by_name[Path(result["file"]).name] = dict(result)
    missing = [wav.name for wav in wavs if wav.name not in by_name]
    if missing:
        raise ResultError(f"{path}: no result for {len(missing)} answers, e.g. {missing[0]}")
    return [by_name[wav.name] for wav in wavs]


if __name__ == "__main__":
    sys.exit(main())

"""``practice analyze``: feedback on recordings made elsewhere, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from practice import workspace
from practice.cli.common import (
    add_engine_options,
    bank_questions,
    make_transcriber,
    positive_float,
    targets_for,
)
from practice.errors import PracticeError

if TYPE_CHECKING:
    from practice.analysis.coaching import Brief
    from practice.records import QuestionRef


def add_analyze(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "analyze",
        help="feedback on recorded answers (WAV, FLAC, OGG, MP3, ...)",
        description="Transcribe recorded answers locally and report pace, pauses and fillers.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="one JSON object per file, per line")
    parser.add_argument(
        "--target",
        type=positive_float,
        metavar="SECONDS",
        help="target answer length, for the score",
    )
    parser.add_argument(
        "--long-pause",
        type=positive_float,
        metavar="SECONDS",
        help="shortest pause counted as long (default: the long_pause_seconds setting, 1.0)",
    )
    parser.add_argument(
        "--bank",
        metavar="ID",
        help="analyse as answers to a question of this bank (with --question)",
    )
    parser.add_argument(
        "--question",
        type=int,
        metavar="N",
        help="the question number, from 1: its kind, talking points and target length apply",
    )
    add_engine_options(parser)
    parser.set_defaults(run=_run_analyze)


def _run_analyze(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from practice.analysis.coaching.pipeline import analyze_answer
    from practice.exports import answer_text
    from practice.settings import Settings, load_settings

    try:  # the same pace band and long pause as the studio, so verdicts agree
        settings = load_settings(workspace.resolve(args.home))
    except PracticeError as error:
        print(f"practice: {error} (using the default settings)", file=sys.stderr)
        settings = Settings()
    brief, seconds = _asked(args)
    transcriber = make_transcriber(args, settings)
    targets = targets_for(settings, args.target if args.target is not None else seconds)
    if args.long_pause is not None:
        targets = replace(targets, long_pause_s=args.long_pause)
    failed = 0
    earlier: list[float] = []
    for index, file in enumerate(args.files):
        try:
            report = analyze_answer(file, transcriber, targets, brief, earlier_pitch=earlier)
        except PracticeError as error:
            failed += 1
            print(f"practice: {error}", file=sys.stderr)
            if args.json:
                print(json.dumps({"file": file, "error": str(error)}), flush=True)
            continue
        if report.coaching is not None and report.coaching.pitch.range_semitones is not None:
            earlier.append(report.coaching.pitch.range_semitones)
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False), flush=True)
        else:
            print(("\n" if index else "") + answer_text(report), flush=True)
    return 1 if failed else 0


def _asked(args: argparse.Namespace) -> tuple[Brief | None, int | None]:
    """What ``analyze --bank ID --question N`` names: the question's coaching brief and target
    length; (None, None) without them."""
    if args.bank is None and args.question is None:
        return None, None
    if args.bank is None or args.question is None:
        raise PracticeError("analyze: give both --bank ID and --question N, or neither")
    _name, questions = bank_questions(args)
    if not 1 <= args.question <= len(questions):
        raise PracticeError(
            f"--question {args.question}: bank '{args.bank}' has questions 1 to {len(questions)}"
        )
    question: QuestionRef = questions[args.question - 1]
    return question.brief, question.answer_seconds

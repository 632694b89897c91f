"""The ``practice`` command: no arguments opens the TUI; subcommands do headless work."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from practice import __version__, banks, workspace
from practice.errors import PracticeError

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="practice",
        description="Rehearse interview answers out loud and get honest feedback, offline.",
        epilog="With no command, practice opens the rehearsal studio (a terminal UI).",
    )
    parser.add_argument("--version", action="version", version=f"practice {__version__}")
    parser.add_argument(
        "--home", metavar="DIR", help="workspace folder (default: $PRACTICE_HOME or auto)"
    )
    parser.add_argument(
        "--banks",
        metavar="DIR",
        action="append",
        type=Path,
        default=[],
        help="also read question banks from this folder (repeatable)",
    )
    parser.set_defaults(run=_run_tui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_where(commands)
    _add_analyze(commands)
    _add_banks(commands)
    return parser


def _add_engine_options(parser: argparse.ArgumentParser) -> None:
    """``--engine``, ``--model`` and ``--compute-type``, for every command that transcribes."""
    from practice.analysis.transcribe import DEFAULT_ENGINE, ENGINES

    parser.add_argument(
        "--engine",
        default=DEFAULT_ENGINE,
        choices=sorted(ENGINES),
        help=f"speech-to-text engine (default: {DEFAULT_ENGINE})",
    )
    parser.add_argument(
        "--model",
        metavar="NAME|PATH",
        help="model name or local model folder/file (default: the bundled tiny.en)",
    )
    parser.add_argument(
        "--compute-type",
        metavar="TYPE",
        help="numeric precision, e.g. int8 or float32 (default: the engine's)",
    )


def _add_analyze(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "analyze",
        help="feedback on recorded answers (WAV, FLAC, OGG, MP3, ...)",
        description="Transcribe recorded answers locally and report pace, pauses and fillers.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="one JSON object per file, per line")
    parser.add_argument(
        "--target", type=float, metavar="SECONDS", help="target answer length, for the score"
    )
    parser.add_argument(
        "--long-pause",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="shortest pause counted as long (default: 1.0)",
    )
    _add_engine_options(parser)
    parser.set_defaults(run=_run_analyze)


def _run_analyze(args: argparse.Namespace) -> int:
    import json

    from practice.analysis.answer import analyze_file
    from practice.analysis.feedback import Targets
    from practice.analysis.transcribe import create_transcriber
    from practice.report import answer_text

    transcriber = create_transcriber(args.engine, args.model, args.compute_type)
    targets = Targets(long_pause_s=args.long_pause, target_seconds=args.target)
    failed = 0
    for index, file in enumerate(args.files):
        try:
            report = analyze_file(file, transcriber, targets)
        except PracticeError as error:
            failed += 1
            print(f"practice: {error}", file=sys.stderr)
            if args.json:
                print(json.dumps({"file": file, "error": str(error)}), flush=True)
            continue
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False), flush=True)
        else:
            print(("\n" if index else "") + answer_text(report), flush=True)
    return 1 if failed else 0


def _add_where(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("where", help="show the folders practice reads and writes")
    parser.set_defaults(run=_run_where)


def _run_where(args: argparse.Namespace) -> int:
    place = workspace.resolve(args.home)
    print(f"workspace   {place.home}  ({place.reason})")
    print(f"banks       {place.banks_dir}")
    print(f"recordings  {place.recordings_dir}")
    print(f"user banks  {place.user_banks_dir}")
    print(f"config      {place.config_file}")
    print(f"cache       {place.cache_dir}")
    return 0


def _add_banks(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("banks", help="list, show, check and create question banks")
    group.set_defaults(run=_run_banks_list, json=False)
    actions = group.add_subparsers(title="banks commands", metavar="ACTION")
    listing = actions.add_parser("list", help="the banks found, with where each comes from")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(run=_run_banks_list)
    show = actions.add_parser("show", help="a bank's questions, talking points and tips")
    show.add_argument("id", metavar="ID", help="the bank's id (its file name without .toml)")
    show.set_defaults(run=_run_banks_show)
    check = actions.add_parser(
        "check", help="check bank files (all banks found when none are given); exit 1 on problems"
    )
    check.add_argument("paths", metavar="FILE|DIR", nargs="*", type=Path)
    check.set_defaults(run=_run_banks_check)
    new = actions.add_parser("new", help="write a commented template for a new bank")
    new.add_argument("name", metavar="NAME", help='the bank\'s name, e.g. "Data engineering"')
    new.set_defaults(run=_run_banks_new)


def _discover(args: argparse.Namespace, *, warn: bool = True) -> banks.Discovery:
    """The banks found; notices (and, with ``warn``, problems) go to stderr."""
    found = banks.discover(workspace.resolve(args.home), args.banks)
    for line in found.notices:
        print(f"practice: note: {line}", file=sys.stderr)
    for line in found.problems if warn else ():
        print(f"practice: warning: {line}", file=sys.stderr)
    return found


def _run_banks_list(args: argparse.Namespace) -> int:
    found = _discover(args)
    if args.json:
        rows = [
            {
                "id": bank.id,
                "name": bank.name,
                "description": bank.description,
                "questions": len(bank.questions),
                "categories": list(bank.categories),
                "answer_seconds": bank.answer_seconds,
                "source": str(bank.source),
                "builtin": bank.builtin,
            }
            for bank in found.banks.values()
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not found.banks:
        print("No question banks found. Write one with: practice banks new NAME")
        return 0
    width_id = max(len("ID"), *(len(bank_id) for bank_id in found.banks))
    width_name = max(len("NAME"), *(len(bank.name) for bank in found.banks.values()))
    print(f"{'ID':<{width_id}}  {'NAME':<{width_name}}  QUESTIONS  SOURCE")
    for bank in found.banks.values():
        source = f"{bank.source} (built-in)" if bank.builtin else str(bank.source)
        count = len(bank.questions)
        print(f"{bank.id:<{width_id}}  {bank.name:<{width_name}}  {count:>9}  {source}")
    return 0


def _run_banks_show(args: argparse.Namespace) -> int:
    bank = banks.find(_discover(args), args.id)
    print(f"{bank.name}  ({bank.id}, {_count(len(bank.questions), 'question')})")
    if bank.description:
        print(bank.description)
    print(f"source: {bank.source}{' (built-in)' if bank.builtin else ''}")
    for number, question in enumerate(bank.questions, start=1):
        about = ", ".join(filter(None, [question.category, f"{question.answer_seconds} s"]))
        print(f"\n{number}. {question.text}  [{about}]")
        for point in question.talking_points:
            print(f"   - {point}")
        if question.tips:
            print(f"   tip: {question.tips}")
        for follow_up in question.follow_ups:
            print(f"   follow-up: {follow_up}")
    return 0


def _run_banks_check(args: argparse.Namespace) -> int:
    good: list[banks.Bank] = []
    problems: list[str] = []
    if not args.paths:
        found = _discover(args, warn=False)
        good, problems = list(found.banks.values()), found.problems
    for path in args.paths:
        files = [path]
        if path.is_dir():
            files = banks.bank_files(path)
            if not files:
                problems.append(f"{path}: no .toml bank files in this folder")
        for file in files:
            try:
                good.append(banks.load_bank(file))
            except banks.BankError as error:
                problems.extend(error.problems)
    for bank in good:
        print(f"ok  {bank.source}  ({_count(len(bank.questions), 'question')})")
    for line in problems:
        print(line, file=sys.stderr)
    print(f"{len(good)} good, {_count(len(problems), 'problem')}")
    return 1 if problems else 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _run_banks_new(args: argparse.Namespace) -> int:
    place = workspace.resolve(args.home)
    path = banks.write_new_bank(place, args.name)
    print(f"Wrote {path}")
    builtin = banks.builtin_dir()
    if builtin and builtin.resolve() != path.parent.resolve() and (builtin / path.name).is_file():
        print(f'It replaces the built-in bank "{path.stem}" while it is there.')
    print(f"Edit it, then check it:  practice banks check {path}")
    print(f"and rehearse it:         practice rehearse --bank {path.stem}")
    return 0


def _run_tui(args: argparse.Namespace) -> int:
    from practice.tui.app import make_app

    make_app(workspace.resolve(args.home)).run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Command = args.run
    try:
        return run(args)
    except PracticeError as error:
        print(f"practice: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("practice: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: one line for the user, the traceback in a log file
        log = _log_crash(error)
        print(
            f"practice: internal error: {type(error).__name__}: {error} (details in {log})",
            file=sys.stderr,
        )
        return 70


def _log_crash(error: BaseException) -> str:
    """Append the traceback to ``crash.log`` in the cache folder; returns where it went."""
    import datetime
    import traceback

    path = workspace.resolve().cache_dir / "crash.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.datetime.now().astimezone().isoformat()} {sys.argv}\n")
            log.write("".join(traceback.format_exception(error)))
    except OSError:
        return "nowhere: the cache folder is not writable"
    return str(path)

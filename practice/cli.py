"""The ``practice`` command: no arguments opens the TUI; subcommands do headless work."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from practice import __version__, workspace
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
    parser.set_defaults(run=_run_tui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_where(commands)
    _add_analyze(commands)
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

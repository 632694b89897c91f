"""The ``practice`` command: no arguments opens the TUI; subcommands do headless work."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from practice import __version__, workspace
from practice.errors import PracticeError

if TYPE_CHECKING:
    from practice.sessions import QuestionRef, SessionStore

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
    _add_sessions(commands)
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


# Sessions: history, show, report, delete, import -----------------------------------------------


def _add_sessions(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    history = commands.add_parser(
        "history",
        help="list your saved sessions, newest first",
        description="List saved sessions with their score, pace and fillers, newest first.",
    )
    history.add_argument("--json", action="store_true", help="a JSON array of sessions")
    history.set_defaults(run=_run_history)

    show = commands.add_parser("show", help="show a session's answers and transcripts")
    show.add_argument("session", metavar="SESSION", help="session id, or its first characters")
    show.set_defaults(run=_run_show)

    report = commands.add_parser(
        "report",
        help="export a session as Markdown, HTML or JSON",
        description="Export a session with its numbers and highlighted transcripts.",
    )
    report.add_argument("session", metavar="SESSION", help="session id, or its first characters")
    report.add_argument("--format", choices=["md", "html", "json"], default="md")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    report.set_defaults(run=_run_report)

    delete = commands.add_parser(
        "delete", help="delete a session: its audio, transcripts and history entry"
    )
    delete.add_argument("session", metavar="SESSION", help="session id, or its first characters")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(run=_run_delete)

    add = commands.add_parser(
        "import",
        help="add an existing recording as an answer in a session",
        description="Analyse a recording and save it as an answer to a question of a bank, "
        "in a new session unless --session names one.",
    )
    add.add_argument("file", metavar="FILE", help="the recording (WAV, FLAC, OGG, MP3, ...)")
    add.add_argument("--bank", metavar="ID", help="the question bank (needed for a new session)")
    add.add_argument(
        "--question", type=int, required=True, metavar="N", help="the question number, from 1"
    )
    add.add_argument("--session", metavar="ID", help="add to this session instead of a new one")
    _add_engine_options(add)
    add.set_defaults(run=_run_import)


def _store(args: argparse.Namespace) -> SessionStore:
    from practice.sessions import SessionStore

    return SessionStore(workspace.resolve(args.home).recordings_dir)


def _run_history(args: argparse.Namespace) -> int:
    import json

    store = _store(args)
    rows = store.history()
    if args.json:
        print(json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"No sessions yet in {store.root}.")
        return 0
    print(f"{'SESSION':<36} {'STARTED':<16} {'BANK':<20} ANSWERS SCORE  WPM FILLERS/MIN")
    for row in rows:
        start = row.started[:16].replace("T", " ")
        if row.damaged is not None:
            print(f"{row.id:<36} {start:<16} damaged: {row.damaged}")
            continue
        score = "–" if row.score is None else str(row.score)
        wpm = "–" if row.wpm is None else f"{row.wpm:.0f}"
        fpm = "–" if row.fillers_per_minute is None else f"{row.fillers_per_minute:.1f}"
        print(
            f"{row.id:<36} {start:<16} {row.bank_name[:20]:<20} {row.answers:>7} "
            f"{score:>5} {wpm:>4} {fpm:>11}"
        )
    return 0


def _run_show(args: argparse.Namespace) -> int:
    from practice.report import session_text

    print(session_text(_store(args).load(args.session)))
    return 0


def _run_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from practice.report import EXPORTS

    text = EXPORTS[args.format](_store(args).load(args.session))
    if args.output is None:
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise PracticeError(f"cannot write {target}: {error.strerror or error}") from None
    print(f"wrote {target}", file=sys.stderr)
    return 0


def _run_delete(args: argparse.Namespace) -> int:
    store = _store(args)
    session_id = store.find(args.session)
    if not args.yes:
        if not sys.stdin.isatty():
            raise PracticeError(
                f"not deleting {session_id}: no terminal to confirm on (add --yes to delete)"
            )
        answer = input(f"Delete session {session_id}, its audio and transcripts? [y/N] ")
        if answer.strip().lower() not in {"y", "yes"}:
            print("Kept.")
            return 1
    store.delete(session_id)
    print(f"Deleted {session_id}.")
    return 0


def bank_questions_for_import(bank_id: str, number: int) -> tuple[str, tuple[QuestionRef, ...]]:
    """The bank's name and the questions a new imported session holds, question ``number``
    (from 1) at index ``number - 1``.

    A stand-in until ``practice.banks`` is wired in: the bank's name is its id and question N is
    known only by its number. Replace it with a lookup of the bank and all its questions.
    """
    from practice.sessions import QuestionRef

    questions = tuple(QuestionRef(str(n), f"Question {n}") for n in range(1, number + 1))
    return bank_id, questions


def _run_import(args: argparse.Namespace) -> int:
    import shutil
    from dataclasses import replace
    from datetime import datetime
    from pathlib import Path

    from practice.analysis.answer import analyze_file
    from practice.analysis.feedback import Targets
    from practice.analysis.transcribe import create_transcriber
    from practice.sessions import Attempt

    store = _store(args)
    source = Path(args.file)
    index = args.question - 1
    if args.session is not None:
        session = store.load(args.session)
        if args.bank is not None and args.bank != session.bank_id:
            raise PracticeError(
                f"session {session.id} is on bank '{session.bank_id}', not '{args.bank}'"
            )
        questions = session.questions
    elif args.bank is None:
        raise PracticeError("import: name the bank with --bank ID (or a session with --session)")
    else:
        bank_name, questions = bank_questions_for_import(args.bank, args.question)
    if not 0 <= index < len(questions):
        raise PracticeError(f"--question {args.question}: the session has {len(questions)}")
    question = questions[index]
    transcriber = create_transcriber(args.engine, args.model, args.compute_type)
    report = analyze_file(source, transcriber, Targets(target_seconds=question.answer_seconds))
    if args.session is None:
        session = store.create(args.bank, bank_name, questions)
    number = session.next_number(index)
    target = store.audio_path(session, index, number).with_suffix(source.suffix.lower())
    try:
        shutil.copyfile(source, target)
    except OSError as error:
        raise PracticeError(f"cannot copy {source} to {target}: {error.strerror}") from None
    when = datetime.fromtimestamp(source.stat().st_mtime).astimezone()
    attempt = Attempt(
        index,
        number,
        when.isoformat(timespec="seconds"),
        target.name,
        replace(report, file=target.name),
    )
    session = store.add_attempt(session, attempt)
    print(
        f"Added {source} to session {session.id}, question {args.question}, "
        f"attempt {number}: score {report.score}/100"
    )
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

"""The ``practice`` command: no arguments opens the TUI; subcommands do headless work."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from practice import __version__, banks, workspace
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
    _add_sessions(commands)
    _add_rehearse(commands)
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

    make_app(workspace.resolve(args.home), extra_banks=args.banks).run()
    return 0


def _add_rehearse(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "rehearse",
        help="open the rehearsal studio straight into a session on one bank",
        description="Open the rehearsal studio and start a session on a bank right away.",
    )
    parser.add_argument("--bank", required=True, metavar="ID", help="bank id (practice banks list)")
    order = parser.add_mutually_exclusive_group()
    order.add_argument("--shuffle", action="store_true", help="ask the questions shuffled")
    order.add_argument(
        "--random", action="store_true", help="pick --count questions at random (default 1)"
    )
    parser.add_argument("--count", type=int, metavar="N", help="ask at most N questions")
    parser.add_argument("--category", metavar="C", help="only the questions of this category")
    parser.add_argument("--seed", type=int, metavar="N", help="repeatable shuffle or pick")
    parser.set_defaults(run=_run_rehearse)


def _run_rehearse(args: argparse.Namespace) -> int:
    from practice.tui.app import make_app
    from practice.tui.services import Start

    order = "shuffle" if args.shuffle else "random" if args.random else "in-order"
    start = Start(args.bank, order, args.count, args.category, args.seed)
    make_app(workspace.resolve(args.home), start=start, extra_banks=args.banks).run()
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


def _bank_questions(args: argparse.Namespace) -> tuple[str, tuple[QuestionRef, ...]]:
    """The name and every question of the bank ``--bank`` names, as a session records them."""
    from practice.sessions import QuestionRef

    place = workspace.resolve(args.home)
    bank = banks.find(banks.discover(place, args.banks), args.bank)
    return bank.name, tuple(QuestionRef.from_question(question) for question in bank.questions)


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
        bank_name, questions = _bank_questions(args)
    if not 0 <= index < len(questions):
        where = "session" if args.session is not None else "bank"
        raise PracticeError(
            f"--question {args.question}: the {where} has questions 1 to {len(questions)}"
        )
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

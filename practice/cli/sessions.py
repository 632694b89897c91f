"""The session commands: ``history``, ``show``, ``report``, ``delete`` and ``import``."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from practice import workspace
from practice.cli.common import (
    add_engine_options,
    bank_questions,
    cut,
    make_transcriber,
    open_store,
    targets_for,
)
from practice.errors import PracticeError
from practice.text import printable

if TYPE_CHECKING:
    from practice.sessions import SessionStore


def add_sessions(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    history = commands.add_parser(
        "history",
        help="list your saved sessions, newest first",
        description="List saved sessions with their score, pace and fillers, newest first.",
    )
    history.add_argument("--json", action="store_true", help="a JSON array of sessions")
    history.add_argument(
        "--questions",
        action="store_true",
        help="by question instead: each question's attempts over time, score and weakest part",
    )
    history.add_argument("--bank", metavar="ID", help="with --questions: only this bank")
    history.set_defaults(run=_run_history)

    show = commands.add_parser("show", help="show a session's answers and transcripts")
    show.add_argument("session", metavar="SESSION", nargs="?", default=LATEST, help=SESSION_HELP)
    show.set_defaults(run=_run_show)

    report = commands.add_parser(
        "report",
        help="export a session as Markdown, HTML or JSON",
        description="Export a session with its numbers and highlighted transcripts.",
    )
    report.add_argument("session", metavar="SESSION", nargs="?", default=LATEST, help=SESSION_HELP)
    report.add_argument("--format", choices=["md", "html", "json"], default="md")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    report.add_argument("--force", action="store_true", help="replace FILE if it exists")
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
    add_engine_options(add)
    add.set_defaults(run=_run_import)


LATEST = "latest"
SESSION_HELP = "session id, or its first characters (default: latest, the newest session)"


def _run_history(args: argparse.Namespace) -> int:
    from practice.times import when

    store = open_store(args)
    if args.questions:
        return _print_tracks(args, store)
    if args.bank is not None:
        raise PracticeError("history: --bank goes with --questions")
    rows = store.history()
    for note in store.notes:
        print(f"practice: note: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"No sessions yet in {store.root}.")
        return 0
    print(f"{'SESSION':<36} {'STARTED':<16} {'BANK':<20} ANSWERS SCORE  WPM FILLERS/MIN")
    for row in rows:
        start = when(row.started)
        if row.damaged is not None:
            print(f"{row.id:<36} {start:<16} damaged: {row.damaged}")
            continue
        score = "–" if row.score is None else str(row.score)
        wpm = "–" if row.wpm is None else f"{row.wpm:.0f}"
        fpm = "–" if row.fillers_per_minute is None else f"{row.fillers_per_minute:.1f}"
        print(
            f"{row.id:<36} {start:<16} {cut(row.bank_name, 20):<20} {row.answers:>7} "
            f"{score:>5} {wpm:>4} {fpm:>11}"
        )
    return 0


def _latest(store: SessionStore, wanted: str) -> str:
    """``wanted``, or the newest readable session's id for ``latest`` (or ``last``)."""
    if wanted not in {LATEST, "last"}:
        return wanted
    readable = [row for row in store.history() if row.damaged is None]
    if not readable:
        raise PracticeError(f"no sessions yet in {store.root}")
    return readable[0].id


def _print_tracks(args: argparse.Namespace, store: SessionStore) -> int:
    from practice.plan import read_sessions, tracks, tracks_text

    found = [
        track
        for track in tracks(read_sessions(store))
        if args.bank is None or track.bank_id == args.bank
    ]
    if args.json:
        print(json.dumps([track.to_json() for track in found], ensure_ascii=False, indent=2))
    else:
        print(tracks_text(found))
    return 0


def _run_show(args: argparse.Namespace) -> int:
    from practice.exports import session_text

    store = open_store(args)
    print(session_text(store.load(_latest(store, args.session))))
    return 0


def _run_report(args: argparse.Namespace) -> int:
    from practice.exports import EXPORTS

    store = open_store(args)
    text = EXPORTS[args.format](store.load(_latest(store, args.session)))
    if args.output is None:
        sys.stdout.write(text)
        return 0
    _write_export(Path(args.output), text.encode("utf-8"), force=args.force)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _write_export(target: Path, data: bytes, *, force: bool) -> None:
    """Write an export for the user: a new file is 0600 and written atomically (a full disk
    leaves no half file), an existing one is replaced only with ``force`` (a link is replaced,
    not followed); a pipe or device (``-o /dev/stdout``) is written to as it is."""
    import os
    import stat

    from practice.files import write_atomic

    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise PracticeError(f"cannot write {target}: {error.strerror or error}") from None
    try:
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory")
        if info is not None and not stat.S_ISREG(info.st_mode):
            fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_NOCTTY)
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
            return
        if info is not None and not force:
            raise PracticeError(f"{target} already exists (use --force to replace it)")
        write_atomic(target, data, replace=force)
    except FileExistsError:
        raise PracticeError(f"{target} already exists (use --force to replace it)") from None
    except OSError as error:
        raise PracticeError(f"cannot write {target}: {error.strerror or error}") from None


def _run_delete(args: argparse.Namespace) -> int:
    store = open_store(args)
    session_id = store.find(args.session)
    if not args.yes:
        if not sys.stdin.isatty():
            raise PracticeError(
                f"not deleting {session_id}: no terminal to confirm on (add --yes to delete)"
            )
        answer = input(printable(f"Delete session {session_id}, its audio and transcripts? [y/N] "))
        if answer.strip().lower() not in {"y", "yes"}:
            print("Kept.")
            return 1
    store.delete(session_id)
    print(f"Deleted {session_id}.")
    return 0


def _run_import(args: argparse.Namespace) -> int:
    from practice.analysis.coaching.pipeline import analyze_answer
    from practice.sessions import SessionError, SessionStore
    from practice.settings import load_settings

    place = workspace.resolve(args.home)
    settings = load_settings(place)
    store = SessionStore(place.recordings_dir, keep_audio=settings.keep_audio)
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
        bank_name, questions = bank_questions(args)
    if not 0 <= index < len(questions):
        where = "session" if args.session is not None else "bank"
        raise PracticeError(
            f"--question {args.question}: the {where} has questions 1 to {len(questions)}"
        )
    question = questions[index]
    targets = targets_for(settings, question.answer_seconds)
    transcriber = make_transcriber(args, settings)
    created = args.session is None
    if created:
        session = store.create(args.bank, bank_name, questions)
    try:
        earlier = store.earlier_pitch(session)
        session, added = store.import_answer(
            session.id,
            index,
            source,
            lambda path: analyze_answer(
                path, transcriber, targets, question.brief, earlier_pitch=earlier
            ),
        )
    except BaseException:
        if created:  # a failed import leaves nothing behind
            with contextlib.suppress(SessionError):
                store.delete(session.id)
        raise
    assert added.report is not None
    print(
        f"Added {source} to session {session.id}, question {args.question}, "
        f"attempt {added.number}: {added.report.headline}"
    )
    return 0

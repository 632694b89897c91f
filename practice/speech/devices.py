"""The sound devices PortAudio can see: list them and choose one by name or index.

Every PortAudio failure becomes an :class:`AudioDeviceError` with one line saying what to do;
sounddevice is imported lazily so that commands that do not touch audio stay fast.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from typing import Any, Literal

from practice.errors import PracticeError

Kind = Literal["input", "output"]
KINDS: tuple[Kind, Kind] = ("input", "output")


class AudioDeviceError(PracticeError):
    """No usable sound device, or PortAudio / the sound server failed."""


@dataclass(frozen=True, slots=True)
class Device:
    index: int
    name: str
    hostapi: str
    input_channels: int
    output_channels: int
    default_samplerate: float
    is_default_input: bool
    is_default_output: bool

    def channels(self, kind: Kind) -> int:
        return self.input_channels if kind == "input" else self.output_channels

    def is_default(self, kind: Kind) -> bool:
        return self.is_default_input if kind == "input" else self.is_default_output

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "hostapi": self.hostapi,
            "input_channels": self.input_channels,
            "output_channels": self.output_channels,
            "default_samplerate": self.default_samplerate,
            "is_default_input": self.is_default_input,
            "is_default_output": self.is_default_output,
        }


def sounddevice() -> Any:
    """The sounddevice module, or a one-line error when PortAudio is missing or cannot start.

    Importing sounddevice starts PortAudio, and while it starts, sounddevice points fd 2 at
    /dev/null to hide the library's chatter. A terminal UI draws on fd 2, so the first call must
    come before the UI takes the terminal (see :func:`start_portaudio`); a failed start is
    remembered, so that a later call cannot silence fd 2 again while the UI draws.
    """
    if _FAILED:
        raise _FAILED[0]
    if not _QUIET_ALSA:
        _quiet_alsa()
    try:
        import sounddevice as sd
    except OSError as error:  # the PortAudio library could not be loaded
        _FAILED.append(
            AudioDeviceError(f"the PortAudio library is missing ({error}): install libportaudio2")
        )
        raise _FAILED[0] from error
    except Exception as error:  # Pa_Initialize failed (sounddevice.PortAudioError)
        if type(error).__module__ != "sounddevice":
            raise
        _FAILED.append(AudioDeviceError(f"PortAudio could not start: {portaudio_message(error)}"))
        raise _FAILED[0] from error
    return sd


def start_portaudio() -> None:
    """Start PortAudio now, on this thread, before a terminal UI draws (see :func:`sounddevice`).

    A failure is not raised here: the device check reports it where the user sees it.
    """
    try:
        sounddevice()
    except AudioDeviceError:
        return


_FAILED: list[AudioDeviceError] = []
"""Why PortAudio could not be loaded or started, once it has failed."""


_QUIET_ALSA: list[object] = []
"""The ALSA error handler installed by :func:`_quiet_alsa` (kept alive here)."""


def _quiet_alsa() -> None:
    """Stop ALSA printing warnings such as "underrun occurred" on stderr (they garble a TUI)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("asound")
    if name is None:
        return
    try:
        asound = ctypes.CDLL(name)
        handler_type = ctypes.CFUNCTYPE(
            None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
        )
        handler = handler_type(lambda *_args: None)
        asound.snd_lib_error_set_handler(handler)
    except (OSError, AttributeError):
        return
    _QUIET_ALSA.append(handler)


def list_devices() -> tuple[Device, ...]:
    """Every device PortAudio reports."""
    sd = sounddevice()
    try:
        raw = sd.query_devices()
        hostapis = sd.query_hostapis()
        default_in, default_out = sd.default.device
    except sd.PortAudioError as error:
        raise AudioDeviceError(f"cannot list sound devices: {portaudio_message(error)}") from error
    devices = []
    for index, info in enumerate(raw):
        devices.append(
            Device(
                index=index,
                name=str(info["name"]),
                hostapi=str(hostapis[info["hostapi"]]["name"]),
                input_channels=int(info["max_input_channels"]),
                output_channels=int(info["max_output_channels"]),
                default_samplerate=float(info["default_samplerate"]),
                is_default_input=index == default_in,
                is_default_output=index == default_out,
            )
        )
    return tuple(devices)


def choose(
    kind: Kind, wanted: str | int | None, devices: tuple[Device, ...] | None = None
) -> Device:
    """The device to use: by index, by (part of) its name, or the system default when None."""
    devices = list_devices() if devices is None else devices
    usable = [device for device in devices if device.channels(kind) > 0]
    if not usable:
        raise AudioDeviceError(f"no audio {kind} device found: {no_device_hint()}")
    if wanted is None or (isinstance(wanted, str) and not wanted.strip()):
        for device in usable:
            if device.is_default(kind):
                return device
        return usable[0]
    if isinstance(wanted, int) or wanted.strip().isdigit():
        index = int(wanted)
        for device in usable:
            if device.index == index:
                return device
        raise AudioDeviceError(
            f"no {kind} device with index {index} (choose one of: {_names(usable)})"
        )
    needle = wanted.strip().casefold()
    exact = [device for device in usable if device.name.casefold() == needle]
    if exact:
        return exact[0]
    matches = [device for device in usable if needle in device.name.casefold()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise AudioDeviceError(
            f"{kind} device {wanted!r} matches several: {_names(matches)}; give more of the name"
        )
    raise AudioDeviceError(f"no {kind} device named {wanted!r} (choose one of: {_names(usable)})")


def _names(devices: list[Device]) -> str:
    return ", ".join(f"{device.index} {device.name!r}" for device in devices)


def no_device_hint() -> str:
    """Why PortAudio may see no device, with what to do about it."""
    pactl = shutil.which("pactl")
    if pactl is not None:
        try:
            answer = subprocess.run([pactl, "info"], capture_output=True, timeout=3, check=False)
        except (OSError, subprocess.TimeoutExpired):
            answer = None
        if answer is not None and answer.returncode != 0:
            return (
                "the sound server (PulseAudio or PipeWire) is not running or not reachable; "
                "start it (pulseaudio --start, or log in to a desktop session) and try again"
            )
    return (
        "PortAudio sees no sound device; connect a microphone and speakers, or start "
        "PulseAudio/PipeWire, then run `practice devices`"
    )


def portaudio_message(error: BaseException) -> str:
    """PortAudio's error as one line (its messages carry codes and host details)."""
    args = getattr(error, "args", ())
    text = str(args[0]) if args else str(error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


def probe(kind: Kind, wanted: str | int | None) -> tuple[Device, int]:
    """Choose a device and open (then close) a mono stream on it; returns it and the rate used."""
    sd = sounddevice()
    device = choose(kind, wanted)
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    rate = 16000
    try:
        try:
            check(device.index, channels=1, samplerate=rate)
        except sd.PortAudioError:
            rate = int(device.default_samplerate)
            check(device.index, channels=1, samplerate=rate)
        stream_type = sd.InputStream if kind == "input" else sd.OutputStream
        with stream_type(device=device.index, channels=1, samplerate=rate):
            pass
    except sd.PortAudioError as error:
        raise AudioDeviceError(
            f"cannot open the {kind} device {device.name!r}: {portaudio_message(error)}"
        ) from error
    return device, rate

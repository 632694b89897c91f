"""Plays a WAV, or a span of it, on the chosen output device; blocks until done or stopped."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from practice.errors import PracticeError
from practice.speech.devices import AudioDeviceError, choose, portaudio_message, sounddevice

if TYPE_CHECKING:  # numpy loads with the first sound played, not before the studio's first frame
    import numpy as np

STALL_SECONDS = 2.0
"""No progress for this long means the device went away."""


class PlaybackError(PracticeError):
    """The file cannot be read or played."""


class Player:
    def __init__(self, device: str | int | None = None) -> None:
        self.device = device
        """Output device: a name (or part of one), an index, or None for the default."""

    def play(
        self,
        path: Path,
        start: float = 0.0,
        end: float | None = None,
        volume: float = 1.0,
        stop: threading.Event | None = None,
    ) -> bool:
        """Play ``path`` from ``start`` to ``end`` seconds; True when it played to the end."""
        samples, samplerate = read_span(path, start, end)
        return self.play_samples(samples * volume, samplerate, stop)

    def play_samples(
        self, samples: np.ndarray, samplerate: int, stop: threading.Event | None = None
    ) -> bool:
        """Play float32 frames (shape (n,) or (n, channels)); False when stopped early."""
        import numpy as np

        sd = sounddevice()
        data = samples.reshape(len(samples), -1).astype(np.float32, copy=False)
        channels = data.shape[1]
        device = choose("output", self.device)
        try:
            sd.check_output_settings(device.index, channels=channels, samplerate=samplerate)
        except sd.PortAudioError:
            import soxr

            rate = int(device.default_samplerate)
            data = np.asarray(soxr.resample(data, samplerate, rate), dtype=np.float32)
            data = data.reshape(len(data), channels)
            samplerate = rate
        position = 0
        finished = threading.Event()

        def callback(outdata: np.ndarray, frames: int, _time: object, _status: object) -> None:
            nonlocal position
            chunk = data[position : position + frames]
            outdata[: len(chunk)] = chunk
            position += len(chunk)
            if len(chunk) < frames:
                outdata[len(chunk) :] = 0
                raise sd.CallbackStop

        try:
            stream = sd.OutputStream(
                device=device.index,
                samplerate=samplerate,
                channels=channels,
                dtype="float32",
                callback=callback,
                finished_callback=finished.set,
                latency="low",
            )
        except sd.PortAudioError as error:
            raise AudioDeviceError(
                f"cannot open the output device {device.name!r}: {portaudio_message(error)}"
            ) from error
        with stream:
            last, last_change = position, time.monotonic()
            while not finished.wait(0.02):
                if stop is not None and stop.is_set():
                    stream.abort()
                    return False
                if position != last:
                    last, last_change = position, time.monotonic()
                elif time.monotonic() - last_change > STALL_SECONDS:
                    stream.abort()
                    raise AudioDeviceError(f"the output device {device.name!r} stopped playing")
        if position < len(data):
            raise AudioDeviceError(f"the output device {device.name!r} stopped playing")
        return True


def read_span(path: Path, start: float = 0.0, end: float | None = None) -> tuple[np.ndarray, int]:
    """Frames of ``path`` from ``start`` to ``end`` seconds, as float32, and the sample rate."""
    import soundfile

    try:
        with soundfile.SoundFile(str(path)) as file:
            rate = int(file.samplerate)
            first = max(0, round(start * rate))
            last = file.frames if end is None else min(file.frames, round(end * rate))
            if first >= last:
                until = "the end" if end is None else f"{end:g} s"
                raise PlaybackError(
                    f"{path}: nothing to play from {start:g} s to {until}"
                    f" (the file lasts {file.frames / rate:.2f} s)"
                )
            file.seek(first)
            frames = file.read(last - first, dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, OSError) as error:
        raise PlaybackError(f"{path}: cannot read the audio: {error}") from error
    return frames, rate

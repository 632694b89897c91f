"""Records the spoken answer from the chosen input device to a WAV, as it is spoken.

The PortAudio callback only copies each block into a queue. The thread that calls
:meth:`Recorder.record` owns the file: it drains the queue into a
:class:`~practice.speech.wavfile.WavWriter` (so a crash loses at most about a second), feeds the
level meter (and ``on_block``, for analysis while the answer is spoken), watches for silence, and
stops on request, at the maximum duration, after enough silence once speech has started, or when
the device goes away (keeping what was recorded). The callbacks whose status says sound was
dropped because it was not read in time (input overflows) are counted, never hidden.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice.errors import PracticeError
from practice.speech.devices import (
    AudioDeviceError,
    Device,
    choose,
    portaudio_message,
    sounddevice,
)
from practice.speech.wavfile import WavWriter

if TYPE_CHECKING:  # numpy loads when recording starts, not before the studio's first frame
    import numpy as np

PREFERRED_SAMPLERATE = 16000
ANALYSIS_SAMPLERATE = 16000
"""The rate of the blocks handed to ``on_block`` (the analysis works at 16 kHz)."""
BLOCK_SECONDS = 0.05
SILENT_DBFS = -100.0
"""The level reported for digital silence (and before the first block)."""
NO_DATA_SECONDS = 2.0
"""No block for this long means the device went away."""
FIRST_BLOCK_SECONDS = 5.0
"""How long the first block may take (PulseAudio's virtual devices take up to 2 s)."""


class RecordingError(PracticeError):
    """The recording cannot be written (permissions, disk full)."""


class StopReason(StrEnum):
    REQUESTED = "requested"
    MAX_DURATION = "max-duration"
    SILENCE = "silence"
    DEVICE_LOST = "device-lost"

    def describe(self, silence_stop_seconds: float = 0.0) -> str:
        return {
            StopReason.REQUESTED: "stopped on request",
            StopReason.MAX_DURATION: "reached the maximum duration",
            StopReason.SILENCE: f"stopped after {silence_stop_seconds:g} s of silence",
            StopReason.DEVICE_LOST: "the input device went away; the recording so far was kept",
        }[self]


@dataclass(frozen=True, slots=True)
class Recording:
    path: Path
    duration_s: float
    samplerate: int
    stop_reason: StopReason
    speech_started_at: float | None
    """Seconds from the start of the recording to the first speech, None when there was none."""
    peak_dbfs: float
    """The loudest block: near -100 means the microphone heard nothing (muted?)."""
    device: str
    error: str | None = None
    """What went wrong with the device, when ``stop_reason`` is DEVICE_LOST."""
    overflows: int = 0
    """Callbacks that reported an input overflow: sound was lost because the machine was busy."""


def dbfs(block: np.ndarray) -> float:
    """RMS level of float samples in dB relative to full scale, floored at SILENT_DBFS."""
    import numpy as np

    if block.size == 0:
        return SILENT_DBFS
    rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64))))
    return max(SILENT_DBFS, 20.0 * math.log10(rms)) if rms > 0 else SILENT_DBFS


class SpeechDetector:
    """Decides from block levels when speech has started and when it has been silent long enough.

    The noise floor is a low percentile of the last few seconds of levels; a block is speech when
    it is well above that floor (and loud enough in absolute terms). Speech has started after
    ``start_seconds`` of consecutive speech blocks.
    """

    ABOVE_FLOOR_DB = 15.0
    MIN_SPEECH_DBFS = -55.0
    MAX_THRESHOLD_DBFS = -25.0

    def __init__(
        self, block_seconds: float, start_seconds: float = 0.15, window_seconds: float = 8.0
    ) -> None:
        self.block_seconds = block_seconds
        self._needed = max(1, round(start_seconds / block_seconds))
        self._levels: deque[float] = deque(maxlen=max(1, round(window_seconds / block_seconds)))
        self._run = 0
        self._elapsed = 0.0
        self.speech_started_at: float | None = None
        self.last_speech_at: float | None = None

    @property
    def threshold_dbfs(self) -> float:
        import numpy as np

        floor = float(np.percentile(self._levels, 10)) if self._levels else SILENT_DBFS
        threshold = max(floor + self.ABOVE_FLOOR_DB, self.MIN_SPEECH_DBFS)
        return min(threshold, self.MAX_THRESHOLD_DBFS)

    def feed(self, level_dbfs: float) -> None:
        """Take the level of the next block."""
        start = self._elapsed
        self._elapsed += self.block_seconds
        is_speech = level_dbfs >= self.threshold_dbfs
        self._levels.append(level_dbfs)
        if not is_speech:
            self._run = 0
            return
        self._run += 1
        self.last_speech_at = self._elapsed
        if self.speech_started_at is None and self._run >= self._needed:
            self.speech_started_at = start - (self._needed - 1) * self.block_seconds

    def silent_for(self) -> float:
        """Seconds since the last speech block, once speech has started (else 0)."""
        if self.speech_started_at is None or self.last_speech_at is None:
            return 0.0
        return self._elapsed - self.last_speech_at


class Recorder:
    """Records mono audio from one input device. One recording at a time per instance."""

    def __init__(self, device: str | int | None = None, samplerate: int | None = None) -> None:
        self.device = device
        """Input device: a name (or part of one), an index, or None for the default."""
        self.samplerate = samplerate
        """None: 16 kHz when the device supports it, else the device's default rate."""

    def record(
        self,
        path: Path,
        max_seconds: float = 300.0,
        silence_stop_seconds: float = 0.0,
        stop: threading.Event | None = None,
        on_level: Callable[[float], None] | None = None,
        on_block: Callable[[np.ndarray], None] | None = None,
    ) -> Recording:
        """Record into ``path`` (created 0600, folders 0700) until a stop condition; see module.

        ``on_block`` receives each block as the WAV stores it (int16-quantised, as float32 in
        [-1, 1)), at 16 kHz (resampled as :func:`practice.analysis.audio.load_audio` resamples
        the file, so the blocks joined equal the saved WAV decoded), from the recording thread.
        Raises :class:`AudioDeviceError` when the device cannot be opened and
        :class:`RecordingError` when the file cannot be written (what was written is kept).
        """
        try:
            return self._record(path, max_seconds, silence_stop_seconds, stop, on_level, on_block)
        except OSError as error:
            raise RecordingError(
                f"{path}: cannot write the recording: {error.strerror or error}"
            ) from error

    def _record(
        self,
        path: Path,
        max_seconds: float,
        silence_stop_seconds: float,
        stop: threading.Event | None,
        on_level: Callable[[float], None] | None,
        on_block: Callable[[np.ndarray], None] | None,
    ) -> Recording:
        sd = sounddevice()
        device = choose("input", self.device)
        samplerate = self.samplerate or _supported_rate(sd, device)
        blocks: queue.Queue[np.ndarray] = queue.Queue()
        stream_done = threading.Event()
        overflows = 0

        def callback(indata: np.ndarray, _frames: int, _time: Any, status: Any) -> None:
            nonlocal overflows
            if status.input_overflow:
                overflows += 1
            blocks.put(indata[:, 0].copy())

        try:
            stream = sd.InputStream(
                device=device.index,
                samplerate=samplerate,
                channels=1,
                dtype="float32",
                blocksize=int(samplerate * BLOCK_SECONDS),
                latency="low",
                callback=callback,
                finished_callback=stream_done.set,
            )
        except sd.PortAudioError as error:
            raise AudioDeviceError(
                f"cannot open the input device {device.name!r}: {portaudio_message(error)}"
            ) from error
        detector = SpeechDetector(BLOCK_SECONDS)
        max_frames = int(max_seconds * samplerate)
        reason: StopReason | None = None
        error_text: str | None = None
        peak = SILENT_DBFS
        feed = _BlockFeed(samplerate, on_block)
        with WavWriter(path, samplerate) as wav:
            try:
                stream.start()
            except sd.PortAudioError as error:
                stream.close()
                raise AudioDeviceError(
                    f"cannot start the input device {device.name!r}: {portaudio_message(error)}"
                ) from error
            last_block_at = time.monotonic()
            try:
                while reason is None:
                    if stop is not None and stop.is_set():
                        reason = StopReason.REQUESTED
                        break
                    try:
                        block = blocks.get(timeout=0.05)
                    except queue.Empty:
                        if stream_done.is_set() or not stream.active:
                            reason, error_text = StopReason.DEVICE_LOST, "the stream ended"
                        elif time.monotonic() - last_block_at > (
                            NO_DATA_SECONDS if wav.frames else FIRST_BLOCK_SECONDS
                        ):
                            reason = StopReason.DEVICE_LOST
                            error_text = "no sound data is arriving"
                        continue
                    last_block_at = time.monotonic()
                    block = block[: max_frames - wav.frames]
                    pcm = _pcm16(block)
                    wav.write(pcm.tobytes())
                    feed(pcm)
                    level = dbfs(block)
                    peak = max(peak, level)
                    detector.feed(level)
                    if on_level is not None:
                        on_level(level)
                    if wav.frames >= max_frames:
                        reason = StopReason.MAX_DURATION
                    elif 0 < silence_stop_seconds <= detector.silent_for():
                        reason = StopReason.SILENCE
            finally:
                try:
                    stream.abort()
                    stream.close()
                except sd.PortAudioError as error:  # the device is already gone
                    error_text = error_text or portaudio_message(error)
            if reason is not StopReason.MAX_DURATION:
                while not blocks.empty():  # what arrived before the stream was stopped
                    pcm = _pcm16(blocks.get()[: max_frames - wav.frames])
                    wav.write(pcm.tobytes())
                    feed(pcm)
            feed.finish()
        stop_reason = reason or StopReason.REQUESTED
        return Recording(
            path=path,
            duration_s=wav.duration_s,
            samplerate=samplerate,
            stop_reason=stop_reason,
            speech_started_at=detector.speech_started_at,
            peak_dbfs=peak,
            device=device.name,
            error=error_text if stop_reason is StopReason.DEVICE_LOST else None,
            overflows=overflows,
        )


def _supported_rate(sd: Any, device: Device) -> int:
    try:
        sd.check_input_settings(device.index, channels=1, samplerate=PREFERRED_SAMPLERATE)
    except sd.PortAudioError:
        return int(device.default_samplerate)
    return PREFERRED_SAMPLERATE


def _pcm16(block: np.ndarray) -> np.ndarray:
    import numpy as np

    pcm: np.ndarray = (np.clip(block, -1.0, 1.0) * 32767.0).astype("<i2")
    return pcm


class _BlockFeed:
    """Hands the stored blocks to ``on_block`` as 16 kHz float32, decoded as libsndfile decodes
    the WAV (int16 / 32768) and resampled by a streaming soxr, which gives the same samples
    whatever the block sizes."""

    def __init__(self, samplerate: int, on_block: Callable[[np.ndarray], None] | None) -> None:
        self._on_block = on_block
        self._stream: Any = None
        if on_block is not None and samplerate != ANALYSIS_SAMPLERATE:
            import soxr

            self._stream = soxr.ResampleStream(samplerate, ANALYSIS_SAMPLERATE, 1, "float32")

    def __call__(self, pcm: np.ndarray, last: bool = False) -> None:
        if self._on_block is None:
            return
        import numpy as np

        block = pcm.astype(np.float32) / np.float32(32768)
        if self._stream is not None:
            block = np.clip(self._stream.resample_chunk(block, last=last), -1.0, 1.0)
        if block.size:
            self._on_block(block)

    def finish(self) -> None:
        """The recording has ended: flush what the resampler holds back."""
        if self._stream is not None:
            import numpy as np

            self(np.zeros(0, dtype="<i2"), last=True)

"""Decoding answers to what the analysis works on: 16 kHz mono float32 samples.

Files go through libsndfile first (WAV, FLAC, OGG, MP3 and more), then PyAV (FFmpeg's decoders)
for anything libsndfile does not read, or reads only part of. Both are decoded block by block and
resampled with a real band-limited resampler (soxr, or FFmpeg's own for PyAV), into
:class:`Samples`: 16-bit samples, all but the last 16 s in a temporary file, so that the memory a
recording takes does not grow with it.

A file is never trusted: it is opened once, in Python (any name works, even one that is not valid
UTF-8), and must be a regular file (a pipe or a device is refused at once); what its header says
(sample rate, length) is checked before anything is decoded; samples that are not numbers are
refused, and so is a file that decodes to clearly less than its header states (damaged or cut
short), rather than scoring part of an answer as if it were all of it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np

from practice.analysis.heap import keep_heap_small
from practice.errors import PracticeError
from practice.files import UnsafeFile, open_regular

SAMPLE_RATE = 16_000
MAX_SECONDS = 3 * 3600
"""Longer files are refused: an answer is minutes long, and three hours is 345 MB of samples."""
MIN_RATE, MAX_RATE = 1_000, 768_000
"""Sample rates outside these are not recorded speech (a header that lies)."""
_BLOCK_SECONDS = 10
_BLOCK_VALUES = 1 << 22
"""At most this many samples (all channels) are read at once: 16 MB."""
_SHORT_SECONDS, _SHORT_SHARE = 0.5, 0.05
"""A file that decodes to less than its stated length by more than both of these is damaged."""
_MAX_EXTRA_BYTES = 256 * 1024
"""A PCM WAV with this much more data than its header states (and more than twice as much) has
a damaged header."""


class AudioError(PracticeError):
    """A file could not be decoded as audio."""


_CHUNK = 1 << 18
"""Samples per chunk of :class:`Samples` (16 s, 512 KiB)."""
_SCALE = 32768.0


class Samples:
    """16 kHz mono samples held compactly, so that an hour costs no more memory than a minute:
    as 16-bit integers (what a recording stores; :meth:`append` rounds float samples to them, a
    16-bit file's samples are kept exactly), the last chunk (``_CHUNK``) in memory and the full
    ones in an anonymous temporary file (115 MB for an hour). :meth:`read` gives float32
    (value / 32768)."""

    def __init__(self) -> None:
        self._tail = np.empty(_CHUNK, dtype=np.int16)
        self._size = 0
        self._file: IO[bytes] | None = None

    @classmethod
    def of(cls, samples: np.ndarray) -> Samples:
        held = cls()
        held.append(samples)
        return held

    def __len__(self) -> int:
        return self._size

    def append(self, block: np.ndarray) -> None:
        """Add float samples (in [-1, 1]; beyond it they are clipped)."""
        values = np.rint(np.asarray(block, dtype=np.float32).reshape(-1) * _SCALE)
        values = np.clip(values, -_SCALE, _SCALE - 1).astype(np.int16)
        done = 0
        while done < values.size:
            used = self._size % _CHUNK
            take = min(_CHUNK - used, values.size - done)
            self._tail[used : used + take] = values[done : done + take]
            done += take
            self._size += take
            if used + take == _CHUNK:
                self._store_tail()

    def _store_tail(self) -> None:
        if self._file is None:
            # lives as long as the samples: closed (and so deleted) when they are collected
            self._file = tempfile.TemporaryFile(prefix="practice-samples-")  # noqa: SIM115
            weakref.finalize(self, self._file.close)
        offset = (self._size - _CHUNK) * self._tail.itemsize
        os.pwrite(self._file.fileno(), self._tail.tobytes(), offset)

    def read(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Float32 samples ``start`` to ``stop`` - 1 (the end when None); positions outside the
        recording (before 0, after the end) read as silence."""
        stop = self._size if stop is None else stop
        out = np.zeros(max(0, stop - start), dtype=np.float32)
        stored = self._size - self._size % _CHUNK
        low, high = max(0, start), min(stop, self._size)
        if low < min(high, stored) and self._file is not None:
            width = self._tail.itemsize
            data = os.pread(self._file.fileno(), (min(high, stored) - low) * width, low * width)
            out[low - start : low - start + len(data) // width] = np.frombuffer(data, np.int16)
        if max(low, stored) < high:
            part = slice(max(low, stored) - stored, high - stored)
            out[max(low, stored) - start : high - start] = self._tail[part]
        out *= np.float32(1.0 / _SCALE)
        return out


def load_audio(path: str | Path) -> np.ndarray:
    """Decode ``path`` to 16 kHz mono float32 (rounded to 16 bits, as :class:`Samples` holds
    them); raise :class:`AudioError` when it can't."""
    return load_samples(path).read()


def load_samples(path: str | Path) -> Samples:
    """Decode ``path`` to :class:`Samples`; raise :class:`AudioError` when it can't."""
    keep_heap_small()
    file = Path(path)
    try:
        fd = open_regular(file, follow_links=True)
    except FileNotFoundError:
        raise AudioError(f"{file}: no such file") from None
    except UnsafeFile as error:
        if file.is_dir():
            raise AudioError(f"{file}: is a folder, not an audio file") from None
        raise AudioError(f"{file}: {error.reason}; save the audio to a file first") from None
    except OSError as error:
        raise AudioError(f"{file}: cannot read it ({error.strerror})") from None
    with os.fdopen(fd, "rb") as stream:
        if os.fstat(fd).st_size == 0:
            raise AudioError(f"{file}: the file is empty")
        try:
            samples, stated = _decode_libsndfile(file, stream)
        except _NotForThisDecoder:
            stream.seek(0)
            samples, stated = _decode_pyav(file, stream)
        except DamagedAudio as error:  # libsndfile gave up part-way: FFmpeg may read it all
            stream.seek(0)
            try:
                samples, stated = _decode_pyav(file, stream)
            except AudioError:
                raise error from None
            if stated is None:  # no telling whether FFmpeg read it all
                raise error from None
        else:
            if _short(samples, stated):  # libsndfile stopped early: FFmpeg may recover more
                stream.seek(0)
                with contextlib.suppress(AudioError, _NotForThisDecoder):
                    again, _ = _decode_pyav(file, stream)
                    if len(again) > len(samples):
                        samples = again
        if _short(samples, stated):
            raise AudioError(
                f"{file}: only {len(samples) / SAMPLE_RATE:.1f} s of the {stated:.1f} s its "
                "header states could be decoded: the file is damaged or cut short"
            )
    if len(samples) == 0:
        raise AudioError(f"{file}: contains no audio (0 seconds)")
    return samples


def _short(samples: Samples, stated: float | None) -> bool:
    if not stated:
        return False
    missing = stated - len(samples) / SAMPLE_RATE
    return missing > _SHORT_SECONDS and missing > _SHORT_SHARE * stated


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono float32 samples at ``rate`` to 16 kHz (soxr, high quality)."""
    if rate == SAMPLE_RATE:
        return np.asarray(samples, dtype=np.float32)
    import soxr

    return np.asarray(soxr.resample(samples, rate, SAMPLE_RATE, quality="HQ"), dtype=np.float32)


class DamagedAudio(AudioError):
    """A decoder failed part-way through the audio data."""


class _NotForThisDecoder(Exception):
    pass


def _collect(file: Path, blocks: Iterator[np.ndarray]) -> Samples:
    """Store decoded 16 kHz blocks as :class:`Samples`, refusing samples that are not numbers
    and recordings over ``MAX_SECONDS``."""
    limit = MAX_SECONDS * SAMPLE_RATE
    samples = Samples()
    for block in blocks:
        finite = np.isfinite(block)
        if not finite.all():
            at = (len(samples) + int(np.argmin(finite))) / SAMPLE_RATE
            raise AudioError(
                f"{file}: holds samples that are not numbers (NaN or infinity) at about "
                f"{at:.1f} s: the file is damaged; export it again"
            )
        if len(samples) + block.size > limit:
            hours = MAX_SECONDS // 3600
            raise AudioError(f"{file}: longer than {hours} hours; practice analyses answers")
        samples.append(block)
    return samples


def _decode_libsndfile(file: Path, stream: IO[bytes]) -> tuple[Samples, float | None]:
    """The samples, and the length the header states when it can be trusted."""
    import soundfile

    try:
        sound = soundfile.SoundFile(stream)
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as error:
        raise _NotForThisDecoder from error
    with sound:
        rate, frames, channels = sound.samplerate, sound.frames, sound.channels
        stated = _check_header(file, rate, frames / rate if rate > 0 else 0.0, channels)
        _check_pcm_size(file, sound, stream)
        blocks = _blocks_libsndfile(file, sound)
        samples = _collect(file, blocks)
    exact = sound.format != "MP3" or _has_length_tag(stream)
    return samples, stated if exact else None


def _check_header(file: Path, rate: float, seconds: float, channels: int) -> float:
    """Refuse a header that cannot be true before decoding anything; returns its length."""
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioError(f"{file}: its header states a sample rate of {rate:g} Hz: not audio")
    if channels < 1:
        raise AudioError(f"{file}: its header states {channels} channels: not audio")
    if seconds > MAX_SECONDS:
        hours = MAX_SECONDS // 3600
        raise AudioError(f"{file}: longer than {hours} hours; practice analyses answers")
    return seconds


def _check_pcm_size(file: Path, sound: Any, stream: IO[bytes]) -> None:
    """A PCM WAV whose file holds far more than its header states has a damaged header."""
    widths = {"PCM_U8": 1, "PCM_S8": 1, "PCM_16": 2, "PCM_24": 3, "PCM_32": 4, "FLOAT": 4}
    width = widths.get(sound.subtype, 8 if sound.subtype == "DOUBLE" else 0)
    if sound.format != "WAV" or not width:
        return
    expected = sound.frames * sound.channels * width
    extra = os.fstat(stream.fileno()).st_size - expected - 44
    if extra > _MAX_EXTRA_BYTES and extra > 2 * expected:
        said = sound.frames / sound.samplerate
        raise AudioError(
            f"{file}: its header states {said:.1f} s of audio, but the file holds "
            f"{extra:,} bytes more: the header is damaged"
        )


def _has_length_tag(stream: IO[bytes]) -> bool:
    """An MP3 states its exact length only in a Xing, Info or VBRI frame near its start; without
    one the length is an estimate, which is not held against the file."""
    stream.seek(0)
    head = stream.read(64 * 1024)
    return any(tag in head for tag in (b"Xing", b"Info", b"VBRI"))


def _blocks_libsndfile(file: Path, sound: Any) -> Iterator[np.ndarray]:
    import soundfile
    import soxr

    rate = sound.samplerate
    stream = None if rate == SAMPLE_RATE else soxr.ResampleStream(rate, SAMPLE_RATE, 1, "float32")
    block = max(1, min(rate * _BLOCK_SECONDS, _BLOCK_VALUES // sound.channels))
    while True:
        try:
            data = sound.read(block, dtype="float32", always_2d=True)
        except (soundfile.LibsndfileError, RuntimeError) as error:
            raise DamagedAudio(f"{file}: damaged or truncated audio data ({error})") from None
        last = len(data) < block
        mono = data.mean(axis=1, dtype=np.float32) if data.shape[1] > 1 else data[:, 0]
        out = mono if stream is None else stream.resample_chunk(mono, last=last)
        if out.size:
            yield np.array(out, dtype=np.float32)
        if last:
            return


def _decode_pyav(file: Path, source: IO[bytes]) -> tuple[Samples, float | None]:
    import av

    try:
        container = av.open(source, mode="r")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise AudioError(f"{file}: not an audio file this program can read") from error
    with container:
        if not container.streams.audio:
            raise AudioError(f"{file}: has no audio stream")
        stream = container.streams.audio[0]
        context = stream.codec_context
        if context is None:  # FFmpeg found a stream but no decoder for it
            raise AudioError(f"{file}: not an audio file this program can read")
        expected = (container.duration or 0) / av.time_base
        _check_header(file, context.sample_rate or 0, expected, context.channels or 1)
        samples = _collect(file, _blocks_pyav(file, container))
        exact = container.format.name in {"mov,mp4,m4a,3gp,3g2,mj2", "flac", "wav"}
    return samples, expected if exact else None


def _blocks_pyav(file: Path, container: Any) -> Iterator[np.ndarray]:
    import av

    stream = container.streams.audio[0]
    resampler, shape = None, None
    try:
        for frame in container.decode(stream):
            # Joined recordings (and damaged ones) change rate or channels part-way: each run of
            # alike frames gets its own resampler
            now = (frame.format.name, frame.layout.name, frame.sample_rate)
            if resampler is None or now != shape:
                yield from _flushed(resampler)
                resampler, shape = av.AudioResampler("flt", "mono", SAMPLE_RATE), now
            for out in resampler.resample(frame):
                yield out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
        yield from _flushed(resampler)
    except (av.FFmpegError, ValueError) as error:
        raise DamagedAudio(f"{file}: damaged or truncated audio data ({error})") from error


def _flushed(resampler: Any) -> Iterator[np.ndarray]:
    for out in () if resampler is None else resampler.resample(None):
        yield out.to_ndarray().reshape(-1).astype(np.float32, copy=False)

"""Decoding answers to what the analysis works on: 16 kHz mono float32 samples.

Files go through libsndfile first (WAV, FLAC, OGG, MP3 and more), then PyAV (FFmpeg's decoders)
for anything libsndfile does not read. Both are decoded block by block and resampled with a real
band-limited resampler (soxr, or FFmpeg's own for PyAV), so memory stays proportional to the
16 kHz result: about 230 MB for an hour.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from practice.errors import PracticeError

SAMPLE_RATE = 16_000
MAX_SECONDS = 3 * 3600
"""Longer files are refused: an answer is minutes long, and three hours is 690 MB of samples."""
_BLOCK_SECONDS = 10


class AudioError(PracticeError):
    """A file could not be decoded as audio."""


def load_audio(path: str | Path) -> np.ndarray:
    """Decode ``path`` to 16 kHz mono float32; raise :class:`AudioError` when it can't."""
    file = Path(path)
    if not file.exists():
        raise AudioError(f"{file}: no such file")
    if file.is_dir():
        raise AudioError(f"{file}: is a folder, not an audio file")
    try:
        size = file.stat().st_size
        with file.open("rb"):
            pass
    except OSError as error:
        raise AudioError(f"{file}: cannot read it ({error.strerror})") from None
    if size == 0:
        raise AudioError(f"{file}: the file is empty")
    try:
        samples = _decode_libsndfile(file)
    except _NotForThisDecoder:
        samples = _decode_pyav(file)
    if samples.size == 0:
        raise AudioError(f"{file}: contains no audio (0 seconds)")
    return samples


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono float32 samples at ``rate`` to 16 kHz (soxr, high quality)."""
    if rate == SAMPLE_RATE:
        return np.asarray(samples, dtype=np.float32)
    import soxr

    return np.asarray(soxr.resample(samples, rate, SAMPLE_RATE, quality="HQ"), dtype=np.float32)


class _NotForThisDecoder(Exception):
    pass


def _collect(file: Path, blocks: Iterator[np.ndarray], expected_seconds: float) -> np.ndarray:
    """Write decoded 16 kHz blocks into one buffer sized from the expected duration.

    Filling a buffer, instead of joining a list of blocks, keeps the peak at one copy of the
    result; it grows only when the container under-reported its duration.
    """
    limit = MAX_SECONDS * SAMPLE_RATE
    buffer = np.empty(min(limit, round((expected_seconds + 1) * SAMPLE_RATE)), dtype=np.float32)
    filled = 0
    for block in blocks:
        if filled + block.size > limit:
            hours = MAX_SECONDS // 3600
            raise AudioError(f"{file}: longer than {hours} hours; practice analyses answers")
        if filled + block.size > buffer.size:
            grown = np.empty(min(limit, max(filled + block.size, buffer.size * 3 // 2)), np.float32)
            grown[:filled] = buffer[:filled]
            buffer = grown
        buffer[filled : filled + block.size] = block
        filled += block.size
    samples = buffer[:filled]
    np.clip(samples, -1.0, 1.0, out=samples)
    return samples


def _decode_libsndfile(file: Path) -> np.ndarray:
    import soundfile

    try:
        sound = soundfile.SoundFile(file)
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as error:
        raise _NotForThisDecoder from error
    with sound:
        return _collect(file, _blocks_libsndfile(file, sound), sound.frames / sound.samplerate)


def _blocks_libsndfile(file: Path, sound: Any) -> Iterator[np.ndarray]:
    import soundfile
    import soxr

    rate = sound.samplerate
    stream = None if rate == SAMPLE_RATE else soxr.ResampleStream(rate, SAMPLE_RATE, 1, "float32")
    block = max(1, rate * _BLOCK_SECONDS)
    while True:
        try:
            data = sound.read(block, dtype="float32", always_2d=True)
        except (soundfile.LibsndfileError, RuntimeError) as error:
            raise AudioError(f"{file}: damaged or truncated audio data ({error})") from None
        last = len(data) < block
        mono = data.mean(axis=1, dtype=np.float32) if data.shape[1] > 1 else data[:, 0]
        out = mono if stream is None else stream.resample_chunk(mono, last=last)
        if out.size:
            yield np.array(out, dtype=np.float32)
        if last:
            return


def _decode_pyav(file: Path) -> np.ndarray:
    import av

    try:
        container = av.open(str(file))
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise AudioError(f"{file}: not an audio file this program can read") from error
    with container:
        if not container.streams.audio:
            raise AudioError(f"{file}: has no audio stream")
        expected = (container.duration or 0) / av.time_base
        return _collect(file, _blocks_pyav(file, container), expected)


def _blocks_pyav(file: Path, container: Any) -> Iterator[np.ndarray]:
    import av

    stream = container.streams.audio[0]
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    try:
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                yield out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
        for out in resampler.resample(None):
            yield out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
    except av.FFmpegError as error:
        raise AudioError(f"{file}: damaged or truncated audio data ({error})") from error

"""A WAV file that is written while it records and survives the recorder being killed.

:class:`WavWriter` writes 16-bit PCM straight to the file (no user-space buffer) and rewrites the
header's sizes after every block, so the file on disk is a complete, readable WAV at every moment;
it calls ``fsync`` at least every second so a power cut loses at most about a second. While it is
open, a hidden marker ``.<name>.recording`` next to the file holds an exclusive lock. A recording
whose marker is no longer locked was interrupted; :func:`sweep` (which every ``practice`` command
runs over the recordings folder) repairs its header with :func:`repair` and removes the marker.
"""

from __future__ import annotations

import fcntl
import os
import struct
import time
from pathlib import Path

from practice.files import make_private_folder, open_regular

HEADER_BYTES = 44
SAMPLE_BYTES = 2
MARKER_SUFFIX = ".recording"
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC


class WavWriter:
    """Mono 16-bit PCM WAV, written as it comes; use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path, samplerate: int, sync_every_s: float = 1.0) -> None:
        self.path = path
        self.samplerate = samplerate
        self.frames = 0
        self._sync_every_s = sync_every_s
        make_private_folder(path.parent)
        self._marker = marker_for(path)
        # Neither file is opened through a symbolic link: a planted link is refused, not followed.
        self._marker_fd = os.open(self._marker, _CREATE, 0o600)
        fcntl.flock(self._marker_fd, fcntl.LOCK_EX)
        try:
            self._fd = os.open(path, _CREATE, 0o600)
        except BaseException:
            os.close(self._marker_fd)
            self._marker.unlink(missing_ok=True)
            raise
        os.write(self._fd, _header(samplerate, 0))
        self._synced_at = time.monotonic()
        self._closed = False

    def write(self, pcm16: bytes) -> None:
        """Append little-endian int16 mono samples and make the header say so."""
        view = memoryview(pcm16)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        self.frames += len(pcm16) // SAMPLE_BYTES
        _write_sizes(self._fd, self.frames * SAMPLE_BYTES)
        if time.monotonic() - self._synced_at >= self._sync_every_s:
            os.fsync(self._fd)
            self._synced_at = time.monotonic()

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            os.fsync(self._fd)
        finally:
            os.close(self._fd)
            self._marker.unlink(missing_ok=True)
            os.close(self._marker_fd)

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def marker_for(path: Path) -> Path:
    return path.with_name(f".{path.name}{MARKER_SUFFIX}")


def _header(samplerate: int, data_bytes: int) -> bytes:
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + data_bytes,
        b"WAVE",
        b"fmt ",
        16,
        1,  # PCM
        1,  # mono
        samplerate,
        samplerate * SAMPLE_BYTES,
        SAMPLE_BYTES,
        8 * SAMPLE_BYTES,
        b"data",
        data_bytes,
    )


def _data_size(header: bytes) -> int:
    return int(struct.unpack_from("<I", header, 40)[0])


def _write_sizes(fd: int, data_bytes: int) -> None:
    os.pwrite(fd, struct.pack("<I", 36 + data_bytes), 4)
    os.pwrite(fd, struct.pack("<I", data_bytes), 40)


def repair(path: Path) -> float | None:
    """Make the header of a WAV written by :class:`WavWriter` match the samples on disk.

    Returns the duration in seconds, or None when the file is not such a WAV (left untouched):
    a symbolic link, a file with other links, a pipe or device, or any other header than the one
    :class:`WavWriter` writes. Only files of the workspace that practice wrote are changed.
    """
    try:
        fd = open_regular(path, os.O_RDWR)
    except OSError:
        return None
    with os.fdopen(fd, "r+b") as file:
        header = file.read(HEADER_BYTES)
        info = os.fstat(file.fileno())
        if info.st_nlink != 1 or len(header) < HEADER_BYTES:
            return None
        samplerate, stated = int(struct.unpack_from("<I", header, 24)[0]), _data_size(header)
        expected = _header(samplerate, stated)
        size = info.st_size
        # WavWriter's header exactly, its sizes never ahead of the samples and nothing after them
        if samplerate <= 0 or header != expected or size < HEADER_BYTES + stated:
            return None
        data_bytes = (size - HEADER_BYTES) // SAMPLE_BYTES * SAMPLE_BYTES
        file.truncate(HEADER_BYTES + data_bytes)
        _write_sizes(file.fileno(), data_bytes)
        os.fsync(file.fileno())
    return data_bytes / SAMPLE_BYTES / samplerate


def sweep(folder: Path) -> list[tuple[Path, float]]:
    """Repair every interrupted recording under ``folder``; returns (path, seconds) of each.

    Recordings still in progress (their marker is locked by a live recorder) are left alone.
    Cheap when there is nothing to do: it lists the files under ``folder`` (about 12 ms per
    1,000 sessions) and opens only the markers of interrupted recordings.
    """
    repaired: list[tuple[Path, float]] = []
    if not folder.is_dir() or folder.is_symlink():  # nothing outside the workspace is touched
        return repaired
    markers = [
        Path(parent, name)
        for parent, _folders, names in os.walk(folder)
        for name in names
        if name.startswith(".") and name.endswith(f".wav{MARKER_SUFFIX}")
    ]
    for marker in markers:
        try:
            fd = open_regular(marker)  # a link or a pipe named like a marker is skipped
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live recorder holds it
            wav = marker.with_name(marker.name[1 : -len(MARKER_SUFFIX)])
            seconds = repair(wav)
            marker.unlink(missing_ok=True)
            if seconds is not None:
                repaired.append((wav, seconds))
        finally:
            os.close(fd)
    return repaired

"""Files that survive a crash and a hostile folder: atomic writes, private folders, safe opens,
and the workspace lock (stdlib only).

An atomic write goes to a temporary file in the target's folder (created 0600), is flushed and
fsynced, renamed over the target, and the folder is fsynced: a crash at any step leaves the old
content or the new one, never a mix, and at worst a hidden ``.<name>.*.tmp`` file that a later
write does not trip over.

A workspace is not trusted (a cloned repository or a shared folder can be one): files inside it
are opened with :func:`open_regular`, which never follows a symbolic link, never blocks on a pipe,
and refuses anything but a regular file; files practice creates are 0600 from the first byte,
whatever the umask.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_LINK = "is a symbolic link; practice does not follow it"


class UnsafeFile(OSError):
    """A path that is a symbolic link, a pipe, a device or a folder where a file was expected
    (or a file too large); ``reason`` says which, e.g. "is a pipe, not a regular file"."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} {reason}")
        self.reason = reason


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents readable by the user only (0700); an existing
    ``folder`` is made 0700 too (a cloned ``recordings/`` is 0755). Existing parents are left
    alone. A ``folder`` that is a symbolic link is refused (:class:`UnsafeFile`)."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists() or parent.is_symlink():
            break
        missing.append(parent)
    for parent in reversed(missing):
        with contextlib.suppress(FileExistsError):
            parent.mkdir(mode=PRIVATE_FOLDER_MODE)
    info = folder.lstat()
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeFile(folder, _LINK)
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFile(folder, "is not a folder")
    if info.st_mode & 0o777 != PRIVATE_FOLDER_MODE:
        folder.chmod(PRIVATE_FOLDER_MODE)


def open_regular(
    path: Path,
    flags: int = os.O_RDONLY,
    *,
    max_bytes: int | None = None,
    follow_links: bool = False,
) -> int:
    """Open an existing regular file without blocking on a pipe and, unless ``follow_links``
    (for a path the user typed), without following a symbolic link; returns the descriptor.
    Raises :class:`UnsafeFile` for a link, pipe, device or folder (or a file over
    ``max_bytes``), and ``OSError`` as :func:`os.open` does."""
    flags |= os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_links else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and path.is_symlink():  # the last part is a link
            raise UnsafeFile(path, _LINK) from None
        if error.errno in (errno.ENXIO, errno.ENODEV):  # a socket, or a device with no driver
            raise UnsafeFile(path, f"is {_kind(_mode(path))}, not a regular file") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else _kind(info.st_mode)
            raise UnsafeFile(path, f"is {kind}, not a regular file")
        if max_bytes is not None and info.st_size > max_bytes:
            raise UnsafeFile(path, f"is {info.st_size:,} bytes (at most {max_bytes:,} expected)")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _mode(path: Path) -> int:
    try:
        return path.lstat().st_mode
    except OSError:
        return 0


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (see :func:`open_regular`)."""
    with os.fdopen(open_regular(path, max_bytes=max_bytes), "rb") as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafeFile(path, f"is over {max_bytes:,} bytes")
    return data


def create_private(path: Path) -> BinaryIO:
    """A new file, 0600 from its first byte, opened for writing; refuses an existing name or a
    symbolic link (``FileExistsError``)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    return os.fdopen(os.open(path, flags, PRIVATE_FILE_MODE), "wb")


def copy_private(source: Path, target: Path) -> None:
    """Copy the regular file ``source`` (a path the user gave: links followed) to the new file
    ``target``, 0600 from its first byte; on failure no part of ``target`` is left."""
    with os.fdopen(open_regular(source, follow_links=True), "rb") as reader:
        out = create_private(target)
        try:
            with out:
                shutil.copyfileobj(reader, out, 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            target.unlink(missing_ok=True)
            raise


def write_atomic(
    path: Path, content: bytes | Callable[[BinaryIO], None], *, replace: bool = True
) -> None:
    """Replace ``path`` with ``content`` (bytes, or a function that writes to the open file) so
    that a crash leaves the old file or the new one. The new file is 0600; the folder must exist.
    A symbolic link at ``path`` is replaced, never followed. With ``replace=False`` an existing
    ``path`` is left alone and ``FileExistsError`` raised (checked atomically).
    """
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            if callable(content):
                content(file)
            else:
                file.write(content)
            file.flush()
            os.fsync(file.fileno())
        if replace:
            temporary.replace(path)
        else:
            os.link(temporary, path, follow_symlinks=False)
            temporary.unlink()
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename or removal in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FolderLock:
    """An exclusive lock on a folder shared by processes (``flock`` on a hidden lock file) and by
    threads; re-entrant within a thread. Where the lock file cannot be made (a read-only folder,
    where nothing can be written anyway) it only locks between threads."""

    def __init__(self, folder: Path, name: str = ".lock", timeout_s: float = 60.0) -> None:
        self.path = folder / name
        self.timeout_s = timeout_s
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        with self._thread_lock:
            if self._depth == 0:
                self._fd = self._acquire()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fd, self._fd = self._fd, None
                    fcntl.flock(fd, fcntl.LOCK_UN)
                    os.close(fd)

    def _acquire(self) -> int | None:
        import time

        try:
            fd = os.open(
                self.path,
                os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                PRIVATE_FILE_MODE,
            )
        except OSError:
            return None  # no folder yet, or read-only: nothing to protect against
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise TimeoutError(
                        f"another practice has held {self.path} for over {self.timeout_s:.0f} s"
                    ) from None
                time.sleep(0.02)


def is_folder(path: Path) -> bool:
    """A real folder (not a link to one)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def is_regular(path: Path) -> bool:
    """A regular file (not a link to one)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def remove(path: Path) -> None:
    """Remove a folder and everything in it, or a file or a link (never what a link points at)."""
    if is_folder(path):
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def reason(error: OSError) -> str:
    """Why a file operation failed, without the errno and the path."""
    return error.strerror or str(error)

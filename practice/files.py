"""Files that survive a crash: atomic writes and private folders (stdlib only).

An atomic write goes to a temporary file in the target's folder (created 0600), is flushed and
fsynced, renamed over the target, and the folder is fsynced: a crash at any step leaves the old
content or the new one, never a mix, and at worst a hidden ``.<name>.*.tmp`` file that a later
write does not trip over.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents readable by the user only (0700); an existing
    ``folder`` is made 0700 too (a cloned ``recordings/`` is 0755). Existing parents are left
    alone."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists():
            break
        missing.append(parent)
    for parent in reversed(missing):
        with contextlib.suppress(FileExistsError):
            parent.mkdir(mode=PRIVATE_FOLDER_MODE)
    if folder.stat().st_mode & 0o777 != PRIVATE_FOLDER_MODE:
        folder.chmod(PRIVATE_FOLDER_MODE)


def write_atomic(path: Path, content: bytes | Callable[[BinaryIO], None]) -> None:
    """Replace ``path`` with ``content`` (bytes, or a function that writes to the open file) so
    that a crash leaves the old file or the new one. The new file is 0600; the folder must exist.
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
        temporary.replace(path)
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

"""Atomic writes and private folders."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import BinaryIO

import pytest

from practice.files import make_private_folder, write_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_write_replaces_the_file_privately(tmp_path: Path) -> None:
    target = tmp_path / "notes.json"
    target.write_text("old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert _mode(target) == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["notes.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "model.pt"
    target.write_bytes(b"old")

    def half_then_fail(file: BinaryIO) -> None:
        file.write(b"ne")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["model.pt"]


def test_a_private_folder_and_its_missing_parents_are_0700(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    folder = tmp_path / "recordings" / "session"
    make_private_folder(folder)
    assert _mode(folder) == _mode(folder.parent) == 0o700
    assert _mode(tmp_path) == 0o755  # an existing parent is left alone


def test_an_existing_folder_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "recordings"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    make_private_folder(folder)
    assert _mode(folder) == 0o700

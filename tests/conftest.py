"""Test set-up shared by every test.

Before any test module imports sounddevice (PortAudio reads the environment once, when it starts),
this starts a private PulseAudio daemon with virtual devices and points this process and its
children at it. Tests marked ``audio`` use it through the ``pulse`` fixture. It is stopped at the
end of the run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from practice.analysis.transcript import Transcriber
from tests.pulse import PrivatePulse, PulseError

os.environ.setdefault("HF_HUB_OFFLINE", "1")

_PULSE: dict[str, PrivatePulse] = {}
_PULSE_ERROR: dict[str, str] = {}

SHARED_DATA = next(
    (
        folder / "shared" / "data"
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "data").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data",
)
"""The shared data next to the checkout (``../shared/data``), found from a worktree too."""


def pytest_configure(config: pytest.Config) -> None:
    root = Path(tempfile.mkdtemp(prefix="practice-pulse-"))
    pulse = PrivatePulse(root)
    try:
        pulse.start()
    except PulseError as error:
        _PULSE_ERROR["error"] = str(error)
        return
    os.environ.update(pulse.env)
    _PULSE["daemon"] = pulse


def pytest_unconfigure(config: pytest.Config) -> None:
    if "daemon" in _PULSE:
        _PULSE.pop("daemon").stop()


@pytest.fixture(scope="session")
def pulse() -> PrivatePulse:
    """The private PulseAudio daemon (tests that need it fail, not skip, when it is missing)."""
    if "daemon" not in _PULSE:
        pytest.fail(f"the private PulseAudio daemon is not running: {_PULSE_ERROR.get('error')}")
    return _PULSE["daemon"]


@pytest.fixture
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh workspace and user folders, so tests never touch the user's own files."""
    home = tmp_path / "home"
    (home / "question_banks").mkdir(parents=True)
    (home / "recordings").mkdir()
    monkeypatch.setenv("PRACTICE_HOME", str(home))
    monkeypatch.setenv("PRACTICE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PRACTICE_CACHE_DIR", str(tmp_path / "cache"))
    yield home


@pytest.fixture(scope="session")
def jfk() -> Path:
    """The real speech sample from ../shared/data (optional: skipped when absent)."""
    path = SHARED_DATA / "jfk.flac"
    if not path.is_file():
        pytest.skip(f"the shared speech sample {path} is absent")
    return path


@pytest.fixture(scope="session")
def transcriber() -> Transcriber:
    """The default engine on the bundled model, loaded once for the whole run."""
    from practice.analysis.transcribe import create_transcriber

    engine = create_transcriber()
    engine.load()
    return engine

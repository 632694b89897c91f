"""Which folders practice reads and writes.

A *workspace* is a folder with ``question_banks/`` and/or ``recordings/`` (the repository is one).
practice uses, in order: ``--home DIR``, ``$PRACTICE_HOME``, the current folder when it is a
workspace, else the user's data folder. Config and caches always live in the user's folders.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "practice"


@dataclass(frozen=True, slots=True)
class Workspace:
    home: Path
    """The workspace folder."""
    reason: str
    """Why this folder was chosen, for ``practice where`` and the TUI."""
    config_dir: Path
    cache_dir: Path

    @property
    def banks_dir(self) -> Path:
        return self.home / "question_banks"

    @property
    def recordings_dir(self) -> Path:
        return self.home / "recordings"

    @property
    def user_banks_dir(self) -> Path:
        return self.config_dir / "question_banks"

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"


def is_workspace(folder: Path) -> bool:
    return (folder / "question_banks").is_dir() or (folder / "recordings").is_dir()


def resolve(home: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Workspace:
    """Find the workspace: ``--home``, ``$PRACTICE_HOME``, the current folder, or the default."""
    config_dir = Path(os.environ.get("PRACTICE_CONFIG_DIR") or platformdirs.user_config_dir(APP))
    cache_dir = Path(os.environ.get("PRACTICE_CACHE_DIR") or platformdirs.user_cache_dir(APP))
    here = cwd or Path.cwd()
    if home is not None:
        folder, reason = Path(home).expanduser(), "--home"
    elif os.environ.get("PRACTICE_HOME"):
        folder, reason = Path(os.environ["PRACTICE_HOME"]).expanduser(), "$PRACTICE_HOME"
    elif is_workspace(here):
        folder, reason = here, "the current folder is a workspace"
    else:
        folder, reason = Path(platformdirs.user_data_dir(APP)), "the user data folder (default)"
    return Workspace(folder.resolve(), reason, config_dir, cache_dir)

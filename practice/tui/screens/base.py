"""What every screen of the studio shares: the services, and the one worker-error handler."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from textual import work
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from practice.errors import PracticeError
from practice.tui.messages import KitWritten
from practice.tui.services import Services

ResultT = TypeVar("ResultT")


def mmss(seconds: float) -> str:
    """``83.4`` → ``1:23``."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with "…" when it was longer."""
    return text if len(text) <= width else text[: width - 1] + "…"


def shown(path: Path) -> str:
    """A path as the user reads it: under their home folder as ``~/...``."""
    try:
        return f"~/{path.relative_to(Path.home())}"
    except ValueError:
        return str(path)


def one_line(error: BaseException) -> str:
    """A worker's error as one line: a PracticeError as it is, anything else with its type."""
    if isinstance(error, PracticeError):
        return str(error)
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


class StudioScreen(Screen[ResultT]):
    """A screen whose thread workers report failures as notifications."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(
                one_line(event.worker.error), title="Something went wrong", severity="error"
            )
            self.worker_failed(event.worker.group)

    def worker_failed(self, group: str) -> None:
        """Put the screen back in a usable state after a worker of ``group`` failed."""

    @work(thread=True, exclusive=True, exit_on_error=False, group="kit")
    def write_kit(self, bank_id: str) -> None:
        """Save the meeting sheet of ``bank_id`` (``k`` on Summary and History) in the
        workspace's ``kits/`` folder; a notification says where."""
        from practice.kit import KITS_FOLDER, build_kit, save_sheet
        from practice.plan import read_sessions

        services = self.services
        kit = build_kit(services.bank(bank_id), read_sessions(services.store), banks=services.banks)
        self.post_message(KitWritten(save_sheet(kit, services.place.home / KITS_FOLDER)))

    def on_kit_written(self, message: KitWritten) -> None:
        self.notify(f"Meeting sheet saved: {shown(message.path)} (open it in a browser to print)")

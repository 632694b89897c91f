"""What every screen of the studio shares: the services, and the one worker-error handler."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.markup import escape
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from practice import errors
from practice.analysis.transcript import Cancelled
from practice.errors import PracticeError
from practice.text import printable, printable_line
from practice.tui.messages import KitWritten
from practice.tui.services import Services
from practice.tui.widgets.opening import Opening, closing

if TYPE_CHECKING:  # the report (and numpy with it) loads after the studio's first frame
    from practice.analysis.scoring import AnswerReport

ResultT = TypeVar("ResultT")


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with "…" when it was longer, as markup that shows
    it as it is (no control character, no markup of its own)."""
    text = printable_line(text)
    return escape(text if len(text) <= width else text[: width - 1] + "…")


def score_cell(report: AnswerReport | None, typed: bool = False) -> str:
    """An answer's score in a table: the number, ``short`` (too short to score), ``silent`` (no
    speech), ``typed`` (a typed answer) or ``—`` (none)."""
    if report is None:
        return "typed" if typed else "—"
    if report.no_speech:
        return "silent"
    return "short" if report.score is None else str(report.score)


def wpm_cell(report: AnswerReport | None) -> str:
    """An answer's pace in a table; ``—`` with no speech (not 0)."""
    return "—" if report is None or report.no_speech else f"{report.pace.wpm:.0f}"


def fill_width(screen: Screen[Any], taken: int, least: int = 30) -> int:
    """How wide a text column can be: the screen's width less ``taken`` columns."""
    return max(least, screen.app.size.width - taken)


def shown(path: Path) -> str:
    """A path as the user reads it: under their home folder as ``~/...`` (as markup that shows
    it as it is)."""
    try:
        text = f"~/{path.relative_to(Path.home())}"
    except ValueError:
        text = str(path)
    return escape(printable(text))


def one_line(error: BaseException) -> str:
    """A worker's error as one line of markup: a PracticeError as it is, anything else with its
    type (:func:`practice.errors.one_line` with the type's name)."""
    if isinstance(error, PracticeError):
        return escape(printable_line(str(error)))
    line = errors.one_line(error)
    if str(error).strip():
        line = f"{type(error).__name__}: {line}"
    return escape(printable_line(line))


class StudioScreen(Opening, Screen[ResultT]):
    """A screen whose thread workers report failures as notifications.

    What it does as it opens is in :meth:`opened`, and each time it is back on top in
    :meth:`resumed`: neither runs for a screen being removed as it opens, whose widgets may never
    have mounted (see :class:`~practice.tui.widgets.opening.Opening`).

    A screen's header is the studio's :class:`~practice.tui.widgets.header.StudioHeader` (Textual's
    own ended the app with NoMatches on 'HeaderTitle' when a screen closed as it opened)."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def on_screen_resume(self) -> None:
        if not closing(self):
            self.resumed()

    def resumed(self) -> None:
        """What the screen does each time it is on top again, the first time included (nothing
        by default); never for a screen being removed."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        if event.state is WorkerState.ERROR and error is not None:
            if not isinstance(error, Cancelled):  # the user stopped it: nothing went wrong
                self.notify(one_line(error), title="Something went wrong", severity="error")
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

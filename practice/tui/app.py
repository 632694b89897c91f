"""The Textual application and its factory."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.dom import DOMNode
from textual.screen import Screen

from practice.banks import Bank, Question
from practice.tui import trace
from practice.tui.screens.home import HomeScreen
from practice.tui.services import Services, Start, default_services
from practice.workspace import Workspace


class PracticeApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "practice"
    SUB_TITLE = "interview rehearsal studio"

    def __init__(
        self, services: Services, start: tuple[Bank, list[Question]] | None = None
    ) -> None:
        """``start``: the bank and questions of a session to open at once."""
        super().__init__()
        self.services = services
        self.start = start

    def on_mount(self) -> None:
        if trace.enabled():
            self.run_worker(trace.watch_loop(), group="trace", exit_on_error=False)
        self.push_screen(HomeScreen(self.services))
        if self.start is not None:
            from practice.tui.screens.interview import InterviewScreen

            self.push_screen(InterviewScreen(self.services, *self.start))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette offers every key the current screen offers (those left out of a narrow
        footer too), then Textual's own (which has Quit already)."""
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.enabled and binding.description and binding.action != "app.quit":
                key = binding.key_display or binding.key
                yield SystemCommand(
                    binding.description,
                    f"key: {key}",
                    partial(self._run_binding, binding.action, active.node),
                )
        yield from super().get_system_commands(screen)

    async def _run_binding(self, action: str, node: DOMNode) -> None:
        await self.run_action(action, node)


def make_app(
    place: Workspace,
    services: Services | None = None,
    start: Start | None = None,
    extra_banks: Sequence[Path] = (),
) -> PracticeApp:
    """Build the app; the CLI and the tests both use this.

    ``services`` defaults to the real ones for ``place`` (reading banks from ``extra_banks`` too);
    ``start`` opens a session directly (``practice rehearse``); its questions are chosen here, so
    that a bad bank id or category fails before the app opens.
    """
    if services is None:
        services = default_services(place, extra_banks)
    return PracticeApp(services, None if start is None else services.questions(start))

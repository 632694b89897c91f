"""The Textual application and its factory."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from textual.app import App, SystemCommand
from textual.dom import DOMNode
from textual.screen import Screen

from practice.banks import Bank, Question
from practice.tui import trace
from practice.tui.screens.home import HomeScreen
from practice.tui.services import Services, Start, default_services
from practice.workspace import Workspace

P = ParamSpec("P")
T = TypeVar("T")


class FreshContextExecutor(ThreadPoolExecutor):
    """The event loop's default executor, which runs Textual's thread workers: each job in a copy
    of the submitter's context (as ``asyncio.to_thread`` does), never in the thread's own.

    Textual runs a thread worker with ``run_in_executor`` and sets its ``active_worker`` context
    variable in the thread; with the plain executor that is the pool thread's own context, which
    outlives the job: each idle thread kept the last worker it ran, and through it the worker's
    screen and task (an interview screen over a whole studio session, now and then: the recorder
    worker, when no later job ran on its thread). In a copy, the variable goes with the job."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        return super().submit(partial(contextvars.copy_context().run, fn, *args, **kwargs))


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
        # before any screen starts a worker
        asyncio.get_running_loop().set_default_executor(
            FreshContextExecutor(thread_name_prefix="studio")
        )
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

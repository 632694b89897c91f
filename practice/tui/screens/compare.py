"""Two attempts at one question: the change in every number, and a word diff of what was said;
and the dialog that picks the attempt to compare with, from every session."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from practice.compare import Comparison, MetricChange, PastAttempt, compare
from practice.records import Attempt, QuestionRef
from practice.tui.screens.base import StudioScreen, score_cell
from practice.tui.services import Services
from practice.tui.widgets.header import StudioHeader
from practice.tui.widgets.opening import Opening

WORD_STYLES = {
    "inserted": "$text-success on $success-muted",
    "deleted": "$text-error on $error-muted strike",
}


def metric_line(metric: MetricChange) -> str:
    """``Score  53 → 100  +47``, the change coloured when it is for the better or the worse;
    the change is that of the numbers as shown."""
    digits = 0 if metric.name in {"Score", "Pace", "Long pauses"} else 1
    unit = f" {metric.unit}" if metric.unit else ""
    change = f"{round(metric.after, digits) - round(metric.before, digits):+.{digits}f}"
    if metric.improved is not None:
        style = "$text-success" if metric.improved else "$text-error"
        change = f"[{style}]{change}[/]"
    return (
        f"[b]{metric.name:<13}[/b]{metric.before:>7.{digits}f} → {metric.after:<7.{digits}f}"
        f"{change}{unit}"
    )


def diff_markup(comparison: Comparison) -> str:
    pieces = []
    for change in comparison.words:
        style = WORD_STYLES.get(change.kind)
        text = escape(change.text)
        pieces.append(f"[{style}]{text}[/]" if style else text)
    return " ".join(pieces)


class CompareScreen(StudioScreen[None]):
    """How the ``after`` attempt differs from the ``before`` one at the same question."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(
        self,
        services: Services,
        question: QuestionRef,
        before: Attempt,
        after: Attempt,
        labels: tuple[str, str] | None = None,
    ) -> None:
        """``labels`` name the two attempts (with their dates, across sessions); by default
        "Attempt 1" and "attempt 2"."""
        super().__init__(services)
        self.sub_title = "compare"
        assert before.report is not None and after.report is not None
        self.question = question
        self.before = before
        self.after = after
        self.labels = labels or (f"Attempt {before.number}", f"attempt {after.number}")
        self.comparison = compare(before.report, after.report)

    def compose(self) -> ComposeResult:
        yield StudioHeader()
        with VerticalScroll(id="compare"):
            yield Static(
                f"{escape(self.labels[0])} → {escape(self.labels[1])}\n"
                f"[$text-muted]{escape(self.question.text)}[/]",
                id="compare-title",
            )
            yield Static(
                "\n".join(metric_line(metric) for metric in self.comparison.metrics),
                id="metrics",
            )
            yield Static(
                "Words  [$text-success on $success-muted]new[/] "
                "[$text-error on $error-muted strike]dropped[/]",
                classes="section-title",
            )
            yield Static(diff_markup(self.comparison), id="diff")
        yield Footer()


class PickAttemptScreen(Opening, ModalScreen[int | None]):
    """Which attempt to compare with: every other analysed attempt at the question, from every
    session on the bank, oldest first; the one just before the chosen attempt is highlighted."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, choices: Sequence[PastAttempt], chosen: PastAttempt, start: int) -> None:
        super().__init__()
        self.choices = tuple(choices)
        self.chosen = chosen
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(f"Compare {self.chosen.label} with:", classes="dialog-title")
            yield OptionList(
                *(
                    Option(f"{choice.label} · score {score_cell(choice.attempt.report)}{where}")
                    for choice in self.choices
                    for where in [self._where(choice)]
                ),
                id="pick-attempt",
            )

    def _where(self, choice: PastAttempt) -> str:
        if choice.session.id == self.chosen.session.id:
            return " · this session"
        return " · another session"

    def opened(self) -> None:
        self.query_one(OptionList).highlighted = self.start

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)

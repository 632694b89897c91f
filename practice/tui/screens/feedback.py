"""Feedback on one answer: score, the marked transcript, the numbers, and the talking points."""

from __future__ import annotations

import threading
from enum import StrEnum
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Footer, Static

from practice.analysis.coaching.talking_points import check_points
from practice.analysis.scoring import AnswerReport, tenths
from practice.banks import Question
from practice.compare import metrics
from practice.exports import coaching_rows, points
from practice.records import Attempt, QuestionRef
from practice.times import clock
from practice.tui.markup import transcript_markup
from practice.tui.messages import PlaybackFinished
from practice.tui.moments import Moment, moments
from practice.tui.screens.base import StudioScreen, shown
from practice.tui.screens.dialogs import END_SESSION, ConfirmScreen
from practice.tui.services import Services
from practice.tui.widgets.header import StudioHeader
from practice.tui.widgets.star_bar import StarBar


def numbers(
    report: AnswerReport, attempt: Attempt, target_s: float | None
) -> list[tuple[str, str]]:
    """The measured numbers as (label, value) rows."""
    pace = report.pace
    targets = report.targets
    band = f"band {targets.pace_low}–{targets.pace_high}"
    wpm = round(pace.wpm)  # judged as shown, so the verdict matches the number
    if wpm < targets.pace_low:
        verdict = "slower than"
    elif wpm > targets.pace_high:
        verdict = "faster than"
    else:
        verdict = "inside"
    judged = "" if pace.judged else " (too short to judge)"
    by_type = ", ".join(f"{name} {count}" for name, count in report.fillers_by_type.items())
    likely = f" (+{len(report.likely_fillers)} likely)" if report.likely_fillers else ""
    long = report.long_pauses
    where = ", ".join(f"at {clock(p.start)} {tenths(p.duration)} s" for p in long[:4])
    length = report.speaking_seconds
    rows = [
        ("Pace", f"{wpm} wpm, {verdict} the {band}{judged}"),
        (
            "Fillers",
            f"{len(report.counted_fillers)}{likely}, {report.fillers_per_minute:.1f}/min"
            + (f": {by_type}" if by_type else ""),
        ),
        (
            "Long pauses",
            f"{len(long)} (≥ {targets.long_pause_s:g} s)" + (f": {where}" if where else ""),
        ),
        (
            "Length",
            f"{clock(length)} against a {clock(target_s)} target ({length / target_s:.0%})"
            if target_s
            else f"{clock(length)}",
        ),
    ]
    if attempt.latency_s is not None:  # recorded live (not imported)
        rows.append(
            ("Latency", f"{attempt.latency_s:.1f} s from the end of the question to your voice")
        )
    return rows


CHANGES = {"Score": "score", "Fillers": "fillers", "Pace": "pace", "Long pauses": "long pauses"}
"""The numbers the line after a retry names, as it names them."""


def change_line(before: Attempt, after: Attempt) -> str | None:
    """``Since attempt 1: score 72 → 87, fillers 5.5 → 0.0/min`` (what moved, as shown);
    None when either attempt has no analysed speech."""
    if before.report is None or after.report is None:
        return None
    if before.report.no_speech or after.report.no_speech:
        return None
    moved = []
    for metric in metrics(before.report, after.report):
        name = CHANGES.get(metric.name)
        if name is None:
            continue
        digits = 0 if metric.name != "Fillers" else 1
        old, new = f"{metric.before:.{digits}f}", f"{metric.after:.{digits}f}"
        if old == new:
            continue
        unit = {"Fillers": "/min", "Pace": " wpm"}.get(metric.name, "")
        text = escape(f"{name} {old} → {new}{unit}")
        if metric.improved is not None:
            style = "$text-success" if metric.improved else "$text-error"
            text = f"[{style}]{text}[/]"
        moved.append(text)
    what = ", ".join(moved) if moved else "the same numbers"
    return f"Since attempt {before.number}: {what}"


class Choice(StrEnum):
    """What the user chose on the feedback screen (its bindings name these values)."""

    NEXT = "next"
    RETRY = "retry"
    FOLLOW_UP = "follow-up"
    """Ask the question's follow-up next."""
    TYPE = "type"
    """Answer again by typing."""
    IMPORT = "import"
    """Answer again with a recording made elsewhere."""
    END = "end"
    BACK = "back"
    """Back to the history (the only choice when reviewing)."""


class FeedbackScreen(StudioScreen[Choice]):
    """Dismisses with a :class:`Choice`: any but ``BACK`` during a session; with ``review=True``
    (an answer from history) only with ``BACK``."""

    BINDINGS = [
        Binding("enter", "choose('next')", "Next"),
        Binding("r", "choose('retry')", "Try again"),
        Binding("f", "choose('follow-up')", "Follow-up"),
        # in the palette, not the footer (80 columns hold the others only)
        Binding("t", "choose('type')", "Type an answer instead", show=False),
        Binding("i", "choose('import')", "Import a recording instead", show=False),
        Binding("p", "play", "Play"),
        Binding("p", "stop_playing", "Stop playing"),
        Binding("right_square_bracket", "moment(1)", "Next moment"),
        Binding("left_square_bracket", "moment(-1)", "Previous moment"),
        Binding("m", "play_moment", "Play moment"),
        Binding("escape", "end", "End session"),
        Binding("escape", "choose('back')", "Back"),
    ]

    def __init__(
        self,
        services: Services,
        question: Question | QuestionRef,
        attempt: Attempt,
        folder: Path,
        index: int,
        total: int,
        *,
        review: bool = False,
        previous: Attempt | None = None,
        follow_up: str | None = None,
        drill_note: str | None = None,
    ) -> None:
        """``previous`` is the attempt before this one at the question (the change since it is
        shown); ``follow_up`` is what the interviewer may ask next (``f``); ``drill_note`` says
        what a timed drill's limit cut, under the score."""
        super().__init__(services)
        self.drill_note = drill_note
        self.review = review
        self.previous = previous
        self.follow_up = follow_up
        self.question = question
        self.attempt = attempt
        self.audio = None if attempt.audio is None else folder / attempt.audio
        self.index = index
        self.total = total
        self._cancel: threading.Event | None = None
        report = attempt.report
        self.moments: tuple[Moment, ...] = () if report is None or not review else moments(report)
        """The fillers and long pauses that review can jump to and play."""
        self.selected: int | None = None

    def compose(self) -> ComposeResult:
        yield StudioHeader()
        with VerticalScroll(id="feedback"):
            yield Static(self._title(), id="feedback-title")
            if self.drill_note is not None:
                yield Static(escape(self.drill_note), id="drill-note", classes="notice")
            yield from self._headline()
            yield from self._body()
        yield Footer()

    def _title(self) -> str:
        report = self.attempt.report
        score = "" if report is None else f"  ·  [b]{escape(report.headline)}[/b]"
        return (
            f"Question {self.index + 1} of {self.total}, attempt {self.attempt.number}{score}\n"
            f"[$text-muted]{escape(self.question.text)}[/]"
        )

    def _body(self) -> ComposeResult:
        attempt, report = self.attempt, self.attempt.report
        if report is None:
            if attempt.typed_text is not None:
                yield Static(
                    f"Typed answer ({len(attempt.typed_text.split())} words): delivery is not "
                    "measured.",
                    classes="section-title",
                )
                yield Static(escape(attempt.typed_text), id="transcript")
            else:
                where = "the session folder" if self.audio is None else shown(self.audio)
                yield Static(
                    f"No speech model: the answer is saved in {where}, not analysed.",
                    classes="notice",
                )
            yield from self._points(attempt.typed_text or "")
            yield from self._coaching()
            yield from self._tips()
            return
        if report.no_speech:
            yield Static(
                "No speech was heard in this answer (it does not count in the session score).",
                classes="notice",
            )
        else:
            change = None if self.previous is None else change_line(self.previous, attempt)
            if change is not None:
                yield Static(change, id="change")
            parts = "\n".join(
                f"[b]{part.name:<8}[/b]{points(report, part):>6}  {escape(part.note)}"
                for part in report.parts
            )
            yield Static(parts, id="notes")
            rows = numbers(report, attempt, self.question.answer_seconds)
            yield Static(
                "\n".join(f"[b]{label:<12}[/b]{escape(value)}" for label, value in rows),
                id="numbers",
            )
            yield Static(
                "Transcript  [$text-warning on $warning-muted]\\[filler][/] "
                "[$text-warning]\\[likely?][/] [underline $text-secondary]hedge[/] "
                "[$text-accent]⏸ long pause[/]",
                classes="section-title",
            )
            if self.moments:
                yield Static(self._moment_line(), id="moment")
            yield Static(transcript_markup(report.marked_transcript()), id="transcript")
            yield from self._coaching()
        yield from self._points(report.transcript)
        yield from self._tips()

    def _headline(self) -> ComposeResult:
        """The single most useful change for this answer, first (``analysis.coaching``)."""
        coaching = self.attempt.coached
        if coaching is not None and coaching.headline:
            yield Static(f"➜ {escape(coaching.headline)}", id="headline")

    def _coaching(self) -> ComposeResult:
        """The S/T/A/R bar under the transcript, then what coaching found."""
        coaching = self.attempt.coached
        if coaching is None:
            return
        if coaching.structure is not None:
            yield StarBar(coaching.structure, id="star-bar")
        rows = [
            (name, value)
            for name, value in coaching_rows(coaching, spoken=self.attempt.report is not None)
            if name not in {"headline", "points"}
        ]
        yield Static("Coaching", classes="section-title")
        yield Static(
            "\n".join(f"[b]{name:<12}[/b]{escape(value)}" for name, value in rows),
            id="coaching",
        )

    def _points(self, answer: str) -> ComposeResult:
        """The question's talking points, to check yourself against. A match on word forms cannot
        tell that a point was left out (it misses other words for it), so a point whose
        keywords were heard is ticked with them, and the others are listed, not judged."""
        checks = check_points(self.question.talking_points, answer, self.question.synonyms)
        if not checks:
            return
        lines = [
            f"[$text-success]✓[/] {escape(check.point)} "
            f"[$text-muted](heard: {escape(', '.join(check.found))})[/]"
            if check.mentioned
            else f"· {escape(check.point)}"
            for check in checks
        ]
        lines.append(
            "[$text-muted]Did you cover each? ✓ marks a point whose keywords were heard; "
            "other words for a point are not recognised.[/]"
        )
        yield Static("Talking points", classes="section-title")
        yield Static("\n".join(lines), id="points")

    def _tips(self) -> ComposeResult:
        """The question's tip, and the follow-up the interviewer may ask next."""
        tip = self.question.tips
        if tip:
            yield Static("Tip", classes="section-title")
            yield Static(escape(tip), id="tip")
        if self.follow_up and not self.review:
            yield Static(
                f"The interviewer may follow up: [i]{escape(self.follow_up)}[/i]\n"
                "[b]f[/b] answers it next",
                id="follow-up",
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            if parameters == ("follow-up",):
                return not self.review and bool(self.follow_up)
            if parameters == ("import",):
                return not self.review and self.services.transcriber is not None
            return (parameters == ("back",)) == self.review
        if action == "end":
            return not self.review
        if action == "play":
            return self.services.can_play and self.audio is not None and (self._cancel is None)
        if action == "stop_playing":
            return self._cancel is not None
        if action == "moment":
            return bool(self.moments)
        if action == "play_moment":
            return self.check_action("play", ()) and self.selected is not None
        return True

    def action_choose(self, choice: str) -> None:
        if self._cancel is not None:
            self._cancel.set()
        self.dismiss(Choice(choice))

    def action_end(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.action_choose(Choice.END)

        self.app.push_screen(ConfirmScreen(END_SESSION), answered)

    def _moment_line(self) -> str:
        count = len(self.moments)
        if self.selected is None:
            # Textual's escape() leaves a lone "[" alone, and "[[/b]" would then print the tag.
            return f"{count} moments to replay: [b]][/b] next, [b]\\[[/b] previous"
        moment = self.moments[self.selected]
        return (
            f"Moment {self.selected + 1} of {count}: [b]{escape(moment.label)}[/b] at "
            f"{clock(moment.start)} · [b]m[/b] plays it (±1 s)"
        )

    def action_moment(self, step: int) -> None:
        if self.selected is None:
            self.selected = 0 if step > 0 else len(self.moments) - 1
        else:
            self.selected = (self.selected + step) % len(self.moments)
        moment = self.moments[self.selected]
        assert self.attempt.report is not None
        self.query_one("#moment", Static).update(self._moment_line())
        transcript = self.query_one("#transcript", Static)
        marks = self.attempt.report.marked_transcript()
        transcript.update(transcript_markup(marks, (moment.start, moment.end)))
        self.refresh_bindings()

    def action_play(self) -> None:
        self._start_playing(0.0, None)

    def action_play_moment(self) -> None:
        assert self.selected is not None
        self.action_stop_playing()
        self._start_playing(*self.moments[self.selected].span)

    def _start_playing(self, start: float, end: float | None) -> None:
        assert self.audio is not None
        if not self.audio.exists():
            self.notify(
                f"The recording is missing: {shown(self.audio)}",
                title="Cannot play",
                severity="warning",
            )
            return
        self._cancel = threading.Event()
        self.refresh_bindings()
        self._play(self._cancel, start, end)

    def action_stop_playing(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    @work(thread=True, exclusive=True, exit_on_error=False, group="player")
    def _play(self, cancel: threading.Event, start: float, end: float | None) -> None:
        assert self.services.player is not None and self.audio is not None
        self.services.player.play(self.audio, start=start, end=end, stop=cancel)
        self.post_message(PlaybackFinished())

    def on_playback_finished(self, _message: PlaybackFinished) -> None:
        self._cancel = None
        self.refresh_bindings()

    def worker_failed(self, group: str) -> None:
        self._cancel = None
        self.refresh_bindings()

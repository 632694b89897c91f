"""One question after another: the interviewer speaks, the answer is recorded and analysed.

Phases: *speaking* (``s`` skips) → *ready* (Space records; automatic when the setting says so) →
*recording* (Space stops, ``r`` restarts) → *analysing* → the feedback screen. ``t`` types an
answer and ``i`` imports a recording instead, at any point before the analysis (a recording under
way is set aside); ``n`` skips the question; Esc ends the session. From the feedback, ``f`` asks
the question's next follow-up, as an interviewer would: it joins the session as the next question.
Every answer is saved in the session as it is analysed; restarted, set-aside and skipped
recordings are not part of the session, but their WAVs stay in its folder.

With the ``streaming`` setting (the default) a recorded answer is analysed while it is spoken
(:mod:`practice.tui.live`): the feedback after Stop needs only what is left. A restarted or
set-aside take cancels its analysis; should the live analysis fail, the saved WAV is analysed.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.timer import Timer
from textual.widgets import Footer, LoadingIndicator, Static

from practice.analysis.coaching import coach_typed
from practice.analysis.coaching import prepare as prepare_coaching
from practice.analysis.coaching.pipeline import analyze_answer
from practice.analysis.heap import give_back_memory
from practice.analysis.scoring import Targets
from practice.analysis.stream import AnswerStream
from practice.banks import Bank, Question
from practice.drills import Drill, Earlier, cut_note, earlier
from practice.records import Attempt, QuestionRef, Session
from practice.sessions import SessionError
from practice.speech.recorder import StopReason
from practice.times import clock
from practice.tui import garbage, trace
from practice.tui.live import LiveAnalysis
from practice.tui.markup import transcript_markup
from practice.tui.messages import (
    AnswerAnalyzed,
    QuestionSpoken,
    RecordingFinished,
    SessionStarted,
)
from practice.tui.screens.base import StudioScreen, shown
from practice.tui.screens.dialogs import END_SESSION, ConfirmScreen, ImportScreen, TypedAnswerScreen
from practice.tui.screens.feedback import Choice, FeedbackScreen
from practice.tui.services import Services
from practice.tui.widgets.header import StudioHeader
from practice.tui.widgets.level_meter import LevelMeter

if TYPE_CHECKING:
    from practice.analysis.scoring import AnswerReport

HEARD_DBFS = -45.0
"""An input level above this counts as something heard."""
SILENCE_HINT_SECONDS = 5.0
METER_INTERVAL = 1 / 15
FOLLOW_UP_SECONDS = 60
"""A follow-up's target length at most (a follow-up asks for one thing)."""


class Phase(enum.Enum):
    SPEAKING = "speaking"
    READY = "ready"
    RECORDING = "recording"
    ANALYSING = "analysing"


# Which actions each phase offers; the footer and the command palette follow this table.
_ACTIONS: dict[str, frozenset[Phase]] = {
    "skip_speech": frozenset({Phase.SPEAKING}),
    "record": frozenset({Phase.READY}),
    "stop": frozenset({Phase.RECORDING}),
    "restart": frozenset({Phase.RECORDING}),
    "next_question": frozenset({Phase.SPEAKING, Phase.READY, Phase.RECORDING}),
    "type_answer": frozenset({Phase.SPEAKING, Phase.READY, Phase.RECORDING}),
    "import_answer": frozenset({Phase.SPEAKING, Phase.READY, Phase.RECORDING}),
}


class InterviewScreen(StudioScreen[None]):
    BINDINGS = [
        Binding("s", "skip_speech", "Skip speech"),
        Binding("space", "record", "Record"),
        Binding("space", "stop", "Stop"),
        Binding("r", "restart", "Restart"),
        Binding("n", "next_question", "Skip question"),
        Binding("t", "type_answer", "Type"),
        Binding("i", "import_answer", "Import"),
        Binding("escape", "end", "End"),
    ]

    def __init__(
        self,
        services: Services,
        bank: Bank,
        questions: Sequence[Question],
        drill: Drill | None = None,
    ) -> None:
        super().__init__(services)
        self.bank = bank
        self.sub_title = bank.name
        self.questions = tuple(questions)
        self.drill = drill
        self._earlier: dict[str, Earlier] = {}
        """For a drill: each question's earlier attempts, read when the session starts."""
        self._hit_limit = False
        """The last recording stopped at the time box."""
        self.index = 0
        self.session: Session | None = None
        self.phase = Phase.SPEAKING
        self._attempts: dict[int, int] = {}
        self._cancel = threading.Event()
        self._stop = threading.Event()
        self._discard = False
        self._level: float | None = None
        self._heard_at = 0.0
        self._asked_at = 0.0
        self._recording_since = 0.0
        self._recording: tuple[int, int] | None = None
        """(question index, attempt number) of the recording under way."""
        self._live: LiveAnalysis | None = None
        """The analysis of the recording under way, while it is spoken (``streaming``)."""
        self._skipped: set[int] = set()
        """The questions skipped with ``n`` (the summary tells them from those never reached)."""
        self._ending = False
        self._over = False
        """The session is over: late messages from workers are ignored."""
        self._meter: Timer | None = None

    # Layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StudioHeader()
        with Vertical(id="interview"):
            yield Static(id="progress")
            yield Static(id="question")
            yield Static(id="drill")
            yield Static(id="status")
            yield Static(id="timer")
            yield LevelMeter(id="meter")
            yield Static(id="hint")
            yield LoadingIndicator(id="analysing")
            yield Static(id="missing", classes="notice")
        yield Footer()

    @property
    def question(self) -> Question:
        return self.questions[self.index]

    def opened(self) -> None:
        self._meter = self.set_interval(METER_INTERVAL, self._tick, pause=True)
        missing = []
        if not self.services.can_speak:
            missing.append("no interviewer voice: read the question")
        if not self.services.can_record:
            missing.append("no microphone: t types an answer, i imports a recording")
        if self.services.transcriber is None:
            missing.append("no speech model: answers are saved but not analysed")
        self.query_one("#missing", Static).update(" · ".join(missing))
        self.query_one("#missing").display = bool(missing)
        self._start_session()
        if self.services.transcriber is not None:
            self._load_model()

    @work(thread=True, exclusive=True, exit_on_error=False, group="model")
    def _load_model(self) -> None:
        """Load the speech model while the first question is asked, and Silero VAD's: creating
        its ONNX session holds the GIL for about 40 ms, a stall of the interface at the start of
        the first recording otherwise."""
        from practice.analysis.pauses import SileroVad

        assert self.services.transcriber is not None
        self.services.transcriber.load()
        SileroVad()  # its model loads once per process
        prepare_coaching()
        if self.services.finisher is not None:
            self.services.finisher.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def _start_session(self) -> None:
        if self.drill is not None:
            from practice.plan import read_sessions

            saved = read_sessions(self.services.store)
            self._earlier = {q.id: earlier(saved, self.bank.id, q.id) for q in self.questions}
        refs = [QuestionRef.from_question(question) for question in self.questions]
        session = self.services.store.create(self.bank.id, self.bank.name, refs)
        self.post_message(SessionStarted(session))

    def on_session_started(self, message: SessionStarted) -> None:
        self.session = message.session
        self._ask()

    def _show(self, phase: Phase, status: str) -> None:
        self.phase = phase
        if phase in (Phase.RECORDING, Phase.ANALYSING):
            garbage.hold_full()  # until the feedback is on screen
        else:
            garbage.allow_full()
        self.query_one("#status", Static).update(status)
        self.query_one("#meter").display = phase is Phase.RECORDING
        self.query_one("#timer").display = phase is Phase.RECORDING
        self.query_one("#analysing").display = phase is Phase.ANALYSING
        if phase is not Phase.RECORDING:
            self.query_one("#hint", Static).update("")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phases = _ACTIONS.get(action)
        if phases is None:
            return True
        if action == "record" and not self.services.can_record:
            return False
        return self.phase in phases

    # Asking ------------------------------------------------------------------------------------

    def _ask(self) -> None:
        question = self.question
        total = len(self.questions)
        category = f" · {escape(question.category)}" if question.category else ""
        target = clock(question.answer_seconds)
        self.query_one("#progress", Static).update(
            f"Question {self.index + 1} of {total}{category} · target {target}"
        )
        self.query_one("#question", Static).update(escape(question.text))
        self._show_drill()
        if not self.services.can_speak:
            self._spoken()
            return
        self._show(Phase.SPEAKING, "🔊 The interviewer is asking… (s skips the speech)")
        self._cancel = threading.Event()
        self._speak(question.text, self._cancel)

    @work(thread=True, exclusive=True, exit_on_error=False, group="voice")
    def _speak(self, text: str, cancel: threading.Event) -> None:
        assert self.services.voice is not None
        self.services.voice.speak(text, cancel)
        self.post_message(QuestionSpoken())

    def on_question_spoken(self, _message: QuestionSpoken) -> None:
        if self.phase is Phase.SPEAKING and not self._over:
            self._spoken()

    def _spoken(self) -> None:
        self._asked_at = self.services.clock()
        if self.services.can_record and self.services.settings.auto_record:
            self._start_recording()
        else:
            self._ready()

    def _ready(self) -> None:
        if self.services.can_record:
            self._show(Phase.READY, "Press Space to answer (t types, i imports a recording)")
        else:
            self._show(Phase.READY, "Type your answer with t, or import a recording with i")

    def _show_drill(self) -> None:
        """The drill's panel: the time box, or the last answer with its fillers marked."""
        panel = self.query_one("#drill", Static)
        panel.display = self.drill is not None
        if self.drill is None:
            return
        if self.drill.kind == "timed":
            panel.update(
                f"[b]Timed drill:[/b] answer in {clock(self.drill.seconds)}; "
                "the recording stops at the limit."
            )
            return
        last = self._earlier.get(self.question.id, Earlier(None, None)).last
        if last is None or last.report is None:
            panel.update(
                "[b]Say it again without the fillers:[/b] no earlier recorded answer to this "
                "question, so answer it as usual."
            )
            return
        fillers = len(last.report.counted_fillers)
        marked = transcript_markup(last.report.marked_transcript())
        panel.update(
            f"[b]Say it again without the fillers[/b] · last time "
            f"{fillers} filler{'' if fillers == 1 else 's'} (highlighted):\n{marked}"
        )

    def action_skip_speech(self) -> None:
        self._cancel.set()

    # Recording ---------------------------------------------------------------------------------

    def _next_number(self) -> int:
        number = self._attempts.get(self.index, 0) + 1
        self._attempts[self.index] = number
        return number

    def _start_recording(self) -> None:
        number = self._next_number()
        self._stop = threading.Event()
        self._discard = False
        self._level = None
        self._recording = (self.index, number)
        self._recording_since = self._heard_at = self.services.clock()
        self._hit_limit = False
        self._show(Phase.RECORDING, "● Recording — Space stops, r restarts, t types instead")
        self._tick()
        if self._meter is not None:
            self._meter.resume()
        streaming = self.services.settings.streaming and self.services.transcriber is not None
        self._live = LiveAnalysis() if streaming else None
        self._record(self.index, number, self._stop, self._targets(), self._live)

    @work(thread=True, exclusive=True, exit_on_error=False, group="recorder")
    def _record(
        self,
        question: int,
        number: int,
        stop: threading.Event,
        targets: Targets,
        live: LiveAnalysis | None,
    ) -> None:
        """Record the answer; with ``live``, analyse it as it is recorded."""
        session, transcriber = self.session, self.services.transcriber
        assert self.services.recorder is not None and session is not None
        settings = self.services.settings
        path = self.services.store.audio_path(session, question, number)
        limit = settings.max_answer_seconds
        if self.drill is not None and self.drill.kind == "timed":
            limit = min(limit, self.drill.seconds)
        if live is not None and transcriber is not None:
            brief = session.questions[question].brief
            earlier_pitch = self.services.store.earlier_pitch(session)
            finisher = self.services.after_stop()
            live.open(
                lambda: AnswerStream(
                    transcriber,
                    targets,
                    brief,
                    earlier_pitch=earlier_pitch,
                    file=str(path),
                    finisher=finisher,
                )
            )
        result = self.services.recorder.record(
            path,
            stop=stop,
            on_level=self._on_level,
            max_seconds=limit,
            silence_stop_seconds=settings.silence_stop_seconds,
            on_block=None if live is None else live.feed,
        )
        trace.event(
            "recorded",
            seconds=result.duration_s,
            stop_reason=str(result.stop_reason),
            overflows=result.overflows,
        )
        self.post_message(
            RecordingFinished(
                question, number, path, result.duration_s, result.stop_reason, result.overflows
            )
        )

    def _on_level(self, dbfs: float) -> None:
        """Called from the recorder's thread: keep the latest level only."""
        self._level = dbfs
        if dbfs > HEARD_DBFS:
            self._heard_at = self.services.clock()

    def _tick(self) -> None:
        """The meter's timer (15 times a second while recording): the level, and the clock and
        the hint when their text changes (a text that changes lays the screen out again)."""
        now = self.services.clock()
        elapsed = now - self._recording_since
        target = self.question.answer_seconds
        over = " [$text-warning]over the target[/]" if elapsed > target else ""
        if self.drill is not None and self.drill.kind == "timed":
            left = max(0.0, self.drill.seconds - elapsed)
            style = "$text-warning" if left <= 10 else "$text-success"
            _write(self.query_one("#timer", Static), f"[b {style}]{clock(left)} left[/]")
        else:
            _write(self.query_one("#timer", Static), f"{clock(elapsed)} / {clock(target)}{over}")
        self.query_one(LevelMeter).level = self._level
        quiet = now - self._heard_at >= SILENCE_HINT_SECONDS
        _write(
            self.query_one("#hint", Static),
            f"Nothing heard for {SILENCE_HINT_SECONDS:.0f} s — is the microphone on and unmuted?"
            if quiet
            else "",
        )

    def action_record(self) -> None:
        self._start_recording()

    def action_stop(self) -> None:
        trace.event("stop")
        self._stop.set()

    def action_restart(self) -> None:
        self._discard = True
        self._drop_live()
        self._stop.set()

    def _drop_live(self) -> None:
        """Cancel the analysis of the take under way (it is not an answer)."""
        if self._live is not None:
            self._live.cancel()
            self._live = None

    def on_recording_finished(self, message: RecordingFinished) -> None:
        if self._meter is not None:
            self._meter.pause()
        if self._recording != (message.question, message.number):
            return  # a recording abandoned by skipping the question or ending
        self._recording = None
        if message.stop_reason is StopReason.DEVICE_LOST:
            self.notify("The microphone went away; the answer so far was kept.", severity="warning")
        elif message.stop_reason is StopReason.MAX_DURATION and self._timed:
            self._hit_limit = True
        elif message.stop_reason is StopReason.MAX_DURATION:
            longest = clock(self.services.settings.max_answer_seconds)
            self.notify(f"Stopped at the {longest} limit (max_answer_seconds).")
        if message.overflows:
            self.notify(
                f"Some sound was lost {message.overflows} times while recording: "
                "the computer was too busy to keep up.",
                severity="warning",
            )
        if self._discard:
            self.notify(f"Restarted; the earlier take stays in {shown(message.path.parent)}")
            self._asked_at = self.services.clock()  # latency counts from the restart
            self._start_recording()
            return
        self._show(Phase.ANALYSING, f"Analysing your answer ({message.duration_s:.0f} s)…")
        self._cancel = threading.Event()
        lead = self._recording_since - self._asked_at
        attempt = self._attempt(message.number, message.path.name)
        live, self._live = self._live, None
        self._analyse(attempt, None, self._targets(), lead, self._cancel, live)

    @property
    def _timed(self) -> bool:
        return self.drill is not None and self.drill.kind == "timed"

    def _attempt(self, number: int, audio: str | None, typed: str | None = None) -> Attempt:
        return Attempt(
            question=self.index,
            number=number,
            recorded_at=datetime.now().astimezone().isoformat(timespec="seconds"),
            audio=audio,
            report=None,
            typed_text=typed,
        )

    # Analysing ---------------------------------------------------------------------------------

    def _targets(self) -> Targets:
        settings = self.services.settings
        return Targets(
            pace_low=settings.pace_low,
            pace_high=settings.pace_high,
            long_pause_s=settings.long_pause_seconds,
            target_seconds=self.question.answer_seconds,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="analysis")
    def _analyse(
        self,
        attempt: Attempt,
        source: Path | None,
        targets: Targets,
        lead_s: float | None,
        cancel: threading.Event,
        live: LiveAnalysis | None = None,
    ) -> None:
        """Analyse the attempt's audio, then save; an imported file (``source``) is analysed
        and copied in by :meth:`SessionStore.import_answer`.

        ``lead_s`` is the time from the end of the question to the start of the recording, for
        the response latency; None when the answer was not recorded live. ``live`` is the
        analysis made while it was recorded: its report is used when it has one, else the saved
        WAV is analysed.
        """
        store, session = self.services.store, self.session
        assert session is not None
        transcriber = self.services.transcriber
        brief = session.questions[attempt.question].brief
        if source is not None:

            def analyse(path: Path) -> AnswerReport | None:
                if transcriber is None:
                    return None
                return analyze_answer(
                    path,
                    transcriber,
                    targets,
                    brief,
                    earlier_pitch=store.earlier_pitch(session),
                    cancel=cancel,
                )

            saved, stored = store.import_answer(
                session.id,
                attempt.question,
                source,
                analyse,
                recorded_at=attempt.recorded_at,
                label="-imported",
            )
            self.post_message(AnswerAnalyzed(saved, stored))
            give_back_memory()
            return
        if attempt.typed_text is not None:  # words but no audio: coaching without the voice
            attempt = replace(attempt, coaching=coach_typed(attempt.typed_text, brief))
        elif attempt.audio is not None:
            audio = store.audio_path(session, attempt.question, attempt.number)
            audio = audio.with_name(attempt.audio)
            if transcriber is not None:
                report = None if live is None else live.finish(cancel)
                trace.event("analysed", via="file" if report is None else "stream")
                if report is None:
                    report = analyze_answer(
                        audio,
                        transcriber,
                        targets,
                        brief,
                        earlier_pitch=store.earlier_pitch(session),
                        cancel=cancel,
                    )
                latency = None
                if lead_s is not None and report.speech is not None and report.words:
                    # to where the signal has speech (Whisper's first-word time can be early
                    # or late by half a second)
                    latency = lead_s + report.speech[0]
                attempt = replace(attempt, report=report, latency_s=latency)
        with trace.step("save"):
            saved = store.add_attempt(session, attempt)
        key = (attempt.question, attempt.number)
        stored = next(a for a in saved.attempts if (a.question, a.number) == key)
        failure = None if live is None else live.failure
        note = f"{failure}; the saved recording was analysed instead." if failure else None
        self.post_message(AnswerAnalyzed(saved, stored, note))
        give_back_memory()

    def on_answer_analyzed(self, message: AnswerAnalyzed) -> None:
        self.session = message.session
        if message.note is not None:
            self.notify(message.note, severity="warning")
        if self._ending:
            self._finish()
            return

        earlier = [
            attempt
            for attempt in message.session.attempts_at(self.index)
            if attempt.number < message.attempt.number and attempt.report is not None
        ]
        feedback = FeedbackScreen(
            self.services,
            self.question,
            message.attempt,
            message.session.folder,
            self.index,
            len(self.questions),
            previous=max(earlier, key=lambda attempt: attempt.number, default=None),
            follow_up=self.question.follow_ups[0] if self.question.follow_ups else None,
            drill_note=self._drill_note(message.attempt),
        )
        feedback.sub_title = self.bank.name  # the header keeps naming the bank
        with trace.step("feedback"):
            self.app.push_screen(feedback, self._after_feedback)
        if trace.enabled():
            self.app.call_after_refresh(trace.event, "shown")
        self.app.call_after_refresh(self._allow_full)
        self._after_drill(message.attempt)

    def _allow_full(self) -> None:
        """The feedback is on screen: full garbage collections may run again (unless a new
        recording has started meanwhile)."""
        if self._recording is None:
            garbage.allow_full()

    def _drill_note(self, attempt: Attempt) -> str | None:
        """What a timed drill's limit did to the answer, shown with its score."""
        if self.drill is None or not self._timed or attempt.report is None:
            return None
        before = self._earlier.get(self.question.id, Earlier(None, None))
        return cut_note(attempt.report, self.drill.seconds, self._hit_limit, before.usual_s)

    def _after_drill(self, attempt: Attempt) -> None:
        """A typed answer says it is not drilled; a clean drill opens the comparison with the
        last answer (over the feedback, which Esc returns to)."""
        if self.drill is None:
            return
        before = self._earlier.get(self.question.id, Earlier(None, None))
        if attempt.report is None:
            what = "timed" if self._timed else "compared"
            self.notify(f"A typed answer is not {what}: say it aloud for the drill.")
        elif not self._timed and before.last is not None:
            from practice.tui.screens.compare import CompareScreen

            ref = QuestionRef.from_question(self.question)
            self.app.push_screen(CompareScreen(self.services, ref, before.last, attempt))

    def _after_feedback(self, choice: Choice | None) -> None:
        if choice is Choice.RETRY:
            self._asked_at = self.services.clock()
            self._spoken()
        elif choice is Choice.TYPE:
            self.action_type_answer()
        elif choice is Choice.IMPORT:
            self.action_import_answer()
        elif choice is Choice.FOLLOW_UP:
            self._ask_follow_up()
        elif choice is Choice.END:
            self._finish()
        else:
            self._advance()

    def _ask_follow_up(self) -> None:
        """Ask the question's first follow-up next; it keeps the others as its own follow-ups.

        It is saved into the session as the question after this one (later questions have no
        attempts yet, so moving them along one place changes nothing else saved)."""
        question = self.question
        follow_up = Question(
            id=f"{question.id}-follow-up",
            text=question.follow_ups[0],
            category=question.category,
            answer_seconds=min(question.answer_seconds, FOLLOW_UP_SECONDS),
            follow_ups=question.follow_ups[1:],
        )
        at = self.index + 1
        if self.session is not None:
            ref = QuestionRef.from_question(follow_up)
            try:
                self.session = self.services.store.insert_question(self.session, at, ref)
            except SessionError as error:
                self.notify(f"{error}; the follow-up is not asked", severity="error")
                self._advance()
                return
        self.questions = (*self.questions[:at], follow_up, *self.questions[at:])
        self._advance()

    def worker_failed(self, group: str) -> None:
        if self._ending:
            self._finish()
        elif group in {"analysis", "recorder", "voice"}:
            self._abandon()  # what is left of the attempt; its events are set already
            self._ready()

    # Other answers -----------------------------------------------------------------------------

    def _pause_for_dialog(self) -> None:
        """Stop the speech (or set the recording under way aside) and wait: a dialog is open."""
        if self.phase is Phase.RECORDING:
            self._abandon()
            self.notify("The recording was set aside; its WAV stays in the session folder.")
        self._cancel.set()
        self._show(Phase.READY, "…")

    def action_type_answer(self) -> None:
        self._pause_for_dialog()
        self.app.push_screen(TypedAnswerScreen(self.question.text), self._typed)

    def _typed(self, text: str | None) -> None:
        if text is None:
            self._ready()
            return
        self._show(Phase.ANALYSING, "Saving your typed answer…")
        attempt = self._attempt(self._next_number(), None, text)
        self._analyse(attempt, None, self._targets(), None, threading.Event())

    def action_import_answer(self) -> None:
        self._pause_for_dialog()
        self.app.push_screen(ImportScreen(), self._imported)

    def _imported(self, path: Path | None) -> None:
        if path is None:
            self._ready()
            return
        number = self._next_number()  # the store may take a later one (a file in the way)
        self._show(Phase.ANALYSING, f"Analysing {path.name}…")
        self._cancel = threading.Event()
        self._analyse(self._attempt(number, None), path, self._targets(), None, self._cancel)

    # Moving on ---------------------------------------------------------------------------------

    def _abandon(self) -> None:
        """Stop speech, recording and analysis; the files already written stay."""
        self._cancel.set()
        self._recording = None
        self._drop_live()
        self._stop.set()
        if self._meter is not None:
            self._meter.pause()

    def action_next_question(self) -> None:
        self._abandon()
        self._skipped.add(self.index)
        self._advance()

    def _advance(self) -> None:
        if self.index + 1 < len(self.questions):
            self.index += 1
            self._ask()
        else:
            self._finish()

    def action_end(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes and self.phase is Phase.ANALYSING:
                self._ending = True  # the summary follows once the answer is saved
                self._cancel.set()
            elif yes:
                self._finish()

        self.app.push_screen(ConfirmScreen(END_SESSION), answered)

    def _finish(self) -> None:
        self._over = True
        self._abandon()
        if self.session is None:
            self.dismiss()
            return
        from practice.tui.screens.summary import SummaryScreen

        skipped = frozenset(self._skipped)
        self.app.switch_screen(SummaryScreen(self.services, self.session, skipped))

    def on_unmount(self) -> None:
        self._abandon()
        garbage.allow_full()


def _write(static: Static, text: str) -> None:
    """Show ``text`` in ``static`` unless it shows it already."""
    if static.content != text:
        static.update(text)

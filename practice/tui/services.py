"""What the rehearsal studio uses: the sound devices and the speech engine as small protocols,
the banks and the session store as they are, all in one :class:`Services` bundle.

``make_app`` takes the bundle, so the UI tests hand the app fake voice, recorder, player and
transcriber, and the real-audio tests the real ones (DESIGN.md habit 6). Every method of a
service may block: the screens call them from thread workers only.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from practice.analysis.heap import give_back_memory
from practice.analysis.transcript import DecodeOptions, Transcriber, Transcript, Wrapping
from practice.banks import ORDERS, Bank, Discovery, Order, Question, choose, find
from practice.errors import PracticeError
from practice.sessions import SessionStore
from practice.settings import Settings
from practice.workspace import Workspace

if TYPE_CHECKING:
    import numpy as np

    from practice.speech.devices import Kind
    from practice.speech.recorder import StopReason


# Audio ---------------------------------------------------------------------------------------


class Voice(Protocol):
    """The interviewer's voice."""

    def speak(self, text: str, cancel: threading.Event | None = None) -> object:
        """Say ``text``; return when it has been played, or soon after ``cancel`` is set."""


class Recording(Protocol):
    """What a finished recording reports."""

    @property
    def duration_s(self) -> float: ...

    @property
    def stop_reason(self) -> StopReason:
        """Why it stopped."""

    @property
    def overflows(self) -> int:
        """How many times sound was lost because it was not read in time (input overflow)."""


class Recorder(Protocol):
    """The microphone."""

    def record(
        self,
        path: Path,
        *,
        stop: threading.Event,
        on_level: Callable[[float], None],
        max_seconds: float,
        silence_stop_seconds: float,
        on_block: Callable[[np.ndarray], None] | None = None,
    ) -> Recording:
        """Record a WAV to ``path`` until ``stop`` is set, the maximum, or the silence limit.

        ``on_level`` receives the live input level in dBFS, and ``on_block`` each block of
        samples as the WAV stores them (16 kHz mono float32), both from the recorder's thread.
        """


class Player(Protocol):
    """The speaker, for playing answers back."""

    def play(
        self,
        path: Path,
        start: float = 0.0,
        end: float | None = None,
        *,
        stop: threading.Event | None = None,
    ) -> object:
        """Play ``path`` (or the span from ``start`` to ``end`` seconds); return when done or
        soon after ``stop`` is set."""


class GivingBack(Wrapping):
    """The studio's speech engine: ``inner``, giving back to the system what each transcription
    freed (:func:`~practice.analysis.heap.give_back_memory`, about 1-10 ms against seconds of
    transcription). Pieces are transcribed one after another while an answer is spoken, and the
    memory the engine freed in one otherwise stayed resident under the next one's peak: 357 MiB
    at most over 5 questions with this, 371 MiB without (benchmarks/README.md)."""

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        try:
            return self.inner.transcribe(samples, cancel, options=options)
        finally:
            give_back_memory()


class Finisher(GivingBack):
    """A second copy of the studio's speech engine with more threads (the ``finish_threads``
    setting), for what is left to transcribe once a recording is over (the recorder stopped,
    the cores free; the engine itself keeps one thread, fixed when its model loads, so that it
    shares the cores while the answer is spoken). :meth:`load` loads it (in a worker, after the
    engine); until then :attr:`ready` is not set and Stop uses the engine."""

    def __init__(self, inner: Transcriber) -> None:
        super().__init__(inner)
        self.ready = threading.Event()

    def load(self) -> None:
        """Load the model; one that cannot load leaves Stop to the engine (which loaded)."""
        with contextlib.suppress(PracticeError):
            self.inner.load()
            self.ready.set()


# Choosing questions --------------------------------------------------------------------------

StartOrder = Order | Literal["category"]
"""How Home picks questions: as written, shuffled, N at random, or one category in order."""
START_ORDERS: tuple[StartOrder, ...] = (*ORDERS, "category")


@dataclass(frozen=True, slots=True)
class Start:
    """How to start a rehearsal: which bank, and how its questions are picked."""

    bank_id: str
    order: StartOrder = "in-order"
    count: int | None = None
    category: str | None = None
    seed: int | None = None
    questions: tuple[str, ...] = ()
    """These question ids, in this order (the practice plan's), instead of ``order``."""


# The bundle ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Services:
    """Everything the app uses; a missing device or engine is None, with a notice saying why."""

    place: Workspace
    settings: Settings
    banks: Sequence[Bank]
    store: SessionStore
    bank_problems: Sequence[str] = ()
    """What is wrong with the bank files that could not be used (one line each)."""
    voice: Voice | None = None
    recorder: Recorder | None = None
    player: Player | None = None
    transcriber: Transcriber | None = None
    finisher: Finisher | None = None
    """The engine for what is left after Stop, with more threads (see :class:`Finisher`)."""
    notices: tuple[str, ...] = ()
    """What is missing or wrong (no microphone, a broken bank, ...), one line each."""
    clock: Callable[[], float] = time.monotonic
    """Seconds, for timers and latency (tests pass a fixed clock)."""
    probe: Callable[[], dict[str, str]] | None = None
    """Checks the sound devices and the voice (slow: Home runs it in a worker); returns what is
    unusable, by role (``voice``, ``microphone``, ``speaker``), with the reason."""
    absent: dict[str, str] = field(default_factory=dict, compare=False)
    """What :attr:`probe` found unusable (filled in on the UI thread when it reports)."""
    choices: Callable[[], dict[str, Sequence[tuple[str, str]]]] | None = None
    """What the settings can choose from (voices, microphones, speakers), as (shown, value)
    options per setting (slow: the settings dialog calls it in a worker)."""

    def after_stop(self) -> Transcriber | None:
        """The finisher if it is loaded (else None: the engine finishes too)."""
        finisher = self.finisher
        return finisher if finisher is not None and finisher.ready.is_set() else None

    @property
    def can_speak(self) -> bool:
        return self.voice is not None and "voice" not in self.absent

    @property
    def can_record(self) -> bool:
        return self.recorder is not None and "microphone" not in self.absent

    @property
    def can_play(self) -> bool:
        return self.player is not None and "speaker" not in self.absent

    def bank(self, bank_id: str) -> Bank:
        """The bank with this id, or the BankError every command gives (what was meant, or
        what is wrong with its file)."""
        found = Discovery({bank.id: bank for bank in self.banks}, list(self.bank_problems), [])
        return find(found, bank_id)

    def questions(self, start: Start) -> tuple[Bank, list[Question]]:
        """The bank and the questions to ask for ``start`` (a BankError when it cannot)."""
        bank = self.bank(start.bank_id)
        if start.questions:
            by_id = {question.id: question for question in bank.questions}
            return bank, [by_id[i] for i in start.questions if i in by_id][: start.count]
        order: Order = "in-order" if start.order == "category" else start.order
        return bank, choose(
            bank, order=order, count=start.count, category=start.category, seed=start.seed
        )


def default_services(place: Workspace, extra_banks: Sequence[Path] = ()) -> Services:
    """The real services for ``place``; anything missing becomes a notice, not an error.

    Nothing slow happens here (the first frame must be quick): the model loads when a session
    starts, and the sound devices and the voice are checked in a worker
    (:func:`practice.doctor.unusable`).
    PortAudio alone starts here (about 0.1 s; the CLI starts it sooner, while the app is
    imported), before the app takes the terminal: while it starts, sounddevice points fd 2,
    where Textual draws, at /dev/null, so starting it in the worker would lose whatever Home
    drew meanwhile (often the whole first frame).
    """
    from practice.analysis.transcribe import create_transcriber
    from practice.analysis.transcript import BUNDLED_MODEL, TranscriptionError, bundled_model_path
    from practice.banks import discover
    from practice.doctor import unusable
    from practice.settings import load_settings
    from practice.speech.devices import start_portaudio
    from practice.speech.player import Player
    from practice.speech.recorder import Recorder
    from practice.speech.voice import Voice

    start_portaudio()
    found = discover(place, extra_banks)
    notices = [*found.problems, *found.notices]
    try:
        settings = load_settings(place)
    except PracticeError as error:
        notices.append(f"{error} (using the default settings)")
        settings = Settings()
    transcriber: Transcriber | None = None
    finisher: Finisher | None = None
    try:
        if (settings.model or BUNDLED_MODEL) == BUNDLED_MODEL:
            bundled_model_path()
        # Analysing while the answer is spoken shares the cores with the recorder and the
        # interface: the engine gets one thread (CTranslate2 fixes it when the model loads).
        threads = 1 if settings.streaming else 0
        transcriber = GivingBack(
            create_transcriber(
                settings.engine, settings.model, settings.compute_type, cpu_threads=threads
            )
        )
        if settings.streaming and settings.finish_threads:
            finisher = Finisher(
                create_transcriber(
                    settings.engine,
                    settings.model,
                    settings.compute_type,
                    cpu_threads=settings.finish_threads,
                )
            )
    except TranscriptionError as error:
        notices.append(f"no speech model ({error}): answers are saved, not analysed")
    voice = Voice.from_settings(settings, place.cache_dir)
    return Services(
        place=place,
        settings=settings,
        banks=list(found.banks.values()),
        bank_problems=found.problems,
        store=SessionStore(place.recordings_dir, keep_audio=settings.keep_audio),
        voice=voice,
        recorder=Recorder(settings.input_device),
        player=Player(settings.output_device),
        transcriber=transcriber,
        finisher=finisher,
        notices=tuple(notices),
        probe=lambda: unusable(settings, voice),
        choices=setting_choices,
    )


def setting_choices() -> dict[str, Sequence[tuple[str, str]]]:
    """The voices, microphones and speakers this machine has, for the settings dialog; what
    cannot be listed is left out (the dialog then offers the default and the current value)."""
    from practice.speech.devices import list_devices
    from practice.speech.voice import list_voices

    choices: dict[str, Sequence[tuple[str, str]]] = {}
    try:
        devices = list_devices()
    except PracticeError:
        devices = ()
    roles: tuple[tuple[str, Kind], ...] = (("input_device", "input"), ("output_device", "output"))
    for name, kind in roles:
        names = dict.fromkeys(device.name for device in devices if device.channels(kind) > 0)
        choices[name] = [(device, device) for device in names]
    with contextlib.suppress(PracticeError):
        choices["voice"] = [(f"{name} ({vid})", vid) for vid, name in list_voices()]
    return choices

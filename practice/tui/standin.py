"""Stand-ins used until the banks, settings, speech and sessions services are merged.

TEMPORARY: replaced by thin adapters over ``practice.banks``, ``practice.settings``,
``practice.speech`` and ``practice.sessions`` when those land.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from practice.tui.services import Bank, PastSession, Question, Services, Take
from practice.workspace import Workspace


@dataclass(frozen=True, slots=True)
class DefaultSettings:
    voice: str | None = None
    rate: int = 175
    input_device: str | None = None
    output_device: str | None = None
    engine: str = "faster-whisper"
    model: str | None = None
    silence_stop_seconds: float = 4.0
    auto_record: bool = True
    max_answer_seconds: int = 300
    pace_low: int = 120
    pace_high: int = 165
    long_pause_seconds: float = 1.0


class FolderJournal:
    """Recordings in ``recordings/<started>/``; the session list lives only in memory."""

    def __init__(self, recordings: Path) -> None:
        self.recordings = recordings
        self.folder: Path | None = None
        self._bank: tuple[str, str] = ("", "")
        self._takes: list[Take] = []
        self._past: list[tuple[str, PastSession]] = []
        self._started = datetime.now()

    def start(self, bank_id: str, bank_name: str, questions: Sequence[Question]) -> Path:
        self._started = datetime.now()
        self.folder = self.recordings / f"{self._started:%Y%m%d-%H%M%S}-{bank_id}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self._bank = (bank_id, bank_name)
        self._takes = []
        return self.folder

    def audio_path(self, question: int, number: int) -> Path:
        assert self.folder is not None
        return self.folder / f"q{question + 1:02d}-{number}.wav"

    def add(self, take: Take) -> None:
        self._takes.append(take)

    def finish(self) -> None:
        last = {t.question: t.report.score for t in self._takes if t.report is not None}
        score = round(sum(last.values()) / len(last)) if last else None
        answers = len({t.question for t in self._takes})
        past = PastSession(self._started, self._bank[1], answers, score)
        self._past.append((self._bank[0], past))

    def recent(self, limit: int) -> Sequence[PastSession]:
        return [past for _, past in reversed(self._past)][:limit]

    def previous_score(self, bank_id: str) -> int | None:
        earlier = [p for bank, p in self._past if bank == bank_id and p.started < self._started]
        return earlier[-1].score if earlier else None


def in_order(
    bank: Bank,
    *,
    order: str = "in-order",
    count: int | None = None,
    category: str | None = None,
    seed: int | None = None,
) -> Sequence[Question]:
    return [q for q in bank.questions if category is None or q.category == category][:count]


def default_services(place: Workspace) -> Services:
    from practice.analysis.transcribe import create_transcriber

    return Services(
        place=place,
        settings=DefaultSettings(),
        banks=(),
        choose=in_order,
        journal=FolderJournal(place.recordings_dir),
        transcriber=create_transcriber(),
        notices=("question banks, voice and microphone are not wired in yet",),
    )

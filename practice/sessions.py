"""Saved practice sessions: one folder per session, and an SQLite index for history.

``recordings/<session-id>/`` holds ``session.json`` (bank, questions, attempts with their full
reports, timestamps, app and schema versions) and one WAV per recorded attempt. The folders are
the truth; ``recordings/index.sqlite3`` is a cache of one row per session, checked against each
``session.json``'s size and modification time and rebuilt when it is missing, corrupt or out of
date.

Every write is atomic: a temporary file in the same folder is written, flushed and fsynced, then
renamed over the old file, and the folder is fsynced. A crash leaves the old state or the new one.
A new session is written in a hidden folder and renamed into place, so a crash while creating one
leaves nothing. Folders and files are readable by the user only (0700 / 0600).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from practice import __version__
from practice.analysis.coaching.summary import KINDS, Brief, Kind
from practice.errors import PracticeError
from practice.files import (
    PRIVATE_FILE_MODE,
    PRIVATE_FOLDER_MODE,
    FolderLock,
    UnsafeFile,
    copy_private,
    fsync_folder,
    make_private_folder,
    open_regular,
    read_regular,
    write_atomic,
)
from practice.text import clean_json, printable_line

if TYPE_CHECKING:
    from practice.analysis.feedback import AnswerReport
    from practice.banks import Question

SCHEMA_VERSION = 1
"""The version of ``session.json`` this module writes and reads."""
SESSION_FILE = "session.json"
INDEX_FILE = "index.sqlite3"
_INDEX_VERSION = 3
_ID_TIME = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)")
"""The start time at the front of a session id (used for damaged sessions)."""


class SessionError(PracticeError):
    """A session is missing, damaged or cannot be saved."""


# The data ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionRef:
    """A question as it was asked in a session (a copy, so later bank edits do not change it)."""

    id: str
    text: str
    category: str | None = None
    answer_seconds: int | None = None
    talking_points: tuple[str, ...] = ()
    tips: str | None = None
    kind: Kind | None = None
    synonyms: tuple[tuple[str, ...], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "category": self.category,
            "answer_seconds": self.answer_seconds,
            "talking_points": list(self.talking_points),
            "tips": self.tips,
            "kind": self.kind,
            "synonyms": [list(words) for words in self.synonyms],
        }

    @property
    def brief(self) -> Brief:
        """What coaching needs to know about the question."""
        return Brief(self.kind, self.talking_points, self.synonyms)

    @classmethod
    def from_question(cls, question: Question) -> QuestionRef:
        return cls(
            question.id,
            question.text,
            question.category,
            question.answer_seconds,
            question.talking_points,
            question.tips,
            question.kind,
            question.synonyms,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuestionRef:
        seconds = data.get("answer_seconds")
        category = data.get("category")
        tips = data.get("tips")
        return cls(
            id=str(data["id"]),
            text=str(data["text"]),
            category=None if category is None else str(category),
            answer_seconds=None if seconds is None else int(seconds),
            talking_points=tuple(str(point) for point in data.get("talking_points", ())),
            tips=None if tips is None else str(tips),
            kind=next((kind for kind in KINDS if kind == data.get("kind")), None),
            synonyms=tuple(
                tuple(str(word) for word in words) for words in data.get("synonyms", ())
            ),
        )


@dataclass(frozen=True, slots=True)
class Attempt:
    """One answer to one question: recorded (with a report) or typed."""

    question: int
    """Index into :attr:`Session.questions`."""
    number: int
    """1, 2, ... per question."""
    recorded_at: str
    """ISO 8601 local time with offset."""
    audio: str | None
    """File name inside the session folder; None for typed answers or deleted audio."""
    report: AnswerReport | None
    typed_text: str | None = None
    latency_s: float | None = None
    """From the end of the question's speech to the first word."""
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "number": self.number,
            "recorded_at": self.recorded_at,
            "audio": self.audio,
            "typed_text": self.typed_text,
            "latency_s": None if self.latency_s is None else round(self.latency_s, 3),
            "error": self.error,
            "report": None if self.report is None else self.report.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attempt:
        from practice.analysis.feedback import AnswerReport  # numpy: not before the first frame

        report = data.get("report")
        latency = data.get("latency_s")
        audio, typed, error = data.get("audio"), data.get("typed_text"), data.get("error")
        return cls(
            question=int(data["question"]),
            number=int(data["number"]),
            recorded_at=str(data["recorded_at"]),
            audio=None if audio is None else _file_name(str(audio)),
            report=None if report is None else AnswerReport.from_json(report),
            typed_text=None if typed is None else str(typed),
            latency_s=None if latency is None else float(latency),
            error=None if error is None else str(error),
        )


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    """Sortable and unique: start time and bank id, e.g. ``2026-11-25T21-40-03-behavioural``."""
    bank_id: str
    bank_name: str
    started: str
    finished: str | None
    questions: tuple[QuestionRef, ...]
    attempts: tuple[Attempt, ...]
    app_version: str
    folder: Path = field(compare=False)

    # Derived views -------------------------------------------------------------------------

    def attempts_at(self, question: int) -> tuple[Attempt, ...]:
        """The attempts at one question, in order."""
        return tuple(a for a in self.attempts if a.question == question)

    def latest(self, question: int) -> Attempt | None:
        return max(self.attempts_at(question), key=lambda a: a.number, default=None)

    def next_number(self, question: int) -> int:
        latest = self.latest(question)
        return 1 if latest is None else latest.number + 1

    def latest_report(self, question: int) -> AnswerReport | None:
        """The report of the question's latest analysed attempt (the one the score counts)."""
        analysed = [a for a in self.attempts_at(question) if a.report is not None]
        return max(analysed, key=lambda a: a.number).report if analysed else None

    @property
    def latest_reports(self) -> tuple[AnswerReport, ...]:
        """The report of the latest analysed attempt per question (the ones the score counts)."""
        latest = (self.latest_report(question) for question in range(len(self.questions)))
        return tuple(report for report in latest if report is not None)

    @property
    def answers(self) -> int:
        """How many questions have at least one answer (recorded or typed)."""
        return len({a.question for a in self.attempts if a.error is None})

    @property
    def score(self) -> int | None:
        """The mean score of the latest analysed attempt per question; None with none.

        An answer with no score (no speech, or too short to judge) is left out, not counted 0."""
        scores = [r.score for r in self.latest_reports if r.score is not None]
        return round(sum(scores) / len(scores)) if scores else None

    @property
    def hedges_per_answer(self) -> float | None:
        """Hedges per coached answer (latest attempts); None with none coached."""
        coached = [r.coaching for r in self.latest_reports if r.coaching is not None]
        return sum(len(c.hedges) for c in coached) / len(coached) if coached else None

    @property
    def star_parts(self) -> float | None:
        """STAR parts present (0-4) per STAR answer (latest attempts); None with none."""
        found = [
            4 - len(r.coaching.structure.missing)
            for r in self.latest_reports
            if r.coaching is not None and r.coaching.structure is not None
        ]
        return sum(found) / len(found) if found else None

    @property
    def wpm(self) -> float | None:
        """Words a minute over all the speech of the latest attempts (fillers excluded)."""
        spoken = [r for r in self.latest_reports if not r.no_speech]
        minutes = sum(r.pace.span_s for r in spoken) / 60
        return sum(r.pace.words for r in spoken) / minutes if minutes > 0 else None

    @property
    def fillers_per_minute(self) -> float | None:
        spoken = [r for r in self.latest_reports if not r.no_speech]
        minutes = sum(r.speaking_seconds for r in spoken) / 60
        return sum(len(r.counted_fillers) for r in spoken) / minutes if minutes > 0 else None

    # JSON ------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "app_version": self.app_version,
            "id": self.id,
            "bank": {"id": self.bank_id, "name": self.bank_name},
            "started": self.started,
            "finished": self.finished,
            "questions": [question.to_json() for question in self.questions],
            "attempts": [attempt.to_json() for attempt in self.attempts],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], folder: Path) -> Session:
        schema = data["schema"]
        if schema != SCHEMA_VERSION:
            raise ValueError(f"schema version {schema}; this practice reads {SCHEMA_VERSION}")
        finished = data.get("finished")
        session = cls(
            id=str(data["id"]),
            bank_id=str(data["bank"]["id"]),
            bank_name=str(data["bank"]["name"]),
            started=str(data["started"]),
            finished=None if finished is None else str(finished),
            questions=tuple(QuestionRef.from_json(q) for q in data["questions"]),
            attempts=tuple(Attempt.from_json(a) for a in data["attempts"]),
            app_version=str(data["app_version"]),
            folder=folder,
        )
        for attempt in session.attempts:
            if not 0 <= attempt.question < len(session.questions):
                raise ValueError(f"an attempt names question {attempt.question}, which is absent")
        return session


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One row of history, read from the index."""

    id: str
    bank_id: str
    bank_name: str
    started: str
    answers: int
    score: int | None
    wpm: float | None
    fillers_per_minute: float | None
    damaged: str | None
    """Why the session cannot be read; None when it is fine."""
    hedges_per_answer: float | None = None
    star_parts: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "bank": self.bank_id,
            "bank_name": self.bank_name,
            "started": self.started,
            "answers": self.answers,
            "score": self.score,
            "wpm": None if self.wpm is None else round(self.wpm, 1),
            "fillers_per_minute": None
            if self.fillers_per_minute is None
            else round(self.fillers_per_minute, 2),
            "damaged": self.damaged,
            "hedges_per_answer": _rounded(self.hedges_per_answer, 2),
            "star_parts": _rounded(self.star_parts, 2),
        }


# The store -----------------------------------------------------------------------------------


MAX_SESSION_BYTES = 32 * 1024 * 1024
"""A ``session.json`` larger than this is damaged (an hour-long answer's report is about 1 MB)."""
_APPLICATION_ID = 0x50524143
"""``PRAGMA application_id`` of practice's index ("PRAC"): a database without it is not ours."""
_COLUMNS = (
    "id",
    "mtime_ns",
    "size",
    "bank_id",
    "bank_name",
    "started",
    "answers",
    "score",
    "wpm",
    "fpm",
    "damaged",
    "hedges",
    "star",
)
_LOCK_WAIT_S = 2.0
"""How long to wait for an index another process holds before listing from the folders."""
_CORRUPT = {11, 26}
"""SQLITE_CORRUPT and SQLITE_NOTADB: the only errors that make practice delete its index."""
_DELETING = ".deleting-"
_STAGING = ".new-"

_Result = TypeVar("_Result")
_Method = TypeVar("_Method", bound=Callable[..., Any])


def _locked(method: _Method) -> _Method:
    """Run the method under the workspace lock: held between the threads of the TUI and between
    processes (two ``practice import`` runs), around every read-modify-write of a session."""

    @functools.wraps(method)
    def locked(self: SessionStore, *args: Any, **kwargs: Any) -> Any:
        with self._guard():
            return method(self, *args, **kwargs)

    return locked  # type: ignore[return-value]


class _NoIndex(Exception):
    """The index on disk cannot be used (a link, foreign, locked, read-only, full)."""


class SessionStore:
    """Sessions under one recordings folder; safe to use from several threads and processes.

    Every change re-reads the session from disk under the workspace lock (``recordings/.lock``)
    and writes it back before the lock is released, so concurrent writers never lose an answer.
    The index is only a cache: when it cannot be used the folders are read directly, and
    :attr:`notes` says why.
    """

    def __init__(self, recordings_dir: Path, *, keep_audio: bool = True) -> None:
        self.root = Path(recordings_dir)
        self.keep_audio = keep_audio
        """False: delete each WAV once its report is saved (the transcript stays)."""
        self._lock = FolderLock(self.root)
        self.notes: list[str] = []
        """Problems worth a line to the user, found while reading (each said once)."""

    @property
    def index_path(self) -> Path:
        return self.root / INDEX_FILE

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            with self._lock.held():
                yield
        except TimeoutError as error:
            raise SessionError(str(error)) from None

    def _note(self, line: str) -> None:
        if line not in self.notes:
            self.notes.append(line)

    # Writing ---------------------------------------------------------------------------------

    def create(self, bank_id: str, bank_name: str, questions: Sequence[QuestionRef]) -> Session:
        """Start a new session on a bank and save it."""
        try:
            make_private_folder(self.root)
        except OSError as error:
            raise SessionError(f"cannot create a session in {self.root}: {_why(error)}") from None
        with self._guard():
            return self._create(bank_id, bank_name, questions)

    def _create(self, bank_id: str, bank_name: str, questions: Sequence[QuestionRef]) -> Session:
        now = _now()
        stem = f"{now.strftime('%Y-%m-%dT%H-%M-%S')}-{_slug(bank_id)}"
        session_id, suffix = stem, 1
        while (self.root / session_id).exists() or (self.root / session_id).is_symlink():
            suffix += 1
            session_id = f"{stem}-{suffix}"
        staging = self.root / f"{_STAGING}{session_id}-{os.getpid()}"
        session = Session(
            id=session_id,
            bank_id=bank_id,
            bank_name=bank_name,
            started=now.isoformat(timespec="seconds"),
            finished=None,
            questions=tuple(questions),
            attempts=(),
            app_version=__version__,
            folder=self.root / session_id,
        )
        try:
            _remove(staging)  # left by a create that crashed (under the lock, none is live)
            staging.mkdir(mode=PRIVATE_FOLDER_MODE)
            write_atomic(staging / SESSION_FILE, _encode(session))
            staging.rename(session.folder)
            fsync_folder(self.root)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise SessionError(f"cannot create a session in {self.root}: {_why(error)}") from None
        self._index_quietly(session)
        return session

    @_locked
    def audio_path(self, session: Session, question: int, number: int) -> Path:
        """Where the recorder writes an attempt's WAV. The session must still be on disk: a
        session deleted meanwhile is never brought back."""
        self._current(session.id)
        return session.folder / f"q{question + 1:02d}-a{number}.wav"

    @_locked
    def insert_question(self, session: Session, at: int, ref: QuestionRef) -> Session:
        """Save ``ref`` as the session's question number ``at + 1`` (a follow-up asked next),
        into the session as it is on disk now; the questions after it move along one place, so
        none of them may have an answer yet."""
        current = self._current(session.id)
        if any(attempt.question >= at for attempt in current.attempts):
            raise SessionError(
                f"session {current.id} has answers after question {at}: "
                "a question cannot be inserted before them"
            )
        questions = current.questions
        updated = replace(current, questions=(*questions[:at], ref, *questions[at:]))
        self._save(updated)
        return updated

    @_locked
    def add_attempt(self, session: Session, attempt: Attempt) -> Session:
        """Save an attempt (replacing one with the same question and number) into the session
        as it is on disk now (another process may have added answers meanwhile)."""
        current = self._current(session.id)
        if not 0 <= attempt.question < len(current.questions):
            raise SessionError(
                f"session {current.id} has no question {attempt.question + 1} "
                f"(it has {len(current.questions)})"
            )
        audio = None if attempt.audio is None else current.folder / _file_name(attempt.audio)
        if audio is not None:
            _make_private(audio)
        clash = next((a for a in current.attempts if _key(a) == _key(attempt)), None)
        if clash is not None and clash.audio is not None and clash.audio != attempt.audio:
            # another writer saved this number meanwhile (a CLI import while the TUI records):
            # both answers are kept, this one under the next free number
            attempt = replace(attempt, number=current.next_number(attempt.question))
        delete_audio = audio is not None and not self.keep_audio and attempt.report is not None
        if delete_audio:
            attempt = replace(attempt, audio=None)
        updated = _with_attempt(current, attempt)
        self._save(updated)
        if delete_audio and audio is not None:
            audio.unlink(missing_ok=True)
        return updated

    @_locked
    def add_recording(
        self,
        session_id: str,
        question: int,
        source: Path,
        make_attempt: Callable[[int, str], Attempt],
    ) -> tuple[Session, Attempt]:
        """Copy the recording ``source`` into the session as the question's next attempt and
        save it; ``make_attempt(number, file_name)`` builds the attempt. The number is taken
        under the lock, so two imports at once get two numbers; on any failure nothing is left.
        """
        current = self._current(session_id)
        number = current.next_number(question)
        suffix = source.suffix.lower() if re.fullmatch(r"\.\w{1,8}", source.suffix) else ".audio"
        while any(current.folder.glob(f"q{question + 1:02d}-a{number}.*")):
            number += 1  # a file no attempt names yet (e.g. a recording in progress)
        target = current.folder / f"q{question + 1:02d}-a{number}{suffix}"
        try:
            copy_private(source, target)
        except OSError as error:
            raise SessionError(f"cannot copy {source} to {target}: {_why(error)}") from None
        try:
            attempt = make_attempt(number, target.name)
            updated = self.add_attempt(current, attempt)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        stored = next(
            a for a in updated.attempts if a.audio == target.name or _key(a) == (question, number)
        )
        return updated, stored

    @_locked
    def finish(self, session: Session) -> Session:
        updated = replace(self._current(session.id), finished=_now().isoformat(timespec="seconds"))
        self._save(updated)
        return updated

    @_locked
    def delete(self, session_id: str) -> None:
        """Remove a session's folder (audio included) and its index row. A delete that fails
        halfway says where the rest is; :meth:`tidy` finishes it on the next run."""
        self._check_root()
        folder = self.root / self.find(session_id)
        doomed = self.root / f"{_DELETING}{folder.name}"
        try:
            folder.rename(doomed)
            fsync_folder(self.root)
        except OSError as error:
            raise SessionError(f"cannot delete session {folder.name}: {_why(error)}") from None
        with contextlib.suppress(sqlite3.Error, OSError, _NoIndex), self._disk_index() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (folder.name,))
        try:
            _remove(doomed)
        except OSError as error:
            raise SessionError(
                f"session {folder.name} is deleted from history, but some of its files could "
                f"not be removed ({_why(error)}); they are in {doomed}, and practice tries again "
                "on its next run"
            ) from None

    def tidy(self) -> list[str]:
        """Finish deletes that a crash or an error left halfway, and remove the staging folders
        of sessions whose creation was interrupted; returns a line for each that fails."""
        if self.root.is_symlink() or not any(self._leftovers()):
            return []
        problems = []
        with self._guard():
            for entry in self._leftovers():
                try:
                    _remove(Path(entry.path))
                except OSError as error:
                    name = entry.name.removeprefix(_DELETING)
                    problems.append(
                        f"could not finish deleting session {name} ({_why(error)}): its files "
                        f"are still in {entry.path}"
                    )
        return problems

    def _leftovers(self) -> Iterator[os.DirEntry[str]]:
        try:
            with os.scandir(self.root) as entries:
                yield from (e for e in entries if e.name.startswith((_DELETING, _STAGING)))
        except OSError:
            return

    def _current(self, session_id: str) -> Session:
        """The session as it is on disk now (under the lock); gone or damaged is an error."""
        self._check_root()
        folder = self.root / session_id
        if not _is_folder(folder) or not _is_regular(folder / SESSION_FILE):
            raise SessionError(f"session {session_id} is gone from {self.root}")
        return _read_session(folder)

    def _check_root(self) -> None:
        """Nothing is written through a recordings folder that is a symbolic link."""
        if self.root.is_symlink():
            raise SessionError(
                f"{self.root} is a symbolic link; practice does not write through it"
            )

    def _save(self, session: Session) -> None:
        if not _is_regular(session.folder / SESSION_FILE):
            raise SessionError(f"session {session.id} is gone from {self.root}")
        try:
            write_atomic(session.folder / SESSION_FILE, _encode(session))
        except OSError as error:
            raise SessionError(f"cannot save session {session.id}: {_why(error)}") from None
        self._index_quietly(session)

    # Reading ---------------------------------------------------------------------------------

    def load(self, session_id: str) -> Session:
        """A session by id or unique id prefix (SessionError when missing or damaged)."""
        return _read_session(self.root / self.find(session_id))

    def history(self) -> list[SessionSummary]:
        """Every session, newest first; damaged ones too, with the reason."""
        rows = self._query(
            lambda db: db.execute(
                "SELECT id, bank_id, bank_name, started, answers, score, wpm, fpm, damaged, "
                "hedges, star FROM sessions ORDER BY id DESC"
            ).fetchall()
        )
        return [SessionSummary(*row) for row in rows]

    def previous_score(self, bank_id: str, before: str) -> int | None:
        """The score of the latest scored session on a bank started before ``before``.

        ``before`` is a session id (e.g. the current session's) or its ``started`` time.
        """

        def query(db: sqlite3.Connection) -> Any:
            row = db.execute("SELECT started FROM sessions WHERE id = ?", (before,)).fetchone()
            started = before if row is None else row[0]
            return db.execute(
                "SELECT score FROM sessions WHERE bank_id = ? AND started < ? AND damaged IS NULL "
                "AND score IS NOT NULL ORDER BY started DESC LIMIT 1",
                (bank_id, started),
            ).fetchone()

        found = self._query(query)
        return None if found is None else int(found[0])

    def _folders(self) -> Iterator[os.DirEntry[str]]:
        try:
            with os.scandir(self.root) as entries:
                for entry in entries:
                    # not hidden, not a link, and a name practice could have made
                    if (
                        not entry.name.startswith(".")
                        and entry.name != INDEX_FILE
                        and entry.is_dir(follow_symlinks=False)
                        and printable_line(entry.name) == entry.name
                    ):
                        yield entry
        except (FileNotFoundError, NotADirectoryError):
            return

    def find(self, session_id: str) -> str:
        """The full id of a session given its id or a unique prefix (damaged ones too)."""
        if session_id and "/" not in session_id and not session_id.startswith((".", INDEX_FILE)):
            if _is_folder(self.root / session_id):
                return session_id
            matches = sorted(e.name for e in self._folders() if e.name.startswith(session_id))
        else:
            matches = []
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise SessionError(f"no session '{session_id}' in {self.root}")
        shown = ", ".join(matches[:3]) + (", ..." if len(matches) > 3 else "")
        raise SessionError(f"'{session_id}' matches {len(matches)} sessions: {shown}")

    # The index -------------------------------------------------------------------------------

    def _query(self, work: Callable[[sqlite3.Connection], _Result]) -> _Result:
        """``work`` on the index brought up to date. A corrupt index is deleted and rebuilt once;
        one that cannot be used (locked by another process, read-only, full, not practice's) is
        left alone and the folders are read into an index in memory instead."""
        for attempt in (1, 2):
            if self.root.is_symlink():
                self._note(f"{self.root} is a symbolic link: its index is not kept")
                break
            try:
                with self._disk_index() as db:
                    self._refresh(db)
                    return work(db)
            except _NoIndex as error:
                self._note(f"{error}; history is read from the session folders")
                break
            except sqlite3.DatabaseError as error:
                if _code(error) in _CORRUPT and attempt == 1:
                    with contextlib.suppress(OSError):
                        self.index_path.unlink()
                    continue
                self._note(
                    f"the index {self.index_path} cannot be used ({error}); "
                    "history is read from the session folders"
                )
                break
        db = sqlite3.connect(":memory:")
        try:
            _create_table(db)
            self._refresh(db)
            return work(db)
        finally:
            db.close()

    @contextlib.contextmanager
    def _disk_index(self) -> Iterator[sqlite3.Connection]:
        """The index file, opened and checked (a new one when absent); :class:`_NoIndex` when it
        is a link or another program's database, or cannot be opened."""
        db = _open_index(self.index_path)
        try:
            with db:
                yield db
        except sqlite3.OperationalError as error:
            if _code(error) in _CORRUPT:
                raise
            raise _NoIndex(f"the index {self.index_path} cannot be used ({error})") from None
        finally:
            db.close()

    def _index_quietly(self, session: Session) -> None:
        """Update the session's row; on failure the next history() rebuilds it."""
        with contextlib.suppress(sqlite3.Error, OSError, _NoIndex), self._disk_index() as db:
            path = session.folder / SESSION_FILE
            _put_row(db, path, _seen(path), session, None)

    def _refresh(self, db: sqlite3.Connection) -> None:
        """Bring the index in line with the folders: re-read what changed, drop what is gone."""
        known = {
            row[0]: (row[1], row[2])
            for row in db.execute("SELECT id, mtime_ns, size FROM sessions")
        }
        for entry in self._folders():
            path = Path(entry.path) / SESSION_FILE
            seen = _seen(path)
            if known.pop(entry.name, None) == seen:
                continue
            try:
                _put_row(db, path, seen, _read_session(Path(entry.path)), None)
            except DamagedSession as error:
                _put_row(db, path, seen, None, error.reason)
        db.executemany("DELETE FROM sessions WHERE id = ?", [(gone,) for gone in known])


def _open_index(path: Path) -> sqlite3.Connection:
    """Open practice's index at ``path``, creating it (0600) when absent and remaking its table
    when it is of another version. Never follows a link and never changes a database that
    practice did not make: those raise :class:`_NoIndex`."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise _NoIndex(f"the index {path} cannot be read ({_why(error)})") from None
    if info is None:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        except FileExistsError:
            pass  # another process made it just now
        except OSError as error:
            raise _NoIndex(f"the index {path} cannot be made ({_why(error)})") from None
        info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        what = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a plain file"
        raise _NoIndex(f"the index {path} is {what}; practice leaves it alone")
    db = sqlite3.connect(path, timeout=_LOCK_WAIT_S)
    try:
        application = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        ours = application == _APPLICATION_ID or (
            application == 0 and (not tables or (tables == {"sessions"} and version == 1))
        )
        if not ours:
            raise _NoIndex(f"{path} is not practice's index; practice leaves it alone")
        columns = tuple(row[1] for row in db.execute("PRAGMA table_info(sessions)"))
        if version != _INDEX_VERSION or columns != _COLUMNS or application != _APPLICATION_ID:
            db.execute("DROP TABLE IF EXISTS sessions")
            _create_table(db)
            db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {_INDEX_VERSION}")
            db.commit()
    except BaseException as error:
        db.close()
        if isinstance(error, sqlite3.OperationalError) and _code(error) not in _CORRUPT:
            raise _NoIndex(f"the index {path} cannot be used ({error})") from None
        raise
    return db


def _create_table(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE sessions (id TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, "
        "bank_id TEXT, bank_name TEXT, started TEXT, answers INTEGER, score INTEGER, "
        "wpm REAL, fpm REAL, damaged TEXT, hedges REAL, star REAL)"
    )


def _code(error: sqlite3.Error) -> int:
    """The primary SQLite result code of an error (0 when unknown)."""
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def _seen(path: Path) -> tuple[int, int]:
    """The file's modification time and size, which the index keeps to notice a change;
    ``(0, -1)`` when it cannot be read."""
    try:
        stat_ = os.lstat(path)
    except OSError:
        return (0, -1)
    return (stat_.st_mtime_ns, stat_.st_size)


def _put_row(
    db: sqlite3.Connection,
    path: Path,
    seen: tuple[int, int],
    session: Session | None,
    damaged: str | None,
) -> None:
    """The session's index row; ``seen`` is the file's :func:`_seen` from before it was read
    (a change after that makes the next refresh read it again)."""
    name = path.parent.name
    values: tuple[object, ...]
    if session is None:
        stamp = _ID_TIME.match(name)
        started = "" if stamp is None else "{}T{}:{}:{}".format(*stamp.groups())
        values = (name, *seen, "", "", started, 0, None, None, None, damaged, None, None)
    else:
        values = (
            name,
            *seen,
            session.bank_id,
            session.bank_name,
            session.started,
            session.answers,
            session.score,
            session.wpm,
            session.fillers_per_minute,
            None,
            session.hedges_per_answer,
            session.star_parts,
        )
    marks = ", ".join("?" * len(values))
    db.execute(f"INSERT OR REPLACE INTO sessions VALUES ({marks})", values)


def _key(attempt: Attempt) -> tuple[int, int]:
    return (attempt.question, attempt.number)


def _with_attempt(session: Session, attempt: Attempt) -> Session:
    kept = tuple(a for a in session.attempts if _key(a) != _key(attempt))
    return replace(session, attempts=(*kept, attempt))


# Files ---------------------------------------------------------------------------------------


class DamagedSession(SessionError):
    """A session folder whose ``session.json`` is missing or cannot be read."""

    def __init__(self, folder: Path, reason: str) -> None:
        super().__init__(f"session {folder.name} is damaged: {reason}")
        self.reason = reason


def _read_session(folder: Path) -> Session:
    """A session folder's ``session.json``, read without following a link or blocking on a pipe,
    at most :data:`MAX_SESSION_BYTES`; anything wrong is :class:`DamagedSession`."""
    path = folder / SESSION_FILE
    try:
        raw = read_regular(path, MAX_SESSION_BYTES)
    except FileNotFoundError:
        raise DamagedSession(folder, f"no {SESSION_FILE}") from None
    except UnsafeFile as error:
        raise DamagedSession(folder, f"{SESSION_FILE} {error.reason}") from None
    except OSError as error:
        raise DamagedSession(folder, f"cannot read {SESSION_FILE}: {_why(error)}") from None
    try:
        data = clean_json(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise DamagedSession(folder, f"cannot read {SESSION_FILE}: {error}") from None
    except json.JSONDecodeError as error:
        reason = f"{SESSION_FILE} is not valid JSON ({error.msg}, line {error.lineno})"
        raise DamagedSession(folder, reason) from None
    except (RecursionError, MemoryError):
        raise DamagedSession(folder, f"{SESSION_FILE} is nested too deeply to read") from None
    try:
        if not isinstance(data, dict):
            raise TypeError("it is not a JSON object")
        return Session.from_json(data, folder)
    except KeyError as error:
        raise DamagedSession(folder, f"{SESSION_FILE} lacks the field {error}") from None
    except (TypeError, ValueError, AttributeError, OverflowError, RecursionError) as error:
        raise DamagedSession(folder, f"{SESSION_FILE} is malformed: {error}") from None


def _is_folder(path: Path) -> bool:
    """A real folder (not a link to one)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_regular(path: Path) -> bool:
    """A regular file (not a link to one)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _make_private(path: Path) -> None:
    """Make an attempt's audio file 0600 (a link is left alone: it is not followed)."""
    with contextlib.suppress(OSError):
        fd = open_regular(path)
        try:
            os.fchmod(fd, PRIVATE_FILE_MODE)
        finally:
            os.close(fd)


def _remove(path: Path) -> None:
    """Remove a folder and everything in it, or a file or a link (never what a link points at)."""
    if _is_folder(path):
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _why(error: OSError) -> str:
    return error.strerror or str(error)


def _encode(session: Session) -> bytes:
    return json.dumps(session.to_json(), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _file_name(name: str) -> str:
    """An audio file name from session.json, refused when it points outside the folder."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"audio file name {name!r} is not a plain file name")
    return name


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "-", text).strip("-").lower()[:40] or "session"


def when(stamp: str) -> str:
    """A stored time stamp as people read it: ``2026-11-25T21:40:03+00:00`` →
    ``2026-11-25 21:40``."""
    return stamp[:16].replace("T", " ")


def _now() -> datetime:
    return datetime.now().astimezone()


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)

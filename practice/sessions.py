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
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from practice import __version__
from practice.errors import PracticeError
from practice.files import PRIVATE_FILE_MODE, fsync_folder, make_private_folder, write_atomic

if TYPE_CHECKING:
    from practice.analysis.feedback import AnswerReport
    from practice.banks import Question

SCHEMA_VERSION = 1
"""The version of ``session.json`` this module writes and reads."""
SESSION_FILE = "session.json"
INDEX_FILE = "index.sqlite3"
_INDEX_VERSION = 1
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

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "category": self.category,
            "answer_seconds": self.answer_seconds,
            "talking_points": list(self.talking_points),
        }

    @classmethod
    def from_question(cls, question: Question) -> QuestionRef:
        return cls(
            question.id,
            question.text,
            question.category,
            question.answer_seconds,
            question.talking_points,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuestionRef:
        seconds = data.get("answer_seconds")
        category = data.get("category")
        return cls(
            id=str(data["id"]),
            text=str(data["text"]),
            category=None if category is None else str(category),
            answer_seconds=None if seconds is None else int(seconds),
            talking_points=tuple(str(point) for point in data.get("talking_points", ())),
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
        """The mean score of the latest analysed attempt per question; None with none."""
        reports = self.latest_reports
        return round(sum(r.score for r in reports) / len(reports)) if reports else None

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
        }


# The store -----------------------------------------------------------------------------------


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _locked(method: _Method) -> _Method:
    """Run the method under the store's lock: the TUI calls the store from several workers, and
    the index is opened (and rebuilt when needed) on each call."""

    @functools.wraps(method)
    def locked(self: SessionStore, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return locked  # type: ignore[return-value]


class SessionStore:
    """Sessions under one recordings folder; safe to use from several threads."""

    def __init__(self, recordings_dir: Path, *, keep_audio: bool = True) -> None:
        self.root = Path(recordings_dir)
        self.keep_audio = keep_audio
        """False: delete each WAV once its report is saved (the transcript stays)."""
        self._lock = threading.RLock()

    @property
    def index_path(self) -> Path:
        return self.root / INDEX_FILE

    # Writing ---------------------------------------------------------------------------------

    @_locked
    def create(self, bank_id: str, bank_name: str, questions: Sequence[QuestionRef]) -> Session:
        """Start a new session on a bank and save it."""
        make_private_folder(self.root)
        now = _now()
        stem = f"{now.strftime('%Y-%m-%dT%H-%M-%S')}-{_slug(bank_id)}"
        session_id, suffix = stem, 1
        while (self.root / session_id).exists():
            suffix += 1
            session_id = f"{stem}-{suffix}"
        staging = self.root / f".new-{session_id}-{os.getpid()}"
        make_private_folder(staging)
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
            write_atomic(staging / SESSION_FILE, _encode(session))
            staging.rename(session.folder)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise SessionError(f"cannot create a session in {self.root}: {error}") from error
        fsync_folder(self.root)
        self._index_quietly(session)
        return session

    @_locked
    def audio_path(self, session: Session, question: int, number: int) -> Path:
        """Where the recorder writes an attempt's WAV (the folder exists, 0700)."""
        make_private_folder(session.folder)
        return session.folder / f"q{question + 1:02d}-a{number}.wav"

    @_locked
    def add_attempt(self, session: Session, attempt: Attempt) -> Session:
        """Save an attempt (replacing one with the same question and number)."""
        if not 0 <= attempt.question < len(session.questions):
            raise SessionError(
                f"session {session.id} has no question {attempt.question + 1} "
                f"(it has {len(session.questions)})"
            )
        audio = None if attempt.audio is None else session.folder / _file_name(attempt.audio)
        if audio is not None and audio.exists():
            audio.chmod(PRIVATE_FILE_MODE)
        delete_audio = audio is not None and not self.keep_audio and attempt.report is not None
        if delete_audio:
            attempt = replace(attempt, audio=None)
        kept = tuple(
            a
            for a in session.attempts
            if (a.question, a.number) != (attempt.question, attempt.number)
        )
        updated = replace(session, attempts=(*kept, attempt))
        self._save(updated)
        if delete_audio and audio is not None:
            audio.unlink(missing_ok=True)
        return updated

    @_locked
    def finish(self, session: Session) -> Session:
        updated = replace(session, finished=_now().isoformat(timespec="seconds"))
        self._save(updated)
        return updated

    @_locked
    def delete(self, session_id: str) -> None:
        """Remove a session's folder (audio included) and its index row."""
        folder = self.root / self.find(session_id)
        doomed = self.root / f".deleting-{folder.name}"
        try:
            folder.rename(doomed)
            fsync_folder(self.root)
            shutil.rmtree(doomed)
        except OSError as error:
            raise SessionError(f"cannot delete session {folder.name}: {error}") from error
        with contextlib.suppress(sqlite3.Error), self._index() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (folder.name,))

    def _save(self, session: Session) -> None:
        if not (session.folder / SESSION_FILE).is_file():
            raise SessionError(f"session {session.id} is gone from {self.root}")
        try:
            write_atomic(session.folder / SESSION_FILE, _encode(session))
        except OSError as error:
            raise SessionError(f"cannot save session {session.id}: {error}") from error
        self._index_quietly(session)

    # Reading ---------------------------------------------------------------------------------

    @_locked
    def load(self, session_id: str) -> Session:
        """A session by id or unique id prefix (SessionError when missing or damaged)."""
        return _read_session(self.root / self.find(session_id))

    @_locked
    def history(self) -> list[SessionSummary]:
        """Every session, newest first; damaged ones too, with the reason."""
        with self._index() as db:
            self._refresh(db)
            rows = db.execute(
                "SELECT id, bank_id, bank_name, started, answers, score, wpm, fpm, damaged "
                "FROM sessions ORDER BY id DESC"
            ).fetchall()
        return [SessionSummary(*row) for row in rows]

    @_locked
    def previous_score(self, bank_id: str, before: str) -> int | None:
        """The score of the latest scored session on a bank started before ``before``.

        ``before`` is a session id (e.g. the current session's) or its ``started`` time.
        """
        with self._index() as db:
            self._refresh(db)
            row = db.execute("SELECT started FROM sessions WHERE id = ?", (before,)).fetchone()
            started = before if row is None else row[0]
            found = db.execute(
                "SELECT score FROM sessions WHERE bank_id = ? AND started < ? AND damaged IS NULL "
                "AND score IS NOT NULL ORDER BY started DESC LIMIT 1",
                (bank_id, started),
            ).fetchone()
        return None if found is None else int(found[0])

    def _folders(self) -> Iterator[os.DirEntry[str]]:
        if not self.root.is_dir():
            return
        with os.scandir(self.root) as entries:
            for entry in entries:
                if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                    yield entry

    @_locked
    def find(self, session_id: str) -> str:
        """The full id of a session given its id or a unique prefix (damaged ones too)."""
        if session_id and "/" not in session_id and not session_id.startswith("."):
            if (self.root / session_id).is_dir():
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

    @contextlib.contextmanager
    def _index(self) -> Iterator[sqlite3.Connection]:
        """The index, opened (and made anew when corrupt or of another version)."""
        make_private_folder(self.root)
        try:
            db = _open_index(self.index_path)
        except sqlite3.DatabaseError:
            self.index_path.unlink(missing_ok=True)
            db = _open_index(self.index_path)
        try:
            with db:
                yield db
        finally:
            db.close()

    def _index_quietly(self, session: Session) -> None:
        """Update the session's row; on failure the next history() rebuilds it."""
        with contextlib.suppress(sqlite3.Error, OSError), self._index() as db:
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
    existed = path.exists()
    db = sqlite3.connect(path)
    try:
        if not existed:
            path.chmod(PRIVATE_FILE_MODE)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != _INDEX_VERSION:
            db.execute("DROP TABLE IF EXISTS sessions")
            db.execute(
                "CREATE TABLE sessions (id TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, "
                "bank_id TEXT, bank_name TEXT, started TEXT, answers INTEGER, score INTEGER, "
                "wpm REAL, fpm REAL, damaged TEXT)"
            )
            db.execute(f"PRAGMA user_version = {_INDEX_VERSION}")
            db.commit()
        db.execute("SELECT count(*) FROM sessions").fetchone()
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _seen(path: Path) -> tuple[int, int]:
    """The file's modification time and size, which the index keeps to notice a change;
    ``(0, -1)`` when it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return (0, -1)
    return (stat.st_mtime_ns, stat.st_size)


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
        values = (name, *seen, "", "", started, 0, None, None, None, damaged)
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
        )
    db.execute("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)


# Files ---------------------------------------------------------------------------------------


class DamagedSession(SessionError):
    """A session folder whose ``session.json`` is missing or cannot be read."""

    def __init__(self, folder: Path, reason: str) -> None:
        super().__init__(f"session {folder.name} is damaged: {reason}")
        self.reason = reason


def _read_session(folder: Path) -> Session:
    path = folder / SESSION_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DamagedSession(folder, f"no {SESSION_FILE}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DamagedSession(folder, f"cannot read {SESSION_FILE}: {error}") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        reason = f"{SESSION_FILE} is not valid JSON ({error.msg}, line {error.lineno})"
        raise DamagedSession(folder, reason) from error
    try:
        if not isinstance(data, dict):
            raise TypeError("it is not a JSON object")
        return Session.from_json(data, folder)
    except KeyError as error:
        raise DamagedSession(folder, f"{SESSION_FILE} lacks the field {error}") from error
    except (TypeError, ValueError, AttributeError) as error:
        raise DamagedSession(folder, f"{SESSION_FILE} is malformed: {error}") from error


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

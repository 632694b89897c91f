"""Where practice sessions are kept: one folder per session, and an SQLite index for history.
What a session holds (its questions, attempts and reports) is :mod:`practice.records`.

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
import math
import os
import re
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from practice import __version__
from practice.errors import PracticeError
from practice.files import (
    PRIVATE_FILE_MODE,
    PRIVATE_FOLDER_MODE,
    FolderLock,
    UnsafeFile,
    copy_private,
    fsync_folder,
    is_folder,
    is_regular,
    make_private_folder,
    open_regular,
    read_regular,
    reason,
    remove,
    write_atomic,
)
from practice.records import Attempt, QuestionRef, Session, SessionSummary, audio_file_name
from practice.text import clean_json, printable_line

if TYPE_CHECKING:
    from practice.analysis.scoring import AnswerReport

SESSION_FILE = "session.json"
INDEX_FILE = "index.sqlite3"
_INDEX_VERSION = 4
_ID_TIME = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)")
"""The start time at the front of a session id (used for damaged sessions)."""


class SessionError(PracticeError):
    """A session is missing, damaged or cannot be saved."""


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
    "pitch",
)
_LOCK_WAIT_S = 2.0
"""How long to wait for an index another process holds before listing from the folders."""
_CORRUPT = {11, 26}
"""SQLITE_CORRUPT and SQLITE_NOTADB: the only errors that make practice delete its index."""
_DELETING = ".deleting-"
_STAGING = ".new-"

_Result = TypeVar("_Result")
_Args = ParamSpec("_Args")


def _locked(
    method: Callable[Concatenate[SessionStore, _Args], _Result],
) -> Callable[Concatenate[SessionStore, _Args], _Result]:
    """Run the method under the workspace lock: held between the threads of the TUI and between
    processes (two ``practice import`` runs), around every read-modify-write of a session."""

    @functools.wraps(method)
    def locked(self: SessionStore, /, *args: _Args.args, **kwargs: _Args.kwargs) -> _Result:
        with self._guard():
            return method(self, *args, **kwargs)

    return locked


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
            raise SessionError(f"cannot create a session in {self.root}: {reason(error)}") from None
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
            remove(staging)  # left by a create that crashed (under the lock, none is live)
            staging.mkdir(mode=PRIVATE_FOLDER_MODE)
            write_atomic(staging / SESSION_FILE, _encode(session))
            staging.rename(session.folder)
            fsync_folder(self.root)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise SessionError(f"cannot create a session in {self.root}: {reason(error)}") from None
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
        audio = None if attempt.audio is None else current.folder / audio_file_name(attempt.audio)
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
        *,
        label: str = "",
    ) -> tuple[Session, Attempt]:
        """Copy the recording ``source`` into the session as the question's next attempt and
        save it; ``make_attempt(number, file_name)`` builds the attempt. The number is taken
        under the lock, so two imports at once get two numbers; on any failure nothing is left.
        """
        current = self._current(session_id)
        number = current.next_number(question)
        suffix = source.suffix.lower() if re.fullmatch(r"\.\w{1,8}", source.suffix) else ".audio"
        while any(current.folder.glob(f"q{question + 1:02d}-a{number}[.-]*")):
            number += 1  # a file no attempt names yet (e.g. a recording in progress)
        target = current.folder / f"q{question + 1:02d}-a{number}{label}{suffix}"
        try:
            copy_private(source, target)
        except OSError as error:
            raise SessionError(f"cannot copy {source} to {target}: {reason(error)}") from None
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

    def import_answer(
        self,
        session_id: str,
        question: int,
        source: Path,
        analyse: Callable[[Path], AnswerReport | None],
        *,
        recorded_at: str | None = None,
        label: str = "",
    ) -> tuple[Session, Attempt]:
        """Import the recording ``source`` as the question's next attempt: ``analyse`` it (None:
        no speech model, the audio is kept unanalysed), then copy it into the session with
        :meth:`add_recording` and save it. The analysis runs before the copy and outside the lock
        (it is slow), so a failed or cancelled one leaves nothing behind. ``label`` goes into the
        copy's name after the attempt's (``q01-a2-imported.wav``). ``recorded_at`` defaults to
        the file's modification time."""
        report = analyse(source)
        if recorded_at is None:
            when = datetime.fromtimestamp(source.stat().st_mtime).astimezone()
            recorded_at = when.isoformat(timespec="seconds")

        def attempt(number: int, name: str) -> Attempt:
            analysed = None if report is None else replace(report, file=name)
            return Attempt(question, number, recorded_at, name, analysed)

        return self.add_recording(session_id, question, source, attempt, label=label)

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
            raise SessionError(f"cannot delete session {folder.name}: {reason(error)}") from None
        with contextlib.suppress(sqlite3.Error, OSError, _NoIndex), self._disk_index() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (folder.name,))
        try:
            remove(doomed)
        except OSError as error:
            raise SessionError(
                f"session {folder.name} is deleted from history, but some of its files could "
                f"not be removed ({reason(error)}); they are in {doomed}, and practice tries again "
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
                    remove(Path(entry.path))
                except OSError as error:
                    name = entry.name.removeprefix(_DELETING)
                    problems.append(
                        f"could not finish deleting session {name} ({reason(error)}): its files "
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
        if not is_folder(folder) or not is_regular(folder / SESSION_FILE):
            raise SessionError(f"session {session_id} is gone from {self.root}")
        return _read_session(folder)

    def _check_root(self) -> None:
        """Nothing is written through a recordings folder that is a symbolic link."""
        if self.root.is_symlink():
            raise SessionError(
                f"{self.root} is a symbolic link; practice does not write through it"
            )

    def _save(self, session: Session) -> None:
        if not is_regular(session.folder / SESSION_FILE):
            raise SessionError(f"session {session.id} is gone from {self.root}")
        try:
            write_atomic(session.folder / SESSION_FILE, _encode(session))
        except OSError as error:
            raise SessionError(f"cannot save session {session.id}: {reason(error)}") from None
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

    def earlier_pitch(self, session: Session, most: int | None = None) -> list[float]:
        """The pitch ranges of the speaker's earlier answers, for the flat-voice comparison: the
        session's own (latest attempts), then those of the sessions started before it, newest
        first (from the index); at most ``most`` (default: the coaching's ``EARLIER_KEPT``)."""
        from practice.analysis.coaching.voice import EARLIER_KEPT  # not before the first frame

        most = EARLIER_KEPT if most is None else most
        ranges = list(session.pitch_ranges)

        def query(db: sqlite3.Connection) -> Any:
            return db.execute(
                "SELECT pitch FROM sessions WHERE (started < ? OR (started = ? AND id < ?)) "
                "AND damaged IS NULL AND pitch IS NOT NULL ORDER BY started DESC, id DESC",
                (session.started, session.started, session.id),
            ).fetchall()

        for (stored,) in self._query(query):
            if len(ranges) >= most:
                break
            ranges += _pitch_list(stored)
        return ranges[:most]

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
            if is_folder(self.root / session_id):
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
        raise _NoIndex(f"the index {path} cannot be read ({reason(error)})") from None
    if info is None:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        except FileExistsError:
            pass  # another process made it just now
        except OSError as error:
            raise _NoIndex(f"the index {path} cannot be made ({reason(error)})") from None
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


def _pitch_list(stored: object) -> list[float]:
    """The pitch ranges in an index row; none from a value that is not a list of numbers (the
    index is a cache anyone can write: it never stops the studio)."""
    try:
        values = json.loads(stored) if isinstance(stored, str) else None
    except ValueError:
        return []
    if not isinstance(values, list):
        return []
    return [
        float(value)
        for value in values
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    ]


def _create_table(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE sessions (id TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, "
        "bank_id TEXT, bank_name TEXT, started TEXT, answers INTEGER, score INTEGER, "
        "wpm REAL, fpm REAL, damaged TEXT, hedges REAL, star REAL, pitch TEXT)"
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
        values = (name, *seen, "", "", started, 0, None, None, None, damaged, None, None, None)
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
            json.dumps(session.pitch_ranges) if session.pitch_ranges else None,
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
        raise DamagedSession(folder, f"cannot read {SESSION_FILE}: {reason(error)}") from None
    try:
        data = clean_json(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise DamagedSession(folder, f"cannot read {SESSION_FILE}: {error}") from None
    except json.JSONDecodeError as error:
        why = f"{SESSION_FILE} is not valid JSON ({error.msg}, line {error.lineno})"
        raise DamagedSession(folder, why) from None
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


def _make_private(path: Path) -> None:
    """Make an attempt's audio file 0600 (a link is left alone: it is not followed)."""
    with contextlib.suppress(OSError):
        fd = open_regular(path)
        try:
            os.fchmod(fd, PRIVATE_FILE_MODE)
        finally:
            os.close(fd)


def _encode(session: Session) -> bytes:
    return json.dumps(session.to_json(), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "-", text).strip("-").lower()[:40] or "session"


def _now() -> datetime:
    return datetime.now().astimezone()

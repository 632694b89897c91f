"""Concurrent writers never lose an answer: several processes (and threads) adding recordings to
one session at once each get their own attempt number, and every answer survives; a delete
racing an import never brings the session back."""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from pathlib import Path

import pytest

from practice.records import Attempt, QuestionRef
from practice.sessions import SessionError, SessionStore
from tests.sample_reports import make_report

QUESTIONS = (QuestionRef("a", "First?"), QuestionRef("b", "Second?"))
WRITERS = 6


def _import(root: str, session_id: str, source: str, barrier: object, results: object) -> None:
    """One `practice import --session`: the same store calls the CLI makes."""
    store = SessionStore(Path(root))

    def attempt(number: int, name: str) -> Attempt:
        return Attempt(1, number, "2026-01-01T00:00:00+00:00", name, make_report(f"answer {name}"))

    barrier.wait()  # type: ignore[attr-defined]
    _session, added = store.add_recording(session_id, 1, Path(source), attempt)
    results.put(added.number)  # type: ignore[attr-defined]


@pytest.mark.parametrize("suffixes", [(".wav",), (".flac", ".wav")])
def test_several_processes_importing_at_once_keep_every_answer(
    tmp_path: Path, suffixes: tuple[str, ...]
) -> None:
    store = SessionStore(tmp_path / "recordings")
    session = store.create("b", "B", QUESTIONS)
    sources = []
    for index in range(WRITERS):
        source = tmp_path / f"answer{index}{suffixes[index % len(suffixes)]}"
        source.write_bytes(f"audio of answer {index}".encode())
        sources.append(source)
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WRITERS), context.Queue()
    workers = [
        context.Process(
            target=_import, args=(str(store.root), session.id, str(source), barrier, results)
        )
        for source in sources
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    numbers = sorted(results.get(timeout=5) for _ in workers)
    assert numbers == list(range(1, WRITERS + 1))  # each writer was told its own number
    saved = store.load(session.id)
    assert sorted(a.number for a in saved.attempts_at(1)) == numbers  # and every one was kept
    files = {a.audio for a in saved.attempts}
    on_disk = {p.name for p in saved.folder.iterdir() if p.name != "session.json"}
    assert files == on_disk  # no orphan audio, no attempt without its audio
    contents = {(saved.folder / name).read_bytes() for name in on_disk}
    assert contents == {source.read_bytes() for source in sources}  # nothing overwritten


def test_threads_saving_attempts_at_once_keep_every_answer(tmp_path: Path) -> None:
    """The TUI's workers and a stale copy of the session: each save merges into what is on disk."""
    store = SessionStore(tmp_path / "recordings")
    stale = store.create("b", "B", QUESTIONS)
    start = threading.Barrier(WRITERS)

    def save(number: int) -> None:
        start.wait()
        attempt = Attempt(0, number, stale.started, None, make_report(f"answer {number}"))
        store.add_attempt(stale, attempt)  # every thread passes the same, stale session

    threads = [threading.Thread(target=save, args=(n,)) for n in range(1, WRITERS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.number for a in store.load(stale.id).attempts) == list(range(1, WRITERS + 1))


def test_finishing_a_stale_session_keeps_answers_saved_meanwhile(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "recordings")
    stale = store.create("b", "B", QUESTIONS)
    store.add_attempt(stale, Attempt(0, 1, stale.started, None, make_report("saved elsewhere")))
    finished = store.finish(stale)
    assert finished.finished is not None and len(finished.attempts) == 1
    assert len(store.load(stale.id).attempts) == 1


@pytest.mark.parametrize("step", ["audio_path", "add_attempt", "add_recording", "finish"])
def test_a_deleted_session_is_never_brought_back(tmp_path: Path, step: str) -> None:
    """The delete wins the race: whatever the import does next fails, and leaves nothing."""
    store = SessionStore(tmp_path / "recordings")
    session = store.create("b", "B", QUESTIONS)
    source = tmp_path / "answer.wav"
    source.write_bytes(b"audio")
    SessionStore(store.root).delete(session.id)  # another process
    attempt = Attempt(0, 1, session.started, "q01-a1.wav", make_report("late"))
    with pytest.raises(SessionError, match="is gone"):
        if step == "audio_path":
            store.audio_path(session, 0, 1)
        elif step == "add_attempt":
            store.add_attempt(session, attempt)
        elif step == "add_recording":
            store.add_recording(session.id, 0, source, lambda n, name: attempt)
        else:
            store.finish(session)
    assert {p.name for p in store.root.iterdir()} <= {".lock", "index.sqlite3"}
    assert [row.id for row in store.history()] == []


def _delete_soon(root: str, session_id: str, barrier: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    with contextlib.suppress(SessionError):
        SessionStore(Path(root)).delete(session_id)


def test_delete_racing_imports_leaves_a_whole_session_or_none(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "recordings")
    context = multiprocessing.get_context("spawn")
    for round_ in range(3):
        session = store.create("b", "B", QUESTIONS)
        source = tmp_path / f"answer{round_}.wav"
        source.write_bytes(b"audio" * 1000)
        barrier, results = context.Barrier(3), context.Queue()
        workers = [
            context.Process(target=_delete_soon, args=(str(store.root), session.id, barrier)),
            *(
                context.Process(
                    target=_import_quietly,
                    args=(str(store.root), session.id, str(source), barrier, results),
                )
                for _ in range(2)
            ),
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(120)
        folder = store.root / session.id
        if folder.exists():  # an import that came after the delete re-made the folder
            pytest.fail(f"the session folder survived its delete: {sorted(folder.iterdir())}")
        assert not any(p.name.startswith(".deleting-") for p in store.root.iterdir())
        assert session.id not in [row.id for row in store.history()]


def _import_quietly(
    root: str, session_id: str, source: str, barrier: object, results: object
) -> None:
    with contextlib.suppress(SessionError):
        _import(root, session_id, source, barrier, results)


def test_an_attempt_saved_under_a_number_taken_meanwhile_is_kept_under_the_next(
    tmp_path: Path,
) -> None:
    """The TUI numbers its recording from its own copy of the session; an import that took that
    number meanwhile keeps its answer, and so does the recording."""
    store = SessionStore(tmp_path / "recordings")
    session = store.create("b", "B", QUESTIONS)
    source = tmp_path / "imported.flac"
    source.write_bytes(b"imported audio")
    store.add_recording(
        session.id, 0, source, lambda n, name: Attempt(0, n, session.started, name, None)
    )
    recorded = store.audio_path(session, 0, 1)  # the TUI's stale copy says 1 is free
    recorded.write_bytes(b"recorded audio")
    saved = store.add_attempt(session, Attempt(0, 1, session.started, recorded.name, None))
    assert sorted((a.number, a.audio) for a in saved.attempts) == [
        (1, "q01-a1.flac"),
        (2, "q01-a1.wav"),
    ]

"""The studio's timing trace (PRACTICE_TRACE, for the benchmarks) and its report of lost sound."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from practice.tui import trace
from practice.tui.app import make_app
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.interview import InterviewScreen, Phase
from tests.tui_fakes import FakeRecorder, all_fakes, run, settle, until

SIZE = (80, 24)


def events(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


@run
async def test_the_trace_times_the_loop_and_the_stop_and_counts_lost_sound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "trace.jsonl"
    monkeypatch.setenv(trace.VARIABLE, str(log))
    f = all_fakes(tmp_path, recorder=FakeRecorder(hold=True, overflows=3))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, InterviewScreen) and app.screen.phase is Phase.RECORDING,
        )
        await until(pilot, lambda: any(e["event"] == "loop" for e in events(log)))
        await pilot.press("space")
        await settle(pilot, "trace")
        assert isinstance(app.screen, FeedbackScreen)
        notes = [n.message for n in app._notifications]
        assert any("lost 3 times" in note for note in notes), notes
    names = [e["event"] for e in events(log)]
    assert names.index("stop") < names.index("recorded")
    (recorded,) = [e for e in events(log) if e["event"] == "recorded"]
    assert recorded["overflows"] == 3
    assert recorded["seconds"] == 9.5
    loops = [e for e in events(log) if e["event"] == "loop"]
    assert all(isinstance(e["longest_ms"], float) and e["longest_ms"] >= 0 for e in loops)
    assert all(e["gc_generation"] in {-1, 0, 1, 2} for e in loops)
    times = [float(e["t"]) for e in events(log)]  # type: ignore[arg-type]
    assert times == sorted(times)


@run
async def test_without_the_variable_nothing_is_traced_or_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(trace.VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert not [w for w in app.workers if w.group == "trace"]
        assert not any("lost" in n.message for n in app._notifications)
    assert list(tmp_path.rglob("*.jsonl")) == []


def test_the_garbage_collectors_longest_pass_is_taken_once() -> None:
    collections = trace.Collections()
    gc.callbacks.append(collections)
    try:
        gc.collect(1)
        gc.collect()
        kept = [[index] for index in range(300_000)]  # a full pass has more to walk
        gc.collect()
        longest = collections.take()
        again = collections.take()
    finally:
        gc.callbacks.remove(collections)
    assert len(kept) == 300_000
    assert longest["gc_generation"] == 2
    assert longest["gc_ms"] > 0 and longest["gc_cpu_ms"] > 0
    assert again == {"gc_ms": 0.0, "gc_cpu_ms": 0.0, "gc_generation": -1}

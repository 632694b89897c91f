"""The TUI's pure helpers: transcript markup, times and paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.markup import to_content

from practice.analysis.scoring import Mark
from practice.analysis.transcript import TranscriptionError
from practice.exports import mark_text
from practice.times import clock
from practice.tui.markup import transcript_markup
from practice.tui.screens.base import one_line, shown
from practice.tui.screens.home import absence_lines


def test_transcript_markup_highlights_fillers_and_places_pauses() -> None:
    marks = [
        Mark("word", "So", 0.0, 0.2),
        Mark("filler", "um,", 0.3, 0.5),
        Mark("pause", "⏸ 1.8 s", 0.5, 2.3),
        Mark("likely", "like", 2.4, 2.6),
        Mark("sound", "uh", 2.7, 2.9),
        Mark("word", "[done]", 3.0, 3.2),
    ]
    assert transcript_markup(marks) == (
        "So [$text-warning on $warning-muted]\\[um,][/] [$text-accent]⏸1.8s[/] "
        "[$text-warning]\\[like?][/] [$text-warning on $warning-muted]\\[uh][/] \\[done]"
    )
    # as the plain-text reports write them
    plain = to_content(transcript_markup(marks)).plain
    assert plain == "So [um,] ⏸1.8s [like?] [uh] [done]"
    assert " ".join(mark_text(mark) for mark in marks if mark.kind != "pause") == (
        "So [um,] [like?] [uh] [done]"
    )


def test_times_paths_and_errors_read_well(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert clock(0) == "0:00" and clock(89.6) == "1:30" and clock(600) == "10:00"
    monkeypatch.setenv("HOME", str(tmp_path))
    assert shown(tmp_path / "practice" / "recordings") == "~/practice/recordings"
    assert shown(Path("/srv/x")) == "/srv/x"
    assert one_line(TranscriptionError("no model")) == "no model"
    assert one_line(ValueError("bad\nsecond line")) == "ValueError: bad"
    assert one_line(KeyError()) == "KeyError"


def test_what_the_device_check_found_is_said_briefly() -> None:
    hint = "the sound server is not running; start it"
    absent = {
        "microphone": f"no audio input device found: {hint}",
        "speaker": f"no audio output device found: {hint}",
        "voice": "needs the speaker",
    }
    assert absence_lines(absent) == [
        "microphone: no audio input device found · speaker: no audio output device found"
        " · voice: needs the speaker",
        hint,
        "you can still type answers (t) or import recordings (i)",
    ]
    assert absence_lines({}) == []


def test_a_capitalised_filler_in_brackets_is_not_read_as_markup() -> None:
    """Textual's escape() leaves "[So]" alone, yet its parser would take it as a tag and
    highlight the rest of the transcript."""
    marks = [
        Mark("filler", "So", 0.0, 0.2),
        Mark("word", "I", 0.3, 0.4),
        Mark("word", "led", 0.5, 0.7),
    ]
    content = to_content(transcript_markup(marks))
    assert content.plain == "[So] I led"
    assert [(span.start, span.end) for span in content.spans] == [(0, 4)]

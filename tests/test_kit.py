"""``practice kit``: the meeting sheet made of the person's own saved words."""

from __future__ import annotations

import html
import re
import shutil
import stat
import struct
import subprocess
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from practice import banks, workspace
from practice.analysis.events import HESITATIONS
from practice.cli import main
from practice.kit import (
    CONTEXT_WORDS,
    INTRODUCING,
    Entry,
    Kit,
    Quote,
    kit_html,
    trim_to_question,
)
from practice.sessions import SessionStore
from tests.practice_history import build_history

BANK = "informational-asking"
ASKED = ("typical-day", "best-and-hardest", "skills-that-matter", "how-they-got-in", "who-else")
"""The fixture's asking questions other than the introducing one (opening) and closing."""


@pytest.fixture
def history(isolated_home: Path) -> SessionStore:
    store = SessionStore(isolated_home / "recordings")
    build_history(store, banks.discover(workspace.resolve(isolated_home)).banks)
    return store


def _kit(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["kit", *argv]) == 0
    return capsys.readouterr().out


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", text.lower().replace("\u2019", "'"))


def _saved_words(store: SessionStore) -> list[list[str]]:
    """Every saved answer's words, read back from disk, with the fillers the analysis counted
    taken out (typed answers: as typed)."""
    found = []
    for summary in store.history():
        for attempt in store.load(summary.id).attempts:
            report = attempt.report
            if report is None:
                found.append(_words(attempt.typed_text or ""))
                continue
            kept = [w.text for i, w in enumerate(report.words) if i not in report.filler_words]
            found.append(_words(" ".join(kept)))
    return found


def _sentences(quote: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", quote.strip()) if s]


def _contained(needle: list[str], haystacks: list[list[str]]) -> bool:
    size = len(needle)
    return any(
        hay[start : start + size] == needle
        for hay in haystacks
        for start in range(len(hay) - size + 1)
    )


def _check_quotes(quotes: list[str], store: SessionStore) -> int:
    """Every sentence of every quote is a run of a saved answer's words, with no filler."""
    saved = _saved_words(store)
    sentences = [sentence for quote in quotes for sentence in _sentences(quote)]
    for sentence in sentences:
        words = _words(sentence)
        assert words and _contained(words, saved), sentence
        assert not set(words) & set(HESITATIONS), sentence
    return len(sentences)


def test_markdown_quotes_only_saved_words_without_fillers(
    history: SessionStore, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = _kit(capsys, "--bank", BANK)
    quotes = [
        line[2:]
        for line in sheet.splitlines()
        if line.startswith("> ") and not line.startswith("> — ")
    ]
    assert len(quotes) == 1 + len(ASKED) + 1  # the introduction, the questions, the closing
    assert _check_quotes(quotes, history) >= 14
    # the fixture's weak attempts had "Um," and "uh,"; the best ones are quoted, cleaned
    assert "What did last week actually look like for you?" in sheet
    # trimmed to the question and the line before it
    assert "> Job ads list a dozen tools. Which skills matter most" in sheet
    bank = banks.discover(workspace.resolve()).banks[BANK]
    never = [q for q in bank.questions if q.id not in {*ASKED, "opening", "closing"}]
    assert sheet.count("Not rehearsed yet") == len(never) == 7
    for question in bank.questions:
        for follow_up in question.follow_ups:
            assert follow_up in sheet
    for heading in ("## Your introduction", "## Time plan", "## Thank-you note", "## Afterwards"):
        assert heading in sheet
    assert "**15 minutes**" in sheet and "**30 minutes**" in sheet
    assert "[contact's name]" in sheet and "[day]" in sheet and "[second thing to mention]" in sheet
    assert re.search(r"## Afterwards.*\n\n1\. .*\n2\. .*\n3\. .*\n$", sheet)


def test_a_kit_with_nothing_rehearsed_invents_nothing(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = _kit(capsys, "--bank", BANK)
    assert "No introduction rehearsed yet" in sheet
    assert "\n> " not in sheet
    assert sheet.count("Not rehearsed yet") == 13


def test_kit_from_one_session(history: SessionStore, capsys: pytest.CaptureFixture[str]) -> None:
    session = next(s for s in history.history() if s.bank_id == BANK)
    sheet = _kit(capsys, "--session", session.id)
    assert f"in session {session.id}" in sheet
    quotes = [line for line in sheet.splitlines() if line.startswith("> — ")]
    # its two answers: the opening gives the introduction, the closing its own quote
    assert [q.id for q in history.load(session.id).questions] == ["opening", "closing"]
    assert len(quotes) == 2 and "*(your answer to: Open the meeting." in sheet
    assert sheet.count("Not rehearsed yet") == 12
    assert main(["kit", "--session", session.id, "--bank", "job-interview"]) == 1
    assert "is on bank 'informational-asking', not 'job-interview'" in capsys.readouterr().err
    assert main(["kit"]) == 1
    assert "name the bank with --bank ID" in capsys.readouterr().err


def test_output_file_is_private_atomic_and_never_overwritten(
    history: SessionStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "sheet.md"
    target.parent.mkdir()
    assert main(["kit", "--bank", BANK, "-o", str(target)]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    first = target.read_text()
    assert first.startswith("# Meeting sheet:")
    target.write_text("my notes")
    assert main(["kit", "--bank", BANK, "-o", str(target)]) == 1
    assert "already exists; add --force" in capsys.readouterr().err
    assert target.read_text() == "my notes"
    assert main(["kit", "--bank", BANK, "-o", str(target), "--force"]) == 0
    assert target.read_text() == first
    assert [p.name for p in target.parent.iterdir()] == ["sheet.md"]  # no temporary file left
    assert main(["kit", "--bank", BANK, "-o", str(tmp_path / "no" / "x.md")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_html_is_self_contained_and_quotes_saved_words(
    history: SessionStore, capsys: pytest.CaptureFixture[str]
) -> None:
    page = _kit(capsys, "--bank", BANK, "--format", "html")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|link|img|iframe)\b|url\(|https?://", page)
    quotes = [
        html.unescape(re.sub(r'<span class="source">.*?</span>', "", quote))
        for quote in re.findall(r'<blockquote class="quote">(.*?)</blockquote>', page)
    ]
    assert len(quotes) == 7
    _check_quotes(quotes, history)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs a headless chromium (apt-get install chromium)")
@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="needs pdftoppm (apt-get install poppler-utils)"
)
def test_html_prints_on_at_most_two_a4_pages_in_a_real_browser(
    history: SessionStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "sheet.html"
    assert main(["kit", "--bank", BANK, "--format", "html", "-o", str(sheet)]) == 0
    _check_printed(sheet, tmp_path / "fixture")
    # the longest sheet: every question rehearsed, each quote a long line of context and a
    # long question, and a long introduction
    bank = banks.discover(workspace.resolve()).banks[BANK]
    quote = Quote((CONTEXT, QUESTION), "s", 1, datetime(2026, 12, 1, 10, 0), 91)
    entries = tuple(
        Entry(question, quote)
        for question in bank.questions
        if (question.category or "").casefold() not in INTRODUCING
    )
    intro = Quote((INTRO,) * 4, "s", 1, datetime(2026, 12, 1, 10, 0), 95)
    full = Kit(bank, date(2026, 12, 7), intro, "So, tell me about yourself.", entries)
    longest = tmp_path / "longest.html"
    longest.write_text(kit_html(full), encoding="utf-8")
    _check_printed(longest, tmp_path / "longest")


CONTEXT = (
    "I have spent six years teaching secondary science and the last two building small data "
    "tools for our school, and I want to understand how research teams choose what to study."
)
QUESTION = (
    "What did the first year in your role look like, and what would you tell someone with my "
    "background who wants to get there in the next two years?"
)
INTRO = (
    "I'm a teacher moving into user research, and for six years I have taught science to "
    "teenagers who did not always want to learn it."
)


def _check_printed(sheet: Path, work: Path) -> None:
    """Print ``sheet`` to PDF and screenshot it in headless Chromium: at most two A4 pages,
    the first one full."""
    work.mkdir()
    assert CHROMIUM is not None
    browser = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--user-data-dir={work}/b",
    ]
    pdf, png = work / "sheet.pdf", work / "sheet.png"
    subprocess.run(
        [*browser, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", sheet.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        [*browser, "--window-size=794,1123", f"--screenshot={png}", sheet.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (794, 1123)
    # the printed pages, rasterised: at most two A4 pages, the first one full
    subprocess.run(
        ["pdftoppm", "-r", "20", "-gray", str(pdf), str(work / "page")],
        check=True,
        timeout=60,
    )
    pages = sorted(work.glob("page-*.pgm"))
    assert 1 <= len(pages) <= 2
    first = _pgm(pages[0])
    assert abs(first.shape[0] / first.shape[1] - 297 / 210) < 0.02  # A4 portrait
    ink = first < 128
    rows = np.flatnonzero(ink.any(axis=1))
    assert rows[0] < first.shape[0] * 0.1 and rows[-1] > first.shape[0] * 0.85


def _pgm(path: Path) -> np.ndarray:
    """A binary PGM (P5) image as a 2-D array."""
    data = path.read_bytes()
    fields = data.split(maxsplit=4)
    assert fields[0] == b"P5"
    width, height = int(fields[1]), int(fields[2])
    return np.frombuffer(fields[4][-width * height :], dtype=np.uint8).reshape(height, width)


def test_a_long_line_of_context_is_left_out() -> None:
    long = " ".join(["word"] * (CONTEXT_WORDS + 1)) + "."
    assert trim_to_question([long, "What do you do?", "Thanks."]) == ["What do you do?"]
    assert trim_to_question(["Short context.", "What do you do?"]) == [
        "Short context.",
        "What do you do?",
    ]
    assert trim_to_question(["One.", "Two.", "Three."]) == ["One.", "Two."]

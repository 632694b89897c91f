"""Session exports: Markdown and HTML parse and hold the highlighted transcript; JSON too."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from practice.analysis.scoring import AnswerReport
from practice.exports import answer_text, session_html, session_json, session_markdown, session_text
from practice.records import Attempt, QuestionRef, Session
from practice.sessions import SessionStore
from tests.sample_reports import make_report

SPOKEN = "so um I led the <team> & we shipped it like on *time*"


@pytest.fixture
def session(tmp_path: Path) -> Session:
    store = SessionStore(tmp_path / "recordings")
    questions = [
        QuestionRef("conflict", "Tell me about *conflict* & <you>", "behavioural", 90, ("STAR",)),
        QuestionRef("why", "Why us?"),
        QuestionRef("skip", "Never answered?"),
    ]
    session = store.create("behavioural", "Behavioural <core>", questions)
    audio = store.audio_path(session, 0, 1)
    audio.write_bytes(b"RIFF")
    report = make_report(SPOKEN, pause_after=3, likely=10)
    session = store.add_attempt(
        session, Attempt(0, 1, "2026-11-25T21:41:00+00:00", audio.name, report, latency_s=1.2)
    )
    typed = Attempt(1, 1, "2026-11-25T21:43:00+00:00", None, None, typed_text="Your <mission>.")
    return store.add_attempt(session, typed)


class _Page(HTMLParser):
    """Collects the text, the tags, and the text inside each highlighted span."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.spans: list[tuple[str, str]] = []
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "span":
            self._open.append(dict(attrs).get("class"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open and self._open[-1]:
            self.spans.append((str(self._open[-1]), data))

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_the_html_page_is_self_contained_and_escaped(session: Session) -> None:
    page = _parse(session_html(session))
    names = {tag for tag, _ in page.tags}
    assert {"html", "head", "style", "body", "table", "span"} <= names
    assert not {"script", "link", "img", "iframe", "object", "embed", "team", "you"} & names
    for _, attrs in page.tags:
        assert not {"src", "href"} & attrs.keys()
        assert not any(name.startswith("on") for name in attrs)
    assert "Tell me about *conflict* & <you>" in page.words
    assert "Practice session: Behavioural <core>" in page.words


def test_the_html_page_holds_the_highlighted_transcript_and_numbers(session: Session) -> None:
    page = _parse(session_html(session))
    # The transcript as spoken, with the pause marker between "led" and "the".
    assert "so um I led ⏸ 1.6 s the <team> & we shipped it like on *time*" in page.words
    assert ("filler", "um") in page.spans
    assert ("likely", "like") in page.spans
    assert ("pause", "⏸ 1.6 s") in page.spans
    report = session.attempts[0].report
    assert report is not None
    assert report.score is None  # 13 words: too short to score, and the page says so
    assert "too short" in page.words
    assert f"{report.pace.wpm:.0f} wpm" in page.words
    assert "Your <mission>." in page.words
    assert "Not answered." in page.words


def _markdown_page(session: Session) -> _Page:
    rendered = MarkdownIt("commonmark").enable("table").render(session_markdown(session))
    return _parse(rendered)


def test_the_markdown_parses_with_the_highlighted_transcript(session: Session) -> None:
    page = _markdown_page(session)
    names = [tag for tag, _ in page.tags]
    assert names.count("h1") == 1 and names.count("h2") == 3
    assert "table" in names
    assert "Practice session: Behavioural <core>" in page.words
    assert "Tell me about *conflict* & <you>" in page.words
    assert "[so] [um] I led (⏸ 1.6 s) the <team> & we shipped it [like?] on *time*" in page.words
    assert "Your <mission>." in page.words
    rendered = MarkdownIt("commonmark").render(session_markdown(session))
    assert "<strong>[um]</strong>" in rendered  # written as in the terminal, and emphasised
    assert "<em>[like?]</em>" in rendered
    assert "<em>(⏸ 1.6 s)</em>" in rendered


def test_the_json_export_round_trips_with_a_summary(session: Session) -> None:
    data = json.loads(session_json(session))
    saved = SessionStore(session.folder.parent).load(session.id)
    assert Session.from_json(data, session.folder) == saved
    assert data["summary"]["score"] == session.score
    assert data["summary"]["answers"] == 2
    assert data["attempts"][0]["report"]["transcript"] == SPOKEN


def test_the_text_shows_each_attempt_and_what_is_left_of_it(session: Session) -> None:
    text = session_text(session)
    assert "Q1. Tell me about *conflict* & <you>" in text
    assert "[so] [um] I led (⏸ 1.6 s) the <team>" in text
    assert "audio q01-a1.wav ·" not in text and "audio q01-a1.wav" in text
    assert "Your <mission>." in text
    assert "Q3. Never answered?\n  not answered" in text
    (session.folder / "q01-a1.wav").unlink()
    assert "audio q01-a1.wav missing" in session_text(session)


def test_a_report_without_audio_says_so(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "recordings", keep_audio=False)
    session = store.create("b", "B", [QuestionRef("q", "Q?")])
    audio = store.audio_path(session, 0, 1)
    audio.write_bytes(b"RIFF")
    report: AnswerReport = make_report("short and sweet")
    session = store.add_attempt(
        session, Attempt(0, 1, "2026-11-25T21:41:00+00:00", audio.name, report)
    )
    assert "audio not kept" in session_text(session)
    assert "short and sweet" in _markdown_page(session).words


def test_answer_text_still_reports_one_answer() -> None:
    text = answer_text(make_report(SPOKEN, pause_after=3), "my answer")
    assert text.startswith("my answer")
    assert "[so] [um] I led (⏸ 1.6 s) the <team>" in text


def test_points_never_round_up_to_full_marks() -> None:
    from practice.text import points_text

    assert points_text(29.6, 30) == "29.6/30"
    assert points_text(29.96, 30) == "29.9/30"
    assert points_text(30.0, 30) == "30/30"
    assert points_text(27.0, 30) == "27/30"
    assert points_text(0.0, 12.5) == "0/12.5"

"""The meeting sheet: one printable page to take into the meeting, made of the person's own words.

For a bank it gathers, from the saved sessions:

- **the introduction**: the best attempt (highest score) at any question in a category named
  "introduction" or "opening" (:data:`INTRODUCING`), in any bank;
- **the questions**: for each other question of the bank, in the bank's order, its best attempt
  trimmed to the question asked and the sentence before it (the one line of context); an answer
  with no question in it gives its first two sentences; then the bank's follow-ups;
- a 15- and a 30-minute **time plan**, a **thank-you note** draft with placeholders, and three
  **questions for reviewing** the meeting afterwards.

Quoted words are the saved transcript's words, in order, with the counted fillers taken out (a
typed answer is quoted as typed). A question never rehearsed says so; nothing is made up. The HTML
is one self-contained file (no scripts, fonts or images) laid out for A4.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from pathlib import Path

from practice.banks import Bank, Question
from practice.files import make_private_folder, write_atomic
from practice.plan import Outcome, Track, tracks
from practice.records import Session

KITS_FOLDER = "kits"
"""Where the studio saves meeting sheets, inside the workspace."""
INTRODUCING = ("introduction", "opening")
"""Categories whose questions ask the person to introduce themselves."""
INTRODUCTION_WORDS = 120
"""An introduction is quoted up to this many words, by whole sentences."""
CONTEXT_WORDS = 40
"""The sentence before a quoted question is kept up to this many words."""
QUESTIONS_IN_15 = 4
QUESTIONS_IN_30 = 8
THANK_YOU = (
    "Dear [contact's name],",
    "Thank you for talking with me on [day]. I especially appreciated what you said about "
    "[first thing to mention], and [second thing to mention] gave me a lot to think about.",
    "As you suggested, I will [your next step], and I will let you know how it goes.",
    "Best wishes,",
    "[your name]",
)
REVIEW = (
    "What did I learn that I could not have found by reading?",
    "Which of my questions got the most useful answer, and which one fell flat?",
    "What did I promise to do next (someone to contact, something to read), and by when?",
)


@dataclass(frozen=True, slots=True)
class Quote:
    """Words from one saved attempt."""

    sentences: tuple[str, ...]
    session_id: str
    attempt: int
    when: datetime
    score: int | None
    """None for a typed answer or one too short to score."""
    typed: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    @property
    def source(self) -> str:
        if self.score is not None:
            what = f"score {self.score}"
        else:
            what = "typed" if self.typed else "too short to score"
        return f"{self.when.day} {self.when:%b %Y}, attempt {self.attempt}, {what}"


@dataclass(frozen=True, slots=True)
class Entry:
    question: Question
    quote: Quote | None
    """None when the question was never answered."""


@dataclass(frozen=True, slots=True)
class Kit:
    bank: Bank
    made: date
    introduction: Quote | None
    introduction_prompt: str | None
    """The question the introduction answered (None when no introducing question was)."""
    entries: tuple[Entry, ...]
    introduction_follow_ups: tuple[str, ...] = ()
    """The follow-ups of the bank's own introducing questions."""
    only_session: str | None = None


def build_kit(
    bank: Bank,
    sessions: Sequence[Session],
    *,
    banks: Iterable[Bank] = (),
    made: date | None = None,
    only_session: str | None = None,
) -> Kit:
    """The sheet for ``bank`` from ``sessions`` (just the one with ``only_session``).

    ``banks`` are the other banks whose introducing questions may give the introduction.
    """
    chosen = [s for s in sessions if only_session is None or s.id == only_session]
    found = {track.key: track for track in tracks(chosen)}
    introducing = {
        (each.id, question.id): question
        for each in (bank, *banks)
        for question in each.questions
        if (question.category or "").casefold() in INTRODUCING
    }
    candidates = [
        (result, track.text)
        for key in introducing
        if (track := found.get(key)) is not None and (result := track.best()) is not None
    ]
    best = max(candidates, key=lambda pair: _rank(pair[0]), default=None)
    introduction = None
    if best is not None:
        introduction = _quote(best[0], _introduction(_sentences(best[0])))
    entries = tuple(
        Entry(question, _question_quote(found.get((bank.id, question.id))))
        for question in bank.questions
        if (question.category or "").casefold() not in INTRODUCING
    )
    return Kit(
        bank,
        made or date.today(),
        introduction,
        None if best is None else best[1],
        entries,
        tuple(
            follow_up
            for question in bank.questions
            if (question.category or "").casefold() in INTRODUCING
            for follow_up in question.follow_ups
        ),
        only_session,
    )


def _rank(result: Outcome) -> tuple[int, int, datetime]:
    return (int(result.spoken), result.score or 0, result.when)


def _question_quote(track: Track | None) -> Quote | None:
    best = None if track is None else track.best()
    if best is None:
        return None
    return _quote(best, trim_to_question(_sentences(best)))


def _quote(result: Outcome, sentences: Sequence[str]) -> Quote | None:
    if not sentences:
        return None
    score = result.score if result.spoken else None
    typed = not result.spoken
    return Quote(tuple(sentences), result.session_id, result.number, result.when, score, typed)


# Words and sentences -----------------------------------------------------------------------------

_END = re.compile(r"[.?!][\"')\]]*$")


def _sentences(result: Outcome) -> list[str]:
    """The attempt's filler-free words cut into sentences, each starting with a capital."""
    sentences: list[str] = []
    current: list[str] = []
    for said in result.clean_words:
        word = said
        if not current:
            word = said.lstrip(",;:-— ")
            if not word:
                continue
            word = word[0].upper() + word[1:]
        current.append(word)
        if _END.search(word):
            sentences.append(_tidy(current))
            current = []
    if current:
        sentences.append(_tidy(current) + ".")
    return [sentence for sentence in sentences if sentence.strip(".?! ")]


def _tidy(words: list[str]) -> str:
    """Words joined, without a comma left dangling where a filler was taken out."""
    text = " ".join(words)
    text = re.sub(r",(\s*,)+", ",", text)
    return re.sub(r",([.?!])$", r"\1", text)


def _introduction(sentences: list[str]) -> list[str]:
    kept: list[str] = []
    for sentence in sentences:
        if kept and len(" ".join(kept).split()) + len(sentence.split()) > INTRODUCTION_WORDS:
            break
        kept.append(sentence)
    return kept


def trim_to_question(sentences: list[str]) -> list[str]:
    """The first question and the sentence before it (left out when it is longer than
    :data:`CONTEXT_WORDS`: a line of context, not a speech); without a question, the first two
    sentences."""
    for index, sentence in enumerate(sentences):
        if sentence.endswith("?"):
            context = sentences[index - 1 : index] if index else []
            if context and len(context[0].split()) > CONTEXT_WORDS:
                context = []
            return [*context, sentence]
    return sentences[:2]


# The time plan -----------------------------------------------------------------------------------


def time_plan(kit: Kit, minutes: int) -> list[tuple[str, str]]:
    """(minutes, what) rows for a meeting of 15 or 30 minutes."""
    closing = [e for e in kit.entries if (e.question.category or "").casefold() == "closing"]
    middle = [e for e in kit.entries if e not in closing]
    count = QUESTIONS_IN_15 if minutes <= 15 else QUESTIONS_IN_30
    asked = middle[:count]
    intro = 2 if minutes <= 15 else 3
    wrap = 3 if minutes <= 15 else 5
    rows = [(f"0–{intro}", "Thank them, introduce yourself (above), say how long you will take")]
    if asked:
        first, last = (kit.entries.index(entry) + 1 for entry in (asked[0], asked[-1]))
        rows.append(
            (
                f"{intro}–{minutes - wrap}",
                f"Questions {first}–{last}: about "
                f"{_each(minutes - wrap - intro, len(asked))} each; listen more than you talk",
            )
        )
    names = ", ".join(str(kit.entries.index(entry) + 1) for entry in closing)
    end = f"Questions {names}: " if names else ""
    rows.append(
        (f"{minutes - wrap}–{minutes}", f"{end}who else to talk to, thank them, end on time")
    )
    return rows


def _each(minutes: int, questions: int) -> str:
    share = minutes / questions
    return f"{share:.0f} minutes" if share >= 1.5 else "a minute"


# Markdown ----------------------------------------------------------------------------------------


def kit_markdown(kit: Kit) -> str:
    """The sheet as Markdown; quotes are ``>`` block quotes."""
    bank = kit.bank
    lines = [
        f"# Meeting sheet: {bank.name}",
        "",
        f"Made {kit.made.day} {kit.made:%B %Y} from your own best attempts"
        + (f" in session {kit.only_session}" if kit.only_session else "")
        + "; fillers taken out of the quotes.",
        "",
        "## Your introduction",
        "",
    ]
    lines += _md_quote(kit.introduction, "No introduction rehearsed yet")
    if kit.introduction is not None and kit.introduction_prompt:
        lines += ["", f"*(your answer to: {kit.introduction_prompt})*"]
    if kit.introduction_follow_ups:
        lines.append("")
        lines += [f"- Follow-up: {follow_up}" for follow_up in kit.introduction_follow_ups]
    lines += ["", "## Your questions", ""]
    for number, entry in enumerate(kit.entries, start=1):
        lines.append(f"**{number}. {entry.question.text}**")
        lines.append("")
        lines += _md_quote(entry.quote, "Not rehearsed yet")
        for follow_up in entry.question.follow_ups:
            lines.append(f"- Follow-up: {follow_up}")
        lines.append("")
    lines += ["## Time plan", ""]
    for minutes in (15, 30):
        lines += [f"**{minutes} minutes**", "", "| minutes | what |", "|---|---|"]
        lines += [f"| {span} | {what} |" for span, what in time_plan(kit, minutes)]
        lines.append("")
    lines += ["## Thank-you note (send within a day)", ""]
    lines += [f"{line}  " for line in THANK_YOU]
    lines += ["", "## Afterwards: review the meeting", ""]
    lines += [f"{number}. {question}" for number, question in enumerate(REVIEW, start=1)]
    return "\n".join(lines) + "\n"


def _md_quote(quote: Quote | None, missing: str) -> list[str]:
    if quote is None:
        return [f"*{missing}: rehearse it, and your own words will appear here.*"]
    return [f"> {quote.text}", ">", f"> — *{quote.source}*"]


# HTML --------------------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 13mm 14mm; }
@media screen { body { max-width: 182mm; margin: 8mm auto; } }
* { box-sizing: border-box; }
body { font: 9.5pt/1.32 Georgia, 'DejaVu Serif', serif; color: #111; margin: 0; }
h1 { font: bold 15pt/1.2 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif; margin: 0 0 2pt; }
h2 { font: bold 10.5pt/1.2 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif;
     margin: 9pt 0 3pt; border-bottom: 0.6pt solid #999; text-transform: uppercase;
     letter-spacing: 0.04em; }
.made { color: #555; font-size: 8.5pt; margin: 0; }
blockquote { margin: 2pt 0 2pt 10pt; padding-left: 6pt; border-left: 2pt solid #444; }
.source { color: #666; font-size: 7.5pt; font-style: italic; }
.missing { color: #8a1c1c; font-style: italic; margin: 2pt 0 2pt 10pt; }
ol.questions { margin: 0; padding-left: 18pt; }
ol.questions > li { margin: 0 0 5pt; break-inside: avoid; }
.prompt { font: 8.5pt 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif; color: #333; }
.follow { margin: 1pt 0 0 10pt; font-size: 8.5pt; color: #333; }
.columns { display: flex; gap: 12pt; break-inside: avoid; }
.columns > div { flex: 1; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
td { border-top: 0.5pt solid #ccc; padding: 1.5pt 3pt; vertical-align: top; }
td.min { white-space: nowrap; width: 3.2em; font-weight: bold; }
.note p { margin: 0 0 3pt; }
.blank { border-bottom: 0.6pt solid #555; color: #555; font-style: italic; }
ol.review { margin: 0; padding-left: 14pt; }
"""


def kit_html(kit: Kit) -> str:
    """The sheet as one self-contained HTML page, laid out for A4."""
    bank = kit.bank
    where = f" in session {escape(kit.only_session)}" if kit.only_session else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Meeting sheet: {escape(bank.name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Meeting sheet: {escape(bank.name)}</h1>",
        f'<p class="made">Made {kit.made.day} {kit.made:%B %Y} from your own best attempts{where}; '
        "fillers taken out of the quotes.</p>",
        "<h2>Your introduction</h2>",
        _html_quote(kit.introduction, "No introduction rehearsed yet"),
        *(f'<div class="follow">↳ {escape(text)}</div>' for text in kit.introduction_follow_ups),
        "<h2>Your questions</h2>",
        '<ol class="questions">',
    ]
    for entry in kit.entries:
        follow = "".join(
            f'<div class="follow">↳ {escape(text)}</div>' for text in entry.question.follow_ups
        )
        parts.append(
            f'<li><div class="prompt">{escape(entry.question.text)}</div>'
            f"{_html_quote(entry.quote, 'Not rehearsed yet')}{follow}</li>"
        )
    parts.append("</ol>")
    plans = []
    for minutes in (15, 30):
        rows = "".join(
            f'<tr><td class="min">{escape(span)}</td><td>{escape(what)}</td></tr>'
            for span, what in time_plan(kit, minutes)
        )
        plans.append(f"<div><h2>{minutes} minutes</h2><table>{rows}</table></div>")
    parts.append(f'<div class="columns">{"".join(plans)}</div>')
    note = "".join(f"<p>{_blanks(escape(line))}</p>" for line in THANK_YOU)
    review = "".join(f"<li>{escape(question)}</li>" for question in REVIEW)
    parts.append(
        '<div class="columns">'
        f'<div class="note"><h2>Thank-you note</h2>{note}</div>'
        f'<div><h2>Afterwards</h2><ol class="review">{review}</ol></div>'
        "</div>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_quote(quote: Quote | None, missing: str) -> str:
    if quote is None:
        return (
            f'<p class="missing">{missing}: rehearse it, and your own words will appear here.</p>'
        )
    return (
        f'<blockquote class="quote">{escape(quote.text)} '
        f'<span class="source">({escape(quote.source)})</span></blockquote>'
    )


def _blanks(line: str) -> str:
    return re.sub(r"\[([^\]]+)\]", r'<span class="blank">[\1]</span>', line)


FORMATS = {"md": kit_markdown, "html": kit_html}


def save_sheet(kit: Kit, folder: Path) -> Path:
    """Write the kit's HTML as a new file in ``folder`` (made private when missing), named after
    the bank and the day, never replacing a file; returns its path."""
    make_private_folder(folder)
    stem = f"{kit.bank.id}-{kit.made.isoformat()}"
    path, number = folder / f"{stem}.html", 2
    while path.exists():
        path, number = folder / f"{stem}-{number}.html", number + 1
    write_atomic(path, kit_html(kit).encode("utf-8"))
    return path

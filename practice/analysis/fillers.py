"""Filler words found in the transcript (the lexical channel).

:func:`find_fillers` reads the words an engine wrote (punctuation attached, e.g. ``"so,"``,
``"Um,"``, ``"like."``) and the pauses measured on the audio signal, and returns
:class:`FillerEvent` s sorted by start time. Every word belongs to at most one event. Each event
has a confidence; events with ``confidence >= COUNTED_CONFIDENCE`` (0.5) are *counted*, lower ones
are *likely* fillers that a report may mention as such. The rules favour precision: a word whose
use the context does not settle is not counted.

Reading the words
    A word's *core* is its text lower-cased, without the punctuation before and after it (curly
    apostrophes straightened, outer apostrophes dropped: ``"'cause"`` is ``cause``). Between two
    words there is a *break*, from weakest to strongest: none; a *pause* (a measured silence of at
    least 0.2 s; each silence belongs to the word gap it overlaps or, when a word's timestamps
    swallowed it, to the nearer edge of that word); a *filler* (the neighbour is a counted filler
    found earlier); a *comma* (``, ; : - — ( )`` or an ellipsis); a *sentence* end (``. ? !``,
    or the start or end of the transcript). Quotation marks are no break, and a word in
    quotation marks is mentioned, not used: it is never a filler ('press "OK"'). "Clause-initial"
    means a break of at least a pause before the word. The word *before* a marker is read
    through hesitation sounds (``"and um so"`` reads as ``"and so"``) but never through
    punctuation.

Hesitation sounds (confidence 0.95 unless said)
    - ``um``: um, umm, uhm, erm, ehm and longer spellings (``erm`` is the British spelling of the
      same nasal hesitation, so it is ``um``, not ``er``);
    - ``uh``: uh, uhh, …; ``er``: er, err, errr, … except the verb ``err`` (0.9 otherwise): not
      after to/I/we/you/they/would/might/may/can/could/will/should/'d/not/often/always/never, and
      not before on/in/toward(s) without a break ("to err is human", "err on the side of"); and
      except ``er`` right after a determiner ("in the ER");
    - ``ah``: ah, ahh, aah, … (0.9) except an interjection: followed by ``!``, or by
      yes/yeah/okay/ok/right/sure/great/nice/cool/interesting/wow, or by "I see/get/know/remember/
      understand" ("Ah, I see" is not a filler);
    - ``hmm``: hm, hmm, mm, mmm, … (not ``mm`` right after a number: millimetres); the
      backchannels mhm, mm-hmm, um-hmm, uh-huh, uh-uh, mm-mm are ``hmm`` with confidence 0.6 (in a
      monologue they are mostly thinking sounds, but they can mean yes or no).
    Case, punctuation, a cut-off hyphen (``"um-"``) and hyphenated runs (``"uh-uh-um"``) are
    accepted.

Discourse markers (context rules, confidence 0.55-0.85 when counted)
    - ``like``: a filler when set off on both sides by breaks (", like," "Like, …", "it, like
      [pause] was") and, where no punctuation separates them, not after a word that makes it a
      verb or preposition (I/we/you/they/he/she/it/who/would/'d/to/do/don't/didn't/really/just/
      feel/look/sound/seem/something/more/much/not/exactly/… like). Confidence 0.85 with
      punctuation or fillers on both sides, 0.7 with a pause on one side, 0.6 with pauses on
      both; when only a pause follows and the next word is this/that/it/them/the/a/what/how/…,
      0.6 after punctuation, else 0.45 (likely: "a tool | like | that one"). Also a filler after
      and/but/or/because/so with a break after it (0.7; a pause: 0.55); after a subject pronoun
      with a break after it when the next content word is a verb that continues the subject ("I
      like, you know, worked on it": 0.7); after a form of *be* before an intensifier or
      frequency adverb ("it was like, really hard": 0.65; with a pause instead of the comma 0.6;
      with neither, or before anything else, 0.45: possibly a simile or the quotative "she was
      like, no"); before a number with no break ("took like three months", an approximation:
      0.45). "I like my job", "looks like rain", "like this one", "Like I said" are not fillers.
    - ``you know`` (also ``y'know``): a filler when followed by a break (comma, ``?``, sentence end,
      a filler) and either clause-initial or after and/but/so/or/because/then/like/just/really/
      it's/that's/was/is/… (0.85; clause-initial by a pause only, 0.7); never after do/does/did/
      don't/didn't/if/as/now/what/whether/how/would/will/could/can/should/let/to/that ("people you
      know, …" is not one either); with only a pause after (0.65), never before
      how/what/that/why/where/when/who/if/the/a/him/her/it/….
    - ``i mean``: followed by a break (0.85) and not after what/which/that/if/do/did/don't/didn't/
      whatever; with only a pause after (0.65), never before it/that/what/to/you/him/her/them/
      this/the/….
    - ``so``: only as a clause opener: a break before (never "and so", "or so", "even so", "if
      so", "I think so", "just so", …) and after it a filler ("So, um," 0.85), a comma ("So, I"
      and ", so," 0.65; clause-initial by a pause only 0.55), or a pause before a pronoun/
      article/then/now/… (0.55 after punctuation, else 0.45; never "so that", "so much/many/far/
      good"). The sentence-final "…, so." trailing off is counted (0.6). An answer that opens
      with "So" (or "Um, so") with no break after it is a likely filler (0.4). "And so, my
      fellow Americans, …" has none.
    - ``basically``, ``actually``, ``literally``: set off by commas or clause-initial with a comma
      ("Basically, …" 0.75, ", basically," 0.7; ``actually``/``literally`` 0.55: they often carry
      meaning); after and/but/so with a comma (0.6; the others 0.45: "but actually," contrasts);
      after a pause with a comma after (0.6; the others 0.4); sentence-final ", actually." is
      likely (0.4); "it's basically done", "I actually did" are not fillers.
    - ``kind of`` / ``sort of`` (also kinda, sorta): a hedge after a pronoun, a form of be/have/do,
      a modal, an adverb or a conjunction, or clause-initial, with something after it that is not
      a sentence end ("it was kind of hard", "I sort of liked it": 0.6); never after a determiner
      or adjective ("a kind of", "what kind of", "this sort of", "that kind of thing"), nor as an
      answer ("Kind of, yeah."); sentence-initial it is only likely (0.45: "Sort of like a
      startup, we …" may describe rather than hedge).
    - ``well``: clause-initial followed by a comma or a filler ("Well, I think" 0.75; clause-
      initial by a pause only 0.6; a pause after, before a pronoun/article/…: 0.55); never "as
      well", "very well", "oh well", "well done", "do well".
    - ``right``: the tag ", right?" or ", right," (0.75), a pause then "right?" (0.65),
      "Right, so" clause-initial with a comma (0.55); never "the right", "right now", "is that
      right?".
    - ``okay`` (ok, OK): clause-initial before "so" or a filler ("Okay, so", "Okay, um": 0.7) or
      followed by a comma ("Okay, I …": 0.6), or the tag ", okay?" (0.7); never "it's okay",
      "Okay." on its own.

Repetitions (type ``repetition``)
    An immediate repeat of the same word ("I, I", "the the", "we we") or of the same two words
    ("I was, I was going") is one event spanning the abandoned copies: "I, I, I think" is one
    event over the first two "I". Confidence 0.9 for words; 0.75 for a pair that restarts after a
    subject or mid-phrase ("I was, I was", "in the, in the"), else 0.45 (likely: "thank you,
    thank you" and "in the end, the end result" may be deliberate). A hyphenated
    stutter ("I-I") counts too, and so does a word said again after hesitation sounds ("the, um,
    the team": a repetition over the first "the" and an ``um``). Not repetitions: emphatic or
    fixed doubles (very very, really really, so so, no no, right right, bye bye, ha ha, …), "now,
    now" and "there, there" followed by punctuation (the phrases; "Now, now I see" is a restart),
    numbers, hesitation sounds (each is its own event), and the grammatical doubles "had had", "that
    that", "do do", "did did", "does does" unless a comma, pause or hesitation separates them.
    "is is" is never counted ("the thing is, is that"), nor a repeat across a sentence end ("…
    to you. You …"). A word that can end a clause and start the next (you/it/that/this/there/
    here/then/now/today/too/one) repeated across a comma in mid-sentence is only likely (0.45:
    "if it beeps at you, you …"); at the start of a clause it counts ("That, that was hard").

A multi-word event spans from its first word's start to its last word's end.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np

from practice.analysis.transcribe import Word

COUNTED_CONFIDENCE = 0.5
"""Events at or above this confidence are counted; lower ones are "likely" fillers."""

MIN_PAUSE_S = 0.2
"""Silences shorter than this are not treated as pauses by the timing rules."""

TRANSCRIPT = "transcript"
AUDIO = "audio"

REPETITION = "repetition"
HESITATIONS = ("um", "uh", "er", "ah", "hmm")
"""The types of hesitation sounds (filled pauses), the kind the audio channel can hear."""
TYPES = (
    *HESITATIONS,
    "like",
    "you know",
    "i mean",
    "so",
    "basically",
    "actually",
    "literally",
    "kind of",
    "sort of",
    "well",
    "right",
    "okay",
    REPETITION,
)
"""Every canonical event type, hesitation sounds first."""


@dataclass(frozen=True, slots=True)
class FillerEvent:
    """One filler: its canonical type, when it was said, how it was found and how sure we are."""

    type: str
    start: float
    end: float
    source: str
    confidence: float
    words: tuple[int, ...] = ()

    @property
    def counted(self) -> bool:
        """Whether reports count this event (otherwise it is only a likely filler)."""
        return self.confidence >= COUNTED_CONFIDENCE

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "source": self.source,
            "confidence": round(self.confidence, 3),
            "words": list(self.words),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FillerEvent:
        return cls(
            str(data["type"]),
            float(data["start"]),
            float(data["end"]),
            str(data["source"]),
            float(data.get("confidence", 1.0)),
            tuple(int(index) for index in data.get("words", ())),
        )


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class _Break(IntEnum):
    """What separates two neighbouring words, weakest first."""

    NONE = 0
    PAUSE = 1
    FILLER = 2
    COMMA = 3
    SENTENCE = 4


_PARTS = re.compile(r"^(?P<lead>[^\w']*)(?P<core>.*?)(?P<trail>[^\w']*)$", re.DOTALL)
_NUMBER = re.compile(r"^[\d.,:/%]+$")
_QUOTES = '"\u201c\u201d\u00ab\u00bb'
_UNQUOTE = str.maketrans("", "", _QUOTES)

_HESITATIONS: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (re.compile(r"u+h*m+|e+r+m+|e+h+m+"), "um", 0.95),
    (re.compile(r"u+h+"), "uh", 0.95),
    (re.compile(r"e+r+"), "er", 0.95),
    (re.compile(r"a+h+"), "ah", 0.9),
    (re.compile(r"h+m+|m{2,}"), "hmm", 0.95),
    (re.compile(r"m+h+m+|[mu]+h*m+-h+m+|u+h*-h+u+h+|u+h+-u+h+|m+-m+"), "hmm", 0.6),
)

_SUBJECTS = _words("i we you they he she")
_CONJUNCTIONS = _words("and but or because cause so then")
_BE = _words(
    "is was am are were be been being it's that's he's she's i'm they're we're you're there's "
    "what's"
)
_INTENSIFIERS = _words(
    "really so very super totally completely just literally actually basically pretty kind "
    "sort kinda sorta insanely crazy extremely incredibly always never constantly honestly "
    "seriously definitely absolutely almost nearly barely quite way"
)
_PRONOUN_STARTS = _words(
    "i we you they he she it i'm we're it's there then now when after before the my our this "
    "in at yeah yes anyway"
)
_OBJECTS = _words(
    "this that these those it him her them me us you the a an my your his our their its what "
    "how why where when who whom whose which if whether about of everything anything "
    "something nothing everyone anyone someone somebody exactly no to"
)
_LIKE_VERB_BEFORE = _words(
    "i we you they he she it who people would d i'd we'd you'd they'd he'd she'd to do does "
    "did don't didn't doesn't really also just feel feels felt feeling look looks looked "
    "looking sound sounds sounded seem seems seemed something anything nothing more less much "
    "not exactly things stuff ones one"
)
_FINITE_VERBS = _words(
    "was were am is are have had has did didn't don't went got made said told took came saw "
    "knew thought felt found gave kept left met ran sat spent built wrote led think know want "
    "need can could would will should might must can't couldn't wasn't weren't"
)
_YOU_KNOW_AFTER = _words(
    "and but so or because cause then like just really it's that's was is were are be mean "
    "yeah well okay ok actually basically kinda sorta"
)
_YOU_KNOW_NEVER_AFTER = _words(
    "do does did don't didn't doesn't if as now what whether how would will could can should "
    "might let to that"
)
_I_MEAN_NEVER_AFTER = _words("what which that if do did don't didn't whatever")
_SO_NEVER_AFTER = _words(
    "and or even if think hope guess said say not just do did more why ever is was be been "
    "are am were it's that's really very quite also told tell believe suppose expect seems "
    "seemed appears like"
)
_HEDGE_AFTER = (
    _SUBJECTS
    | _BE
    | _CONJUNCTIONS
    | _words(
        "it who have has had i've we've they've you've do does did would could should will can "
        "might must i'd we'd i'll we'll to just really also still even always never got get "
        "gets felt feel feels seemed seems looked looks sounded sounds went like"
    )
)
_AH_INTERJECTION_NEXT = _words("yes yeah okay ok right sure great nice cool interesting wow")
_I_REALISE = _words("see get know remember understand")
_ERR_VERB_AFTER = _words(
    "to i we you they would might may can could will should d i'd we'd not often always never"
)
_ERR_VERB_BEFORE = _words("on in toward towards")
_DETERMINERS = _words("the a an this that our my your his her their")
_NEVER_REPEATED = _words(
    "very really so much many far long too more no yes yeah bye ha haha blah well okay ok hey "
    "go knock tut chop night boo na la da oh ho hip pretty super wait come bang "
    "boom tick please sorry yay woo choo ding hee shh tsk is again step bit little right sure "
    "true fine good exactly one two three four five six seven eight nine zero"
)
_INCOMPLETE = _words(
    "the a an to of in on at for with from and but or my our your his her their this that it is was"
)
_NUMBERS = _words(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
    "fifty sixty hundred thousand million half"
)
_CLAUSE_EDGES = _words("you it that this there here then now today too one")
_GRAMMATICAL_DOUBLES = _words("had that do did does")
_SOOTHING_DOUBLES = _words("now there")
"""Doubled as a phrase ("Now, now." "There, there, …"), but a restart when the sentence runs on."""


@dataclass(frozen=True, slots=True)
class _Token:
    core: str
    lead: str  # punctuation before the word, quotation marks left out (they are no pause)
    trail: str  # punctuation after the word, likewise
    quoted: bool  # the word is in quotation marks: mentioned, not used ('press "OK"')

    @classmethod
    def parse(cls, text: str) -> _Token:
        text = text.strip().replace("\u2019", "'").replace("\u2018", "'")
        match = _PARTS.match(text)
        assert match is not None  # the pattern matches every string
        lead, trail = match["lead"], match["trail"]
        quoted = any(mark in lead for mark in _QUOTES) and any(mark in trail for mark in _QUOTES)
        return cls(
            match["core"].lower().strip("'"),
            lead.translate(_UNQUOTE),
            trail.translate(_UNQUOTE),
            quoted,
        )


class _Scan:
    """The words of one transcript, their breaks, and the events claimed so far."""

    def __init__(self, words: Sequence[Word], silences: Sequence[tuple[float, float]]) -> None:
        self.words = words
        self.tokens = [_Token.parse(word.text) for word in words]
        self.paused = _paused_gaps(words, silences)
        self.owner: list[FillerEvent | None] = [None] * len(words)

    def __len__(self) -> int:
        return len(self.tokens)

    def core(self, index: int) -> str:
        return self.tokens[index].core if 0 <= index < len(self.tokens) else ""

    def free(self, index: int) -> bool:
        """Whether the word can still become (part of) an event."""
        return (
            0 <= index < len(self.tokens)
            and self.owner[index] is None
            and not self.tokens[index].quoted
        )

    def punctuation(self, gap: int) -> _Break:
        """The punctuation between word ``gap - 1`` and word ``gap``."""
        if gap <= 0 or gap >= len(self.tokens):
            return _Break.SENTENCE
        marks = self.tokens[gap - 1].trail + self.tokens[gap].lead
        if not marks:
            return _Break.NONE
        if "?" in marks or "!" in marks or ("." in marks and "..." not in marks):
            return _Break.SENTENCE
        return _Break.COMMA

    def gap(self, gap: int) -> _Break:
        """The strongest break between word ``gap - 1`` and word ``gap``."""
        found = self.punctuation(gap)
        if found >= _Break.COMMA:
            return found
        if self.counted(gap - 1) or self.counted(gap):
            return _Break.FILLER
        if self.paused[gap]:
            return _Break.PAUSE
        return found

    def before(self, index: int) -> _Break:
        return self.gap(index)

    def after(self, index: int) -> _Break:
        return self.gap(index + 1)

    def question(self, index: int) -> bool:
        return "?" in self.tokens[index].trail

    def previous(self, index: int) -> str:
        """The word before ``index`` read through hesitation sounds, "" across punctuation."""
        gap = index
        while gap > 0 and self.hesitation(gap - 1):
            gap -= 1
        if gap <= 0 or self.tokens[gap - 1].trail or self.tokens[gap].lead:
            return ""
        return self.tokens[gap - 1].core

    def following(self, index: int) -> str:
        """The word right after ``index`` when no punctuation separates them, else ""."""
        if self.punctuation(index + 1) is not _Break.NONE:
            return ""
        return self.core(index + 1)

    def next_content(self, index: int) -> str:
        """The first word after ``index`` that no counted filler claims (across punctuation)."""
        for later in range(index + 1, len(self.tokens)):
            if not self.counted(later):
                return self.tokens[later].core
        return ""

    def claim(self, kind: str, indices: Iterable[int], confidence: float) -> None:
        claimed = tuple(indices)
        start = min(self.words[i].start for i in claimed)
        end = max(start, *(self.words[i].end for i in claimed))
        event = FillerEvent(kind, start, end, TRANSCRIPT, confidence, claimed)
        for index in claimed:
            self.owner[index] = event

    def events(self) -> list[FillerEvent]:
        unique = {id(event): event for event in self.owner if event is not None}
        return sorted(unique.values(), key=lambda event: (event.start, event.words))

    def counted(self, index: int) -> bool:
        if not 0 <= index < len(self.tokens):
            return False
        event = self.owner[index]
        return event is not None and event.counted

    def hesitation(self, index: int) -> bool:
        event = self.owner[index]
        return event is not None and event.type in HESITATIONS


def _paused_gaps(words: Sequence[Word], silences: Sequence[tuple[float, float]]) -> list[bool]:
    """For each gap (before word 0, …, after the last word), whether a silence falls there."""
    paused = [False] * (len(words) + 1)
    if not words:
        return paused
    starts = np.array([word.start for word in words], dtype=np.float64)
    ends = np.array([word.end for word in words], dtype=np.float64)
    left = np.concatenate(([-np.inf], ends))
    right = np.concatenate((starts, [np.inf]))
    low, high = np.fmin(left, right), np.fmax(left, right)
    for start, end in silences:
        if not (math.isfinite(start) and math.isfinite(end) and end - start >= MIN_PAUSE_S):
            continue
        distance = np.maximum(0.0, np.maximum(start - high, low - end))
        if np.isnan(distance).all():
            continue
        nearest = np.nanmin(distance)
        gaps = np.flatnonzero(distance == 0) if nearest == 0 else [np.nanargmin(distance)]
        for gap in gaps:
            paused[int(gap)] = True
    return paused


def find_fillers(
    words: Sequence[Word], silences: Sequence[tuple[float, float]] = ()
) -> list[FillerEvent]:
    """The fillers in a transcript, sorted by start; see the module docstring for the rules."""
    scan = _Scan(words, silences)
    _find_hesitations(scan)
    _find_phrases(scan)
    for _round in range(3):  # a marker found next to another can settle it: up to three passes
        if not _find_markers(scan):
            break
    _find_repetitions(scan)
    return scan.events()


def _find_hesitations(scan: _Scan) -> None:
    for index in range(len(scan)):
        found = _hesitation(scan, index) if scan.free(index) else None
        if found is not None:
            scan.claim(found[0], [index], found[1])


def _hesitation(scan: _Scan, index: int) -> tuple[str, float] | None:
    core = scan.core(index)
    found = _sound(core) or _run_of_sounds(core)
    if found is None:
        return None
    kind, confidence = found
    if core == "er" and scan.previous(index) in _DETERMINERS:
        return None  # "in the ER"
    if core == "err":
        if scan.previous(index) in _ERR_VERB_AFTER or scan.following(index) in _ERR_VERB_BEFORE:
            return None
        confidence = 0.9
    if kind == "ah" and _interjection(scan, index):
        return None
    if core.startswith("m") and _NUMBER.match(scan.core(index - 1) or "-"):
        return None  # "5 mm"
    return kind, confidence


def _sound(core: str) -> tuple[str, float] | None:
    for pattern, kind, confidence in _HESITATIONS:
        if pattern.fullmatch(core):
            return kind, confidence
    return None


def _run_of_sounds(core: str) -> tuple[str, float] | None:
    """Hesitations written as one hyphenated word ("uh-um"): the first one's type."""
    sounds = [_sound(part) for part in core.split("-")]
    if len(sounds) < 2 or None in sounds or any(sound[1] < 0.9 for sound in sounds if sound):
        return None
    return sounds[0]


def _interjection(scan: _Scan, index: int) -> bool:
    following = scan.core(index + 1)
    return (
        "!" in scan.tokens[index].trail
        or following in _AH_INTERJECTION_NEXT
        or (following == "i" and scan.core(index + 2) in _I_REALISE)
    )


_Phrase = Callable[[_Scan, int, int], float | None]


def _find_phrases(scan: _Scan) -> None:
    """Two-word markers and their one-word spellings, left to right."""
    for index in range(len(scan)):
        if not scan.free(index):
            continue
        core = scan.core(index)
        joined = scan.punctuation(index + 1) is _Break.NONE and scan.free(index + 1)
        for kind, (first, second), spellings, rule in _PHRASES:
            if joined and core == first and scan.core(index + 1) == second:
                last = index + 1
            elif core in spellings:
                last = index
            else:
                continue
            confidence = rule(scan, index, last)
            if confidence is not None:
                scan.claim(kind, range(index, last + 1), confidence)
            break


def _you_know(scan: _Scan, first: int, last: int) -> float | None:
    before, after = scan.before(first), scan.after(last)
    previous = scan.previous(first)
    if previous in _YOU_KNOW_NEVER_AFTER:
        return None
    if before < _Break.PAUSE and previous not in _YOU_KNOW_AFTER:
        return None
    if after >= _Break.FILLER:
        return 0.85 if before >= _Break.FILLER or previous in _YOU_KNOW_AFTER else 0.7
    if after is _Break.PAUSE and scan.core(last + 1) not in _OBJECTS:
        return 0.65
    return None


def _i_mean(scan: _Scan, first: int, last: int) -> float | None:
    if scan.previous(first) in _I_MEAN_NEVER_AFTER:
        return None
    after = scan.after(last)
    if after >= _Break.FILLER:
        return 0.85
    if after is _Break.PAUSE and scan.core(last + 1) not in _OBJECTS | {"well", "business"}:
        return 0.65
    return None


def _hedge(scan: _Scan, first: int, last: int) -> float | None:
    """A hedge: "kind of", "sort of" (or kinda, sorta)."""
    after = scan.after(last)
    if after is _Break.SENTENCE or (
        after is _Break.COMMA and scan.before(first) is _Break.SENTENCE
    ):
        return None  # "It was kind of." "Kind of, yeah." answer the question: partly
    if scan.before(first) is _Break.SENTENCE:
        return 0.45  # "Sort of like a startup, …" may describe rather than hedge
    previous = scan.previous(first)
    return 0.6 if not previous or previous in _HEDGE_AFTER else None


_PHRASES: tuple[tuple[str, tuple[str, str], frozenset[str], _Phrase], ...] = (
    ("you know", ("you", "know"), _words("y'know ya'know yknow"), _you_know),
    ("i mean", ("i", "mean"), frozenset(), _i_mean),
    ("kind of", ("kind", "of"), _words("kinda"), _hedge),
    ("sort of", ("sort", "of"), _words("sorta"), _hedge),
)


_Marker = Callable[[_Scan, int], float | None]


def _find_markers(scan: _Scan) -> bool:
    """One left-to-right pass over the one-word markers; whether it found any."""
    found = False
    for index in range(len(scan)):
        marker = _MARKERS.get(scan.core(index)) if scan.free(index) else None
        if marker is None:
            continue
        kind, rule = marker
        confidence = rule(scan, index)
        if confidence is not None:
            scan.claim(kind, [index], confidence)
            found = True
    return found


def _like(scan: _Scan, index: int) -> float | None:
    before, after = scan.before(index), scan.after(index)
    previous = scan.previous(index)
    if before >= _Break.PAUSE and after >= _Break.PAUSE and previous not in _LIKE_VERB_BEFORE:
        if after is _Break.PAUSE and scan.core(index + 1) in _OBJECTS:
            return 0.6 if before >= _Break.FILLER else 0.45  # "a tool | like | that one"
        firm = (before >= _Break.FILLER) + (after >= _Break.FILLER)
        return (0.6, 0.7, 0.85)[firm]
    if previous in _CONJUNCTIONS and after >= _Break.PAUSE:
        return 0.7 if after >= _Break.FILLER else 0.55
    if previous in _SUBJECTS and after >= _Break.FILLER:
        return 0.7 if _finite_verb(scan.next_content(index)) else None
    if previous in _BE:
        intensified = scan.next_content(index) in _INTENSIFIERS
        if after >= _Break.FILLER:
            return 0.65 if intensified else 0.45
        if intensified:
            return 0.6 if before is _Break.PAUSE or after is _Break.PAUSE else 0.45
    if after is _Break.NONE and previous not in _LIKE_VERB_BEFORE:
        following = scan.core(index + 1)
        if _NUMBER.match(following) or following in _NUMBERS:
            return 0.45  # "it took like three months": an approximation, often a filler
    return None


def _finite_verb(core: str) -> bool:
    """A verb that can follow a subject: "I like, you know, *worked* on it"."""
    return core in _FINITE_VERBS or (
        len(core) >= 5 and core.endswith("ed") and not core.endswith("eed")
    )


def _so(scan: _Scan, index: int) -> float | None:
    before, after = scan.before(index), scan.after(index)
    if before < _Break.PAUSE or scan.previous(index) in _SO_NEVER_AFTER:
        return None
    if after is not _Break.SENTENCE and scan.counted(index + 1):
        return 0.85
    if after is _Break.COMMA:
        return 0.65 if before >= _Break.FILLER else 0.55
    if after is _Break.SENTENCE:
        return 0.6 if before is _Break.COMMA else None
    opens = scan.core(index + 1) in _PRONOUN_STARTS
    if after is _Break.PAUSE and opens:
        return 0.55 if before >= _Break.COMMA else 0.45
    if opens and all(scan.counted(earlier) for earlier in range(index)):
        return 0.4  # the answer opens with "So I …" (perhaps after "um")
    return None


def _stance(scan: _Scan, index: int) -> float | None:
    """basically / actually / literally."""
    basically = scan.core(index) == "basically"
    before, after = scan.before(index), scan.after(index)
    if after is _Break.SENTENCE:
        return 0.4 if before is _Break.COMMA else None
    if after < _Break.FILLER:
        return None
    if before >= _Break.FILLER:
        return (0.75 if before is _Break.SENTENCE else 0.7) if basically else 0.55
    if scan.previous(index) in {"and", "but", "so"}:
        return 0.6 if basically else 0.45  # "but actually, …" usually contrasts
    if before is _Break.PAUSE:
        return 0.6 if basically else 0.4
    return None


def _well(scan: _Scan, index: int) -> float | None:
    before, after = scan.before(index), scan.after(index)
    if before < _Break.PAUSE or scan.previous(index) in {"as", "very", "oh", "pretty", "so"}:
        return None
    if after in (_Break.COMMA, _Break.FILLER):
        return 0.75 if before >= _Break.FILLER else 0.6
    if after is _Break.PAUSE and scan.core(index + 1) in _PRONOUN_STARTS:
        return 0.55
    return None


def _right(scan: _Scan, index: int) -> float | None:
    before, after = scan.before(index), scan.after(index)
    question = scan.question(index)
    if before is _Break.COMMA and (question or after in (_Break.COMMA, _Break.FILLER)):
        return 0.75
    if before is _Break.PAUSE and question and scan.previous(index) not in _OBJECTS:
        return 0.65
    if before is _Break.SENTENCE and after is _Break.COMMA:
        return 0.55
    return None


def _okay(scan: _Scan, index: int) -> float | None:
    before, after = scan.before(index), scan.after(index)
    if before is _Break.COMMA and scan.question(index):
        return 0.7
    if before < _Break.PAUSE or scan.previous(index) in _BE | {"it", "that", "all"}:
        return None
    if after is not _Break.SENTENCE and (
        scan.counted(index + 1) or (after >= _Break.PAUSE and scan.core(index + 1) == "so")
    ):
        return 0.7
    if after is _Break.COMMA and before >= _Break.FILLER:
        return 0.6
    return None


_MARKERS: dict[str, tuple[str, _Marker]] = {
    "like": ("like", _like),
    "so": ("so", _so),
    "basically": ("basically", _stance),
    "actually": ("actually", _stance),
    "literally": ("literally", _stance),
    "well": ("well", _well),
    "right": ("right", _right),
    "okay": ("okay", _okay),
    "ok": ("okay", _okay),
    "o.k": ("okay", _okay),
}


def _find_repetitions(scan: _Scan) -> None:
    index = 0
    while index < len(scan):
        if scan.free(index) and _stutter(scan.core(index)):
            scan.claim(REPETITION, [index], 0.9)
            index += 1
            continue
        repeat = _repeat(scan, index)
        if repeat is not None:
            size, copies = repeat
            abandoned = range(index, index + size * (copies - 1))
            confidence = (
                _word_confidence(scan, index) if size == 1 else _pair_confidence(scan, index)
            )
            scan.claim(REPETITION, abandoned, confidence)
            index += size * copies
            continue
        again = _after_hesitations(scan, index)
        if again is not None:
            scan.claim(REPETITION, [index], 0.9)
            index = again
            continue
        index += 1


def _after_hesitations(scan: _Scan, index: int) -> int | None:
    """Where the word at ``index`` is said again right after hesitation sounds ("the, um, the")."""
    again = index + 1
    while again < len(scan) and scan.hesitation(again):
        again += 1
    if again == index + 1 or not _same(scan, index, again, 1):
        return None
    return again


def _word_confidence(scan: _Scan, index: int) -> float:
    """A word that can end one clause and start the next ("it beeps at you, you see") is only a
    likely repeat when a comma separates the copies in mid-sentence."""
    if (
        scan.core(index) in _CLAUSE_EDGES
        and scan.punctuation(index + 1) is _Break.COMMA
        and scan.before(index) is _Break.NONE
    ):
        return 0.45
    return 0.9


def _pair_confidence(scan: _Scan, index: int) -> float:
    """A repeated pair is a restart when it breaks off mid-phrase ("in the, in the") or after its
    subject ("I was, I was"); otherwise it may be emphasis ("thank you, thank you")."""
    restart = scan.core(index) in _SUBJECTS or scan.core(index + 1) in _INCOMPLETE
    return 0.75 if restart else 0.45


def _stutter(core: str) -> bool:
    """One written word that repeats itself: "I-I", "we-we-we"."""
    parts = core.split("-")
    return len(parts) > 1 and len(set(parts)) == 1 and _repeatable(parts[0])


def _repeat(scan: _Scan, index: int) -> tuple[int, int] | None:
    """(words per copy, copies) of an immediate repeat starting at ``index``."""
    for size in (1, 2):
        copies = 1
        while _same(scan, index, index + size * copies, size):
            copies += 1
        if copies == 1:
            continue
        if (
            size == 1
            and scan.core(index) in _SOOTHING_DOUBLES
            and scan.punctuation(index + copies) is not _Break.NONE
        ):
            return None  # "Now, now." "There, there, it's fine."
        if (
            size == 1
            and scan.core(index) in _GRAMMATICAL_DOUBLES
            and scan.gap(index + 1) is _Break.NONE
        ):
            return None
        return size, copies
    return None


def _same(scan: _Scan, first: int, second: int, size: int) -> bool:
    """Whether the ``size`` words at ``second`` repeat those at ``first`` within one sentence."""
    within = all(
        scan.punctuation(gap) is not _Break.SENTENCE for gap in range(first + 1, second + 1)
    )
    return within and all(
        scan.free(first + k)
        and scan.free(second + k)
        and _repeatable(scan.core(first + k))
        and scan.core(first + k) == scan.core(second + k)
        for k in range(size)
    )


def _repeatable(core: str) -> bool:
    return (
        core not in _NEVER_REPEATED
        and not _NUMBER.match(core)
        and any(char.isalpha() for char in core)
    )

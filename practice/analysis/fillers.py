"""Filler words found in the transcript (the lexical channel).

:func:`find_fillers` reads the words an engine wrote (punctuation attached, e.g. ``"so,"``,
``"Um,"``, ``"like."``) and the pauses measured on the audio signal, and returns
:class:`FillerEvent` s sorted by start time. Every word belongs to at most one event. Each event
has a confidence; events with ``confidence >= COUNTED_CONFIDENCE`` (0.5) are *counted*, lower ones
are *likely* fillers that a report may mention as such. A discourse marker is counted unless
the words around it give it an ordinary use (the verb "like", "so that", "they actually need");
the confidence says how sure its context is: a marker set off by punctuation is surer than one
that only sits where a marker can (0.5, the lowest counted confidence). Speech recognisers
rarely write the commas a speaker's voice implies, so the rules must not wait for them.

The rules, in the order they run: hesitation sounds (:func:`_hesitation`), two-word markers
(:data:`_PHRASES`), one-word markers (:data:`_MARKERS`, up to three passes) and repetitions
(:func:`_find_repetitions`). How the words and the breaks between them are read is in
``filler_scan.py``; the word lists are in ``filler_words.py``. A multi-word event spans from its
first word's start to its last word's end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from practice.analysis import filler_words as lexicon
from practice.analysis.events import (
    REPETITION,
    FillerEvent,
    FillerType,
)
from practice.analysis.filler_scan import Break, Scan
from practice.analysis.transcript import Word

_NUMBER = re.compile(r"^[\d.,:/%]+$")


def find_fillers(
    words: Sequence[Word], silences: Sequence[tuple[float, float]] = ()
) -> list[FillerEvent]:
    """The fillers in a transcript, sorted by start; each rule is stated on its function."""
    scan = Scan(words, silences, _MARKERS)
    _find_hesitations(scan)
    _find_phrases(scan)
    for _round in range(3):  # a marker found next to another can settle it: up to three passes
        if not _find_markers(scan):
            break
    _find_repetitions(scan)
    return scan.events()


def _find_hesitations(scan: Scan) -> None:
    for index in range(len(scan)):
        found = _hesitation(scan, index) if scan.free(index) else None
        if found is not None:
            scan.claim(found[0], [index], found[1])


def _hesitation(scan: Scan, index: int) -> tuple[FillerType, float] | None:
    """A hesitation sound (confidence 0.95 unless said):

    - ``um``: um, umm, uhm, erm, ehm and longer spellings (``erm`` is the British spelling of the
      same nasal hesitation, so it is ``um``, not ``er``);
    - ``uh``: uh, uhh, …; ``er``: er, err, errr, … except the verb ``err`` (0.9 otherwise): not
      after to/I/we/you/they/would/might/may/can/could/will/should/'d/not/often/always/never, and
      not before on/in/toward(s) without a break ("to err is human", "err on the side of"); and
      except ``er`` right after a determiner ("in the ER"); ``eh`` (Whisper's spelling of a
      held neutral vowel) is ``er`` with 0.8, except the tag question ``"…, eh?"``;
    - ``ah``: ah, ahh, aah, … (0.9) except an interjection: followed by ``!``, or by
      yes/yeah/okay/ok/right/sure/great/nice/cool/interesting/wow, or by "I see/get/know/remember/
      understand" ("Ah, I see" is not a filler);
    - ``hmm``: hm, hmm, mm, mmm, … (not ``mm`` right after a number: millimetres); the
      backchannels mhm, mm-hmm, um-hmm, uh-huh, uh-uh, mm-mm are ``hmm`` with confidence 0.6 (in a
      monologue they are mostly thinking sounds, but they can mean yes or no).
    Case, punctuation, a cut-off hyphen (``"um-"``) and hyphenated runs (``"uh-uh-um"``) are
    accepted."""
    core = scan.core(index)
    found = _sound(core) or _run_of_sounds(core)
    if found is None:
        return None
    kind, confidence = found
    if core == "er" and scan.previous(index) in lexicon.DETERMINERS:
        return None  # "in the ER"
    if core == "err":
        if (
            scan.previous(index) in lexicon.ERR_VERB_AFTER
            or scan.following(index) in lexicon.ERR_VERB_BEFORE
        ):
            return None
        confidence = 0.9
    if core.startswith("e") and core.endswith("h") and "?" in scan.tokens[index].trail:
        return None  # "It's cold, eh?"
    if kind == "ah" and _interjection(scan, index):
        return None
    if core.startswith("m") and _NUMBER.match(scan.core(index - 1) or "-"):
        return None  # "5 mm"
    return kind, confidence


def _sound(core: str) -> tuple[FillerType, float] | None:
    for pattern, kind, confidence in lexicon.HESITATION_SPELLINGS:
        if pattern.fullmatch(core):
            return kind, confidence
    return None


def _run_of_sounds(core: str) -> tuple[FillerType, float] | None:
    """Hesitations written as one hyphenated word ("uh-um"): the first one's type."""
    sounds = [_sound(part) for part in core.split("-")]
    if len(sounds) < 2 or None in sounds or any(sound[1] < 0.9 for sound in sounds if sound):
        return None
    return sounds[0]


def _interjection(scan: Scan, index: int) -> bool:
    following = scan.core(index + 1)
    return (
        "!" in scan.tokens[index].trail
        or following in lexicon.AH_INTERJECTION_NEXT
        or (following == "i" and scan.core(index + 2) in lexicon.I_REALISE)
    )


_Phrase = Callable[[Scan, int, int], float | None]


def _find_phrases(scan: Scan) -> None:
    """Two-word markers and their one-word spellings, left to right."""
    for index in range(len(scan)):
        if not scan.free(index):
            continue
        core = scan.core(index)
        joined = scan.punctuation(index + 1) is Break.NONE and scan.free(index + 1)
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


def _you_know(scan: Scan, first: int, last: int) -> float | None:
    """``you know`` (also ``y'know``): a filler when followed by a break (comma, ``?``, sentence
    end, a filler) and either clause-initial or after and/but/so/or/because/then/like/
    just/really/it's/that's/was/is/… (0.85; clause-initial by a pause only, 0.7); never after
    do/does/did/ don't/didn't/if/as/now/what/whether/how/would/will/could/can/should/let/to/that
    ("people you know, …" is not one either); with only a pause after (0.65), never before
    how/what/that/why/where/when/who/if/the/a/him/her/it/…; with no break after, in the same
    positions, before the subject of a new clause (I/we/they/people/there/it's/…: "and you know
    we moved on", 0.55), or right after and/but/so/or/because/then/was/is before anything but a
    question word, that, if or whether (0.5: "and you know the team was great"; in "and you know
    the answer" it would be the verb, but in a spoken answer it is mostly a filler)."""
    before, after = scan.before(first), scan.after(last)
    previous = scan.previous(first)
    if previous in lexicon.YOU_KNOW_NEVER_AFTER:
        return None
    if before < Break.PAUSE and previous not in lexicon.YOU_KNOW_AFTER:
        return None
    if after >= Break.FILLER:
        return 0.85 if before >= Break.FILLER or previous in lexicon.YOU_KNOW_AFTER else 0.7
    if after is Break.PAUSE and scan.core(last + 1) not in lexicon.OBJECTS:
        return 0.65
    following = scan.core(last + 1)
    if following in lexicon.SUBJECT_STARTS:
        return 0.55  # "and you know we …"
    if (
        after is Break.NONE
        and previous in lexicon.CONJUNCTIONS | lexicon.word_set("was is")
        and following not in lexicon.KNOWN_CLAUSE
    ):
        return 0.5  # "and you know the team …" (or "and you know the answer": the verb)
    return None


def _i_mean(scan: Scan, first: int, last: int) -> float | None:
    """``i mean``: followed by a break (0.85) and not after what/which/that/if/do/did/don't/didn't/
    whatever; never before it/that/what/to/you/him/her/them/this/the/every/… without a comma ("I
    mean it"); with only a pause after 0.65; with no break after, when it opens a clause (a break
    before it, or after and/but/or/because/so/then) 0.55 ("because I mean half the time")."""
    previous = scan.previous(first)
    if previous in lexicon.I_MEAN_NEVER_AFTER:
        return None
    after = scan.after(last)
    if after >= Break.FILLER:
        return 0.85
    if scan.core(last + 1) in lexicon.OBJECTS | {"well", "business", "every", "each"}:
        return None  # "I mean it", "I mean the whole team"
    if after is Break.PAUSE:
        return 0.65
    opens = scan.before(first) >= Break.PAUSE or previous in lexicon.CONJUNCTIONS
    return 0.55 if opens else None  # "because I mean half the time …"


def _hedge(scan: Scan, first: int, last: int) -> float | None:
    """``kind of`` / ``sort of`` (also kinda, sorta): a hedge after a pronoun, a form of be/have/do,
    a modal, an adverb or a conjunction, or after punctuation, with something after it that is not
    a sentence end ("it was kind of hard", "I sort of liked it": 0.6); sentence-initial 0.55
    ("Sort of a translation skill."); after any other word 0.5 when a determiner, pronoun,
    conjunction, preposition or to/as/like follows it ("a sticky note sort of the classic wall";
    "a good kind of problem" is the noun); never after a determiner or adjective ("a kind of",
    "what kind of", "this sort of", "a different kind of", "the same sort of"), before
    thing/things/stuff ("kind of thing"), nor as an answer ("It was kind of.", "Kind of, yeah.":
    sentence-initial with a comma before yes/yeah/no/not/but/I; "Sort of, a translation skill" is
    a hedge)."""
    after = scan.after(last)
    answers = scan.before(first) is Break.SENTENCE and scan.core(last + 1) in lexicon.ANSWER_NEXT
    if after is Break.SENTENCE or (after is Break.COMMA and answers):
        return None  # "It was kind of." "Kind of, yeah." answer the question: partly
    if scan.core(last + 1) in {"thing", "things", "stuff"}:
        return None  # "that's kind of thing": the noun
    if scan.before(first) is Break.SENTENCE:
        return 0.55  # "Sort of a translation skill."; "Sort of like a startup" may describe
    previous = scan.previous(first)
    if not previous or previous in lexicon.HEDGE_AFTER:
        return 0.6
    if previous in lexicon.KIND_NOUN_BEFORE or scan.core(last + 1) not in lexicon.HEDGED:
        return None  # "a good kind of problem"
    return 0.5  # "a sticky note sort of the classic wall"


_PHRASES: tuple[tuple[FillerType, tuple[str, str], frozenset[str], _Phrase], ...] = (
    ("you know", ("you", "know"), lexicon.word_set("y'know ya'know yknow"), _you_know),
    ("i mean", ("i", "mean"), frozenset(), _i_mean),
    ("kind of", ("kind", "of"), lexicon.word_set("kinda"), _hedge),
    ("sort of", ("sort", "of"), lexicon.word_set("sorta"), _hedge),
)


_Marker = Callable[[Scan, int], float | None]


def _find_markers(scan: Scan) -> bool:
    """One left-to-right pass over the one-word markers; whether it found any.

    A word *opens a clause* when it is a subject (I/we/they/it's/there/people/everyone/…), a
    determiner or quantifier (the/a/my/this/most/every/…), a conjunction (and/but/or/if/when/
    because/…) or yeah/yes/anyway. A *sentence opener* follows a sentence end or a counted filler
    ("Okay, so")."""
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


def _like(scan: Scan, index: int) -> float | None:
    """``like``: never after a word that makes it a verb, preposition or noun (I/we/you/they/he/
    she/it/who/people/would/'d/to/do/don't/really/just/feel/look/sound/seem/something/someone/
    more/much/not/exactly/of/lot/me/them/a/the/…: "I like", "looks like", "kind of like", "a like
    question", "treated them like family"), nor, unless a comma or filler follows it, before "to"
    ("most like to change"), "I said" ("Like I said"), a name or a word in quotation marks ("like
    Google", 'like "Statement"') or a phrase-final this/that/it/them ("a tool like that.").
    Otherwise a filler: set off by breaks on both sides 0.85 (punctuation or fillers both sides),
    0.7 (on one), 0.6 (pauses only; when only a pause follows and the next word is
    this/that/it/them/the/a/what/how/…, 0.6 after punctuation, else 0.45: "a tool | like | that
    one"); after and/but/or/because/so with a break after it 0.7 (a pause: 0.55); after
    punctuation or a filler alone 0.65 (", like the learning budget", "Like every morning"); after
    a pause alone or before punctuation or a filler alone 0.55; with no break before it and none
    but a pause after it 0.5 ("meetings like reviews", "took like three months": it may be the
    preposition "such as"). After a subject pronoun it is a filler only with a break after it when
    the next content word is a verb that continues the subject ("I like, you know, worked on it":
    0.7). After a form of *be* it is a filler before an intensifier or frequency adverb ("it was
    like, really hard": 0.65; with a pause instead of the comma 0.6; with neither, or before
    anything else with a comma after it, 0.45: possibly the quotative "she was like, no"); "it's
    like a family" is a simile."""
    before, after = scan.before(index), scan.after(index)
    previous, following = scan.previous(index), scan.core(index + 1)
    if previous in lexicon.SUBJECTS:  # "I like it" unless "I like, you know, worked"
        return 0.7 if after >= Break.FILLER and _finite_verb(scan.next_content(index)) else None
    if previous in lexicon.BE:  # "it was like, really hard"; "it's like a family": a simile
        intensified = scan.next_content(index) in lexicon.INTENSIFIERS
        if after >= Break.FILLER:
            return 0.65 if intensified else 0.45
        if intensified:
            return 0.6 if before is Break.PAUSE or after is Break.PAUSE else 0.45
        return None
    if previous in lexicon.LIKE_VERB_BEFORE | lexicon.DETERMINERS or (
        after < Break.FILLER and _like_governs(scan, index)
    ):
        return None
    if previous in lexicon.CONJUNCTIONS and after >= Break.PAUSE:
        return 0.7 if after >= Break.FILLER else 0.55
    if before >= Break.PAUSE and after >= Break.PAUSE:
        if after is Break.PAUSE and following in lexicon.OBJECTS:
            return 0.6 if before >= Break.FILLER else 0.45  # "a tool | like | that one"
        firm = (before >= Break.FILLER) + (after >= Break.FILLER)
        return (0.6, 0.7, 0.85)[firm]
    if before >= Break.FILLER:
        return 0.65  # ", like the learning budget", "Like every morning"
    if before is Break.PAUSE or after >= Break.FILLER:
        return 0.55
    return 0.5  # "meetings like reviews", "took like three months"


def _like_governs(scan: Scan, index: int) -> bool:
    """Whether "like" takes what follows as a verb or conjunction: "like to lead", "like I
    said", or as a preposition: a named example ('like "Statement"', "like Google") or the end
    of a phrase ("a tool like that.")."""
    following = scan.core(index + 1)
    if following == "to" or _named(scan, index + 1):
        return True
    if following in lexicon.SUBJECTS:
        return scan.core(index + 2) in lexicon.SAID
    return following in lexicon.DEMONSTRATIVES and scan.after(index + 1) >= Break.COMMA


def _named(scan: Scan, index: int) -> bool:
    """Whether the word is a name or a mention: capitalised (not "I") or in quotation marks."""
    if not 0 <= index < len(scan):
        return False
    token = scan.tokens[index]
    return token.quoted or (token.capital and token.core.split("'")[0] != "i")


def _finite_verb(core: str) -> bool:
    """A verb that can follow a subject: "I like, you know, *worked* on it"."""
    return core in lexicon.FINITE_VERBS or (
        len(core) >= 5 and core.endswith("ed") and not core.endswith("eed")
    )


def _so(scan: Scan, index: int) -> float | None:
    """``so``: a clause opener, never inside a clause: a break before it (never "and so", "or so",
    "even so", "if so", "I think so", "just so", …). After it a filler 0.85 ("So, um,"); a
    comma 0.65 ("So, I", ", so,"; after a pause only 0.55). Otherwise never before that/much/
    many/far/long/good/well/… ("so that it works", "so much"; "so that's" is no such case);
    a sentence opener before a word that opens a clause or a preposition 0.7 ("It failed. So
    we", "Okay, so from the hiring side"), before anything else 0.55 ("So rather than wait");
    after a comma or pause, before a word that opens a clause or a preposition, only likely
    (0.45: "It was late, so I left" mostly just joins the clauses, though Whisper writes some
    sentence-opening "So"s that way). The sentence-final
    "…, so." trailing off is counted (0.6). "And so, my fellow Americans, …" has none."""
    before, after = scan.before(index), scan.after(index)
    if before < Break.PAUSE or scan.previous(index) in lexicon.SO_NEVER_AFTER:
        return None
    if after is Break.SENTENCE:
        return 0.6 if before is Break.COMMA else None  # "…, so." trails off
    if scan.counted(index + 1):
        return 0.85
    if after is Break.COMMA:
        return 0.65 if before >= Break.FILLER else 0.55
    following = scan.core(index + 1)
    if following in lexicon.SO_DEGREE_NEXT:
        return None  # "so that it works", "so much"
    opens = following in lexicon.CLAUSE_STARTS | lexicon.PREPOSITIONS
    if before is Break.SENTENCE or scan.counted(index - 1):
        return 0.7 if opens else 0.55  # "It failed. So we…", "Okay, so the…"
    return 0.45 if opens else None  # "It was late, so I left.": joins (likely: may open one)


def _stance(scan: Scan, index: int) -> float | None:
    """``basically``, ``actually``, ``literally``: sentence adverbs, never inside a verb phrase:
    not right after a subject, a form of be, an auxiliary or modal, it/who/what/which/that/to/
    not/just/really/… ("they actually need", "it's basically done", "would actually use").
    Confidence at the start of a clause (after punctuation, a filler, and or so) 0.7 for
    ``basically``, 0.6 for ``actually``, 0.5 for ``literally`` (they often carry meaning), 0.05
    more with a comma or filler after it too ("Basically, …" 0.75); clause-final ("…, actually."
    the same; with no comma before it 0.1 less); elsewhere 0.1 less ("the first job basically
    it's a starting point"); after "but" 0.15 less ("but actually, …" usually contrasts). It
    must be followed by a break or a word that opens a clause ("and actually did it" has none);
    "Basically." on its own answers a question."""
    previous = scan.previous(index)
    before, after = scan.before(index), scan.after(index)
    if previous in lexicon.VERB_PHRASE or (before is Break.SENTENCE and after is Break.SENTENCE):
        return None
    if previous == "but":
        change = -0.15  # "but actually, …" usually contrasts
    elif after is Break.SENTENCE:  # "…, actually."
        change = 0.0 if before is Break.COMMA else -0.1
    elif after < Break.PAUSE and scan.core(index + 1) not in lexicon.CLAUSE_STARTS:
        return None  # "and actually did it"
    elif before >= Break.FILLER or previous in {"and", "so"}:
        change = 0.05 if after >= Break.FILLER else 0.0
    else:
        change = -0.1  # "the first job basically it's a starting point"
    return round(_STANCE[scan.core(index)] + change, 2)


_STANCE = {"basically": 0.7, "actually": 0.6, "literally": 0.5}
"""Each stance word's confidence at the start of a clause; "actually" and "literally" often
carry meaning."""


def _well(scan: Scan, index: int) -> float | None:
    """``well``: clause-initial followed by a comma or a filler ("Well, I think" 0.75; clause-
    initial by a pause only 0.6; a pause after, before a word that opens a clause: 0.55); never
    "as well", "very well", "oh well", "well done", "do well"."""
    before, after = scan.before(index), scan.after(index)
    if before < Break.PAUSE or scan.previous(index) in {"as", "very", "oh", "pretty", "so"}:
        return None
    if after in (Break.COMMA, Break.FILLER):
        return 0.75 if before >= Break.FILLER else 0.6
    if after is Break.PAUSE and scan.core(index + 1) in lexicon.CLAUSE_STARTS:
        return 0.55
    return None


def _right(scan: Scan, index: int) -> float | None:
    """``right``: never after a word that makes it an adjective or adverb (a determiner, a form of
    be, it/them, all/exactly/just/quite/very/so/too/every, turn/go/get/do, feel/look/sound/seem:
    "the right idea", "that's right", "get it right", "it sounds right"). The tag ", right?" or
    ", right," or ", right." (0.75); a pause then "right?" (0.65); a sentence opener with a
    comma or filler after it, or as a question ("Right, so", "… disk. Right?": 0.6), or as a
    sentence of its own after the first word ("… with time. Right. And …": 0.55); with no
    punctuation before but a break after ("the analytics right, the method": 0.55); with no
    break at all before the subject of a new clause or a determiner, only likely (0.45). "Right."
    as the whole answer, "right now", "right away" are not fillers."""
    before, after = scan.before(index), scan.after(index)
    question = scan.question(index)
    if scan.previous(index) in lexicon.RIGHT_NOT_AFTER:
        return None
    if before is Break.COMMA and (question or after >= Break.FILLER):
        return 0.75  # "…, right?" "…, right, and …"
    if before is Break.PAUSE and question:
        return 0.65
    if before is Break.SENTENCE or scan.counted(index - 1):
        if question or Break.FILLER <= after < Break.SENTENCE:
            return 0.6  # "Right, so …", "… to disk. Right? The fix …"
        if after is Break.SENTENCE and index > 0:
            return 0.55  # "… with time. Right. And …"; "Right." at the start answers
        return None
    if after >= Break.FILLER:
        return 0.55  # "it's a survey or the analytics right, the method …"
    if scan.following(index) in lexicon.SUBJECT_STARTS | lexicon.DETERMINERS:
        return 0.45  # "it went to disk right the fix was small"
    return None


def _okay(scan: Scan, index: int) -> float | None:
    """``okay`` (ok, OK): clause-initial before "so" or a filler ("Okay, so", "Okay, um": 0.7) or
    followed by a comma ("Okay, I …": 0.6), or the tag ", okay?" (0.7); an answer's first word
    "Okay." (after fillers only) buys time (0.6); never "it's okay", nor "Okay." on its own
    later in the answer."""
    before, after = scan.before(index), scan.after(index)
    if before is Break.COMMA and scan.question(index):
        return 0.7
    if before < Break.PAUSE or scan.previous(index) in lexicon.BE | {"it", "that", "all"}:
        return None
    if after is not Break.SENTENCE and (
        scan.counted(index + 1) or (after >= Break.PAUSE and scan.core(index + 1) == "so")
    ):
        return 0.7
    if after is Break.COMMA and before >= Break.FILLER:
        return 0.6
    opens = all(scan.counted(earlier) for earlier in range(index)) and index + 1 < len(scan)
    if after >= Break.COMMA and opens:
        return 0.6  # the answer opens with "Okay." to buy time
    return None


_MARKERS: dict[str, tuple[FillerType, _Marker]] = {
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


def _find_repetitions(scan: Scan) -> None:
    """An immediate repeat of the same word ("I, I", "the the", "we we") or of the same two words
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
    "if it beeps at you, you …"); at the start of a clause it counts ("That, that was hard")."""
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


def _after_hesitations(scan: Scan, index: int) -> int | None:
    """Where the word at ``index`` is said again right after hesitation sounds ("the, um, the")."""
    again = index + 1
    while again < len(scan) and scan.hesitation(again):
        again += 1
    if again == index + 1 or not _same(scan, index, again, 1):
        return None
    return again


def _word_confidence(scan: Scan, index: int) -> float:
    """A word that can end one clause and start the next ("it beeps at you, you see") is only a
    likely repeat when a comma separates the copies in mid-sentence."""
    if (
        scan.core(index) in lexicon.CLAUSE_EDGES
        and scan.punctuation(index + 1) is Break.COMMA
        and scan.before(index) is Break.NONE
    ):
        return 0.45
    return 0.9


def _pair_confidence(scan: Scan, index: int) -> float:
    """A repeated pair is a restart when it breaks off mid-phrase ("in the, in the") or after its
    subject ("I was, I was"); otherwise it may be emphasis ("thank you, thank you")."""
    restart = scan.core(index) in lexicon.SUBJECTS or scan.core(index + 1) in lexicon.INCOMPLETE
    return 0.75 if restart else 0.45


def _stutter(core: str) -> bool:
    """One written word that repeats itself: "I-I", "we-we-we"."""
    parts = core.split("-")
    return len(parts) > 1 and len(set(parts)) == 1 and _repeatable(parts[0])


def _repeat(scan: Scan, index: int) -> tuple[int, int] | None:
    """(words per copy, copies) of an immediate repeat starting at ``index``."""
    for size in (1, 2):
        copies = 1
        while _same(scan, index, index + size * copies, size):
            copies += 1
        if copies == 1:
            continue
        if (
            size == 1
            and scan.core(index) in lexicon.SOOTHING_DOUBLES
            and scan.punctuation(index + copies) is not Break.NONE
        ):
            return None  # "Now, now." "There, there, it's fine."
        if (
            size == 1
            and scan.core(index) in lexicon.GRAMMATICAL_DOUBLES
            and scan.gap(index + 1) is Break.NONE
        ):
            return None
        return size, copies
    return None


def _same(scan: Scan, first: int, second: int, size: int) -> bool:
    """Whether the ``size`` words at ``second`` repeat those at ``first`` within one sentence."""
    within = all(
        scan.punctuation(gap) is not Break.SENTENCE for gap in range(first + 1, second + 1)
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
        core not in lexicon.NEVER_REPEATED
        and not _NUMBER.match(core)
        and any(char.isalpha() for char in core)
    )

"""The lexical filler channel: every rule, both ways, on constructed word lists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practice.analysis.events import COUNTED_CONFIDENCE, TRANSCRIPT, TYPES, FillerEvent
from practice.analysis.fillers import find_fillers
from practice.analysis.transcript import Word

WORD_S = 0.3
STEP_S = 0.4
PAUSE_S = 0.8


def spoken(script: str) -> tuple[list[Word], list[tuple[float, float]]]:
    """Words 0.3 s long every 0.4 s; a ``|`` stands for a 0.8 s silence measured there."""
    words: list[Word] = []
    silences: list[tuple[float, float]] = []
    clock = 0.0
    for token in script.split():
        if token == "|":
            silences.append((clock - (STEP_S - WORD_S), clock - (STEP_S - WORD_S) + PAUSE_S))
            clock += PAUSE_S
            continue
        words.append(Word(token, clock, clock + WORD_S))
        clock += STEP_S
    return words, silences


def events(script: str) -> list[FillerEvent]:
    return find_fillers(*spoken(script))


def found(script: str) -> list[tuple[str, str]]:
    """The counted fillers, as (type, the words that make them up)."""
    words, _silences = spoken(script)
    return [
        (event.type, " ".join(words[index].text for index in event.words))
        for event in events(script)
        if event.counted
    ]


def likely(script: str) -> list[tuple[str, str]]:
    """The events that are reported as likely but not counted."""
    words, _silences = spoken(script)
    return [
        (event.type, " ".join(words[index].text for index in event.words))
        for event in events(script)
        if not event.counted
    ]


def check(script: str, expected: list[tuple[str, str]]) -> None:
    assert found(script) == expected, script


# --- the examples from the brief -------------------------------------------------------------


def test_the_example_sentence_has_five_fillers() -> None:
    check(
        "So, um, I like, you know, worked on it, like, every day",
        [
            ("so", "So,"),
            ("um", "um,"),
            ("like", "like,"),
            ("you know", "you know,"),
            ("like", "like,"),
        ],
    )


@pytest.mark.parametrize(
    "script",
    [
        "I like my job.",
        "We did it so that the team could ship.",
        "And so, my fellow Americans, ask not what your country can do for you, "
        "ask what you can do for your country.",
    ],
)
def test_ordinary_sentences_have_no_fillers(script: str) -> None:
    assert events(script) == []


# --- hesitation sounds -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("um,", "um"),
        ("Umm,", "um"),
        ("UMMM...", "um"),
        ("uhm", "um"),
        ("erm,", "um"),
        ("Ehm,", "um"),
        ("uh,", "uh"),
        ("Uhh...", "uh"),
        ("UH", "uh"),
        ("er,", "er"),
        ("Errr,", "er"),
        ("ah,", "ah"),
        ("Ahh,", "ah"),
        ("hmm,", "hmm"),
        ("Hm.", "hmm"),
        ("mmm,", "hmm"),
        ("um-", "um"),
        ("(um)", "um"),
        ("\u2014uh\u2014", "uh"),
        ("uh-um,", "uh"),
    ],
)
def test_hesitation_spellings_are_canonicalised(written: str, kind: str) -> None:
    check(f"It was, {written} fine.", [(kind, written)])


def test_hesitations_are_sure_and_come_from_the_transcript() -> None:
    (event,) = events("We, um, shipped it.")
    assert event.source == TRANSCRIPT
    assert event.confidence >= 0.9
    assert (event.start, event.end, event.words) == (0.4, 0.4 + WORD_S, (1,))


def test_a_hesitation_at_the_start_and_the_end() -> None:
    check("Uh, I think so, hmm.", [("uh", "Uh,"), ("hmm", "hmm.")])


def test_every_hesitation_in_a_run_counts() -> None:
    check("It was um um uh hard.", [("um", "um"), ("um", "um"), ("uh", "uh")])


@pytest.mark.parametrize(
    "script",
    [
        "To err is human.",
        "We err on the side of caution.",
        "They would err in favour of speed.",
        "I worked in the ER.",
        "The umbrella was humming.",
        "A gap of 5 mm is enough.",
        "Ah, I see.",
        "Ah! That is the one.",
        "Ah, yes, the database.",
        "Huh, that was odd.",
        "It's cold out, eh?",
    ],
)
def test_words_that_look_like_hesitations(script: str) -> None:
    assert found(script) == [], script


@pytest.mark.parametrize(
    "script",
    [
        'Then press "OK" to continue.',
        'The word "um" is a filler.',
        "She said \u201clike\u201d twice.",
        'Type "so" and Enter.',
    ],
)
def test_quoted_words_are_mentioned_not_used(script: str) -> None:
    assert events(script) == [], script


def test_quotation_marks_are_no_break() -> None:
    assert events('It highlights "Type" like "Statement".') == []


def test_err_with_a_break_is_a_hesitation() -> None:
    check("It was, err, on the other server.", [("er", "err,")])


def test_ah_as_a_hesitation() -> None:
    check("I used, ah, Postgres.", [("ah", "ah,")])


def test_eh_is_the_spelling_of_a_held_neutral_vowel() -> None:
    (event,) = events("The results were, eh, mixed.")
    assert (event.type, event.words) == ("er", (3,))
    assert COUNTED_CONFIDENCE <= event.confidence < 0.9


@pytest.mark.parametrize("written", ["mhm,", "Mm-hmm,", "um-hmm,", "uh-huh,", "uh-uh,"])
def test_backchannels_count_with_lower_confidence(written: str) -> None:
    (event,) = events(f"{written} we shipped it.")
    assert event.type == "hmm"
    assert COUNTED_CONFIDENCE <= event.confidence < 0.9


# --- like ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "script",
    [
        "I was, like, really nervous.",
        "Like, I had no idea.",
        "It took, like, a month.",
        "We finished. Like, everything.",
        "The deadline, like... moved.",
        "The project | like | took forever.",
        "and um like, we went",
    ],
)
def test_like_as_a_filler(script: str) -> None:
    assert [kind for kind, _words in found(script) if kind == "like"] == ["like"], script


@pytest.mark.parametrize(
    "script",
    [
        "I like my job.",
        "We like working together.",
        "I'd like to lead.",
        "We would like, um, more time.",
        "It looks like rain.",
        "It feels like, um, a long time.",
        "It sounds like a plan.",
        "Like I said, it works.",
        "Do you like it?",
        "Things like this happen.",
        "I | like | my job.",
        "She is just like her mother.",
        "Whatever you like.",
    ],
)
def test_like_as_a_verb_or_preposition(script: str) -> None:
    assert [kind for kind, _words in found(script) if kind == "like"] == [], script


def test_like_between_a_subject_and_its_verb() -> None:
    check("We like, um, decided to wait.", [("like", "like,"), ("um", "um,")])


def test_like_before_an_object_after_a_pause_needs_punctuation_before() -> None:
    assert found("A tool | like | that one.") == []
    assert likely("A tool | like | that one.") == [("like", "like")]
    check("It was, like | the only one.", [("like", "like")])


def test_like_after_a_conjunction() -> None:
    check("And like, we shipped it.", [("like", "like,")])


def test_like_after_be_before_an_intensifier_counts() -> None:
    check("It was like, really hard.", [("like", "like,")])


def test_like_after_be_with_a_pause_before_an_intensifier() -> None:
    check("It was | like really hard.", [("like", "like")])
    assert found("It was like really hard.") == []
    assert likely("It was like really hard.") == [("like", "like")]


@pytest.mark.parametrize(
    "script",
    [
        "It took like three months.",
        "We had like 20 people.",
        "Afternoons are meetings like reviews with clients.",
        "It was the method like I didn't guess.",
    ],
)
def test_like_with_no_break_around_it_counts_least_surely(script: str) -> None:
    (event,) = events(script)
    assert (event.type, event.confidence) == ("like", COUNTED_CONFIDENCE)


@pytest.mark.parametrize(
    "script",
    [
        "Afternoons are meetings, like reviews with clients.",
        "I gave myself a week. Like every morning I read the code.",
        "It's small | like a tool for a friend.",
    ],
)
def test_like_after_a_break_counts_without_one_after(script: str) -> None:
    (event,) = events(script)
    assert event.type == "like" and event.confidence > COUNTED_CONFIDENCE, script


@pytest.mark.parametrize(
    "script",
    [
        "I'd most like to change the process.",
        "Like I said, it works.",
        "Like you said, it works.",
        "We need a tool like that.",
        "It was slower than you'd like.",
        "It is a like question.",
        "People like you are rare.",
        "It's a lot like chess.",
        "Someone like her would know.",
        "It was kind of like a startup.",
        "We use tools like Jira and Slack.",
        "They treated us like family.",
    ],
)
def test_like_governing_what_follows_is_no_filler(script: str) -> None:
    assert [kind for kind, _words in found(script) if kind == "like"] == [], script


@pytest.mark.parametrize("script", ["It looks like two teams.", "It's like a family here."])
def test_like_before_a_number_or_article_is_no_filler(script: str) -> None:
    assert events(script) == []


def test_quotative_like_is_only_likely() -> None:
    assert found("She was like, no way.") == []
    assert likely("She was like, no way.") == [("like", "like,")]


def test_pauses_make_like_a_filler_with_less_confidence_than_commas() -> None:
    (comma,) = events("The project, like, took forever.")
    (pause,) = events("The project | like | took forever.")
    assert comma.confidence > pause.confidence >= COUNTED_CONFIDENCE


# --- you know, i mean ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "script",
    [
        "You know, it was hard.",
        "It was, you know, hard.",
        "It was hard, you know?",
        "It was hard, you know.",
        "And you know, we shipped it.",
        "It was | you know | hard.",
        "Y'know, it was fine.",
    ],
)
def test_you_know_as_a_filler(script: str) -> None:
    assert [kind for kind, _words in found(script)] == ["you know"], script


@pytest.mark.parametrize(
    "script",
    [
        "You know what I mean.",
        "Do you know how it works?",
        "Do you know?",
        "You know that it works.",
        "I think you know the answer.",
        "You know him well.",
        "As you know, we moved.",
        "Talk to people you know, and ask.",
        "If you know, tell me.",
        "It was | you know | the answer.",
        "You knew it.",
    ],
)
def test_you_know_with_a_meaning(script: str) -> None:
    assert found(script) == [], script


@pytest.mark.parametrize(
    "script",
    [
        "I traced it back and you know it's my fault.",
        "I loved it, but you know we moved on.",
        "It was half a decision | you know people miss meetings.",
    ],
)
def test_you_know_before_a_new_subject_counts_least_surely(script: str) -> None:
    (event,) = events(script)
    assert event.type == "you know" and event.counted
    assert event.confidence < events("You know, it was hard.")[0].confidence


@pytest.mark.parametrize(
    "script",
    [
        "We shipped and you know the team was great.",
        "It was you know collecting data.",
        "I tried, but you know my manager said no.",
    ],
)
def test_you_know_after_a_conjunction_is_a_filler_at_the_least_confidence(script: str) -> None:
    (event,) = events(script)
    assert event.type == "you know" and event.confidence == COUNTED_CONFIDENCE


@pytest.mark.parametrize(
    "script",
    ["And you know how it works.", "But you know what I did?", "And you know that it works."],
)
def test_you_know_before_a_question_word_or_that_is_the_verb(script: str) -> None:
    assert found(script) == [], script


def test_multi_word_events_span_their_words() -> None:
    (event,) = events("It was, you know, hard.")
    assert event.words == (2, 3)
    assert (event.start, event.end) == (2 * STEP_S, 3 * STEP_S + WORD_S)


@pytest.mark.parametrize(
    "script", ["I mean, it was fine.", "It was, I mean, fine.", "I mean | we tried hard."]
)
def test_i_mean_as_a_filler(script: str) -> None:
    assert [kind for kind, _words in found(script)] == ["i mean"], script


@pytest.mark.parametrize(
    "script",
    [
        "We check, because I mean half the time it's known.",
        "Not full time, but I mean setting the direction.",
        "It didn't touch checkout. I mean not directly.",
    ],
)
def test_i_mean_opening_a_clause_without_a_comma(script: str) -> None:
    assert [kind for kind, _words in found(script)] == ["i mean"], script


@pytest.mark.parametrize(
    "script",
    [
        "I mean it.",
        "I mean that.",
        "That's what I mean.",
        "I mean to say yes.",
        "Do you know what I mean?",
        "I mean | it.",
        "I mean | the whole team.",
        "And I mean every word.",
    ],
)
def test_i_mean_with_a_meaning(script: str) -> None:
    assert found(script) == [], script


# --- so --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("So, um, we started.", [("so", "So,"), ("um", "um,")]),
        ("So, I started here.", [("so", "So,")]),
        ("It failed. So, we rewrote it.", [("so", "So,")]),
        ("It was late, so, I left.", [("so", "so,")]),
        ("We shipped it, so.", [("so", "so.")]),
        ("So | I started here.", [("so", "So")]),
        ("So... we tried again.", [("so", "So...")]),
    ],
)
def test_so_as_a_filler(script: str, expected: list[tuple[str, str]]) -> None:
    check(script, expected)


@pytest.mark.parametrize(
    "script",
    [
        "We did it so that it works.",
        "It was so good.",
        "We had so much to do.",
        "So far so good.",
        "I think so.",
        "I think so, yes.",
        "And so on.",
        "Ten days or so.",
        "Even so, we shipped.",
        "If so, we ship.",
        "And | so, we left.",
        "So | that was it.",
    ],
)
def test_so_with_a_meaning(script: str) -> None:
    assert found(script) == [], script


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("So I started as an intern.", [("so", "So")]),
        ("Um, so I started as an intern.", [("um", "Um,"), ("so", "so")]),
        ("It was hard. So I taught myself.", [("so", "So")]),
        ("Okay, so there was a time.", [("okay", "Okay,"), ("so", "so")]),
        ("Okay, so from the hiring side.", [("okay", "Okay,"), ("so", "so")]),
        ("It was slow. So rather than wait, I left.", [("so", "So")]),
        ("I understand it. So that's the story.", [("so", "So")]),
    ],
)
def test_so_opening_a_sentence_without_a_comma(
    script: str, expected: list[tuple[str, str]]
) -> None:
    check(script, expected)


def test_a_capitalised_marker_starts_a_sentence_without_a_full_stop() -> None:
    check("It moved to a vendor So rather than wait, I left.", [("so", "So")])
    check("The paperwork wore me down So I moved.", [("so", "So")])
    assert found("The paperwork wore me down so I moved.") == []
    assert found("We moved to Paris with Right Angle Labs.") == []


def test_so_opening_a_sentence_counts_and_so_joining_clauses_is_only_likely() -> None:
    (opening,) = events("It was late. So I left.")
    (joining,) = events("It was late, so I left.")
    assert opening.counted and not joining.counted
    assert joining.confidence >= 0.4


@pytest.mark.parametrize(
    "script",
    [
        "It was late, so that I left.",
        "Every decision touches so many groups.",
        "I've been here since. So much of it came from luck.",
        "If I'm stuck, I say so in the channel.",
        "It failed, so much for that.",
    ],
)
def test_so_of_degree_or_purpose_after_a_break(script: str) -> None:
    assert [kind for kind, _words in found(script) if kind == "so"] == [], script


# --- basically, actually, literally ----------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "kind"),
    [
        ("Basically, we rebuilt it.", "basically"),
        ("We, basically, rebuilt it.", "basically"),
        ("And basically, we rebuilt it.", "basically"),
        ("Literally, everyone came.", "literally"),
        ("Actually, I disagree.", "actually"),
        ("It was, actually, fine.", "actually"),
    ],
)
def test_stance_words_as_fillers(script: str, kind: str) -> None:
    assert [found_kind for found_kind, _words in found(script)] == [kind], script


@pytest.mark.parametrize(
    "script",
    [
        "It is basically done.",
        "I actually did it.",
        "It literally broke.",
        "What actually happened?",
        "Basically.",
    ],
)
def test_stance_words_with_a_meaning(script: str) -> None:
    assert events(script) == [], script


def test_but_actually_is_only_likely() -> None:
    assert found("It was cheap, but actually, it failed.") == []
    assert likely("It was cheap, but actually, it failed.") == [("actually", "actually,")]


def test_a_sentence_final_actually_counts() -> None:
    check("It was fine, actually.", [("actually", "actually.")])
    check("It was too clever actually.", [("actually", "actually.")])


@pytest.mark.parametrize(
    ("script", "kind"),
    [
        ("Actually most of the jobs came from friends.", "actually"),
        ("The pay is the same, and actually the pace is slower.", "actually"),
        ("It was too clever actually, and we threw it out.", "actually"),
        ("It was the first job basically it's a starting point.", "basically"),
        ("With real users. Basically we ran a test.", "basically"),
        ("It's the people basically everyone I work with.", "basically"),
    ],
)
def test_stance_words_opening_or_closing_a_clause_without_commas(script: str, kind: str) -> None:
    assert [found_kind for found_kind, _words in found(script)] == [kind], script


@pytest.mark.parametrize(
    "script",
    [
        "People say what they actually need.",
        "It's one of the few tools I actually enjoy.",
        "Something they would actually use.",
        "I basically run the team.",
        "And actually did it.",
        "The team actually shipped it.",
    ],
)
def test_stance_words_inside_a_verb_phrase(script: str) -> None:
    assert found(script) == [], script


def test_basically_is_surer_than_actually() -> None:
    (basically,) = events("Basically, we rebuilt it.")
    (actually,) = events("Actually, we rebuilt it.")
    assert basically.confidence > actually.confidence


# --- kind of, sort of ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("It was kind of hard.", [("kind of", "kind of")]),
        ("I sort of liked it.", [("sort of", "sort of")]),
        ("It's kinda weird.", [("kind of", "kinda")]),
        ("We sorta fixed it.", [("sort of", "sorta")]),
        ("Good tools aren't sorta invisible.", [("sort of", "sorta")]),
        ("It was kind of a mess.", [("kind of", "kind of")]),
        ("And, kind of, we stopped.", [("kind of", "kind of,")]),
    ],
)
def test_hedges(script: str, expected: list[tuple[str, str]]) -> None:
    check(script, expected)


@pytest.mark.parametrize(
    "script",
    [
        "What kind of job is it?",
        "It is a kind of magic.",
        "This sort of problem is common.",
        "That kind of thing happens.",
        "The kind of person I am.",
        "Some kind of error.",
        "It was kind of.",
        "Kind of, yeah.",
        "All kinds of people.",
    ],
)
def test_kind_and_sort_as_nouns(script: str) -> None:
    assert found(script) == [], script


def test_a_sentence_initial_hedge_counts_less_surely() -> None:
    (initial,) = events("That's rare. Sort of a translation skill.")
    (hedge,) = events("It was kind of hard.")
    assert initial.type == "sort of" and hedge.confidence > initial.confidence >= 0.5


@pytest.mark.parametrize(
    ("script", "kind"),
    [
        ("We put it on a sticky note sort of the classic wall.", "sort of"),
        ("To work with less certainty sort of to be comfortable.", "sort of"),
        ("I called every month kind of as a promise.", "kind of"),
    ],
)
def test_a_hedge_after_a_noun_counts_least_surely(script: str, kind: str) -> None:
    (event,) = events(script)
    assert (event.type, event.confidence) == (kind, COUNTED_CONFIDENCE)


@pytest.mark.parametrize(
    "script",
    [
        "It was a different kind of job.",
        "The same sort of problem.",
        "That's kind of thing.",
        "It's a good kind of problem.",
    ],
)
def test_a_hedge_after_an_adjective_is_the_noun(script: str) -> None:
    assert found(script) == [], script


def test_a_sentence_initial_hedge_with_a_comma_is_an_answer_only_before_yes_or_no() -> None:
    check("That's rare. Sort of, a translation skill.", [("sort of", "Sort of,")])
    assert found("Kind of, but not really.") == []
    assert found("Sort of, I guess.") == []


@pytest.mark.parametrize(
    "script", ["It comes with time. Right. And with mistakes.", "It's rare. Right. So we stay."]
)
def test_right_as_a_sentence_of_its_own(script: str) -> None:
    assert [kind for kind, _words in found(script)][:1] == ["right"], script


@pytest.mark.parametrize("script", ["Right.", "Right. So we stay.", "Is that right? Yes."])
def test_right_opening_the_answer_on_its_own_answers(script: str) -> None:
    assert "right" not in [kind for kind, _words in found(script)], script


# --- well, right, okay -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "script",
    ["Well, I think it worked.", "And, well, it broke.", "Well, um, no.", "Well | I think so."],
)
def test_well_as_a_filler(script: str) -> None:
    assert [kind for kind, _words in found(script) if kind == "well"] == ["well"], script


@pytest.mark.parametrize(
    "script",
    [
        "I did that as well.",
        "Well done.",
        "It went well, I think.",
        "Very well, then.",
        "Oh well, never mind.",
        "We did well.",
        "The well was dry.",
    ],
)
def test_well_with_a_meaning(script: str) -> None:
    assert found(script) == [], script


@pytest.mark.parametrize(
    "script",
    ["It scales, right?", "We cache it, right, and then we ship.", "It scales | right?"],
)
def test_right_as_a_tag(script: str) -> None:
    assert [kind for kind, _words in found(script)] == ["right"], script


@pytest.mark.parametrize(
    "script",
    [
        "That's rare, right. We stay.",
        "It went to disk. Right? The fix was small.",
        "It's a survey or the analytics right, the method follows.",
        "I'm patient with legacy code. Right, a lot of engineers rewrite.",
    ],
)
def test_right_set_off_on_one_side(script: str) -> None:
    assert [kind for kind, _words in found(script)] == ["right"], script


@pytest.mark.parametrize(
    "script",
    [
        "That is the right answer.",
        "I will do it right now.",
        "We started right away.",
        "Is that right?",
        "You were right.",
        "Turn right at the corner.",
        "Right.",
        "It sounds right, and it works.",
        "Get it right, then ship.",
        "If the role is right, I'm flexible.",
        "They had every right to be angry.",
        "Being right matters less.",
        "It went to disk right the fix was small.",
    ],
)
def test_right_with_a_meaning(script: str) -> None:
    assert found(script) == [], script


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("Okay, so, um, the project.", [("okay", "Okay,"), ("so", "so,"), ("um", "um,")]),
        ("OK, so the project failed.", [("okay", "OK,"), ("so", "so")]),
        ("Okay, I see.", [("okay", "Okay,")]),
        ("We cache it, okay?", [("okay", "okay?")]),
    ],
)
def test_okay_as_a_filler(script: str, expected: list[tuple[str, str]]) -> None:
    check(script, expected)


@pytest.mark.parametrize(
    "script", ["It's okay.", "That is okay with me.", "The plan was OK.", "Okay."]
)
def test_okay_with_a_meaning(script: str) -> None:
    assert found(script) == [], script


@pytest.mark.parametrize("script", ["Okay. I'd like to start with the team.", "Um, okay. So we"])
def test_an_answer_opening_with_okay_buys_time(script: str) -> None:
    assert ("okay", "okay.") in [(kind, text.lower()) for kind, text in found(script)], script
    assert "okay" not in [kind for kind, _text in found("We met. Okay. Then we left.")]


# --- repetitions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "repeated"),
    [
        ("I, I think it works.", "I,"),
        ("The the team shipped.", "The"),
        ("We we shipped it.", "We"),
        ("We, we, we shipped it.", "We, we,"),
        ("I was, I was going to say.", "I was,"),
        ("In the, in the end it worked.", "In the,"),
        ("We had, we had a plan.", "We had,"),
        ("I-I think so.", "I-I"),
        ("That, that was hard.", "That,"),
        ("And and then it broke.", "And"),
    ],
)
def test_repetitions(script: str, repeated: str) -> None:
    check(script, [("repetition", repeated)])


@pytest.mark.parametrize(
    "script",
    [
        "It was very very good.",
        "We really really tried.",
        "It was so so.",
        "No no, that is fine.",
        "He had had enough.",
        "I think that that is true.",
        "The thing is, is that it works.",
        "What they do do is ship.",
        "Call one one two.",
        "Bye bye.",
        "That is right, right now.",
        "Ha ha.",
        "That is what I told you. You agreed.",
        "Was it you? You did it.",
    ],
)
def test_doubles_that_are_not_repetitions(script: str) -> None:
    assert found(script) == [], script


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("The, um, the team shipped.", [("repetition", "The,"), ("um", "um,")]),
        ("He had, uh, had enough.", [("repetition", "had,"), ("uh", "uh,")]),
        (
            "We, um, we, uh, we shipped.",
            [("repetition", "We,"), ("um", "um,"), ("repetition", "we,"), ("uh", "uh,")],
        ),
    ],
)
def test_repetitions_across_hesitations(script: str, expected: list[tuple[str, str]]) -> None:
    check(script, expected)


@pytest.mark.parametrize(
    "script", ["Thank you, thank you.", "In the end, the end result was good."]
)
def test_a_repeated_pair_that_may_be_deliberate_is_only_likely(script: str) -> None:
    assert found(script) == []
    assert [kind for kind, _words in likely(script)] == ["repetition"]


@pytest.mark.parametrize(
    "script", ["If it beeps at you, you are done.", "We tested it, it worked."]
)
def test_a_word_ending_one_clause_and_starting_the_next_is_only_likely(script: str) -> None:
    assert found(script) == []
    assert [kind for kind, _words in likely(script)] == ["repetition"]


def test_repeated_hesitations_are_hesitations() -> None:
    check("Um, um, we shipped.", [("um", "Um,"), ("um", "um,")])


def test_a_repetition_is_one_event_over_the_abandoned_copies() -> None:
    (event,) = events("We, we, we shipped it.")
    assert event.words == (0, 1)
    assert (event.start, event.end) == (0.0, STEP_S + WORD_S)
    assert event.confidence >= 0.9


# --- pauses measured on the signal -----------------------------------------------------------


def test_a_silence_swallowed_by_a_word_counts_at_its_nearer_edge() -> None:
    words = [
        Word("The", 0.0, 0.3),
        Word("project", 0.4, 2.0),  # spoken 0.4-0.9, then a silence the timestamp absorbed
        Word("like", 2.05, 2.3),
        Word("took", 2.4, 2.7),
    ]
    (none,) = find_fillers(words)
    silences = [(1.0, 1.9), (2.31, 2.39)]  # the second is too short to be a pause
    (before,) = find_fillers(words, silences)
    (both,) = find_fillers(words, [(1.0, 1.9), (2.3, 2.6)])
    assert (both.type, both.words) == ("like", (2,))
    assert none.confidence < before.confidence < both.confidence


def test_silences_are_ignored_when_no_rule_needs_them() -> None:
    words, _silences = spoken("I like my job.")
    everywhere = [(word.end, word.end + 0.5) for word in words]
    assert find_fillers(words, everywhere) == []


# --- the event type --------------------------------------------------------------------------


def test_events_round_trip_through_json() -> None:
    for event in events("So, um, I like, you know, worked on it, like, every day"):
        data = event.to_json()
        assert set(data) == {"type", "start", "end", "source", "confidence", "words"}
        again = FillerEvent.from_json(data)
        assert again.to_json() == data
        assert (again.type, again.source, again.words) == (event.type, event.source, event.words)
        assert again.start == pytest.approx(event.start, abs=1e-3)
        assert again.end == pytest.approx(event.end, abs=1e-3)
        assert again.confidence == pytest.approx(event.confidence, abs=1e-3)


def test_from_json_takes_the_minimal_form() -> None:
    event = FillerEvent.from_json({"type": "um", "start": 1, "end": 2, "source": "audio"})
    assert event == FillerEvent("um", 1.0, 2.0, "audio", 1.0, ())
    assert event.counted


def test_counted_follows_the_threshold() -> None:
    assert FillerEvent("so", 0, 1, TRANSCRIPT, COUNTED_CONFIDENCE).counted
    assert not FillerEvent("so", 0, 1, TRANSCRIPT, COUNTED_CONFIDENCE - 0.01).counted


def test_no_words_no_events() -> None:
    assert find_fillers([]) == []
    assert find_fillers([], [(0.0, 1.0)]) == []


# --- properties ------------------------------------------------------------------------------

_VOCABULARY = [
    "um", "Um,", "uh...", "erm", "err", "ah", "Ah!", "hmm", "mm-hmm", "uh-huh", "like", "Like,",
    "like,", "you", "know", "know,", "know?", "I", "I,", "mean", "mean,", "so", "So,", "so,",
    "basically,", "actually", "kind", "of", "sort", "kinda", "well", "Well,", "right?", "right",
    "okay,", "OK", "the", "the", "was", "it", "that", "I-I", "5", "mm", "-", "...", "", " ",
    "we", "we,", "had", "is", "very", "and", "And", "y'know", "\u2019cause", "'", "--um--",
]  # fmt: skip

_times = st.floats(min_value=-10, max_value=1000, allow_nan=False, allow_infinity=False)
_texts = st.one_of(st.sampled_from(_VOCABULARY), st.text(max_size=8))
_words = st.lists(st.builds(Word, _texts, _times, _times), max_size=40)
_silences = st.lists(st.tuples(_times, _times), max_size=10)


@settings(max_examples=300, deadline=None)
@given(_words, _silences)
def test_any_word_list_gives_well_formed_events(
    words: list[Word], silences: list[tuple[float, float]]
) -> None:
    found_events = find_fillers(words, silences)
    starts = [event.start for event in found_events]
    assert starts == sorted(starts)
    claimed = [index for event in found_events for index in event.words]
    assert len(claimed) == len(set(claimed))
    for event in found_events:
        assert event.words, event
        assert all(0 <= index < len(words) for index in event.words)
        assert event.start <= event.end
        assert event.type in TYPES
        assert event.source == TRANSCRIPT
        assert 0.0 < event.confidence <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(_VOCABULARY[:45]), max_size=30))
def test_well_timed_events_cover_their_words(texts: list[str]) -> None:
    words = [
        Word(text, index * STEP_S, index * STEP_S + WORD_S) for index, text in enumerate(texts)
    ]
    for event in find_fillers(words):
        assert event.start == min(words[index].start for index in event.words)
        assert event.end == max(words[index].end for index in event.words)
        assert list(event.words) == list(range(event.words[0], event.words[-1] + 1))

"""Coaching rules over words: STAR structure, specifics, hedges, questions, talking points."""

from __future__ import annotations

import pytest

from practice.analysis.coaching import Brief, Coaching, coach
from practice.analysis.coaching.asking import check_question
from practice.analysis.coaching.hedges import find_hedges
from practice.analysis.coaching.specifics import IWe, i_we, is_quantity, repeats
from practice.analysis.coaching.structure import find_structure
from practice.analysis.coaching.talking_points import check_points, keywords, stem
from practice.analysis.coaching.tokens import sentences, tokens
from tests.words import spoken

FULL = (
    "At my last job, our release process took two days. I was responsible for fixing it. "
    "First I mapped every step, then I wrote a script that ran the checks in parallel, and I "
    "trained the team to use it. As a result, releases now take 3 hours instead of 2 days."
)


def _structure(text: str):  # type: ignore[no-untyped-def]
    found = find_structure(sentences(spoken(text)))
    assert found is not None
    return found


def test_a_full_star_answer_has_every_part_in_order() -> None:
    found = _structure(FULL)
    assert [part.part for part in found.parts] == ["situation", "task", "action", "result"]
    assert found.missing == ()
    assert found.parts[0].start == 0.0 and found.parts[-1].end == pytest.approx(
        0.4 * len(FULL.split())
    )
    assert sum(found.shares.values()) == pytest.approx(1.0)


def test_an_answer_without_a_result_says_so() -> None:
    text = FULL[: FULL.index("As a result")]
    assert _structure(text).missing == ("result",)


def test_an_answer_without_a_situation_starts_at_the_task() -> None:
    text = FULL[FULL.index("I was responsible") :]
    found = _structure(text)
    assert found.missing == ("situation",)
    assert found.parts[0].part == "task"


def test_a_long_situation_is_too_long() -> None:
    scene = (
        "A few years ago I was working at a small agency. There was a big client. "
        "The team was five people and the project was a new website. It was a busy time "
        "and there were many meetings every week with the client and their managers. "
    )
    found = _structure(scene + "I rewrote the plan. As a result we launched on time.")
    assert found.too_long == ("situation",)
    assert found.shares["situation"] > 0.6


def test_a_cue_in_mid_sentence_starts_a_new_part() -> None:
    found = _structure(
        "At my last job I was responsible for the budget. I cut it. In the end it worked."
    )
    assert [part.part for part in found.parts] == ["situation", "task", "action", "result"]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # a task given by someone else
        (
            "At my last job the invoices were always late. My manager asked me to speed them "
            "up. I built a tracker and I called every late payer. As a result we were paid on "
            "time.",
            ["situation", "task", "action", "result"],
        ),
        # a scene set by a place and a role, without an opener
        (
            "I was night porter at a hotel by the station. The owner put me in charge of the "
            "lost property. I labelled every item and I started a log book. In the end most "
            "things went back to their owners.",
            ["situation", "task", "action", "result"],
        ),
        # a number after the opening is a measured outcome, even with "we" as the subject
        (
            "Two summers ago our chess club was nearly empty. I had to find new players. I put "
            "posters in every school and I ran free lessons. We signed up 40 new members.",
            ["situation", "task", "action", "result"],
        ),
        # a run-on transcript without full stops is cut into its clauses
        (
            "so at my old job we had a problem with late deliveries every single week and my "
            "boss asked me to sort it out so i called every driver and i changed the routes "
            "and after a month the late deliveries stopped",
            ["situation", "task", "action", "result"],
        ),
        # the result said first, then the scene
        (
            "In short I cut our printing costs by 4,000 pounds a year. I was the office manager "
            "at a law firm with three printers on every floor. I moved everyone onto two shared "
            "printers and I set double-sided as the default.",
            ["result", "situation", "action"],
        ),
    ],
)
def test_general_cues_find_each_part(text: str, parts: list[str]) -> None:
    found = _structure(text)
    assert [part.part for part in found.parts] == parts
    assert set(found.missing) == {"situation", "task", "action", "result"} - set(parts)


@pytest.mark.parametrize(
    "text",
    [
        # a want or need, the speaker's or someone else's, with no "to" after it
        "Our support queue was a week behind. I wanted every ticket answered within a day. "
        "I sorted the queue by age and I closed the oldest first. By Friday the backlog was gone.",
        "The school library was empty at lunch. The head teacher wanted it busy again. I started "
        "a reading club and I ran it twice a week. Within two months every table was taken.",
        # an obligation on anyone ("my crew had to")
        "Our warehouse lost stock every month. My crew had to find where it went. I checked "
        "every delivery note. In the end we found a broken scanner.",
        # a goal noun after a possessive, not in a fixed phrase
        "I ran a small bike shop. My target for the year was ten new trade customers. I visited "
        "every courier firm in town. We signed twelve by December.",
    ],
)
def test_a_task_is_any_statement_of_a_goal_need_or_obligation(text: str) -> None:
    found = _structure(text)
    assert [part.part for part in found.parts] == ["situation", "task", "action", "result"]
    assert found.missing == ()


@pytest.mark.parametrize(
    "text",
    [
        # a need of things, not of a person
        "Our office was moving and all the equipment had to be packed. I labelled every box "
        "and I booked the van. We moved in one weekend.",
        # the speaker gives the task to others: that is an action
        "Our tills were slow on Saturdays. I asked the cashiers to count the floats on Friday "
        "night. The queues halved.",
    ],
)
def test_a_task_given_to_others_or_to_things_is_no_task(text: str) -> None:
    assert "task" in _structure(text).missing


def test_a_did_or_found_with_an_object_is_an_action() -> None:
    found = _structure(
        "I was a night porter at a hotel. I did a full check of the fire doors and found two "
        "that would not close. The manager fixed them that week."
    )
    assert [part.part for part in found.parts] == ["situation", "action", "result"]


def test_a_result_said_first_needs_no_number() -> None:
    found = _structure(
        "Our complaints halved. That was at a furniture firm where customers kept calling about "
        "late vans. I built a text reminder that went out the night before."
    )
    assert [part.part for part in found.parts] == ["result", "situation", "action"]


def test_a_last_clause_that_goes_on_with_an_action_is_no_result() -> None:
    found = _structure(
        "Our van team damaged more parcels than any other team in the region. I was asked to "
        "find out why. I rode along with three of the drivers for a whole week, watched heavy "
        "boxes being loaded on top of small ones, and suggested a shelf layout with the heavy "
        "items at the bottom."
    )
    assert found.missing == ("result",)


def test_working_somewhere_sets_the_scene() -> None:
    found = _structure(
        "I worked in a call centre for a phone company. One evening the system went down. I "
        "wrote down every caller's number and I called them all back. Everyone was topped up by "
        "ten."
    )
    assert [part.part for part in found.parts] == ["situation", "action", "result"]


def test_a_result_said_first_then_what_had_gone_before() -> None:
    found = _structure(
        "We got every night bus back on its timetable. The drivers had been stuck behind a "
        "closed bridge for a month. I rerouted the timetable and I briefed every driver."
    )
    assert [part.part for part in found.parts] == ["result", "situation", "action"]
    assert found.missing == ("task",)


def test_an_answer_that_ends_on_what_others_then_did_has_a_result() -> None:
    found = _structure(
        "Our biggest client was about to leave. My job was to keep them. I visited their office "
        "with our director. I rewrote our offer around their busy season, and they signed for "
        "another two years."
    )
    assert found.missing == ()
    assert found.parts[-1].part == "result"


def test_a_goal_told_within_the_scene_is_a_task() -> None:
    found = _structure(
        "Our ward was two nurses short that night. I was the senior nurse there, so the triage "
        "was my call. I checked every patient and I sent two of them to resus. Both were seen "
        "within ten minutes."
    )
    assert found.missing == ()


def test_an_answer_that_opens_on_a_time_has_a_situation() -> None:
    found = _structure(
        "When the shop next door closed we took on all of their customers overnight. I hired two "
        "weekend staff and I extended our opening hours. Nobody waited more than ten minutes."
    )
    assert found.parts[0].part == "situation"
    assert found.missing == ("task",)


def test_joining_and_leaving_are_no_actions() -> None:
    # the speaker's own action is looked for anywhere, but a scene told in the first person is none
    found = _structure(
        "When I joined the clinic the waiting list was a year long and the phones rang all day. "
        "By the time I left it was down to six weeks."
    )
    assert "action" in found.missing


def test_clipped_actions_without_a_subject_are_actions() -> None:
    # rules v9: terse answers drop the subject; a participle before its noun stays a subject
    found = _structure(
        "Payroll export broken on a Monday. I had to get wages out by Wednesday. Rolled back "
        "the update. Re-ran the export by hand. Checked every total against last month. "
        "Everyone was paid on time."
    )
    assert found.missing == ()
    assert [part.part for part in found.parts] == ["situation", "task", "action", "result"]
    outcome = _structure(
        "The loading bay kept jamming. I moved the deliveries to the morning. Delayed lorries "
        "dropped from twelve a week to two."
    )
    assert outcome.parts[-1].part == "result" and "action" not in outcome.missing


def test_actions_told_in_the_present_are_actions() -> None:
    found = _structure(
        "I work in a bakery. One morning the oven stop working before the shops open. I call "
        "the engineer, I bake the bread in the small oven, and I deliver late but complete."
    )
    assert "action" not in found.missing
    assert found.parts[0].part == "situation"


def test_a_one_sentence_answer_told_in_the_present_is_an_action() -> None:
    assert _structure("I call each new client every Monday for ten minutes.").missing == (
        "situation",
        "task",
        "result",
    )
    # a scene told in the present is still the scene
    assert _structure("I work at a call centre with forty agents.").missing == (
        "task",
        "action",
        "result",
    )


def test_a_two_word_clause_at_the_end_is_the_result_not_a_closing() -> None:
    told = (
        "A supplier sent the wrong parts the week before the launch. I called their manager "
        "and offered to collect the right ones myself. "
    )
    found = _structure(told + "He agreed.")
    assert [part.part for part in found.parts] == ["situation", "action", "result"]
    assert "result" in _structure(told + "Thanks all.").missing


@pytest.mark.parametrize(
    ("ending", "parts"),
    [
        # the speaker's action, then in a clause of its own an outcome with a number
        ("and the pile shrank to five boxes by March.", ["situation", "action", "result"]),
        # no outcome said: one action
        ("and the pile shrank to a few boxes.", ["situation", "action"]),
        # a number alone is no outcome
        ("and the driver took them back at three in the morning.", ["situation", "action"]),
        # "so …" says what the action was for
        ("so the drivers took 300 boxes back that month.", ["situation", "action"]),
    ],
)
def test_an_outcome_clause_after_the_speakers_action_is_the_result(
    ending: str, parts: list[str]
) -> None:
    found = _structure(
        "Our store's returns piled up every January. I sorted them by supplier each morning "
        + ending
    )
    assert [part.part for part in found.parts] == parts


def test_a_need_told_first_then_the_speakers_goal_is_the_scene() -> None:
    found = _structure(
        "As a librarian I had a reader who wanted large print books we never stocked. My goal "
        "was to find them within a week. I asked the county store and I borrowed twenty. She "
        "came back every Saturday after that."
    )
    assert found.missing == ()
    assert [part.part for part in found.parts] == ["situation", "task", "action", "result"]


def test_note_style_headings_and_changes_without_a_verb() -> None:
    found = _structure(
        "Goal: cut the boiler's gas use. Logged the burner hours for a month. Changed the "
        "night setback. Gas use down from 900 units to 700."
    )
    assert found.missing == ("situation",)


def test_a_last_outcome_after_the_speakers_actions_is_the_result() -> None:
    found = _structure(
        "Our warehouse lost track of returns. I had to sort it. I labelled every shelf and I "
        "wrote a checklist for each return. By the evening we had zero unlogged parcels."
    )
    assert found.missing == ()
    assert found.parts[-1].part == "result"


@pytest.mark.parametrize(
    "text",
    [
        FULL,
        FULL[FULL.index("I was responsible") :],
        "The printer was broken all week and nobody knew why. I fixed it.",
        "I found the bug and fixed it. The customer was happy.",
        "We had a slow build. We split the tests and we cached the packages.",
    ],
)
def test_the_bar_and_the_verdict_are_one_decision(text: str) -> None:
    found = _structure(text)
    drawn = {part.part for part in found.parts}
    assert drawn.isdisjoint(found.missing)
    assert drawn | set(found.missing) == {"situation", "task", "action", "result"}


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("40%", True),
        ("$2,000", True),
        ("three", True),
        ("halved", True),
        ("2019", False),
        ("one", False),
        ("team", False),
        ("12", True),
        ("zero", True),
        ("twenty-five", True),
        ("threefold", True),
        ("grand", True),
        ("well-known", False),
    ],
)
def test_quantities(text: str, quantity: bool) -> None:
    assert is_quantity(text) is quantity


def test_the_result_is_quantified_only_with_a_number_in_the_result() -> None:
    assert coach(spoken(FULL), brief=Brief("star")).result_quantified
    plain = FULL.replace("releases now take 3 hours instead of 2 days", "releases got faster")
    assert not coach(spoken(plain), brief=Brief("star")).result_quantified


@pytest.mark.parametrize(
    ("text", "quantified"),
    [
        # a measured change counts wherever it is said
        ("I might have cut it from ten pages to two. Hopefully more people read it now.", True),
        ("I wrote to twenty speakers. In the end the event went well.", False),
        # a change by an amount is a Result
        ("I bought a ticket rail. Waiting times drop by more or less 10 minutes.", True),
        # a closing courtesy or a fragment is no part of the story
        ("I rebuilt the suite. As a result it took 5 minutes. Thank you for your attention.", True),
    ],
)
def test_quantified_results_in_spoken_forms(text: str, quantified: bool) -> None:
    answer = "At my old school the report was long. My goal was to fix it. " + text
    star = coach(spoken(answer), brief=Brief("star"))
    assert star.result_quantified is quantified
    assert star.structure is not None and star.structure.missing == ()


def test_scene_and_after_cues() -> None:
    found = _structure(
        "At my previous school the results were the lowest. I was responsible for the classes. "
        "I introduced daily quizzes. The following summer the results were the best in years."
    )
    assert [part.part for part in found.parts] == ["situation", "task", "action", "result"]


def test_i_and_we_are_counted_after_the_scene() -> None:
    text = (
        "Last year we had a slow build. I had to fix it. We split the tests, we cached "
        "the packages and we moved to faster machines. As a result it took 5 minutes."
    )
    coaching = coach(spoken(text), brief=Brief("star"))
    assert (coaching.i_we.i, coaching.i_we.we) == (1, 3)  # the scene's "we" is not counted
    assert coaching.i_we.we_heavy
    assert coaching.headline_rule == "we-heavy"
    # As a transcript writes it, the actions a sentence each: the same count.
    told = text.replace("tests, we", "tests. We").replace("packages and we", "packages. We")
    assert coach(spoken(told), brief=Brief("star")).i_we == coaching.i_we
    assert not i_we(tokens(spoken("I did it and we won."))).we_heavy


@pytest.mark.parametrize(
    ("text", "heavy"),
    [
        # short, no "I", the actions told with "we": mostly "we", however few
        ("The shop's till crashed on a Saturday. We took cash and wrote every sale down.", True),
        # the speaker says "I" once: no longer "we" rather than "I"
        ("The shop's till crashed on a Saturday. I said we take cash and we wrote it.", False),
        # "we" only in the scene, no action told with it
        ("We were short of staff that winter. The agency sent two nurses.", False),
    ],
)
def test_a_short_answer_that_never_says_i_and_acts_with_we_is_we_heavy(
    text: str, heavy: bool
) -> None:
    coaching = coach(spoken(text), brief=Brief("star"))
    assert coaching.i_we.we_heavy is heavy
    assert coaching.i_we.we < 3
    assert IWe.from_json(coaching.i_we.to_json()) == coaching.i_we


@pytest.mark.parametrize(
    ("text", "hedges"),
    [
        ("I think I maybe helped the team.", ["i think", "maybe"]),
        ("I think the best teams talk every day.", []),
        ("It went well, I think.", ["i think"]),
        ("It was kind of hard.", ["kind of"]),
        ("What kind of team was it?", []),
        ("I guess we just fixed it.", ["i guess", "just"]),
        ("It took a little bit of time.", []),
        ("It was a little bit slow and hopefully better now.", ["a little bit", "hopefully"]),
        ("I might have missed it, I'm not sure.", ["might have", "i'm not sure"]),
        # a guess about the past, not "have" as a verb of its own
        ("We could have probably saved a day.", ["could have", "probably"]),
        ("I found a loan unit we could have the next day.", []),
        ("I believe our tests caught it.", ["i believe"]),
        ("I made sure it shipped.", []),
        ("I think I may be helped the team.", ["i think", "maybe"]),  # "maybe" as transcribed
        ("I may be set up the board.", ["maybe"]),
        ("I may be late tomorrow.", []),
        ("Waiting times dropped, I'm not sure of the exact figure.", ["i'm not sure"]),
        ("I am not sure this field is right for me.", []),
        ("The plan got through review fairly easily, I'd say.", ["fairly", "i'd say"]),
        ("She treated everyone fairly.", []),
        ("I'd say the best part was the people.", []),
        ("It helped a bit, but I'm not sure by how much.", ["a bit", "i'm not sure"]),
        ("So a bit about me first.", []),
        ("It took a bit of time.", []),
        # v8: "I think" hedges a fact (the past, a figure, inside a claim), not an opinion or a plan
        ("I think absence came down after that.", ["i think"]),
        ("We ended up with I think six new volunteers.", ["i think"]),
        ("It went all right, I think, and the building was saved.", ["i think"]),
        ("I think I'd be good at it.", []),
        ("I think the real problem was that nobody owned the inbox.", []),
        ("They felt more confident after that, I hope.", ["i hope"]),
        # "not sure" with a degree inside, about the answer's own example, or a plan
        ("Hopefully it was better, I'm not really sure.", ["hopefully", "i'm not really sure"]),
        ("I'm not sure this counts, but I reorganised the stock room.", ["i'm not sure"]),
        ("I'm not sure if I want to stay in research.", []),
        # "a bit" weakens a result, not a feeling or a quantity
        ("Sign-ups went up a bit.", ["a bit"]),
        ("The new form was a bit clearer.", ["a bit"]),
        ("Sorry, I'm a bit nervous.", []),
        ("The waste went down quite a bit.", []),
        # set phrases and tags of doubt; "just" after another hedge
        ("We cleared 8,000 returns, if I remember right.", ["if i remember right"]),
        ("It has run for two winters, as far as I know.", ["as far as i know"]),
        ("I don't know, I moved some of the work.", ["i don't know"]),
        ("I kind of just stayed calm.", ["kind of", "just"]),
        ("I should probably explain where I'm coming from.", []),
        ("That sort of fixed it mostly.", ["sort of", "mostly"]),
    ],
)
def test_hedges_with_context(text: str, hedges: list[str]) -> None:
    assert [hedge.text for hedge in find_hedges(sentences(spoken(text)))] == hedges


def test_a_hedge_points_at_its_words_and_times() -> None:
    (hedge,) = find_hedges(sentences(spoken("We kind of won.")))
    assert hedge.words == (1, 2)
    assert (hedge.start, hedge.end) == pytest.approx((0.4, 1.2))


def test_repeated_phrases_are_found_once_at_their_longest() -> None:
    text = (
        "At the end of the day the client was happy. We met weekly. At the end of the day the "
        "work got done."
    )
    (repeat,) = repeats(tokens(spoken(text)))
    assert repeat.text == "at the end of the day" and repeat.count == 2
    assert repeats(tokens(spoken("I did it and I did it."))) == ()


@pytest.mark.parametrize(
    ("text", "asked", "count", "kind"),
    [
        (
            "I read your post on hiring. What surprised you most in your first year?",
            True,
            1,
            "open",
        ),
        ("Thanks for your time. Do you like working there?", True, 1, "closed"),
        ("What do you enjoy most, and what is the hardest part?", True, 2, "open"),
        ("What do you enjoy? Is it the people?", True, 2, "open"),
        ("Could you tell me how you got into the field?", True, 1, "open"),
        ("I'd love to hear how decisions get made on your team.", True, 1, "open"),
        ("I have been reading about the industry and I find it very interesting.", False, 0, None),
        (
            "What do you do all day? I ask because I have been thinking about my own path a lot "
            "lately and I am trying to work out what a good next step would be for me.",
            False,
            1,
            "open",
        ),
        ("Do you enjoy it or not?", True, 1, "closed"),
        # a request with two question-word clauses as its objects is one question
        ("Could you walk me through what went wrong and how the team recovered?", True, 1, "open"),
        ("Tell me what went wrong, and how did you recover?", True, 2, "open"),
        # spoken forms: contractions, requests, no "?" (transcripts drop it)
        ("How's the team structured?", True, 1, "open"),
        ("I moved into data. I'd be curious how you made the switch", True, 1, "open"),
        ("I guess my question is whether the hours are flexible.", True, 1, "closed"),
        ("I was wondering if you would recommend the course", True, 1, "closed"),
        ("I read your post on hiring so do you still enjoy the work", True, 1, "closed"),
        ("You have been there for years, what did you learn from it", True, 1, "open"),
        ("I wanted to know more about it, so I read a lot.", False, 0, None),
        ("I like the job and so do they.", False, 0, None),
        ("My manager asked what do you need and I told her.", False, 0, None),
        # a choice offered with "or" is one question, also as a sentence of its own
        ("Do you mostly work on the design side? Or is it all maintenance?", True, 1, "closed"),
        # a sentence opening with an auxiliary asks, even without "?"
        ("I saw you did a PhD. Is a PhD needed for research roles here.", True, 1, "closed"),
        ("Do you mostly work on the design side, or is it all maintenance?", True, 1, "closed"),
        # a question word with an auxiliary and a subject after it opens another question
        ("What's the salary like, how quickly does it rise, and is travel paid?", True, 3, "open"),
        ("If you were starting again today, what would you do differently?", True, 1, "open"),
        # spoken lead-ins and requests without "?"
        ("um so yeah what made you choose teaching over research", True, 1, "open"),
        ("I was hoping to find out if they would take someone part-time.", True, 1, "closed"),
        # a question word then a person in statement order opens a clause, not a question
        ("When you joined the firm, what did you change first?", True, 1, "open"),
        ("What I really want to know is, how did you find the first year?", True, 1, "open"),
        ("What I do now is mostly admin.", False, 0, None),
        # a spoken lead-in before the opener is one question, and "and um do you" opens one
        ("okay so um how did you get your first job", True, 1, "open"),
        ("right yeah that makes sense and um do you work from home at all", True, 1, "closed"),
        (
            "how many hours do you work a week and um do you get to work from home",
            True,
            2,
            "closed",
        ),
        # polite requests: an intensifier inside, "grateful if you could", "please"
        ("I'd be really interested to hear how you found your first clients.", True, 1, "open"),
        ("I'd be grateful if you could tell me how the training works.", True, 1, "open"),
        ("Please tell me more about the training.", True, 1, "open"),
        # "to do it" is an infinitive, no question
        (
            "I looked at the course and it seems possible to do it part-time. How did you pay "
            "for it?",
            True,
            1,
            "open",
        ),
        # v8: transcript order without "?": a question word then "do"/"be" and a subject or a
        # determiner, a contracted question word, a sentence that opens with an auxiliary
        (
            "i've been thinking about it so what's the balance actually like for you",
            True,
            1,
            "open",
        ),
        (
            "so what i want to know is what does the job actually involve day to day",
            True,
            1,
            "open",
        ),
        ("And did having a broadcaster attached change what you could do.", True, 1, "closed"),
        (
            "I'm probably overthinking this, but do employers care where you studied",
            True,
            1,
            "closed",
        ),
        ("So yeah, what kind of reports would I be writing as a graduate.", True, 1, "open"),
        ("and um I was wondering what you studied and whether you did a masters", True, 1, "open"),
        (
            "Given where I'm starting from, what would you say is the best route in?",
            True,
            1,
            "open",
        ),
        # a relative clause or an embedded question is no question of its own
        ("When you're assessing a child who's bilingual, how do you tell?", True, 1, "open"),
        ("How do you decide what goes into a show and what stays in storage?", True, 1, "open"),
        ("What drew you to it, and what keeps you there?", True, 2, "open"),
        (
            "How do you choose which topics to research, and who decides in the end?",
            True,
            2,
            "open",
        ),
        ("I'm curious about patent work. How did you decide?", True, 1, "open"),
        ("I'm wondering whether to switch to maintenance.", False, 0, None),
        ("i was wondering like do you need a licence before you start", True, 1, "closed"),
        ("how did you cope in the first year like did you have supervision", True, 2, "open"),
        # a question for a figure is closed; a polite frame around an account is open
        ("How many people apply for a place each year?", True, 1, "closed"),
        (
            "I was wondering if you could tell me how you got your first commission.",
            True,
            1,
            "open",
        ),
        ("Could you say a bit more about the traineeship?", True, 1, "open"),
        ("Would you say it's harder to get in with a big firm?", True, 1, "closed"),
        # a run-on question followed by a long reason, or taken back, does not end the turn
        (
            "so how do people get into studios i mean i know it's mostly networking and i've "
            "been going to meetups so yeah i'm working on that",
            False,
            1,
            "open",
        ),
        (
            "What's the main difference? Actually, sorry, let me ask something else. Did you "
            "have to learn to edit?",
            True,
            1,
            "closed",
        ),
        # a relative clause after the question is no question of its own
        (
            "Is the course worth it? I hear mixed things, and it costs a lot of money, which is "
            "hard for me right now because I am saving for a flat and I would have to study at "
            "night after work.",
            False,
            1,
            "closed",
        ),
    ],
)
def test_questions(text: str, asked: bool, count: int, kind: str | None) -> None:
    check = check_question(sentences(spoken(text)))
    assert (check.asked, check.count, check.kind) == (asked, count, kind)


def test_the_preamble_is_the_time_before_the_question() -> None:
    lead = "I am changing careers after ten years in retail and I have read a lot. " * 3
    check = check_question(sentences(spoken(lead + "How did you get started?")))
    assert check.preamble_s == pytest.approx(0.4 * 45)
    assert check.long_preamble
    assert not check_question(sentences(spoken("How did you start?"))).long_preamble


def test_the_preamble_ends_where_a_run_on_question_opens() -> None:
    lead = "okay so about me i worked in a shop for years and then i studied at night " * 3
    check = check_question(sentences(spoken(lead + "so is it realistic to switch at forty")))
    assert check.asked and check.kind == "closed"
    assert check.preamble_s == pytest.approx(0.4 * (len(lead.split()) + 1))
    assert check.long_preamble


def test_asking_headlines_come_first_for_asking_turns() -> None:
    stacked = coach(spoken("What do you do, and why do you like it?"), brief=Brief("asking"))
    assert stacked.headline_rule == "stacked" and "one question at a time" in stacked.headline
    none = coach(
        spoken("I would like to learn more about your field today."), brief=Brief("asking")
    )
    assert none.headline_rule == "no-question"
    assert none.structure is None and none.question is not None


def test_without_a_kind_only_the_question_free_checks_run() -> None:
    coaching = coach(spoken("I think I maybe fixed it, I guess, and we shipped it on time."))
    assert coaching.structure is None and coaching.question is None
    assert [h.text for h in coaching.hedges] == ["i think", "maybe", "i guess"]
    assert coaching.headline_rule == "hedges"


def test_short_answers_get_a_say_more_headline() -> None:
    assert coach(spoken("Yes, I did."), brief=Brief("star")).headline_rule == "too-short"


def test_coaching_round_trips_through_json() -> None:
    text = FULL + " I think I maybe helped."
    coaching = coach(spoken(text), brief=Brief("star", ("the release",)))
    saved = coaching.to_json()
    assert Coaching.from_json(saved).to_json() == saved
    assert saved["hedges"]["total"] == 2 and saved["talking_points"][0]["covered"]


# Talking points ---------------------------------------------------------------------------------


def test_keywords_drop_short_and_common_words() -> None:
    assert keywords("What you would delegate next time") == ("delegate", "next", "time")
    assert stem("listened") == "listen" and stem("uses") == "uses" and stem("quickly") == "quick"


@pytest.mark.parametrize(
    ("point", "answer", "mentioned"),
    [
        ("how you listened", "I listened first, then I asked questions.", True),
        ("how you listened", "I argued my case.", False),
        ("budget, deadline and stakeholders", "The deadline and the budget were tight.", True),
        ("budget, deadline and stakeholders", "The budget was tight.", False),
        ("costs cut, with a number", "We cut the cost by 20 percent.", True),
        ("what about them", "what about them", False),
        # Word forms: lemmas, not only suffixes.
        ("the project you led", "I was leading a project.", True),
        ("how you taught others", "I teach the juniors.", True),
        ("the decisions you made", "I decided quickly.", False),
    ],
)
def test_a_talking_point_is_covered_by_forms_of_its_words(
    point: str, answer: str, mentioned: bool
) -> None:
    (check,) = check_points([point], answer)
    assert check.mentioned is mentioned


def test_synonyms_cover_a_point_and_the_words_said_are_shown() -> None:
    point = "Result: the outcome, with a number"
    (plain,) = check_points([point], "Sales went up a lot.")
    assert not plain.mentioned
    (given,) = check_points([point], "Sales went up a lot.", [("went up", "sales")])
    assert given.mentioned and given.found == ("went up", "sales")  # a phrase as said
    (check,) = check_points(["the billing project"], "We rebuilt billing.")
    assert check.found == ("billing",) and check.mentioned


def test_a_label_before_a_colon_is_not_a_keyword() -> None:
    assert keywords("Result: what was achieved") == ("achieved",)
    assert keywords("Time: 10:30") == ("time",)


def test_hedges_are_shown_with_a_capital_i() -> None:
    found = find_hedges(sentences(spoken("I think I maybe helped, I'm not sure if I did.")))
    assert [hedge.said for hedge in found] == ["I think", "maybe", "I'm not sure"]

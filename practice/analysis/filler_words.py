"""The word lists and spellings that the lexical filler rules (``fillers.py``) read: which
spellings are hesitation sounds, and which neighbours give a marker its ordinary use."""

from __future__ import annotations

import re

from practice.analysis.events import FillerType


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


HESITATION_SPELLINGS: tuple[tuple[re.Pattern[str], FillerType, float], ...] = (
    (re.compile(r"u+h*m+|e+r+m+|e+h+m+"), "um", 0.95),
    (re.compile(r"u+h+"), "uh", 0.95),
    (re.compile(r"e+r+"), "er", 0.95),
    (re.compile(r"e+h+"), "er", 0.8),
    (re.compile(r"a+h+"), "ah", 0.9),
    (re.compile(r"h+m+|m{2,}"), "hmm", 0.95),
    (re.compile(r"m+h+m+|[mu]+h*m+-h+m+|u+h*-h+u+h+|u+h+-u+h+|m+-m+"), "hmm", 0.6),
)

SUBJECTS = word_set("i we you they he she")
DETERMINERS = word_set("the a an this that our my your his her their")
CONJUNCTIONS = word_set("and but or because cause so then")
BE = word_set(
    "is was am are were be been being it's that's he's she's i'm they're we're you're there's "
    "what's"
)
INTENSIFIERS = word_set(
    "really so very super totally completely just literally actually basically pretty kind "
    "sort kinda sorta insanely crazy extremely incredibly always never constantly honestly "
    "seriously definitely absolutely almost nearly barely quite way"
)
CLAUSE_STARTS = word_set(
    "i we you they he she it i'm we're you're they're he's she's it's i've we've i'd we'd i'll "
    "we'll there there's that's here then now when once after before if because the a an my "
    "our your their his her this these those most some all every each no half everyone everybody "
    "everything someone nobody nothing people and but or yeah yes anyway"
)
"""Words that open a clause (its subject, or a conjunction), not ones that continue a phrase."""
OBJECTS = word_set(
    "this that these those it him her them me us you the a an my your his our their its what "
    "how why where when who whom whose which if whether about of everything anything "
    "something nothing everyone anyone someone somebody exactly no to"
)
LIKE_VERB_BEFORE = word_set(
    "i we you they he she it who people would d i'd we'd you'd they'd he'd she'd to do does "
    "did don't didn't doesn't really also just feel feels felt feeling look looks looked "
    "looking sound sounds sounded seem seems seemed something anything nothing more less much "
    "not exactly things stuff ones one of lot someone somebody anyone everyone nobody me him "
    "her us them"
)
SAID = word_set("said say says mentioned discussed explained")
DEMONSTRATIVES = word_set("this that these those it them")
FINITE_VERBS = word_set(
    "was were am is are have had has did didn't don't went got made said told took came saw "
    "knew thought felt found gave kept left met ran sat spent built wrote led think know want "
    "need can could would will should might must can't couldn't wasn't weren't"
)
SUBJECT_STARTS = word_set(
    "i we they he she people i'm we're they're he's she's it's i've we've i'd we'd i'll we'll "
    "there there's that's"
)
"""The subject of a new clause, which no verb before it would take as its object."""
KNOWN_CLAUSE = word_set("what how why where when who which whom whose that if whether")
"""Words that make "you know" the verb: "you know what I did", "you know how it is"."""
YOU_KNOW_AFTER = word_set(
    "and but so or because cause then like just really it's that's was is were are be mean "
    "yeah well okay ok actually basically kinda sorta"
)
YOU_KNOW_NEVER_AFTER = word_set(
    "do does did don't didn't doesn't if as now what whether how would will could can should "
    "might let to that"
)
I_MEAN_NEVER_AFTER = word_set("what which that if do did don't didn't whatever")
SO_DEGREE_NEXT = word_set("that much many far long good bad well few little often soon")
PREPOSITIONS = word_set("in on at for from with by during over under about")
SO_NEVER_AFTER = word_set(
    "and or even if think hope guess said say not just do did more why ever is was be been "
    "are am were it's that's really very quite also told tell believe suppose expect seems "
    "seemed appears like"
)
HEDGED = CLAUSE_STARTS | PREPOSITIONS | word_set("to as like")
"""Words that follow the hedge "kind of", not the noun: "sort of *the* classic wall"."""
ANSWER_NEXT = word_set("yes yeah yep no nope not but i")
"""Words after "Kind of," that make it an answer: "Kind of, yeah.", "Sort of, but not …"."""
KIND_NOUN_BEFORE = DETERMINERS | word_set(
    "what which whatever some any every each no one all another other same different new "
    "certain particular similar special right wrong best worst whole only first last these "
    "those its"
)
"""Words that make "kind"/"sort" a noun: "what kind of", "a different sort of"."""
RIGHT_NOT_AFTER = (
    DETERMINERS
    | BE
    | word_set(
        "it them all exactly just quite very so too every "
        "turn turned go went get got do did done feel feels felt sound sounds sounded look looks "
        "looked seem seems seemed"
    )
)
"""Words that make "right" an adjective or adverb: "the right one", "that's right", "turn right"."""
AUXILIARIES = word_set(
    "have has had i've we've they've you've do does did don't didn't doesn't would could should "
    "will can might must may i'd we'd you'd they'd i'll we'll"
)
HEDGE_AFTER = (
    SUBJECTS
    | BE
    | CONJUNCTIONS
    | AUXILIARIES
    | word_set(
        "it who to just really also still even always never got get gets felt feel feels seemed "
        "seems looked looks sounded sounds went like isn't aren't wasn't weren't won't can't "
        "couldn't wouldn't shouldn't"
    )
)
VERB_PHRASE = (
    SUBJECTS
    | BE
    | AUXILIARIES
    | word_set("it who what which that to not just really also still never always")
)
"""Words after which an adverb modifies the verb that follows: "they *actually* need it"."""
AH_INTERJECTION_NEXT = word_set("yes yeah okay ok right sure great nice cool interesting wow")
I_REALISE = word_set("see get know remember understand")
ERR_VERB_AFTER = word_set(
    "to i we you they would might may can could will should d i'd we'd not often always never"
)
ERR_VERB_BEFORE = word_set("on in toward towards")
NEVER_REPEATED = word_set(
    "very really so much many far long too more no yes yeah bye ha haha blah well okay ok hey "
    "go knock tut chop night boo na la da oh ho hip pretty super wait come bang "
    "boom tick please sorry yay woo choo ding hee shh tsk is again step bit little right sure "
    "true fine good exactly one two three four five six seven eight nine zero"
)
INCOMPLETE = word_set(
    "the a an to of in on at for with from and but or my our your his her their this that it is was"
)
CLAUSE_EDGES = word_set("you it that this there here then now today too one")
GRAMMATICAL_DOUBLES = word_set("had that do did does")
SOOTHING_DOUBLES = word_set("now there")
"""Doubled as a phrase ("Now, now." "There, there, …"), but a restart when the sentence runs on."""

"""Precision and recall of each coaching detector on the labelled answers (see the package doc).

Detectors and what counts as a positive:

- ``missing part``: one (answer, STAR part) pair per star answer and part; positive = missing.
- ``quantified``: star answers; positive = the result has a number.
- ``we-heavy``: star answers; positive = "we" outweighs "I" in the actions.
- ``hedges``: hedge events, matched by their text within an answer (a multiset).
- ``no question``: asking answers; positive = the turn does not end in a clear question.
- ``closed``: asking answers with a question; positive = the question is closed.
- ``stacked``: asking answers; positive = more than one question in the final run.
- ``long preamble``: asking answers; positive = the lead-in before the question is over 15 s.
"""

from __future__ import annotations

import argparse
import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from practice.analysis.coaching import Brief, Coaching, coach, coach_typed
from practice.analysis.coaching.structure import PARTS
from practice.analysis.transcript import Word

HERE = Path(__file__).parent
SPLITS = {
    "dev": HERE / "answers_dev.toml",
    "held-out": HERE / "answers_heldout.toml",
    "held-out-2": HERE / "answers_heldout2.toml",
    "held-out-3": HERE / "answers_heldout3.toml",
    "held-out-4": HERE / "answers_heldout4.toml",
    "held-out-5": HERE / "answers_heldout5.toml",
    "held-out-6": HERE / "answers_heldout6.toml",
    "held-out-7": HERE / "answers_heldout7.toml",
    "held-out-8": HERE / "answers_heldout8.toml",
    "held-out-9": HERE / "answers_heldout9.toml",
    **{f"held-out-{n}": HERE / f"answers_heldout{n}.toml" for n in range(10, 88)},
}
"""Every part, in the order written; parts not written yet are skipped."""
AFTER_FINAL = tuple(f"held-out-{n}" for n in range(48, 88))
"""The parts written after rules v11 were final: their union is v11's clean test (those not
written yet are skipped)."""
_HEDGE = re.compile(r"\{([^}]*)\}")


@dataclass(frozen=True, slots=True)
class Answer:
    id: str
    kind: str
    markup: str
    labels: dict[str, Any]

    @property
    def text(self) -> str:
        return _HEDGE.sub(r"\1", self.markup)

    @property
    def hedges(self) -> Counter[str]:
        return Counter(" ".join(h.lower().split()) for h in _HEDGE.findall(self.markup))

    @property
    def brief(self) -> Brief:
        return Brief("star" if self.kind == "star" else "asking")


def load(split: str) -> list[Answer]:
    """The answers of a part; none when its file is not written yet."""
    if not SPLITS[split].is_file():
        return []
    data = tomllib.loads(SPLITS[split].read_text("utf-8"))
    return [
        Answer(
            item["id"],
            item["kind"],
            item["text"],
            {k: v for k, v in item.items() if k not in {"id", "kind", "text"}},
        )
        for item in data["answer"]
    ]


def written(answer: Answer) -> Coaching:
    """Coach the written text as a typed answer (timed at 150 words a minute)."""
    return coach_typed(answer.text, answer.brief)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, truth: bool, found: bool, what: str) -> None:
        self.tp += truth and found
        self.fp += found and not truth
        self.fn += truth and not found
        if truth != found:
            self.misses.append(f"{what}: {'missed' if truth else 'false alarm'}")

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


DETECTORS = (
    "missing part",
    "quantified",
    "we-heavy",
    "hedges",
    "no question",
    "closed",
    "stacked",
    "long preamble",
)


def score(pairs: Sequence[tuple[Answer, Coaching]]) -> dict[str, Counts]:
    counts = {name: Counts() for name in DETECTORS}
    for answer, coaching in pairs:
        labels = answer.labels
        said = Counter(hedge.text for hedge in coaching.hedges)
        for text in answer.hedges | said:
            for _ in range(min(answer.hedges[text], said[text])):
                counts["hedges"].add(True, True, answer.id)
            for _ in range(answer.hedges[text] - said[text]):
                counts["hedges"].add(True, False, f"{answer.id} '{text}'")
            for _ in range(said[text] - answer.hedges[text]):
                counts["hedges"].add(False, True, f"{answer.id} '{text}'")
        if answer.kind == "star":
            missing = () if coaching.structure is None else coaching.structure.missing
            for part in PARTS:
                truth = part not in labels["parts"]
                counts["missing part"].add(truth, part in missing, f"{answer.id} {part}")
            counts["quantified"].add(labels["quantified"], coaching.result_quantified, answer.id)
            counts["we-heavy"].add(labels["we_heavy"], coaching.i_we.we_heavy, answer.id)
        else:
            check = coaching.question
            assert check is not None
            counts["no question"].add(not labels["asked"], not check.asked, answer.id)
            if labels.get("question") is not None:
                counts["closed"].add(
                    labels["question"] == "closed", check.kind == "closed", answer.id
                )
            counts["stacked"].add(labels["count"] > 1, check.count > 1, answer.id)
            counts["long preamble"].add(labels["long_preamble"], check.long_preamble, answer.id)
    return counts


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(results: dict[str, dict[str, Counts]]) -> str:
    """A Markdown table: one row per detector, precision/recall (tp/fp/fn) per column."""
    names = list(results)
    lines = [
        "| detector | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for detector in DETECTORS:
        cells = []
        for name in names:
            c = results[name][detector]
            cells.append(f"P {_figure(c.precision)} R {_figure(c.recall)} ({c.tp}/{c.fp}/{c.fn})")
        lines.append(f"| {detector} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


CACHE = HERE.parent / ".cache" / "coaching"
"""Transcripts of spoken answers, by voice and text (the rules can be re-scored without
re-rendering and re-transcribing; the detectors scored here read only the words)."""


def spoken(answers: Sequence[Answer], voice: str) -> list[tuple[Answer, Coaching]]:
    """Render each answer with the voice, transcribe it with the bundled model, coach the words
    (transcripts are cached under ``benchmarks/.cache/coaching``)."""
    import hashlib
    import json
    import tempfile

    from benchmarks.accuracy import synthesize
    from practice.analysis.answer import analyze_samples
    from practice.analysis.audio import load_audio
    from practice.analysis.transcribe import create_transcriber

    transcriber = None
    pairs = []
    with tempfile.TemporaryDirectory() as folder:
        for answer in answers:
            key = hashlib.sha256(answer.text.encode()).hexdigest()[:16]
            stored = CACHE / voice / f"{answer.id}-{key}.json"
            if stored.is_file():
                words = [Word.from_json(w) for w in json.loads(stored.read_text("utf-8"))]
            else:
                transcriber = transcriber or create_transcriber()
                wav = Path(folder) / f"{answer.id}.wav"
                synthesize(answer.text, voice, wav)
                words = list(analyze_samples(load_audio(wav), transcriber).words)
                stored.parent.mkdir(parents=True, exist_ok=True)
                stored.write_text(json.dumps([w.to_json() for w in words]), "utf-8")
            pairs.append((answer, coach(words, None, answer.brief)))
            print(f"  {voice} {answer.id}: {' '.join(w.text for w in words)}", flush=True)
    return pairs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.coaching")
    parser.add_argument("--spoken", metavar="VOICE", action="append", default=[])
    parser.add_argument(
        "--spoken-split",
        choices=list(SPLITS),
        action="append",
        help="the part(s) to speak (default: those written after the final rules)",
    )
    parser.add_argument(
        "--spoken-every",
        type=int,
        default=1,
        metavar="K",
        help="speak only every K-th answer of each part (a spread sample; default: all)",
    )
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, Counts]] = {}
    for split in SPLITS:
        answers = load(split)
        if answers:
            results[f"{split} written ({len(answers)})"] = score([(a, written(a)) for a in answers])
    clean = [a for split in AFTER_FINAL for a in load(split)]
    if clean:
        results[f"after final rules written ({len(clean)})"] = score(
            [(a, written(a)) for a in clean]
        )
    for voice in args.spoken:
        chosen = [split for split in args.spoken_split or AFTER_FINAL if load(split)]
        said = [
            pair for split in chosen for pair in spoken(load(split)[:: args.spoken_every], voice)
        ]
        for split in chosen:
            part = [pair for pair in said if pair[0] in load(split)]
            results[f"{split} {voice} ({len(part)})"] = score(part)
        if len(chosen) > 1:
            results[f"{' + '.join(chosen)} {voice} ({len(said)})"] = score(said)
    print(table(results))
    if args.misses:
        for name, counts in results.items():
            for detector, c in counts.items():
                for miss in c.misses:
                    print(f"{name} · {detector} · {miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

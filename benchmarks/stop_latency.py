"""Stop → feedback in the real studio, in real time, through the real microphone path.

Each run starts the real ``practice rehearse`` process in an 80×24 pseudo-terminal, on a private
PulseAudio daemon (tests/pulse.py) with one question. When the recording is on screen it waits
2.5 s (PulseAudio's virtual source takes up to 2 s to deliver its first block), then plays a
spoken answer into the virtual microphone, in real time, and ends the answer one of five ways:

- ``after-0``, ``after-0.3``, ``after-1``: Space 0, 0.3 or 1 s after the last word (the time is
  counted from when ``paplay`` started, so PulseAudio's own latency, tens of ms, comes on top);
- ``mid``: Space in the middle of the answer's last long stretch of speech (the rest is not played);
- ``auto``: no key; the studio stops by itself after ``silence_stop_seconds`` (4 s) of silence.

It times from Space (for ``auto``: from when the recorder returned) to the feedback screen's
text appearing in the terminal. The studio runs with ``PRACTICE_TRACE`` (practice/tui/trace.py),
which gives the event loop's longest stall while recording (a 5-ms timer's latest wake-up), the
recorder's input overflows and whether the report came from the stream fed while recording or
from the saved file; the benchmark samples the studio's CPU time (/proc, every 20 ms) and gives
the CPU seconds it used from Stop to the feedback, which on a busy machine says what the wall time
would be on a quiet one better than the wall time does. A run whose studio does not reach the
recording or the feedback screen in time is reported as failed and the rest go on. The answers
are the accuracy benchmark's job-interview scripts in Piper's joe voice (rendered once into
benchmarks/.cache), joined by 1.5 s pauses and cut at a pause near each length.

Every length and ending runs once per *variant* (a set of studio settings), the variants one
after the other, so that they share the machine's load: by default ``streaming=true`` (analysis
while the answer is spoken) and ``streaming=false`` (today's batch after Stop, the baseline).
With ``--questions N`` a run is a whole session of N questions in one studio process (each
answered the same way, Enter moving on from the feedback), and the studio's resident memory is
read after each answer. Prints median, p90 and max per variant, length and ending, each variant's
median against the first variant's, the studio's memory, and the load average.

Run: ``HF_HUB_OFFLINE=1 python -m benchmarks.stop_latency [--runs 3] [--lengths 30 120 300]
[--endings after-0 mid auto] [--questions 1] [--variants streaming=true streaming=false]
[--setting KEY=VALUE]`` (``--setting`` writes a setting for every variant; a variant is
comma-separated ``KEY=VALUE``).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import math
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import threading
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from benchmarks.accuracy.script import load_scripts
from benchmarks.accuracy.synth import SAMPLE_RATE, cached, voice_named
from practice.tui import trace
from tests.pulse import PrivatePulse

ROOT = Path(__file__).resolve().parents[1]
ENDINGS = ("after-0", "after-0.3", "after-1", "mid", "auto")
GAP_SECONDS = 1.5
"""Silence between two scripts of an answer."""
SETTLE_SECONDS = 2.5
"""From the recording on screen to playing the answer."""
RECORDING_TEXT = b"Space stops"
FEEDBACK_TEXT = b"attempt 1"
"""Text only the feedback screen shows (its title: "Question 1 of 1, attempt 1")."""
VARIANTS = ("streaming=true", "streaming=false")
QUIET_DBFS = -50.0
PAUSE_SECONDS = 0.4


@dataclass(frozen=True)
class Answer:
    path: Path
    seconds: float
    last_word: float
    """Seconds from the start of the file to the end of the last word."""
    mid: float
    """A moment inside the last long stretch of speech."""


@dataclass(frozen=True)
class Run:
    variant: str
    length: int
    ending: str
    question: int
    """Which answer of the session (1 for the first)."""
    latency: float
    """Seconds from Space (or the recorder stopping by itself) to the feedback text."""
    recorder_stop: float
    """Seconds from Space to the recorder returning (0 for auto)."""
    stall_recording_ms: float
    stall_after_ms: float
    overflows: int
    recorded: float
    load: float
    via: str
    """Where the report came from: ``stream`` (fed while recording) or ``file`` (after Stop)."""
    rss_mib: float
    """The studio's resident memory once the feedback is on screen."""
    peak_mib: float
    """The studio's peak resident memory so far (VmHWM)."""
    cpu_after: float
    """CPU seconds the studio used (all its threads) from Stop to the feedback text: on a quiet
    machine about the wall time, since the work after Stop runs mostly on one thread; under load
    the wall time grows, this much less."""
    steps: tuple[Step, ...] = ()
    """Where the time from Stop to the feedback went (from the trace)."""
    engine: str = ""
    """The engine calls after Stop: how many, seconds of audio, how many kept from a rehearsal."""
    rehearsal: str = ""
    """Whether the end was rehearsed with the last piece's bounds."""


@dataclass(frozen=True)
class Step:
    """One step from Stop to the feedback: wall seconds and CPU seconds of its thread (NaN when
    not known)."""

    name: str
    wall: float
    cpu: float = float("nan")
    process_cpu: float = float("nan")


def breakdown(
    events: list[dict[str, Any]], stopped: float, recorded: float, shown: float
) -> tuple[tuple[Step, ...], str, str]:
    """The steps from Stop (``stopped``) to the feedback text seen at ``shown`` (both
    ``time.monotonic()``), from the trace events of this answer; the engine calls and whether
    the rehearsal was used, in words."""
    steps = [e for e in events if e["event"] == "step"]
    timed = [e for e in steps if e["step"] not in {"engine call", "rehearsal"}]
    rows = [Step("Space → recorder returned", recorded - stopped)]
    at = recorded
    for event in timed:
        began = float(event["began"])
        if began - at > 0.0005:
            rows.append(Step("(between: messages, queries)", began - at))
        name = str(event["step"]) + (f" ({event['doing']})" if "doing" in event else "")
        rows.append(Step(name, event["wall"], event["cpu"], event["process_cpu"]))
        at = began + float(event["wall"])
    drawn = [float(e["t"]) for e in events if e["event"] == "shown"]
    if drawn:
        rows.append(Step("feedback pushed → first frame", drawn[0] - at))
        at = drawn[0]
    rows.append(Step("→ text in the terminal", shown - at))
    calls = [e for e in steps if e["step"] == "engine call"]
    fresh = [e for e in calls if not e["kept"] and not e.get("joined")]
    joined = [e for e in calls if e.get("joined")]
    engine = (
        f"{len(fresh)} calls ({sum(float(e['audio']) for e in fresh):.1f} s audio, "
        f"{sum(float(e['wall']) for e in fresh):.2f} s: "
        + " + ".join(
            f"{e['audio']} s {e['decoding']}{' (finisher)' if e.get('finisher') else ''}"
            for e in fresh
        )
        + f"), {len(joined)} taken from the worker's call under way"
        + "".join(f" ({e['audio']} s, waited {float(e['wall']):.2f} s)" for e in joined)
        + f", {len(calls) - len(fresh) - len(joined)} kept"
    )
    rehearsal = ""
    for event in steps:
        if event["step"] == "rehearsal":
            same = event["rehearsed"] is not None and event["rehearsed"] == event["last_piece"]
            rehearsal = (
                f"{event['rehearsals']} rehearsals, "
                f"{'last one had Stop' + chr(39) + 's last piece' if same else 'none matched'}"
                f" (rehearsed {event['rehearsed']}, last piece {event['last_piece']}, "
                f"candidate at Stop {event['candidate']})"
            )
    return tuple(rows), engine, rehearsal


def pauses(samples: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) in seconds of the runs of 10-ms frames quieter than QUIET_DBFS, ≥ 0.4 s."""
    hop = SAMPLE_RATE // 100
    frames = samples[: len(samples) // hop * hop].reshape(-1, hop)
    level = 10 * np.log10(np.mean(np.square(frames, dtype=np.float64), axis=1) + 1e-12)
    quiet = np.concatenate([[False], level < QUIET_DBFS, [False]])
    edges = np.flatnonzero(np.diff(quiet.astype(np.int8)))
    runs = [(start / 100, end / 100) for start, end in zip(edges[::2], edges[1::2], strict=True)]
    return [(start, end) for start, end in runs if end - start >= PAUSE_SECONDS]


def build_answers(lengths: list[int], folder: Path) -> dict[int, Answer]:
    """Answers of about each length: joe's job scripts in order, cut at the pause nearest it."""
    joe = voice_named("joe")
    scripts = [script for script in load_scripts() if script.id.startswith("job-")]
    gap = np.zeros(round(GAP_SECONDS * SAMPLE_RATE), dtype=np.float32)
    parts: list[np.ndarray] = []
    total = 0
    for script in scripts:
        if total >= (max(lengths) + 20) * SAMPLE_RATE:
            break
        wav, _truth = cached(script, joe)
        samples, _rate = soundfile.read(str(wav), dtype="float32")
        parts += [samples, gap]
        total += len(samples) + len(gap)
    joined = np.concatenate(parts)
    answers = {}
    for length in lengths:
        runs = [run for run in pauses(joined) if run[0] > 5]
        start, _end = min(runs, key=lambda run: abs(run[0] - length))
        samples = joined[: round((start + 0.3) * SAMPLE_RATE)]
        inside = [run for run in pauses(samples) if run[0] < start]
        speech = [
            (previous[1], following[0])
            for previous, following in zip(
                [(0.0, 0.0), *inside], [*inside, (start, start)], strict=True
            )
        ]
        long_stretch = next(s for s in reversed(speech) if s[1] - s[0] >= 2.0)
        path = folder / f"answer-{length}.wav"
        soundfile.write(path, samples, SAMPLE_RATE, subtype="PCM_16")
        answers[length] = Answer(
            path, len(samples) / SAMPLE_RATE, start, (long_stretch[0] + long_stretch[1]) / 2
        )
    return answers


class Terminal:
    """A process in an 80×24 pseudo-terminal whose output is read all the time (a full pty
    would block the app), with the time each piece arrived."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the studio
            os.chdir(ROOT)
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.output = bytearray()
        self.arrivals: list[tuple[int, float]] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while True:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.output += data
                self.arrivals.append((len(self.output), time.monotonic()))

    def mark(self) -> int:
        with self._lock:
            return len(self.output)

    def wait_for(self, text: bytes, since: int, timeout: float) -> float:
        """When ``text`` first arrived after byte ``since`` (time.monotonic()); fails on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = self.output.find(text, since)
                if found >= 0:
                    end = found + len(text)
                    return next(t for size, t in self.arrivals if size >= end)
            time.sleep(0.005)
        tail = bytes(self.output[-2000:]).decode(errors="replace")
        raise TimeoutError(f"{text!r} did not appear within {timeout:.0f} s; last output: {tail}")

    def press(self, key: bytes) -> float:
        os.write(self.fd, key)
        return time.monotonic()

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        for _ in range(100):
            done, _status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
        self._thread.join(2)


def prepare_home(folder: Path, questions: int) -> Path:
    home = folder / "home"
    (home / "question_banks").mkdir(parents=True)
    (home / "recordings").mkdir()
    asked = "".join(
        f'\n[[questions]]\nid = "about-{number}"\ntext = "Tell me about yourself, part {number}."\n'
        for number in range(1, questions + 1)
    )
    (home / "question_banks" / "bench.toml").write_text(
        f'[bank]\nname = "Benchmark"\nanswer_seconds = 120\n{asked}', encoding="utf-8"
    )
    return home


def prepare_config(folder: Path, longest: float, settings: dict[str, object]) -> Path:
    """A config folder with these settings (and room for the longest answer)."""
    config = folder
    config.mkdir()
    table = {"max_answer_seconds": int(longest) + 60, **settings}
    lines = [f"{key} = {json.dumps(value)}" for key, value in table.items()]
    (config / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tomllib.loads((config / "config.toml").read_text())  # fail here, not in the studio
    return config


def parse_settings(items: list[str]) -> dict[str, object]:
    """``KEY=VALUE`` items (TOML values) as a table."""
    return {
        key.strip(): tomllib.loads(f"v = {value}")["v"]
        for key, value in (item.split("=", 1) for item in items)
    }


def memory_mib(pid: int) -> tuple[float, float]:
    """(resident, peak resident) memory of process ``pid`` in MiB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class CpuClock:
    """Samples a process's CPU time (user + system, all threads, from /proc) every 20 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        while not self._stop.wait(0.02):
            try:
                fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return
            self.samples.append((time.monotonic(), (int(fields[11]) + int(fields[12])) / tick))

    def at(self, when: float) -> float:
        """The CPU seconds used by ``when`` (the last sample before it)."""
        before = [cpu for at, cpu in self.samples if at <= when]
        return before[-1] if before else 0.0

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@dataclass(frozen=True)
class Answered:
    """What the benchmark saw of one answer: when it was played and stopped, and the feedback
    shown, with the studio's memory then."""

    played: float
    pressed: float | None
    shown: float
    load: float
    rss_mib: float
    peak_mib: float
    cpu: CpuClock


def one_session(
    pulse: PrivatePulse,
    env: dict[str, str],
    answer: Answer,
    ending: str,
    questions: int,
) -> list[Answered]:
    """Start the studio and answer each of its ``questions`` with ``answer``, ended by
    ``ending``; Enter moves on from each feedback screen to the next question."""
    studio = Terminal([sys.executable, "-m", "practice", "rehearse", "--bank", "bench"], env)
    cpu = CpuClock(studio.pid)
    player = None
    answered: list[Answered] = []
    try:
        since = 0
        for _question in range(questions):
            studio.wait_for(RECORDING_TEXT, since, 60)
            load = os.getloadavg()[0]
            time.sleep(SETTLE_SECONDS)
            player = pulse.play_into_mic(answer.path)
            played = time.monotonic()
            pressed = None
            if ending != "auto":
                after = answer.mid if ending == "mid" else answer.last_word + float(ending[6:])
                time.sleep(max(0.0, played + after - time.monotonic()))
            since = studio.mark()
            if ending != "auto":
                pressed = studio.press(b" ")
            shown = studio.wait_for(FEEDBACK_TEXT, since, answer.seconds + 120)
            player.kill()
            player.wait()
            player = None
            time.sleep(0.5)  # the feedback screen drawn whole
            answered.append(
                Answered(played, pressed, shown, load, *memory_mib(studio.pid), cpu=cpu)
            )
            since = studio.mark()
            studio.press(b"\r")  # the next question (or the summary after the last)
    finally:
        if player is not None:
            player.kill()
            player.wait()
        cpu.stop()
        studio.close()
    return answered


def one_run(
    pulse: PrivatePulse,
    env: dict[str, str],
    answer: Answer,
    variant: str,
    length: int,
    ending: str,
    questions: int = 1,
) -> list[Run]:
    log = Path(env[trace.VARIABLE])
    log.unlink(missing_ok=True)
    answered = one_session(pulse, env, answer, ending, questions)
    events = [json.loads(line) for line in log.read_text().splitlines()]
    recordings = [e for e in events if e["event"] == "recorded"]
    analyses = [e for e in events if e["event"] == "analysed"]
    loops = [(e["t"] - 1.0, e["t"], e["longest_ms"]) for e in events if e["event"] == "loop"]
    runs = []
    for number, (seen, recorded, analysed) in enumerate(
        zip(answered, recordings, analyses, strict=True), 1
    ):
        stopped = seen.pressed if seen.pressed is not None else recorded["t"]
        own = [e for e in events if stopped <= e["t"] <= seen.shown + 1.0]
        steps, engine, rehearsal = breakdown(own, stopped, recorded["t"], seen.shown)
        during = [ms for start, end, ms in loops if start >= seen.played and end <= stopped]
        after_stop = [ms for start, end, ms in loops if end > stopped and start < seen.shown]
        runs.append(
            Run(
                variant=variant,
                length=length,
                ending=ending,
                question=number,
                latency=seen.shown - stopped,
                recorder_stop=recorded["t"] - stopped,
                stall_recording_ms=max(during, default=float("nan")),
                stall_after_ms=max(after_stop, default=float("nan")),
                overflows=int(recorded["overflows"]),
                recorded=float(recorded["seconds"]),
                load=seen.load,
                via=str(analysed["via"]),
                rss_mib=seen.rss_mib,
                peak_mib=seen.peak_mib,
                cpu_after=seen.cpu.at(seen.shown) - seen.cpu.at(stopped),
                steps=steps,
                engine=engine,
                rehearsal=rehearsal,
            )
        )
    return runs


def p90(values: list[float]) -> float:
    return float(np.percentile(values, 90))


def cells(
    runs: list[Run], answers: dict[int, Answer], variants: list[str]
) -> Iterator[tuple[str, int, Answer, str, list[Run]]]:
    """Each cell of the tables (variant, length, its answer, ending) with the runs made in it."""
    for variant in variants:
        for length, answer in answers.items():
            for ending in ENDINGS:
                chosen = [
                    run
                    for run in runs
                    if (run.variant, run.length, run.ending) == (variant, length, ending)
                ]
                if chosen:
                    yield variant, length, answer, ending, chosen


def report(runs: list[Run], answers: dict[int, Answer], variants: list[str]) -> str:
    lines = [
        "| setting | answer | ending | runs | Stop → feedback median | p90 | max "
        "| studio CPU after Stop (median) | recorder stop (median) "
        "| longest stall while recording | longest stall after Stop | overflows | report from |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    medians: dict[tuple[str, int, str], float] = {}
    for variant, length, answer, ending, chosen in cells(runs, answers, variants):
        latencies = [run.latency for run in chosen]
        medians[variant, length, ending] = statistics.median(latencies)
        via = ", ".join(
            f"{name} {sum(run.via == name for run in chosen)}"
            for name in sorted({run.via for run in chosen})
        )
        lines.append(
            f"| {variant} | {answer.seconds:.0f} s | {ending} | {len(chosen)} "
            f"| {medians[variant, length, ending]:.2f} s | {p90(latencies):.2f} s "
            f"| {max(latencies):.2f} s "
            f"| {statistics.median(run.cpu_after for run in chosen):.2f} s "
            f"| {statistics.median(run.recorder_stop for run in chosen):.2f} s "
            f"| {max(run.stall_recording_ms for run in chosen):.0f} ms "
            f"| {max(run.stall_after_ms for run in chosen):.0f} ms "
            f"| {sum(run.overflows for run in chosen)} | {via} |"
        )
    for variant in variants[1:]:
        ratios = [
            f"{answers[length].seconds:.0f} s {ending} "
            f"{median / medians[variant, length, ending]:.2f}"
            for (first, length, ending), median in medians.items()
            if first == variants[0] and (variant, length, ending) in medians
        ]
        lines.append(f"\nmedian {variants[0]} / {variant}: " + "; ".join(ratios))
    for variant in variants:
        chosen = [run for run in runs if run.variant == variant]
        if not chosen:
            continue
        first = [run.rss_mib for run in chosen if run.question == 1]
        last_question = max(run.question for run in chosen)
        last = [run.rss_mib for run in chosen if run.question == last_question]
        later = (
            f", after answer {last_question}: median {statistics.median(last):.0f} MiB"
            if last_question > 1
            else ""
        )
        lines.append(
            f"studio memory, {variant}: peak {max(run.peak_mib for run in chosen):.0f} MiB; "
            f"resident after answer 1: median {statistics.median(first):.0f} MiB{later}"
        )
    lines += breakdown_table(runs, answers, variants)
    loads = [run.load for run in runs]
    lines.append(
        f"\n{len(runs)} runs; load average (1 min) at the start of each run: "
        f"{min(loads):.1f}-{max(loads):.1f}, median {statistics.median(loads):.1f}; "
        f"{os.cpu_count()} CPUs"
    )
    return "\n".join(lines)


def breakdown_table(runs: list[Run], answers: dict[int, Answer], variants: list[str]) -> list[str]:
    """Per variant, length and ending: the median wall (and thread CPU) time of each step from
    Stop to the feedback."""
    lines = []
    for variant, _, answer, ending, chosen in cells(runs, answers, variants):
        names = list(dict.fromkeys(step.name for run in chosen for step in run.steps))
        lines += [
            f"\n{variant}, {answer.seconds:.0f} s, {ending}: where the time after Stop "
            f"went (median of {len(chosen)}; wall / CPU of its thread)",
            "| step | wall | thread CPU | studio CPU |",
            "|---|---|---|---|",
        ]
        for name in names:
            walls = [sum(s.wall for s in run.steps if s.name == name) for run in chosen]
            cpus = [
                sum(s.cpu for s in run.steps if s.name == name)
                for run in chosen
                if any(s.name == name for s in run.steps)
            ]
            processes = [
                sum(s.process_cpu for s in run.steps if s.name == name)
                for run in chosen
                if any(s.name == name for s in run.steps)
            ]
            lines.append(
                f"| {name} | {statistics.median(walls):.3f} s | {_seconds(cpus)} "
                f"| {_seconds(processes)} |"
            )
        total = statistics.median(run.latency for run in chosen)
        studio = statistics.median(run.cpu_after for run in chosen)
        lines.append(f"| total | {total:.3f} s | | {studio:.3f} s |")
        for run in chosen:
            lines.append(f"- engine after Stop: {run.engine}; {run.rehearsal}")
    return lines


def _seconds(values: list[float]) -> str:
    """The median of ``values`` (seconds), or nothing when none is known."""
    known = [value for value in values if not math.isnan(value)]
    return f"{statistics.median(known):.3f} s" if known else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per length and ending")
    parser.add_argument("--lengths", type=int, nargs="+", default=[30, 120, 300], metavar="S")
    parser.add_argument("--endings", nargs="+", default=list(ENDINGS), choices=ENDINGS)
    parser.add_argument(
        "--questions", type=int, default=1, help="answers per studio session (memory over time)"
    )
    parser.add_argument(
        "--variants",
        nargs="+",
        default=list(VARIANTS),
        metavar="KEY=VALUE[,KEY=VALUE]",
        help="studio settings compared in the same run (the first is compared to the others)",
    )
    parser.add_argument(
        "--setting", action="append", default=[], metavar="KEY=VALUE", help="a studio setting"
    )
    args = parser.parse_args(argv)
    settings = parse_settings(args.setting)
    variants = {variant: parse_settings(variant.split(",")) for variant in args.variants}
    with tempfile.TemporaryDirectory(prefix="stop-latency-") as name:
        folder = Path(name)
        answers = build_answers(args.lengths, folder)
        for length, answer in answers.items():
            print(
                f"answer ~{length} s: {answer.seconds:.1f} s, last word at "
                f"{answer.last_word:.1f} s, mid-sentence stop at {answer.mid:.1f} s",
                flush=True,
            )
        home = prepare_home(folder, args.questions)
        longest = max(a.seconds for a in answers.values())
        configs = {
            variant: prepare_config(folder / f"config-{index}", longest, {**settings, **table})
            for index, (variant, table) in enumerate(variants.items())
        }
        pulse = PrivatePulse(folder / "pulse")
        pulse.start()
        env = {
            **os.environ,
            **pulse.env,
            "PRACTICE_HOME": str(home),
            "PRACTICE_CACHE_DIR": str(folder / "cache"),
            trace.VARIABLE: str(folder / "trace.jsonl"),
            "PYTHONPATH": str(ROOT),
            "HF_HUB_OFFLINE": "1",
            "TERM": "xterm-256color",
        }
        runs: list[Run] = []
        failed = 0
        try:
            for number in range(args.runs):
                for length, answer in answers.items():
                    for ending in args.endings:
                        for variant, config in configs.items():
                            chosen = {**env, "PRACTICE_CONFIG_DIR": str(config)}
                            try:
                                session = one_run(
                                    pulse, chosen, answer, variant, length, ending, args.questions
                                )
                            except TimeoutError as error:  # the studio stuck: note it, go on
                                failed += 1
                                print(
                                    f"run {number + 1} {variant} {length} s {ending} failed: "
                                    f"{str(error)[:160]}",
                                    flush=True,
                                )
                                continue
                            runs += session
                            for run in session:
                                print(
                                    f"run {number + 1} {variant} {length} s {ending} "
                                    f"answer {run.question}: {run.latency:.2f} s from the "
                                    f"{run.via} (CPU {run.cpu_after:.2f} s, recorder "
                                    f"{run.recorder_stop:.2f} s, stall "
                                    f"{run.stall_recording_ms:.0f}/{run.stall_after_ms:.0f} ms, "
                                    f"{run.overflows} overflows, {run.recorded:.1f} s recorded, "
                                    f"{run.rss_mib:.0f} MiB, load {run.load:.1f}); "
                                    f"engine {run.engine}; {run.rehearsal}; "
                                    + ", ".join(
                                        f"{step.name} {step.wall:.2f}"
                                        + ("" if math.isnan(step.cpu) else f"/{step.cpu:.2f}")
                                        for step in run.steps
                                    ),
                                    flush=True,
                                )
        finally:
            pulse.stop()
        print(report(runs, answers, list(variants)))
        if failed:
            print(f"{failed} runs failed (the studio did not show the expected screen in time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A timing trace for the benchmarks, off unless asked for.

With ``PRACTICE_TRACE=FILE`` in the environment the studio appends JSON lines to FILE, each with
``t`` (``time.monotonic()``, the system's clock, so another process can line the events up with
its own) and ``event``:

- ``loop``, once a second: ``longest_ms``, the longest a 5-ms timer in the event loop woke late
  in that second (the event loop's longest stall); ``gc_ms``, ``gc_cpu_ms`` and ``gc_generation``:
  the longest pass of the garbage collector in that second (which holds the GIL throughout: the
  event loop waits for it), its wall time, the CPU time of the thread that ran it (which the
  machine's load does not inflate) and the generation it collected (2: a full pass), or 0 and -1
  when there was none;
- ``stop``: Space asked the recording to stop;
- ``recorded``: the recorder returned; ``seconds``, ``stop_reason``, ``overflows``;
- ``analysed``: a recorded answer's report is ready; ``via`` says where it came from: ``stream``
  (analysed while it was spoken) or ``file`` (the saved WAV, analysed after Stop);
- ``step``: one step of the work from Stop to the feedback, once it is done, with ``step`` (its
  name), ``wall``, ``cpu`` (seconds; CPU of the thread that ran it) and ``process_cpu`` (the
  whole studio's) and what it adds: the
  analysis's own steps (:class:`practice.analysis.answer.Steps`: waiting for the live
  analysis's worker, the last audio measured, the words, hesitations, the verdict, restarts,
  coaching, each engine call with its seconds of audio and whether its words were kept from a
  rehearsal, and whether the end was rehearsed), then the studio's (``save``, ``feedback``: the
  feedback screen made and pushed);
- ``shown``: the feedback screen's first frame was drawn.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

VARIABLE = "PRACTICE_TRACE"
PROBE_SECONDS = 0.005
REPORT_SECONDS = 1.0


def enabled() -> bool:
    return bool(os.environ.get(VARIABLE))


def event(name: str, **fields: object) -> None:
    """Append one event to the trace file (nothing when tracing is off)."""
    target = os.environ.get(VARIABLE)
    if not target:
        return
    line = json.dumps({"t": time.monotonic(), "event": name, **fields})
    with Path(target).open("a", encoding="utf-8") as trace:
        trace.write(line + "\n")


@contextmanager
def step(name: str, **fields: object) -> Iterator[None]:
    """Trace the ``with`` block as a ``step`` event (wall and thread CPU seconds)."""
    if not enabled():
        yield
        return
    began, wall, cpu = time.monotonic(), time.perf_counter(), time.thread_time()
    process = time.process_time()
    try:
        yield
    finally:
        event(
            "step",
            step=name,
            began=began,
            wall=round(time.perf_counter() - wall, 4),
            cpu=round(time.thread_time() - cpu, 4),
            process_cpu=round(time.process_time() - process, 4),
            **fields,
        )


class Collections:
    """The garbage collector's passes (a ``gc.callbacks`` entry): the longest since :meth:`take`."""

    def __init__(self) -> None:
        self._began = (0.0, 0.0)
        self._longest = (0.0, 0.0, -1)

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = (time.perf_counter(), time.thread_time())
            return
        wall, cpu = time.perf_counter() - self._began[0], time.thread_time() - self._began[1]
        if wall > self._longest[0]:
            self._longest = (wall, cpu, info["generation"])

    def take(self) -> dict[str, float]:
        """The longest pass since the last call: ``gc_ms``, ``gc_cpu_ms``, ``gc_generation``."""
        (wall, cpu, generation), self._longest = self._longest, (0.0, 0.0, -1)
        return {
            "gc_ms": round(wall * 1000, 1),
            "gc_cpu_ms": round(cpu * 1000, 1),
            "gc_generation": generation,
        }


async def watch_loop() -> None:
    """Wake every 5 ms for ever; once a second, trace how late the latest wake-up was and the
    garbage collector's longest pass."""
    collections = Collections()
    gc.callbacks.append(collections)
    try:
        while True:
            longest = 0.0
            started = time.monotonic()
            while time.monotonic() - started < REPORT_SECONDS:
                before = time.monotonic()
                await asyncio.sleep(PROBE_SECONDS)
                longest = max(longest, time.monotonic() - before - PROBE_SECONDS)
            event("loop", longest_ms=round(longest * 1000, 1), **collections.take())
    finally:
        gc.callbacks.remove(collections)

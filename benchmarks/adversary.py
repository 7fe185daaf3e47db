"""Load scenario "one adversarial student": does one student's clicking slow the others?

Issue 16 §1. Ten students move γ on the e(γ) tab (each a Bokeh-protocol client,
:mod:`tests.support.protocol_client`), first alone on a fresh ``qgas serve`` (the baseline), then
on another fresh server (cold caches, apart from the process's own warm-up) while one more
student drives every control of every view across its whole range as fast as the server
answers: every step of every slider (at most :data:`MAX_POSITIONS` positions, ends included),
every option of every select, both states of every check box, on every tab.

The class joins first (its pages built); then the timed moves begin. Reported: the others'
slider → plot latency (p50 / p95) without and with the adversary, the ratio of the p95s
(target ≤ 1.5), and the server's longest event-loop response delay during each run's moves
(:mod:`qgas.loop_probe`, read from the server log; ``--name-slow-callbacks`` also logs which
callbacks took longer than 50 ms). Usage::

    python -m benchmarks.adversary [--students 10] [--duration 150] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from dashboard.assembly import GLOBAL_SLIDER_CLASSES
from dashboard.views import VIEWS, load_view_class
from qgas.loop_probe import DEBUG_ENV, PROBE_ENV
from tests.support.browser import view_class
from tests.support.protocol_client import SLIDER_TYPES, ProtocolSession, RemoteModel
from tests.support.served import ServedDashboard, run_coroutine

#: Most positions the adversary visits on one slider (evenly spread, both ends included).
MAX_POSITIONS = 25
#: Seconds between two reports of the loop probe.
PROBE_PERIOD_S = 2.0
_PROBE_RE = re.compile(r"event loop: longest response ([\d.]+) ms")
#: Bokeh type names of selects and check boxes (Panel's Checkbox is Bokeh's ``Checkbox``).
SELECT_TYPES = frozenset({"Select"})
CHECKBOX_TYPES = frozenset({"Checkbox"})


@dataclass
class RunFigures:
    """One run: the γ students' latencies, and the adversary's work, if any."""

    latencies_ms: list[float] = field(default_factory=list)
    longest_stall_ms: float = float("nan")
    adversary_changes: int = 0
    adversary_tabs: list[str] = field(default_factory=list)
    adversary_errors: list[str] = field(default_factory=list)

    def quantiles(self) -> tuple[float, float]:
        cuts = statistics.quantiles(self.latencies_ms, n=20, method="inclusive")
        return statistics.median(self.latencies_ms), cuts[18]


async def joined_student(url: str) -> ProtocolSession:
    """A student whose page (the e(γ) tab) is built."""
    session = ProtocolSession(url)
    await session.connect()
    await session.wait_for_class(view_class(0), timeout=120.0)
    return session


async def move_gamma(
    session: ProtocolSession, seed: int, until: float, figures: RunFigures
) -> None:
    """A student on the e(γ) tab stepping the γ slider up or down, pausing ~0.5 s."""
    rng = random.Random(seed)
    try:
        (slider,) = session.sliders_under(GLOBAL_SLIDER_CLASSES["gamma"])
        while time.monotonic() < until:
            sent = session.step_slider(slider, rng.choice((-1, 1)))
            latency = await session.wait_update(sent, settle=0.3, timeout=20.0)
            if latency is not None:
                figures.latencies_ms.append(latency * 1000)
            await asyncio.sleep(0.5 * rng.uniform(0.5, 1.5))
    finally:
        await session.close()


def slider_positions(slider: RemoteModel) -> list[float]:
    """Every step of ``slider`` from start to end, or :data:`MAX_POSITIONS` spread evenly."""
    start, end, step = slider.start, slider.end, slider.step or 1
    count = round((end - start) / step) + 1
    stride = max(1, -(-count // MAX_POSITIONS))
    indices = [*range(0, count, stride), count - 1]
    return [start + index * step for index in indices]


async def adversary(url: str, until: float, figures: RunFigures) -> None:
    """Every control of every view across its range, waiting at most 1 s for each answer."""
    session = ProtocolSession(url)
    await session.connect()

    async def change(model: RemoteModel, changes: dict[str, Any]) -> None:
        sent = session._change(model, changes)
        figures.adversary_changes += 1
        await session.wait_update(sent, settle=0.05, timeout=1.0)

    try:
        for tab_index, slug in enumerate(VIEWS):
            if time.monotonic() >= until:
                break
            session.select_tab(tab_index)
            await session.wait_for_class(view_class(tab_index), timeout=120.0)
            figures.adversary_tabs.append(slug)
            classes = [
                view_class(tab_index),
                *(GLOBAL_SLIDER_CLASSES[name] for name in load_view_class(slug).state_dependencies),
            ]
            controls: dict[str, RemoteModel] = {}
            for css_class in classes:
                for model_id in session.index.with_class(css_class):
                    for member in session.index.reachable([model_id]):
                        kind = session.index.models[member]["name"]
                        if kind in SLIDER_TYPES | SELECT_TYPES | CHECKBOX_TYPES:
                            controls.setdefault(member, RemoteModel(session, member))
            for control in controls.values():
                kind = session.index.models[control.id]["name"]
                if kind in SLIDER_TYPES:
                    for value in slider_positions(control):
                        await change(control, {"value": value, "value_throttled": value})
                elif kind in SELECT_TYPES:
                    for option in control.options or []:
                        value = option[0] if isinstance(option, list) else option
                        await change(control, {"value": value})
                else:
                    for active in (not control.active, control.active):
                        await change(control, {"active": active})
                if time.monotonic() >= until:
                    break
    except Exception as error:  # the adversary's failure is a finding, not a crash
        figures.adversary_errors.append(f"{type(error).__name__}: {str(error)[:300]}")
    finally:
        await session.close()


async def class_run(
    server: ServedDashboard, students: int, duration: float, with_adversary: bool
) -> tuple[RunFigures, int]:
    """The class joins (pages built), then moves for ``duration`` s; the figures, and where
    the server log stood when the moves began."""
    figures = RunFigures()
    sessions = await asyncio.gather(*(joined_student(server.url) for _ in range(students)))
    await asyncio.sleep(2 * PROBE_PERIOD_S)  # the probe's report of the joining is out
    log_offset = len(server.log_text())
    until = time.monotonic() + duration
    tasks = [move_gamma(session, seed, until, figures) for seed, session in enumerate(sessions)]
    if with_adversary:
        tasks.append(adversary(server.url, until, figures))
    await asyncio.gather(*tasks)
    return figures, log_offset


def measure(log_dir: Path, students: int, duration: float, with_adversary: bool) -> RunFigures:
    """One run on a fresh server (``qgas serve --physics-workers 1``, loop probe on)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"server-{'adversary' if with_adversary else 'baseline'}.log"
    server = ServedDashboard(log, ["--physics-workers", "1"], env={PROBE_ENV: str(PROBE_PERIOD_S)})
    try:
        figures, log_offset = run_coroutine(class_run(server, students, duration, with_adversary))
        stalls = [float(v) for v in _PROBE_RE.findall(server.log_text()[log_offset:])]
        figures.longest_stall_ms = max(stalls, default=float("nan"))
        return figures
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.adversary", description=__doc__)
    parser.add_argument("--students", type=int, default=10, help="students moving γ")
    parser.add_argument("--duration", type=float, default=150.0, help="seconds per run")
    parser.add_argument("--json", type=Path, help="write both runs' figures")
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp/qge-adversary"))
    parser.add_argument(
        "--name-slow-callbacks",
        action="store_true",
        help="log each loop callback over 50 ms by name (asyncio debug mode: slower; diagnosis)",
    )
    args = parser.parse_args(argv)
    if args.name_slow_callbacks:
        os.environ[DEBUG_ENV] = "1"
    baseline = measure(args.log_dir, args.students, args.duration, with_adversary=False)
    attacked = measure(args.log_dir, args.students, args.duration, with_adversary=True)
    (p50_base, p95_base), (p50, p95) = baseline.quantiles(), attacked.quantiles()
    print(f"{args.students} students moving γ for {args.duration:.0f} s, protocol clients")
    print("| run | moves | p50 ms | p95 ms | longest loop stall ms | adversary changes (tabs) |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, figures, (p50_run, p95_run) in (
        ("without the adversary", baseline, (p50_base, p95_base)),
        ("with the adversary", attacked, (p50, p95)),
    ):
        print(
            f"| {name} | {len(figures.latencies_ms)} | {p50_run:.0f} | {p95_run:.0f} | "
            f"{figures.longest_stall_ms:.0f} | {figures.adversary_changes} "
            f"({', '.join(figures.adversary_tabs) or '-'}) |"
        )
    print(f"p95 ratio with / without: {p95 / p95_base:.2f} (target <= 1.5)")
    for error in attacked.adversary_errors:
        print(f"adversary error: {error}")
    if args.json:
        args.json.write_text(
            json.dumps({"baseline": asdict(baseline), "adversary": asdict(attacked)}, indent=1)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The report of one load run (``python -m benchmarks.load``): figures and their table."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

__all__ = ["LoadReport", "median_and_p95"]


def median_and_p95(values: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile of ``values`` (linear interpolation between order
    statistics, ``statistics.quantiles(method="inclusive")``); NaN for no values."""
    if not values:
        return math.nan, math.nan
    if len(values) == 1:
        return values[0], values[0]
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    return cuts[9], cuts[18]


@dataclass
class LoadReport:
    """Figures of one load run (times in ms, memory in MB)."""

    client: str
    warm_start: bool
    sessions: int
    duration_s: float
    think_s: float
    num_procs: int
    physics_workers: int
    backends: int
    moves: int
    no_update: int
    errors: list[str]
    dropped_sessions: int
    p50_ms: float
    p95_ms: float
    #: view slug -> moves on its tab counted in ``no_update``
    no_update_views: dict[str, int]
    #: view slug -> (p50, p95) ms of the moves made on that view's tab
    view_latency_ms: dict[str, tuple[float, float]]
    solo_p50_ms: float
    solo_p95_ms: float
    load_p50_s: float
    baseline_rss_mb: float
    live_rss_mb: float
    per_session_mb: float
    peak_rss_mb: float
    after_close_rss_mb: float
    after_close_ratio: float
    sessions_opened: int
    sessions_created: int
    sessions_destroyed: int
    all_destroyed: bool
    documents_left: int | None
    server_alive: bool
    server_cpu_s: float
    #: CPU seconds of the server / of the students (the load generator) during the class
    class_server_cpu_s: float
    students_cpu_s: float
    views_tabs: int
    slider_handles: int
    external_requests: list[str]
    rss_timeline: list[tuple[float, float, int]]

    def table(self) -> str:
        """The human-readable summary printed by the benchmark."""
        ratio = self.p50_ms / self.solo_p50_ms if self.solo_p50_ms else float("nan")
        rows = [
            f"{self.client} clients: sessions {self.sessions} x {self.duration_s:.0f} s"
            f"{' after every session opened every tab' if self.warm_start else ''}, "
            f"think {self.think_s} s, "
            f"num-procs {self.num_procs}, physics workers {self.physics_workers}, "
            f"backends behind nginx {self.backends}; "
            f"{self.views_tabs} tabs, "
            f"{self.slider_handles} slider handles per tab visit at most",
            f"moves {self.moves}, without update {self.no_update} {self.no_update_views}, "
            f"errors {len(self.errors)}, "
            f"dropped sessions {self.dropped_sessions}, server alive {self.server_alive}",
            f"latency slider->update  p50 {self.p50_ms:8.0f} ms   p95 {self.p95_ms:8.0f} ms",
            f"  baseline (1 session)  p50 {self.solo_p50_ms:8.0f} ms   p95 {self.solo_p95_ms:8.0f}"
            f" ms   ratio p50 {ratio:.2f}",
            "  by view (p50/p95 ms): "
            + ", ".join(
                f"{slug} {p50:.0f}/{p95:.0f}" for slug, (p50, p95) in self.view_latency_ms.items()
            ),
            f"page load p50 {self.load_p50_s:.1f} s; server CPU {self.server_cpu_s:.0f} s, "
            f"during the class {self.class_server_cpu_s:.0f} s (students' processes "
            f"{self.students_cpu_s:.1f} s)",
            f"RSS baseline {self.baseline_rss_mb:.0f} MB, with all sessions live "
            f"{self.live_rss_mb:.0f} MB ({self.per_session_mb:.1f} MB per session), peak "
            f"{self.peak_rss_mb:.0f} MB",
            f"RSS after close {self.after_close_rss_mb:.0f} MB = {self.after_close_ratio:.3f} x "
            f"baseline; browser sessions {self.sessions_opened}, server sessions created "
            f"{self.sessions_created}, destroyed {self.sessions_destroyed}, all destroyed "
            f"{self.all_destroyed}; session documents left in memory {self.documents_left}",
        ]
        if self.external_requests:
            rows.append(f"requests off the server (blocked): {self.external_requests[:5]}")
        rows += [f"  error: {error}" for error in self.errors[:20]]
        return "\n".join(rows)

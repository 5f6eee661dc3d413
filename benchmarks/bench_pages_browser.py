"""Benchmark one app page in Chromium against a minimal one-chart Streamlit page, in one run.

Starts two Streamlit servers on a temporary cache (the paper's corpus and the seeded Qwen
family): the app on --port and the peer (`benchmarks/peer_one_chart.py`) on --port + 1. Each
page is opened in Debian's Chromium (Playwright, headless) and measured with the DevTools
`Performance.getMetrics` counters of that page:

* main-thread time = `TaskDuration`, the total time of every task the renderer's main thread
  ran (script, style, layout, paint, parsing, GC). `ScriptDuration`, `RecalcStyleDuration` and
  `LayoutDuration` are parts of it, printed beside it, never added to it;
* wall time = from `goto` until the app says it is idle (`data-test-script-state=notRunning`)
  with at least one plotly chart drawn.

A page counts as done when that main-thread time has stopped growing (less than 5 ms in
one second). **Cold** is the first visit after the server started (empty `st.cache_*`, a
fresh browser context with an empty HTTP cache); **warm** visits follow, each a new tab in
the same context, page and peer alternating so that both meet the same load on a shared
machine; the warm ratio is the median of the --repeat paired ratios (9), printed with their
quartiles: on a shared machine one pair varies by about ±0.1. Targets (issue 13):
page / peer warm <= --target (Corpus 1.5, Family 1.3) and page cold <= 2 x page warm.

    nice python benchmarks/bench_pages_browser.py --page corpus --port 8611
    nice python benchmarks/bench_pages_browser.py --page family --query q=Qwen/Qwen-7B
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from serve import streamlit_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TARGETS = {"corpus": 1.5, "family": 1.3}
PARTS = ("ScriptDuration", "RecalcStyleDuration", "LayoutDuration")
VIEWPORT = {"width": 1400, "height": 1000}


@dataclass(frozen=True)
class Visit:
    """One page load: main-thread milliseconds (total and parts), wall seconds, charts drawn."""

    main_ms: float
    parts_ms: dict[str, float]
    wall_s: float
    charts: int


def seeded_cache(folder: Path) -> Path:
    """A cache with the paper's corpus and the real-shaped Qwen family (tests/seed.py)."""
    from seed import seed

    from core import store
    from core.corpus import import_replication

    db_file = folder / "bench.db"
    db = store.open_db(db_file)
    seed(db, "Qwen_Qwen", SHARED)
    import_replication(db, SHARED / "corpus")
    db.close()
    return db_file


def _metrics(cdp) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def visit(context, url: str, timeout_s: float = 180) -> Visit:
    """Open `url` in a new tab, wait until the app is idle and the main thread quiet, measure."""
    page = context.new_page()
    try:
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable", {"timeMode": "threadTicks"})
        start = time.perf_counter()
        page.goto(url, timeout=timeout_s * 1000)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=timeout_s * 1000)
        page.wait_for_selector(
            '[data-test-script-state="notRunning"]', state="attached", timeout=timeout_s * 1000
        )
        wall = time.perf_counter() - start
        last = _metrics(cdp)["TaskDuration"]
        quiet_since = time.perf_counter()
        while time.perf_counter() - quiet_since < 1.0:
            page.wait_for_timeout(250)
            now = _metrics(cdp)["TaskDuration"]
            if now - last > 0.005:
                quiet_since = time.perf_counter()
            last = now
        metrics = _metrics(cdp)
        return Visit(
            main_ms=metrics["TaskDuration"] * 1000,
            parts_ms={p: metrics[p] * 1000 for p in PARTS},
            wall_s=wall,
            charts=page.locator(".js-plotly-plot").count(),
        )
    finally:
        page.close()


@dataclass(frozen=True)
class Run:
    """One run's visits: cold ones, then warm (page, peer) pairs taken alternately."""

    page_cold: Visit
    peer_cold: Visit
    pairs: list[tuple[Visit, Visit]]

    @property
    def ratio(self) -> float:
        """Median of the paired warm ratios (page / peer): load on the machine cancels out."""
        return statistics.median(self.ratios)

    @property
    def ratios(self) -> list[float]:
        return [p.main_ms / q.main_ms for p, q in self.pairs]

    @property
    def spread(self) -> tuple[float, float]:
        """The paired ratios' quartiles: how far one run's median can be trusted."""
        if len(self.pairs) < 2:
            return self.ratio, self.ratio
        low, _, high = statistics.quantiles(self.ratios, n=4)
        return low, high

    @property
    def best_ratio(self) -> float:
        """Fastest warm page over fastest warm peer (the least disturbed visit of each)."""
        return min(p.main_ms for p, _ in self.pairs) / min(q.main_ms for _, q in self.pairs)

    @property
    def page_warm(self) -> Visit:
        return _median([p for p, _ in self.pairs])

    @property
    def peer_warm(self) -> Visit:
        return _median([q for _, q in self.pairs])


def measure(browser, page_url: str, peer_url: str, repeat: int) -> Run:
    """Cold visits in fresh contexts, then `repeat` warm pairs, page and peer alternating."""
    contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(2)]
    try:
        page_cold, peer_cold = visit(contexts[0], page_url), visit(contexts[1], peer_url)
        pairs = [
            (visit(contexts[0], page_url), visit(contexts[1], peer_url)) for _ in range(repeat)
        ]
        return Run(page_cold, peer_cold, pairs)
    finally:
        for context in contexts:
            context.close()


def _median(visits: list[Visit]) -> Visit:
    ranked = sorted(visits, key=lambda v: v.main_ms)
    return ranked[len(ranked) // 2]


def _row(name: str, page: Visit, peer: Visit) -> str:
    return (
        f"  {name:<22}{page.main_ms:9.0f} ms{peer.main_ms:9.0f} ms"
        f"{page.main_ms / peer.main_ms:8.2f}x   wall {page.wall_s:5.2f} s / {peer.wall_s:5.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="corpus", help="url path of the app page (corpus)")
    parser.add_argument("--query", default="", help="query string, e.g. q=Qwen/Qwen-7B")
    parser.add_argument("--port", type=int, default=8611, help="app port; the peer uses +1")
    parser.add_argument("--repeat", type=int, default=9, help="warm visits (median)")
    parser.add_argument("--target", type=float, default=None, help="warm ratio target")
    opts = parser.parse_args()
    target = opts.target or TARGETS.get(opts.page, 1.5)
    suffix = f"?{opts.query}" if opts.query else ""

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        db_file = seeded_cache(folder)
        app = stack.enter_context(
            streamlit_server(REPO / "app.py", opts.port, db_file, folder / "app.log")
        )
        peer = stack.enter_context(
            streamlit_server(
                REPO / "benchmarks" / "peer_one_chart.py", opts.port + 1, db_file, folder / "p.log"
            )
        )
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        stack.callback(browser.close)
        run = measure(browser, f"{app}/{opts.page}{suffix}", peer, opts.repeat)

    page_med, peer_med = run.page_warm, run.peer_warm
    cold_ratio = run.page_cold.main_ms / page_med.main_ms
    print(
        f"/{opts.page}{suffix} ({page_med.charts} plotly charts) vs the one-chart peer, "
        "Chromium main-thread time (CDP TaskDuration)"
    )
    print(f"  {'':<22}{'project':>12}{'peer':>12}{'ratio':>9}")
    print(_row(f"warm (median of {opts.repeat})", page_med, peer_med))
    print(_row("cold (first visit)", run.page_cold, run.peer_cold))
    low, high = run.spread
    print(
        f"  warm paired ratios: {', '.join(f'{r:.2f}' for r in run.ratios)}"
        f" -> median {run.ratio:.2f}x, quartiles {low:.2f}-{high:.2f}"
        f" (fastest / fastest {run.best_ratio:.2f}x)"
    )
    parts = ", ".join(
        f"{p.removesuffix('Duration')} {page_med.parts_ms[p]:.0f}/{peer_med.parts_ms[p]:.0f}"
        for p in PARTS
    )
    print(f"  warm parts, project/peer ms: {parts}")
    print(
        f"  cold / warm, project: main thread {cold_ratio:.2f}x, "
        f"wall {run.page_cold.wall_s / page_med.wall_s:.2f}x"
    )
    ok = run.ratio <= target and cold_ratio <= 2.0
    print(
        f"  targets: warm <= {target}x ({'OK' if run.ratio <= target else 'MISSED'}), "
        f"cold <= 2x warm ({'OK' if cold_ratio <= 2.0 else 'MISSED'})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""TUI figures at 10k and 100k stored articles: first paint, peak RSS, j/k latency, search.

    python benchmarks/bench_tui.py [--sizes 10000,100000] [--runs 3]

First paint is measured from before the child process is spawned (interpreter start-up
included) to the first article row rendered, headless; "settled" is when the app is idle
with the sidebar counts filled in. Key latency is the time
from posting a `j`/`k` key event to the last article-list line rendered for that update
(key dispatch, cursor move, compositing of the changed lines), headless.

The children run with bytecode, as an installed natoread does (pip writes it): a machine with
PYTHONDONTWRITEBYTECODE set, or a source checkout, would otherwise recompile natoread's modules
at every start (~0.1 s here). The bytecode goes to benchmarks/out/pycache, not the source tree,
and one unmeasured run per size writes it first. Search is timed in this process over 8
queries × 5 after a first round that is reported apart (its queries read the indexes from disk
into a new connection's cache, as the first search after starting the reader does).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import speed_line
from synth import OUT, synthetic_store

CHILD = r"""
import os, sys, time, json, asyncio
t0 = float(os.environ["BENCH_T0"])
from pathlib import Path
from natoread.core.config import load_config
from natoread.ui.app import NatoreadApp
config = load_config(None)
app = NatoreadApp(config, Path(sys.argv[1]), autopoll=False)
out = {}
from natoread.ui.widgets.article_list import ArticleList
_first_line = ArticleList.render_line
def _render_line(self, y):
    out.setdefault("first_paint", time.time() - t0)
    return _first_line(self, y)
ArticleList.render_line = _render_line
async def pilot_run(pilot):
    await pilot.pause()
    out["idle"] = time.time() - t0
    ArticleList.render_line = _first_line
    if sys.argv[2] == "keys":
        from textual import events
        rendered = []
        original = ArticleList.render_line
        def timed_render_line(self, y):
            strip = original(self, y)
            rendered.append(time.perf_counter())
            return strip
        ArticleList.render_line = timed_render_line
        latencies = []
        for n in range(200):
            key = "j" if (n // 50) % 2 == 0 else "k"
            await pilot.pause()
            rendered.clear()
            sent = time.perf_counter()
            app.post_message(events.Key(key, key))
            # Wait for the repaint without pilot.pause(), whose callbacks to every widget
            # would be work in the app's queues that a real terminal never puts there.
            deadline = sent + 1.0
            while time.perf_counter() < deadline and (
                not rendered or time.perf_counter() - rendered[-1] < 0.005
            ):
                await asyncio.sleep(0.0005)
            if rendered:
                latencies.append(rendered[-1] - sent)
        latencies.sort()
        out["key_p50_ms"] = 1000 * latencies[len(latencies) // 2]
        out["key_p95_ms"] = 1000 * latencies[int(len(latencies) * 0.95)]
    app.exit(0)
app.run(headless=True, size=(160, 48), auto_pilot=pilot_run)
print(json.dumps(out))
"""


def run_child(db: Path, mode: str) -> dict[str, float]:
    """One child process; returns its figures plus peak RSS."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    env["BENCH_T0"] = repr(time.time())
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), mode],
        stdout=subprocess.PIPE,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    _, _, usage = os.wait4(process.pid, 0)
    assert process.stdout is not None
    figures = json.loads(process.stdout.read().decode().strip().splitlines()[-1])
    figures["rss_mb"] = usage.ru_maxrss / 1024
    return figures


def search_latency(db: Path) -> tuple[float, float, float] | None:
    """p50/p95 of natoread's search over a query mix, in ms, after one unmeasured round that
    reads the indexes into SQLite's cache; and the slowest query of that first round (None
    without core.search)."""
    try:
        from natoread.core.storage.search import search
    except ImportError:
        return None
    from natoread.core.storage.store import Store

    queries = [
        "NATO",
        '"defence spending"',
        "Sweden ratification",
        "Hungary OR Turkey",
        "summit -weather",
        "topic:alliance Kyiv",
        "speaker:Rutte",
        "since:7d allies",
    ]
    first: list[float] = []
    times: list[float] = []
    with Store(db) as store:
        for round_number in range(6):
            for query in queries:
                started = time.perf_counter()
                search(store, query)
                (times if round_number else first).append(time.perf_counter() - started)
    times.sort()
    return 1000 * times[len(times) // 2], 1000 * times[int(len(times) * 0.95)], 1000 * max(first)


def fmt(values: list[float], unit: str, digits: int = 2) -> str:
    return f"{statistics.median(values):.{digits}f}{unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(speed_line())
    print("TUI at 160x48, headless; median (min–max)")
    for size in (int(s) for s in args.sizes.split(",")):
        db = synthetic_store(size)
        run_child(db, "paint")  # writes the bytecode; not measured
        paint = [run_child(db, "paint") for _ in range(args.runs)]
        keys = run_child(db, "keys")
        print(f"\n{size:,} articles")
        print(
            f"  first paint   {fmt([p['first_paint'] for p in paint], ' s')}  (first article row rendered)"
        )
        print(
            f"  settled       {fmt([p['idle'] for p in paint], ' s')}  (sidebar counts done, app idle)"
        )
        print(f"  peak RSS      {fmt([p['rss_mb'] for p in paint], ' MB', 0)}")
        print(f"  j/k key→repaint p50 {keys['key_p50_ms']:.1f} ms, p95 {keys['key_p95_ms']:.1f} ms")
        latency = search_latency(db)
        if latency:
            print(
                f"  search p50 {latency[0]:.1f} ms, p95 {latency[1]:.1f} ms"
                f" (first round, cold cache: slowest {latency[2]:.1f} ms)"
            )


if __name__ == "__main__":
    main()
    print(speed_line("after"))

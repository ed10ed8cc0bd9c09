"""Time `natoread fetch` cold (empty data dir) and warm (all 304) on the local feed farm.

Prints wall time, CPU time and peak RSS of the whole `natoread` process (interpreter start-up
included), each as the median of several runs with min–max. If `newsboat` is installed, the
same farm is polled by `newsboat -x reload` (reload-threads 16, cache ANALYZEd) and the
natoread/Newsboat ratio is printed.

    python benchmarks/bench_fetch.py --feeds 100,1000 --runs 3 [--latency-ms 30]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from farm import farm_config, item_count, start_farm
from machine import speed_line

NATOREAD = str(Path(sys.executable).parent / "natoread")


@dataclass
class Run:
    """One measured process."""

    wall: float
    cpu: float
    rss_mb: float


def measure(argv: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run a command and return its wall time, CPU time and peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of the whole process tree (worker processes included), peak RSS of the main process.
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if status not in (0, 256):
        err = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{argv[0]} failed ({status}): {err[-2000:]}")
    return Run(wall, max(cpu, usage.ru_utime + usage.ru_stime), usage.ru_maxrss / 1024)


def summary(runs: Sequence[Run]) -> str:
    """Median (min–max) of wall, CPU and RSS."""

    def fmt(values: list[float], unit: str, digits: int) -> str:
        med = statistics.median(values)
        return f"{med:.{digits}f}{unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"

    return (
        f"wall {fmt([r.wall for r in runs], ' s', 2)}  cpu {fmt([r.cpu for r in runs], ' s', 2)}"
        f"  rss {fmt([r.rss_mb for r in runs], ' MB', 0)}"
    )


def natoread_runs(
    config: Path, feeds: int, runs: int
) -> tuple[list[Run], list[Run], list[Run], int]:
    """Cold, first warm and warm runs of natoread, and the stored item count.

    The first warm pass follows the cold one: every feed answers 304, but answered 200 last
    time, so the full pass asks it. The warm pass after it is settled: every feed is asked by
    a probe (`core/revalidate.py`), as in a cron job's steady state and in the shared harness,
    which primes caches with two polls.
    """
    cold: list[Run] = []
    first_warm: list[Run] = []
    warm: list[Run] = []
    stored = 0
    for _ in range(runs):
        data = Path(tempfile.mkdtemp(prefix="natoread-bench-"))
        base = [NATOREAD, "--config", str(config), "--data-dir", str(data), "fetch", "--quiet"]
        cold.append(measure(base))
        first_warm.append(measure([*base, "--force"]))
        warm.append(measure([*base, "--force"]))
        stored = (
            sqlite3.connect(data / "natoread.sqlite3")
            .execute("SELECT COUNT(*) FROM article")
            .fetchone()[0]
        )
        shutil.rmtree(data)
    return cold, first_warm, warm, stored


def newsboat_runs(port: int, feeds: int, runs: int) -> tuple[list[Run], list[Run]] | None:
    """Cold and warm runs of `newsboat -x reload` on the same farm, if installed."""
    newsboat = shutil.which("newsboat")
    if not newsboat:
        return None
    cold: list[Run] = []
    warm: list[Run] = []
    for _ in range(runs):
        work = Path(tempfile.mkdtemp(prefix="newsboat-bench-"))
        urls = work / "urls"
        urls.write_text("".join(f"http://127.0.0.1:{port}/feed/{i}.xml\n" for i in range(feeds)))
        conf = work / "config"
        conf.write_text("reload-threads 16\nsuppress-first-reload yes\n")
        cache = work / "cache.db"
        argv = [newsboat, "-u", str(urls), "-c", str(cache), "-C", str(conf), "-x", "reload"]
        env = {**os.environ, "HOME": str(work)}
        cold.append(measure(argv, env))
        with sqlite3.connect(cache) as db:
            db.execute("ANALYZE")
        warm.append(measure(argv, env))
        shutil.rmtree(work)
    return cold, warm


def main() -> None:
    """Parse options, run the farm and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", default="100,1000", help="comma-separated feed counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    print(speed_line())
    results = []
    print(f"natoread fetch on a local farm (latency {args.latency_ms:g} ms), median (min–max)")
    for feeds in (int(n) for n in args.feeds.split(",")):
        _, port = start_farm(feeds, args.latency_ms / 1000)
        expected = sum(item_count(i) for i in range(feeds))
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "feeds.toml"
            config.write_text(farm_config(port, feeds, timeout=60))
            cold, first_warm, warm, stored = natoread_runs(config, feeds, args.runs)
        check = "ok" if stored == expected else f"MISMATCH (expected {expected})"
        print(f"\nN={feeds} feeds, {expected} items; stored {stored} {check}")
        print(f"  natoread cold  {summary(cold)}")
        print(f"  natoread warm, first after cold  {summary(first_warm)}")
        print(f"  natoread warm  {summary(warm)}")
        row: dict[str, object] = {
            "feeds": feeds,
            "items": expected,
            "stored": stored,
            "cold_wall": statistics.median(r.wall for r in cold),
            "first_warm_wall": statistics.median(r.wall for r in first_warm),
            "warm_wall": statistics.median(r.wall for r in warm),
            "cold_rss_mb": statistics.median(r.rss_mb for r in cold),
        }
        boat = newsboat_runs(port, feeds, args.runs)
        if boat:
            nb_cold, nb_warm = boat
            print(f"  newsboat cold  {summary(nb_cold)}")
            print(f"  newsboat warm  {summary(nb_warm)}")
            ratio_cold = row["cold_wall"] / statistics.median(r.wall for r in nb_cold)  # type: ignore[operator]
            ratio_warm = row["warm_wall"] / statistics.median(r.wall for r in nb_warm)  # type: ignore[operator]
            print(f"  ratio natoread/newsboat: cold {ratio_cold:.2f}x, warm {ratio_warm:.2f}x")
            row |= {"ratio_cold": ratio_cold, "ratio_warm": ratio_warm}
        else:
            print("  (newsboat not installed: `apt-get install newsboat` to compare)")
        results.append(row)
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
    print(speed_line("after"))

"""natoread fetch against `newsboat -x reload` at the sizes people have: 20, 100, 200 feeds.

    python benchmarks/bench_vs_newsboat.py [--feeds 20,100,200] [--runs 5] [--big]
                                           [--latency-ms 0] [--timeline]

For each size one farm (`farm.py`) serves both programs. Each run times a cold poll (empty
data directory / cache) of natoread, then of Newsboat, then a warm poll (all 304, caches
primed by two polls; Newsboat's cache ANALYZEd) of each, alternating, so drift of the machine
hits both alike. Printed per case: medians of wall and CPU time of the whole process tree
(natoread's worker processes included: the script is their subreaper, so their CPU is
counted when they exit), and the natoread/Newsboat ratio (median of the pairwise ratios).
`--big` adds 1,000 feeds (several minutes); `--timeline` also records one cold natoread
pass per size with NATOREAD_TIMELINE and prints when each stage ran, per process.
Both programs' stored item counts are checked against the farm's. Needs `newsboat`.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from farm import farm_config, item_count, start_farm
from machine import speed_line

NATOREAD = str(Path(sys.executable).parent / "natoread")
PR_SET_CHILD_SUBREAPER = 36


class Run(NamedTuple):
    """One measured process tree."""

    wall: float
    cpu: float


def become_subreaper() -> None:
    """Adopt orphaned descendants (natoread's fork server and workers outlive its main
    process by a moment): reaping them here adds their CPU time to RUSAGE_CHILDREN."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise SystemExit("cannot become a subreaper (Linux only)")


def measure(argv: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Wall time until the command exits; CPU of it and of every descendant."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, _ = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    while True:  # the descendants it left behind, adopted by this process
        try:
            os.wait()
        except ChildProcessError:
            break
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        err = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{argv[0]} failed ({status}): {err[-2000:]}")
    if process.stderr:
        process.stderr.close()
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(wall, cpu)


class Contestants:
    """natoread and Newsboat pointed at one farm, each with its own working directory."""

    def __init__(self, port: int, feeds: int, work: Path) -> None:
        self.work = work
        self.config = work / "feeds.toml"
        self.config.write_text(farm_config(port, feeds, timeout=60))
        urls = work / "urls"
        urls.write_text("".join(f"http://127.0.0.1:{port}/feed/{i}.xml\n" for i in range(feeds)))
        (work / "newsboat.conf").write_text("reload-threads 16\nsuppress-first-reload yes\n")
        self.newsboat = shutil.which("newsboat") or "newsboat"
        self.env = {**os.environ, "HOME": str(work)}
        self.env.pop("NATOREAD_TIMELINE", None)
        # Measured as installed: an editable install run with PYTHONDONTWRITEBYTECODE
        # would compile every natoread module at every start.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)

    def natoread(self, data: Path, timeline: Path | None = None) -> Run:
        env = dict(self.env)
        if timeline is not None:
            env["NATOREAD_TIMELINE"] = str(timeline)
        argv = [NATOREAD, "--config", str(self.config), "--data-dir", str(data), "fetch"]
        return measure([*argv, "--quiet"], env)

    def boat(self, cache: Path) -> Run:
        argv = [self.newsboat, "-u", str(self.work / "urls"), "-c", str(cache)]
        return measure([*argv, "-C", str(self.work / "newsboat.conf"), "-x", "reload"], self.env)

    def fresh(self, name: str) -> tuple[Path, Path]:
        """An empty natoread data directory and a Newsboat cache path."""
        data, cache = self.work / f"nr-{name}", self.work / f"nb-{name}.db"
        shutil.rmtree(data, ignore_errors=True)
        for path in (cache, Path(f"{cache}.lock")):
            path.unlink(missing_ok=True)
        data.mkdir()
        return data, cache


def stored_counts(data: Path, cache: Path) -> tuple[int, int]:
    """Articles natoread stored, items Newsboat stored."""
    with sqlite3.connect(data / "natoread.sqlite3") as db:
        ours = int(db.execute("SELECT COUNT(*) FROM article").fetchone()[0])
    with sqlite3.connect(cache) as db:
        theirs = int(db.execute("SELECT COUNT(*) FROM rss_item").fetchone()[0])
    return ours, theirs


def ratio(ours: Sequence[Run], theirs: Sequence[Run], field: str) -> float:
    """Median of the pairwise natoread/Newsboat ratios of `field`."""
    return statistics.median(
        getattr(a, field) / max(getattr(b, field), 1e-9) for a, b in zip(ours, theirs, strict=True)
    )


def median(runs: Sequence[Run], field: str) -> float:
    return statistics.median(getattr(r, field) for r in runs)


def one_size(feeds: int, runs: int, latency_ms: float, show_timeline: bool) -> dict[str, object]:
    """Measure one farm size; print its rows and return them."""
    _, port = start_farm(feeds, latency_ms / 1000)
    expected = sum(item_count(i) for i in range(feeds))
    cold_nr: list[Run] = []
    cold_nb: list[Run] = []
    warm_nr: list[Run] = []
    warm_nb: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="natoread-vs-newsboat-") as tmp:
        both = Contestants(port, feeds, Path(tmp))
        for _ in range(runs):
            data, cache = both.fresh("cold")
            cold_nr.append(both.natoread(data))
            cold_nb.append(both.boat(cache))
        counts = stored_counts(data, cache)
        warm_data, warm_cache = both.fresh("warm")
        for _ in range(2):  # primed: the second poll leaves every feed settled on 304
            both.natoread(warm_data)
            both.boat(warm_cache)
        with sqlite3.connect(warm_cache) as db:
            db.execute("ANALYZE")
        for _ in range(runs):
            warm_nr.append(both.natoread(warm_data))
            warm_nb.append(both.boat(warm_cache))
        timeline_rows: list[str] = []
        if show_timeline:
            data, _ = both.fresh("timeline")
            path = Path(tmp) / "timeline.jsonl"
            both.natoread(data, path)
            timeline_rows = timeline_table(path)
    ok = "ok" if counts == (expected, expected) else f"MISMATCH (farm {expected})"
    print(
        f"\n{feeds} feeds, {expected} items: natoread stored {counts[0]}, Newsboat {counts[1]}: {ok}"
    )
    print(
        f"  {'poll':5} {'natoread wall':>14} {'Newsboat wall':>14} {'ratio':>7}"
        f" {'natoread CPU':>13} {'Newsboat CPU':>13} {'ratio':>7}"
    )
    row: dict[str, object] = {"feeds": feeds, "items": expected, "stored": counts}
    for name, ours, theirs in (("cold", cold_nr, cold_nb), ("warm", warm_nr, warm_nb)):
        wall_ratio, cpu_ratio = ratio(ours, theirs, "wall"), ratio(ours, theirs, "cpu")
        print(
            f"  {name:5} {median(ours, 'wall'):12.3f} s {median(theirs, 'wall'):12.3f} s"
            f" {wall_ratio:6.2f}× {median(ours, 'cpu'):11.3f} s {median(theirs, 'cpu'):11.3f} s"
            f" {cpu_ratio:6.2f}×"
        )
        row[name] = {
            "natoread_wall": median(ours, "wall"),
            "newsboat_wall": median(theirs, "wall"),
            "wall_ratio": wall_ratio,
            "natoread_cpu": median(ours, "cpu"),
            "newsboat_cpu": median(theirs, "cpu"),
            "cpu_ratio": cpu_ratio,
        }
    for line in timeline_rows:
        print(line)
    return row


def timeline_table(path: Path) -> list[str]:
    """A NATOREAD_TIMELINE file as rows: each stage per process, first start → last end
    (ms from the first process's start), how many times it ran, its summed wall time, and
    the CPU its process spent (all threads) from the stage's first start to its last end:
    a stage whose window holds much less CPU than wall time is where the pass waits."""
    lines = [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]
    if not lines:
        return []
    origin = min(line["start"] for line in lines)
    pids = list(dict.fromkeys(line["pid"] for line in lines))
    first: dict[tuple[int, str], dict[str, float]] = {}
    last: dict[tuple[int, str], dict[str, float]] = {}
    runs: dict[tuple[int, str], int] = {}
    busy: dict[tuple[int, str], float] = {}
    for line in lines:
        key = (line["pid"], line["stage"])
        if key not in first or line["start"] < first[key]["start"]:
            first[key] = line
        if key not in last or line["end"] > last[key]["end"]:
            last[key] = line
        runs[key] = runs.get(key, 0) + 1
        busy[key] = busy.get(key, 0.0) + line["end"] - line["start"]
    rows = ["  timeline of one cold natoread pass (p0 is the command; ms):"]
    rows.append(
        f"    {'stage':51} {'first start':>11} {'last end':>9} {'runs':>5} {'wall':>6}"
        f" {'window':>7} {'cpu':>6}"
    )
    for key in sorted(first, key=lambda k: first[k]["start"]):
        start, end = first[key]["start"], last[key]["end"]
        cpu = last[key]["cpu"] - first[key].get("cpu_start", first[key]["cpu"])
        rows.append(
            f"    p{pids.index(key[0])} {key[1]:48} {1000 * (start - origin):11.0f}"
            f" {1000 * (end - origin):9.0f} {runs[key]:5d} {1000 * busy[key]:6.0f}"
            f" {1000 * (end - start):7.0f} {1000 * cpu:6.0f}"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", default="20,100,200", help="comma-separated feed counts")
    parser.add_argument("--big", action="store_true", help="also 1,000 feeds (minutes)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--timeline", action="store_true", help="print one cold pass's stages")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    if shutil.which("newsboat") is None:
        raise SystemExit("newsboat is not installed (apt-get install newsboat)")
    become_subreaper()
    sizes = [int(n) for n in args.feeds.split(",")] + ([1000] if args.big else [])
    print(speed_line())
    print(
        f"natoread fetch vs newsboat -x reload (16 threads), {args.runs} runs alternating;"
        " medians; ratio = natoread / Newsboat"
    )
    results = [one_size(n, args.runs, args.latency_ms, args.timeline) for n in sizes]
    if args.json:
        print(json.dumps(results))
    print(speed_line("after"))


if __name__ == "__main__":
    main()

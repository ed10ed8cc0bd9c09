"""The reader's first poll: from starting `natoread` to "all feeds polled", on the farm.

    python benchmarks/bench_reader_poll.py [--feeds 100] [--runs 3]

Each run starts the reader headless (160×48) in a new process on an empty data directory
(cold: every feed new) and then again on the same directory (warm: every feed answers 304),
and records the time from before the process is spawned to the end of the first poll pass
(the screen's PollFinished). For comparison the same farm is polled by
`natoread fetch` (cold, then warm) in a new data directory. Medians of the runs; the
children use bytecode in benchmarks/out/pycache, as an installed natoread does.
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
from farm import farm_config, item_count, start_farm
from machine import speed_line
from synth import OUT

CHILD = r"""
import os, sys, time, json
t0 = float(os.environ["BENCH_T0"])
from pathlib import Path
from natoread.core.config import load_config
from natoread.ui.app import NatoreadApp
from natoread.ui.screens.polling import PollController
out = {}
_finished = PollController.finished
def finished(self, message):
    _finished(self, message)
    out["polled"] = time.time() - t0
    out["new"] = message.new_articles
    out["failed"] = message.failed
    self.screen.app.exit(0)
PollController.finished = finished
config = load_config(Path(sys.argv[1]))
app = NatoreadApp(config, Path(sys.argv[2]) / "natoread.sqlite3", autopoll=True)
app.run(headless=True, size=(160, 48))
print(json.dumps(out))
"""


def reader_run(config: Path, data: Path) -> dict[str, float]:
    """One reader process until its first poll pass ends."""
    data.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    env["BENCH_T0"] = repr(time.time())
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(config), str(data)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
        timeout=600,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def fetch_run(config: Path, data: Path) -> float:
    """Wall time of one `natoread fetch` process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    command = [sys.executable, "-m", "natoread", "--config", str(config), "--data-dir", str(data)]
    started = time.perf_counter()
    subprocess.run([*command, "fetch", "--quiet"], env=env, check=False, timeout=600)
    return time.perf_counter() - started


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(speed_line())
    _, port = start_farm(args.feeds)
    work = Path(tempfile.mkdtemp(prefix="natoread-reader-poll-"))
    config = work / "feeds.toml"
    config.write_text(farm_config(port, args.feeds, timeout=60), encoding="utf-8")
    expected = sum(item_count(index) for index in range(args.feeds))
    reader_run(config, work / "warmup")  # writes the bytecode; not measured
    cold: list[dict[str, float]] = []
    warm: list[dict[str, float]] = []
    fetch_cold: list[float] = []
    fetch_warm: list[float] = []
    for run in range(args.runs):
        data = work / f"reader-{run}"
        cold.append(reader_run(config, data))
        warm.append(reader_run(config, data))
        fetched = work / f"fetch-{run}"
        fetch_cold.append(fetch_run(config, fetched))
        fetch_warm.append(fetch_run(config, fetched))
    print(
        f"the reader's first poll, {args.feeds} feeds ({expected:,} items), medians of {args.runs}"
    )
    print("  start   all feeds polled   new   failed")
    for name, runs in (("cold", cold), ("warm", warm)):
        print(
            f"  {name:<6} {median([r['polled'] for r in runs]):>17} {int(runs[0]['new']):>5} "
            f"{int(runs[0]['failed']):>8}"
        )
    print(
        f"  natoread fetch on the same farm: cold {median(fetch_cold)}, warm {median(fetch_warm)}"
    )


if __name__ == "__main__":
    main()
    print(speed_line("after"))

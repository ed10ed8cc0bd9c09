"""Time a sync with a real Miniflux against polling the same feeds directly.

Starts the local feed farm and a private Miniflux on PostgreSQL (tests/servers/miniflux.py),
subscribes one user to enough farm feeds for `--entries` entries, then times whole
`natoread fetch` processes (interpreter start-up included), each the median of `--runs`:

- poll: `natoread fetch` of the same feeds as [[feeds]], into an empty store;
- first sync: `natoread fetch` with [sync] into an empty store;
- no-op sync: `natoread fetch` with [sync] when nothing changed.

Targets (issue 22): first sync ≤ 1.5 × poll; no-op sync ≤ 0.3 s. Figures are noisy on a
shared machine.

    python benchmarks/bench_sync.py --entries 10000 --runs 3
    python benchmarks/bench_sync.py --noop-only --entries 1000 [--callgrind]

`--noop-only` skips the poll and repeats only the no-op sync, printing its CPU time (user +
sys of the process) and, with `--callgrind`, the instructions one no-op process executes
(valgrind; a count that does not drift with the machine's load, unlike wall time).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from bench_fetch import NATOREAD, Run, measure  # noqa: E402
from farm import farm_config, item_count, start_farm  # noqa: E402

from tests.servers.miniflux import Miniflux  # noqa: E402


def timed(argv: list[str], env: dict[str, str], fresh: Path | None = None) -> float:
    """Wall time of one process (after emptying `fresh`, the data dir, if given)."""
    if fresh is not None:
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
    return measure(argv, env).wall


def instructions(argv: list[str], env: dict[str, str]) -> int:
    """Instructions one process executes, counted by callgrind (bytecode compiled first)."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv]
    done = subprocess.run(
        command, capture_output=True, text=True, env={**env, "PYTHONHASHSEED": "0"}, check=False
    )
    collected = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or collected is None:
        raise SystemExit(f"callgrind failed ({done.returncode}): {done.stderr[-2000:]}")
    return int(collected.group(1))


def noop_only(
    fetch: list[str], env: dict[str, str], data: Path, runs: int, callgrind: bool
) -> None:
    """The no-op sync alone: CPU time of whole processes, and callgrind's count."""
    # Bytecode as installed: modules edited since their last compile would otherwise be
    # compiled again in every measured process.
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    timed(fetch, env, data)  # the first sync
    measure(fetch, env)  # the first no-op: writes what the first sync left to write
    measured: list[Run] = [measure(fetch, env) for _ in range(runs * 3)]
    cpu = [r.cpu for r in measured]
    wall = [r.wall for r in measured]
    print(
        f"no-op sync, whole process: cpu {statistics.median(cpu):.3f} s (min {min(cpu):.3f}), "
        f"wall {statistics.median(wall):.3f} s (min {min(wall):.3f}; target ≤ 0.3)"
    )
    if callgrind:
        counts = [instructions(fetch, env) for _ in range(2)]
        print(f"no-op sync, instructions: {min(counts) / 1e6:,.1f} M (of {len(counts)} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--noop-only", action="store_true", help="only the no-op sync")
    parser.add_argument("--callgrind", action="store_true", help="count its instructions")
    args = parser.parse_args()
    feeds = 0
    total = 0
    while total < args.entries:
        total += item_count(feeds)
        feeds += 1
    _, port = start_farm(feeds)
    server = Miniflux()
    work = Path(tempfile.mkdtemp(prefix="natoread-bench-sync-"))
    try:
        user = server.create_user("bench")
        started = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(
                pool.map(
                    lambda i: server.subscribe(user, f"http://127.0.0.1:{port}/feed/{i}.xml"),
                    range(feeds),
                )
            )
        print(
            f"{feeds} feeds, {total:,} entries; Miniflux subscribed in "
            f"{time.perf_counter() - started:.1f} s"
        )
        # An API key: with a password Miniflux checks a bcrypt hash on every request.
        env = {**os.environ, "NATOREAD_SYNC_TOKEN": user.token}
        poll_config = work / "poll.toml"
        poll_config.write_text(farm_config(port, feeds), encoding="utf-8")
        sync_config = work / "sync.toml"
        sync_config.write_text(
            f'[sync]\nservice = "miniflux"\nurl = "{server.url}"\n',
            encoding="utf-8",
        )
        data = work / "data"

        def fetch(config: Path) -> list[str]:
            return [NATOREAD, "--config", str(config), "--data-dir", str(data), "fetch", "-q"]

        if args.noop_only:
            noop_only(fetch(sync_config), env, data, args.runs, args.callgrind)
            return
        poll = [timed(fetch(poll_config), env, data) for _ in range(args.runs)]
        first = [timed(fetch(sync_config), env, data) for _ in range(args.runs)]
        noop = [timed(fetch(sync_config), env) for _ in range(args.runs * 3)]
        p, f, n = (statistics.median(x) for x in (poll, first, noop))
        print(f"poll {total:,} entries:        {p:6.2f} s  (min {min(poll):.2f})")
        print(f"first sync {total:,} entries:  {f:6.2f} s  (min {min(first):.2f})")
        print(f"ratio first sync / poll:     {f / p:6.2f}   (target ≤ 1.5)")
        print(f"no-op sync, whole process:   {n:6.3f} s  (min {min(noop):.3f}; target ≤ 0.3)")
    finally:
        server.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

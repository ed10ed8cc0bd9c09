"""Instructions per ingested article, counted by valgrind (callgrind): a figure that does not drift.

    python benchmarks/bench_instructions.py [--feeds 30] [--feed-dir DIR] [--base-store FILE]
    python benchmarks/bench_instructions.py --warm-fetch 100


This VM's speed drifts by ±25% between runs, more than most single changes gain, so timings
cannot judge a change of a few percent. Counted instructions can: the script runs the same
`Ingester.ingest` loop as `bench_stages.py`'s whole ingest under callgrind twice, once with
the ingest and once without (imports, reading the documents, opening the store), and prints
the difference per article. `--base-store` copies an existing store first (e.g. one that a
1,000-feed pass filled), to count what ingesting costs when the story index already holds
many articles. Needs valgrind (`apt-get install valgrind`); one run takes about a minute for
30 feeds. Hash randomisation is fixed (PYTHONHASHSEED=0) so both runs do the same work.

`--warm-fetch N` counts a whole settled `natoread fetch` process instead (N feeds of the farm
all answering 304 to the probes: interpreter start-up, imports, configuration, the store and
the probes), the cron pass measured against Newsboat's warm reload. Its natoread modules are
run from compiled bytecode, as installed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_stages import ingest_documents
from farm import make_feed


def child(mode: str, feeds: int, feed_dir: Path | None, base: Path | None) -> None:
    """Ingest the documents (mode "ingest") or only prepare to (mode "setup")."""
    from natoread.core.analysis.analyser import Analyser
    from natoread.core.config import parse_config
    from natoread.core.polling.ingest import Ingester

    if feed_dir is not None:
        docs = [p.read_bytes() for p in sorted(feed_dir.iterdir()) if p.is_file()][:feeds]
    else:
        docs = [make_feed(i) for i in range(feeds)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        if base is not None:
            shutil.copy(base, path)
        ingester = Ingester(path, Analyser(parse_config({}, "bench").topics))
        ingester.analyser("warm-up", "NATO")  # compiles the rules in both modes
        articles = ingest_documents(ingester, docs) if mode == "ingest" else 0
        ingester.close()
    print(f"articles={articles}")


def count(mode: str, args: argparse.Namespace) -> tuple[int, int]:
    """(instructions, articles) of one child run under callgrind."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--child",
        mode,
        "--feeds",
        str(args.feeds),
    ]
    if args.feed_dir:
        command += ["--feed-dir", str(args.feed_dir)]
    if args.base_store:
        command += ["--base-store", str(args.base_store)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    collected = re.search(r"Collected : (\d+)", done.stderr)
    articles = re.search(r"articles=(\d+)", done.stdout)
    if collected is None or articles is None:
        raise SystemExit(f"unexpected valgrind output:\n{done.stderr[-2000:]}")
    return int(collected.group(1)), int(articles.group(1))


def warm_fetch(feeds: int) -> None:
    """Instructions of one settled `natoread fetch` of `feeds` farm feeds, whole process."""
    from farm import farm_config, start_farm

    _, port = start_farm(feeds)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measured as installed: from bytecode
    env.pop("NATOREAD_TIMELINE", None)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "feeds.toml"
        config.write_text(farm_config(port, feeds, timeout=60))
        fetch = [
            sys.executable,
            "-c",
            "import sys; from natoread.cli import main; sys.exit(main())",
            "--config",
            str(config),
            "--data-dir",
            str(Path(tmp) / "data"),
            "fetch",
        ]
        for _ in range(3):  # read, then 304 from the full pass, then settled on probes
            subprocess.run([*fetch, "--quiet"], env=env, check=True)
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *fetch],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
    collected = re.search(r"Collected : (\d+)", done.stderr)
    if collected is None or f"{feeds} not modified" not in done.stdout:
        raise SystemExit(f"unexpected output:\n{done.stdout[-500:]}\n{done.stderr[-2000:]}")
    print(
        f"settled natoread fetch of {feeds} feeds: {int(collected.group(1)) / 1e6:.1f} M "
        f"instructions, whole process ({done.stdout.strip()})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=30)
    parser.add_argument("--feed-dir", type=Path, help="read the feed documents from this directory")
    parser.add_argument("--base-store", type=Path, help="start from a copy of this store")
    parser.add_argument(
        "--warm-fetch", type=int, metavar="N", help="count a settled fetch of N farm feeds"
    )
    parser.add_argument("--child", choices=("ingest", "setup"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.feeds, args.feed_dir, args.base_store)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    if args.warm_fetch:
        warm_fetch(args.warm_fetch)
        return
    with_ingest, articles = count("ingest", args)
    without, _ = count("setup", args)
    print(
        f"{articles} articles from {args.feeds} feeds: "
        f"{(with_ingest - without) / max(articles, 1) / 1e6:.3f} M instructions an article"
        " (parse, analyse, store, cluster, index)"
    )


if __name__ == "__main__":
    main()

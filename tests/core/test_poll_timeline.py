"""The opt-in timeline of a pass (NATOREAD_TIMELINE), and what it shows about how a pass
chooses between the writer thread and worker processes (by the work it meets)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from natoread.core.polling.run import POOL_BACKLOG_BYTES
from tests import feedgen
from tests.conftest import NATOREAD, natoread_env, write_config
from tests.feedserver import FeedServer


def fetch_with_timeline(tmp_path: Path, urls: list[str], timeline: Path | None) -> None:
    """Run the installed `natoread fetch` on `urls`, recording a timeline when asked."""
    config = write_config(tmp_path, "".join(f'[[feeds]]\nurl = "{u}"\n' for u in urls))
    env = natoread_env()
    env.pop("NATOREAD_TIMELINE", None)
    if timeline is not None:
        env["NATOREAD_TIMELINE"] = str(timeline)
    done = subprocess.run(
        [NATOREAD, "--config", str(config), "--data-dir", str(tmp_path / "data"), "fetch"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def stages(timeline: Path) -> list[dict[str, object]]:
    """The timeline's lines, in the order they were written."""
    return [json.loads(line) for line in timeline.read_text(encoding="utf-8").splitlines()]


def test_a_small_pass_ingests_on_the_writer_thread_and_says_when_each_stage_ran(
    tmp_path: Path, server: FeedServer
) -> None:
    urls = [
        server.add(f"/s{n}.xml", feedgen.rss(feedgen.items(3, prefix=f"S{n}"))) for n in range(5)
    ]
    timeline = tmp_path / "timeline.jsonl"
    fetch_with_timeline(tmp_path, urls, timeline)
    lines = stages(timeline)
    names = [str(line["stage"]) for line in lines]
    assert names.count("fetch") == 5
    assert names.count("ingest (writer thread)") == 5
    # Little work: no processes were started for it.
    assert "start worker pool" not in names and "ingest (worker)" not in names
    assert {"open store, re-derive, plan", "full pass", "process start → first stage"} <= set(names)
    assert names[-1] == "last stage → exit"
    assert len({line["pid"] for line in lines}) == 1
    for line in lines:
        assert float(line["start"]) <= float(line["end"])  # type: ignore[arg-type]
    fetched = {line["feed"] for line in lines if line["stage"] == "fetch"}
    assert len(fetched) == 5


def test_a_pass_with_much_work_waiting_starts_worker_processes_beside_it(
    tmp_path: Path, server: FeedServer
) -> None:
    # One document bigger than the backlog that starts the pool (a comment: cheap to parse),
    # then enough feeds that some still wait when the workers are up.
    padding = "<!--" + "x" * POOL_BACKLOG_BYTES + "-->"
    big = feedgen.rss(feedgen.items(2, prefix="Big")).replace("<channel>", "<channel>" + padding)
    urls = [server.add("/big.xml", big)]
    urls += [
        server.add(f"/p{n}.xml", feedgen.rss(feedgen.items(2, prefix=f"P{n}"))) for n in range(30)
    ]
    timeline = tmp_path / "timeline.jsonl"
    fetch_with_timeline(tmp_path, urls, timeline)
    lines = stages(timeline)
    names = [str(line["stage"]) for line in lines]
    assert names.count("start worker pool") == 1
    assert names.count("fetch") == 31
    ingests = names.count("ingest (writer thread)") + names.count("ingest (worker)")
    assert ingests == 31  # each document ingested once, wherever it ran
    main_pid = next(line["pid"] for line in lines if line["stage"] == "full pass")
    assert all(line["pid"] != main_pid for line in lines if line["stage"] == "ingest (worker)")


def test_without_the_variable_no_timeline_is_written(tmp_path: Path, server: FeedServer) -> None:
    url = server.add("/quiet.xml", feedgen.rss(feedgen.items(2)))
    fetch_with_timeline(tmp_path, [url], None)
    assert not list(tmp_path.glob("*.jsonl"))
    from natoread.core.polling import timeline

    # In this process (no variable) a span is the shared no-op: nothing to record or write.
    assert not timeline.enabled()
    assert timeline.span("x") is timeline.span("y")


def test_the_set_up_of_a_first_pass_compiles_no_topic_rules(tmp_path: Path) -> None:
    # A new store has nothing to re-tag: the rules are compiled where the pass first
    # analyses (beside the downloads, or in the workers), not before it starts.
    from natoread.core.config import parse_config
    from natoread.core.polling.plan import analyser_for, sync_topics
    from natoread.core.storage.store import Store

    analyser = analyser_for(parse_config({}, "test"))
    with Store(tmp_path / "new.sqlite3") as store:
        assert sync_topics(store, analyser) == 0
        assert store.get_meta("rules_hash") == analyser.rules_hash
    assert "engine" not in vars(analyser)  # the cached, compiled rules

#!/usr/bin/env bash
# Every benchmark in one command; each prints its figures (see benchmarks/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-.venv/bin/python}
"$py" benchmarks/bench_fetch.py --feeds 100,1000 --runs 3
"$py" benchmarks/bench_fetch.py --feeds 100 --runs 3 --latency-ms 30
"$py" benchmarks/bench_stages.py --runs 3
if command -v valgrind >/dev/null; then "$py" benchmarks/bench_instructions.py; fi
"$py" benchmarks/bench_tui.py --sizes 10000,100000 --runs 5
"$py" benchmarks/bench_reader_poll.py --feeds 100 --runs 3
if command -v newsboat >/dev/null; then "$py" benchmarks/bench_vs_newsboat.py --runs 5; fi
"$py" benchmarks/topics_eval.py
"$py" benchmarks/quotes_eval.py
"$py" benchmarks/stories_eval.py
"$py" benchmarks/bench_search.py

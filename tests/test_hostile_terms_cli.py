"""check-config refuses user regular expressions that could stall a poll (installed command)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_natoread as run
from tests.conftest import write_config


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w+\s?)+$"])
def test_check_config_refuses_a_catastrophic_regex_in_one_line(
    tmp_path: Path, pattern: str
) -> None:
    term = pattern.replace("\\", "\\\\")
    config = write_config(
        tmp_path,
        f'[[feeds]]\nurl = "https://a.example/rss"\n\n[topics.mine]\nterms = ["re:{term}"]\n',
    )
    result = run("--config", str(config), "check-config")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "topics.mine.terms[0]" in result.stderr and repr(pattern) in result.stderr


def test_check_config_accepts_safe_regexes(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        '[[feeds]]\nurl = "https://a.example/rss"\n\n[topics.mine]\n'
        'terms = ["re:arctic (?:security|council)", "re:\\\\w+(?:\\\\s+\\\\w+)*ing", '
        '"re:(?:\\\\w+\\\\W+){0,3}summit"]\n',
    )
    result = run("--config", str(config), "check-config")
    assert result.returncode == 0, result.stderr

"""feeds.toml validation: every mistake is one line naming the file, place and fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from natoread.core.config import load_config
from natoread.core.errors import ConfigError
from natoread.core.paths import find_config, find_data_dir

REPO = Path(__file__).resolve().parents[2]


def load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    message = str(caught.value)
    assert "\n" not in message
    assert str(tmp_path / "feeds.toml") in message
    return message


def test_shipped_feeds_toml_is_valid() -> None:
    config = load_config(REPO / "feeds.toml")
    assert 10 <= len(config.feeds) <= 15
    assert all(feed.url.startswith("https://") for feed in config.feeds)
    assert all(feed.tags for feed in config.feeds)
    assert {t.name for t in config.topics} >= {"accession", "consensus", "guarantees", "alliance"}


def test_minimal_config_has_defaults(tmp_path: Path) -> None:
    config = load(tmp_path, '[[feeds]]\nurl = "https://a.example/rss"\n')
    feed = config.feeds[0]  # type: ignore[attr-defined]
    assert (feed.enabled, feed.fulltext, feed.show, feed.refresh_s) == (
        True,
        False,
        "matching",
        None,
    )
    assert config.settings.concurrency == 16  # type: ignore[attr-defined]


def test_settings_are_parsed(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        '[settings]\nrefresh = "2h"\nmax_size = "2MB"\ntimeout = 7.5\nretention_days = 30\n'
        '[[feeds]]\nurl = "http://a.example/rss"\nrefresh = 45\ntags = ["x"]\nshow = "all"\n',
    )
    settings = config.settings  # type: ignore[attr-defined]
    assert (settings.refresh_s, settings.max_bytes, settings.timeout_s) == (7200, 2_000_000, 7.5)
    assert config.feeds[0].refresh_s == 45 * 60  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[feeds]]\nurl = "https://a.example/x"\ntitel = "x"\n',
            "feeds[1].titel: unknown key 'titel'; did you mean 'title'?",
        ),
        ("[setings]\nrefresh = 5\n", "setings: unknown key 'setings'; did you mean 'settings'?"),
        ("[settings]\nconcurency = 3\n", "did you mean 'concurrency'?"),
        ('[[feeds]]\nurl = "file:///etc/passwd"\n', "feeds[1].url: only http:// and https://"),
        ('[[feeds]]\nurl = "javascript:alert(1)"\n', "only http:// and https://"),
        ('[[feeds]]\nurl = "https://"\n', "feeds[1].url: not a valid URL"),
        ('[[feeds]]\ntitle = "x"\n', "feeds[1].url: missing"),
        ("[[feeds]]\nurl = 5\n", "feeds[1].url: expected a string"),
        (
            '[[feeds]]\nurl = "https://a.example/"\nenabled = "yes"\n',
            "feeds[1].enabled: expected true or false",
        ),
        (
            '[[feeds]]\nurl = "https://a.example/"\nrefresh = "soon"\n',
            "feeds[1].refresh: expected a duration",
        ),
        (
            '[[feeds]]\nurl = "https://a.example/"\nshow = "some"\n',
            'feeds[1].show: expected "matching" or "all"',
        ),
        (
            '[[feeds]]\nurl = "https://a.example/"\n[[feeds]]\nurl = "https://a.example/"\n',
            "feeds[2].url: duplicate of feeds[1]",
        ),
        ("[settings]\nconcurrency = 0\n", "settings.concurrency: must be from 1 to 256"),
        ("[settings]\nper_host = 9\n", "settings.per_host: must be from 1 to 4"),
        ('[settings]\nmax_size = "lots"\n', "settings.max_size: expected a size"),
        ('feeds = "x"\n', "feeds: must be an array of tables"),
        ('[keys]\npol = "ctrl+r"\n', "keys.pol: unknown action 'pol'; did you mean 'poll'?"),
        ('[keys]\npoll = "ctrl+nothing"\n', "keys.poll: unknown key 'ctrl+nothing'"),
        ("[keys]\npoll = 5\n", "keys.poll: expected a key"),
        ('[[feeds]]\nurl = "https://a.example/"\n[[feeds]\n', "invalid TOML"),
    ],
)
def test_config_errors_name_the_place(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in error_of(tmp_path, text)


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[settings]\nrefresh = "30m"\ntimeout = = 3\n')
    assert f"{tmp_path / 'feeds.toml'}: 3:" in message


def test_missing_config_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")


def test_keys_accept_lists_and_modifiers(tmp_path: Path) -> None:
    config = load(tmp_path, '[keys]\npoll = ["ctrl+r", "f5"]\nsearch = "slash"\n')
    assert config.keys == {"poll": "ctrl+r,f5", "search": "slash"}  # type: ignore[attr-defined]


def test_config_lookup_order(tmp_path: Path) -> None:
    local = tmp_path / "feeds.toml"
    local.write_text("")
    assert find_config("x.toml", env={"NATOREAD_CONFIG": "y.toml"}, cwd=tmp_path) == Path("x.toml")
    assert find_config(None, env={"NATOREAD_CONFIG": "y.toml"}, cwd=tmp_path) == Path("y.toml")
    assert find_config(None, env={}, cwd=tmp_path) == local
    assert find_config(None, env={}, cwd=tmp_path / "empty") is None
    assert find_data_dir("d", env={"NATOREAD_DATA_DIR": "e"}) == Path("d")
    assert find_data_dir(None, env={"NATOREAD_DATA_DIR": "e"}) == Path("e")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:99999/x", "the port must be a number from 1 to 65535"),
        ("http://127.0.0.1:0/x", "the port must be a number from 1 to 65535"),
        ("http://example.org:abc/x", "the port must be a number from 1 to 65535"),
        ("http://a\u200db.example/feed", "not a valid internationalised domain name"),
        ("http://-bad-.example/feed", "invalid host name"),
        ("http://300.1.1.1/feed", "invalid IPv4 address"),
        ("http://[::zz]/feed", "not a valid URL"),
        ("http://exa\tmple.org/", "blanks or control characters"),
    ],
)
def test_feed_urls_natoread_cannot_fetch_are_refused(
    tmp_path: Path, url: str, expected: str
) -> None:
    message = error_of(tmp_path, f"[[feeds]]\nurl = {json.dumps(url)}\n")
    assert "feeds[1].url: not a valid URL: " in message
    assert expected in message and "\t" not in message


@pytest.mark.parametrize(
    "url",
    [
        "https://bücher.example/feed",
        "http://[::1]:8080/rss",
        "https://news.example:8443/feed.xml",
        "http://my_host.example/rss",
    ],
)
def test_unusual_but_valid_feed_urls_are_accepted(tmp_path: Path, url: str) -> None:
    config = load(tmp_path, f"[[feeds]]\nurl = {json.dumps(url)}\n")
    assert config.feeds[0].url == url  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "second",
    [
        "HTTP://News.Example/feed",
        "https://news.example/feed",
        "http://news.example:80/feed/",
        "http://NEWS.example./feed",
    ],
)
def test_spellings_of_one_feed_are_duplicates(tmp_path: Path, second: str) -> None:
    text = f'[[feeds]]\nurl = "http://news.example/feed"\n\n[[feeds]]\nurl = {json.dumps(second)}\n'
    assert "feeds[2].url: duplicate of feeds[1]; remove one" in error_of(tmp_path, text)

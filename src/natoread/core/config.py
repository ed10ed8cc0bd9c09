"""Read and validate feeds.toml into a frozen Config.

Every mistake raises ConfigError naming the file, the place (line/column for TOML syntax,
a key path such as `feeds[3].url` otherwise) and a fix; unknown keys get a "did you mean" hint.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from natoread import __version__
from natoread.core.analysis.topics.rules import TopicSpec, parse_topics
from natoread.core.errors import ConfigError
from natoread.core.feeds.urls import same_feed_key, url_problem
from natoread.core.toml_memo import parse_toml

if TYPE_CHECKING:
    import tomllib

    from natoread.core.sync.config import SyncSpec
    from natoread.core.triage.rules import RuleSpec

DEFAULT_USER_AGENT = f"natoread/{__version__} (+https://github.com/natoread/natoread)"
DEFAULT_COUNTRIES = (
    "Ukraine",
    "Georgia",
    "Moldova",
    "Bosnia and Herzegovina",
    "Kosovo",
    "Serbia",
    "Finland",
    "Sweden",
    "North Macedonia",
    "Montenegro",
)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$", re.I)
_SIZE_UNITS = {
    "b": 1,
    "kb": 1000,
    "kib": 1024,
    "mb": 10**6,
    "mib": 2**20,
    "gb": 10**9,
    "gib": 2**30,
}
_DURATION_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_NOTHING: Mapping[str, Any] = MappingProxyType({})
"""An empty mapping no one can change: the default of Config's mapping fields."""


class Settings(NamedTuple):
    """Global polling, storage and notification settings (`[settings]`)."""

    refresh_s: int = 1800
    """Default interval between polls of a feed, in seconds (`refresh = "30m"`)."""
    concurrency: int = 16
    """Requests in flight at once over all hosts."""
    per_host: int = 4
    """Requests in flight at once to one host."""
    timeout_s: float = 20.0
    """Total deadline for one request (connect + all reads), in seconds."""
    max_bytes: int = 10 * 2**20
    """Largest accepted response body, counted after decompression."""
    max_items: int = 2000
    """Items read from one document; the rest are skipped with a warning on the feed (a
    10 MB feed of tiny items would otherwise be 176,000 articles in one poll)."""
    user_agent: str = DEFAULT_USER_AGENT
    retention_days: int = 0
    """Delete articles older than this many days (0 keeps everything); starred ones are kept."""
    countries: tuple[str, ...] = DEFAULT_COUNTRIES
    """Rows of the accession board."""
    notify_topics: tuple[str, ...] = ()
    """Topics whose new articles trigger a notification."""
    notify_bell: bool = False
    notify_command: tuple[str, ...] = ()
    """A command (argv list, no shell) run with the article title appended."""
    text_width: int = 0
    """Longest line of article text in the reader, in cells (0: as wide as the pane)."""
    pipe_command: tuple[str, ...] = ()
    """The reader's `|`: a command (argv, no shell) that reads the article as Markdown."""


class FeedSpec(NamedTuple):
    """One `[[feeds]]` entry.

    (Named tuples here, not dataclasses: every command loads a config, and a cron pass would
    otherwise import `dataclasses` and `inspect` to define them.)
    """

    url: str
    title: str | None = None
    tags: tuple[str, ...] = ()
    refresh_s: int | None = None
    enabled: bool = True
    fulltext: bool = False
    show: str = "matching"
    """"matching" shows only topic matches in the default view; "all" shows every article."""


class SavedSearch(NamedTuple):
    """A `[[searches]]` entry shown in the sidebar like a feed."""

    name: str
    query: str


class Config(NamedTuple):
    """The validated contents of feeds.toml (change one with `_replace`)."""

    source: str
    settings: Settings = Settings()
    feeds: tuple[FeedSpec, ...] = ()
    topics: tuple[TopicSpec, ...] = ()
    keys: Mapping[str, str] = _NOTHING
    searches: tuple[SavedSearch, ...] = ()
    settings_as_written: Mapping[str, Any] = _NOTHING
    """`[settings]` as the file gives them ("90s", "10MB"), for `check-config` to show."""
    rules: tuple[RuleSpec, ...] = ()
    """`[[rules]]`: queries that drop, hide, read, star or tag articles (`core/triage`)."""
    sync: SyncSpec | None = None
    """`[sync]`: the feed server whose subscriptions are the feed list (`core/sync`)."""


_TOP_KEYS = ("settings", "feeds", "topics", "keys", "searches", "rules", "sync")
_SETTINGS_KEYS = (
    "refresh",
    "concurrency",
    "per_host",
    "timeout",
    "max_size",
    "max_items",
    "user_agent",
    "retention_days",
    "countries",
    "notify_topics",
    "notify_bell",
    "notify_command",
    "text_width",
    "pipe_command",
)
_FEED_KEYS = ("url", "title", "tags", "refresh", "enabled", "fulltext", "show")


def load_config(path: Path | None, memo: Path | None = None) -> Config:
    """Read `path` (None: an empty config with the default topics) and validate it; with
    `memo`, its parse is remembered there for the next command (see `toml_memo.py`)."""
    if path is None:
        return Config(source="(no config file)", topics=parse_topics(None, "(defaults)"))
    source = str(path)
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(source, "", "file not found; pass --config FILE or create it") from None
    except OSError as exc:
        raise ConfigError(source, "", f"cannot read: {exc.strerror}") from None
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(source, "", "not UTF-8 text; save the file as UTF-8") from None
    try:
        raw = parse_toml(text, memo)
    except ValueError as exc:  # tomllib.TOMLDecodeError, which tomllib loaded if it was raised
        import tomllib

        if not isinstance(exc, tomllib.TOMLDecodeError):
            raise
        raise _syntax_error(source, exc) from None
    return parse_config(raw, source)


def _syntax_error(source: str, exc: tomllib.TOMLDecodeError) -> ConfigError:
    """Turn tomllib's message '... (at line L, column C)' into 'file:L:C: ...'."""
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match:
        reason = message[: match.start()].strip()
        return ConfigError(source, f"{match.group(1)}:{match.group(2)}", f"invalid TOML: {reason}")
    return ConfigError(source, "", f"invalid TOML: {message}")


def parse_config(raw: Mapping[str, Any], source: str) -> Config:
    """Validate an already-parsed TOML document."""
    check_keys(raw, _TOP_KEYS, source, "")
    settings_table = _table(raw, "settings", source, "")
    settings = _parse_settings(settings_table, source)
    feeds_raw = raw.get("feeds", [])
    if not isinstance(feeds_raw, list):
        raise ConfigError(source, "feeds", "must be an array of tables: write [[feeds]] per feed")
    feeds: list[FeedSpec] = []
    seen: dict[str, int] = {}  # same_feed_key → feeds[N]
    for index, entry in enumerate(feeds_raw):
        where = f"feeds[{index + 1}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(source, where, 'must be a table with at least url = "https://…"')
        spec = _parse_feed(entry, source, where)
        key = same_feed_key(spec.url)
        if key in seen:
            raise ConfigError(
                source, f"{where}.url", f"duplicate of feeds[{seen[key]}]; remove one"
            )
        seen[key] = index + 1
        feeds.append(spec)
    topics = parse_topics(_table(raw, "topics", source, ""), source)
    keys = _parse_keys(_table(raw, "keys", source, ""), source)
    searches = _parse_searches(raw.get("searches", []), source)
    if keys or searches:
        from natoread.core.config_checks import check_key_conflicts, check_saved_searches

        check_key_conflicts(keys, source)
        check_saved_searches(searches, topics, source, feeds)
    rules: tuple[RuleSpec, ...] = ()
    if "rules" in raw:
        from natoread.core.triage.rules import parse_rules

        rules = parse_rules(raw["rules"], feeds, topics, source)
    sync: SyncSpec | None = None
    if "sync" in raw:
        from natoread.core.sync.config import parse_sync

        sync = parse_sync(raw["sync"], source)
    return Config(
        source=source,
        settings=settings,
        feeds=tuple(feeds),
        topics=topics,
        keys=keys,
        searches=searches,
        settings_as_written=dict(settings_table),
        rules=rules,
        sync=sync,
    )


def check_keys(table: Mapping[str, Any], allowed: tuple[str, ...], source: str, where: str) -> None:
    """Reject keys not in `allowed`, suggesting the closest allowed one."""
    for key in table:
        if key not in allowed:
            import difflib  # only for the error message

            place = f"{where}.{key}" if where else key
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(allowed)}"
            raise ConfigError(source, place, f"unknown key {key!r}{hint}")


def _table(raw: Mapping[str, Any], key: str, source: str, where: str) -> Mapping[str, Any]:
    """A sub-table (empty when absent); anything else is an error."""
    value = raw.get(key, {})
    if not isinstance(value, Mapping):
        place = f"{where}.{key}" if where else key
        raise ConfigError(source, place, f"must be a table: write [{place}] on its own line")
    return value


def _expect(value: Any, kind: type | tuple[type, ...], source: str, where: str, wanted: str) -> Any:
    """Return `value` if it has the wanted type, else raise naming the place."""
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise ConfigError(source, where, f"expected {wanted}, got {value!r}")
    if not isinstance(value, kind):
        raise ConfigError(source, where, f"expected {wanted}, got {value!r}")
    return value


def parse_duration(value: Any, source: str, where: str) -> int:
    """A duration: a number of minutes or a string such as "90s", "30m", "2h", "1d"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = int(value * 60)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = int(float(match.group(1)) * _DURATION_UNITS[match.group(2) or "m"])
    else:
        raise ConfigError(
            source, where, f'expected a duration such as "30m" or "2h", got {value!r}'
        )
    if seconds < 60:
        raise ConfigError(source, where, 'must be at least one minute ("1m")')
    return seconds


def _parse_size(value: Any, source: str, where: str) -> int:
    """A byte size: an integer or a string such as "10MB"."""
    if isinstance(value, int) and not isinstance(value, bool):
        size = value
    elif isinstance(value, str) and (match := _SIZE.match(value)):
        size = int(float(match.group(1)) * _SIZE_UNITS[(match.group(2) or "b").lower()])
    else:
        raise ConfigError(source, where, f'expected a size such as "10MB", got {value!r}')
    if size < 1024:
        raise ConfigError(source, where, 'must be at least 1 KB ("1KB")')
    return size


def _positive_int(value: Any, source: str, where: str, low: int, high: int) -> int:
    """An integer in [low, high]."""
    number = _expect(value, int, source, where, f"an integer from {low} to {high}")
    if not low <= number <= high:
        raise ConfigError(source, where, f"must be from {low} to {high}, got {number}")
    return int(number)


def _string_list(value: Any, source: str, where: str) -> tuple[str, ...]:
    """A list of strings."""
    items = _expect(value, list, source, where, 'a list of strings such as ["a", "b"]')
    for index, item in enumerate(items):
        _expect(item, str, source, f"{where}[{index + 1}]", "a string")
    return tuple(items)


def _parse_settings(raw: Mapping[str, Any], source: str) -> Settings:
    """`[settings]` → Settings."""
    check_keys(raw, _SETTINGS_KEYS, source, "settings")
    base = Settings()
    where = "settings."
    timeout = raw.get("timeout", base.timeout_s)
    _expect(timeout, (int, float), source, where + "timeout", "a number of seconds")
    if not 1 <= timeout <= 600:
        raise ConfigError(source, where + "timeout", "must be from 1 to 600 seconds")
    user_agent = _expect(
        raw.get("user_agent", base.user_agent), str, source, where + "user_agent", "a string"
    )
    if not user_agent.strip() or any(ord(ch) < 32 for ch in user_agent):
        raise ConfigError(source, where + "user_agent", "must be one non-empty line")
    command = _string_list(raw.get("notify_command", []), source, where + "notify_command")
    _check_placeholders(command, source, where + "notify_command")
    return Settings(
        refresh_s=parse_duration(raw["refresh"], source, where + "refresh")
        if "refresh" in raw
        else base.refresh_s,
        concurrency=_positive_int(
            raw.get("concurrency", base.concurrency), source, where + "concurrency", 1, 256
        ),
        per_host=_positive_int(
            raw.get("per_host", base.per_host), source, where + "per_host", 1, 4
        ),
        timeout_s=float(timeout),
        max_bytes=_parse_size(raw["max_size"], source, where + "max_size")
        if "max_size" in raw
        else base.max_bytes,
        max_items=_positive_int(
            raw.get("max_items", base.max_items), source, where + "max_items", 10, 100_000
        ),
        user_agent=user_agent,
        retention_days=_positive_int(
            raw.get("retention_days", 0), source, where + "retention_days", 0, 100_000
        ),
        countries=_string_list(raw["countries"], source, where + "countries")
        if "countries" in raw
        else base.countries,
        notify_topics=_string_list(raw.get("notify_topics", []), source, where + "notify_topics"),
        notify_bell=_expect(
            raw.get("notify_bell", False), bool, source, where + "notify_bell", "true or false"
        ),
        notify_command=command,
        text_width=_positive_int(raw.get("text_width", 0), source, where + "text_width", 0, 500),
        pipe_command=_pipe_command(raw, source, where + "pipe_command"),
    )


def _pipe_command(raw: Mapping[str, Any], source: str, where: str) -> tuple[str, ...]:
    """`pipe_command`: an argv list, or a string split into words as a shell would (quotes
    kept together) but never run by one."""
    if "pipe_command" not in raw:
        return ()
    value = raw["pipe_command"]
    if not isinstance(value, str):
        value = _string_list(value, source, where)
    from natoread.core.system.pipe import pipe_argv

    try:
        return tuple(pipe_argv(value))
    except ValueError as exc:
        raise ConfigError(source, where, str(exc)) from None


def _check_placeholders(command: tuple[str, ...], source: str, where: str) -> None:
    """Every {name} in a notify_command argument must be one natoread fills in."""
    if not command:
        return
    from natoread.core.system.notify import PLACEHOLDER, PLACEHOLDERS, unknown_placeholders
    from natoread.core.text.sanitize import clean_line

    for index, argument in enumerate(command):
        unknown = unknown_placeholders(argument)
        if unknown:
            known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
            raise ConfigError(
                source,
                f"{where}[{index + 1}]",
                f"unknown placeholder {{{clean_line(unknown[0], 40)}}}; use {known}",
            )
    if command and PLACEHOLDER.search(command[0]):
        raise ConfigError(
            source, f"{where}[1]", "the program itself cannot be a placeholder; name a program"
        )


def check_feed_url(url: str, source: str, where: str) -> str:
    """Accept only URLs natoread can fetch: absolute http(s), a valid host and port."""
    url = url.strip()
    problem = url_problem(url)
    if problem is None:
        return url
    from natoread.core.text.sanitize import clean_line  # only to show a bad URL

    shown = clean_line(url, 200)
    if problem.startswith("only http"):
        problem = "only http:// and https:// feeds are supported"
        raise ConfigError(source, where, f"{problem}, got {shown!r}")
    raise ConfigError(source, where, f"not a valid URL: {shown!r} ({problem})")


def _parse_feed(raw: Mapping[str, Any], source: str, where: str) -> FeedSpec:
    """One `[[feeds]]` table → FeedSpec."""
    check_keys(raw, _FEED_KEYS, source, where)
    if "url" not in raw:
        raise ConfigError(source, f"{where}.url", 'missing; add url = "https://…/feed.xml"')
    url = check_feed_url(
        _expect(raw["url"], str, source, f"{where}.url", "a string"), source, f"{where}.url"
    )
    title = raw.get("title")
    if title is not None:
        _expect(title, str, source, f"{where}.title", "a string")
    show = _expect(raw.get("show", "matching"), str, source, f"{where}.show", '"matching" or "all"')
    if show not in ("matching", "all"):
        raise ConfigError(source, f"{where}.show", f'expected "matching" or "all", got {show!r}')
    return FeedSpec(
        url=url,
        title=title,
        tags=_string_list(raw.get("tags", []), source, f"{where}.tags"),
        refresh_s=parse_duration(raw["refresh"], source, f"{where}.refresh")
        if "refresh" in raw
        else None,
        enabled=_expect(
            raw.get("enabled", True), bool, source, f"{where}.enabled", "true or false"
        ),
        fulltext=_expect(
            raw.get("fulltext", False), bool, source, f"{where}.fulltext", "true or false"
        ),
        show=show,
    )


def _parse_keys(raw: Mapping[str, Any], source: str) -> dict[str, str]:
    """`[keys]`: action name → comma-separated keys."""
    if not raw:
        return {}
    from natoread.core.actions import ACTION_NAMES, key_error

    keys: dict[str, str] = {}
    for action, value in raw.items():
        where = f"keys.{action}"
        if action not in ACTION_NAMES:
            import difflib  # only for the error message

            close = difflib.get_close_matches(action, sorted(ACTION_NAMES), n=1, cutoff=0.6)
            hint = "; the reader's key help (?) names every action"
            if close:
                hint = f"; did you mean {close[0]!r}?"
            raise ConfigError(source, where, f"unknown action {action!r}{hint}")
        if isinstance(value, list):
            value = ",".join(_string_list(value, source, where))
        _expect(value, str, source, where, 'a key such as "ctrl+r" or a list of keys')
        problem = key_error(value)
        if problem:
            raise ConfigError(source, where, problem)
        keys[action] = value
    return keys


def _parse_searches(raw: Any, source: str) -> tuple[SavedSearch, ...]:
    """`[[searches]]` tables with a name and a query."""
    if not isinstance(raw, list):
        raise ConfigError(source, "searches", "must be an array of tables: write [[searches]]")
    searches = []
    for index, entry in enumerate(raw):
        where = f"searches[{index + 1}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(source, where, 'must be a table with name = "…" and query = "…"')
        check_keys(entry, ("name", "query"), source, where)
        for key in ("name", "query"):
            if key not in entry:
                raise ConfigError(source, f"{where}.{key}", "missing")
        searches.append(
            SavedSearch(
                name=_expect(entry["name"], str, source, f"{where}.name", "a string"),
                query=_expect(entry["query"], str, source, f"{where}.query", "a string"),
            )
        )
    return tuple(searches)

"""`[sync]` in feeds.toml → SyncSpec, and the secret, read when a pass needs it.

The secret is never in the file: it comes from `password_command` / `token_command` (an argv
list run without a shell) or from $NATOREAD_SYNC_PASSWORD / $NATOREAD_SYNC_TOKEN. It is kept
in a `Secret`, whose repr and str hide it, so no error, log line or JSON can print it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from natoread.core.errors import ConfigError, NatoreadError

Service = Literal["miniflux", "greader"]
SERVICES: tuple[Service, ...] = ("miniflux", "greader")
SYNC_KEYS = ("service", "url", "username", "password_command", "token_command")
PASSWORD_ENV = "NATOREAD_SYNC_PASSWORD"
TOKEN_ENV = "NATOREAD_SYNC_TOKEN"
SECRET_COMMAND_TIMEOUT_S = 30


class SyncError(NatoreadError):
    """The sync server could not be reached, refused us, or answered something unusable."""


class SyncAuthError(SyncError):
    """The server refused the credentials."""


class Secret:
    """A password or token that prints as '***'."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


class SyncSpec(NamedTuple):
    """The `[sync]` table: which server, which account, where the secret comes from."""

    service: Service
    url: str
    username: str | None = None
    password_command: tuple[str, ...] = ()
    token_command: tuple[str, ...] = ()

    @property
    def account_key(self) -> str:
        """Names the account whose cursors the store keeps (never the secret)."""
        return f"{self.service} {self.url} {self.username or ''}"

    def secret_source(self) -> str:
        """Where the secret comes from, for check-config (never the secret)."""
        if self.token_command:
            return f"token from token_command ({self.token_command[0]})"
        if self.password_command:
            return f"password from password_command ({self.password_command[0]})"
        return f"${TOKEN_ENV} or ${PASSWORD_ENV}"


def parse_sync(raw: Any, source: str) -> SyncSpec:
    """Validate the `[sync]` table."""
    from natoread.core.config import check_feed_url, check_keys

    if not isinstance(raw, Mapping):
        raise ConfigError(source, "sync", "must be a table: write [sync] on its own line")
    for written, env_name in (("password", PASSWORD_ENV), ("token", TOKEN_ENV)):
        if written in raw:
            raise ConfigError(
                source,
                f"sync.{written}",
                f"the {written} is never written in feeds.toml; use {written}_command = "
                f'["pass", "show", "miniflux"] or ${env_name}',
            )
    check_keys(raw, SYNC_KEYS, source, "sync")
    service = raw.get("service")
    if service not in SERVICES:
        raise ConfigError(
            source, "sync.service", f'expected "miniflux" or "greader", got {service!r}'
        )
    if "url" not in raw or not isinstance(raw["url"], str):
        raise ConfigError(source, "sync.url", 'missing; add url = "https://reader.example.org"')
    url = check_feed_url(raw["url"], source, "sync.url").rstrip("/")
    username = raw.get("username")
    if username is not None and (not isinstance(username, str) or not username.strip()):
        raise ConfigError(source, "sync.username", "expected a non-empty string")
    commands: dict[str, tuple[str, ...]] = {}
    for key in ("password_command", "token_command"):
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ConfigError(
                source,
                f"sync.{key}",
                'expected a list of strings (argv, no shell): ["pass", "show", "x"]',
            )
        commands[key] = tuple(value)
    if len(commands) == 2:
        raise ConfigError(source, "sync", "give password_command or token_command, not both")
    if username is None and (
        "password_command" in commands or (service == "greader" and "token_command" not in commands)
    ):
        raise ConfigError(source, "sync.username", 'missing; a password needs username = "…"')
    return SyncSpec(
        service=service,
        url=url,
        username=username.strip() if username else None,
        password_command=commands.get("password_command", ()),
        token_command=commands.get("token_command", ()),
    )


class Credentials(NamedTuple):
    """How to authenticate: a token, or a username and password."""

    username: str | None
    password: Secret | None = None
    token: Secret | None = None


def credentials(spec: SyncSpec, env: Mapping[str, str] | None = None) -> Credentials:
    """Read the secret (run its command, or read the environment)."""
    environ = os.environ if env is None else env
    if spec.token_command:
        return Credentials(spec.username, token=_run_secret_command(spec.token_command, "token"))
    if spec.password_command:
        return Credentials(
            spec.username, password=_run_secret_command(spec.password_command, "password")
        )
    if environ.get(TOKEN_ENV):
        return Credentials(spec.username, token=Secret(environ[TOKEN_ENV]))
    if environ.get(PASSWORD_ENV) and spec.username:
        return Credentials(spec.username, password=Secret(environ[PASSWORD_ENV]))
    raise SyncError(
        f"sync: no secret for {spec.url}: set token_command or password_command in [sync], "
        f"or ${TOKEN_ENV} / ${PASSWORD_ENV}"
    )


def _run_secret_command(argv: tuple[str, ...], what: str) -> Secret:
    """The first line the command prints; its output is never shown, even when it fails."""
    import subprocess  # only for a secret's command

    try:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            timeout=SECRET_COMMAND_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except FileNotFoundError:
        raise SyncError(f"sync: {what}_command: program not found: {argv[0]!r}") from None
    except subprocess.TimeoutExpired:
        raise SyncError(
            f"sync: {what}_command did not finish in {SECRET_COMMAND_TIMEOUT_S} s"
        ) from None
    except OSError as exc:
        raise SyncError(f"sync: {what}_command: cannot run {argv[0]!r}: {exc.strerror}") from None
    if done.returncode != 0:
        raise SyncError(f"sync: {what}_command failed (exit status {done.returncode})")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    value = lines[0].strip() if lines else ""
    if not value:
        raise SyncError(f"sync: {what}_command printed no {what}")
    return Secret(value)

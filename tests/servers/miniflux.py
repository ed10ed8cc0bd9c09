"""A real Miniflux with a private PostgreSQL cluster on loopback, for the sync tests.

The binary is /usr/bin/miniflux when installed, else Debian 13's package unpacked by
`tools/get-miniflux.sh` into a cache. PostgreSQL refuses to run as root, so as root the
cluster belongs to the `postgres` user. Nothing polls on its own (the scheduler is off):
a test refreshes a feed when it wants new entries, so what the server holds is known.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from base64 import b64encode
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
ADMIN = "admin"
ADMIN_PASSWORD = "admin-password-for-tests"
START_TIMEOUT_S = 30.0
START_ATTEMPTS = 3
"""A free port may be taken by another process (another xdist worker's cluster) between
`free_port()` and the server's bind: a start that fails is retried on new ports."""


class ServerUnavailable(RuntimeError):
    """PostgreSQL or Miniflux cannot be found or started on this machine."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def miniflux_binary() -> str:
    """The miniflux binary, fetched into the cache by tools/get-miniflux.sh if need be."""
    if shutil.which("miniflux"):
        return str(shutil.which("miniflux"))
    done = subprocess.run(
        [str(REPO / "tools/get-miniflux.sh")], capture_output=True, text=True, timeout=300
    )
    path = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0 or not os.access(path, os.X_OK):
        raise ServerUnavailable(f"no miniflux binary: {done.stderr.strip()[-300:]}")
    return path


def postgres_bindir() -> Path:
    """Where initdb and pg_ctl of the newest installed PostgreSQL live."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if versions:
        return versions[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise ServerUnavailable("no PostgreSQL (apt-get install postgresql)")


def _as_owner(argv: list[str]) -> list[str]:
    """Run as `postgres` when we are root (PostgreSQL refuses to run as root)."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@dataclass(frozen=True)
class User:
    """A Miniflux user a test works as."""

    id: int
    username: str
    password: str
    token: str
    """An API key: Miniflux checks a password's bcrypt hash on every request, a key is fast."""


class Miniflux:
    """A PostgreSQL cluster and a Miniflux on free loopback ports; `close()` stops both.

    Each instance has its own directory, cluster, socket directory and ports, so every
    pytest-xdist worker can run one of its own."""

    def __init__(self) -> None:
        for attempt in range(START_ATTEMPTS):
            self.root = Path(tempfile.mkdtemp(prefix="natoread-miniflux-"))
            self._miniflux: subprocess.Popen[bytes] | None = None
            self._pg_started = False
            try:
                self._start()
                return
            except (ServerUnavailable, subprocess.CalledProcessError):
                self.close()
                if attempt == START_ATTEMPTS - 1:
                    raise
            except BaseException:
                self.close()
                raise

    def _start(self) -> None:
        binary = miniflux_binary()
        bindir = postgres_bindir()
        self.pg_port = free_port()
        pgdata = self.root / "pgdata"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._pg = bindir
        self._pgdata = pgdata
        subprocess.run(
            _as_owner([str(bindir / "initdb"), "-D", str(pgdata), "-U", "postgres", "-A", "trust",
                       "--no-sync", "-E", "UTF8"]),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.pg_port} -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "-D", str(pgdata), "-o", options, "-w",
                       "-l", str(self.root / "postgres.log"), "start"]),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        self._pg_started = True
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DATABASE_URL": (
                f"host=127.0.0.1 port={self.pg_port} user=postgres dbname=postgres sslmode=disable"
            ),
            "LISTEN_ADDR": f"127.0.0.1:{self.port}",
            "BASE_URL": self.url,
            "RUN_MIGRATIONS": "1",
            "CREATE_ADMIN": "1",
            "ADMIN_USERNAME": ADMIN,
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "DISABLE_SCHEDULER_SERVICE": "1",
            "POLLING_FREQUENCY": "100000",
            "LOG_LEVEL": "error",
            "HTTP_CLIENT_TIMEOUT": "10",
        }
        log = open(self.root / "miniflux.log", "wb")  # noqa: SIM115 (the process keeps it)
        self._miniflux = subprocess.Popen([binary], env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthcheck", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if self._miniflux.poll() is not None or time.monotonic() > deadline:
                tail = (self.root / "miniflux.log").read_text(errors="replace")[-500:]
                raise ServerUnavailable(f"miniflux did not start: {tail}")
            time.sleep(0.05)

    # The admin side of the REST API, which the tests use to arrange what the server holds.

    def api(self, method: str, path: str, body: object = None, user: User | None = None) -> Any:
        """One REST call as `user` (the admin by default); the decoded JSON answer."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/v1{path}", data=data, method=method)
        if user is not None:
            request.add_header("X-Auth-Token", user.token)
        else:
            basic = b64encode(f"{ADMIN}:{ADMIN_PASSWORD}".encode()).decode()
            request.add_header("Authorization", f"Basic {basic}")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read()
        return json.loads(text) if text.strip() else None

    def create_user(self, username: str, password: str = "user-password-1") -> User:
        """A fresh user (each test has its own, so tests share one server)."""
        made = self.api("POST", "/users", {"username": username, "password": password})
        user = User(int(made["id"]), username, password, f"key-{made['id']}-{username}")
        self.create_api_key(user, user.token)
        return user

    def subscribe(self, user: User, feed_url: str) -> int:
        """Subscribe `user` to `feed_url` (Miniflux fetches it at once); the feed id."""
        categories = self.api("GET", "/categories", user=user)
        made = self.api(
            "POST", "/feeds", {"feed_url": feed_url, "category_id": categories[0]["id"]}, user
        )
        return int(made["feed_id"])

    def refresh(self, user: User, feed_id: int) -> None:
        """Make Miniflux fetch one feed now."""
        self.api("PUT", f"/feeds/{feed_id}/refresh", user=user)

    def entries(self, user: User, **query: str) -> list[dict[str, Any]]:
        """The user's entries as the REST API lists them."""
        params = "&".join(f"{k}={v}" for k, v in {"limit": "1000", **query}.items())
        answer = self.api("GET", f"/entries?{params}", user=user)
        return list(answer["entries"])

    def enable_google_reader(self, user: User, password: str) -> None:
        """Turn on the user's Google Reader endpoint (a setting of the web UI's integrations
        page, which has no REST call: written in the database, hashed as Miniflux does)."""
        self._sql(
            "CREATE EXTENSION IF NOT EXISTS pgcrypto; "
            "UPDATE integrations SET googlereader_enabled=true, "
            f"googlereader_username='{user.username}', "
            f"googlereader_password=crypt('{password}', gen_salt('bf')) WHERE user_id={user.id};"
        )

    def create_api_key(self, user: User, token: str) -> None:
        """Give `user` an API key (made in the web UI, which has no REST call for it)."""
        self._sql(
            "INSERT INTO api_keys(user_id, token, description) "
            f"VALUES ({user.id}, '{token}', 'natoread tests');"
        )

    def _sql(self, sql: str) -> None:
        subprocess.run(
            _as_owner([str(self._pg / "psql"), "-h", "127.0.0.1", "-p", str(self.pg_port),
                       "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q",
                       "-c", sql]),
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip

    def stop_web(self) -> None:
        """Stop Miniflux (the database stays): the server goes down."""
        if self._miniflux is not None and self._miniflux.poll() is None:
            self._miniflux.terminate()
            try:
                self._miniflux.wait(10)
            except subprocess.TimeoutExpired:
                self._miniflux.kill()
                self._miniflux.wait()

    def close(self) -> None:
        """Stop Miniflux and PostgreSQL and remove their files."""
        self.stop_web()
        if self._pg_started:
            subprocess.run(
                _as_owner([str(self._pg / "pg_ctl"), "-D", str(self._pgdata), "-m", "immediate",
                           "-w", "stop"]),
                capture_output=True, timeout=60,
            )  # fmt: skip
            self._pg_started = False
        shutil.rmtree(self.root, ignore_errors=True)

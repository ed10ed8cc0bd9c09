"""The Google Reader API (FreshRSS, Inoreader, The Old Reader, Miniflux's endpoint).

It gives no change times and no "entries after id": new entries are the ids of the reading
list that the store does not know (ids are cheap; only new ones are downloaded), and the
flags come from the ids of the read and starred streams. Items are named by their decimal
id; the long form (tag:google.com,2005:reader/item/<hex>) is turned into it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from natoread.core.storage.sync import PendingChange, RemoteState
from natoread.core.sync.config import Credentials, SyncAuthError, SyncError
from natoread.core.sync.remote import RemoteEntry, RemoteFeed, Session

STATE = "user/-/state/com.google/"
READING_LIST = STATE + "reading-list"
READ = STATE + "read"
STARRED = STATE + "starred"
IDS_PAGE = 10000
CONTENTS_PAGE = 250
LONG_ID = "tag:google.com,2005:reader/item/"


def long_id(remote_id: str) -> str:
    """The long form, which every server reads the same way (Miniflux reads a short id
    in a request as hexadecimal, other servers as decimal)."""
    return f"{LONG_ID}{int(remote_id):016x}"


def item_id(raw: str) -> str:
    """A decimal item id from either form."""
    if raw.startswith(LONG_ID):
        return str(int(raw[len(LONG_ID) :], 16))
    return str(int(raw))


class GReaderClient:
    """A Google Reader API account (ClientLogin, or a ready auth token)."""

    def __init__(self, session: Session, creds: Credentials) -> None:
        self.session = session
        if creds.token is not None:
            token = creds.token.reveal()
        elif creds.password is not None and creds.username:
            answer = session.call(
                "POST",
                "/accounts/ClientLogin",
                data={"Email": creds.username, "Passwd": creds.password.reveal()},
            )
            lines = dict(line.split("=", 1) for line in answer.text.splitlines() if "=" in line)
            token = lines.get("Auth", "")
            if not token:
                raise SyncAuthError("sync: the server's login answer has no Auth token")
        else:
            raise SyncAuthError("sync: the Google Reader API needs a username and password")
        session.headers["Authorization"] = f"GoogleLogin auth={token}"
        self._edit_token: str | None = None
        self._reading_list: list[str] = []
        self._unread: set[str] = set()
        self._starred: set[str] = set()

    def _api(self, path: str, **params: Any) -> Any:
        return self.session.json(
            "GET", f"/reader/api/0/{path}", params={"output": "json", **params}
        )

    def feeds(self) -> list[RemoteFeed]:
        """The subscriptions (the API reports no feed health)."""
        answer = self._api("subscription/list")
        subscriptions = answer.get("subscriptions") if isinstance(answer, dict) else None
        if not isinstance(subscriptions, list):
            raise SyncError("sync: the server's subscription list is not a list")
        return [
            RemoteFeed(str(s["id"]), str(s.get("url") or ""), str(s.get("title") or ""))
            for s in subscriptions
            if isinstance(s, dict) and "id" in s
        ]

    def _ids(self, stream: str, exclude: str | None = None) -> list[str]:
        ids: list[str] = []
        continuation: str | None = None
        while True:
            params: dict[str, Any] = {"s": stream, "n": IDS_PAGE}
            if exclude:
                params["xt"] = exclude
            if continuation:
                params["c"] = continuation
            answer = self._api("stream/items/ids", **params)
            refs = answer.get("itemRefs") if isinstance(answer, dict) else None
            ids.extend(item_id(str(r["id"])) for r in refs or [] if isinstance(r, dict))
            continuation = str(answer.get("continuation") or "") if refs else ""
            if not continuation or continuation == "0":
                return ids

    def changed_states(self, cursor: str | None) -> tuple[list[RemoteState], str | None]:
        """The flags of every entry on the reading list (the API has no change times)."""
        everything = self._ids(READING_LIST)
        unread = set(self._ids(READING_LIST, exclude=READ))
        starred = set(self._ids(STARRED))
        self._reading_list = everything
        states = [RemoteState(i, i not in unread, i in starred) for i in everything]
        self._unread, self._starred = unread, starred
        return states, cursor

    def new_entries(
        self, cursor: str | None, known: Callable[[], set[str]]
    ) -> Iterator[tuple[list[RemoteEntry], str]]:
        """The entries of the reading list the store lacks, in pages."""
        stored = known()
        wanted = [i for i in self._reading_list if i not in stored]
        for start in range(0, len(wanted), CONTENTS_PAGE):
            chunk = wanted[start : start + CONTENTS_PAGE]
            answer = self.session.json(
                "POST",
                "/reader/api/0/stream/items/contents?output=json",
                data={"i": [long_id(i) for i in chunk], "T": self._token()},
            )
            items = answer.get("items") if isinstance(answer, dict) else None
            page = [self._entry(item) for item in items or [] if isinstance(item, dict)]
            yield page, cursor or ""

    def edited_entries(self, feed: RemoteFeed) -> list[RemoteEntry]:
        """Nothing: the API gives no change time and no feed revision (docs/sync.md)."""
        return []

    def _entry(self, item: dict[str, Any]) -> RemoteEntry:
        remote_id = item_id(str(item["id"]))
        categories = {str(c) for c in item.get("categories") or []}
        content = item.get("content") or item.get("summary") or {}
        links = item.get("canonical") or item.get("alternate") or []
        link = links[0].get("href") if links and isinstance(links[0], dict) else None
        published = item.get("published")
        return RemoteEntry(
            remote_id=remote_id,
            feed_remote_id=str((item.get("origin") or {}).get("streamId") or ""),
            title=str(item.get("title") or ""),
            link=str(link) if link else None,
            author=str(item.get("author") or ""),
            content_html=str(content.get("content") or "") if isinstance(content, dict) else "",
            published=int(published) if isinstance(published, int | float) else None,
            read=remote_id not in self._unread
            and not any(c.endswith("/state/com.google/kept-unread") for c in categories),
            starred=remote_id in self._starred or any(c.endswith("/starred") for c in categories),
        )

    def _token(self) -> str:
        """The write token every POST carries (some servers, Miniflux among them, also take
        it as the proof of identity of a POST)."""
        if self._edit_token is None:
            self._edit_token = self.session.call("GET", "/reader/api/0/token").text.strip()
        return self._edit_token

    def quick_add(self, url: str) -> object:
        """subscription/quickadd: subscribe to a feed URL."""
        return self.session.json(
            "POST",
            "/reader/api/0/subscription/quickadd?output=json",
            data={"quickadd": url, "T": self._token()},
        )

    def rename(self, stream: str, title: str) -> None:
        """subscription/edit: give a subscription a title."""
        self.session.call(
            "POST",
            "/reader/api/0/subscription/edit",
            data={"ac": "edit", "s": stream, "t": title, "T": self._token()},
        )

    def send(self, changes: Sequence[PendingChange]) -> None:
        """edit-tag: add or remove the read and starred states."""
        for kind, tag in (("read", READ), ("starred", STARRED)):
            for value in (True, False):
                ids = [c.remote_id for c in changes if c.kind == kind and c.value == value]
                if ids:
                    self.session.call(
                        "POST",
                        "/reader/api/0/edit-tag",
                        data={
                            "i": [long_id(i) for i in ids],
                            "a" if value else "r": tag,
                            "T": self._token(),
                        },
                    )

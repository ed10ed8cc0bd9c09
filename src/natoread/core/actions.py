"""The reader's user actions: one registry used by the key bindings, help, palette and `[keys]`.

Plain data so the core can validate `[keys]` in feeds.toml without importing Textual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Action:
    """A user action: its id (the name used in `[keys]`), default keys and a description."""

    name: str
    keys: str
    description: str
    show: bool = True
    in_place: bool = False
    """The action never opens a screen or a dialog nor moves the focus: keys typed after it
    go on at once (key repeat on `j`), others wait until it has taken effect."""


ACTIONS: tuple[Action, ...] = (
    Action("down", "j,down", "Move down", show=False, in_place=True),
    Action("up", "k,up", "Move up", show=False, in_place=True),
    Action("first", "g,home", "First item", show=False, in_place=True),
    Action("last", "G,end", "Last item", show=False, in_place=True),
    Action("open", "enter,l", "Open"),
    Action("back", "escape,h", "Back"),
    Action("quit", "q", "Quit / back"),
    Action("page-down", "space", "Page down", show=False, in_place=True),
    Action("page-up", "b", "Page up", show=False, in_place=True),
    Action("next-unread", "n", "Next unread"),
    Action("prev-unread", "N", "Previous unread", show=False),
    Action("next-article", "J", "Next article", show=False),
    Action("prev-article", "K", "Previous article", show=False),
    Action("cycle-pane", "tab", "Next pane", show=False),
    Action("toggle-sidebar", "backslash", "Sidebar on/off", show=False),
    Action("toggle-quotes", "Q", "Quotes panel / summary", show=False),
    Action("toggle-details", "i", "Link and why it matched", show=False),
    Action("zen", "z", "Article only (zen)", show=False),
    Action("search", "slash", "Search"),
    Action("toggle-matching", "a", "Matching/all"),
    Action("toggle-stories", "S", "One row per story", show=False),
    Action("star", "s", "Star", in_place=True),
    Action("toggle-read", "m", "Read/unread", in_place=True),
    Action("mark-all-read", "A", "Mark list read", show=False),
    Action("tag", "t", "Tag / untag the article", show=False),
    Action("bulk", "M", "Mark the whole list (read, star, tag…)", show=False),
    Action("undo", "u", "Undo the last change", show=False),
    Action("cycle-sort", "O", "Next sort order", show=False),
    Action("toggle-unread-only", "U", "Unread only / all", show=False),
    Action("pipe", "vertical_line", "Pipe the article to pipe_command", show=False),
    Action("links", "L", "The article's links", show=False),
    Action("cite-quote", "c", "Copy the quote as a citation", show=False),
    Action("find", "F", "Find in the article", show=False),
    Action("add-feed", "plus", "Add feed…", show=False),
    Action("poll", "r", "Poll now"),
    Action("open-link", "o", "Open link"),
    Action("copy-link", "y", "Copy link", show=False),
    Action("failing-feeds", "e", "Feed errors", show=False),
    Action("quotes-ledger", "w", "Who said what", show=False),
    Action("accession-board", "B", "Accession board", show=False),
    Action("fulltext", "f", "Full text", show=False),
    Action("theme", "T", "Theme", show=False),
    Action("help", "question_mark", "Help"),
)
ACTION_NAMES: frozenset[str] = frozenset(action.name for action in ACTIONS)

_KEY_NAMES = frozenset(
    [
        "escape",
        "enter",
        "tab",
        "space",
        "backspace",
        "delete",
        "insert",
        "home",
        "end",
        "pageup",
        "pagedown",
        "up",
        "down",
        "left",
        "right",
        "slash",
        "question_mark",
        "exclamation_mark",
        "full_stop",
        "comma",
        "colon",
        "semicolon",
        "minus",
        "plus",
        "equals_sign",
        "asterisk",
        "ampersand",
        "at",
        "number_sign",
        "dollar_sign",
        "percent_sign",
        "circumflex_accent",
        "underscore",
        "left_square_bracket",
        "right_square_bracket",
        "left_curly_bracket",
        "right_curly_bracket",
        "vertical_line",
        "backslash",
        "tilde",
        "grave_accent",
        "quotation_mark",
        "apostrophe",
        "less_than_sign",
        "greater_than_sign",
        "left_parenthesis",
        "right_parenthesis",
    ]
) | {f"f{n}" for n in range(1, 25)}
_MODIFIERS = ("ctrl+", "shift+", "alt+", "meta+", "super+")
_SINGLE = re.compile(r"^[A-Za-z0-9]$")


def key_error(keys: str) -> str | None:
    """Explain why a comma-separated key list is not valid, or None when it is."""
    if not keys.strip():
        return "empty key list"
    for raw in keys.split(","):
        key = raw.strip()
        base = key
        while base.startswith(_MODIFIERS):
            base = base.split("+", 1)[1]
        if not (_SINGLE.match(base) or base in _KEY_NAMES):
            return (
                f"unknown key {key!r}; use a letter or digit, a name such as 'enter', 'space', "
                "'slash', 'f5', optionally with 'ctrl+'/'shift+'/'alt+'"
            )
    return None

"""A one-line key reminder that fits the terminal width (the footer of the reader)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.content import Content
from textual.widgets import Static

from natoread.core.actions import ACTIONS
from natoread.ui.keys import effective_keys, keys_label


def hints_content(keymap: Mapping[str, str], width: int) -> Content:
    """As many "key action" hints as fit in `width` cells, always ending with help."""
    hints = [
        (keys_label(effective_keys(action, keymap)).split(" ")[0], action.description)
        for action in ACTIONS
        if action.show and action.name != "help"
    ]
    help_action = next(a for a in ACTIONS if a.name == "help")
    last = (keys_label(effective_keys(help_action, keymap)).split(" ")[0], "Help")
    used = len(last[0]) + len(last[1]) + 1
    parts: list[str | tuple[str, str]] = []
    for key, description in hints:
        cost = len(key) + len(description) + 3
        if used + cost > width:
            break
        parts.extend([(key, "bold $text-accent"), f" {description}  "])
        used += cost
    parts.extend([(last[0], "bold $text-accent"), f" {last[1]}"])
    return Content.assemble(*parts)


class KeyHints(Static):
    """The most useful keys, trimmed to the width so nothing is cut off."""

    DEFAULT_CSS = """
    KeyHints {
        height: 1;
        padding: 0 1;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
    }
    """

    def __init__(self, keymap: Mapping[str, str], *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._keymap = keymap

    def on_resize(self) -> None:
        self.update(hints_content(self._keymap, max(10, self.content_region.width)))


def screen_hints(keymap: Mapping[str, str], hints: Sequence[tuple[str, str]]) -> Content:
    """ "key what" hints for a secondary screen: (registry action name, what it does there)."""
    by_name = {action.name: action for action in ACTIONS}
    parts: list[str | tuple[str, str]] = []
    for name, description in hints:
        action = by_name.get(name)
        if action is None:
            continue
        keys = keys_label(effective_keys(action, keymap)).split(" ")[0]
        parts.extend([(keys, "bold $text-accent"), f" {description}  "])
    return Content.assemble(*parts)

"""Textual bindings built from the core action registry (one source for keys, help, palette)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding, BindingType

from natoread.core.actions import ACTIONS, Action

_KEY_LABELS = {
    "question_mark": "?",
    "slash": "/",
    "escape": "esc",
    "space": "space",
    "enter": "enter",
    "down": "↓",
    "up": "↑",
    "home": "home",
    "end": "end",
    "tab": "tab",
    "vertical_line": "|",
    "plus": "+",
}


def method_name(action: str) -> str:
    """The Textual action name of a registry action ("next-unread" → "next_unread")."""
    return action.replace("-", "_")


def bindings_for(names: Iterable[str] | None = None) -> list[BindingType]:
    """Bindings (id = action name) for `names`, or for every action."""
    wanted = None if names is None else set(names)
    return [
        Binding(
            action.keys,
            method_name(action.name),
            action.description,
            show=action.show,
            id=action.name,
        )
        for action in ACTIONS
        if wanted is None or action.name in wanted
    ]


def keys_label(keys: str) -> str:
    """A readable list of keys ("enter,l" → "enter l", "question_mark" → "?")."""
    return " ".join(_KEY_LABELS.get(key.strip(), key.strip()) for key in keys.split(","))


def effective_keys(action: Action, keymap: Mapping[str, str]) -> str:
    """The keys of `action` after `[keys]` overrides."""
    return keymap.get(action.name, action.keys)


def effective_key(name: str, keymap: Mapping[str, str]) -> str:
    """The first key of the action `name` after `[keys]`, as shown to the user ("Q", "?")."""
    action = next(action for action in ACTIONS if action.name == name)
    return keys_label(effective_keys(action, keymap)).split(" ")[0]

"""Text in columns: one width function (Rich's `cell_len`, which Textual lays out with) and
text made so that every terminal draws it in the cells that function counts.

Terminals disagree on emoji sequences: "☁️" (a narrow symbol + VARIATION SELECTOR-16) is two
cells in kitty, WezTerm or iTerm2 and to Rich, one in tmux 3.3 and VTE; "👍🏽" (a skin tone) is
two cells to Rich and four in tmux 3.3; Rich joins "a" ZWJ "b" into one cell where a terminal
draws two. A row holding one of them ends a cell early or late, which shifts the columns after
it. `steady` drops the joiners and selectors that decide those widths (the emoji stay, drawn
as their parts), so the width of the text is the sum of the widths of its characters, which
every terminal and Rich agree on.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"
_UNSTEADY = re.compile(
    "[\u00ad\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0100-\U000e01ef]",
)
"""Soft hyphen, ZERO WIDTH JOINER, variation selectors and the emoji skin-tone modifiers."""


def steady(text: str) -> str:
    """`text` without the characters whose width terminals disagree on (see the module)."""
    return _UNSTEADY.sub("", text) if _UNSTEADY.search(text) else text


def cells(text: str) -> int:
    """Terminal cells `text` occupies (after `steady`)."""
    return cell_len(text)


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells (ending in "…" when cut) and padded to exactly `width`."""
    if width <= 0:
        return ""
    return set_cell_size(cut(text, width), width)


def cut(text: str, width: int) -> str:
    """`text` cut to at most `width` cells (ending in "…" when cut), not padded."""
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    # A wide character across the edge leaves a pad cell: the ellipsis takes its place.
    return set_cell_size(text, width - 1).rstrip(" ") + ELLIPSIS

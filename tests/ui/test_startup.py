"""Start-up stays fast: heavy modules load only when the poll worker runs."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("httpx", "lxml", "trafilatura", "feedparser", "natoread.core.poller")


def test_importing_the_app_leaves_heavy_modules_unloaded() -> None:
    code = f"import sys, natoread.ui.app\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == ""

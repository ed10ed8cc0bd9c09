"""Start-up stays fast: heavy modules load only when the poll worker runs."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from tests.ui.helpers import AppFactory, wait_until

HEAVY = ("httpx", "lxml", "trafilatura", "feedparser", "natoread.core.polling.run")


def test_importing_the_app_leaves_heavy_modules_unloaded() -> None:
    code = f"import sys, natoread.ui.app\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == ""


async def test_start_up_objects_are_frozen_once_settled_and_thawed_on_exit(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Full collections would otherwise walk every start-up object again and again (a stall
    # of tens of ms in the middle of a key press); a test process must get them back.
    from natoread.ui import app as app_module

    monkeypatch.setattr(app_module, "SETTLE_S", 0.1)
    assert gc.get_freeze_count() == 0
    async with make_app().run_test() as pilot:
        await wait_until(pilot, lambda: gc.get_freeze_count() > 10_000)
    assert gc.get_freeze_count() == 0

"""Reaching a control the way a keyboard user does: Tab from where the focus is, never a click."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


def tab_to(page: Page, target: Locator, limit: int = 60) -> int:
    """Press Tab until ``target`` has the focus; how many presses it took.

    Raises:
        AssertionError: ``target`` was not reached within ``limit`` presses (not focusable, or trapped).
    """
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{target} was not reached with {limit} presses of Tab")

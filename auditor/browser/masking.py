"""Screenshots never show a secret of the run: the account name a logged-in page greets
the user with, a password a hostile page repeats back.

    covered = mask_secrets(page)     # dark boxes over every occurrence, in a layer of their own
    ... take the screenshot ...
    unmask(page)

The page's own text is not touched (the search goes on reading it); the boxes sit in one
fixed, click-through layer above everything and are removed after the shot.
"""
from __future__ import annotations

from cardshop_auditor import secrets
from cardshop_auditor.browser.scripts import source

LAYER_ID = "__cardshop_secret_mask"

MASK_JS = source("mask")
UNMASK_JS = source("unmask")
MAX_FRAMES = 8


def _frames(page) -> list:
    """The page and its frames (an iframe showing a secret is in the shot too)."""
    try:
        return list(page.frames)[:MAX_FRAMES]
    except Exception:  # noqa: BLE001 - a closed page
        return []


def mask_secrets(page) -> int:
    """Cover the run's account names and passwords on ``page`` and in its frames; how many
    boxes (0: none)."""
    values = secrets.REGISTRY.shown_values()
    if not values:
        return 0
    covered = 0
    for frame in _frames(page):
        try:
            covered += int(frame.evaluate(MASK_JS, [values, LAYER_ID]) or 0)
        except Exception:  # noqa: BLE001 - a frame that refuses scripts or went away: nothing drawn there
            continue
    return covered


def element_screenshot(page, selector: str, timeout_ms: int) -> bytes:
    """A PNG of one element (a modal), with the secrets covered as in a page shot."""
    masked = mask_secrets(page)
    try:
        return page.locator(selector).first.screenshot(type="png", animations="disabled", timeout=timeout_ms)
    finally:
        if masked:
            unmask(page)


def unmask(page) -> None:
    for frame in _frames(page):
        try:
            frame.evaluate(UNMASK_JS, LAYER_ID)
        except Exception:  # noqa: BLE001 - the frame navigated away: the layer went with it
            continue

"""The browser stage's in-page scripts: one JavaScript file each, shipped as package data.

A file holds one JavaScript expression: a function that Playwright's ``evaluate`` calls
with its argument (``rtc_off.js`` alone is a statement, run in every frame before the
page's own scripts).  A script that reads the region vocabulary (``extract/data/
regions.json``, the one the static parser reads) is a factory ``(regions) => (arg) => …``;
``source`` applies it to the vocabulary, so Python and JavaScript agree on what a footer,
a navigation bar or a modal is.  Linted with ESLint (``make lint-js``) and unit-tested in
Chromium (tests/browser/test_scripts.py).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from cardshop_auditor.extract.page.regions import vocabulary

# the scripts written as factories over the region vocabulary
USES_REGIONS = frozenset(("candidates", "footer", "frame_dialog", "modal", "pending_dialog", "tabs"))


@lru_cache(maxsize=None)
def source(name: str) -> str:
    """The script ``<name>.js``, ready for ``evaluate`` / ``add_init_script``."""
    text = resources.files(__name__).joinpath(f"{name}.js").read_text(encoding="utf-8").strip()
    if name in USES_REGIONS:
        text = f"({text})({_regions_json()})"
    return text


@lru_cache(maxsize=1)
def _regions_json() -> str:
    """The vocabulary as a JavaScript literal (its prose notes left out)."""
    shared = {name: section for name, section in vocabulary().items() if not name.startswith("_")}
    return json.dumps(shared, ensure_ascii=False, separators=(",", ":"))


def names() -> list[str]:
    """Every script shipped."""
    return sorted(p.name[:-3] for p in resources.files(__name__).iterdir() if p.name.endswith(".js"))

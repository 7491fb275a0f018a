"""Is the page an application shell, whose content appears only after scripts run?"""
from __future__ import annotations

import re

from cardshop_auditor.extract.page.model import PageDoc

# ids of the elements single-page apps mount into (an empty one is a shell's tell)
MOUNT_IDS = frozenset(("app", "root", "__nuxt", "__next", "q-app", "main-app", "vue-app",
                       "react-root", "application"))

_NOSCRIPT_JS = re.compile(r"javascript|\bjs\b|启用|开启|打开.{0,6}脚本|enable", re.I)


def is_app_shell(doc: PageDoc) -> bool:
    """The page is an application shell whose content appears only after scripts run:
    tiny visible text plus an empty mount point (``<div id="app">``) or a noscript
    "enable JavaScript" message."""
    visible = doc.visible_chars
    if visible >= 400:
        return False
    noscript_js = bool(doc.noscript and _NOSCRIPT_JS.search(doc.noscript))
    if doc.mount_ids and doc.script_count and visible < 200:
        return True
    if noscript_js and visible < 200:
        return True
    if not doc.blocks and doc.script_count >= 2:
        return True
    return False

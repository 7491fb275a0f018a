"""Does a shop need the browser?  Decided from the pages, not from a list of sites."""
from __future__ import annotations

from auditor.artifacts import ShopArtifacts


def needs_browser(artifacts: ShopArtifacts) -> bool:
    """True when the start page is an application shell (its content appears only after
    scripts run).  The extractors make that call once (``site.needs_browser``)."""
    from auditor.extract.page import is_app_shell, parse_page
    start = artifacts.start_page
    if start is None or not start.html:
        return False
    return is_app_shell(parse_page(start))

"""`cardshop-audit serve`: the buyers' web page (cardshop_auditor.web.app has the map).

    inputs    what a buyer pastes → the shop's URL, inside the scan scope, or a clear refusal
    jobs      the waiting line in front of the scan slots; per-client rate limit
    engine    where scans run (in-process by default: the batch code path)
    results   the web scans in the history database (permanent tokens, evidence)
    app       the ASGI app: shared steps, security headers; pages (HTML) and api (JSON)
"""

"""Evidence that holds up: every exchange of a scan archived as WARC (ISO 28500), the
report's citations pointing at its records, and the scan packaged as WACZ for replay.

    warc.py      write records (one gzip member each) and look them up (by id, by URI)
    refs.py      report.json → WARC record ids and target URIs of the pages it cites
    wacz.py      the WACZ 1.1.1 package (archive/, indexes/, pages/, datapackage*.json)
    browser.py   the browser stage's traffic (Playwright network events) and screenshots
"""

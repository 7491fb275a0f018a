"""`history HOST --out DIR`: the score and the flags of a shop over its stored scans, as a chart
(inline SVG, no script) in history.html."""
from __future__ import annotations

import re

from storage_reports import make_report

from cardshop_auditor.cli import main
from cardshop_auditor.storage import open_store


def test_history_page_draws_score_and_flags_over_time(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'h.db'}"
    store = open_store(db)
    store.record(make_report(scanned_at="2026-01-05T08:00:00+00:00", score=88))
    store.record(make_report(scanned_at="2026-01-12T08:00:00+00:00", score=41, icp=None,
                             flags=["no_icp", "blanket_no_refund"]))
    store.record(make_report(scanned_at="2026-01-19T08:00:00+00:00", score=None, status="failed"))
    store.record(make_report(scanned_at="2026-01-26T08:00:00+00:00", score=63, flags=["no_icp"]))
    store.record(make_report(url="http://127.0.0.1:9090/", score=5, flags=["no_contact"]))   # another shop

    assert main(["history", "127.0.0.1:8080", "--db", db, "--out", str(tmp_path / "h")]) == 0
    html = (tmp_path / "h" / "history.html").read_text("utf-8")
    svg = html[html.index("<svg"):html.index("</svg>")]
    dots = re.findall(r'<circle class="dot ([a-z ]+)" cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert len(dots) == 4                                          # one per scan of this shop
    xs = [float(x) for _, x, _ in dots]
    assert xs == sorted(xs)                                       # oldest on the left
    scores = {0: 88, 1: 41, 3: 63}
    ys = {i: float(dots[i][2]) for i in scores}
    assert ys[0] < ys[3] < ys[1]                                  # higher score, higher on the chart
    assert dots[0][0] == "good" and dots[1][0] == "bad" and "hollow" in dots[2][0]   # failed: hollow
    assert svg.count('class="trend-line"') == 1                   # 88→41; the failed scan breaks the line
    grid = html[html.index('class="flag-grid"'):]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", grid, re.S)
    raised = {name: [cell.count("●") for cell in re.findall(r"<td>(.*?)</td>", cells)] for name, cells in rows}
    assert len(raised) == 2 and sorted(raised.values()) == [[0, 1, 0, 0], [0, 1, 0, 1]]
    assert "no_contact" not in html and "<script" not in html     # only this shop; no script
    assert "script-src &#39;none&#39;" in html             # the CSP (attribute-escaped)
    assert "history.html" in capsys.readouterr().out


def test_history_page_escapes_the_host_and_says_when_there_is_nothing(tmp_path):
    db = f"sqlite:///{tmp_path / 'h.db'}"
    open_store(db)
    assert main(["history", "<b>x</b>.example.cn", "--db", db, "--out", str(tmp_path / "h"), "--lang", "en"]) == 0
    html = (tmp_path / "h" / "history.html").read_text("utf-8")
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "No scans of this shop" in html

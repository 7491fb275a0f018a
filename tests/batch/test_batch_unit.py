"""Batch input, journal, resume and summary, with a stand-in for the crawl (fast)."""
from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
from html import unescape

import pytest

from cardshop_auditor.batch import (Journal, Progress, parse_targets, read_targets, report_is_complete, run_batch,
                           shop_id_for, write_summary)
from cardshop_auditor.options import AuditOptions
from batch_helpers import FakeAudit, fake_report


def test_a_url_per_line():
    shops = parse_targets("# shops to audit\nhttp://a.example.cn/\n\nb.example.cn\nhttp://a.example.cn/\n")
    assert [s.url for s in shops] == ["http://a.example.cn/", "http://b.example.cn/"]
    assert shops[0].id == shop_id_for("http://a.example.cn/") and shops[0].id.startswith("a.example.cn-")
    assert len({s.id for s in shops}) == 2


def test_csv_with_credentials_and_labels(tmp_path):
    path = tmp_path / "shops.csv"
    path.write_text("url,username,password,label\nhttp://127.0.0.1:8080/,demo,secret,一号店\n"
                    "http://127.0.0.1:8081/,,,二号店\n", "utf-8")
    a, b = read_targets(path)
    assert (a.username, a.password, a.label) == ("demo", "secret", "一号店")
    assert (b.username, b.password, b.label) == (None, None, "二号店")
    assert a.id == "127.0.0.1-8080-" + a.id.rsplit("-", 1)[1]
    assert "password" not in a.public()


def test_bad_input_is_reported_with_its_line():
    with pytest.raises(ValueError, match="line 2"):
        parse_targets("http://ok.example.cn/\nftp://nope/\n")
    with pytest.raises(ValueError, match="username and password"):
        parse_targets("url,username,password\nhttp://x.cn/,u,\n")


def test_journal_ignores_a_torn_last_line(tmp_path):
    j = Journal(tmp_path / "journal.log")
    j.start("b1", "2026-01-01T00:00:00+00:00")
    j.append("done", "shop-a", "shop-a/report.json")
    with open(j.path, "ab") as fh:
        fh.write(b"done shop-b shop-b/rep")          # power cut mid-write
    loaded = Journal(j.path).load()
    assert loaded.batch_id == "b1" and set(loaded.done) == {"shop-a"}
    loaded.append("done", "shop-c", "shop-c/report.json")   # heals the torn line first
    again = Journal(j.path).load()
    assert set(again.done) == {"shop-a", "shop-c"}


def test_resume_audits_every_shop_exactly_once(tmp_path):
    shops = parse_targets("\n".join(f"http://127.0.0.1:{9000 + i}/" for i in range(11)))
    out = tmp_path / "out"
    first = FakeAudit(die_after=5)
    with pytest.raises(KeyboardInterrupt):
        run_batch(shops, out, AuditOptions(), concurrency=3, progress=False, audit=first)
    assert len(first.audited) == 5
    # a shop whose report was written but whose journal line was lost still counts as done
    journal = (out / "journal.log").read_text("utf-8").splitlines()
    (out / "journal.log").write_text("\n".join(journal[:-1]) + "\n", "utf-8")
    second = FakeAudit()
    outcome = run_batch(shops, out, AuditOptions(), concurrency=3, resume=True, progress=False, audit=second)
    assert sorted(first.audited + second.audited) == sorted(s.id for s in shops)
    assert not set(first.audited) & set(second.audited)
    assert len(outcome.skipped) == 5 and outcome.missing == []
    done = [ln.split()[1] for ln in (out / "journal.log").read_text("utf-8").splitlines() if ln.startswith("done")]
    assert sorted(done) == sorted(s.id for s in shops)
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["total"] == 11 and summary["audited"] == 11 and summary["missing"] == 0


def test_without_resume_a_batch_starts_afresh(tmp_path):
    shops = parse_targets("http://127.0.0.1:9001/\nhttp://127.0.0.1:9002/")
    run_batch(shops, tmp_path, AuditOptions(), progress=False, audit=FakeAudit())
    again = FakeAudit()
    outcome = run_batch(shops, tmp_path, AuditOptions(), progress=False, audit=again)
    assert len(again.audited) == 2 and outcome.skipped == []
    # --resume of a finished batch audits nothing
    third = FakeAudit()
    run_batch(shops, tmp_path, AuditOptions(), resume=True, progress=False, audit=third)
    assert third.audited == []


def test_report_is_complete(tmp_path):
    path = tmp_path / "report.json"
    assert not report_is_complete(path)
    path.write_text('{"schema_version": 1, "score"', "utf-8")
    assert not report_is_complete(path)
    path.write_text(json.dumps(fake_report("http://x/")), "utf-8")
    assert report_is_complete(path)
    assert not report_is_complete(path, not_before="2999-01-01T00:00:00+00:00")


def test_progress_line_has_eta():
    import io
    buf = io.StringIO()
    bar = Progress(10, already=2, stream=buf)
    bar.update(1, "shop")
    line = buf.getvalue()
    assert "3/10" in line and "ETA" in line and "shop" in line


def _rows():
    hostile = "<img src=x onerror=alert(1)>"
    return [
        {"id": "a", "label": hostile, "url": "http://a.cn/", "host": "a.cn", "status": "complete", "score": 35,
         "risk": "high", "flags": ["no_icp", "blanket_no_refund"], "refund_found": True, "refund_clicks": 4,
         "company_name": "=HYPERLINK(\"http://evil\")", "icp": None, "changes": 3, "scanned_at": "2026-01-01",
         "report": "a/report.html", "diff": "a/diff.html", "reason": None},
        {"id": "b", "label": "", "url": "http://b.cn/", "host": "b.cn", "status": "complete", "score": 92,
         "risk": "low", "flags": [], "refund_found": True, "refund_clicks": 1, "company_name": "乙公司",
         "icp": "京ICP备12345678号-1", "changes": 0, "scanned_at": "2026-01-01", "report": "b/report.html",
         "diff": None, "reason": None},
        {"id": "c", "label": "", "url": "http://c.cn/", "host": "c.cn", "status": "missing", "score": None,
         "risk": None, "flags": [], "refund_found": None, "refund_clicks": None, "company_name": None, "icp": None,
         "changes": None, "scanned_at": None, "report": None, "diff": None, "reason": None},
    ]


def test_summary_files(tmp_path):
    paths = write_summary(_rows(), tmp_path, batch_id="b-test", started_at="2026-01-01T00:00:00+00:00")
    data = json.loads(paths["summary.json"].read_text("utf-8"))
    assert [r["id"] for r in data["shops"]] == ["a", "b", "c"]          # worst first, not-done last
    assert data["total"] == 3 and data["missing"] == 1 and data["changed"] == 1
    rows = list(csv.DictReader(paths["summary.csv"].read_text("utf-8-sig").splitlines()))
    assert rows[0]["flags"] == "no_icp;blanket_no_refund" and rows[0]["refund_clicks"] == "4"
    assert rows[0]["company_name"].startswith("'=")                    # not a spreadsheet formula


def test_summary_page_is_self_contained_sortable_and_escaped(tmp_path):
    html = write_summary(_rows(), tmp_path, batch_id="b-test")["index.html"].read_text("utf-8")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    csp = unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1))
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp                     # the sorting script, pinned
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    digest = base64.b64encode(hashlib.sha256(styles[0].encode("utf-8")).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp and "unsafe-inline" not in csp
    assert "default-src 'none'" in csp
    assert not re.search(r'<(?:link|script|img)[^>]+(?:src|href)="(?:https?:)?//', html)   # nothing remote
    assert 'href="a/report.html"' in html and 'href="a/diff.html"' in html
    assert html.count("<svg") == 2                                        # score histogram + flag counts
    assert 'data-type="num"' in html and "aria-sort" in scripts[0]

"""A browser scan sealed and printed (issue 15, items 4–5): report.pdf rendered to images
with pdftoppm and read back (Chinese text, verdict, sections, the manifest hash and scan
time in every page's footer); a swapped screenshot is named by `verify`."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from cardshop_auditor.evidence.manifest import MANIFEST
from cardshop_auditor.evidence.verify import verify_scan
from cardshop_auditor.options import AuditOptions

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")]

SHOP, USER, PASSWORD = "login_json_token", "starriver", "Xh-2025-ok"     # a logged-in SPA: screenshots


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    from fixtures.server import FixtureServer
    from cardshop_auditor.pipeline import Target, audit_shops
    from cardshop_auditor import secrets
    out = tmp_path_factory.mktemp("pdf") / SHOP
    secrets.register_credentials(USER, PASSWORD)
    with FixtureServer([SHOP]) as srv:
        target = Target(url=srv.url(SHOP), out_dir=out, id=SHOP, username=USER, password=PASSWORD)
        [result] = audit_shops([target], AuditOptions(username=USER, password=PASSWORD, pdf=True),
                               log=lambda m: None)
    return result


def _pages_text(pdf):
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split("\f")


def test_report_pdf_is_a4_chinese_with_the_manifest_hash_on_every_page(printed, tmp_path):
    pdf = printed.paths["pdf"]
    assert pdf.name == "report.pdf" and pdf.read_bytes().startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=30).stdout
    assert "pts (A4)" in info, info
    pages = [p for p in _pages_text(pdf) if p.strip()]
    assert len(pages) >= 2
    digest = printed.manifest_sha256
    for n, page in enumerate(pages, 1):
        assert f"清单哈希 (SHA-256): {digest}" in page, f"page {n} lacks the manifest hash"
        assert printed.report["scanned_at"] in page
        assert f"第 {n} 页 / 共 {len(pages)} 页" in page
    text = "".join(pages)
    assert "卡盟/发卡网合规检测报告" in text
    assert "结论" in text and any(level in text for level in ("高风险", "中风险", "低风险"))
    for section in ("退款", "备案", "联系方式"):
        assert section in text, section
    # Rendered to images: the CJK font draws real glyphs (a missing font prints empty boxes
    # that pdftotext still reads; the images tell): the first page's pixels are not blank.
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "p")],
                   check=True, timeout=60)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == 2 and all(p.stat().st_size > 5_000 for p in images)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, timeout=30).stdout
    assert fonts.count(" yes ") >= 1, fonts          # the glyphs are embedded, not left to the viewer
    shutil.copy(images[1], printed.target.out_dir.parent / "page-2.png")   # for a look by eye


def test_the_pdf_is_not_in_the_manifest_but_the_scan_verifies(printed):
    listed = {f["path"] for f in json.loads((printed.target.out_dir / MANIFEST).read_text("utf-8"))["files"]}
    assert "report.pdf" not in listed and "report.html" in listed
    result = verify_scan(printed.target.out_dir)
    assert result.ok, result.problems


def test_a_swapped_screenshot_is_named(printed, tmp_path):
    directory = tmp_path / "scan"
    shutil.copytree(printed.target.out_dir, directory)
    shots = [e["path"] for e in printed.report["evidence"]]
    assert shots, "the browser scan took no screenshot"
    # Another real PNG in its place: the first page of the report, rendered.
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(printed.paths["pdf"]), str(tmp_path / "other")], check=True, timeout=60)
    (directory / shots[0]).write_bytes((tmp_path / "other.png").read_bytes())
    problems = verify_scan(directory).problems
    assert any(p.startswith(f"{shots[0]}: sha256") for p in problems), problems
    assert f"{shots[0]}: not the screenshot report.json describes (sha256 differs)" in problems
    assert any(p.startswith(f"{shots[0]}: not the screenshot the WARC recorded") for p in problems)
    assert not any(p.startswith(tuple(shots[1:])) for p in problems if shots[1:])

"""summary.xlsx (issue 14 item 3): opened with openpyxl as an office would open it."""
from __future__ import annotations

import json

import openpyxl
import pytest

from cardshop_auditor.batch import parse_targets, run_batch
from cardshop_auditor.options import AuditOptions

from batch_helpers import FakeAudit, fake_report


class FlaggingAudit(FakeAudit):
    """Reports with flags and an operator name taken from a hostile site."""

    def __call__(self, targets, options, log=None, on_result=None):
        from cardshop_auditor.pipeline import AuditResult
        for n, t in enumerate(targets):
            t.out_dir.mkdir(parents=True, exist_ok=True)
            flags = [["no_icp", "contact_qq_only"], [], ["no_icp"]][n % 3]
            report = fake_report(t.url, score=[35, 92, 60][n % 3], flags=flags)
            report["findings"]["business"] = {"company_name": ["=HYPERLINK(\"http://127.0.0.2/\",\"点我\")",
                                                               "星辰网络科技有限公司", "云端\x07发卡"][n % 3]}
            (t.out_dir / "report.json").write_text(json.dumps(report), "utf-8")
            (t.out_dir / "report.html").write_text("<html></html>", "utf-8")
            self.audited.append(t.id)
            on_result(AuditResult(t, report, {}))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx") / "out"
    shops = parse_targets("网址\t名称\t备注\nhttp://a.example.cn/\t星辰卡铺\t复查\nhttp://b.example.cn/\t云端\t\n"
                          "http://c.example.cn/\t鲸鱼\t\n")
    outcome = run_batch(shops, out, AuditOptions(), progress=False, audit=FlaggingAudit())
    assert outcome.paths["summary.xlsx"] == out / "summary.xlsx"
    return openpyxl.load_workbook(out / "summary.xlsx"), out


def _table(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def test_frozen_header_filter_and_one_row_per_shop_worst_first(workbook):
    book, _ = workbook
    sheet = book.active
    header, rows = _table(sheet)
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}4"
    assert [r["店铺"] for r in rows] == ["星辰卡铺", "鲸鱼", "云端"]          # high risk first, then score
    assert [r["得分"] for r in rows] == [35, 60, 92]
    assert rows[0]["备注"] == "复查" and rows[0]["风险"] == "高"


def test_flags_as_names_and_as_filterable_columns(workbook):
    book, _ = workbook
    header, rows = _table(book.active)
    from cardshop_auditor.summary_xlsx import flag_name
    no_icp, qq = flag_name("no_icp", "zh"), flag_name("contact_qq_only", "zh")
    assert no_icp in header and qq in header
    assert rows[0]["风险标记"] == f"{no_icp}；{qq}"
    assert [r[no_icp] for r in rows] == ["●", "●", None]
    assert [r[qq] for r in rows] == ["●", None, None]


def test_links_to_each_report(workbook):
    book, out = workbook
    sheet = book.active
    header = [c.value for c in sheet[1]]
    report_col = header.index("报告") + 1
    for row in range(2, 5):
        link = sheet.cell(row, report_col).hyperlink.target
        assert link.endswith("/report.html") and (out / link).exists()
    assert sheet.cell(2, header.index("网址") + 1).hyperlink.target == "http://a.example.cn/"


def test_site_text_is_never_a_formula_nor_a_control_character(workbook):
    book, _ = workbook
    sheet = book.active
    header = [c.value for c in sheet[1]]
    cells = [sheet.cell(r, header.index("经营者") + 1) for r in range(2, 5)]
    assert all(c.data_type == "s" for c in cells)
    assert cells[0].value.startswith("=HYPERLINK") and "云端发卡" in [c.value for c in cells]

"""The filing-record cross-check (issue 14 item 4): reading the filing system's export
(CSV / XLSX, UTF-8 / GBK) and the four icp.registry_* checks on synthetic findings."""
from __future__ import annotations

import pytest

from cardshop_auditor.checks import icp_registry_number, icp_registry_operator, icp_registry_personal, icp_registry_record
from cardshop_auditor.checks.base import FAIL, NOT_APPLICABLE, PASS
from cardshop_auditor.icp_registry import RegistryError, load_registry, lookup_for
from cardshop_auditor.judge import run_one

HEADER = ["主办单位名称", "主办单位性质", "网站备案号", "网站名称", "网站域名", "审核日期"]
RECORDS = [
    ["北京某某科技有限公司", "企业", "京ICP备16059763号-1", "某某卡券商城", "shop.example.cn www.shop.example.cn", "2024-03-18"],
    ["北京某某科技有限公司", "企业", "京ICP备16059763号-2", "某某博客", "mm-blog.com", "2024-03-18"],
    ["王小明", "个人", "渝ICP备2023006127号-1", "小明的小站", "xiaoming-zhan.cn", "2023-06-02"],
    ["杭州云栈信息服务有限公司", "企业", "浙ICP备2023012847号-1", "云栈", "yunzhan-ka.com、m.yunzhan-ka.com", "2023-09-11"],
]


def write_csv(path, encoding="utf-8", rows=RECORDS, delimiter=","):
    lines = [delimiter.join(HEADER)] + [delimiter.join(r) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def write_xlsx(path, rows=RECORDS, title_row=True):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    if title_row:                         # exports often start with a title line above the header
        sheet.append(["ICP备案信息查询结果（导出）"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("kind", ["csv-utf8", "csv-gbk", "csv-bom-tab", "xlsx"])
def test_registry_exports_are_read_by_registered_domain(tmp_path, kind):
    if kind == "xlsx":
        path = write_xlsx(tmp_path / "备案.xlsx")
    elif kind == "csv-gbk":
        path = write_csv(tmp_path / "备案.csv", "gbk")
    elif kind == "csv-bom-tab":
        path = write_csv(tmp_path / "备案.txt", "utf-8-sig", delimiter="\t")
    else:
        path = write_csv(tmp_path / "备案.csv")
    registry = load_registry(path)
    assert registry.count == 4
    found = registry.lookup("https://m.yunzhan-ka.com/goods/1")
    assert found.domain == "yunzhan-ka.com" and [r.holder for r in found.records] == ["杭州云栈信息服务有限公司"]
    assert registry.lookup("http://www.shop.example.cn/").records[0].number == "京ICP备16059763号-1"
    assert registry.lookup("https://unknown.example.net/").records == []
    assert [r.domains for r in registry.holders_of("京ICP备16059763号")][1] == ["mm-blog.com"]


def test_unusable_registry_files_are_clear_errors(tmp_path):
    (tmp_path / "a.csv").write_text("名称,地址\n某某,北京\n", "utf-8")
    with pytest.raises(RegistryError, match="no header row"):
        load_registry(tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("主办单位名称,网站名称\n某某,某某站\n", "utf-8")
    with pytest.raises(RegistryError, match="no column for 网站备案号, 网站域名"):
        load_registry(tmp_path / "b.csv")
    with pytest.raises(RegistryError, match="No such file"):
        load_registry(tmp_path / "missing.csv")


@pytest.fixture(scope="module")
def registry_path(tmp_path_factory):
    return str(write_csv(tmp_path_factory.mktemp("registry") / "records.csv", "gbk"))


def with_registry(make_findings, registry_path, **overrides):
    findings = make_findings(**overrides)
    findings["icp_registry"] = lookup_for(findings, registry_path)
    return findings


def run_all(findings):
    return {c.CHECK.id: run_one(c.CHECK, findings) for c in
            (icp_registry_record, icp_registry_number, icp_registry_operator, icp_registry_personal)}


def test_no_registry_given_nothing_applies(make_findings):
    results = run_all(make_findings())
    assert {r.status for r in results.values()} == {NOT_APPLICABLE}
    assert "--icp-registry" in results["icp.registry_record"].reason


def test_everything_on_record_passes(make_findings, registry_path):
    results = run_all(with_registry(make_findings, registry_path))
    assert {k: r.status for k, r in results.items()} == dict.fromkeys(results, PASS)
    assert "records.csv#2" == results["icp.registry_record"].evidence[0].url      # file and line of the record


def test_domain_with_no_record_at_all(make_findings, registry_path):
    findings = with_registry(make_findings, registry_path, site__final_url="https://www.kazhan-fk.net/")
    results = run_all(findings)
    assert results["icp.registry_record"].status == FAIL
    assert "kazhan-fk.net" in results["icp.registry_record"].reason and "4" in results["icp.registry_record"].reason
    assert results["icp.registry_record"].evidence
    # the other three have nothing to compare with: the record check says why
    assert {results[k].status for k in ("icp.registry_number", "icp.registry_operator", "icp.registry_personal")} \
        == {NOT_APPLICABLE}


def test_number_of_another_site_fails_and_names_its_holder(make_findings, registry_path):
    findings = with_registry(make_findings, registry_path, icp__number="浙ICP备2023012847号-1",
                             icp__raw="浙ICP备2023012847号-1")
    result = run_one(icp_registry_number.CHECK, findings)
    assert result.status == FAIL and "京ICP备16059763号-1" in result.reason
    assert any("杭州云栈信息服务有限公司" in e.snippet for e in result.evidence)


@pytest.mark.parametrize("shown,status", [("京ICP备16059763号", PASS),        # holder's number, no -k (广东 style)
                                          ("京ICP备16059763号-2", FAIL),      # the holder's other site
                                          ("京 ICP 备 16059763 号-1", PASS)])
def test_number_variants(make_findings, registry_path, shown, status):
    findings = with_registry(make_findings, registry_path, icp__number=shown)
    assert run_one(icp_registry_number.CHECK, findings).status == status


def test_operator_other_than_the_holder(make_findings, registry_path):
    findings = with_registry(make_findings, registry_path, business__company_name="深圳市另一家网络有限公司")
    result = run_one(icp_registry_operator.CHECK, findings)
    assert result.status == FAIL and "北京某某科技有限公司" in result.reason
    same = with_registry(make_findings, registry_path, business__company_name="北京某某科技 有限公司")
    assert run_one(icp_registry_operator.CHECK, same).status == PASS
    unnamed = with_registry(make_findings, registry_path, business=None)
    assert run_one(icp_registry_operator.CHECK, unnamed).status == NOT_APPLICABLE


def test_personal_filing_on_a_site_that_sells(make_findings, registry_path):
    findings = with_registry(make_findings, registry_path, site__final_url="https://www.xiaoming-zhan.cn/",
                             icp__number="渝ICP备2023006127号-1")
    results = run_all(findings)
    assert results["icp.registry_personal"].status == FAIL
    assert "王小明" in results["icp.registry_personal"].reason
    assert results["icp.registry_number"].status == PASS
    assert results["icp.registry_operator"].status == NOT_APPLICABLE     # a person is not compared with a company
    quiet = with_registry(make_findings, registry_path, site__final_url="https://www.xiaoming-zhan.cn/",
                          refund_entry={"found": False, "steps": [], "clicks": None}, agreement=None)
    assert run_one(icp_registry_personal.CHECK, quiet).status == PASS     # a personal site that does not sell

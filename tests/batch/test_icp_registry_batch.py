"""--icp-registry against fixture shops (issue 14 item 4): each of the four cross-check
outcomes in the shop's report and in the batch summary (JSON, CSV, XLSX); a scan with a
GBK CSV export; an unusable registry file is a usage error before anything is crawled."""
from __future__ import annotations

import json

import openpyxl
import pytest

from batch_helpers import cli

HEADER = ["主办单位名称", "主办单位性质", "网站备案号", "网站名称", "网站域名", "审核日期"]
# shop -> the outcome its records give
EXPECTED = {"compliant_platform": "match", "dujiaoka_hyper_careful": "number_mismatch",
            "acgfaka_cartoon_careful": "operator_mismatch", "careful_personal": "personal",
            "kamifaka_careful": "no_record"}
FAILING_CHECK = {"number_mismatch": "icp.registry_number", "operator_mismatch": "icp.registry_operator",
                 "personal": "icp.registry_personal", "no_record": "icp.registry_record"}


def records(server) -> list[list[str]]:
    """The export as an office would get it; fixture shops share 127.0.0.1, so their
    records name host:port (real exports name domains)."""
    def host(name):
        return server.base_url(name).split("//", 1)[1].rstrip("/")
    return [
        ["深圳市云卡互联科技有限公司", "企业", "粤ICP备2021034567号-1", "云卡互联", host("compliant_platform"), "2021-08-19"],
        ["深圳市青禾数字科技有限公司", "企业", "粤ICP备2020045612号-1", "青禾卡券", host("dujiaoka_hyper_careful"), "2020-11-02"],
        ["广州漫游互娱网络科技有限公司", "企业", "粤ICP备2022098765号-2", "漫游游戏", "manyou-game.com", "2022-05-30"],
        ["杭州云栈信息服务有限公司", "企业", "浙ICP备2023012847号-1", "云栈发卡", host("acgfaka_cartoon_careful"), "2023-09-11"],
        ["王小明", "个人", "渝ICP备2023006127号-1", "小明的小站", host("careful_personal"), "2023-06-02"],
    ]


@pytest.fixture(scope="module")
def batch_run(fixture_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("registry_batch")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ICP备案信息（导出）"])
    sheet.append(HEADER)
    for row in records(fixture_server):
        sheet.append(row)
    book.save(root / "备案记录.xlsx")
    (root / "shops.csv").write_bytes(("网址,名称\n" + "".join(f"{fixture_server.url(n)},{n}\n" for n in EXPECTED))
                                     .encode("gbk"))
    proc = cli("batch", root / "shops.csv", "--out", root / "out", "--icp-registry", root / "备案记录.xlsx",
               "--browser", "never", "--no-progress", "--json", timeout=600)
    assert "Traceback" not in proc.stderr
    return root / "out", json.loads(proc.stdout)


def test_each_outcome_in_the_batch_summary(batch_run):
    out, result = batch_run
    by_label = {r["label"]: r for r in result["summary"]["shops"]}
    assert {name: by_label[name]["icp_registry"] for name in EXPECTED} == EXPECTED
    csv_text = (out / "summary.csv").read_text("utf-8-sig")
    assert "number_mismatch" in csv_text and "no_record" in csv_text
    sheet = openpyxl.load_workbook(out / "summary.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("备案核对")
    shown = {r[0]: r[column] for r in rows[1:]}
    assert shown == {"compliant_platform": "与备案一致", "dujiaoka_hyper_careful": "备案号不符",
                     "acgfaka_cartoon_careful": "主办单位不符", "careful_personal": "个人备案却在经营",
                     "kamifaka_careful": "无备案记录"}


def test_each_outcome_in_the_shop_report(batch_run):
    out, result = batch_run
    for row in result["summary"]["shops"]:
        outcome = EXPECTED[row["label"]]
        report = json.loads((out / row["id"] / "report.json").read_text("utf-8"))
        checks = {c["id"]: c for c in report["checks"] if c["id"].startswith("icp.registry_")}
        assert len(checks) == 4
        failing = {cid for cid, c in checks.items() if c["status"] == "fail"}
        assert failing == ({FAILING_CHECK[outcome]} if outcome != "match" else set()), (row["label"], checks)
        for cid in failing:
            assert checks[cid]["evidence"] and checks[cid]["flag"] in report["risk"]["flags"]
        html = (out / row["id"] / "report.html").read_text("utf-8")
        for cid in failing:
            assert checks[cid]["title"] in html
        assert report["findings"]["icp_registry"]["source"] == "备案记录.xlsx"


def test_scan_with_a_gbk_csv_export(fixture_server, tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(("\n".join(",".join(r) for r in [HEADER, *records(fixture_server)]) + "\n").encode("gbk"))
    proc = cli("scan", fixture_server.url("careful_personal"), "--out", tmp_path / "scan", "--icp-registry", path,
               "--browser", "never", "--json", timeout=300)
    report = json.loads(proc.stdout)["report"]
    status = {c["id"]: c["status"] for c in report["checks"]}
    assert status["icp.registry_personal"] == "fail" and "icp_personal_filing" in report["risk"]["flags"]
    assert status["icp.registry_number"] == "pass"


def test_unusable_registry_is_a_usage_error(tmp_path):
    path = tmp_path / "records.csv"
    path.write_text("名称,地址\n某某,北京\n", "utf-8")
    proc = cli("scan", "http://127.0.0.1:9/", "--out", tmp_path / "scan", "--icp-registry", path, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "--icp-registry records.csv: no header row" in proc.stderr
    assert not (tmp_path / "scan").exists()

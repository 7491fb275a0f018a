"""Batch files as offices keep them (issue 14 item 2): encodings, delimiters, headers in
Chinese or English, XLSX, TOML with per-shop options, bad lines with their numbers."""
from __future__ import annotations

import json

import pytest

from cardshop_auditor.batch import run_batch
from cardshop_auditor.batch_input import BatchFileError, looks_like_url, read_batch_file
from cardshop_auditor.options import AuditOptions

from batch_helpers import FakeAudit, cli

# A list as a county market-supervision office keeps it in Excel, saved as CSV on Chinese Windows.
OFFICE_LIST = ("序号,店铺名称,网址,备注\n"
               "1,星辰卡铺,https://xingchen-ka.example.cn/,群众投诉 2 次\n"
               "2,云端发卡网,yunduan-fk.example.com,\n"
               "3,鲸鱼数卡,http://jingyu.example.net/shop/,复查\n")


def _urls(batch):
    return [s.url for s in batch.shops]


def test_gbk_csv_saved_by_excel_on_chinese_windows(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_bytes(OFFICE_LIST.encode("gbk"))
    batch = read_batch_file(path)
    assert batch.encoding == "gb18030" and batch.format == "csv"
    assert _urls(batch) == ["https://xingchen-ka.example.cn/", "http://yunduan-fk.example.com/",
                            "http://jingyu.example.net/shop/"]
    assert [s.label for s in batch.shops] == ["星辰卡铺", "云端发卡网", "鲸鱼数卡"]
    assert [s.note for s in batch.shops] == ["群众投诉 2 次", "", "复查"]
    assert batch.problems == []


def test_utf8_csv_with_bom_and_an_english_header(tmp_path):
    path = tmp_path / "shops.csv"
    path.write_bytes("\ufeffURL;Label;Note\nhttps://a.example.cn/;Shop A;weekly\nb.example.cn;Shop B;\n"
                     .encode("utf-8"))
    batch = read_batch_file(path)
    assert batch.encoding == "utf-8-sig" and batch.header == ["url", "label", "note"]
    assert _urls(batch) == ["https://a.example.cn/", "http://b.example.cn/"]
    assert batch.shops[0].label == "Shop A" and batch.shops[0].note == "weekly"


def test_tsv_pasted_from_a_spreadsheet_keeps_header_and_labels_apart(tmp_path):
    """The header is not a shop, labels are not glued onto the URL."""
    path = tmp_path / "pasted.txt"
    path.write_text("店铺\t链接\t备注\n"
                    "秒发卡 官方店\thttps://miaofa.example.cn/\t退款难\n"
                    "优选卡盟\thttps://youxuan.example.cn/index.php\t\n", "utf-8")
    batch = read_batch_file(path)
    assert batch.format == "tsv"
    assert _urls(batch) == ["https://miaofa.example.cn/", "https://youxuan.example.cn/index.php"]
    assert [s.label for s in batch.shops] == ["秒发卡 官方店", "优选卡盟"]
    assert batch.shops[0].note == "退款难"


def test_url_list_with_labels_after_a_space_and_duplicates(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("# 本周名单\nhttps://a.example.cn/  一号店\nHTTPS://WWW.a.example.cn\n"
                    "http://a.example.cn:80/\nb.example.cn/shop/1\nb.example.cn/shop/2\n", "utf-8")
    batch = read_batch_file(path)
    assert _urls(batch) == ["https://a.example.cn/", "http://b.example.cn/shop/1", "http://b.example.cn/shop/2"]
    assert batch.shops[0].label == "一号店"
    assert [(p.line, p.kind) for p in batch.problems] == [(3, "duplicate"), (4, "duplicate")]
    assert "line 2" in str(batch.problems[0])


def test_lines_that_are_not_web_addresses_are_skipped_with_their_line(tmp_path):
    path = tmp_path / "shops.csv"
    path.write_text("网址,名称\nhttps://ok.example.cn/,好店\n一号店,坏行\nftp://files.example.cn/,坏行\n"
                    ",空网址\nhttps://ok2.example.cn/,好店二\n", "utf-8")
    batch = read_batch_file(path)
    assert _urls(batch) == ["https://ok.example.cn/", "https://ok2.example.cn/"]
    assert [p.line for p in batch.problems] == [3, 4, 5]
    assert "not a web address: '一号店'" in str(batch.problems[0])


@pytest.mark.parametrize("cell,ok", [("https://a.cn/", True), ("a.example.com/x?y=1", True), ("127.0.0.1:8080", True),
                                     ("店铺.中国", True), ("url", False), ("一号店", False), ("a b.cn", False),
                                     ("javascript:alert(1)", False), ("http://", False), ("1.5", False), ("12", False)])
def test_what_counts_as_a_web_address(cell, ok):
    assert looks_like_url(cell) is ok


def test_nothing_usable_is_a_usage_error_with_the_lines(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("名称,备注\n一号店,无网址\n二号店,无网址\n", "utf-8")
    with pytest.raises(BatchFileError, match="no usable web address.*line 2"):
        read_batch_file(path)
    result = cli("batch", path, "--out", tmp_path / "out", "--browser", "never", "--no-progress", timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no usable web address" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_old_xls_and_broken_xlsx_are_clear_errors(tmp_path):
    (tmp_path / "a.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(BatchFileError, match="save it as .xlsx"):
        read_batch_file(tmp_path / "a.xls")
    (tmp_path / "b.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(BatchFileError, match="not a readable XLSX"):
        read_batch_file(tmp_path / "b.xlsx")


def test_xlsx_with_a_chinese_header(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "待检平台"
    sheet.append(["平台名称", "网站网址", "备注"])
    sheet.append(["星辰卡铺", "https://xingchen-ka.example.cn/", "投诉"])
    sheet.append([None, None, None])
    sheet.append(["不是网址", "咨询电话 400-000", None])
    sheet.append(["海豚发卡", "haitun.example.com", None])
    book.save(tmp_path / "名单.xlsx")
    batch = read_batch_file(tmp_path / "名单.xlsx")
    assert batch.format == "xlsx"
    assert _urls(batch) == ["https://xingchen-ka.example.cn/", "http://haitun.example.com/"]
    assert [s.label for s in batch.shops] == ["星辰卡铺", "海豚发卡"]
    assert [p.line for p in batch.problems] == [4]          # the spreadsheet's own row number


TOML_BATCH = """
[defaults]
lang = "zh"
max_pages = 12

[[shop]]
url = "https://xingchen-ka.example.cn/"
label = "星辰卡铺"
username = "buyer01"
password_env = "H_TEST_SHOP_PW"
order_no = "20261207093015"
lang = "en"
max_pages = 5

[[shop]]
url = "https://yunduan-fk.example.com/"
note = "无需登录"
"""


def test_toml_batch_with_per_shop_options_and_credentials_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("H_TEST_SHOP_PW", "s3cret-from-env-7781")
    path = tmp_path / "batch.toml"
    path.write_text(TOML_BATCH, "utf-8")
    batch = read_batch_file(path)
    a, b = batch.shops
    assert (a.username, a.password, a.order_no, a.label) == ("buyer01", "s3cret-from-env-7781", "20261207093015", "星辰卡铺")
    assert a.credential_ref == {"username": "buyer01", "password_env": "H_TEST_SHOP_PW"}
    assert a.options == {"lang": "en", "max_pages": 5} and b.options == {"lang": "zh", "max_pages": 12}
    assert b.username is None and b.note == "无需登录"

    audit = _RecordingAudit()
    outcome = run_batch(batch.shops, tmp_path / "out", AuditOptions(), progress=False, audit=audit)
    assert sorted(audit.seen) == [("https://xingchen-ka.example.cn/", "en", 5, "20261207093015"),
                                  ("https://yunduan-fk.example.com/", "zh", 12, None)]
    assert outcome.missing == []
    for name in ("batch.json", "summary.json", "summary.csv", "batch.log"):
        assert "s3cret-from-env-7781" not in (tmp_path / "out" / name).read_text("utf-8")
    import openpyxl
    cells = [v for row in openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx").active.iter_rows(values_only=True)
             for v in row]
    assert "星辰卡铺" in cells and not any("s3cret-from-env-7781" in str(v) for v in cells)


def test_toml_refuses_plaintext_passwords_and_unknown_keys(tmp_path, monkeypatch):
    path = tmp_path / "b.toml"
    path.write_text('[[shop]]\nurl = "https://a.example.cn/"\nusername = "u"\npassword = "plain"\n', "utf-8")
    with pytest.raises(BatchFileError, match="plaintext password is not accepted"):
        read_batch_file(path)
    path.write_text('[[shop]]\nurl = "https://a.example.cn/"\nmax_pagez = 3\n', "utf-8")
    with pytest.raises(BatchFileError, match="shop 1: unknown key"):
        read_batch_file(path)
    monkeypatch.delenv("H_TEST_UNSET", raising=False)
    path.write_text('[[shop]]\nurl = "https://a.example.cn/"\nusername = "u"\npassword_env = "H_TEST_UNSET"\n', "utf-8")
    with pytest.raises(ValueError, match="shop 1"):
        read_batch_file(path)


class _RecordingAudit(FakeAudit):
    def __init__(self):
        super().__init__()
        self.seen: list[tuple] = []

    def __call__(self, targets, options, log=None, on_result=None):
        self.seen += [(t.url, options.lang, options.max_pages, t.order_no) for t in targets]
        return super().__call__(targets, options, log=log, on_result=on_result)


def test_cli_batch_warns_about_skipped_lines_and_goes_on(tmp_path):
    path = tmp_path / "shops.csv"
    path.write_bytes("网址,备注\nhttp://127.0.0.1:9/,关闭的端口\n一号店,坏行\n".encode("gbk"))
    result = cli("batch", path, "--out", tmp_path / "out", "--browser", "never", "--no-progress",
                 "--timeout", "2", "--json", timeout=300)
    assert "Traceback" not in result.stderr
    assert "line 3: not a web address: '一号店'; skipped" in result.stderr
    data = json.loads(result.stdout)                      # stdout holds the JSON document alone
    assert data["command"] == "batch" and data["exit_code"] == result.returncode == 3   # the shop is unreachable
    summary = data["summary"]
    assert summary["total"] == 1 and summary["shops"][0]["url"] == "http://127.0.0.1:9/"
    assert summary["shops"][0]["note"] == "关闭的端口" and summary["shops"][0]["status"] == "failed"
    assert set(data["files"]) >= {"summary.json", "summary.csv", "summary.xlsx", "index.html"}

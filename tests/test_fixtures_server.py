"""The fixture server and the fixture shops' data: every file served, encodings real,
labels complete and internally consistent, USCC labels checked by an independent
GB 32100-2015 computation written here (not imported from the product)."""
from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fixtures.server import SHOPS_DIR, FixtureServer, load_labels, shop_names

NAMES = shop_names()
# Shops tagged "diff" are paired versions of one shop for `cardshop-audit diff`: their truth
# lives in the diff tests, so their labels.json carries only name, tags and start_path.
LABELLED = [n for n in NAMES if "diff" not in load_labels(n).get("tags", [])]
HTML_EXTS = {".html", ".htm", ".asp", ".aspx", ".php", ".jsp"}
CONTENT_TYPES = {".html": "text/html", ".asp": "text/html", ".php": "text/html", ".css": "text/css",
                 ".js": "application/javascript", ".png": "image/png", ".gif": "image/gif",
                 ".jpg": "image/jpeg", ".json": "application/json", ".txt": "text/plain", ".svg": "image/svg+xml"}

CLAUSE_KINDS = {"refund_unactivated", "refund_activated_fee", "no_refund_used", "platform_fault",
                "special_goods_exclusion", "blanket_no_refund", "refund_channel", "refund_timeline",
                "evidence_required", "supplement_deadline", "complaint_channel", "agreement_change",
                "final_interpretation"}
HIGH_FLAGS = {"uscc_invalid", "icp_malformed", "template_default", "personal_payment", "anti_blocking",
              "blanket_no_refund"}
MEDIUM_FLAGS = {"no_icp", "no_psb_filing", "psb_inconsistent", "no_business_identity", "no_agreement",
                "no_refund_policy", "final_interpretation_claim", "refund_entry_hidden", "contact_qq_only",
                "no_contact", "refund_entry_missing"}
LOW_FLAGS = {"no_https", "identity_region_mismatch"}     # never move the labelled risk level alone
FLAGS = HIGH_FLAGS | MEDIUM_FLAGS | LOW_FLAGS
REQUIRED_KEYS = {"name", "description", "tags", "start_path", "icp", "icp_valid_format", "icp_license",
                 "psb_filing", "psb_region_code", "psb_consistent", "uscc", "uscc_valid", "company_name",
                 "agreement", "clause_kinds", "fee_percent", "contacts", "flags", "risk_level", "refund_entry"}
PSB_PROVINCE = {"京": "11", "津": "12", "冀": "13", "晋": "14", "蒙": "15", "辽": "21", "吉": "22", "黑": "23",
                "沪": "31", "苏": "32", "浙": "33", "皖": "34", "闽": "35", "赣": "36", "鲁": "37", "豫": "41",
                "鄂": "42", "湘": "43", "粤": "44", "桂": "45", "琼": "46", "渝": "50", "川": "51", "蜀": "51",
                "贵": "52", "黔": "52", "云": "53", "滇": "53", "藏": "54", "陕": "61", "甘": "62", "陇": "62",
                "青": "63", "宁": "64", "新": "65"}
ICP_RE = re.compile(r"^(京|津|冀|晋|蒙|辽|吉|黑|沪|苏|浙|皖|闽|赣|鲁|豫|鄂|湘|粤|桂|琼|渝|川|蜀|贵|黔|云|滇|藏|陕|甘|陇|青|宁|新)"
                    r"ICP备\d{6,10}号(-\d+)?$")

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# --------------------------------------------------------------------------- independent checks

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_is_valid(code: str) -> bool:
    """GB 32100-2015: 18 characters, weights 3^(i-1) mod 31, check = (31 - sum mod 31) mod 31."""
    if len(code) != 18 or any(c not in USCC_CHARS for c in code):
        return False
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(code[:17], weights))
    return USCC_CHARS[(31 - total % 31) % 31] == code[17]


def test_uscc_reference_values():
    assert uscc_is_valid("91440300708461136T")
    assert uscc_is_valid("91110000600037341L")
    assert not uscc_is_valid("91440300708461136A")


def risk_from_flags(flags: set[str]) -> str:
    """The labelling rule from the task brief."""
    if flags & HIGH_FLAGS or {"no_icp", "no_business_identity"} <= flags or len(flags & MEDIUM_FLAGS) >= 3:
        return "high"
    if flags & MEDIUM_FLAGS:
        return "medium"
    return "low"


def files_of(name: str) -> list[Path]:
    site = SHOPS_DIR / name / "site"
    return sorted(p for p in site.rglob("*") if p.is_file())


def shop_config(name: str) -> dict:
    path = SHOPS_DIR / name / "shop.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def fetch(url: str, data: bytes | None = None, opener=NO_PROXY):
    try:
        resp = opener.open(url, data=data, timeout=10)
        return resp.status, resp.headers, resp.read(), resp.url
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read(), url


@pytest.fixture(scope="module")
def server():
    with FixtureServer() as srv:
        yield srv


# --------------------------------------------------------------------------- the shops on disk

def test_there_are_enough_shops():
    assert NAMES == sorted(NAMES)
    assert len(shop_names(tag="static")) >= 12
    for tag in ("static", "gbk", "template", "login"):
        assert shop_names(tag=tag), f"no shop tagged {tag!r}"
    assert set(shop_names(tag="gbk")) <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_labels_parse(name):
    labels = load_labels(name)
    assert labels["name"] == name
    assert isinstance(labels["tags"], list) and labels["tags"]
    assert labels.get("start_path", "/").startswith("/")


@pytest.mark.parametrize("name", LABELLED)
def test_labels_complete_and_consistent(name):
    labels = load_labels(name)
    missing = REQUIRED_KEYS - set(labels)
    assert not missing, f"labels.json lacks {sorted(missing)}"
    assert labels["name"] == name
    assert labels["description"] and isinstance(labels["tags"], list)
    assert labels["start_path"].startswith("/")
    assert set(labels["clause_kinds"]) <= CLAUSE_KINDS, "unknown clause kind"
    assert len(set(labels["clause_kinds"])) == len(labels["clause_kinds"])
    flags = set(labels["flags"])
    assert flags <= FLAGS, f"unknown flags {sorted(flags - FLAGS)}"
    assert "no_https" not in flags, "no_https is ignored by the tests: keep it out of labels"
    assert labels["risk_level"] == risk_from_flags(flags)

    if labels["icp"] is None:
        assert labels["icp_valid_format"] is None
    else:
        assert not re.search(r"\s|[０-９ＩＣＰ－]", labels["icp"]), "ICP label must be normalised"
        assert bool(ICP_RE.match(labels["icp"])) or labels["icp_valid_format"] is False
    assert ("no_icp" in flags) == (labels["icp"] is None)
    assert ("icp_malformed" in flags) == (labels["icp_valid_format"] is False)

    psb = labels["psb_filing"]
    if psb is None:
        assert labels["psb_region_code"] is None and labels["psb_consistent"] is None
    else:
        m = re.fullmatch(r"(.)公网安备(\d{14})号", psb)
        assert m, "公安备案 label must be normalised"
        assert labels["psb_region_code"] == m.group(2)[:6]
        assert labels["psb_consistent"] == (PSB_PROVINCE[m.group(1)] == m.group(2)[:2])
    assert ("no_psb_filing" in flags) == (psb is None)
    assert ("psb_inconsistent" in flags) == (labels["psb_consistent"] is False)

    if labels["uscc"] is None:
        assert labels["uscc_valid"] is None
    assert ("no_business_identity" in flags) == (labels["uscc"] is None and labels["company_name"] is None)

    kinds = set(labels["clause_kinds"])
    assert (labels["fee_percent"] is not None) == ("refund_activated_fee" in kinds)
    if not labels["agreement"]:
        assert not kinds
    assert ("no_agreement" in flags) == (not labels["agreement"])
    assert ("no_refund_policy" in flags) == (not kinds - {"agreement_change", "final_interpretation"})
    assert ("blanket_no_refund" in flags) == ("blanket_no_refund" in kinds)
    assert ("final_interpretation_claim" in flags) == ("final_interpretation" in kinds)

    contacts = labels["contacts"]
    assert {"phones", "emails", "qq", "wechat", "address"} <= set(contacts)
    anything = contacts["phones"] or contacts["emails"] or contacts["qq"] or contacts["wechat"] or contacts["address"]
    assert ("no_contact" in flags) == (not anything)
    only_qq = contacts["qq"] and not (contacts["phones"] or contacts["emails"] or contacts["wechat"])
    assert ("contact_qq_only" in flags) == bool(only_qq)

    entry = labels["refund_entry"]
    assert {"found", "clicks", "requires_login"} <= set(entry)
    if entry["found"]:
        assert isinstance(entry["clicks"], int) and entry["clicks"] >= 1
        if "steps" in entry:
            assert len(entry["steps"]) == entry["clicks"]
    else:
        assert entry["clicks"] is None
    hidden = entry["found"] and (entry["clicks"] > 3 or entry.get("in_overflow_menu", False))
    assert ("refund_entry_hidden" in flags) == bool(hidden)
    assert ("refund_entry_missing" in flags) == (not entry["found"] and not entry["requires_login"])
    if "credentials" in labels:
        assert labels["credentials"]["username"] and labels["credentials"]["password"]


@pytest.mark.parametrize("name", [n for n in LABELLED if load_labels(n)["uscc"]])
def test_uscc_label_agrees_with_check_digit(name):
    labels = load_labels(name)
    assert labels["uscc_valid"] == uscc_is_valid(labels["uscc"]), labels["uscc"]


@pytest.mark.parametrize("name", LABELLED)
def test_labelled_numbers_appear_on_the_site(name):
    """What a label claims (after normalisation) is really written somewhere in the shop."""
    labels = load_labels(name)
    text = "".join(p.read_text(encoding="utf-8") for p in files_of(name) if p.suffix in HTML_EXTS)
    handler = SHOPS_DIR / name / "handler.py"
    if handler.is_file():
        text += handler.read_text(encoding="utf-8")
    for data in sorted((SHOPS_DIR / name / "templates").glob("*.json")):   # what a handler's API serves
        text += json.loads(data.read_text(encoding="utf-8")).__repr__() + data.read_text(encoding="utf-8")
    flat = re.sub(r"\s|&nbsp;", "", text.translate(str.maketrans("０１２３４５６７８９ＩＣＰ－", "0123456789ICP-")))
    for key in ("icp", "icp_license", "psb_filing", "uscc", "company_name"):
        if labels[key]:
            # a filing number written without its final 号 is labelled normalised, with it
            written = labels[key][:-1] if key == "icp" and labels[key].endswith("号") and labels[key] not in flat \
                else labels[key]
            assert written in flat, f"{key} {labels[key]!r} not found in the pages"
    for value in labels["contacts"]["emails"] + labels["contacts"]["qq"] + labels["contacts"]["wechat"]:
        assert value in flat or value in re.sub(r"-", "", flat)
    digits = re.sub(r"\D", "", flat)
    for phone in labels["contacts"]["phones"]:
        assert re.sub(r"\D", "", phone) in digits


@pytest.mark.parametrize("name", NAMES)
def test_pages_are_reasonably_sized(name):
    for path in files_of(name):
        if path.suffix in HTML_EXTS:
            size = len(path.read_bytes())
            assert 1_000 <= size <= 30_000, f"{path.relative_to(SHOPS_DIR)}: {size} bytes"


# --------------------------------------------------------------------------- serving

def test_start_is_quick_and_ports_are_distinct():
    servers = [FixtureServer() for _ in range(3)]            # ~3 × every shop
    t0 = time.perf_counter()
    for srv in servers:
        srv.start()
    elapsed = time.perf_counter() - t0
    try:
        ports = [srv.port(n) for srv in servers for n in srv.names]
        assert len(set(ports)) == len(ports)
        assert elapsed < 1.5, f"starting {len(ports)} shops took {elapsed:.2f}s"
    finally:
        t1 = time.perf_counter()
        for srv in servers:
            srv.stop()
        assert time.perf_counter() - t1 < 3


def test_url_shape(server):
    for name in server.names:
        url = server.url(name)
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/.*", url)
        assert url.endswith(load_labels(name).get("start_path", "/"))


@pytest.mark.parametrize("name", NAMES)
def test_start_url_and_every_file_served(server, name):
    status, headers, body, final = fetch(server.url(name))
    assert status == 200, f"start URL answered {status}"
    assert headers.get_content_type() == "text/html"
    encoding = shop_config(name).get("encoding", "utf-8")
    base = server.base_url(name).rstrip("/")
    for path in files_of(name):
        rel = "/" + path.relative_to(SHOPS_DIR / name / "site").as_posix()
        status, headers, body, _ = fetch(base + urllib.parse.quote(rel))
        assert status == 200, f"{rel}: {status}"
        expected_type = CONTENT_TYPES.get(path.suffix)
        if expected_type:
            assert headers.get_content_type() == expected_type, rel
        if path.suffix in HTML_EXTS | {".css", ".js", ".txt", ".json"}:
            expected = path.read_text(encoding="utf-8").encode(encoding)
            # a shop's handler may fill a template in; plain static files come back byte for byte
            assert body == expected or (SHOPS_DIR / name / "handler.py").is_file(), rel
        else:
            assert body == path.read_bytes(), rel


@pytest.mark.parametrize("name", shop_names(tag="gbk"))
def test_gbk_shop_bytes_are_really_gbk(server, name):
    config = shop_config(name)
    assert config["encoding"] == "gbk"
    base = server.base_url(name).rstrip("/")
    charsets = set()
    for path in files_of(name):
        if path.suffix not in HTML_EXTS:
            continue
        rel = "/" + path.relative_to(SHOPS_DIR / name / "site").as_posix()
        status, headers, body, _ = fetch(base + rel)
        assert status == 200
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        text = body.decode("gbk")
        assert re.search(r"[\u4e00-\u9fff]{20}", text) or len(re.findall(r"[\u4e00-\u9fff]", text)) > 200
        header_charset = headers.get_content_charset()
        page = (config.get("pages") or {}).get(rel, {})
        assert header_charset == page.get("header_charset", config.get("header_charset", "gbk")), rel
        has_meta = bool(re.search(r"<meta[^>]+charset", text, re.I))
        charsets.add((header_charset, has_meta))
    assert (None, True) in charsets, "a page with the charset only in <meta>"
    assert ("gbk", False) in charsets, "a page with the charset only in the header"
    assert (None, False) in charsets, "a page with no charset at all (detection needed)"
    assert any(h not in (None, "gbk", "gb2312", "gb18030") for h, _ in charsets), "a page with a wrong header"


def test_gbk_only_characters_under_a_gb2312_meta(server):
    """The classic trap: <meta charset=gb2312> over text that needs GBK."""
    status, _, body, _ = fetch(server.url("gbk_legacy_kameng"))
    assert b"charset=gb2312" in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    assert "王喆" in body.decode("gbk")


def test_404_is_a_chinese_page(server):
    status, headers, body, _ = fetch(server.base_url("compliant_platform") + "no/such/page")
    assert status == 404
    assert headers.get_content_type() == "text/html"
    assert "页面不存在" in body.decode("utf-8")


def test_path_resolution(server):
    cases = [("compliant_platform", "agreement", "agreement.html"),
             ("compliant_platform", "goods/", "goods/index.html"),
             ("compliant_platform", "goods", "goods/index.html"),
             ("dujiaoka_default", "buy/1", "buy/1.html"),
             ("helpcenter_agreement", "help/tuikuan", "help/tuikuan.html"),
             ("gbk_legacy_kameng", "xieyi.asp", "xieyi.asp")]
    for name, url_path, rel in cases:
        status, _, body, _ = fetch(server.base_url(name) + url_path + "?utm_source=test")
        assert status == 200, url_path
        encoding = shop_config(name).get("encoding", "utf-8")
        assert body == (SHOPS_DIR / name / "site" / rel).read_text(encoding="utf-8").encode(encoding)


def test_no_path_traversal(server):
    host, port = "127.0.0.1", server.port("compliant_platform")
    for raw in ("/../labels.json", "/%2e%2e/labels.json", "/..%2flabels.json", "/static/../../handler.py"):
        conn = http.client.HTTPConnection(host, port, timeout=5)
        conn.request("GET", raw)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        assert resp.status == 404, raw
        assert b"refund_entry" not in body and b"def handle" not in body


def test_robots_redirects_and_headers(server):
    status, headers, body, _ = fetch(server.base_url("gbk_legacy_kameng") + "robots.txt")
    assert status == 200 and b"Disallow: /admin/" in body
    assert headers["Server"] == "Microsoft-IIS/6.0"
    assert fetch(server.base_url("fake_uscc") + "robots.txt")[0] == 404

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)
    status, headers, _, _ = fetch(server.url("hidden_refund_menu"), opener=opener)
    assert status == 302 and headers["Location"] == "/"
    status, headers, _, _ = fetch(server.base_url("gbk_legacy_kameng") + "index.asp", opener=opener)
    assert status == 301 and headers["Location"] == "/"


def test_post_to_a_static_page_is_refused(server):
    status, _, _, _ = fetch(server.base_url("fake_uscc") + "terms", data=b"a=1")
    assert status == 405


def test_handler_login_session(server):
    import http.cookiejar
    base = server.base_url("compliant_platform")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar))
    status, _, body, final = fetch(base + "user/orders", opener=opener)
    assert status == 200 and "/login" in final and "用户登录" in body.decode()

    bad = urllib.parse.urlencode({"username": "demo", "password": "wrong"}).encode()
    status, _, body, _ = fetch(base + "login", data=bad, opener=opener)
    assert "用户名或密码错误" in body.decode()

    creds = load_labels("compliant_platform")["credentials"]
    good = urllib.parse.urlencode({**creds, "next": "/user"}).encode()
    status, _, body, final = fetch(base + "login", data=good, opener=opener)
    assert status == 200 and final.endswith("/user") and "账户概览" in body.decode()
    _, _, body, _ = fetch(base + "user/orders", opener=opener)
    sn = re.search(r'href="/user/order/(\w+)"', body.decode()).group(1)
    _, _, body, _ = fetch(base + f"user/order/{sn}", opener=opener)
    assert "申请售后" in body.decode()
    fetch(base + "logout", opener=opener)
    _, _, _, final = fetch(base + "user", opener=opener)
    assert "/login" in final


def test_public_aftersale_form_posts(server):
    for name, field in (("refund_entry_public", "order_no"), ("careful_personal", "order_no")):
        data = urllib.parse.urlencode({field: "JK202503121530221", "email": "a@example.com"}).encode()
        status, _, body, _ = fetch(server.base_url(name) + "aftersale", data=data)
        assert status == 200 and "JK202503121530221" in body.decode()


def test_concurrent_requests(server):
    urls = [server.url(n) for n in server.names] * 4
    errors: list[str] = []

    def get(url: str) -> None:
        try:
            status = fetch(url)[0]
            if status != 200:
                errors.append(f"{url}: {status}")
        except Exception as exc:  # noqa: BLE001 - collect, then fail once
            errors.append(f"{url}: {exc!r}")
    threads = [threading.Thread(target=get, args=(u,)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.links.append(value)


@pytest.mark.parametrize("name", NAMES)
def test_internal_links_resolve(server, name):
    labels = load_labels(name)
    skip = tuple(labels.get("destructive_paths") or ())
    encoding = shop_config(name).get("encoding", "utf-8")
    base = server.base_url(name)
    broken = []
    for path in files_of(name):
        if path.suffix not in HTML_EXTS:
            continue
        page_url = base.rstrip("/") + "/" + path.relative_to(SHOPS_DIR / name / "site").as_posix()
        parser = _Links()
        parser.feed(fetch(page_url)[2].decode(encoding))
        for link in parser.links:
            url = urllib.parse.urljoin(page_url, link)
            if not url.startswith(base) or (skip and urllib.parse.urlsplit(url).path.startswith(skip)):
                continue
            if fetch(url.split("#")[0])[0] >= 400:
                broken.append(f"{path.name} → {link}")
    assert not broken, broken


def test_command_line_lists_urls():
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen([sys.executable, "-m", "fixtures.server", "compliant_platform", "fake_uscc"],
                            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline().strip() for _ in range(2)]
        assert [line.split()[0] for line in lines] == ["compliant_platform", "fake_uscc"]
        for line in lines:
            url = line.split()[1]
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url)
            assert fetch(url)[0] == 200
    finally:
        proc.terminate()
        proc.wait(10)

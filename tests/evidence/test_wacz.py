"""The scan as WACZ (spec 1.1.1): the package's structure and hashes, and a replay in pywb
(started here on a loopback port, from its own virtualenv: `make install` builds
.venv-pywb, since pywb pins libraries the auditor needs newer) of a page the report quotes,
looked up through the package's own CDXJ index."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from cardshop_auditor.evidence.wacz import surt
from cardshop_auditor.evidence.warc import WarcArchive, warc_path

ROOT = Path(__file__).resolve().parents[2]


def pywb_bin(name: str) -> Path:
    found = Path(os.environ.get("CARDSHOP_PYWB_VENV", ROOT / ".venv-pywb")) / "bin" / name
    if not found.exists():
        pytest.fail(f"pywb is missing ({found}): run `make install` (it builds .venv-pywb)", pytrace=False)
    return found


@pytest.fixture(scope="module")
def package(static_scan):
    result = static_scan["gbk_legacy_kameng"]
    path = result.paths["wacz"]
    assert path == result.target.out_dir / "scan.wacz"
    return result, zipfile.ZipFile(path)


def test_package_follows_the_spec(package):
    result, wacz = package
    names = set(wacz.namelist())
    assert names == {"archive/scan.warc.gz", "indexes/index.cdxj", "pages/pages.jsonl",
                     "datapackage.json", "datapackage-digest.json"}
    assert all(info.compress_type == zipfile.ZIP_STORED for info in wacz.infolist())
    data = json.loads(wacz.read("datapackage.json"))
    assert data["profile"] == "data-package" and data["wacz_version"] == "1.1.1"
    assert {r["path"] for r in data["resources"]} == names - {"datapackage.json", "datapackage-digest.json"}
    for resource in data["resources"]:
        body = wacz.read(resource["path"])
        assert resource["hash"] == "sha256:" + hashlib.sha256(body).hexdigest()
        assert resource["bytes"] == len(body)
    digest = json.loads(wacz.read("datapackage-digest.json"))
    assert digest == {"path": "datapackage.json",
                      "hash": "sha256:" + hashlib.sha256(wacz.read("datapackage.json")).hexdigest()}
    assert wacz.read("archive/scan.warc.gz") == warc_path(result.target.out_dir).read_bytes()
    pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").decode().splitlines()]
    assert pages[0] == {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
    assert pages[1]["url"] == result.report["final_url"] == data["mainPageUrl"]
    cited = {p["warc"]["target_uri"] for p in result.report["pages"] if p.get("warc")}
    assert {p["url"] for p in pages[1:]} == cited


def test_index_points_at_the_records(package):
    result, wacz = package
    archive = WarcArchive(warc_path(result.target.out_dir))
    lines = wacz.read("indexes/index.cdxj").decode().splitlines()
    assert lines == sorted(lines)
    warc = wacz.read("archive/scan.warc.gz")
    for line in lines:
        key, stamp, fields = line.split(" ", 2)
        fields = json.loads(fields)
        record = archive.by_id(fields["recordId"])
        assert record.type == "response" and record.probe is None     # no 防红 probe replays as the page
        assert key == surt(fields["url"]) and int(fields["offset"]) == record.offset
        assert warc[int(fields["offset"]):][:2] == b"\x1f\x8b" and int(fields["length"]) == record.length


def test_surt_keys_match_pywb():
    urls = ["http://127.0.0.1:8080/", "http://127.0.0.1:8080/Path/A.html?b=2&a=1#x",
            "https://www.Example.COM/index.asp?id=3", "http://shop.example.cn:81/xieyi.asp",
            "https://kameng.example.com:443/user/order.asp?sn=X1&page=2", "http://例子.中国/a b"]
    code = "import json,sys\nfrom pywb.utils.canonicalize import canonicalize\n" \
           "print(json.dumps([canonicalize(u) for u in json.loads(sys.argv[1])]))"
    out = subprocess.run([str(pywb_bin("python")), "-c", code, json.dumps(urls)],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert [surt(u) for u in urls] == json.loads(out)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(port: int, proc: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"pywb exited: {proc.stderr.read()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("pywb did not start listening")


def test_pywb_replays_a_quoted_page_from_the_package(package, tmp_path):
    result, wacz = package
    collection = tmp_path / "collections" / "scan"
    (collection / "archive").mkdir(parents=True)
    (collection / "indexes").mkdir()
    (collection / "archive" / "scan.warc.gz").write_bytes(wacz.read("archive/scan.warc.gz"))
    (collection / "indexes" / "index.cdxj").write_bytes(wacz.read("indexes/index.cdxj"))
    icp = result.report["findings"]["icp"]
    url = icp["warc"]["target_uri"]
    stamp = next(json.loads(line)["ts"] for line in wacz.read("pages/pages.jsonl").decode().splitlines()[1:]
                 if json.loads(line)["url"] == url)
    port = _free_port()
    proc = subprocess.Popen([str(pywb_bin("wayback")), "-p", str(port), "-b", "127.0.0.1", "-t", "2",
                             "-d", str(tmp_path)], cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": ""})
    try:
        _wait_listening(port, proc)
        ts = "".join(ch for ch in stamp if ch.isdigit())[:14]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/scan/{ts}id_/{url}", timeout=30) as resp:
            body = resp.read()
            assert resp.status == 200
        page = next(p for p in result.report["pages"] if p.get("warc", {}).get("target_uri") == url)
        assert hashlib.sha256(body).hexdigest() == page["sha256"]     # the GBK bytes as served
        assert icp["number"] in body.decode("gb18030")
        # the replay a person sees (mp_: the page inside pywb's frame, links rewritten)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/scan/{ts}mp_/{url}", timeout=30) as resp:
            shown = resp.read()
            charset = resp.headers.get_content_charset() or "gb18030"
        assert icp["number"] in shown.decode(charset, "replace")
        assert f"/scan/{ts}mp_/".encode() in shown or b"wombat" in shown
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

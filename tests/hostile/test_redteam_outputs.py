"""Red-team attacks on where the auditor writes (static scans, no browser): an --out that is
a symlink to somebody's non-empty directory, a previous scan whose evidence/ and artifacts/
were replaced by symlinks to a sensitive directory, a 250-character host name, a host name
with bidi overrides, and the modes of what is written."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from redteam_net import RedShop, page

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shop():
    pages = {"/": lambda r: page("青松卡铺 - 自动发卡", '<p>优酷会员 月卡 ¥15.00</p><a href="/agreement.html">用户协议</a>'),
             "/agreement.html": lambda r: page("用户协议", "<p>卡密发出后不退不换。</p>")}
    with RedShop(pages) as server:
        yield server


def cli(cwd: Path, *args: str, rules: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    env.pop("CARDSHOP_SHARED_OUTPUT", None)
    if rules:
        env["CARDSHOP_HOST_RESOLVER_RULES"] = rules
    return subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", *args, "--browser", "never", "--timeout", "3",
                           "--time-budget", "10"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def sensitive(tmp_path: Path) -> tuple[Path, dict]:
    d = tmp_path / "sensitive"
    (d / "deep").mkdir(parents=True)
    files = {d / "id_ed25519": b"-----BEGIN OPENSSH PRIVATE KEY-----\n", d / "deep" / "notes.txt": "对账记录".encode()}
    for path, data in files.items():
        path.write_bytes(data)
    return d, files


def unchanged(files: dict) -> bool:
    return all(p.exists() and p.read_bytes() == data for p, data in files.items())


def test_out_symlinked_to_a_non_empty_directory_is_refused(shop, tmp_path):
    target, files = sensitive(tmp_path)
    (tmp_path / "out").symlink_to(target)
    run = cli(tmp_path, "scan", shop.url("/"), "--out", "out")
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr[-1500:]
    assert unchanged(files) and sorted(p.name for p in target.iterdir()) == ["deep", "id_ed25519"]


def test_a_previous_scan_with_symlinked_evidence_does_not_reach_through(shop, tmp_path):
    target, files = sensitive(tmp_path)
    first = cli(tmp_path, "scan", shop.url("/"), "--out", "prev")
    assert first.returncode in (0, 1), first.stderr[-1500:]
    for name in ("evidence", "artifacts"):
        path = tmp_path / "prev" / name
        if path.exists():
            for child in path.iterdir():
                child.unlink()
            path.rmdir()
        path.symlink_to(target)
    again = cli(tmp_path, "scan", shop.url("/"), "--out", "prev")
    assert "Traceback" not in again.stderr, again.stderr[-1500:]
    assert unchanged(files) and sorted(p.name for p in target.iterdir()) == ["deep", "id_ed25519"]


def test_outputs_are_owner_only_and_long_host_names_are_bounded(shop, tmp_path):
    host = ".".join(["fa" + "k" * 58] * 4) + ".cn"            # 247 characters, valid labels
    run = cli(tmp_path, "scan", f"http://{host}:{shop.port}/", rules=f"MAP {host} 127.0.0.1")
    assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stderr[-1500:]
    (out,) = [p for p in tmp_path.iterdir() if p.name.startswith("audit-")]
    assert len(out.name.encode()) <= 120, out.name
    written = [p for p in out.rglob("*")]
    assert any(p.name == "report.json" for p in written)
    for path in [out, *written]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))


def test_a_host_name_with_bidi_overrides_is_refused_in_one_plain_line(shop, tmp_path):
    host = "shop\u202egnp.exe\u202c.cn"            # reads as "shopexe.png.cn"
    run = cli(tmp_path, "scan", f"http://{host}:{shop.port}/", rules=f"MAP {host} 127.0.0.1")
    assert run.returncode == 2, (run.returncode, run.stderr[-1500:])
    assert "\u202e" not in run.stderr + run.stdout and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("audit-")]


def test_bidi_controls_in_shop_text_never_reach_the_pages(tmp_path):
    """A shop whose title and rules carry U+202E / U+2067: report.html and the batch page print
    its text without them (they would reorder the report's own sentences around them)."""
    rlo = "\u202e"
    pages = {"/": lambda r: page(f"退款无忧{rlo}卡铺", f'<p>会员 月卡 ¥12.00</p><a href="/agreement.html">用户协议{rlo}</a>'),
             "/agreement.html": lambda r: page(f"用户协议\u2067", f"<p>虚拟商品{rlo}一经售出概不退款。</p>")}
    with RedShop(pages) as bidi_shop:
        (tmp_path / "shops.csv").write_text(f"url,label\n{bidi_shop.url('/')},退款{rlo}无忧\n", "utf-8")
        run = cli(tmp_path, "batch", "shops.csv", "--out", "out", "--no-progress")
    assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stderr[-1500:]
    pages_written = list((tmp_path / "out").rglob("*.html"))
    assert len(pages_written) >= 2, pages_written          # the shop's report and the batch page
    for path in pages_written:
        text = path.read_text("utf-8")
        assert not any(ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), path

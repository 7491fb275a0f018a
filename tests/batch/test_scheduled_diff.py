"""Scheduled re-scans: two successive `batch --db` runs over the same URLs, where one shop
changed between them (fixture changing_shop_v1, then changing_shop_v2 at the same URL).
The second run's diff names exactly the four changes (ICP removed, fee clause turned into
概不退款, refund entry one click deeper, company renamed) plus the score and flag changes
that follow from them, and nothing else, in diff.json and diff.html; alerting works."""
from __future__ import annotations

import json
import re

import pytest

from batch_helpers import Webhook, cli, free_port
from fixtures.server import FixtureServer, load_labels

pytestmark = pytest.mark.slow
STEADY = "refund_entry_public"          # a shop that does not change between the runs


def _batch(urls, out, db, *extra):
    return cli("batch", urls, "--out", out, "--db", db, "--browser", "never", "--concurrency", "2",
               "--no-progress", *extra)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scheduled")
    db = f"sqlite:///{tmp / 'history.db'}"
    ports = {"shop": free_port(), STEADY: free_port()}
    urls = tmp / "urls.txt"
    urls.write_text(f"http://127.0.0.1:{ports['shop']}/\nhttp://127.0.0.1:{ports[STEADY]}/\n", "utf-8")
    with FixtureServer(["changing_shop_v1", STEADY], ports={"changing_shop_v1": ports["shop"],
                                                            STEADY: ports[STEADY]}):
        first = _batch(urls, tmp / "week1", db)
    with Webhook() as hook, FixtureServer(["changing_shop_v2", STEADY],
                                          ports={"changing_shop_v2": ports["shop"], STEADY: ports[STEADY]}):
        second = _batch(urls, tmp / "week2", db, "--fail-on-change", "--webhook", hook.url)
    return {"tmp": tmp, "db": db, "first": first, "second": second, "hook": hook.received,
            "shop_url": f"http://127.0.0.1:{ports['shop']}/", "steady_url": f"http://127.0.0.1:{ports[STEADY]}/"}


def _shop_dir(out, url):
    rows = json.loads((out / "summary.json").read_text("utf-8"))["shops"]
    (row,) = [r for r in rows if r["url"] == url]
    return out / row["id"], row


def _matches(expected: dict, got: dict) -> bool:
    return all(got.get(k) == v for k, v in expected.items())


def test_first_run_has_nothing_to_compare(runs):
    assert runs["first"].returncode == 0, runs["first"].stderr
    shop_dir, row = _shop_dir(runs["tmp"] / "week1", runs["shop_url"])
    assert row["changes"] is None and not (shop_dir / "diff.json").exists()


def test_second_run_names_exactly_the_changes(runs):
    second = runs["second"]
    assert second.returncode == 1, second.stderr            # --fail-on-change
    shop_dir, row = _shop_dir(runs["tmp"] / "week2", runs["shop_url"])
    diff = json.loads((shop_dir / "diff.json").read_text("utf-8"))
    expected = load_labels("changing_shop_v2")["expected_changes"]
    got = diff["changes"]
    assert len(got) == len(expected), json.dumps(got, ensure_ascii=False, indent=1)
    for want, have in zip(expected, got):
        assert _matches(want, have), (want, have)
    clause = got[2]
    assert "10%" in clause["old"] and "概不退款" in clause["new"]
    assert got[4]["new"] < got[4]["old"] and got[4]["delta"] == got[4]["new"] - got[4]["old"]
    assert diff["schema_version"] == 1 and diff["old"]["scan_id"] and diff["new"]["scan_id"]
    assert row["changes"] == len(expected)
    assert "1 shop(s) changed" in second.stderr


def test_the_unchanged_shop_has_an_empty_diff(runs):
    shop_dir, row = _shop_dir(runs["tmp"] / "week2", runs["steady_url"])
    assert json.loads((shop_dir / "diff.json").read_text("utf-8"))["changes"] == []
    assert row["changes"] == 0


def test_diff_html_shows_the_changes_side_by_side(runs):
    shop_dir, _ = _shop_dir(runs["tmp"] / "week2", runs["shop_url"])
    html = (shop_dir / "diff.html").read_text("utf-8")
    for text in ("粤ICP备2021088316号-1", "广州速充网络科技有限公司", "广州速充信息技术有限公司", "概不退款",
                 "10%", "更深了"):
        assert text in html, text
    assert re.search(r"<del>[^<]*10%", html) and re.search(r"<ins>[^<]*概", html)
    assert "script-src &#39;none&#39;" in html or "script-src 'none'" in html
    index = (runs["tmp"] / "week2" / "index.html").read_text("utf-8")
    assert f'href="{shop_dir.name}/diff.html"' in index


def test_webhook_got_the_diff(runs):
    (post,) = runs["hook"]
    assert post["type"].startswith("application/json")
    (changed,) = post["json"]["changed"]
    assert changed["url"] == runs["shop_url"]
    assert [c["field"] for c in changed["diff"]["changes"]][:4] == ["icp", "business", "clause", "refund_entry"]


def test_history_and_diff_by_scan_id(runs, tmp_path):
    hist = cli("history", runs["shop_url"], "--db", runs["db"], "--json")
    assert hist.returncode == 0, hist.stderr
    scans = json.loads(hist.stdout)
    assert [s["changes"] for s in scans] == [7, None]
    assert scans[0]["flags"] and "no_icp" in scans[0]["flags"] and scans[0]["risk"] == "high"
    table = cli("history", runs["shop_url"], "--db", runs["db"])
    assert "first" in table.stdout and re.search(r"\s7\s", table.stdout)
    new, old = scans[0]["scan_id"], scans[1]["scan_id"]
    out = cli("diff", old, new, "--db", runs["db"], "--out", tmp_path, "--fail-on-change")
    assert out.returncode == 1, out.stderr
    assert len(json.loads((tmp_path / "diff.json").read_text("utf-8"))["changes"]) == 7
    same = cli("diff", new, new, "--db", runs["db"], "--out", tmp_path / "same", "--fail-on-change")
    assert same.returncode == 0
    assert json.loads((tmp_path / "same" / "diff.json").read_text("utf-8"))["changes"] == []


def test_scan_with_db_prints_the_change_summary(runs, tmp_path):
    """`scan --db` diffs against the previous scan of the host, like batch."""
    db = f"sqlite:///{tmp_path / 'h.db'}"
    port = free_port()
    with FixtureServer(["changing_shop_v1"], ports={"changing_shop_v1": port}):
        one = cli("scan", f"http://127.0.0.1:{port}/", "--out", tmp_path / "v1", "--db", db, "--browser", "never")
    with FixtureServer(["changing_shop_v2"], ports={"changing_shop_v2": port}):
        two = cli("scan", f"http://127.0.0.1:{port}/", "--out", tmp_path / "v2", "--db", db, "--browser", "never")
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    assert "first scan of" in one.stderr
    assert "7 change(s) since scan #1" in two.stderr and "icp removed" in two.stderr
    assert (tmp_path / "v2" / "diff.json").exists() and (tmp_path / "v2" / "diff.html").exists()

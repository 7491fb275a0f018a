"""A small load test of `serve` (the full one with 50 clients is `python -m bench web`):
12 clients submit at the same moment against 2 scan slots and a waiting line of 6, then
poll.  Every submission is answered (accepted with its place, or busy with the line's
length), every accepted scan ends with a stored result: none is lost."""
from __future__ import annotations

import threading

from tests.web.webapp import WebServer

SHOPS = ["refund_table", "fake_uscc", "placeholder_icp", "final_interp_only"]


def test_many_clients_at_once(tmp_path, fixture_server):
    with WebServer(tmp_path, slots=2, max_waiting=6) as web:
        go = threading.Event()
        answers: list[tuple[int, dict]] = [None] * 12      # type: ignore[list-item]

        def client(i: int) -> None:
            go.wait()
            answers[i] = web.call("POST", "/api/scans",
                                  {"url": fixture_server.url(SHOPS[i % len(SHOPS)]), "force": True})
        threads = [threading.Thread(target=client, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        go.set()
        for t in threads:
            t.join(120)
        assert all(a is not None for a in answers), "a submission got no answer"
        accepted = [body for status, body in answers if status == 202]
        busy = [body for status, body in answers if status == 503]
        assert len(accepted) + len(busy) == 12
        assert all(b["error"] == "busy" and "6 个在等待" in b["message"] for b in busy)
        assert 6 <= len(accepted) <= 8 and len(busy) >= 4          # 2 slots + 6 waiting at most
        assert all(0 <= body["position"] <= 6 for body in accepted)
        for body in accepted:
            assert web.wait_done(body["id"], timeout=600)["state"] == "done"
            status, result = web.call("GET", f"/api/scans/{body['id']}/result")
            assert status == 200 and result["report"]["schema_version"] == 1
        assert web.call("GET", "/api/scans/" + accepted[0]["id"])[1]["state"] == "done"

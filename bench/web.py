"""``python -m bench web`` (``make bench-web``): the buyers' web page under load.

50 clients submit a shop at the same moment and poll its status until it is done, against
``cardshop-audit serve`` in a process of its own with a bounded pool of scan slots and a
bounded waiting line.  Counted: every submission answered (accepted with a place in the
line, or "busy" with the line's length), every accepted scan finished with a stored result
(none lost), answer times; the app process's RSS is sampled throughout and compared after
each round (memory flat: the app keeps no per-scan state beyond the bounded job list).

Environment: BENCH_WEB_CLIENTS (50), BENCH_WEB_ROUNDS (2), BENCH_WEB_SLOTS (2),
BENCH_WEB_WAITING (40), BENCH_WEB_OUT (bench/results-web.json).
"""
from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.procs import rss_bytes
from fixtures.server import FixtureServer

ROOT = Path(__file__).resolve().parent.parent
SHOPS = ["hidden_refund_menu", "compliant_platform", "dujiaoka_default", "refund_table", "fake_uscc",
         "placeholder_icp", "final_interp_only", "fullwidth_icp", "careful_personal", "register_agreement"]
SCAN_TIMEOUT = 900.0


def log(message: str) -> None:
    print(f"[bench web] {message}", file=sys.stderr, flush=True)


def call(base: str, method: str, path: str, body: dict | None = None, timeout: float = 60) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


class Client(threading.Thread):
    """One buyer: submit at the signal, then poll until the scan is done (or refused)."""

    def __init__(self, base: str, url: str, go: threading.Event):
        super().__init__(daemon=True)
        self.base, self.url, self.go = base, url, go
        self.status = 0
        self.answer: dict = {}
        self.final: dict = {}
        self.answer_s = 0.0
        self.polls = 0
        self.error = ""
        self.result_ok = False

    def run(self) -> None:
        self.go.wait()
        started = time.perf_counter()
        try:
            self.status, self.answer = call(self.base, "POST", "/api/scans", {"url": self.url, "force": True})
            self.answer_s = time.perf_counter() - started
            if self.status != 202:
                return
            token = self.answer["id"]
            deadline = time.monotonic() + SCAN_TIMEOUT
            while time.monotonic() < deadline:
                self.polls += 1
                status, body = call(self.base, "GET", f"/api/scans/{token}")
                if status == 200 and body["state"] in ("done", "failed"):
                    self.final = body
                    break
                time.sleep(0.5)
            if self.final.get("state") == "done":
                status, result = call(self.base, "GET", f"/api/scans/{token}/result")
                self.result_ok = status == 200 and result.get("report", {}).get("schema_version") == 1
        except Exception as exc:  # noqa: BLE001 - counted as an unanswered submission
            self.error = f"{type(exc).__name__}: {exc}"


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.25):
            self.samples.append(rss_bytes(self.pid))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_round(base: str, urls: list[str], pid: int) -> dict:
    go = threading.Event()
    clients = [Client(base, url, go) for url in urls]
    for client in clients:
        client.start()
    sampler = Sampler(pid)
    sampler.start()
    started = time.perf_counter()
    go.set()
    for client in clients:
        client.join(SCAN_TIMEOUT + 60)
    wall = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    accepted = [c for c in clients if c.status == 202]
    busy = [c for c in clients if c.status == 503 and c.answer.get("error") == "busy"]
    done = [c for c in accepted if c.final.get("state") == "done" and c.result_ok]
    positions = [c.answer.get("position", 0) for c in accepted]
    return {"clients": len(clients), "answered": sum(1 for c in clients if c.status in (200, 202, 503) and not c.error),
            "accepted": len(accepted), "busy": len(busy), "done_with_result": len(done),
            "failed": sum(1 for c in accepted if c.final.get("state") == "failed"),
            "lost": len(accepted) - len(done) - sum(1 for c in accepted if c.final.get("state") == "failed"),
            "errors": [c.error for c in clients if c.error][:5],
            "max_position": max(positions or [0]),
            "answer_ms_median": round(statistics.median(c.answer_s for c in clients) * 1000, 1),
            "answer_ms_max": round(max(c.answer_s for c in clients) * 1000, 1),
            "polls": sum(c.polls for c in clients), "wall_s": round(wall, 1),
            "scans_per_min": round(len(done) / wall * 60, 1) if wall else 0.0,
            "rss_mb_peak": round(max(sampler.samples or [0]) / 2**20, 1),
            "rss_mb_end": round(rss_bytes(pid) / 2**20, 1)}


def main() -> int:
    clients = int(os.environ.get("BENCH_WEB_CLIENTS") or 50)
    rounds = int(os.environ.get("BENCH_WEB_ROUNDS") or 2)
    slots = int(os.environ.get("BENCH_WEB_SLOTS") or 2)
    waiting = int(os.environ.get("BENCH_WEB_WAITING") or 40)
    out = Path(os.environ.get("BENCH_WEB_OUT") or ROOT / "bench" / "results-web.json")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp, FixtureServer(SHOPS) as shops:
        command = [sys.executable, "-m", "cardshop_auditor", "serve", "--port", str(port),
                   "--db", f"sqlite:///{tmp}/history.db", "--work-dir", f"{tmp}/work", "--slots", str(slots),
                   "--max-waiting", str(waiting), "--rate", "100000", "--allow-network", "127.0.0.1/32",
                   "--browser", "never"]
        app = subprocess.Popen(command, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if call(base, "GET", "/api/openapi.json", timeout=5)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or app.poll() is not None:
                    raise RuntimeError("the app did not start: " + (app.stderr.read() if app.poll() is not None else ""))
                time.sleep(0.3)
            # one scan first: imports, the database, the first crawl child (not counted)
            status, body = call(base, "POST", "/api/scans", {"url": shops.url(SHOPS[0]), "force": True})
            while call(base, "GET", f"/api/scans/{body['id']}")[1]["state"] not in ("done", "failed"):
                time.sleep(0.5)
            warm_rss = round(rss_bytes(app.pid) / 2**20, 1)
            log(f"app up (pid {app.pid}), RSS after a first scan {warm_rss} MB; {clients} clients × {rounds} rounds, "
                f"{slots} slots, waiting line {waiting}")
            urls = [shops.url(SHOPS[i % len(SHOPS)]) for i in range(clients)]
            results = []
            for n in range(rounds):
                result = run_round(base, urls, app.pid)
                results.append(result)
                log(f"round {n + 1}: {json.dumps(result)}")
        finally:
            app.terminate()
            try:
                app.wait(30)
            except subprocess.TimeoutExpired:
                app.kill()
    summary = {"clients": clients, "rounds": rounds, "slots": slots, "max_waiting": waiting,
               "cores": os.cpu_count(), "load_avg_start": os.getloadavg()[0], "rss_mb_after_first_scan": warm_rss,
               "rounds_detail": results,
               "every_submission_answered": all(r["answered"] == r["clients"] for r in results),
               "scans_lost": sum(r["lost"] for r in results),
               "rss_growth_mb_between_rounds": round(results[-1]["rss_mb_end"] - results[0]["rss_mb_end"], 1)}
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", "utf-8")
    log(f"written {out}")
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0 if summary["every_submission_answered"] and summary["scans_lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

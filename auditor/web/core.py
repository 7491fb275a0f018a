"""The steps the web pages and the JSON API share: configuration, one submission
(``accept``), a job's status and its event stream, small request helpers."""
from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, quote

from fastapi import Request
from fastapi.responses import RedirectResponse

from cardshop_auditor.web.i18n import ui
from cardshop_auditor.web.inputs import InputRefused, check_address, clean_pasted
from cardshop_auditor.web.jobs import Busy, Job, JobBoard, RateLimiter, new_token

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16}$")
REFRESH_SECONDS = 2


@dataclass
class WebConfig:
    db: str | None = None                       # history database URL (None: the default SQLite file)
    allow_networks: list = field(default_factory=list)   # besides public addresses (--allow-network)
    max_waiting: int = 200                      # the waiting line; beyond it: "busy"
    per_minute: float = 6.0                     # submissions per client per minute (burst: the same)
    recent_hours: float = 24.0                  # reuse a result this young for the same site
    probe: bool = True                          # one TCP connection before queueing (unreachable host)


@dataclass
class WebState:
    config: WebConfig
    board: JobBoard
    engine: Any
    results: Any
    limiter: RateLimiter


# --------------------------------------------------------------------------- shared steps

class Refusal(Exception):
    """A submission the page answers with a message: ``code`` (errors table), HTTP status."""

    def __init__(self, code: str, status: int = 400, detail: str = "", number: int | float = 0, headers=None):
        super().__init__(code)
        self.code, self.status, self.detail, self.number, self.headers = code, status, detail, number, headers or {}

    def message(self, lang: str) -> str:
        return ui(lang)["errors"][self.code].format(detail=self.detail, n=self.number)


@dataclass
class Accepted:
    token: str
    recent: bool = False                   # an existing result, not a new scan
    age: float = 0.0


async def accept(state: WebState, request: Request, raw_url: str, lang: str, force: bool = False,
                 username: str | None = None, password: str | None = None) -> Accepted:
    """One submission, from the form or the API: rate limit, clean and check the address,
    a recent result for the same site, or a new job in the waiting line."""
    allowed, wait = state.limiter.allow(client_of(request))
    if not allowed:
        raise Refusal("rate", 429, number=int(wait) + 1, headers={"Retry-After": str(int(wait) + 1)})
    username, password = (username or "").strip() or None, password or None
    if bool(username) != bool(password):
        raise Refusal("credentials")
    if password:
        from cardshop_auditor import secrets
        secrets.register_credentials(username, password)     # scrubbed from everything written
    try:
        url = clean_pasted(raw_url)
        ips = await asyncio.to_thread(check_address, url, state.config.allow_networks, state.config.probe)
    except InputRefused as refused:
        raise Refusal(refused.code, 400, detail=refused.detail) from None
    private = bool(password)
    if not force and not private:
        recent = await asyncio.to_thread(state.results.recent_for, url, timedelta(hours=state.config.recent_hours))
        if recent is not None:
            return Accepted(recent.shop_id, recent=True, age=age_seconds(recent.scanned_at))
    job = Job(token=new_token(), url=url, lang=lang, private=private, ips=tuple(ips),
              credentials=(username, password) if private else None)
    try:
        state.board.submit(job)
    except Busy as busy:
        raise Refusal("busy", 503, number=busy.waiting, headers={"Retry-After": "60"}) from None
    return Accepted(job.token)


def client_of(request: Request) -> str:
    """The client's address (uvicorn puts the proxy's X-Forwarded-For here when the operator
    trusts the proxy: --forwarded-allow-ips)."""
    return request.client.host if request.client else "unknown"


def age_seconds(when: datetime | None) -> float:
    if when is None:
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (datetime.now(timezone.utc) - when).total_seconds())


def job_status(state: WebState, job: Job, lang: str) -> dict:
    """What the progress page and the API show of a job."""
    position = state.board.position(job.token)
    return {"id": job.token, "state": job.state, "position": position,
            "elapsed_seconds": round(job.elapsed(), 1), "stages": dict(job.stages),
            "status_url": f"/p/{job.token}", "result_url": f"/r/{job.token}/" if job.state == "done" else None,
            "error": job.error, "version": job.version, "lang": lang}


async def status_events(state: WebState, request: Request, job: Job, lang: str):
    """Server-sent events: a ``status`` event whenever the job changes (and every 15 s, so
    proxies keep the stream open), ``done`` at the end."""
    sent, last = -1, 0.0
    while True:
        if await request.is_disconnected():
            return
        now = time.monotonic()
        if job.version != sent or now - last > 15:
            sent, last = job.version, now
            data = json.dumps(job_status(state, job, lang), ensure_ascii=False)
            final = job.state in ("done", "failed")
            yield f"event: {'done' if final else 'status'}\ndata: {data}\n\n"
            if final:
                return
        await asyncio.sleep(0.25)


def form_fields(body: bytes) -> dict[str, str]:
    """An urlencoded form body (bounded by the middleware) as a dict of its first values."""
    fields: dict[str, str] = {}
    for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        fields.setdefault(key, value)
    return fields


def lang_of(request: Request, given: str | None = None) -> str:
    lang = given or request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    return "en" if lang == "en" else "zh"


def valid_token(token: str) -> bool:
    return bool(TOKEN.match(token or ""))


def safe_evidence_path(path: str) -> str | None:
    """evidence/… paths as stored: relative, no '..', no backslash."""
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts or "\\" in path or not p.parts or p.parts[0] != "evidence":
        return None
    return str(p)


def redirect(url: str, status: int = 303) -> RedirectResponse:
    return RedirectResponse(quote(url, safe="/?=&:#"), status_code=status)


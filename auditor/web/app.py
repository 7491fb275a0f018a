"""`cardshop-audit serve`: the buyers' web page and its JSON API (FastAPI, served by uvicorn).

    /                        home: one input, one button, the shops checked last
    POST /check              the form: validate, reuse a recent result or queue a scan
    /p/<token>               progress: stages, elapsed time, queue position
    /p/<token>/events        the same pushed as server-sent events (static/app.js reads them);
                             without JavaScript the page refreshes itself (<meta refresh>)
    /r/<token>/              result: verdict first, the refund guide, then the report
    /r/<token>/report.html   the standalone report (its own CSP), report.json, evidence/…
    /api/scans …             JSON: submit, status, result (OpenAPI at /api/openapi.json)

Every response carries a strict CSP (scripts and styles only from /static, nothing
inline); shop text reaches the pages only through autoescaped templates.  Scans go to an
engine (cardshop_auditor.web.engine) through a bounded waiting line (``JobBoard``).
"""
from __future__ import annotations

import asyncio
import json
import re
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse

from cardshop_auditor.web import api
from cardshop_auditor.web.i18n import ui
from cardshop_auditor.web.inputs import InputRefused, check_address, clean_pasted
from cardshop_auditor.web.jobs import Busy, Job, JobBoard, RateLimiter, new_token

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16}$")
MAX_BODY = 16_384
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


def create_app(config: WebConfig, engine, results=None) -> FastAPI:
    """The ASGI app; ``engine`` runs the scans (started and stopped with the app)."""
    from cardshop_auditor.web.results import ResultStore
    results = results or ResultStore(config.db)
    board = JobBoard(max_waiting=config.max_waiting)
    burst = max(1, int(config.per_minute))
    state = WebState(config, board, engine, results, RateLimiter(config.per_minute, burst))

    @asynccontextmanager
    async def lifespan(_app):
        engine.start(board, results)
        try:
            yield
        finally:
            await asyncio.to_thread(engine.stop)

    app = FastAPI(title="cardshop-auditor web", version=_version(), lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  description="Check a card shop (卡盟 / 发卡网): submit its address, follow the stages, "
                              "read the verdict, the refund guide and the full report.json.")
    app.state.web = state

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        length = request.headers.get("content-length")
        if request.method == "POST" and (length is None or not length.isdigit() or int(length) > MAX_BODY):
            return JSONResponse({"error": "body_too_large", "message": f"at most {MAX_BODY} bytes, with a Content-Length"},
                                status_code=413, headers=_headers())
        response = await call_next(request)
        for name, value in _headers().items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request, exc):
        # never FastAPI's default body: it repeats the submitted values (a password among them)
        where = ", ".join(".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors()[:5])
        return JSONResponse({"error": "invalid_request", "message": f"invalid or missing fields: {where}"},
                            status_code=422)

    from cardshop_auditor.web import pages
    pages.add_routes(app, state)
    api.add_routes(app, state)
    return app


def _headers() -> dict:
    return {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin"}


@lru_cache(maxsize=1)
def _version() -> str:
    from cardshop_auditor import __version__
    return __version__


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
        await asyncio.to_thread(check_address, url, state.config.allow_networks, state.config.probe)
    except InputRefused as refused:
        raise Refusal(refused.code, 400, detail=refused.detail) from None
    private = bool(password)
    if not force and not private:
        recent = await asyncio.to_thread(state.results.recent_for, url, timedelta(hours=state.config.recent_hours))
        if recent is not None:
            return Accepted(recent.shop_id, recent=True, age=age_seconds(recent.scanned_at))
    job = Job(token=new_token(), url=url, lang=lang, private=private,
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


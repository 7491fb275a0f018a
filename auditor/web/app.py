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
from contextlib import asynccontextmanager
from functools import lru_cache

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from cardshop_auditor.web import api, pages
from cardshop_auditor.web.core import WebConfig, WebState
from cardshop_auditor.web.jobs import JobBoard, RateLimiter

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
MAX_BODY = 16_384


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

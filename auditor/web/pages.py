"""The HTML pages of `cardshop-audit serve` (see cardshop_auditor.web.app for the map)."""
from __future__ import annotations

import asyncio
from functools import lru_cache
from importlib import resources

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from cardshop_auditor.web.core import (REFRESH_SECONDS, Refusal, WebState, accept, age_seconds, form_fields,
                                      job_status, lang_of, redirect, safe_evidence_path, status_events,
                                      valid_token)
from cardshop_auditor.web.i18n import age_text, ui

STATIC_TYPES = {"app.js": "text/javascript; charset=utf-8", "web.css": "text/css; charset=utf-8"}


@lru_cache(maxsize=1)
def env() -> jinja2.Environment:
    """The report's environment (autoescape, bidi-free output, its link filters) over the
    web templates first, then the report's own (the result page reuses its sections)."""
    from cardshop_auditor.report.render import environment
    base = environment()
    return base.overlay(loader=jinja2.ChoiceLoader([jinja2.PackageLoader("cardshop_auditor.web", "templates"),
                                                    base.loader]))


def render(name: str, request: Request, lang: str, http_status: int = 200, http_headers=None,
           **context) -> HTMLResponse:
    w = ui(lang)
    other = w["lang_switch_code"]
    html = env().get_template(name).render(w=w, lang=lang, html_lang=w["html_lang"],
                                           switch_href=f"{request.url.path}?lang={other}", **context)
    response = HTMLResponse(html, status_code=http_status, headers=http_headers)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def home_context(state: WebState, lang: str) -> dict:
    rows = []
    for scan in state.results.latest(8):
        rows.append({"href": f"/r/{scan.shop_id}/", "host": scan.host, "risk": scan.risk_level,
                     "risk_text": ui(lang)["risk"].get(scan.risk_level, ui(lang)["risk"][None]),
                     "score": scan.score, "age": age_text(age_seconds(scan.scanned_at), lang)})
    return {"recent": rows}


def add_routes(app, state: WebState) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request):
        lang = lang_of(request)
        context = await asyncio.to_thread(home_context, state, lang)
        return render("home.html.j2", request, lang, **context)

    @app.post("/check", include_in_schema=False)
    async def check(request: Request):
        fields = form_fields(await request.body())
        lang = lang_of(request, fields.get("lang"))
        raw = fields.get("url", "")
        try:
            accepted = await accept(state, request, raw, lang, force=fields.get("force") == "1",
                                    username=fields.get("username"), password=fields.get("password"))
        except Refusal as refusal:
            context = await asyncio.to_thread(home_context, state, lang)
            template = "busy.html.j2" if refusal.code == "busy" else "home.html.j2"
            # the address is shown back (escaped) so it can be corrected; the account never is
            return render(template, request, lang, http_status=refusal.status, http_headers=refusal.headers,
                          error=refusal.message(lang), error_code=refusal.code, value=raw[:300], **context)
        if accepted.recent:
            return redirect(f"/r/{accepted.token}/?recent=1&lang={lang}")
        return redirect(f"/p/{accepted.token}?lang={lang}")

    @app.get("/p/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def progress(request: Request, token: str):
        lang = lang_of(request)
        job = state.board.get(token) if valid_token(token) else None
        if job is None:
            if valid_token(token) and await asyncio.to_thread(state.results.find, token, False):
                return redirect(f"/r/{token}/")
            return render("error.html.j2", request, lang, http_status=404, error=ui(lang)["errors"]["not_found"])
        if job.state == "done":
            return redirect(f"/r/{token}/")
        status = job_status(state, job, lang)
        return render("progress.html.j2", request, lang, job=job, status=status, stages=_stage_rows(status, lang),
                      refresh=REFRESH_SECONDS if job.state != "failed" else None, host=_host(job.url))

    @app.get("/p/{token}/events", include_in_schema=False)
    async def events(request: Request, token: str):
        job = state.board.get(token) if valid_token(token) else None
        if job is None:
            return Response("unknown scan", status_code=404, media_type="text/plain")
        return StreamingResponse(status_events(state, request, job, lang_of(request)), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    @app.get("/r/{token}", include_in_schema=False)
    async def result_no_slash(request: Request, token: str):
        query = f"?{request.url.query}" if request.url.query else ""
        return redirect(f"/r/{token}/{query}", 308) if valid_token(token) else \
            render("error.html.j2", request, lang_of(request), http_status=404, error=ui(lang_of(request))["errors"]["not_found"])

    @app.get("/r/{token}/", response_class=HTMLResponse, include_in_schema=False)
    async def result(request: Request, token: str):
        lang = lang_of(request)
        scan = await asyncio.to_thread(state.results.find, token) if valid_token(token) else None
        if scan is None:
            return render("error.html.j2", request, lang, http_status=404, error=ui(lang)["errors"]["not_found"])
        return render("result.html.j2", request, lang, **result_context(scan, lang, request))

    @app.get("/r/{token}/report.html", include_in_schema=False)
    async def report_html(request: Request, token: str):
        from cardshop_auditor.report import render_html
        from cardshop_auditor.report.render import content_policy, stylesheet
        scan = await asyncio.to_thread(state.results.find, token) if valid_token(token) else None
        if scan is None:
            return Response("not found", status_code=404, media_type="text/plain")
        html = render_html(scan.report, lang_of(request))
        # the report's own policy (its one inline stylesheet by hash), never framed
        return HTMLResponse(html, headers={"Content-Security-Policy": content_policy(stylesheet()) + "; frame-ancestors 'none'"})

    @app.get("/r/{token}/report.json", include_in_schema=False)
    async def report_json(token: str):
        from cardshop_auditor.report import report_json as dump
        scan = await asyncio.to_thread(state.results.find, token) if valid_token(token) else None
        if scan is None:
            return Response('{"error": "not_found"}', status_code=404, media_type="application/json")
        return Response(dump(scan.report), media_type="application/json")

    @app.get("/r/{token}/{path:path}", include_in_schema=False)
    async def evidence(token: str, path: str):
        rel = safe_evidence_path(path)
        scan = await asyncio.to_thread(state.results.find, token, False) if valid_token(token) and rel else None
        blob = await asyncio.to_thread(state.results.evidence, scan.id, rel) if scan else None
        if blob is None:
            return Response("not found", status_code=404, media_type="text/plain")
        content, media_type = blob
        if not media_type.startswith("image/"):
            media_type = "application/octet-stream"
        return Response(content, media_type=media_type, headers={"Cache-Control": "public, max-age=86400",
                                                                 "Content-Disposition": "inline"})

    @app.get("/static/report.css", include_in_schema=False)
    async def report_css():
        from cardshop_auditor.report.render import stylesheet
        return Response(stylesheet(), media_type="text/css; charset=utf-8", headers={"Cache-Control": "max-age=3600"})

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str):
        if name not in STATIC_TYPES:
            return Response("not found", status_code=404, media_type="text/plain")
        body = resources.files("cardshop_auditor.web").joinpath("static", name).read_bytes()
        return Response(body, media_type=STATIC_TYPES[name], headers={"Cache-Control": "max-age=3600"})


def _stage_rows(status: dict, lang: str) -> list[dict]:
    w = ui(lang)
    return [{"key": key, "label": w["stage"][key], "state": state, "state_text": w["stage_state"][state]}
            for key, state in status["stages"].items()]


def _host(url: str) -> str:
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    return parts.netloc or url


def result_context(scan, lang: str, request: Request) -> dict:
    """The report's own view (verdict, sections) plus the guide and the page's extras."""
    from cardshop_auditor.guide import build_guide
    from cardshop_auditor.report.view import report_view
    from cardshop_auditor.report_templates import i18n as report_i18n
    report = scan.report
    context = {"t": report_i18n.ui(lang), "lang_key": lang, **report_view(report, lang),
               "guide": build_guide(report, lang), "scan": scan, "token": scan.shop_id,
               "age": age_text(age_seconds(scan.scanned_at), lang),
               "recent": request.query_params.get("recent") == "1",
               "share_url": str(request.url.replace(query="")), "check_url": report.get("target") or scan.url}
    return context

"""The JSON API of `cardshop-audit serve`: submit, status, result (described at /api/openapi.json)."""
from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field


class ScanRequest(BaseModel):
    url: str = Field(max_length=2048, description="what the buyer pasted: a domain, a URL, a chat message with a link")
    lang: Literal["zh", "en"] = "zh"
    force: bool = Field(False, description="scan again even when a recent result for the site exists")
    username: str | None = Field(None, max_length=200, description="optional shop account for the logged-in refund search")
    password: str | None = Field(None, max_length=200, json_schema_extra={"writeOnly": True},
                                 description="never stored, never echoed; scrubbed from every output")


class ScanStatus(BaseModel):
    id: str = Field(description="the result's permanent token")
    state: Literal["queued", "running", "done", "failed"]
    position: int = Field(0, description="place in the waiting line (1 = next); 0 when not waiting")
    elapsed_seconds: float = 0.0
    stages: dict[str, Literal["waiting", "running", "done", "skipped"]] = {}
    status_url: str = Field(description="this status, as JSON")
    page_url: str = Field("", description="the progress page (HTML) for people")
    result_url: str | None = None
    recent: bool = Field(False, description="an existing result for the same site was reused")
    age_seconds: float | None = None
    error: str | None = None


class ScanResult(BaseModel):
    id: str
    url: str
    scanned_at: str
    status: str
    score: int | None
    risk_level: str | None
    flags: list[str]
    guide: dict = Field(description="the refund guide for this shop (cardshop_auditor.guide)")
    report: dict = Field(description="report.json (schema_version 1)")


class ApiError(BaseModel):
    error: str = Field(description="empty | not_url | javascript | scheme | binary | outside | unresolvable | "
                                    "unreachable | rate | busy | credentials | not_found | invalid_request")
    message: str


def add_routes(app, state) -> None:
    from cardshop_auditor.web.core import Refusal, accept, job_status, valid_token

    def status_of(token: str, lang: str) -> ScanStatus | None:
        job = state.board.get(token)
        if job is not None:
            data = job_status(state, job, lang)
            data.pop("version"), data.pop("lang")
            data["status_url"], data["page_url"] = f"/api/scans/{token}", f"/p/{token}"
            return ScanStatus(**data)
        scan = state.results.find(token, False)
        if scan is None:
            return None
        return ScanStatus(id=token, state="done", status_url=f"/api/scans/{token}", result_url=f"/r/{token}/",
                          stages={})

    @app.post("/api/scans", status_code=202, response_model=ScanStatus, tags=["scans"],
              responses={200: {"model": ScanStatus, "description": "a recent result for the same site"},
                         400: {"model": ApiError}, 429: {"model": ApiError}, 503: {"model": ApiError}})
    async def submit(body: ScanRequest, request: Request):
        """Queue a check of a shop (or answer with a recent result for the same site)."""
        try:
            accepted = await accept(state, request, body.url, body.lang, force=body.force,
                                    username=body.username, password=body.password)
        except Refusal as refusal:
            return JSONResponse({"error": refusal.code, "message": refusal.message(body.lang)},
                                status_code=refusal.status, headers=refusal.headers)
        if accepted.recent:
            return JSONResponse(ScanStatus(id=accepted.token, state="done", status_url=f"/api/scans/{accepted.token}",
                                           result_url=f"/r/{accepted.token}/", recent=True,
                                           age_seconds=round(accepted.age, 1)).model_dump(), status_code=200)
        return status_of(accepted.token, body.lang)

    @app.get("/api/scans/{token}", response_model=ScanStatus, tags=["scans"], responses={404: {"model": ApiError}})
    async def status(token: str, lang: Literal["zh", "en"] = "zh"):
        """Where a check is: its place in the line, its stages, its result address when done."""
        found = await asyncio.to_thread(status_of, token, lang) if valid_token(token) else None
        if found is None:
            return JSONResponse({"error": "not_found", "message": "no such scan"}, status_code=404)
        return found

    @app.get("/api/scans/{token}/result", response_model=ScanResult, tags=["scans"],
             responses={404: {"model": ApiError}})
    async def result(token: str, lang: Literal["zh", "en"] = "zh"):
        """The verdict, the refund guide and the whole report.json of a finished check."""
        from cardshop_auditor.guide import build_guide
        scan = await asyncio.to_thread(state.results.find, token) if valid_token(token) else None
        if scan is None:
            return JSONResponse({"error": "not_found", "message": "no result (yet) for this id"}, status_code=404)
        report = scan.report
        return ScanResult(id=token, url=scan.url, scanned_at=str(report.get("scanned_at") or ""),
                          status=scan.status, score=scan.score, risk_level=scan.risk_level, flags=list(scan.flags or []),
                          guide={k: v for k, v in build_guide(report, lang).items() if k != "t"}, report=report)

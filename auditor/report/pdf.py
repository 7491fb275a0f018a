"""report.pdf: report.html printed by Chromium (Playwright ``page.pdf``), A4, with the
manifest hash and the scan time in every page's footer.

The page is opened from the scan directory with JavaScript off and every request but
the directory's own files refused: printing never reaches a network, and the shop's text
in the report is already escaped by the HTML templates.  The footer is built here from
our own values only (a hex hash, an ISO time, page numbers), escaped all the same.
"""
from __future__ import annotations

import html
from pathlib import Path

A4_MARGINS = {"top": "14mm", "bottom": "18mm", "left": "12mm", "right": "12mm"}
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', sans-serif"


# The scan directory is served to the page under this name (the browser's own file access
# is off in its sandbox); ``.invalid`` never resolves, and nothing else is served.
ORIGIN = "https://report.invalid/"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css", ".png": "image/png",
         ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml", ".webp": "image/webp"}


def _serve(route, out_dir: Path) -> None:
    """A file of the scan directory for a request under ORIGIN; anything else aborted."""
    from urllib.parse import unquote, urlsplit
    url = route.request.url
    if not url.startswith(ORIGIN):
        return route.abort()
    path = (out_dir / unquote(urlsplit(url).path).lstrip("/")).resolve()
    if out_dir not in path.parents or not path.is_file() or path.suffix.lower() not in TYPES:
        return route.abort()
    return route.fulfill(status=200, body=path.read_bytes(), content_type=TYPES[path.suffix.lower()])


class PdfError(Exception):
    """report.pdf could not be written (no Chromium, a print failure): one line."""


def footer_html(manifest_sha256: str, scanned_at: str, lang: str = "zh") -> str:
    label = ("清单哈希 (SHA-256)", "扫描时间 (UTC)", "第", "页 / 共", "页") if lang == "zh" else \
        ("manifest sha256", "scanned (UTC)", "page", "of", "")
    return (f'<div style="font-family:{FONT};font-size:8px;width:100%;padding:0 12mm;color:#333;'
            f'display:flex;justify-content:space-between">'
            f'<span>{label[0]}: <b>{html.escape(manifest_sha256)}</b> · {label[1]}: {html.escape(scanned_at)}</span>'
            f'<span>{label[2]} <span class="pageNumber"></span> {label[3]} <span class="totalPages"></span> '
            f'{label[4]}</span></div>')


def header_html(target: str, lang: str = "zh") -> str:
    title = "卡盟合规审计报告" if lang == "zh" else "Card shop compliance audit"
    return (f'<div style="font-family:{FONT};font-size:7px;width:100%;padding:0 12mm;color:#666">'
            f'{title} · {html.escape(target)[:120]}</div>')


def write_pdf(out_dir: Path, report: dict, manifest_sha256: str, options=None) -> Path:
    """out_dir/report.pdf from out_dir/report.html; returns its path."""
    from cardshop_auditor.browser.discover import BrowserNotFound
    from cardshop_auditor.browser.manager import get_browser
    out_dir = Path(out_dir).resolve()
    source = out_dir / "report.html"
    if not source.is_file():
        raise PdfError("report.html is missing")
    lang = getattr(options, "lang", None) or report.get("lang") or "zh"
    target = out_dir / "report.pdf"
    try:
        browser = get_browser(options)
        context = browser.new_context(java_script_enabled=False, locale="zh-CN")
        try:
            context.route("**/*", lambda route: _serve(route, out_dir))
            page = context.new_page()
            page.goto(ORIGIN + "report.html", wait_until="load", timeout=30_000)
            page.emulate_media(media="print")
            data = page.pdf(format="A4", print_background=True, margin=A4_MARGINS,
                            display_header_footer=True,
                            header_template=header_html(str(report.get("target") or ""), lang),
                            footer_template=footer_html(manifest_sha256, str(report.get("scanned_at") or ""), lang))
        finally:
            context.close()
    except BrowserNotFound as exc:
        raise PdfError(str(exc).splitlines()[0][:200]) from None
    except Exception as exc:  # noqa: BLE001 - Playwright's errors: the audit stands, the PDF is missing
        raise PdfError(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]) from None
    target.write_bytes(data)
    return target

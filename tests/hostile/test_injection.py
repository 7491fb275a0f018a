"""Script injection: a shop whose footer, agreement, title, URLs, link texts and an
ICP-looking string carry payloads that would call back to a local server (or open a
dialog) if they ever ran.  The real CLI scans it; every HTML page the tool writes
(report.html, diff.html, the batch index.html) is then opened in headless Chromium with
JavaScript enabled, and must execute nothing, load nothing from the network, show the
payloads as text, and carry a strict CSP.
"""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hostile_helpers import run_cli

pytestmark = pytest.mark.browser

SCAN_ARGS = ["--timeout", "3", "--time-budget", "10"]
MARKERS = ("<script>", "onerror=", "onload=", "</textarea>", "{{7*7}}", "{% raw %}")

DOM_AUDIT_JS = """() => {
  const out = {handlers: [], active: [], scripts: [], hrefs: [], srcs: [], csp: [], refresh: []};
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) out.handlers.push(el.tagName + ' ' + a.name + '=' + a.value.slice(0, 80));
      if (/^(style)$/i.test(a.name) && /expression|url\\(|import/i.test(a.value)) out.handlers.push(el.tagName + ' style=' + a.value.slice(0, 80));
    }
    const tag = el.tagName.toLowerCase();
    if (tag === 'script') out.scripts.push({src: el.getAttribute('src'), text: el.textContent});
    else if (['iframe', 'frame', 'object', 'embed', 'base', 'applet', 'form'].includes(tag))
      out.active.push(tag + ' ' + el.outerHTML.slice(0, 120));
    if (el.hasAttribute('href') && ['a', 'area'].includes(tag)) out.hrefs.push(el.getAttribute('href'));
    if (el.hasAttribute('href') && tag === 'link' && !/^data:/i.test(el.getAttribute('href')))
      out.srcs.push('link href=' + el.getAttribute('href').slice(0, 120));
    for (const k of ['src', 'srcset', 'data', 'action', 'formaction', 'poster', 'background', 'xlink:href'])
      if (el.hasAttribute(k)) out.srcs.push(tag + ' ' + k + '=' + el.getAttribute(k).slice(0, 120));
  }
  for (const m of document.querySelectorAll('meta[http-equiv]')) {
    const kind = m.getAttribute('http-equiv').toLowerCase();
    if (kind === 'content-security-policy') out.csp.push(m.getAttribute('content'));
    if (kind === 'refresh') out.refresh.push(m.getAttribute('content'));
  }
  return out;
}"""

PROVOKE_JS = """() => {
  // whatever handler a payload might have smuggled in: hover, focus, click-less events
  for (const el of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'animationstart', 'load', 'error'])
      el.dispatchEvent(new Event(type));
  }
}"""


@pytest.fixture(scope="module")
def outputs(hostile_server, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("injection")
    inj, plain = hostile_server.url("injection"), hostile_server.url("plain")
    (root / "urls.txt").write_text(f"{inj}\n{plain}\n", "utf-8")
    commands = {
        "scan": ["scan", inj, "--out", str(root / "scan"), "--browser", "never", *SCAN_ARGS],
        "plain": ["scan", plain, "--out", str(root / "plain"), "--browser", "never", *SCAN_ARGS],
        "batch": ["batch", str(root / "urls.txt"), "--out", str(root / "batch"), "--browser", "never",
                  "--no-progress", *SCAN_ARGS],
    }
    with ThreadPoolExecutor(3) as pool:
        # each run in its own working folder: run_cli keeps .stdout/.stderr there, and an
        # --out folder holding other files is refused (auditor/outputs.py)
        runs = dict(zip(commands, pool.map(lambda name: run_cli(commands[name], cwd=root / f"{name}-run"),
                                           commands)))
    runs["diff"] = run_cli(["diff", str(root / "plain" / "report.json"), str(root / "scan" / "report.json"),
                            "--out", str(root / "diff")], cwd=root / "diff-run")
    for name, run in runs.items():
        assert "Traceback" not in run.stderr, f"{name}: {run.stderr[-2000:]}"
        assert run.returncode in (0, 1), f"{name}: exit {run.returncode}\n{run.stderr[-2000:]}"
    pages = {"report.html": root / "scan" / "report.html", "diff.html": root / "diff" / "diff.html",
             "batch index.html": root / "batch" / "index.html"}
    for shop_report in sorted((root / "batch").glob("*/report.html")):
        pages[f"batch {shop_report.parent.name}/report.html"] = shop_report
    pages["report.json"] = root / "scan" / "report.json"
    return pages


def open_in_chromium(browser, path: Path, callback_hits) -> dict:
    """Open ``path`` (file://) in a fresh context of pytest-playwright's Chromium (the
    auditor's own, see tests/conftest.py), JavaScript on, and record what happens."""
    seen = {"requests": [], "dialogs": [], "popups": [], "console": []}
    before = len(callback_hits())
    context = browser.new_context(java_script_enabled=True)
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
        page.on("request", lambda r: seen["requests"].append(r.url))
        page.on("popup", lambda p: seen["popups"].append(p.url))
        page.on("console", lambda m: seen["console"].append(m.text))
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.evaluate(PROVOKE_JS)
        page.mouse.move(200, 200)
        page.wait_for_timeout(800)
        dom = page.evaluate(DOM_AUDIT_JS)
        text = page.inner_text("body")
    finally:
        context.close()
    seen["callback_hits"] = callback_hits()[before:]
    return {**seen, "dom": dom, "text": text}


@pytest.mark.parametrize("page_name", ["report.html", "diff.html", "batch index.html", "batch reports"])
def test_nothing_executes_when_opened(page_name, outputs, hostile_server, browser):
    if page_name == "batch reports":
        paths = [p for n, p in outputs.items() if n.startswith("batch ") and n.endswith("report.html")]
        assert paths, "the batch wrote no per-shop report.html"
    else:
        paths = [outputs[page_name]]
    for path in paths:
        assert path.exists(), path
        assert_inert(open_in_chromium(browser, path, hostile_server.callback_hits), f"{page_name} ({path})")


def test_demo_index_is_inert(tmp_path, browser, hostile_server):
    """The demo's index.html (report.render_index) fed hostile entries directly."""
    from cardshop_auditor.report import render_index
    cb = hostile_server.url("callback", "/pwned")
    entries = [{"name": f"<script>fetch('{cb}?index')</script>", "label": "<img src=x onerror=alert('label')>",
                "url": f"javascript:fetch('{cb}?url')", "target": "javascript:alert('target')",
                "report": "../../../etc/passwd\x00.html", "href": "data:text/html,<script>alert(1)</script>",
                "score": 12, "risk": "high", "flags": ["no_icp", "<svg onload=alert('flag')>"],
                "status": "<b onmouseover=alert('status')>x</b>"}]
    path = render_index(entries, tmp_path)
    assert_inert(open_in_chromium(browser, path, hostile_server.callback_hits), f"demo index ({path})")


def assert_inert(seen: dict, where: str) -> None:
    assert seen["callback_hits"] == [], f"{where}: payload called back: {seen['callback_hits']}"
    assert seen["dialogs"] == [], f"{where}: dialog fired: {seen['dialogs']}"
    assert seen["popups"] == [], f"{where}: popup opened: {seen['popups']}"
    network = [u for u in seen["requests"] if urlsplit(u).scheme not in ("file", "data")]
    assert network == [], f"{where}: network requests: {network}"
    dom = seen["dom"]
    assert dom["handlers"] == [], f"{where}: event handlers in the DOM: {dom['handlers'][:5]}"
    assert dom["active"] == [], f"{where}: active elements: {dom['active'][:5]}"
    assert dom["refresh"] == [], f"{where}: meta refresh: {dom['refresh']}"
    bad = [h for h in dom["hrefs"] if urlsplit(h.strip()).scheme.lower() not in ("", "http", "https")]
    assert bad == [], f"{where}: clickable non-http(s) links: {bad[:5]}"
    traversal = [h for h in dom["hrefs"] if not urlsplit(h).scheme and ".." in h.split("/")]
    assert traversal == [], f"{where}: links climbing out of the report directory: {traversal[:5]}"
    srcs = [s for s in dom["srcs"] if not s.split("=", 1)[1].startswith("data:")
            and (":" in s.split("=", 1)[1].split("/")[0] or s.split("=", 1)[1].startswith("//"))]
    assert srcs == [], f"{where}: external sources: {srcs[:5]}"
    csp_blocked = [m for m in seen["console"] if "Content Security Policy" in m]
    assert csp_blocked == [], f"{where}: escaping let markup through (only CSP stopped it): {csp_blocked[:3]}"
    assert len(dom["csp"]) == 1, f"{where}: CSP meta tags: {dom['csp']}"
    assert_strict_csp(dom["csp"][0], where)
    for script in dom["scripts"]:     # the page's own scripts only: inline, pinned by hash
        assert not script["src"], f"{where}: external script {script['src']}"
        digest = base64.b64encode(hashlib.sha256(script["text"].encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in dom["csp"][0], f"{where}: script not pinned by the CSP"


def assert_strict_csp(csp: str, where: str) -> None:
    directives = {d.strip().split(" ", 1)[0]: d.strip() for d in csp.split(";") if d.strip()}
    assert directives.get("default-src") == "default-src 'none'", f"{where}: {csp}"
    script = directives.get("script-src", "script-src 'none'")
    assert "unsafe-inline" not in script and "unsafe-eval" not in script, f"{where}: {csp}"
    assert all(t == "'none'" or t.startswith(("'sha256-", "'sha384-", "'sha512-", "'nonce-"))
               for t in script.split()[1:]), f"{where}: scripts allowed beyond hashes/nonces: {csp}"
    for name, value in directives.items():
        tokens = value.split()[1:]
        assert not any(t in ("*", "http:", "https:", "ws:", "wss:") or "://" in t for t in tokens), \
            f"{where}: network source in {name}: {csp}"
        if name == "style-src":
            assert "'unsafe-inline'" not in tokens, f"{where}: {csp}"
    assert directives.get("base-uri") == "base-uri 'none'", f"{where}: {csp}"
    assert directives.get("form-action") == "form-action 'none'", f"{where}: {csp}"


def test_payloads_are_visible_as_text(outputs, hostile_server, browser):
    """The report shows what the shop says, markup and template syntax included, as text."""
    report = json.loads(outputs["report.json"].read_text("utf-8"))
    blob = json.dumps(report, ensure_ascii=False)
    present = [m for m in MARKERS if m in blob]
    assert present, "the injection shop's text never reached report.json (extractors?)"
    seen = open_in_chromium(browser, outputs["report.html"], hostile_server.callback_hits)
    shown = [m for m in present if m in seen["text"]]
    assert shown, f"none of {present} is visible in report.html (escaped text expected)"
    assert "{{7*7}}" not in blob or "{{7*7}}" in seen["text"] or "49" not in seen["text"]


def test_scan_with_browser_keeps_evidence_names_safe(hostile_server, tmp_path, browser):
    """--browser always: the shop's scripts run inside the *shop's* pages (that is the
    browser stage's job); evidence file names stay inside the output directory, and the
    report opened afterwards still executes nothing."""
    out = tmp_path / "out"
    run = run_cli(["scan", hostile_server.url("injection"), "--out", str(out), "--browser", "always",
                   *SCAN_ARGS], cwd=tmp_path)
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.returncode in (0, 3), run.stderr[-2000:]
    assert run.wall < 90, run.wall
    report = json.loads((out / "report.json").read_text("utf-8"))
    from cardshop_auditor.report import validate_report
    validate_report(report)
    for item in report.get("evidence") or []:
        target = (out / item["path"]).resolve()
        assert target.is_relative_to(out.resolve()), item
        assert "\x00" not in item["path"] and ".." not in Path(item["path"]).parts, item
    strays = [p for p in tmp_path.rglob("*pwned*")] + [p for p in Path("/tmp").glob("pwned*")]
    assert strays == [], strays
    seen = open_in_chromium(browser, out / "report.html", hostile_server.callback_hits)
    assert seen["callback_hits"] == [] and seen["dialogs"] == [], seen
    shutil.rmtree(out, ignore_errors=True)

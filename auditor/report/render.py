"""The one render environment for every page we write: report.html, diff.html, the batch
summary, index.html (and the web app's pages).

Shop text is hostile: every template is autoescaped, nothing printed carries a bidi
control, links are drawn only through ``safe_href`` and evidence only through
``relpath`` / ``image_path``.  A page inlines its stylesheets (and at most one script)
and its CSP allows exactly those by hash, nothing else: it loads nothing but its own
evidence images.

    render_page("report.html.j2", lang, **view)
    render_page("batch.html.j2", lang, stylesheets=PAGE_STYLES, script=js, **view)
"""
from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from cardshop_auditor.report.urls import IMAGE_EXTS, safe_href, safe_relpath, short_url
from cardshop_auditor.report_templates import i18n

TEMPLATES = "cardshop_auditor.report_templates"
REPORT_STYLES = ("report.css",)
PAGE_STYLES = ("report.css", "history.css")     # diff.html and the batch summary

# Bidi embeddings, overrides and isolates in shop text would reorder the page's own words
# around them (a title ending in U+202E reads our sentence backwards): never printed.
BIDI_CONTROLS = {cp: None for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def plain_bidi(value):
    """Jinja ``finalize``: every printed value without bidi control characters (Markup stays Markup)."""
    if isinstance(value, str):
        clean = value.translate(BIDI_CONTROLS)
        return type(value)(clean) if isinstance(value, Markup) else clean
    return value


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        finalize=plain_bidi,
        loader=jinja2.PackageLoader(TEMPLATES, "."),
        autoescape=jinja2.select_autoescape(default_for_string=True, default=True),   # every name
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["safe_href"] = safe_href
    env.filters["relpath"] = safe_relpath
    env.filters["image_path"] = lambda p: safe_relpath(p, IMAGE_EXTS)
    env.filters["short_url"] = short_url
    env.filters["explain"] = explain_filter
    return env


def explain_filter(reason: Any):
    """``{{ r.reason|explain }}``: the reason's plain words (``.zh``/``.en``) or, when it has
    none (``.known`` false), its ``.raw`` line for a code element."""
    from cardshop_auditor.reasons import explain

    return explain(None if reason is None else str(reason))


@lru_cache(maxsize=8)
def stylesheet(names: tuple[str, ...] = REPORT_STYLES) -> str:
    """The named stylesheets of report_templates/, joined; refused if one could close the
    <style> element it is inlined in."""
    css = "\n".join(resources.files(TEMPLATES).joinpath(name).read_text("utf-8") for name in names)
    if "</" in css:
        raise ValueError("inline CSS must not contain '</'")
    return css


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_policy(css: str, script: str | None = None) -> str:
    """The page's CSP: its own images, the inlined stylesheet (and script) by hash, nothing else."""
    return (f"default-src 'none'; img-src 'self' data:; style-src {_sha256(css)}; "
            f"script-src {_sha256(script) if script else chr(39) + 'none' + chr(39)}; "
            "base-uri 'none'; form-action 'none'")


def page_chrome(lang: str = "zh", stylesheets: tuple[str, ...] = REPORT_STYLES,
                script: str | None = None) -> dict:
    """What every page template gets besides its view: language, UI words, the inlined
    stylesheet (and script) and the CSP that allows exactly them."""
    css = stylesheet(tuple(stylesheets))
    if script and "</" in script:
        raise ValueError("inline JS must not contain '</'")
    return {"lang": "en" if lang == "en" else "zh-CN", "lang_key": lang, "zh": lang != "en",
            "t": i18n.ui(lang), "css": Markup(css), "csp": content_policy(css, script),
            "script": Markup(script) if script else None}


def render_page(template: str, lang: str = "zh", *, stylesheets: tuple[str, ...] = REPORT_STYLES,
                script: str | None = None, **view) -> str:
    """``template`` rendered with the page chrome and ``view``."""
    return environment().get_template(template).render(
        **page_chrome(lang, stylesheets, script), **view)

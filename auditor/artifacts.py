"""Artifacts: what gathering produces and judging consumes.

A shop's artifacts are stored as ``artifacts/pages.jsonl`` (one ``Page`` per line,
written as it is fetched) plus ``artifacts/meta.json`` (one ``ShopMeta``), so a scan
can be re-judged later without crawling again (``cardshop-audit rescore``).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import orjson


@dataclass
class Page:
    url: str                      # the URL requested
    final_url: str                # after redirects
    status: int                   # HTTP status (0 when no response at all)
    fetched_with: str = "http"    # "http" | "browser"
    encoding: str | None = None   # how the body was decoded (e.g. "gbk", "utf-8")
    content_type: str = ""
    html: str = ""                # decoded body (capped by max_page_bytes)
    sha256: str = ""              # of the raw body bytes as received
    depth: int = 0                # link depth from the start page
    link_text: str = ""           # anchor text of the link that led here ("" for the start page)
    truncated: bool = False       # body cut at the byte limit
    error: str | None = None      # fetch error ("timeout", "dns", "too_many_redirects", ...)
    warc_record_id: str = ""      # its response (or rendered-DOM conversion) record in evidence/scan.warc.gz

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Page":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class BrowserStep:
    label: str                    # visible text of the control clicked
    url: str                      # page URL after the click
    screenshot: str | None = None # path relative to the report dir
    sha256: str | None = None


@dataclass
class ShopMeta:
    target: str                           # URL as given by the user
    final_url: str | None = None          # of the start page after redirects
    started_at: str = ""
    finished_at: str = ""
    robots_denied: bool = False
    errors: list[str] = field(default_factory=list)   # human-readable gather problems
    stats: dict = field(default_factory=dict)         # pages, bytes, seconds, limits hit
    # Browser stage (filled by auditor.browser): refund-entry search, screenshots, login.
    browser: dict | None = None
    # Addresses (spiders.pinning): the shop's policy, pinned host addresses, refusals.
    network: dict | None = None
    # The start page fetched once more as QQ's and WeChat's in-app browsers (spiders/shop.py,
    # 防红 probe): [{"agent", "status", "final_url", "sha256", "html" (capped), "error"}]
    ua_probes: list = field(default_factory=list)
    # Pages the crawl fetched under one link but that a nearer (or, at the same depth, a
    # first-sorting) page also links: url -> {"depth", "link_text"} of that least link
    # (spiders/shop.py ShopState.relinked; applied by crawl_order)
    relinked: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ShopMeta":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class ShopArtifacts:
    meta: ShopMeta
    pages: list[Page] = field(default_factory=list)

    @property
    def start_page(self) -> Page | None:
        """The home page as a visitor sees it: the browser-rendered one when the browser
        stage rendered it (an app shell's static HTML is empty), else the fetched one."""
        ok = [p for p in self.pages if p.depth == 0]
        rendered = [p for p in ok if p.fetched_with == "browser" and p.html and p.status < 400]
        if rendered:
            return rendered[0]
        return ok[0] if ok else (self.pages[0] if self.pages else None)

    # ---- storage -------------------------------------------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        write_atomic(directory / "pages.jsonl", b"".join(page_line(p) for p in self.pages))
        from cardshop_auditor import secrets
        meta = secrets.scrub_obj(self.meta.to_json())       # masked value by value: valid JSON
        write_atomic(directory / "meta.json", json.dumps(meta, ensure_ascii=False, indent=1))

    @classmethod
    def load_partial(cls, directory: Path, meta: ShopMeta) -> "ShopArtifacts":
        """Whatever pages a killed crawl managed to stream, under the given meta."""
        return cls(meta=meta, pages=crawl_order(read_pages(Path(directory) / "pages.jsonl"), meta.relinked))

    @classmethod
    def load(cls, directory: Path) -> "ShopArtifacts":
        meta = ShopMeta.from_json(json.loads((directory / "meta.json").read_text("utf-8")))
        return cls(meta=meta, pages=crawl_order(read_pages(directory / "pages.jsonl"), meta.relinked))


def page_order_key(page: Page) -> tuple:
    """Depth, then URL (then what else tells two fetches apart): the order every reader of
    a shop's pages sees, whatever order the crawler's concurrent responses came in."""
    return (page.depth, page.url, page.final_url, page.status, page.sha256)


def crawl_order(pages: Iterable[Page], relinked: dict | None = None) -> list[Page]:
    """The crawler's pages (written as their responses arrived, which differs from run to
    run) in ``page_order_key`` order, then the browser stage's pages in the order the stage
    added them (its own order is deterministic): the first page holding a fact, the one a
    report cites, is then the same in every run of the same shop.  ``relinked`` gives a
    crawled page the depth and link text of its least link (ShopMeta.relinked)."""
    pages = list(pages)
    for page in pages:
        better = (relinked or {}).get(page.url) if page.fetched_with == "http" else None
        if isinstance(better, dict) and isinstance(better.get("depth"), int):
            page.depth, page.link_text = better["depth"], str(better.get("link_text") or "")
    fetched = sorted((p for p in pages if p.fetched_with == "http"), key=page_order_key)
    return fetched + [p for p in pages if p.fetched_with != "http"]


def page_line(page: Page) -> bytes:
    """One line of ``pages.jsonl``.  orjson: a page's HTML is most of the crawler's output,
    and the standard encoder took 3 % of the crawl's CPU; text orjson refuses (a lone
    surrogate) is written by the standard encoder, escaped."""
    try:
        return orjson.dumps(page.to_json()) + b"\n"
    except TypeError:
        return json.dumps(page.to_json()).encode("ascii") + b"\n"


def read_pages(path: Path) -> Iterator[Page]:
    if not path.exists():
        return
    # errors="replace": a line torn mid-character by a crash must not raise from the
    # file iterator (outside the try below); it just fails to parse and is skipped.
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                yield Page.from_json(orjson.loads(line))
            except (ValueError, TypeError):
                continue  # a torn last line after a crash: skip, never fail


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: str | bytes, durable: bool = True) -> None:
    """Write via a temp file + rename so a crash never leaves a half-written file.

    ``durable``: fsync before the rename, so the file survives a power loss too.  Not
    worth it where the data it completes is not fsynced either (the crawl child's
    ``meta.json`` after its unsynced ``pages.jsonl``): a process crash keeps both anyway."""
    path = Path(path)
    data = _scrubbed(path, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    mode = "wb" if isinstance(data, bytes) else "w"
    try:
        with open(tmp, mode, **({} if isinstance(data, bytes) else {"encoding": "utf-8"})) as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:        # disk full, Ctrl-C: no half-written temp file left behind
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")


def _scrubbed(path: Path, data: str | bytes) -> str | bytes:
    """Every file the auditor writes passes here: the secrets of the run are masked
    (auditor/secrets.py).  Screenshots are pixels, not text: left as they are."""
    from cardshop_auditor import secrets
    if path.suffix.lower() in (".json", ".jsonl"):
        return secrets.scrub_json(data)        # inside strings: numbers and keys stay valid JSON
    if isinstance(data, str):
        return secrets.scrub(data)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return data
    return secrets.scrub_bytes(data)


def iter_text_pages(pages: Iterable[Page]) -> Iterator[Page]:
    """Pages worth extracting from: fetched, HTML-ish, non-empty."""
    for p in pages:
        if p.error is None and p.html and 200 <= p.status < 400:
            yield p

"""The scan as a WACZ package (Web Archive Collection Zipped, spec 1.1.1), for replay in
ReplayWeb.page or pywb: ``scan.wacz`` beside report.json.

    archive/scan.warc.gz         the scan's WARC, unchanged (its records re-hash as stored)
    indexes/index.cdxj           one CDXJ line per replayable capture (HTTP responses)
    pages/pages.jsonl            the pages the report lists as fetched, start page first
    datapackage.json             every file above with its sha256 and size
    datapackage-digest.json      the sha256 of datapackage.json

Everything is stored uncompressed in the ZIP (``ZIP_STORED``): the WARC is gzipped per
record already, and replay tools seek into it by the offsets the index gives.

Not indexed: request records, the rendered DOM (conversion records: evidence, not a
capture to replay), screenshots (``urn:`` resources) and the 防红 probes (the start page
fetched as QQ / WeChat: a replay of the start URL must show what a browser got).
"""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from cardshop_auditor import __version__
from cardshop_auditor.evidence.warc import WARC_PATH, WarcArchive

WACZ_NAME = "scan.wacz"
WACZ_VERSION = "1.1.1"
ARCHIVE_NAME = "scan.warc.gz"
DEFAULT_PORTS = {"http": 80, "https": 443}


def surt(url: str) -> str:
    """The SURT key replay tools look captures up by (pywb's canonical form): host labels
    reversed (IPv4 octets too) with a leading ``www.`` dropped, default port dropped,
    lower case, query arguments sorted, no fragment."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    host = re.sub(r"^www\d*\.", "", host)
    key = host if ":" in host else ",".join(reversed(host.split(".")))
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        key += f":{port}"
    path = quote(unquote(parts.path or "/"), safe="/%:@!$&'()*+,;=~") or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True))) if parts.query else ""
    return (f"{key})" + path + (f"?{query}" if query else "")).lower()


def _timestamp(warc_date: str) -> str:
    return re.sub(r"\D", "", warc_date)[:14].ljust(14, "0")


def cdxj_lines(archive: WarcArchive, filename: str = ARCHIVE_NAME) -> list[str]:
    lines = []
    for record in archive.records:
        if record.type != "response" or not record.target_uri.startswith(("http://", "https://")):
            continue
        if record.probe:
            continue
        fields = {"url": record.target_uri, "mime": (record.content_type or "").split(";")[0].strip() or "unk",
                  "status": str(record.status or 0), "digest": record.payload_digest or "",
                  "length": str(record.length), "offset": str(record.offset), "filename": filename,
                  "recordId": record.id}
        lines.append(f"{surt(record.target_uri)} {_timestamp(record.date)} "
                     f"{json.dumps(fields, ensure_ascii=False, separators=(',', ':'))}")
    return sorted(lines)


def pages_jsonl(report: dict, archive: WarcArchive) -> list[dict]:
    header = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
    rows, seen = [header], set()
    pages = sorted((p for p in report.get("pages") or [] if isinstance(p, dict)),
                   key=lambda p: p.get("depth") != 0 and p.get("url") != report.get("target"))
    for page in pages:
        ref = page.get("warc") or {}
        record = archive.by_id(ref.get("record_id", ""))
        if record is None or record.type != "response" or record.target_uri in seen:
            continue
        seen.add(record.target_uri)
        rows.append({"id": record.id.strip("<>").rsplit(":", 1)[-1], "url": record.target_uri,
                     "ts": _iso(record.date), "title": page.get("title") or record.target_uri})
    return rows


def _iso(warc_date: str) -> str:
    return warc_date[:19] + "Z" if len(warc_date) >= 19 else warc_date


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def write_wacz(out_dir: str | Path, report: dict, path: str | Path | None = None) -> Path:
    """Package the scan in ``out_dir`` (its WARC and report.json) as a WACZ file."""
    out_dir = Path(out_dir)
    warc_file = out_dir / WARC_PATH
    archive = WarcArchive(warc_file)
    warc_bytes = warc_file.read_bytes()
    index = ("\n".join(cdxj_lines(archive)) + "\n").encode("utf-8")
    pages = pages_jsonl(report, archive)
    pages_bytes = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in pages).encode("utf-8")
    files = {f"archive/{ARCHIVE_NAME}": warc_bytes, "indexes/index.cdxj": index,
             "pages/pages.jsonl": pages_bytes}
    main = pages[1] if len(pages) > 1 else {}
    package = {
        "profile": "data-package", "wacz_version": WACZ_VERSION,
        "title": f"cardshop-auditor scan of {report.get('target', '')}",
        "description": "Every HTTP exchange of the static crawl and the browser stage, "
                       "with the rendered pages and the screenshots (auditor/evidence).",
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "software": f"cardshop-auditor {__version__}",
        "mainPageUrl": main.get("url"), "mainPageDate": main.get("ts"),
        "resources": [{"name": Path(name).name, "path": name, "hash": _sha256(data), "bytes": len(data)}
                      for name, data in files.items()],
    }
    package_bytes = json.dumps(package, ensure_ascii=False, indent=1).encode("utf-8")
    digest = {"path": "datapackage.json", "hash": _sha256(package_bytes)}
    target = Path(path) if path else out_dir / WACZ_NAME
    tmp = target.with_name(f".{target.name}.tmp")
    stamp = datetime.now(timezone.utc).timetuple()[:6]
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in (*files.items(), ("datapackage.json", package_bytes),
                           ("datapackage-digest.json", json.dumps(digest, indent=1).encode("utf-8"))):
            zf.writestr(zipfile.ZipInfo(name, date_time=stamp), data)
    tmp.replace(target)
    return target

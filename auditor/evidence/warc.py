"""One WARC file per scan (``evidence/scan.warc.gz``): writing records and finding them again.

Writing.  ``WarcFile.append`` adds records to the file, each record its own gzip member
(so the crawl child, and after it the browser stage, can append to one file, and a reader
can seek straight to a record by its offset).  Records are WARC/1.1 with sha256 block and
payload digests (``sha256:<base32>``).  ``exchange`` builds the response + request pair
of one HTTP exchange from raw parts:

* the response's payload is the body as it came off the wire: Content-Encoding (gzip, br)
  still applied, chunked framing removed (Scrapy and Chromium de-chunk before we see the
  bytes; the original ``Transfer-Encoding`` header is kept as
  ``X-Archive-Orig-Transfer-Encoding`` so readers do not de-chunk it again);
* headers are re-serialised from the parsed list (Scrapy title-cases their names; a
  non-ASCII header value is percent-encoded, RFC 8187): the header block is faithful in
  content, not byte-for-byte;
* ``WARC-IP-Address`` is the address the connection really went to, ``WARC-Date`` the
  moment the request left;
* secrets never leave the process: the values of Cookie, Set-Cookie, Authorization and
  Proxy-Authorization are replaced by ``[redacted]`` (the cookie names stay); a body, a
  header or a URL that holds a registered secret (a login form post, a token the shop
  issued, a password a script put into a query string) is written with the secret masked
  as ``***`` (``auditor.secrets``), as report.json has it.  The record says what was
  changed in ``Cardshop-Redacted`` (headers, request-body, response-body, target-uri):
  such a body no longer re-hashes to what was served, and says so.

Reading.  ``WarcArchive(path)`` indexes the file once (record id → offset, type, target
URI) and answers ``by_id``, ``by_uri``, ``payload`` (the body with Content-Encoding
removed: what a page's ``sha256`` in report.json was taken of) and ``verify_page``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from http.client import responses as REASONS
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

WARC_PATH = "evidence/scan.warc.gz"         # relative to the scan directory
REDACTED = "[redacted]"
SECRET_HEADERS = {"cookie", "set-cookie", "authorization", "proxy-authorization"}
GZIP_LEVEL = 6              # warcio's default 9 costs 2-3x the CPU for ~2 % smaller files
SOFTWARE = "cardshop-auditor"

Headers = list[tuple[str, str]]


def warc_path(out_dir: str | Path) -> Path:
    return Path(out_dir) / WARC_PATH


# ---- writing -------------------------------------------------------------------------------
class _Builder(RecordBuilder):
    """warcio's record builder with WARC/1.1 (microsecond dates) and sha256 digests."""

    def __init__(self) -> None:
        super().__init__(warc_version="1.1")

    @staticmethod
    def _create_digester():
        return Digester("sha256")


_BUILDER = _Builder()


class _Serialiser(WARCWriter):
    _create_digester = staticmethod(_Builder._create_digester)


def serialise(records: Iterable) -> bytes:
    """The records as bytes, each record its own gzip member."""
    out = bytearray()
    for record in records:
        plain = io.BytesIO()
        _Serialiser(plain, gzip=False, warc_version="1.1").write_record(record)
        squeeze = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        out += squeeze.compress(plain.getvalue()) + squeeze.flush()
    return bytes(out)


class WarcFile:
    """Appends records to one scan's WARC.  ``fresh=True`` starts the file anew (the crawl
    child, once per shop); otherwise records are appended (the browser stage)."""

    def __init__(self, path: str | Path, fresh: bool = False, info: dict | None = None):
        self.path = Path(path)
        self._started = not fresh and self.path.exists() and self.path.stat().st_size > 0
        self._info = info or {}
        self.records = 0
        self.bytes = 0

    def append(self, records: list) -> None:
        if not records:
            return
        if not self._started:
            records = [warcinfo(self.path.name, self._info), *records]
        data = serialise(records)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # one write() per call: whole records, never interleaved with another writer's
        with open(self.path, "ab" if self._started else "wb") as fh:
            fh.write(data)
        self._started = True
        self.records += len(records)
        self.bytes += len(data)


def warc_date(when: float | datetime | None = None) -> str:
    if when is None:
        when = datetime.now(timezone.utc)
    elif not isinstance(when, datetime):
        when = datetime.fromtimestamp(when, timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def warcinfo(filename: str, info: dict) -> object:
    fields = {"software": SOFTWARE, "format": "WARC File Format 1.1",
              "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
              **{k: str(v) for k, v in info.items() if v not in (None, "")}}
    return _BUILDER.create_warcinfo_record(filename, fields)


def _redact_headers(headers: Headers) -> tuple[Headers, bool]:
    from cardshop_auditor import secrets
    out, changed = [], False
    for name, value in headers:
        low = name.lower()
        clean = secrets.scrub(value)            # a password a script put into a URL (Referer, Location)
        if clean != value:
            value, changed = clean, True
        if low in SECRET_HEADERS and value:
            changed = True
            if low in ("cookie", "set-cookie"):
                value = _mask_cookie(value, low == "set-cookie")
            else:
                value = (value.split(" ", 1)[0] + " " + REDACTED) if " " in value else REDACTED
        elif low == "transfer-encoding":
            name = "X-Archive-Orig-Transfer-Encoding"
        out.append((name, value))
    return out, changed


def _mask_cookie(value: str, set_cookie: bool) -> str:
    """``a=1; b=2`` → ``a=[redacted]; b=[redacted]``; a Set-Cookie keeps its attributes."""
    parts = value.split(";")
    if set_cookie:
        name = parts[0].split("=", 1)[0].strip()
        return "; ".join([f"{name}={REDACTED}", *(p.strip() for p in parts[1:])])
    return "; ".join(f"{p.split('=', 1)[0].strip()}={REDACTED}" for p in parts if p.strip())


def _scrub_body(body: bytes) -> tuple[bytes, bool]:
    from cardshop_auditor import secrets
    if not body or secrets.REGISTRY.empty or not secrets.REGISTRY.might_contain(body):
        return body, False
    clean = secrets.scrub_bytes(body)
    return clean, clean != body


@dataclass
class Exchange:
    """One HTTP request and its response, as captured."""
    url: str
    method: str
    request_headers: Headers
    request_body: bytes
    status: int
    response_headers: Headers
    body: bytes                      # as received: Content-Encoding applied, not chunked
    ip: str | None = None
    when: float | datetime | None = None
    protocol: str = "HTTP/1.1"
    reason: str | None = None
    truncated: str | None = None     # WARC-Truncated: length | time | disconnect | unspecified
    source: str = "crawler"          # crawler | browser
    note: str | None = None          # e.g. "body decoded by the browser"
    probe: str | None = None         # the 防红 probe's in-app browser (qq | wechat): not a visitor's view


def exchange_records(ex: Exchange) -> tuple[str, list]:
    """(response record id, [response, request]) of one exchange."""
    from cardshop_auditor import secrets
    date = warc_date(ex.when)
    redacted: list[str] = []
    url = secrets.scrub(ex.url)                  # as report.json has it (scrubbed the same way)
    if url != ex.url:
        redacted.append("target-uri")
        ex = dataclasses.replace(ex, url=url)
    resp_headers, masked = _redact_headers(ex.response_headers)
    if masked:
        redacted.append("headers")
    body, scrubbed = _scrub_body(ex.body)
    if scrubbed:
        redacted.append("response-body")
    reason = ex.reason if ex.reason is not None else REASONS.get(ex.status, "")
    status_line = f"{ex.status} {reason}".strip()
    fields = {"WARC-Date": date, "Cardshop-Source": ex.source}
    if ex.ip:
        fields["WARC-IP-Address"] = ex.ip
    if ex.truncated:
        fields["WARC-Truncated"] = ex.truncated
    if ex.note:
        fields["Cardshop-Note"] = ex.note
    if ex.probe:
        fields["Cardshop-Probe"] = ex.probe
    if redacted:
        fields["Cardshop-Redacted"] = ", ".join(redacted)
    response = _BUILDER.create_warc_record(
        ex.url, "response", payload=io.BytesIO(body), length=len(body), warc_headers_dict=fields,
        http_headers=StatusAndHeaders(status_line, resp_headers, protocol=ex.protocol or "HTTP/1.1"))
    response_id = response.rec_headers.get_header("WARC-Record-ID")

    req_headers, masked = _redact_headers(ex.request_headers)
    if not any(n.lower() == "host" for n, _ in req_headers):
        req_headers.insert(0, ("Host", urlsplit(ex.url).netloc))
    req_body, scrubbed = _scrub_body(ex.request_body or b"")
    req_fields = {"WARC-Date": date, "WARC-Concurrent-To": response_id, "Cardshop-Source": ex.source}
    if ex.ip:
        req_fields["WARC-IP-Address"] = ex.ip
    noted = (["target-uri"] if "target-uri" in redacted else []) + (["headers"] if masked else []) + (["request-body"] if scrubbed else [])
    if noted:
        req_fields["Cardshop-Redacted"] = ", ".join(noted)
    parts = urlsplit(ex.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = _BUILDER.create_warc_record(
        ex.url, "request", payload=io.BytesIO(req_body), length=len(req_body), warc_headers_dict=req_fields,
        http_headers=StatusAndHeaders(f"{ex.method.upper()} {target} HTTP/1.1", req_headers,
                                      is_http_request=True))
    return response_id, [response, request]


def resource_record(uri: str, data: bytes, content_type: str, when: float | datetime | None = None,
                    refers_to: str | None = None, record_type: str = "resource",
                    extra: dict | None = None) -> tuple[str, object]:
    """A resource (a screenshot) or a conversion (a page's rendered DOM) record."""
    fields = {"WARC-Date": warc_date(when), **(extra or {})}
    if refers_to:
        fields["WARC-Refers-To"] = refers_to
    record = _BUILDER.create_warc_record(uri, record_type, payload=io.BytesIO(data), length=len(data),
                                         warc_content_type=content_type, warc_headers_dict=fields)
    return record.rec_headers.get_header("WARC-Record-ID"), record


# ---- reading -------------------------------------------------------------------------------
@dataclass
class RecordInfo:
    id: str
    type: str
    target_uri: str
    date: str
    offset: int
    length: int
    ip: str | None = None
    content_type: str | None = None
    status: int | None = None
    refers_to: str | None = None
    concurrent_to: str | None = None
    payload_digest: str | None = None
    truncated: str | None = None
    redacted: str | None = None
    probe: str | None = None

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class WarcArchive:
    """A scan's WARC, indexed once: look records up by id or target URI, read payloads."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.records: list[RecordInfo] = list(self._index())
        self._by_id = {r.id: r for r in self.records}

    def _index(self) -> Iterator[RecordInfo]:
        with open(self.path, "rb") as fh:
            it = ArchiveIterator(fh, no_record_parse=False, arc2warc=False)
            for record in it:
                h = record.rec_headers
                info = RecordInfo(
                    id=h.get_header("WARC-Record-ID") or "", type=record.rec_type,
                    target_uri=h.get_header("WARC-Target-URI") or "", date=h.get_header("WARC-Date") or "",
                    offset=it.get_record_offset(), length=0, ip=h.get_header("WARC-IP-Address"),
                    content_type=(record.http_headers.get_header("Content-Type") if record.http_headers
                                  else h.get_header("Content-Type")),
                    status=_status(record), refers_to=h.get_header("WARC-Refers-To"),
                    concurrent_to=h.get_header("WARC-Concurrent-To"),
                    payload_digest=h.get_header("WARC-Payload-Digest"),
                    truncated=h.get_header("WARC-Truncated"), redacted=h.get_header("Cardshop-Redacted"),
                    probe=h.get_header("Cardshop-Probe"))
                record.raw_stream.read()               # to the end: the iterator then knows the length
                info.length = it.get_record_length() or 0
                yield info

    def by_id(self, record_id: str) -> RecordInfo | None:
        return self._by_id.get(record_id)

    def by_uri(self, uri: str, types: tuple[str, ...] = ("response", "resource", "conversion")) -> list[RecordInfo]:
        return [r for r in self.records if r.target_uri == uri and r.type in types]

    def _open(self, record_id: str):
        info = self._by_id.get(record_id)
        if info is None:
            raise KeyError(record_id)
        fh = open(self.path, "rb")
        fh.seek(info.offset)
        return fh, next(iter(ArchiveIterator(fh)))

    def payload(self, record_id: str, decoded: bool = True) -> bytes:
        """The record's payload; for a response with ``decoded`` its body with the
        Content-Encoding removed (gzip, deflate, br by warcio; zstd here)."""
        fh, record = self._open(record_id)
        with fh:
            if not decoded or not record.http_headers:
                return record.raw_stream.read()
            coding = (record.http_headers.get_header("Content-Encoding") or "").strip().lower()
            if coding in ("zstd", "x-zstd"):
                return _unzstd(record.raw_stream.read())
            return record.content_stream().read()

    def http_headers(self, record_id: str) -> Headers:
        fh, record = self._open(record_id)
        with fh:
            return list(record.http_headers.headers) if record.http_headers else []

    def payload_sha256(self, record_id: str) -> str:
        return hashlib.sha256(self.payload(record_id)).hexdigest()


def _status(record) -> int | None:
    if record.rec_type != "response" or not record.http_headers:
        return None
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None


def _unzstd(data: bytes) -> bytes:
    try:
        from compression import zstd          # Python 3.14
    except ImportError:
        from backports import zstd
    return zstd.decompress(data)

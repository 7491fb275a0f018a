"""``--icp-registry FILE``: filing records from a local export, looked up by registered domain.

The file is what the filing system exports (CSV or XLSX, UTF-8 or GBK): columns 主办单位名称,
主办单位性质, 网站备案号 / 许可证号, 网站名称, 网站域名, 审核日期 (the usual variants of these
names are recognised).  Nothing is ever looked up online (DESIGN.md "No internet").

    registry = load_registry(Path("records.xlsx"))       # RegistryError: a usage error
    registry.lookup("https://shop.example.cn/")           # contracts.RegistryLookup

A site's records are those whose 网站域名 has the same registered domain (public-suffix
list, offline: ``cardshop_auditor.urls``), so ``www.shop.cn`` and ``m.shop.cn`` find
the filing of ``shop.cn``.  The checks ``icp.registry_*`` judge what was found.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from cardshop_auditor.contracts import RegistryLookup, RegistryRecord

COLUMNS = {
    "holder": ("主办单位名称", "主办单位", "主办者名称", "主办者", "单位名称"),
    "holder_type": ("主办单位性质", "单位性质", "主办者性质", "性质"),
    "number": ("网站备案号", "许可证号", "网站备案号/许可证号", "网站备案/许可证号", "备案号/许可证号", "备案/许可证号",
               "备案号", "备案许可证号", "icp备案号", "主体备案号"),
    "site_name": ("网站名称",),
    "domain": ("网站域名", "域名", "网站首页网址", "首页网址", "网站首页地址", "网站网址"),
    "approved": ("审核日期", "审核通过日期", "审核时间", "审核通过时间"),
}
REQUIRED = ("holder", "number", "domain")
_DOMAIN_SPLIT = re.compile(r"[\s;；,，、|]+")
MAX_RECORDS = 500_000


class RegistryError(ValueError):
    """The registry file cannot be used (exit 2)."""


def _key(cell: str) -> str:
    return re.sub(r"[\s_()（）:：]", "", unicodedata.normalize("NFKC", cell or "")).lower().lstrip("\ufeff")


_ALIASES = {_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


def _is_header(cells: list[str]) -> bool:
    return sum(_key(c) in _ALIASES for c in cells) >= 2


def normalise_number(number: str | None) -> str:
    """京 ICP 备 １２３４５６７８ 号-1 → 京ICP备12345678号-1 (full-width, spaces, case)."""
    text = unicodedata.normalize("NFKC", number or "")
    text = re.sub(r"\s+", "", text).replace("—", "-").replace("－", "-")
    return re.sub("icp", "ICP", text, flags=re.IGNORECASE)


def subject_number(number: str) -> str:
    """The holder's number without the site suffix: 京ICP备12345678号-3 → 京ICP备12345678号."""
    return re.sub(r"-\d+$", "", normalise_number(number))


def normalise_name(name: str | None) -> str:
    """Company names compared as people read them: width, spaces and brackets ignored."""
    text = unicodedata.normalize("NFKC", name or "")
    return re.sub(r"[\s()（）【】\[\]·.,，。]", "", text)


def registered_domain(url_or_host: str, with_port: bool = False) -> str:
    """``https://m.shop.cn/x`` → ``shop.cn`` (offline public-suffix list); with_port and a
    port given: ``shop.cn:8080`` (a record that names its port: a test or an intranet site)."""
    from cardshop_auditor.urls import site_key
    text = (url_or_host or "").strip()
    candidate = text if "://" in text else "http://" + text
    try:
        parts = urlsplit(candidate)
        host, port = (parts.hostname or "").lower().rstrip("."), parts.port
    except ValueError:
        return ""
    if not host:
        return ""
    domain = site_key(f"http://{host}/").rsplit(":", 1)[0]
    return f"{domain}:{port}" if with_port and port else domain


@dataclass
class Registry:
    source: str                                              # the file's name (no directory)
    by_domain: dict[str, list[RegistryRecord]] = field(default_factory=dict)
    by_number: dict[str, list[RegistryRecord]] = field(default_factory=dict)
    count: int = 0

    def add(self, record: RegistryRecord) -> None:
        self.count += 1
        for domain in {registered_domain(d, with_port=True) for d in record.domains} - {""}:
            self.by_domain.setdefault(domain, []).append(record)
        self.by_number.setdefault(subject_number(record.number), []).append(record)

    def lookup(self, url: str) -> RegistryLookup:
        domain = registered_domain(url, with_port=True)
        if domain not in self.by_domain:
            domain = registered_domain(url)
        return RegistryLookup(source=self.source, records_in_file=self.count, domain=domain,
                              records=list(self.by_domain.get(domain, [])))

    def holders_of(self, number: str) -> list[RegistryRecord]:
        """Records filed under this number's holder (for "the number belongs to X")."""
        return list(self.by_number.get(subject_number(number), []))


def load_registry(path: Path) -> Registry:
    """Read the export (cached per file and modification time)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise RegistryError(f"{path}: {exc.strerror or exc}") from None
    return _load(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int, size: int) -> Registry:
    from cardshop_auditor.tabular import MAX_FILE_BYTES, TableError, decode_text, text_rows, xlsx_rows
    name = Path(path).name
    if size > MAX_FILE_BYTES:
        raise RegistryError(f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    data = Path(path).read_bytes()
    try:
        if name.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
            rows = xlsx_rows(data)
        else:
            rows = text_rows(decode_text(data)[0], is_header=_is_header)[0]
    except TableError as exc:
        raise RegistryError(f"{name}: {exc}") from None
    header_at = next((i for i, (_, cells) in enumerate(rows[:10])
                      if _is_header(cells)), None)
    if header_at is None:
        raise RegistryError(f"{name}: no header row with 主办单位名称 / 网站备案号 / 网站域名 in the first 10 rows")
    columns: dict[str, int] = {}
    for index, cell in enumerate(rows[header_at][1]):
        field_name = _ALIASES.get(_key(cell))
        if field_name and field_name not in columns:
            columns[field_name] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise RegistryError(f"{name}: no column for {', '.join(COLUMNS[m][0] for m in missing)}")
    registry = Registry(source=name)
    for number, cells in rows[header_at + 1:]:
        if registry.count >= MAX_RECORDS:
            raise RegistryError(f"{name}: more than {MAX_RECORDS} records")

        def cell(field_name: str) -> str:
            index = columns.get(field_name)
            return cells[index].strip() if index is not None and index < len(cells) else ""
        domains = [d for d in _DOMAIN_SPLIT.split(cell("domain")) if d]
        if not cell("number") or not domains:
            continue                                  # a blank or subtotal line
        registry.add(RegistryRecord(number=normalise_number(cell("number")), holder=cell("holder"),
                                    holder_type=cell("holder_type"), site_name=cell("site_name"),
                                    domains=domains, approved=cell("approved") or None, line=number))
    if not registry.count:
        raise RegistryError(f"{name}: no records (rows with a number and a domain)")
    return registry


def lookup_for(findings: dict, registry_path: str | None) -> dict | None:
    """findings["icp_registry"]: the records for the site (None: no registry given)."""
    if not registry_path:
        return None
    site = findings.get("site") or {}
    url = site.get("final_url") or site.get("start_url") or ""
    registry = load_registry(Path(registry_path))
    found = registry.lookup(url)
    shown = (findings.get("icp") or {}).get("number")
    if shown:
        found.number_records = registry.holders_of(shown)
    return found.to_json()

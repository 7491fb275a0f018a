"""Batch files as offices keep them: URL lists, CSV, TSV, XLSX and TOML, read into shops.

    batch = read_batch_file(Path("shops.xlsx"))     # BatchInput(shops, problems, format, ...)

* **Encoding** (text files): a BOM decides (UTF-8, UTF-16 as Excel's "Unicode text");
  else strict UTF-8; else GB18030 (a superset of GBK, what Excel and WPS write on Chinese
  Windows); else charset-normalizer's best guess.  Undecodable text is a usage error.
* **Delimiter**: tab, comma, semicolon or full-width comma, whichever splits the header
  (or the first lines) consistently; a file without one is a URL per line, where text after
  the address and a space is the label (``https://a.cn/ 一号店``).
* **Header row** in Chinese or English (网址 / 链接 / 店铺 / 名称 / 备注 / url / label / note …,
  see ``COLUMN_ALIASES``); without one the column whose cells are web addresses is the URL.
* **Bad lines**: a line that is not a web address is skipped and reported with its line
  number (the row number a spreadsheet shows); the batch goes on with the rest.  Nothing
  usable at all is a usage error (exit 2).  Credentials that cannot be resolved are a
  usage error too: auditing a shop logged out when a login was asked for would mislead.
* **Duplicates**: one shop per identity: the site (``cardshop_auditor.urls``: registrable
  domain + non-default port, so http/https and :443 collapse), the host without ``www.``,
  the path and query, and the login.  Later copies are skipped with a note.
* **TOML** gives ``[defaults]`` and ``[[shop]]`` tables with per-shop options (label, note,
  username with password_env / password_file, order_no, lang, crawl limits).  A plaintext
  ``password`` is refused in TOML: a file written for this tool has no excuse for one.
"""
from __future__ import annotations

import hashlib
import ipaddress
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cardshop_auditor.tabular import MAX_FILE_BYTES, TableError, decode_text, text_rows, xlsx_rows


# Header cell (lower-cased, spaces and _ - removed) -> field.
COLUMN_ALIASES = {
    "url": ("url", "urls", "网址", "链接", "网站", "网站网址", "网站地址", "网站链接", "店铺网址", "店铺链接",
            "店铺地址", "地址", "域名", "网站域名", "website", "site", "link", "address", "homepage", "domain",
            "shopurl", "siteurl"),
    "label": ("label", "name", "shop", "shopname", "store", "title", "店铺", "店铺名", "店铺名称", "名称", "店名",
              "网站名称", "平台", "平台名称", "标签"),
    "note": ("note", "notes", "remark", "remarks", "comment", "备注", "说明", "附注"),
    "username": ("username", "user", "login", "account", "用户名", "账号", "帐号", "登录账号", "登录名"),
    "password": ("password", "密码"),
    "password_env": ("passwordenv", "密码环境变量"),
    "password_file": ("passwordfile", "密码文件"),
    "order_no": ("orderno", "order", "ordernumber", "订单号", "订单编号"),
    "lang": ("lang", "language", "语言"),
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}

# Per-shop options a TOML file may give (and [defaults]): name -> AuditOptions field.
SHOP_OPTION_FIELDS = {"lang": "lang", "max_pages": "max_pages", "max_depth": "max_depth",
                      "timeout": "timeout", "time_budget": "shop_time_budget",
                      "max_page_bytes": "max_page_bytes", "browser": "browser"}
SHOP_KEYS = {"url", "label", "note", "username", "password_env", "password_file", "order_no",
             *SHOP_OPTION_FIELDS}
_HOST_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")
_TLD = re.compile(r"^(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})$", re.IGNORECASE)


# The file as a whole cannot be used (exit 2): unreadable, undecodable, nothing usable.
BatchFileError = TableError


@dataclass
class Problem:
    line: int | str | None      # file line / spreadsheet row, or "shop N" in TOML
    message: str
    kind: str = "skipped"       # skipped (not a web address) | duplicate

    def __str__(self) -> str:
        if isinstance(self.line, int):
            return f"line {self.line}: {self.message}"
        return f"{self.line}: {self.message}" if self.line else self.message


@dataclass
class BatchInput:
    shops: list                                    # BatchShop
    problems: list[Problem] = field(default_factory=list)   # skipped lines, duplicates
    format: str = "lines"                          # lines | csv | tsv | xlsx | toml
    encoding: str | None = None
    header: list[str] | None = None                # the fields the header row named


# --------------------------------------------------------------------------- shops


@dataclass
class BatchShop:
    url: str
    id: str = ""
    label: str = ""
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    credential_ref: dict | None = None      # where the password comes from (auditor.secrets), no secret
    plaintext_password: bool = False        # the batch file itself carried the password
    note: str = ""                          # the batch file's 备注 column, shown in the summary
    order_no: str | None = None             # for a public order-query refund flow
    options: dict = field(default_factory=dict)   # per-shop AuditOptions fields (batch_input)

    def public(self) -> dict:
        """Without the password: what may be written to disk."""
        return {"id": self.id, "url": self.url, "label": self.label, "username": self.username,
                "note": self.note, "options": self.options}


def shop_id_for(url: str, username: str | None = None) -> str:
    """Stable, readable, filesystem-safe: ``<host>[-<port>]-<8 hex of url+user>``."""
    from cardshop_auditor.outputs import host_slug
    parts = urlsplit(url)
    host = host_slug(parts.hostname)
    port = f"-{parts.port}" if parts.port else ""
    digest = hashlib.sha256(f"{url}\0{username or ''}".encode("utf-8")).hexdigest()[:8]
    return f"{host}{port}-{digest}"


# --------------------------------------------------------------------------- reading


def read_batch_file(path: Path, *, resolve: bool = True) -> BatchInput:
    """Read and check a batch file (BatchFileError / ValueError: a usage error).
    ``resolve=False`` (``batch --broker``): password_env / password_file references are
    kept as references, not read here: each worker resolves them from its own configuration."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise BatchFileError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: not a batch file")
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et"):
        raise BatchFileError("old binary spreadsheet format: save it as .xlsx or as CSV (UTF-8) first")
    data = path.read_bytes()
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return rows_to_input(xlsx_rows(data), fmt="xlsx", resolve=resolve)
    text, encoding = decode_text(data)
    if suffix == ".toml":
        batch = parse_toml(text, resolve=resolve)
        batch.encoding = encoding
        return batch
    batch = parse_text(text, resolve=resolve)
    batch.encoding = encoding
    return batch


def parse_text(text: str, *, resolve: bool = True) -> BatchInput:
    """A URL list, CSV or TSV (delimiter found here), as decoded text."""
    rows, delimiter = text_rows(text, is_header=_is_header, is_url=looks_like_url)
    if delimiter is None:
        return rows_to_input([(n, _split_url_and_label(cells[0])) for n, cells in rows], fmt="lines",
                             resolve=resolve)
    return rows_to_input(rows, fmt="tsv" if delimiter == "\t" else "csv", resolve=resolve)


def _split_url_and_label(line: str) -> list[str]:
    """``https://a.cn/  一号店`` → [url, label]: a web address never holds a space."""
    parts = line.strip().split(None, 1)
    return parts if len(parts) == 2 and looks_like_url(parts[0]) else [line.strip()]


def _is_header(cells: list[str]) -> bool:
    return any(_field_for(c) is not None for c in cells) and not looks_like_url(cells[0])


def _field_for(cell: str) -> str | None:
    key = re.sub(r"[\s_\-()（）:：]", "", (cell or "").strip().lower()).lstrip("\ufeff")
    return _ALIAS_TO_FIELD.get(key)


def looks_like_url(cell: str) -> bool:
    """A web address (scheme optional): http(s), a host with a dot and a real-looking top
    label, an IP address or localhost; no spaces.  ``一号店`` or ``url`` are not."""
    cell = (cell or "").strip()
    if not cell or any(ch.isspace() for ch in cell):
        return False
    candidate = cell if "://" in cell else "http://" + cell
    try:
        parts = urlsplit(candidate)
        parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme.lower() not in ("http", "https") or not host:
        return False
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.split(".")
    return len(labels) >= 2 and all(_HOST_LABEL.match(lb) for lb in labels) and bool(_TLD.match(labels[-1]))


# --------------------------------------------------------------------------- rows -> shops


def rows_to_input(rows: list[tuple[int, list[str]]], fmt: str, *, resolve: bool = True) -> BatchInput:
    """Header detection, then one shop per usable row (see the module docstring)."""
    if not rows:
        raise BatchFileError("no rows: the file is empty")
    header_fields = [_field_for(c) for c in rows[0][1]]
    has_header = any(header_fields) and not any(looks_like_url(c) for c in rows[0][1])
    data = rows[1:] if has_header else rows
    columns: dict[str, int] = {}
    if has_header:
        for index, name in enumerate(header_fields):
            if name and name not in columns:
                columns[name] = index
    if "url" not in columns:              # no header, or one without an address column
        columns["url"] = _url_column(data, exclude=set(columns.values()))
        if has_header and "label" in columns and columns["label"] == columns["url"]:
            del columns["label"]
    if not has_header and "label" not in columns and data and max(len(c) for _, c in data) > 1:
        columns["label"] = 1 if columns["url"] == 0 else 0
    records = []
    for number, cells in data:
        record = {name: (cells[index] if index < len(cells) else "") for name, index in columns.items()}
        records.append((number, record))
    batch = records_to_input(records, fmt, resolve=resolve)
    batch.header = sorted(columns, key=columns.get) if has_header else None
    return batch


def _url_column(data: list[tuple[int, list[str]]], exclude: set[int]) -> int:
    width = max((len(cells) for _, cells in data), default=1)
    scores = [sum(looks_like_url(cells[i]) for _, cells in data if i < len(cells)) if i not in exclude else -1
              for i in range(width)]
    return max(range(width), key=lambda i: scores[i]) if width else 0


def records_to_input(records: list[tuple[int | None, dict]], fmt: str,
                     defaults: dict | None = None, *, resolve: bool = True) -> BatchInput:
    """Records (line, {field: value}) → shops; skipped lines and duplicates as problems."""
    from cardshop_auditor.urls import target_url
    problems: list[Problem] = []
    shops: list[BatchShop] = []
    seen: dict[tuple, int | None] = {}
    for number, record in records:
        raw = str(record.get("url") or "").strip()
        if not raw:
            problems.append(Problem(number, "no web address in this row; skipped"))
            continue
        if not looks_like_url(raw):
            problems.append(Problem(number, f"not a web address: {_shown(raw)}; skipped"))
            continue
        try:
            url = target_url(raw)
        except ValueError as exc:
            problems.append(Problem(number, f"{exc}; skipped"))
            continue
        shop = _shop_from_record(BatchShop, url, record, number, defaults or {}, resolve=resolve)
        shop.id = shop_id_for(url, shop.username)
        key = identity(url, shop.username)
        if key in seen:
            first = seen[key]
            earlier = f"line {first}" if isinstance(first, int) else (first or "an earlier row")
            problems.append(Problem(number, f"the same shop as {earlier}: {_shown(raw)}; skipped",
                                    kind="duplicate"))
            continue
        seen[key] = number
        shops.append(shop)
    if not shops:
        details = "; ".join(str(p) for p in problems[:5]) + (" …" if len(problems) > 5 else "")
        raise BatchFileError("no usable web address" + (f" ({details})" if details else ""))
    return BatchInput(shops=shops, problems=problems, format=fmt)


def identity(url: str, username: str | None = None) -> tuple:
    """Two rows are one shop when this is equal (module docstring, "Duplicates")."""
    from cardshop_auditor.urls import site_key
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    return site_key(url), host, parts.path.rstrip("/") or "/", parts.query, username or ""


def _shown(text: str) -> str:
    text = " ".join(str(text).split())
    return ascii(text[:80]) if any(not ch.isprintable() for ch in text) else repr(text[:80])


def _shop_from_record(shop_class, url: str, record: dict, number: int | None, defaults: dict, *,
                      resolve: bool = True):
    """Credentials resolved here, on the user's machine (ValueError: a usage error)."""
    from cardshop_auditor import credentials, secrets
    from cardshop_auditor.browser import credentials as site_credentials
    where = f"line {number}" if isinstance(number, int) else (number or "shop")
    merged = {**defaults, **{k: v for k, v in record.items() if v not in (None, "")}}
    username = str(merged.get("username") or "").strip() or None
    password = str(merged.get("password") or "") or None
    ref = credentials.credential_ref(username=username, password_env=merged.get("password_env") or None,
                                     password_file=merged.get("password_file") or None)
    if len(ref) > 1:
        if password:
            raise ValueError(f"{where}: give one of password, password_env, password_file")
        if resolve:
            try:
                password = site_credentials.resolve_credentials(ref, url=url, trusted=True).password
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from None
        elif not username:
            raise ValueError(f"{where}: credential reference: a password reference needs a username")
        else:
            secrets.register_credentials(username, None)
    elif bool(username) != bool(password):
        raise ValueError(f"{where}: username and password go together")
    else:
        secrets.register_credentials(username, password)
    options = {SHOP_OPTION_FIELDS[k]: merged[k] for k in SHOP_OPTION_FIELDS if merged.get(k) not in (None, "")}
    if "lang" in options and options["lang"] not in ("zh", "en"):
        raise ValueError(f"{where}: lang is zh or en, not {_shown(options['lang'])}")
    return shop_class(url=url, label=str(merged.get("label") or ""), note=str(merged.get("note") or ""),
                      username=username, password=password,
                      order_no=str(merged["order_no"]) if merged.get("order_no") else None,
                      options=options, credential_ref=ref if len(ref) > 1 else None,
                      plaintext_password=bool(password) and len(ref) <= 1)


# --------------------------------------------------------------------------- TOML


_LIMIT_TYPES = {"max_pages": int, "max_depth": int, "timeout": (int, float), "time_budget": (int, float),
                "max_page_bytes": int}


def parse_toml(text: str, *, resolve: bool = True) -> BatchInput:
    """``[defaults]`` + ``[[shop]]`` tables (module docstring)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BatchFileError(f"not valid TOML: {exc}") from None
    unknown_top = set(doc) - {"defaults", "shop", "shops"}
    if unknown_top:
        raise BatchFileError(f"unknown table(s) {sorted(unknown_top)}: use [defaults] and [[shop]]")
    defaults = doc.get("defaults") or {}
    shops = list(doc.get("shop") or []) + list(doc.get("shops") or [])
    if not isinstance(defaults, dict) or not all(isinstance(s, dict) for s in shops):
        raise BatchFileError("[defaults] is a table and every [[shop]] a table")
    _check_table(defaults, "[defaults]", allow_url=False)
    records = []
    for index, shop in enumerate(shops, 1):
        where = f"shop {index}"
        _check_table(shop, where, allow_url=True)
        records.append((where, shop))
    if not records:
        raise BatchFileError("no [[shop]] tables")
    return records_to_input(records, fmt="toml", defaults=defaults, resolve=resolve)


def _check_table(table: dict, where: str, allow_url: bool) -> None:
    if "password" in table:
        raise BatchFileError(f"{where}: a plaintext password is not accepted in a batch file; "
                             "give password_env (an environment variable) or password_file")
    allowed = SHOP_KEYS if allow_url else SHOP_KEYS - {"url"}
    unknown = set(table) - allowed
    if unknown:
        raise BatchFileError(f"{where}: unknown key(s) {sorted(unknown)}; known: {', '.join(sorted(allowed))}")
    for key, kind in _LIMIT_TYPES.items():
        value = table.get(key)
        lowest = 0 if key == "max_depth" else 1e-9
        if value is not None and (isinstance(value, bool) or not isinstance(value, kind) or value < lowest):
            raise BatchFileError(f"{where}: {key} must be a positive number")
    if table.get("browser") not in (None, "auto", "always", "never"):
        raise BatchFileError(f"{where}: browser is auto, always or never")
    for key in ("url", "label", "note", "username", "password_env", "password_file", "lang"):
        if table.get(key) is not None and not isinstance(table[key], str):
            raise BatchFileError(f"{where}: {key} must be a string")
    if table.get("order_no") is not None and not isinstance(table["order_no"], (str, int)):
        raise BatchFileError(f"{where}: order_no must be a string")

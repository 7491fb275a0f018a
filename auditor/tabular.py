"""Tables as offices save them: text in UTF-8 (BOM or not), GBK / GB18030 or UTF-16 with
a delimiter to detect, or the first sheet of an XLSX workbook; rows with their line numbers.

A leaf module (standard library, charset-normalizer, openpyxl): the batch file reader
(auditor/batch_input.py) and the filing-record reader (auditor/icp_registry.py) share it.
"""
from __future__ import annotations

import csv
import io
from typing import Callable

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
DELIMITERS = ("\t", ",", ";", "，", "|")

Rows = list[tuple[int, list[str]]]


class TableError(ValueError):
    """The file as a whole cannot be used (a usage error): unreadable, undecodable, empty."""


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for a file saved by Excel, WPS, Notepad or a script."""
    for bom, name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise TableError(f"starts with a {name} byte-order mark but is not {name}") from None
    for name in ("utf-8", "gb18030"):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None:
        raise TableError("not text in any encoding we know (UTF-8, GBK/GB18030, UTF-16)")
    return str(best), best.encoding


def xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cell texts) of the first sheet; empty rows left out."""
    import zipfile

    import openpyxl
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise TableError(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise TableError("the workbook has no sheet")
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            if number > MAX_ROWS:
                raise TableError(f"more than {MAX_ROWS} rows")
            cells = ["" if v is None else str(v).strip() for v in values]
            if any(cells):
                rows.append((number, cells))
        return rows
    finally:
        book.close()


def text_rows(text: str, is_header: Callable[[list[str]], bool] | None = None,
              is_url: Callable[[str], bool] | None = None) -> tuple[Rows, str | None]:
    """(line number, cells) of the non-blank, non-# lines and the delimiter found (None: a
    cell per line)."""
    numbered = [(n, ln) for n, ln in enumerate(text.splitlines(), 1)
                if ln.strip() and not ln.lstrip().startswith("#")]
    if len(numbered) > MAX_ROWS:
        raise TableError(f"more than {MAX_ROWS} lines")
    delimiter = sniff_delimiter([ln for _, ln in numbered[:20]], is_header, is_url)
    if delimiter is None:
        return [(n, [ln.strip()]) for n, ln in numbered], None
    return [(n, [c.strip() for c in next(csv.reader([ln], delimiter=delimiter), [])]) for n, ln in numbered], delimiter


def sniff_delimiter(lines: list[str], is_header: Callable[[list[str]], bool] | None = None,
                    is_url: Callable[[str], bool] | None = None) -> str | None:
    """The delimiter a header row uses (``is_header``), else the one that splits the first
    lines into the same number (>1) of cells in most lines; a comma only when no line is a
    web address holding one (``is_url``).  None: one cell a line."""
    if not lines:
        return None
    best = None
    for delimiter in DELIMITERS:
        counts = [len(next(csv.reader([ln], delimiter=delimiter), [])) for ln in lines]
        if counts[0] < 2:
            continue
        if is_header and is_header(next(csv.reader([lines[0]], delimiter=delimiter))):
            return delimiter
        consistent = sum(c == counts[0] for c in counts) >= max(1, len(counts) * 0.6)
        comma_in_url = delimiter == "," and is_url is not None and any(is_url(ln.strip()) for ln in lines)
        if consistent and not comma_in_url and best is None:
            best = delimiter
    return best

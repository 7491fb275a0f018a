"""summary.xlsx: the batch summary as the spreadsheet an office files and filters.

One row per shop (worst first, as index.html), the header frozen and filtered, the flags
as names and as one column per flag raised in the batch (● — so a filter on a column
lists the shops with that flag), links to each report and diff.  Every value from a
scanned site is written as text: never a formula, never a control character.
"""
from __future__ import annotations

import io
from pathlib import Path

# (row key, zh header, en header, width)
COLUMNS = (
    ("label", "店铺", "Shop", 18),
    ("url", "网址", "URL", 34),
    ("status", "状态", "Status", 9),
    ("score", "得分", "Score", 7),
    ("risk", "风险", "Risk", 7),
    ("flag_names", "风险标记", "Flags", 40),
    ("refund_found", "退款入口", "Refund entry", 10),
    ("refund_clicks", "点击次数", "Clicks", 8),
    ("company_name", "经营者", "Operator", 24),
    ("icp", "备案号", "ICP number", 20),
    ("icp_registry", "备案核对", "Filing record", 22),
    ("changes", "变化", "Changes", 7),
    ("scanned_at", "检查时间", "Scanned at", 21),
    ("report", "报告", "Report", 10),
    ("diff", "对比", "Diff", 8),
    ("note", "备注", "Note", 20),
    ("id", "编号", "Shop id", 28),
)
STATUS = {"complete": ("完成", "complete"), "partial": ("部分", "partial"), "failed": ("无法检查", "failed"),
          "missing": ("未检查", "not done")}
RISK = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}
YES_NO = {True: ("有", "yes"), False: ("无", "no")}
REGISTRY = {"match": ("与备案一致", "matches the record"), "number_mismatch": ("备案号不符", "number not on record"),
            "operator_mismatch": ("主办单位不符", "operator differs"), "personal": ("个人备案却在经营", "personal filing, sells"),
            "no_record": ("无备案记录", "no record"), "not_checked": ("未核对", "not checked")}
FLAG_MARK = "●"


def flag_name(flag: str, lang: str) -> str:
    """The flag's name in the report language (from the checks' flag registry)."""
    from cardshop_auditor.checks import flag_name as registry_name
    return registry_name(flag, lang)


def _text(value) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from cardshop_auditor.secrets import scrub
    return ILLEGAL_CHARACTERS_RE.sub("", scrub(str(value)))


def _pick(table: dict, key, zh: bool) -> str:
    pair = table.get(key)
    return (pair[0] if zh else pair[1]) if pair else ("" if key is None else str(key))


def registry_outcome(row: dict) -> str | None:
    """The row's one-word filing-record result (see checks/icp_registry_*.py), or None."""
    return row.get("icp_registry")


def write_summary_xlsx(rows: list[dict], path: Path, *, batch_id: str, lang: str = "zh") -> Path:
    """Write the workbook atomically (rows already in the summary's order)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from cardshop_auditor.artifacts import write_atomic
    zh = lang != "en"
    book = Workbook()
    sheet = book.active
    sheet.title = "汇总" if zh else "Summary"
    flags = sorted({f for r in rows for f in r.get("flags") or []})
    headers = [(c[1] if zh else c[2]) for c in COLUMNS] + [flag_name(f, lang) for f in flags]
    sheet.append(headers)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    link_font = Font(color="0563C1", underline="single")
    for r in rows:
        values = {
            "label": r.get("label") or "", "url": r.get("url") or "",
            "status": _pick(STATUS, r.get("status"), zh), "score": r.get("score"),
            "risk": _pick(RISK, r.get("risk"), zh),
            "flag_names": ("；" if zh else "; ").join(flag_name(f, lang) for f in r.get("flags") or []),
            "refund_found": _pick(YES_NO, r.get("refund_found"), zh) if r.get("refund_found") is not None else "",
            "refund_clicks": r.get("refund_clicks"), "company_name": r.get("company_name") or "",
            "icp": r.get("icp") or "", "icp_registry": _pick(REGISTRY, registry_outcome(r), zh),
            "changes": r.get("changes"), "scanned_at": r.get("scanned_at") or "",
            "report": ("打开报告" if zh else "open") if r.get("report") else "",
            "diff": ("对比" if zh else "diff") if r.get("diff") else "",
            "note": r.get("note") or "", "id": r.get("id") or "",
        }
        line = [values[c[0]] for c in COLUMNS] + [FLAG_MARK if f in (r.get("flags") or []) else "" for f in flags]
        sheet.append([v if isinstance(v, (int, float)) and not isinstance(v, bool) else _text(v if v is not None else "")
                      for v in line])
        row_cells = sheet[sheet.max_row]
        for cell in row_cells:
            if cell.data_type == "f":        # text from a site that starts with "=": text, not a formula
                cell.data_type = "s"
        for key, target in (("report", r.get("report")), ("diff", r.get("diff")), ("url", r.get("url"))):
            if target and (key != "url" or str(target).startswith(("http://", "https://"))):
                cell = row_cells[[c[0] for c in COLUMNS].index(key)]
                cell.hyperlink = _text(target)
                cell.font = link_font
    for index, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column[3]
    for index in range(len(COLUMNS) + 1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12
    sheet.freeze_panes = "B2"                # the header row and the shop column stay in view
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, sheet.max_row)}"
    book.properties.title = f"cardshop-audit {batch_id}"
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(Path(path), buffer.getvalue())
    return Path(path)

"""The ledger (协议管理台账) as xlsx or csv: the columns the clean-up plan asks for (seed 000
四(二)1: 签订时间、合作方、履约期限、标的资产、收费标准、收益上缴、履约情况) plus findings,
proposal, decision, reviewer and date — rows from :meth:`Store.ledger`."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

LEDGER_COLUMNS: tuple[str, ...] = (
    "序号", "单位", "文件", "协议类型", "签订时间", "合作方", "履约期限", "标的资产", "收费标准", "收益上缴",
    "履约情况", "审查发现", "机器建议", "风险分", "处理决定", "决定说明", "审查人", "决定日期",
)
_WIDTHS = {"序号": 6, "单位": 14, "文件": 28, "协议类型": 12, "签订时间": 12, "合作方": 28, "履约期限": 26,
           "标的资产": 36, "收费标准": 22, "收益上缴": 30, "履约情况": 24, "审查发现": 36, "机器建议": 10,
           "风险分": 8, "处理决定": 10, "决定说明": 30, "审查人": 10, "决定日期": 12}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def ledger_xlsx(rows: Sequence[dict[str, Any]], title: str = "协议管理台账") -> bytes:
    """The ledger as an Excel workbook: a title row, the header, one row per agreement. Text
    read from documents is always written as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append([f"{title}（导出时间 {datetime.now():%Y-%m-%d %H:%M}）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LEDGER_COLUMNS))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(LEDGER_COLUMNS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append([_xlsx_safe(row.get(c, "")) for c in LEDGER_COLUMNS])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    for i, col in enumerate(LEDGER_COLUMNS, start=1):
        ws.column_dimensions[ws.cell(row=2, column=i).column_letter].width = _WIDTHS.get(col, 14)
    for r in ws.iter_rows(min_row=3):
        for cell in r:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A3"
    if rows:
        ws.auto_filter.ref = f"A2:{ws.cell(row=2, column=len(LEDGER_COLUMNS)).column_letter}{len(rows) + 2}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_safe(value: Any) -> Any:
    """Control characters (a form feed from a PDF, say) are not allowed in a worksheet."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def ledger_csv(rows: Sequence[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it correctly. Text that
    a spreadsheet would run as a formula gets a leading apostrophe."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(LEDGER_COLUMNS), extrasaction="ignore")
    w.writeheader()
    for row in rows:
        w.writerow({k: _csv_safe(v) for k, v in row.items()})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_ledger(rows: Sequence[dict[str, Any]], out: str | Path, fmt: str | None = None) -> Path:
    """Write the ledger to ``out`` as ``fmt`` (default: from the suffix, else xlsx)."""
    out = Path(out)
    fmt = fmt or out.suffix.lstrip(".").lower() or "xlsx"
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"未知的台账格式 {fmt!r}，应为 xlsx 或 csv（unknown ledger format）")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(ledger_xlsx(rows) if fmt == "xlsx" else ledger_csv(rows))
    return out

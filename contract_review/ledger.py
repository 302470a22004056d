"""The ledger (协议管理台账) and the rectification list (整改清单) as xlsx or csv.

The columns are those the clean-up plan asks for (seed 000 四(二)1: 签订时间、合作方、履约期限、
标的资产、收费标准、收益上缴、履约情况) plus the owner (资产方), the area, the contract total, the
findings, the machine's proposal, the decision with its rectification (整改措施 / 时限 / 责任人),
the reviewer and the date. :func:`ledger_rows` builds them (each with :func:`ledger_row` or
:func:`failed_row`) from what :meth:`Store.ledger_items` reads; the writers lay them out.

A finance bureau files the workbook: dates are Excel dates, amounts and areas Excel numbers (with
number formats, so they sum and sort), the term is its start, its end and its months in three
cells, 收益上缴 is a judgement (:data:`REMITTANCE_LABELS`) with the clause it rests on in a cell
note, 履约情况 follows from the findings, files that could not be read have a sheet of their own,
and every sheet prints on A4 landscape, one page wide, with the header row repeated.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .labels import (
    CHECK_LABELS,
    DISPOSITION_LABELS,
    ERROR_LABELS,
    RENT_PERIOD_LABELS,
    TYPE_LABELS,
    label,
    shown_name,
    value_text,
)
from .store import Store, Viewer, local_time
from .values import as_date, as_number


@dataclass(frozen=True)
class Column:
    name: str
    width: float
    kind: str = "text"  # text | int | number | money | date | score


_NUMBER_FORMATS = {"int": "0", "number": "#,##0.00", "money": "#,##0.00", "date": "yyyy-mm-dd", "score": "0.00"}

COLUMNS: tuple[Column, ...] = (
    Column("序号", 6, "int"), Column("单位", 14), Column("文件", 26), Column("协议类型", 10),
    Column("签订时间", 12, "date"), Column("资产方", 22), Column("合作方", 22), Column("标的资产", 30),
    Column("面积（㎡）", 12, "number"), Column("履约期限（起）", 12, "date"), Column("履约期限（止）", 12, "date"),
    Column("履约期限（月）", 9, "int"), Column("收费标准（元）", 14, "money"), Column("收费周期", 8),
    Column("年收费（元）", 14, "money"), Column("合同总额（元）", 15, "money"), Column("收益上缴", 14),
    Column("履约情况", 26), Column("审查发现", 30), Column("机器建议", 9), Column("风险分", 7, "score"),
    Column("处理决定", 9), Column("决定说明", 26), Column("整改措施", 28), Column("整改时限", 12, "date"),
    Column("责任人", 10), Column("审查人", 10), Column("决定日期", 12, "date"),
)
LEDGER_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS)

NOTES: dict[str, str] = {"收益上缴": "收益上缴依据"}
"""A column whose cell carries a note (Excel comment) from another key of the row; in the CSV
the note is a column of its own right after it."""

FAILED_COLUMNS: tuple[Column, ...] = (
    Column("序号", 6, "int"), Column("单位", 14), Column("文件", 34), Column("原因", 60), Column("处理建议", 30),
)
RECTIFICATION_COLUMNS: tuple[Column, ...] = (
    Column("序号", 6, "int"), Column("文件", 26), Column("协议类型", 10), Column("合作方", 22), Column("标的资产", 28),
    Column("存在问题", 40), Column("处理决定", 9), Column("整改措施", 34), Column("整改时限", 12, "date"),
    Column("责任人", 10), Column("完成情况", 16), Column("备注", 24),
)

REMITTANCE_LABELS = ("上缴财政", "入单位账户", "现金或个人账户", "未约定")
RESUBMIT_ADVICE = "请重新扫描或提交清晰、完整的文件"
_NEEDS_RECTIFICATION = ("无效", "可整改", "规范补签")

# where the income goes, judged from the remittance clause and the payee (first match wins)
_TO_TREASURY = re.compile(r"(上缴财政|缴入财政|财政专户|财政账户|国库|非税收入|收支两条线|财政部门)")
_TO_UNIT = re.compile(
    r"(集体经济组织|村集体|集体账户|集体专户|集体资金|三资|代理服务中心|村账|组账|村级财务|基本账户|对公账户|单位账户|"
    r"本单位|甲方账户|出租方账户|发包方账户|出借方账户|指定账户|银行账户|开户行|账号|入账|入帐|纳入[^。；;]{0,12}(?:账|帐|核算))"
)
_TO_PERSON = re.compile(r"(现金|个人账户|个人银行卡|个人卡|私人账户|个人名下|微信|支付宝|交给个人|个人收取|村会计[^。；;]{0,4}(?:收取|代收|保管))")
_NEGATED = re.compile(r"(不得|严禁|禁止|不准|不允许|不能)$")

# findings that are about how the agreement is performed (履约情况)
_PERFORMANCE_CHECKS = ("stalled_performance", "off_book_income", "expiry_warning")


# ---------------------------------------------------------------------- values
def _whole(value: float | None) -> int | float | None:
    if value is None:
        return None
    value = round(value, 2)
    return int(value) if float(value).is_integer() else value


def term_months(start: date | None, end: date | None, months: Any) -> int | None:
    """The term in months: as written, else from its start and end (an end the day before an
    anniversary counts the whole month: 2020-01-01 至 2034-12-31 is 180 months)."""
    written = as_number(months)
    if written is not None:
        return int(round(written))
    if start is None or end is None or end < start:
        return None
    after = end + timedelta(days=1)
    n = (after.year - start.year) * 12 + (after.month - start.month) - (after.day < start.day)
    return n or None


_PER_YEAR = {"year": 1, "quarter": 4, "month": 12, "day": 365}


def contract_total(amount: float | None, period: str | None, annual: float | None, months: int | None) -> float | None:
    """合同总额: a one-off amount as it is; else the yearly amount times the term in years."""
    if period == "once" and amount is not None:
        return amount
    if annual is None and amount is not None and period in _PER_YEAR:
        annual = amount * _PER_YEAR[period]
    if annual is None or not months:
        return None
    return round(annual * months / 12, 2)


def remittance_judgement(remittance: str, payee: str, off_book: str | None) -> str:
    """收益上缴 as a finance bureau files it: 上缴财政 / 入单位账户 / 现金或个人账户 / 未约定.
    An off-book finding (not dismissed) wins over what the clause says."""
    if off_book:
        return "现金或个人账户"
    text = "；".join(x for x in (remittance, payee) if x)
    if not text:
        return "未约定"
    for pattern, verdict in ((_TO_TREASURY, "上缴财政"), (_TO_UNIT, "入单位账户"), (_TO_PERSON, "现金或个人账户")):
        for m in pattern.finditer(text):
            if not _NEGATED.search(text[max(0, m.start() - 6):m.start()]):
                return verdict
    return "未约定"


def performance(titles: Mapping[str, str], end: date | None, as_of: date) -> str:
    """履约情况, consistent with the findings: the findings about performance (停滞, 收益未入账,
    到期), else whether the term has ended, else 未见异常 only when nothing at all was found."""
    said = [titles[c] for c in _PERFORMANCE_CHECKS if c in titles]
    if said:
        return "；".join(said)
    if end is not None and end < as_of:
        return f"已到期（{end:%Y-%m-%d}）"
    if titles:
        return "履行中，存在审查发现（见审查发现）"
    return "未见异常"


def ledger_row(*, unit: str, filename: str, agreement_type: str, values: Mapping[str, Any],
               quotes: Mapping[str, str], findings: Mapping[str, tuple[str, str]], proposal: str,
               risk: float, decision: Mapping[str, Any], as_of: date | None = None) -> dict[str, Any]:
    """One row of the ledger for a read agreement. ``values`` are the fields in force (corrections
    win), ``quotes`` the text each was read from, ``findings`` check → (title, first quote) of the
    findings not dismissed, ``decision`` the decision in force (``label``, ``note``, ``reviewer``,
    ``at`` as a local datetime or None, and ``measure`` / ``deadline`` / ``responsible``)."""
    as_of = as_of or date.today()
    start, end = as_date(values.get("term_start")), as_date(values.get("term_end"))
    months = term_months(start, end, values.get("term_months"))
    amount, annual = as_number(values.get("rent_amount_yuan")), as_number(values.get("annual_rent_yuan"))
    period = values.get("rent_period")
    period = str(period) if period not in (None, "") else None
    remittance, payee = value_text(values.get("remittance")), value_text(values.get("payee_account"))
    off_book = findings.get("off_book_income")
    verdict = remittance_judgement(remittance, payee, off_book[0] if off_book else None)
    if off_book:
        basis = f"{off_book[0]}：「{off_book[1]}」" if off_book[1] else off_book[0]
    else:
        basis = "；".join(f"「{quotes.get(k) or value_text(values.get(k))}」"
                         for k in ("remittance", "payee_account") if values.get(k) not in (None, ""))
    titles = {c: t for c, (t, _) in findings.items()}
    at = decision.get("at")
    return {
        "序号": 0, "单位": unit, "文件": filename, "协议类型": agreement_type,
        "签订时间": as_date(values.get("signed_date")),
        "资产方": value_text(values.get("owner")), "合作方": value_text(values.get("counterparty")),
        "标的资产": "，".join(x for x in (value_text(values.get("asset")), value_text(values.get("asset_location"))) if x),
        "面积（㎡）": _whole(as_number(values.get("area_m2"))),
        "履约期限（起）": start, "履约期限（止）": end, "履约期限（月）": months,
        "收费标准（元）": _whole(amount),
        "收费周期": RENT_PERIOD_LABELS.get(period, period) if period else "",
        "年收费（元）": _whole(annual if annual is not None else (amount * _PER_YEAR[period]
                                                                if amount is not None and period in _PER_YEAR else None)),
        "合同总额（元）": _whole(contract_total(amount, period, annual, months)),
        "收益上缴": verdict, "收益上缴依据": basis or "合同未约定收益去向",
        "履约情况": performance(titles, end, as_of),
        "审查发现": "；".join(CHECK_LABELS.get(c, c) for c in sorted(titles)),
        "机器建议": proposal, "风险分": round(float(risk or 0.0), 3),
        "处理决定": decision.get("label") or "", "决定说明": decision.get("note") or "",
        "整改措施": decision.get("measure") or "", "整改时限": decision.get("deadline"),
        "责任人": decision.get("responsible") or "", "审查人": decision.get("reviewer") or "",
        "决定日期": at.date() if isinstance(at, datetime) else at,
        "_问题": "；".join(titles[c] for c in sorted(titles)),
    }


def failed_row(*, unit: str, filename: str, reason: str) -> dict[str, Any]:
    """A file that could not be read: it goes to its own sheet, with why and what to do."""
    row: dict[str, Any] = {c: "" for c in LEDGER_COLUMNS}
    row.update({"序号": 0, "单位": unit, "文件": filename, "机器建议": "无法读取", "风险分": None,
                "签订时间": None, "履约期限（起）": None, "履约期限（止）": None, "整改时限": None, "决定日期": None,
                "面积（㎡）": None, "履约期限（月）": None, "收费标准（元）": None, "年收费（元）": None,
                "合同总额（元）": None, "收益上缴依据": "", "原因": reason, "处理建议": RESUBMIT_ADVICE,
                "_failed": True})
    return row


def ledger_rows(store: Store, viewer: Viewer, sort: str | None = None, **filters: Any) -> list[dict[str, Any]]:
    """One row per agreement of the filtered queue, in queue order (``sort`` and ``filters`` as
    :meth:`Store.queue` takes them): the ledger columns of the clean-up plan (seed 000 四(二)1)
    with typed dates and numbers, the decision in force with its rectification; reviewer
    corrections win over the machine's reading and dismissed findings are left out. A file that
    could not be read gets a :func:`failed_row` with the reason in Chinese."""
    rows: list[dict[str, Any]] = []
    today = date.today()
    for item in store.ledger_items(viewer, sort, **filters):
        filename = shown_name(item["filename"])
        if item["document_status"] == "failed":
            row = failed_row(unit=item["unit"], filename=filename,
                             reason=_failure_reason(item["error_message"], item["error_code"]))
        else:
            fields = item["fields"]
            values = {f["name"]: f["value"] for f in fields}
            quotes = {f["name"]: (f["correction"] and f"审查员更正：{f['correction']['value']}")
                      or (f["machine"] or {}).get("text") or "" for f in fields}
            dismissed = {c for c, r in item["reviews"].items() if r["action"] == "dismissed"}
            findings = {check: (title, next((e.get("text") or "" for e in evidence or [] if isinstance(e, dict)), ""))
                        for check, title, evidence in item["findings"] if check not in dismissed}
            in_force = item["decision"]
            row = ledger_row(
                unit=item["unit"], filename=filename, agreement_type=label(TYPE_LABELS, item["agreement_type"]),
                values=values, quotes=quotes, findings=findings,
                proposal=label(DISPOSITION_LABELS, item["disposition"]), risk=item["risk_score"], as_of=today,
                decision={"label": label(DISPOSITION_LABELS, in_force["decision"]), "note": in_force["note"],
                          "reviewer": in_force["reviewer"], "at": local_time(in_force["decided_at"]),
                          **(item["rectification"] or {})})
        row["序号"] = len(rows) + 1
        rows.append(row)
    return rows


def _failure_reason(message: str | None, code: str | None) -> str:
    """Why a file could not be read: the Chinese of its message; a library's words left in it
    give way to the error code's label."""
    reason = _zh_only(message)
    if not reason or re.search(r"[A-Za-z]{3,}", re.sub(r"「[^」]*」", "", reason).replace("Word", "").replace("PDF", "")):
        reason = ERROR_LABELS.get(code or "", "文件无法读取")
    return reason


def _zh_only(message: str | None) -> str:
    """The Chinese part of an ingest message ``中文 (English)``, without a library's own words
    after it (``…已损坏或被截断：Failed to load document``)."""
    message = (message or "").strip()
    cut = message.find(" (")
    message = message[:cut] if cut > 0 else message
    return re.sub(r"[：:]\s*[^\u4e00-\u9fff]*$", "", message)


def rectification_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """整改清单 per unit: the agreements decided void, fixable or re-sign, in ledger order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r.get("_failed") or r.get("处理决定") not in _NEEDS_RECTIFICATION:
            continue
        unit = out.setdefault(r["单位"], [])
        unit.append({"序号": len(unit) + 1, "文件": r["文件"], "协议类型": r["协议类型"], "合作方": r["合作方"],
                     "标的资产": r["标的资产"], "存在问题": r.get("_问题") or r.get("审查发现") or "",
                     "处理决定": r["处理决定"], "整改措施": r.get("整改措施") or r.get("决定说明") or "",
                     "整改时限": r.get("整改时限"), "责任人": r.get("责任人") or "", "完成情况": "",
                     "备注": r.get("决定说明") or ""})
    return out


# ---------------------------------------------------------------------- writers
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _xlsx_safe(value: Any) -> Any:
    """Control characters (a form feed from a PDF, say) are not allowed in a worksheet."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "", name).strip() or "单位"
    base = base[:28]
    out, n = base, 2
    while out in taken:
        out = f"{base[:26]}_{n}"
        n += 1
    taken.add(out)
    return out


def _write_sheet(ws: Any, title: str, columns: Sequence[Column], rows: Sequence[Mapping[str, Any]],
                 notes: Mapping[str, str] | None = None) -> None:
    """A title row, the header (repeated on every printed page), one row per item: numbers and
    dates typed with number formats, text never run as a formula, A4 landscape one page wide."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.append([f"{title}（导出时间 {datetime.now():%Y-%m-%d %H:%M}）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([c.name for c in columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    top = Alignment(vertical="top", wrap_text=True)
    for n, row in enumerate(rows, start=1):
        values = []
        for c in columns:
            v = n if c.name == "序号" else row.get(c.name)
            if c.kind == "text":
                v = _xlsx_safe(value_text(v))
            values.append(v)
        ws.append(values)
        for c, cell in zip(columns, ws[ws.max_row], strict=True):
            cell.alignment = top
            if c.kind != "text":
                cell.number_format = _NUMBER_FORMATS[c.kind]
            elif isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text read from a document, never a formula
            note = (notes or {}).get(c.name)
            if note and row.get(note):
                cell.comment = Comment(_xlsx_safe(str(row[note]))[:2000], "合同审查")
    for i, c in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.width
    last = get_column_letter(len(columns))
    ws.freeze_panes = "A3"
    if rows:
        ws.auto_filter.ref = f"A2:{last}{len(rows) + 2}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.print_title_rows = "2:2"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _save(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ledger_xlsx(rows: Sequence[Mapping[str, Any]], title: str = "协议管理台账") -> bytes:
    """The ledger as an Excel workbook: sheet 台账 (one row per read agreement) and sheet
    未能读取的文件 (files to be handed in again, with why)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    _write_sheet(ws, title, COLUMNS, [r for r in rows if not r.get("_failed")], NOTES)
    _write_sheet(wb.create_sheet("未能读取的文件"), f"{title}：未能读取的文件", FAILED_COLUMNS,
                 [r for r in rows if r.get("_failed")])
    return _save(wb)


def rectification_xlsx(rows: Sequence[Mapping[str, Any]], title: str = "违规协议整改清单") -> bytes:
    """整改清单: one sheet per unit with its agreements decided void, fixable or re-sign (from
    ledger rows), what to do, by when and who answers for it, and a blank 完成情况 to fill in."""
    from openpyxl import Workbook

    wb = Workbook()
    per_unit = rectification_rows(rows)
    taken: set[str] = set()
    first = True
    for unit, items in per_unit.items() or {"": []}.items():
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = _sheet_name(unit or "整改清单", taken)
        _write_sheet(ws, f"{unit}{title}" if unit else f"{title}（没有需要整改的协议）", RECTIFICATION_COLUMNS, items)
    return _save(wb)


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, (date, datetime)):
        return f"{value:%Y-%m-%d}"
    return "" if value is None else value


def csv_columns() -> list[str]:
    out: list[str] = []
    for name in LEDGER_COLUMNS:
        out.append(name)
        if name in NOTES:
            out.append(NOTES[name])
    return out


def ledger_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it correctly. Dates are
    ``YYYY-MM-DD``; text that a spreadsheet would run as a formula gets a leading apostrophe.
    A file that could not be read is a row with 机器建议 无法读取 and its reason."""
    buf = io.StringIO()
    columns = csv_columns()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
    w.writeheader()
    for row in rows:
        out = {k: _csv_safe(row.get(k)) for k in columns}
        if row.get("_failed"):
            out["审查发现"] = _csv_safe(row.get("原因", ""))
        w.writerow(out)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


KINDS = ("ledger", "rectification")


def write_ledger(rows: Sequence[Mapping[str, Any]], out: str | Path, fmt: str | None = None,
                 kind: str = "ledger") -> Path:
    """Write the ledger (or, ``kind='rectification'``, the 整改清单, xlsx only) to ``out`` as
    ``fmt`` (default: from the suffix, else xlsx)."""
    out = Path(out)
    fmt = fmt or out.suffix.lstrip(".").lower() or "xlsx"
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"未知的台账格式 {fmt!r}，应为 xlsx 或 csv（unknown ledger format）")
    if kind == "rectification" and fmt != "xlsx":
        raise ValueError("整改清单只能导出为 xlsx（the rectification list is xlsx only）")
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "rectification":
        out.write_bytes(rectification_xlsx(rows))
    else:
        out.write_bytes(ledger_xlsx(rows) if fmt == "xlsx" else ledger_csv(rows))
    return out

"""The ledger a finance bureau can file (issue 12): typed cells with number formats, the term as
start, end and months, 收益上缴 judged with its clause in a note, 履约情况 consistent with the
findings, unreadable files on their own sheet, the rectification a decision carries, the
per-unit 整改清单, and the print set-up. The workbooks are opened with openpyxl."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from contract_review.accounts import Accounts
from contract_review.batch import ingest_paths
from contract_review.ledger import (
    FAILED_COLUMNS,
    LEDGER_COLUMNS,
    ledger_csv,
    ledger_rows,
    ledger_xlsx,
    rectification_xlsx,
    remittance_judgement,
    term_months,
    write_ledger,
)
from contract_review.store import SYSTEM, Store, StoreError
from contract_review import passwords

PW = "secret-123"

OFF_BOOK = """鱼塘承包合同

发包方（甲方）：青山镇柳林村村民委员会
承包方（乙方）：赵大海

经村民代表大会讨论通过，甲方将位于柳林村南坡的鱼塘一口（面积12亩）发包给乙方养殖。
一、承包期限：自2021年1月1日起至2025年12月31日止，共五年。
二、承包费：每年人民币陆仟元整（¥6,000.00），乙方于每年1月10日前以现金交给村会计张三保管。
三、乙方应合法经营，不得改变鱼塘用途。

甲方（盖章）：青山镇柳林村村民委员会
乙方（签字）：赵大海
签订日期：2020年12月20日
"""


@pytest.fixture(autouse=True)
def _cheaper_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_N", 2**10)


@pytest.fixture
def filed(tmp_path: Path, samples, monkeypatch: pytest.MonkeyPatch):
    """A SQLite store holding the land contract, the shop lease, an off-book fish-pond contract
    (甲镇) and a truncated PDF (乙乡), with a reviewer."""
    monkeypatch.delenv("CONTRACT_REVIEW_DB_URL", raising=False)
    store = Store(data_dir=tmp_path / "store")
    pond = tmp_path / "鱼塘承包合同.txt"
    pond.write_text(OFF_BOOK, encoding="utf-8")
    ingest_paths(store, [samples.text, samples.docx, pond], "甲镇", "第一批", workers=1)
    ingest_paths(store, [samples.broken], "乙乡", "第一批", workers=1)
    Accounts(store).create_user("rev1", PW, "reviewer", display_name="审查员甲")
    yield store, Accounts(store).authenticate("rev1", PW)
    store.close()


def _sheet_rows(ws) -> dict[str, dict[str, object]]:
    """File name → {column: cell} of a ledger-like sheet (title row 1, header row 2)."""
    header = [c.value for c in ws[2]]
    return {row[header.index("文件")].value: dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=3)}


def test_ledger_cells_are_typed_with_number_formats(filed):
    store, _ = filed
    ws = load_workbook(io.BytesIO(ledger_xlsx(ledger_rows(store, SYSTEM))))["台账"]
    assert [c.value for c in ws[2]] == list(LEDGER_COLUMNS)
    land = _sheet_rows(ws)["集体土地承包合同.txt"]
    signed = land["签订时间"]
    assert signed.is_date and signed.value == datetime(2019, 12, 16) and signed.number_format == "yyyy-mm-dd"
    assert land["履约期限（起）"].value == datetime(2020, 1, 1) and land["履约期限（起）"].is_date
    assert land["履约期限（止）"].value == datetime(2034, 12, 31) and land["履约期限（止）"].is_date
    assert land["履约期限（月）"].value == 180 and land["履约期限（月）"].data_type == "n"
    rent = land["收费标准（元）"]
    assert rent.value == 17800 and rent.data_type == "n" and rent.number_format == "#,##0.00"
    assert land["收费周期"].value == "每年" and land["年收费（元）"].value == 17800
    assert land["合同总额（元）"].value == 17800 * 15 and land["合同总额（元）"].data_type == "n"
    assert land["面积（㎡）"].data_type == "n" and land["面积（㎡）"].value == pytest.approx(23733.45)
    assert land["资产方"].value == "青山镇柳林村村民委员会"
    assert land["风险分"].data_type == "n" and land["风险分"].number_format == "0.00"
    # 收益上缴: a judgement, the clause it rests on in the cell's note
    assert land["收益上缴"].value == "入单位账户"
    assert land["收益上缴"].comment is not None and "纳入村集体经济组织账户" in land["收益上缴"].comment.text


def test_an_off_book_finding_never_sits_beside_nothing_abnormal(filed):
    store, _ = filed
    rows = {r["文件"]: r for r in ledger_rows(store, SYSTEM)}
    pond = rows["鱼塘承包合同.txt"]
    assert "收益未入账" in pond["审查发现"]
    assert pond["收益上缴"] == "现金或个人账户" and "现金交给村会计张三" in pond["收益上缴依据"]
    assert pond["履约情况"] != "未见异常" and "收益未纳入单位账簿" in pond["履约情况"]
    for row in rows.values():  # 未见异常 only where nothing at all was found
        assert row["履约情况"] != "未见异常" or not row["审查发现"]


def test_unreadable_files_have_their_own_sheet(filed):
    store, _ = filed
    rows = ledger_rows(store, SYSTEM)
    wb = load_workbook(io.BytesIO(ledger_xlsx(rows)))
    assert wb.sheetnames == ["台账", "未能读取的文件"]
    assert "损坏的文件.pdf" not in _sheet_rows(wb["台账"])
    failed = wb["未能读取的文件"]
    assert [c.value for c in failed[2]] == [c.name for c in FAILED_COLUMNS]
    row = _sheet_rows(failed)["损坏的文件.pdf"]
    assert row["单位"].value == "乙乡" and row["序号"].value == 1
    reason = row["原因"].value
    assert reason == "PDF 文件「损坏的文件.pdf」已损坏或被截断"  # Chinese only: no code, no library words
    assert [c.value for c in wb["台账"]["A"][2:]] == [1, 2, 3]  # numbered per sheet
    text = ledger_csv(rows).decode("utf-8-sig")
    assert "损坏的文件.pdf" in text and "无法读取" in text


def test_print_setup_is_a4_landscape_one_page_wide_with_the_header_repeated(filed):
    store, _ = filed
    wb = load_workbook(io.BytesIO(ledger_xlsx(ledger_rows(store, SYSTEM))))
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
        assert ws.print_title_rows == "$2:$2"
        assert ws.freeze_panes == "A3"


def test_a_decision_carries_its_rectification_into_the_ledger_and_the_list(filed, tmp_path: Path):
    store, rev = filed
    rows, _ = store.queue(rev, limit=50)
    pond = next(r for r in rows if r["filename"] == "鱼塘承包合同.txt")
    lease = next(r for r in rows if r["filename"] == "门面房屋租赁合同.docx")
    view = store.agreement(rev, pond["id"])
    with pytest.raises(StoreError, match="整改时限「下个月」不是有效日期"):
        store.decide(rev, pond["id"], "fixable", version=view["version"], rectification={"deadline": "下个月"})
    store.decide(rev, pond["id"], "fixable", "承包费改由村集体账户收取", version=view["version"],
                 rectification={"measure": "追缴已收承包费并入村集体账户", "deadline": "2027-03-31",
                                "responsible": "李村长"})
    assert store.agreement(rev, pond["id"])["rectification"] == {
        "measure": "追缴已收承包费并入村集体账户", "deadline": date(2027, 3, 31), "responsible": "李村长"}
    store.decide(rev, lease["id"], "compliant", version=store.agreement(rev, lease["id"])["version"])
    ledger = ledger_rows(store, SYSTEM)
    row = next(r for r in ledger if r["文件"] == "鱼塘承包合同.txt")
    assert (row["整改措施"], row["整改时限"], row["责任人"]) == ("追缴已收承包费并入村集体账户", date(2027, 3, 31), "李村长")
    ws = load_workbook(io.BytesIO(ledger_xlsx(ledger)))["台账"]
    cell = _sheet_rows(ws)["鱼塘承包合同.txt"]["整改时限"]
    assert cell.is_date and cell.value == datetime(2027, 3, 31)

    out = write_ledger(ledger, tmp_path / "整改清单.xlsx", kind="rectification")
    wb = load_workbook(out)
    assert wb.sheetnames == ["甲镇"]  # per unit; only decisions that need rectification
    items = _sheet_rows(wb["甲镇"])
    assert list(items) == ["鱼塘承包合同.txt"]
    item = items["鱼塘承包合同.txt"]
    assert item["处理决定"].value == "可整改" and item["责任人"].value == "李村长"
    assert item["整改时限"].is_date and "收益未纳入单位账簿" in item["存在问题"].value
    assert wb["甲镇"].page_setup.orientation == "landscape" and wb["甲镇"].print_title_rows == "$2:$2"

    # a later decision without a plan: the ledger shows the plan of the decision in force only
    store.decide(rev, pond["id"], "void", version=store.agreement(rev, pond["id"])["version"])
    row = next(r for r in ledger_rows(store, SYSTEM) if r["文件"] == "鱼塘承包合同.txt")
    assert (row["整改措施"], row["整改时限"], row["责任人"]) == ("", None, "")


def test_rectification_list_with_nothing_to_rectify_is_a_titled_empty_sheet():
    wb = load_workbook(io.BytesIO(rectification_xlsx([])))
    assert len(wb.sheetnames) == 1 and "没有需要整改的协议" in wb.active["A1"].value


@pytest.mark.parametrize("remittance, payee, off_book, verdict", [
    ("租金由乙方缴入青山镇财政所非税收入专户", "", None, "上缴财政"),
    ("收入全额上缴国库，实行收支两条线", "", None, "上缴财政"),
    ("由村报账员开具收据并纳入村集体经济组织账户统一管理，任何个人不得私自收取", "", None, "入单位账户"),
    ("", "甲方开户行：农商银行青山支行，账号6214000012345678", None, "入单位账户"),
    ("承包费以现金交村会计", "", None, "现金或个人账户"),
    ("", "转入王某个人银行卡", None, "现金或个人账户"),
    ("由村报账员开具收据并纳入村集体经济组织账户", "", "收益未纳入单位账簿：以现金交付个人", "现金或个人账户"),
    ("乙方应按时足额交纳承包费", "", None, "未约定"),
    ("", "", None, "未约定"),
])
def test_remittance_judgement(remittance, payee, off_book, verdict):
    assert remittance_judgement(remittance, payee, off_book) == verdict


@pytest.mark.parametrize("start, end, written, months", [
    (date(2020, 1, 1), date(2034, 12, 31), None, 180),
    (date(2020, 3, 15), date(2021, 3, 14), None, 12),
    (date(2023, 3, 1), date(2026, 2, 28), None, 36),
    (date(2023, 3, 1), None, "24", 24),
    (None, None, None, None),
])
def test_term_months(start, end, written, months):
    assert term_months(start, end, written) == months


def test_ledger_page_lists_unreadable_files_apart_and_offers_the_rectification_list(filed, monkeypatch):
    from streamlit.testing.v1 import AppTest

    store, rev = filed
    monkeypatch.setenv("CONTRACT_REVIEW_DATA_DIR", str(store.data_dir))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "review_app" / "app.py"), default_timeout=60)
    at.session_state["auth_token"] = Accounts(store).open_login(rev)
    at.run()
    at.switch_page("views/ledger.py").run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    main = next(f for f in frames if "审查发现" in f.columns)
    assert list(main.columns) == list(LEDGER_COLUMNS) and "损坏的文件.pdf" not in set(main["文件"])
    failed = next(f for f in frames if "处理建议" in f.columns)
    assert list(failed["文件"]) == ["损坏的文件.pdf"] and failed.iloc[0]["原因"] == "PDF 文件「损坏的文件.pdf」已损坏或被截断"
    assert "ledger_download_rectification" in {b.key for b in at.get("download_button")}

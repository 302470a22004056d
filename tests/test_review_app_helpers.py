"""The review app's plain helpers (no Streamlit run): evidence marks, highlighting, messages."""

from __future__ import annotations

from datetime import datetime

from review_app.common import fmt_time, fmt_value, zh_message
from review_app.evidence import Mark, boxes_on_page, highlight_html, marks
from review_app.uploads import safe_name

COLORS = {"field": "#0000ff", "finding": "#ff0000"}


def _agreement() -> dict:
    return {
        "fields": [
            {"name": "counterparty", "machine": {"value": "甲公司", "text": "甲公司", "page": 1, "bbox": [1, 2, 3, 4]}},
            {"name": "asset", "machine": {"value": "门面", "text": "门面", "page": 2, "bbox": [1, 2, 3, 4]}},
            {"name": "deposit_yuan", "machine": None},
        ],
        "findings": [
            {"check": "below_market_rent", "evidence": [{"text": "年租金100元", "page": 1, "bbox": [1, 2, 3, 4]},
                                                        {"text": "无框", "page": 1, "bbox": None}]},
        ],
    }


def test_marks_and_boxes_group_one_place():
    items = marks(_agreement())
    assert [(m.kind, m.label) for m in items] == [
        ("field", "合作方（乙方）"), ("field", "标的资产"), ("finding", "低价出租"), ("finding", "低价出租")]
    boxes = boxes_on_page(items, 1, COLORS)
    # the field and the finding share a place: one box each, the finding's drawn last (on top)
    assert boxes == (((1.0, 2.0, 3.0, 4.0), "合作方（乙方）", "#0000ff"), ((1.0, 2.0, 3.0, 4.0), "低价出租", "#ff0000"))
    assert boxes_on_page(marks(_agreement(), findings=False), 2, COLORS) == (((1.0, 2.0, 3.0, 4.0), "标的资产", "#0000ff"),)
    many = [Mark("field", f"字段{i}", "", 1, (0, 0, 1, 1)) for i in range(5)]
    assert boxes_on_page(many, 1, COLORS)[0][1] == "字段0、字段1、字段2 等5项"


def test_highlight_escapes_and_marks_quotes_of_the_page():
    text = "乙方：甲公司<b>\n年租金100元，门面"
    html = highlight_html(text, marks(_agreement()), 1, COLORS)
    assert "&lt;b&gt;<br>" in html  # text is escaped, lines kept
    assert html.count("<mark") == 2  # 甲公司 and 年租金100元; 门面 is quoted on page 2
    assert 'title="低价出租"' in html and "background:#ff000033" in html
    assert highlight_html("", [], 1, COLORS) == ""


def test_messages_and_formatting():
    assert zh_message("PDF 文件「a.pdf」已加密 (PDF a.pdf is encrypted)") == "PDF 文件「a.pdf」已加密"
    assert zh_message("未知的配置项（可用：x）（profile p.yaml: unknown key）") == "未知的配置项（可用：x）"
    assert zh_message("只有中文（含括号说明）") == "只有中文（含括号说明）"
    assert zh_message(None) == ""
    assert fmt_value(True) == "是" and fmt_value(12000.0) == "12,000"
    assert fmt_value(0.5) == "0.5" and fmt_value(None) == ""
    assert fmt_time(datetime(2026, 1, 1, 0, 30)) == "2026-01-01 08:30"  # stored UTC, shown in China time
    assert safe_name("C:\\Users\\张三\\合同.pdf") == "合同.pdf" and safe_name("../../.x") == "x" and safe_name("") == "未命名文件"


def test_ingest_errors_are_shown_in_chinese():
    from ingest.errors import MESSAGES, format_message

    from review_app.common import zh_error

    for code, (zh, _) in MESSAGES.items():
        for name in ("合同 (一).pdf", "a.pdf"):
            for detail in ("原因 (detail)", ""):
                assert zh_error(format_message(code, name, detail), code) == zh.format(name=name, detail=detail or "-")
    cut = "PDF 文件「坏.pdf」已损坏或被截断：Failed (PDFium: error). (PDF 坏.pdf is corrupt or truncated: Fail"
    assert zh_error(cut, "corrupt_pdf") == "PDF 文件「坏.pdf」已损坏或被截断：Failed (PDFium: error)."

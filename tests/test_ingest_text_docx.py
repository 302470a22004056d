"""Plain text in any common Chinese encoding, and Word files with tables, headers and footers."""

from __future__ import annotations

import pytest

from ingest import read_document

TEXT = "集体资产租赁合同\n出租方（甲方）：某某村民委员会\n承租方（乙方）：张三\n年租金人民币壹万贰仟元整（￥12,000.00）\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_encodings(tmp_path, null_settings, encoding):
    path = tmp_path / f"agreement-{encoding}.txt"
    path.write_bytes(TEXT.encode(encoding))
    doc = read_document(path, null_settings)
    assert doc.status == "ok", doc.errors
    assert doc.source.format == "text"
    assert doc.text == TEXT.strip()
    assert doc.page_kinds == ["text"]
    assert all(line.origin == "plain" for line in doc.pages[0].lines)


def test_text_offsets_map_back_to_lines(tmp_path, null_settings):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    doc = read_document(path, null_settings)
    start = doc.text.index("张三")
    page, bbox = doc.locate(start, start + 2)
    assert page == 1 and bbox is None  # plain text has no geometry
    span = next(s for s in doc.spans if s.start <= start < s.end)
    assert doc.pages[0].lines[span.line].text == "承租方（乙方）：张三"


def _make_docx(path):
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "合同编号：HZ-2023-017"
    d.sections[0].footer.paragraphs[0].text = "第 1 页 共 1 页"
    d.add_paragraph("门面房租赁合同")
    d.add_paragraph("出租方（甲方）：某镇人民政府")
    d.add_paragraph("承租方（乙方）：某某商贸有限公司")
    d.add_paragraph("第三条 租金按年支付，各年租金如下表：")
    table = d.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("年度", "租金（元）"), ("2023年", "120,000.00"), ("2024年", "126,000.00")]):
        table.cell(r, 0).text = a
        table.cell(r, 1).text = b
    d.add_paragraph("第四条 保证金人民币贰万元整。")
    for run in d.paragraphs[0].runs:
        run.font.name = "宋体"
        run._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    d.save(str(path))


def test_docx_paragraphs_tables_headers_in_order(tmp_path, null_settings):
    path = tmp_path / "lease.docx"
    _make_docx(path)
    doc = read_document(path, null_settings)
    assert doc.status == "ok", doc.errors
    assert doc.source.format == "docx" and doc.page_kinds == ["text"]
    lines = [line.text for line in doc.pages[0].lines]
    assert lines[0] == "合同编号：HZ-2023-017"  # header first
    assert lines[-1] == "第 1 页 共 1 页"  # footer last
    body = lines[1:-1]
    assert body.index("第三条 租金按年支付，各年租金如下表：") < body.index("2023年\t120,000.00") < body.index(
        "第四条 保证金人民币贰万元整。"
    )
    kinds = {line.text: line.kind for line in doc.pages[0].lines}
    assert kinds["2024年\t126,000.00"] == "table_row"


def test_docx_has_no_seal_unless_a_picture_shows_one(tmp_path, null_settings):
    path = tmp_path / "lease.docx"
    _make_docx(path)
    doc = read_document(path, null_settings)
    assert doc.seals == []

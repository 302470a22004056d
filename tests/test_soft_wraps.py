"""One soft-wrap rule for extraction and the checks (extract.context.join_soft_wraps): a PDF or
OCR line that reaches the right margin runs on into the next one, unless it ends a sentence,
is a table row, or the next line opens something new."""

from __future__ import annotations

from checks.facts import Facts
from extract import extract_agreement
from extract.context import join_soft_wraps
from ingest import Document, Line, Page, SourceInfo

RIGHT = 500.0


FILLER = [("这一行正文占满版心，以句号结束。", True)] * 6  # the page's margin is where most lines end


def positioned(*rows: tuple[str, bool]) -> Document:
    """Lines top to bottom after a few full lines of body text; ``True`` when the line reaches
    the right margin."""
    rows = (*FILLER, *rows)
    lines = [
        Line(text=t, bbox=(50.0, 60.0 + 20 * i, RIGHT if full else 300.0, 75.0 + 20 * i), origin="ocr")
        for i, (t, full) in enumerate(rows)
    ]
    return Document(SourceInfo(path="scan.pdf", name="scan.pdf", sha256="", size=0, format="pdf"),
                    pages=[Page(number=1, kind="ocr", width=600, height=800, unit="pt", lines=lines)])


def joined(*rows: tuple[str, bool]) -> str:
    return join_soft_wraps(positioned(*rows))[0].split("\n", len(FILLER))[-1]


def test_a_sentence_cut_at_the_margin_is_joined_and_maps_back():
    doc = positioned(("甲方同意为乙方的贷款人民币740000元（大写：柒拾肆万元整）", True), ("提供连带责任保证担保。", False),
                     ("第二条 租赁期限", False))
    text, index = join_soft_wraps(doc)
    assert "柒拾肆万元整）提供连带责任保证担保。\n第二条" in text
    pos = text.index("提供")
    assert doc.text[index[pos]:index[pos] + 2] == "提供"  # quotes point back at the page's text
    page, box = doc.locate(index[pos])
    assert page == 1 and box is not None and box[1] == 60.0 + 20 * (len(FILLER) + 1)  # the second line


def test_a_party_word_continuing_a_sentence_is_joined_but_a_labelled_party_line_is_not():
    assert "租金由乙方直接缴入财政专户" in joined(("租金按月支付，每月人民币2880元。租金由", True), ("乙方直接缴入财政专户。", False),
                                           ("以下空白", False))
    assert "双方订立本合同\n乙方：青禾商贸有限公司" in joined(("经甲乙双方平等协商，双方订立本合同", True),
                                                     ("乙方：青禾商贸有限公司", False), ("地址：某路1号", False))
    assert "\n出租方（甲方）" in joined(("本合同一式两份，双方各执一份，自签字盖章之日起生效", True),
                                      ("出租方（甲方）", False), ("承租方（乙方）", False))


def test_sentence_ends_short_lines_headings_and_table_rows_keep_their_breaks():
    assert joined(("本合同自双方签字之日起生效。", True), ("双方各执一份", False), ("x", False)).count("\n") == 2
    assert joined(("甲方负责协调项目用地的相关手续", False), ("及周边关系", False), ("x", False)).count("\n") == 2
    assert joined(("乙方应按时足额缴纳租金，逾期按日加收", True), ("第五条 违约责任", False), ("x", False)).count("\n") == 2
    assert joined(("名称\t面积\t单价", True), ("门面\t126\t30", False), ("x", False)).count("\n") == 2


def test_text_and_word_files_keep_their_lines():
    doc = Document(SourceInfo(path="a.txt", name="a.txt", sha256="", size=0, format="text"),
                   pages=[Page(number=1, kind="text", lines=[Line(text="租金由", origin="plain"),
                                                              Line(text="乙方缴纳。", origin="plain")])])
    assert join_soft_wraps(doc)[0] == doc.text


def test_the_checks_read_the_same_joined_text_as_extraction():
    doc = positioned(("甲方同意为乙方的贷款人民币740000元（大写：柒拾肆万元整）", True), ("提供连带责任保证担保。", False),
                     ("以下空白", False))
    facts = Facts(extract_agreement(doc))
    assert facts.text == join_soft_wraps(doc)[0]
    assert facts.raw_pos(facts.text.index("提供")) == doc.text.index("提供")

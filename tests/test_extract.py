"""Field extraction, table-driven: hard real-world strings (capital numerals, mixed 万元, dates
across a line break, 〇 vs 0, full-width digits, negations) in tests/data/extract/fields.csv."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from evaluation.evaluate import field_matches
from extract import extract_agreement
from ingest import Document, Line, Page, SourceInfo

ROWS = list(csv.DictReader((Path(__file__).parent / "data" / "extract" / "fields.csv").open(encoding="utf-8")))
NUMERIC = {"area_m2", "term_months", "rent_amount_yuan", "annual_rent_yuan", "deposit_yuan"}


def document(text: str) -> Document:
    lines = [Line(text=t, origin="plain") for t in text.split("\n") if t.strip()]
    return Document(SourceInfo(path="case.txt", name="case.txt", sha256="", size=len(text), format="text"),
                    pages=[Page(number=1, kind="text", lines=lines)])


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['field']}:{r['input'][:24]}" for r in ROWS])
def test_field_case(row):
    text = row["input"].replace("\\n", "\n").replace("\\t", "\t")
    agreement = extract_agreement(document(text))
    assert not agreement.errors  # an extractor that raised would silently leave its fields empty
    got = agreement.fields[row["field"]]
    if row["expected"] == "":
        assert got is None, f"expected nothing, got {got.value!r} from {got.text!r}"
        return
    assert got is not None, f"nothing found for {row['field']} in {text!r}"
    expected = float(row["expected"]) if row["field"] in NUMERIC else row["expected"]
    assert field_matches(row["field"], expected, got.value), (got.value, got.text)
    assert got.text and got.text in text  # evidence is quoted from the document


def test_evidence_carries_page_and_box_on_positioned_text():
    doc = document("出租方（甲方）：青山镇人民政府\n承租方（乙方）：安平市青禾商贸有限公司")
    doc.pages[0].lines[0].bbox = (72.0, 100.0, 300.0, 114.0)
    doc.pages[0].lines[1].bbox = (72.0, 120.0, 330.0, 134.0)
    doc.invalidate()
    owner = extract_agreement(doc).fields["owner"]
    assert owner.page == 1 and owner.bbox == (72.0, 100.0, 300.0, 114.0)


def test_supplementary_agreement_records_what_it_amends():
    text = ("补充协议\n甲方（原合同出租人）：青山镇人民政府\n乙方（原合同承租人）：安平市青禾商贸有限公司\n"
            "原合同名称：《门面房屋租赁合同》\n原合同签订日期：2023年02月20日\n"
            "1．自2024年3月1日起，年租金调整为人民币肆万贰仟元整。")
    agreement = extract_agreement(document(text))
    assert agreement.amends["title"] == "门面房屋租赁合同"
    assert agreement.amends["date_iso"] == "2023-02-20"
    assert agreement.amends["parties"] == ["青山镇人民政府", "安平市青禾商贸有限公司"]


@pytest.mark.parametrize("title,kind", [
    ("门面房屋租赁合同", "lease"), ("集体土地承包合同", "contracting"), ("国有资产出借协议", "lending"),
    ("合作开发协议", "cooperation"), ("资产转让协议", "transfer"), ("抵押合同", "guarantee"),
])
def test_agreement_type_from_title(title, kind):
    assert extract_agreement(document(f"{title}\n甲方：青山镇人民政府\n乙方：张三")).agreement_type == kind


def test_real_model_agreements_give_no_values_from_blank_slots(shared_dir):
    """The real public models (../shared/real-texts) are templates: whatever is extracted must be
    real text, never a blank slot, and the type must follow the title."""
    from ingest import IngestSettings, read_document

    expected_types = {"A20": "contracting", "A21": "contracting", "A22": "contracting", "A23": "contracting",
                      "A24": "lease", "A25": "lease", "A26": "lease"}
    for path in sorted((shared_dir / "real-texts").glob("A2*.txt")):
        agreement = extract_agreement(read_document(path, IngestSettings.from_env(ocr_engine="null")))
        for name, value in agreement.fields.items():
            if value is not None and isinstance(value.value, str):
                assert "＿＿" not in value.value and "__" not in value.value, (path.name, name, value.value)
        if path.name[:3] in expected_types:
            assert agreement.agreement_type == expected_types[path.name[:3]], path.name


@pytest.mark.ocr
def test_real_model_agreement_read_from_a_scan(shared_dir, tmp_path):
    """A real public model agreement (wording nobody here wrote), printed and scanned: the type
    and the values it does state come out as they do from its text."""
    from corpus.render import Block, render_scanned_pdf
    from ingest import IngestSettings, read_document

    source = shared_dir / "real-texts" / "A24_hyhetong_zulin_jingying_hetongshu.txt"
    paragraphs = [line.strip() for line in source.read_text(encoding="utf-8").splitlines() if line.strip()][:14]
    blocks = [Block(text=paragraphs[0], heading=True)] + [Block(text=p) for p in paragraphs[1:]]
    path = tmp_path / "A24_scan.pdf"
    render_scanned_pdf(blocks, path, seed=3)
    from_scan = extract_agreement(read_document(path, IngestSettings.from_env(ocr_engine="rapidocr")))
    from_text = extract_agreement(document("\n".join(paragraphs)))
    assert from_scan.agreement_type == from_text.agreement_type == "lease"
    for name, value in from_text.fields.items():
        if value is not None:
            got = from_scan.fields[name]
            assert got is not None and field_matches(name, value.value, got.value), (name, value.value, got)
    for value in from_scan.fields.values():
        if value is not None and isinstance(value.value, str):
            assert "＿＿" not in value.value


@pytest.mark.parametrize("text,kind", [
    ("门面房屋租赁合同\n出租方（甲方）：青山镇人民政府\n承租方（乙方）：安平县青禾商贸有限公司\n第一条 租赁物。\n第二条 期限。\n"
     "第三条 租金。\n甲方（盖章）：青山镇人民政府\n乙方（盖章）：安平县青禾商贸有限公司\n签订日期：2024年2月20日", "main"),
    ("安平县人民法院\n民事判决书\n原告：石岭村村民委员会。\n被告：王某。\n原告诉被告租赁合同纠纷一案，本院依法审理。判决如下：", "judgment"),
    ("原告：石岭村第二村民组。\n负责人：覃某。\n被告：谢某。\n原告诉被告农业承包合同纠纷一案，本院受理后公开开庭进行了审理。原告诉称，双方签订承包合同。", "judgment"),
    ("石岭村集体厂房招租公告\n经村民代表会议表决通过，现就有关事项公告如下：\n一、标的：厂房一幢。\n二、报名截止时间：2024年3月31日。", "notice"),
    ("各村委会、村小组：\n经镇政府研究，现将有关事项通知如下：\n一、鱼塘承包须公开竞标。\n二、合同期一般不超过五年。", "notice"),
    ("一、村主任就机动地发包事宜作了说明\n二、参会人员进行了讨论\n三、大会经过充分讨论最终形成如下决议：机动地公开发包。", "minutes"),
    ("租地收入队长保管\n本报记者 李某\n据了解，该队每年租地收入近十万元，村民反映账目多年未公示。", "news"),
    ("情况说明\n青山镇石岭村将村东鱼塘交由王某使用，双方仅有口头约定，未签订书面合同，每年交承包费2000元。", "oral_note"),
])
def test_document_kind(text, kind):
    assert extract_agreement(document(text)).document_kind == kind


def test_structure_says_whether_the_document_is_complete():
    full = ("门面房屋租赁合同\n出租方（甲方）：青山镇人民政府\n承租方（乙方）：安平县青禾商贸有限公司\n"
            "第一条 甲方将门面房屋出租给乙方。\n第二条 租赁期限为三年，自2024年3月1日起至2027年2月28日止。\n"
            "第三条 年租金为人民币48,000元。\n甲方（盖章）：青山镇人民政府\n乙方（盖章）：安平县青禾商贸有限公司\n签订日期：2024年2月20日")
    assert extract_agreement(document(full)).structure["complete"] is True
    excerpt = full.split("\n第三条")[0]  # the signature page and later clauses cut off
    s = extract_agreement(document(excerpt)).structure
    assert s["complete"] is False and s["signature"] is False

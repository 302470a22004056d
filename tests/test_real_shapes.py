"""Field extraction on the shapes real agreements, judgments, notices and stories are written in
(made-up sentences in those shapes, not any real file's words): parties in running text, court
roles, forms, traditional script, rents by rate, whole-term amounts and tender prices, labelled
dates, conditions that are not terms. Each row is a defect seen on real documents (issue 10)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from evaluation.evaluate import field_matches
from extract import extract_agreement
from extract.textnorm import normalise, to_simplified

from test_extract import NUMERIC, document

ROWS = list(csv.DictReader((Path(__file__).parent / "data" / "extract" / "real_shapes.csv").open(encoding="utf-8")))


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['field']}:{r['why'][:30]}" for r in ROWS])
def test_real_shape(row):
    text = row["input"].replace("\\n", "\n")
    agreement = extract_agreement(document(text))
    got = agreement.fields[row["field"]]
    if row["expected"] == "":
        assert got is None, f"expected nothing, got {got.value!r} from {got.text!r}"
        return
    assert got is not None, f"nothing found for {row['field']} in {text!r}"
    expected = float(row["expected"]) if row["field"] in NUMERIC else row["expected"]
    assert field_matches(row["field"], expected, to_simplified(str(got.value)) if isinstance(got.value, str) else got.value), (got.value, got.text)
    assert got.text and got.text in text  # the quote is the document's own text


def test_traditional_names_are_quoted_as_written():
    text = "出租方（甲方）：石門村村民委員會\n承租方（乙方）：李某"
    owner = extract_agreement(document(text)).fields["owner"]
    assert owner.value == "石門村村民委員會"  # the name as the document writes it
    assert owner.text in text


def test_normalise_keeps_length_and_maps_back():
    text = "經村民代表會議討論通過，鎮(zhèn)政府批準(zhǔn)"
    out, index = normalise(text)
    assert "经村民代表会议讨论通过" in out and "(zhèn)" not in out and "镇政府批准" in out
    assert len(index) == len(out) + 1
    for i, ch in enumerate(out):  # every character points at the one it came from
        assert to_simplified(text[index[i]]) == ch


def test_normalise_leaves_plain_brackets():
    text = "面积（m2）为(A)区"
    assert normalise(text)[0] == text

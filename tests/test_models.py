"""The trained models: safe loading (skops with an allow-list, never unpickling), the
scikit-learn estimator contract, and the shipped models answering."""

from __future__ import annotations

import pytest
from sklearn.base import clone

from models.store import UntrustedModelError, load, load_named, save
from models.text import TextClassifier


class Sneaky:
    """A type no model file of ours may contain."""

    def __init__(self):
        self.payload = "anything"


def test_a_model_file_with_foreign_types_is_refused(tmp_path):
    path = tmp_path / "evil.skops"
    save({"model": Sneaky()}, path)
    with pytest.raises(UntrustedModelError):
        load(path)


def test_text_classifier_follows_the_estimator_contract():
    model = TextClassifier(max_features=200)
    assert clone(model).get_params() == model.get_params()
    X = ["房屋租赁合同 出租方 承租方 租金", "土地承包合同 发包方 承包方 承包费"] * 5
    y = ["lease", "contracting"] * 5
    assert model.fit(X, y) is model
    assert list(model.predict(["门面房租赁合同 年租金"])) == ["lease"]


@pytest.mark.parametrize("name", ["agreement_type", "clause_type", "risk"])
def test_shipped_models_load(name):
    assert load_named(name) is not None, f"models/{name}.skops missing: run `contract-review train`"


def test_risk_is_a_probability_and_orders_irregular_first(tmp_path):
    from contract_review.pipeline import process_file

    clean = tmp_path / "clean.txt"
    clean.write_text(
        "门面房屋租赁合同\n出租方（甲方）：青山镇人民政府\n承租方（乙方）：安平市青禾商贸有限公司\n"
        "经镇党委会研究决定，甲方将位于青山镇人民路88号的门面房屋通过公开招租方式出租给乙方，建筑面积126.5㎡。\n"
        "租赁期限自2023年3月1日起至2026年2月28日止。\n年租金为人民币肆万元整，乙方于每年3月1日前缴入甲方指定账户，甲方开具财政票据并缴入国库。\n"
        "乙方逾期支付租金的，按日支付千分之三的违约金。期满乙方应将房屋完好交还甲方。\n"
        "甲方（盖章）：青山镇人民政府\n乙方（盖章）：安平市青禾商贸有限公司\n签订日期：2023年2月20日\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "门面房屋租赁合同\n出租方（甲方）：青山镇人民政府\n承租方（乙方）：安平市青禾商贸有限公司\n"
        "未经镇党委会研究，由镇长个人决定将门面房屋出租给乙方，租赁期限自2023年3月1日起至2045年2月28日止。\n"
        "年租金为人民币肆仟元整，租金交现金给镇会计张某。\n",
        encoding="utf-8",
    )
    r_clean, r_bad = process_file(clean, guarded=False), process_file(bad, guarded=False)
    assert 0.0 <= r_clean.risk_score <= 1.0 and 0.0 <= r_bad.risk_score <= 1.0
    assert r_bad.risk_score > r_clean.risk_score


# -- the lean predictors (models/lean.py): the same answers without scikit-learn ------------------
@pytest.fixture(scope="module")
def corpus_texts(tmp_path_factory):
    """Texts of generated agreements (text renderings) and their risk samples."""
    from contract_review.pipeline import process_file
    from checks.risk_features import risk_sample
    from corpus.generate import generate_corpus

    out = tmp_path_factory.mktemp("lean-corpus")
    generate_corpus(out, n=16, seed=9, formats=("text",))
    texts, samples, clauses = [], [], []
    for path in sorted(out.glob("a*.txt")):
        result = process_file(path, guarded=False)
        texts.append(result.document.text)
        samples.append(risk_sample(result.agreement, result.findings))
        clauses += [c.text_of(result.document.text) for c in result.agreement.clauses]
    return texts, samples, clauses


def test_lean_models_answer_like_the_skops_models(corpus_texts):
    import numpy as np

    from models.lean import load as load_lean
    from models.store import MODEL_DIR

    texts, samples, clauses = corpus_texts
    for name, inputs in (("agreement_type", texts), ("clause_type", clauses), ("risk", samples)):
        path = MODEL_DIR / f"{name}.skops"
        full, lean = load(path), load_lean(path)
        assert lean is not None, f"models/{name}.lean.npz missing or stale: run `python -m models.lean`"
        assert list(lean.classes_) == list(full.classes_)
        np.testing.assert_allclose(lean.predict_proba(inputs), full.predict_proba(inputs), rtol=0, atol=1e-6)
        assert list(lean.predict(inputs)) == list(full.predict(inputs))


def test_a_lean_file_is_not_used_once_its_skops_model_changed(tmp_path):
    from models.lean import export, load as load_lean

    model = TextClassifier(max_features=200).fit(["房屋租赁合同 出租方 租金", "土地承包合同 发包方 承包费"] * 5,
                                                  ["lease", "contracting"] * 5)
    path = save(model, tmp_path / "m.skops")  # writes m.lean.npz beside it
    assert load_lean(path) is not None and list(load_lean(path).predict(["门面房租赁合同"])) == ["lease"]
    save(TextClassifier(max_features=100).fit(["甲 乙", "丙 丁"] * 5, ["a", "b"] * 5), tmp_path / "other.skops")
    (tmp_path / "m.skops").write_bytes((tmp_path / "other.skops").read_bytes())  # retrained, lean file stale
    assert load_lean(path) is None
    assert export({"not": "a model"}, path) is None


def test_reading_a_text_file_loads_neither_scikit_learn_nor_ocr_nor_opencv(tmp_path, modules_imported):
    """A one-page text file is read, extracted and checked in a fresh process without importing
    scikit-learn / SciPy / pandas / skops (the models' lean form answers), the OCR engine or
    OpenCV: those imports were most of a one-page `extract`'s 2.5 s and 300 MB."""
    from corpus.render import render_text
    from corpus.samples import LEASE

    path = render_text(LEASE.blocks, tmp_path / "one.txt")
    code = (
        "import sys\n"
        "from contract_review.pipeline import process_file\n"
        f"r = process_file({str(path)!r}, guarded=False)\n"
        "assert r.document.status == 'ok' and r.agreement.clauses\n"
    )
    heavy = ("sklearn", "scipy", "pandas", "skops", "rapidocr", "cv2", "pdfplumber", "docx")
    assert modules_imported(code, heavy) == []

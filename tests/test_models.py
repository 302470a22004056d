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

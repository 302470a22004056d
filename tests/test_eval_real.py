"""contract_review/eval_real.py: the ranking figures `make eval-real` prints beside the scorer's
tables, and the clear failure without ../shared."""

from __future__ import annotations

import pytest

from contract_review.eval_real import auc, label_class, main, ranking, top_fifth_share


def test_auc_counts_ties_half():
    assert auc([(0.9, True), (0.1, False)]) == 1.0
    assert auc([(0.5, True), (0.5, False)]) == 0.5
    assert auc([(0.2, True), (0.8, False), (0.9, True)]) == 0.5
    assert auc([(0.2, True)]) is None


def test_top_fifth_breaks_ties_against_the_ranking():
    scored = [(1.0, False), (1.0, True)] + [(0.0, False)] * 8
    share, ceiling = top_fifth_share(scored)  # 2 of 10 rows: the regular file goes first at a tie
    assert share == 1.0 and ceiling == 1.0
    share, _ = top_fifth_share([(1.0, False)] * 2 + [(1.0, True)] + [(0.0, False)] * 7)
    assert share == 0.0


def test_label_classes():
    assert label_class({"expected_checks": ["off_book_income"], "forbidden_checks": []}) is True
    assert label_class({"expected_checks": [], "forbidden_checks": ["over_term"]}) is False
    assert label_class({"expected_checks": [], "forbidden_checks": []}) is None


def test_ranking_reads_check_records_and_counts_lawful_terms_proposed_void():
    records = [
        {"source": {"path": "/x/docs/a.txt"}, "risk_score": 0.9, "disposition": "void", "findings": [{"check": "over_term"}]},
        {"source": {"path": "/x/docs/b.pdf"}, "risk_score": 0.2, "disposition": "fixable", "findings": []},
        {"source": {"path": "/x/docs/c.docx"}, "risk_score": 0.5, "disposition": "compliant", "findings": []},
    ]
    labels = {
        "a": {"expected_checks": [], "forbidden_checks": ["over_term"]},
        "b": {"expected_checks": ["stalled_performance"], "forbidden_checks": []},
        "c": {"expected_checks": [], "forbidden_checks": []},
    }
    rk = ranking(records, labels)
    assert rk["judged"] == 2 and rk["irregular"] == 1
    assert rk["auc"] == 0.0
    assert rk["lawful_term_void"] == ["a.txt"]


def test_missing_shared_set_fails_clearly(tmp_path, capsys):
    assert main(["--shared", str(tmp_path / "nowhere")]) == 2
    assert "real-dev" in capsys.readouterr().err

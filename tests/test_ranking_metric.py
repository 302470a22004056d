"""The eval's ranking figures: what a lawyer reading the queue top-down would find."""

from evaluation.evaluate import RANKING_PREVALENCE, ranking_report


def test_perfect_ranking_hits_the_ceiling_and_full_recall_at_low_prevalence():
    # 40 irregular above 60 compliant: 20 % of 100 rows cannot hold more than 20 of 40
    scored = [(0.9 - i * 0.001, True) for i in range(40)] + [(0.1 + i * 0.001, False) for i in range(60)]
    r = ranking_report(scored)
    assert r["irregular_share"] == 0.4
    assert r["ranking_top20_share_of_irregular"] == 0.5 == r["ranking_top20_ceiling"]
    assert r["ranking_auc"] == 1.0
    p = r["ranking_top20_at_prevalence"]
    assert p["prevalence"] == RANKING_PREVALENCE
    assert p["mean"] == p["worst"] == 1.0


def test_random_scores_do_not_pass_and_ties_count_against_the_ranking():
    scored = [(0.5, i % 3 == 0) for i in range(300)]  # everything tied
    r = ranking_report(scored)
    assert r["ranking_auc"] == 0.5
    assert r["ranking_top20_at_prevalence"]["mean"] == 0.0


def test_a_few_irregular_ranked_low_show_in_the_worst_queue():
    scored = [(0.9, True)] * 30 + [(0.05, True)] * 10 + [(0.2, False)] * 60
    r = ranking_report(scored, draws=100)
    assert r["ranking_auc"] == 0.75
    assert r["ranking_top20_at_prevalence"]["worst"] < 1.0


def test_no_irregular_agreements_gives_no_ranking():
    assert ranking_report([(0.1, False)] * 5) == {}


def test_notices_are_not_scored_as_checks(tmp_path):
    """incomplete_document says what the document is (an excerpt, a notice); it is no irregularity
    the generator labels, so the check table must not count it as a false finding."""
    import json

    from evaluation.evaluate import outcome

    truth = {"id": "a0001", "fields": {}, "expected_checks": ["missing_clauses"], "source_text": ""}
    (tmp_path / "a0001.json").write_text(json.dumps(truth), encoding="utf-8")
    entry = {"truth": "a0001.json", "renderings": {"text": "a0001.txt"}}
    record = {"findings": [{"check": "missing_clauses", "disposition": "fixable"}, {"check": "incomplete_document", "disposition": None}], "fields": {}}
    got = outcome(tmp_path, entry, record, 0.1)
    assert got.predicted_checks == ["missing_clauses"]

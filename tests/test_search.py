"""Search in the review queue (SQLite FTS5 and PostgreSQL text search over jieba words): the
full text as read and the reviewers' corrected values, words in any order, traditional script,
part of a word, scoped by viewer, hits returned for highlighting; existing stores are indexed by
the migration."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_fixtures import make_agreements

from contract_review.accounts import Accounts
from contract_review.batch import check_unit, ingest_paths
from contract_review.store import SYSTEM, Store, db
from contract_review.store import search as fulltext
from contract_review.store.schema import Agreement, SearchDoc

UNIT_A, UNIT_B = "甲镇", "乙乡"


@pytest.fixture
def searched(store: Store, samples):
    """The Word lease (unit A) and the plain-text land contract and digital-PDF loan (unit B),
    read by the real pipeline."""
    ingest_paths(store, [samples.docx], UNIT_A, workers=1)
    ingest_paths(store, [samples.text, samples.pdf], UNIT_B, workers=1)
    return store


def _files(store: Store, viewer=SYSTEM, **kw) -> set[str]:
    rows, total = store.queue(viewer, limit=100, **kw)
    assert total == len(rows)
    return {Path(r["filename"]).name for r in rows}


def test_words_of_the_full_text_are_found_in_any_order(searched: Store, samples):
    lease, land, loan = samples.docx.name, samples.text.name, samples.pdf.name
    # words only the body holds (not the file name, asset or counterparty)
    assert _files(searched, search="日用百货零售") == {lease}
    assert _files(searched, search="柳林村东洼") == {land}
    assert _files(searched, search="百货 人民路") == {lease}  # every word, anywhere in the text
    assert _files(searched, search="人民路 百货") == {lease}
    assert _files(searched, search="百货 东洼") == set()  # one word is in one agreement, the other elsewhere
    assert _files(searched, search="供销合作社") == {loan}
    assert _files(searched, search="青山镇人民政府") == {lease, land, loan}  # the land contract's approval
    assert _files(searched, search="建国") == {land}  # part of a word jieba keeps whole (王建国)
    assert _files(searched, search="發包方") == {land}  # traditional script finds the simplified text
    assert _files(searched, search="ＷＡＮＧ不存在的词") == set()
    assert _files(searched, search="百货 OR 东洼") == set()  # no query syntax: OR is just a word
    assert _files(searched, search='"百货') == _files(searched, search="百货*") == {lease}  # no FTS syntax
    assert _files(searched, search="门面房") == {lease}  # the text has 门面房屋: cut 门面 / 房屋


def test_corrected_values_are_searched(searched: Store):
    store = searched
    [uid] = [Accounts(store).create_user("rev1", "secret-123", "reviewer")]
    reviewer = store.viewer(uid)
    rows, _ = store.queue(SYSTEM, search="供销合作社")
    assert _files(store, search="柏家坪农机站") == set()
    store.correct(reviewer, rows[0]["id"], "counterparty", "柏家坪农机站", note="原件为农机站")
    assert _files(store, search="柏家坪农机站") == {Path(rows[0]["filename"]).name}
    assert _files(store, search="农机站") == {Path(rows[0]["filename"]).name}


def test_search_is_scoped_by_viewer(searched: Store, samples):
    store = searched
    Accounts(store).create_user("up_a", "secret-123", "uploader", unit=UNIT_A)
    Accounts(store).create_user("up_b", "secret-123", "uploader", unit=UNIT_B)
    up_a, up_b = Accounts(store).authenticate("up_a", "secret-123"), Accounts(store).authenticate("up_b", "secret-123")
    assert _files(store, up_a, search="柳林村东洼") == set()
    assert _files(store, up_b, search="柳林村东洼") == {samples.text.name}
    assert _files(store, up_a, search="青山镇人民政府") == {samples.docx.name}
    assert store.counts(up_a, search="供销合作社")["total"] == 0
    assert _files(store, up_b, search="青山镇人民政府") == {samples.text.name, samples.pdf.name}


def test_hits_come_back_highlighted(searched: Store):
    rows, _ = searched.queue(SYSTEM, search="百货 临街门面")
    [row] = rows
    hits = {text for text, hit in row["snippet"] if hit}
    assert {"百货", "临街门面"} == hits
    shown = "".join(text for text, _ in row["snippet"])
    assert "日用百货零售" in shown and len(shown) <= fulltext.SNIPPET_CHARS + 2
    assert "snippet" not in searched.queue(SYSTEM)[0][0]  # no search, no snippet


def test_re_reading_an_agreement_re_indexes_it(searched: Store):
    store = searched
    unit_b = next(u["id"] for u in store.units() if u["name"] == UNIT_B)
    with store.session() as s:
        before = {d.agreement_id: d.tokens for d in s.query(SearchDoc)}
    check_unit(store, unit_b)
    with store.session() as s:
        after = {d.agreement_id: d.tokens for d in s.query(SearchDoc)}
    assert after == before and len(after) == 3


def test_the_migration_indexes_what_is_already_stored(db_url: str, tmp_path: Path, store_env: None):
    old = Store(url=db_url, data_dir=tmp_path / "store", migrate=False)
    db.upgrade(old.engine, "0006")  # the revision before the search index
    [aid] = make_agreements(old, 1)
    with old.session() as s:
        s.get(Agreement, aid).record = {"text": "甲方将鱼塘一口发包给乙方养殖", "fields": {}, "findings": []}
    old.close()
    store = Store(url=db_url, data_dir=tmp_path / "store")
    try:
        assert store.queue_ids(SYSTEM, search="鱼塘 养殖") == [aid]
        assert store.queue_ids(SYSTEM, search="协议1") == [aid]  # the file name
        with store.session() as s:
            s.delete(s.get(SearchDoc, aid))  # the index follows its table (SQLite: FTS5 triggers)
        assert store.queue_ids(SYSTEM, search="鱼塘 养殖") == []
    finally:
        store.close()


# ---------------------------------------------------------------------- tokenisation
def test_text_is_folded_and_cut_into_words():
    assert fulltext.fold("村民委員會ＡＢＣ１２") == "村民委员会abc12"
    assert len(fulltext.fold("發包方（甲方）")) == len("發包方（甲方）")
    words = fulltext.tokens("出租方：城关镇人民政府，承租方王建国").split()
    assert {"城关镇", "人民政府", "王建国", "出租方", "镇", "王"} <= set(words) and "：" not in words
    assert fulltext.query_words("  城关镇 门面房，城关镇 ") == ["城关镇", "门面房"]
    assert fulltext.fts5_query(['a"b', "门面"]) == '"a""b" "门面"'


def test_snippet_shows_the_passage_with_most_words():
    body = "开头" + "无关文字" * 30 + "甲方将门面出租给王建国" + "其他" * 40
    parts = fulltext.snippet(body, "王建国 门面")
    assert [t for t, hit in parts if hit] == ["门面", "王建国"]
    assert parts[0] == ("…", False) and parts[-1] == ("…", False)
    assert fulltext.snippet(body, "鱼塘") == []

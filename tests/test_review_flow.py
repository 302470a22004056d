"""Issue 12: the review workflow a county team can trust (AppTest, no browser).

One temporary store for the module: a unit of generated text agreements with different machine
proposals, a unit of junk files (a corrupt PDF, an empty text file, a spreadsheet in a zip, a
one-line text renamed .docx), two reviewers and an admin, an uploader of each unit.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("streamlit")

from streamlit.testing.v1 import AppTest  # noqa: E402

from contract_review.accounts import Accounts
from contract_review.batch import ingest_paths  # noqa: E402
from contract_review.store import Store, StoreError  # noqa: E402
from test_review_app import run_app, texts, viewer  # noqa: E402  (the same AppTest helpers)

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "review_app" / "app.py"
PASSWORD = "review-flow-pw1"
UNIT, JUNK = "城关镇", "杂件乡"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from corpus.generate import generate_corpus

    root = tmp_path_factory.mktemp("review-flow")
    mp = pytest.MonkeyPatch()
    mp.setenv("CONTRACT_REVIEW_DATA_DIR", str(root / "store"))
    mp.delenv("CONTRACT_REVIEW_DB_URL", raising=False)
    try:
        store = Store()
        users = {
            "admin": Accounts(store).create_user("admin", PASSWORD, "admin", display_name="管理员甲"),
            "rev": Accounts(store).create_user("rev", PASSWORD, "reviewer", display_name="审查员乙"),
            "rev2": Accounts(store).create_user("rev2", PASSWORD, "reviewer", display_name="审查员丙"),
            "up": Accounts(store).create_user("up", PASSWORD, "uploader", unit=UNIT, display_name="城关上传员"),
            "up_junk": Accounts(store).create_user("up_junk", PASSWORD, "uploader", unit=JUNK, display_name="杂件上传员"),
        }
        corpus = root / "corpus"
        generate_corpus(corpus, n=40, seed=12, formats=("text",), as_of=date(2026, 11, 21), split="test")
        ingest_paths(store, sorted(corpus.glob("a*.txt")), unit=UNIT, batch="批次一", workers=1)
        junk = junk_files(root / "junk")
        ingest_paths(store, junk, unit=JUNK, batch="杂件", workers=1)
        ids = {u["name"]: u["id"] for u in store.units()}
        yield SimpleNamespace(store=store, users=users, units=ids, root=root, junk=junk)
    finally:
        mp.undo()


def junk_files(folder: Path) -> list[Path]:
    """What townships hand in that is not a readable agreement."""
    from openpyxl import Workbook

    folder.mkdir(parents=True)
    corrupt = folder / "看不清的扫描件.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    empty = folder / "空白.txt"
    empty.write_bytes(b"")
    one_line = folder / "租赁合同.docx"  # a one-line text renamed .docx
    one_line.write_text("租赁合同\n", encoding="utf-8")
    wb = Workbook()
    wb.active.append(["序号", "资产名称", "金额"])
    wb.active.append([1, "门面房", 12000])
    sheet = io.BytesIO()
    wb.save(sheet)
    archive = folder / "资产台账.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("资产台账.xlsx", sheet.getvalue())
    unpacked = folder / "unpacked"
    unpacked.mkdir()
    with zipfile.ZipFile(archive) as z:  # the upload page unpacks archives the same way
        z.extractall(unpacked)
    return [corrupt, empty, one_line, unpacked / "资产台账.xlsx"]




def decision_radio(at, aid: int):
    """The decision radio of the agreement on the page (keyed per agreement since issue 12)."""
    for r in at.radio:
        if r.key and r.key.startswith("detail_decision") and (r.key.endswith(f"_{aid}") or r.key == "detail_decision"):
            return r
    raise AssertionError(f"no decision radio for #{aid}: {[r.key for r in at.radio]}")


def submit_key(at, aid: int) -> str:
    got = [b.key for b in at.button if b.key and b.key.startswith("detail_decision_submit")]
    own = [k for k in got if k.endswith(f"_{aid}")]
    return (own or got)[0]


def pending_in_order(env, unit=UNIT) -> list[dict]:
    rows, _ = env.store.queue(viewer(env, "admin"), unit_id=env.units[unit], limit=1000)
    return [r for r in rows if r["status"] == "pending"]


def _go_to_unit_queue(env, user="rev") -> AppTest:
    at = run_app(env, user, "views/queue.py")
    at.selectbox(key="queue_unit").set_value(env.units[UNIT]).run()
    return at


# ---------------------------------------------------------------------------- defect 1
def test_next_agreement_preselects_its_own_proposal_not_the_previous_choice(env):
    """Issue 12 defect 1: after 下一份 the radio kept the previous agreement's choice."""
    order = env.store.queue_ids(viewer(env, "rev"), unit_id=env.units[UNIT])
    props = {r["id"]: r["disposition"] for r in pending_in_order(env)}
    # two neighbours in queue order, both pending, with different proposals
    pair = next((a, b) for a, b in zip(order, order[1:]) if a in props and b in props and props[a] != props[b])
    first, second = pair
    at = _go_to_unit_queue(env)
    at.query_params["id"] = str(first)
    at.switch_page("views/detail.py").run()
    assert decision_radio(at, first).value == props[first]
    first_ids = {w.id for w in (*at.radio, *at.text_area)}
    # the reviewer picks something else on the first page (not the second's proposal either)
    other = next(d for d in ("void", "fixable", "re-sign", "compliant") if d not in (props[first], props[second]))
    decision_radio(at, first).set_value(other).run()
    at.button(key="detail_next").click().run()
    assert not at.exception
    assert at.query_params.get("id") == str(second)
    assert decision_radio(at, second).value == props[second], "the form must preselect this agreement's proposal"
    # the browser keeps a widget's value per widget id across reruns: the second agreement's
    # form must not share an id with the first one's (it did: one key for every agreement)
    assert not first_ids & {w.id for w in (*at.radio, *at.text_area)}
    # and after a decision is made on the first, the second still gets its own proposal
    at.button(key="detail_prev").click().run()
    decision_radio(at, first).set_value(other)
    at.button(key=submit_key(at, first)).click().run()
    assert not at.exception
    assert env.store.agreement(viewer(env, "rev"), first)["decision"] == other
    at.button(key="detail_next").click().run()
    assert at.query_params.get("id") == str(second)
    assert decision_radio(at, second).value == props[second]



def test_a_decided_agreement_shows_its_own_decision_not_the_proposal(env):
    rows = pending_in_order(env)
    aid = rows[-1]["id"]
    a = env.store.agreement(viewer(env, "rev"), aid)
    other = next(d for d in ("fixable", "re-sign", "compliant") if d != a["disposition"])
    env.store.decide(viewer(env, "rev"), aid, other, "先前的决定", version=a["version"])
    at = run_app(env, "rev", "views/detail.py", {"id": str(aid)})
    assert decision_radio(at, aid).value == other


# ---------------------------------------------------------------------------- defect 2
def test_unreadable_and_junk_files_get_no_disposition_and_are_sent_back(env):
    """Issue 12 defect 2: a corrupt PDF, an empty text file, a spreadsheet from a zip and a
    one-line text renamed .docx looked compliant (or became leases); none may be decided."""
    rows, _ = env.store.queue(viewer(env, "admin"), unit_id=env.units[JUNK], limit=100)
    assert sorted(r["filename"] for r in rows) == sorted(p.name for p in env.junk)
    for r in rows:
        assert r["status"] == "resubmit", r
        assert r["disposition"] == "", r  # no machine proposal
        a = env.store.agreement(viewer(env, "rev"), r["id"])
        assert a["resubmit_reason"]
        with pytest.raises(StoreError, match="需重新提交"):
            env.store.decide(viewer(env, "rev"), r["id"], "compliant", version=a["version"])
    # the queue says so, in its own state
    at = run_app(env, "rev", "views/queue.py")
    at.selectbox(key="queue_unit").set_value(env.units[JUNK]).run()
    frame = next(d.value for d in at.dataframe if "状态" in d.value.columns)
    assert set(frame["状态"]) == {"需重新提交"} and set(frame["机器建议"]) == {""}
    assert not any("未发现问题" == x for x in frame["问题"])
    # the detail page offers no decision but 退回单位 with a reason the unit sees
    target = next(r for r in rows if r["filename"] == "租赁合同.docx")["id"]
    at = run_app(env, "rev", "views/detail.py", {"id": str(target)})
    assert not [r for r in at.radio if (r.key or "").startswith("detail_decision")]
    assert any(e.startswith("需重新提交") for e in texts(at.error))
    at.text_area(key=f"detail_return_reason_{target}").input("只有一行标题，请上传完整的协议扫描件")
    at.button(key=f"detail_return_{target}").click().run()
    assert not at.exception
    got = env.store.agreement(viewer(env, "admin"), target)
    assert [(n["kind"], n["text"], n["by"]) for n in got["notes"]] == [
        ("returned", "只有一行标题，请上传完整的协议扫描件", "审查员乙")]
    assert any(h["what"] == "退回单位" for h in got["history"])
    up = run_app(env, "up_junk", "views/detail.py", {"id": str(target)})
    assert any("只有一行标题，请上传完整的协议扫描件" in w for w in texts(up.warning))
    todo = run_app(env, "up_junk", "views/todo.py")
    assert "只有一行标题，请上传完整的协议扫描件" in set(next(d.value for d in todo.dataframe)["退回原因"])


def test_resubmission_reason_reads_what_extraction_produced():
    from contract_review.store.states import NOT_AN_AGREEMENT, UNREADABLE, resubmission_reason

    empty = {"status": "ok", "text": "租赁合同", "fields": {"owner": None, "asset": None}}
    assert resubmission_reason(empty) == NOT_AN_AGREEMENT
    assert resubmission_reason({"status": "failed", "text": "", "fields": {}}) == UNREADABLE
    assert resubmission_reason({"status": "ok", "text": "x", "fields": {}}, "failed") == UNREADABLE
    lease = {"status": "ok", "text": "…", "fields": {"owner": {"value": "某村民委员会"}}}
    assert resubmission_reason(lease) is None


# ---------------------------------------------------------------------------- defect 3
def test_a_second_decision_names_the_first_and_asks_before_replacing_it(env):
    """Issue 12 defect 3: an admin silently overwrote a reviewer's decision."""
    rows = pending_in_order(env)
    aid = rows[-2]["id"]
    a = env.store.agreement(viewer(env, "rev"), aid)
    env.store.decide(viewer(env, "rev"), aid, "fixable", "补充集体决策", version=a["version"])
    at = run_app(env, "admin", "views/detail.py", {"id": str(aid)})
    decision_radio(at, aid).set_value("compliant")
    at.button(key=submit_key(at, aid)).click().run()
    assert not at.exception
    got = env.store.agreement(viewer(env, "admin"), aid)
    assert [d["disposition"] for d in got["decisions"]] == ["fixable"], "nothing recorded before confirming"
    warning = next(w for w in texts(at.warning) if "确认改为" in w)
    assert "审查员乙" in warning and "可整改" in warning and "合规" in warning
    at.button(key=f"detail_confirm_yes_{aid}").click().run()
    got = env.store.agreement(viewer(env, "admin"), aid)
    assert [(d["disposition"], d["by"]) for d in got["decisions"]] == [("fixable", "审查员乙"), ("compliant", "管理员甲")]
    assert env.store.audit_report().ok


# ---------------------------------------------------------------------------- build
def test_a_void_decision_needs_a_second_reviewer(env):
    rows = pending_in_order(env)
    aid = rows[-3]["id"]
    a = env.store.agreement(viewer(env, "rev"), aid)
    v = env.store.decide(viewer(env, "rev"), aid, "void", "超期限", version=a["version"])
    assert env.store.agreement(viewer(env, "admin"), aid)["status"] == "second_review"
    # the same reviewer cannot confirm their own void decision
    own = run_app(env, "rev", "views/detail.py", {"id": str(aid)})
    assert f"detail_second_review_{aid}" not in {b.key for b in own.button}
    todo = run_app(env, "rev2", "views/todo.py")
    assert aid in set(next(d.value for d in todo.dataframe)["编号"])
    at = run_app(env, "rev2", "views/detail.py", {"id": str(aid)})
    at.button(key=f"detail_second_review_{aid}").click().run()
    got = env.store.agreement(viewer(env, "admin"), aid)
    assert got["status"] == "decided" and got["version"] == v + 1
    assert [(d["disposition"], d["by"]) for d in got["decisions"]] == [("void", "审查员乙"), ("void", "审查员丙")]
    assert env.store.audit_report().ok


def test_bulk_decision_over_a_filtered_selection_one_entry_each(env):
    at = run_app(env, "rev", "views/bulk.py")
    at.selectbox(key="bulk_unit").set_value(env.units[UNIT]).run()
    at.selectbox(key="bulk_proposal").set_value("compliant").run()
    at.selectbox(key="bulk_findings").set_value(False).run()
    rows = env.store.selection(viewer(env, "rev"), status="pending", unit_id=env.units[UNIT],
                               disposition="compliant", has_findings=False)
    assert len(rows) >= 2, "the generated batch has compliant agreements without findings"
    before = env.store.audit_report().entries
    at.selectbox(key="bulk_decision").set_value("compliant")
    at.text_input(key="bulk_note").input("批量核对无问题")
    at.button(key="bulk_decide").click().run()
    assert env.store.audit_report().entries == before, "nothing before the confirmation"
    assert any(f"将对 {len(rows)} 份协议" in w for w in texts(at.warning))
    # one of them is decided by someone else while the confirmation is shown: refused alone
    raced = rows[0]
    env.store.decide(viewer(env, "admin"), raced["id"], "fixable", "抢先", version=raced["version"])
    before += 1
    at.button(key="bulk_confirm").click().run()
    assert not at.exception
    assert env.store.audit_report().entries == before + len(rows) - 1
    for r in rows[1:]:
        got = env.store.agreement(viewer(env, "admin"), r["id"])
        assert [(d["disposition"], d["note"]) for d in got["decisions"]] == [("compliant", "批量核对无问题")]
    assert [d["disposition"] for d in env.store.agreement(viewer(env, "admin"), raced["id"])["decisions"]] == ["fixable"]
    assert any(e.startswith(f"#{raced['id']} 未决定") for e in texts(at.error))


def test_admin_assigns_a_unit_to_a_reviewer_and_it_is_their_todo(env):
    at = run_app(env, "rev", "views/bulk.py")
    assert "bulk_assign" not in {b.key for b in at.button}  # reviewers do not assign
    at = run_app(env, "admin", "views/bulk.py")
    at.selectbox(key="bulk_unit").set_value(env.units[UNIT]).run()
    at.selectbox(key="bulk_assign_to").set_value(env.users["rev2"])
    at.button(key="bulk_assign").click().run()
    assert not at.exception
    pending = env.store.selection(viewer(env, "admin"), status="pending", unit_id=env.units[UNIT])
    assert pending and all(r["assignee_id"] == env.users["rev2"] for r in pending)
    todo = run_app(env, "rev2", "views/todo.py")
    table = next(d.value for d in todo.dataframe if len(d.value) == len(pending))
    assert set(table["编号"]) == {r["id"] for r in pending}
    assert any(h["what"] == "分配审查人" for h in env.store.agreement(viewer(env, "admin"), pending[0]["id"])["history"])


def test_comments_on_an_agreement_are_seen_by_its_unit(env):
    aid = pending_in_order(env)[0]["id"]
    at = run_app(env, "rev", "views/detail.py", {"id": str(aid)})
    at.text_area(key=f"detail_comment_{aid}").input("请核对第三条的租金")
    at.button(key=f"detail_comment_submit_{aid}").click().run()
    assert not at.exception
    up = run_app(env, "up", "views/detail.py", {"id": str(aid)})
    assert any("请核对第三条的租金" in m for m in texts(up.markdown))
    up.text_area(key=f"detail_comment_{aid}").input("已核对，租金无误")
    up.button(key=f"detail_comment_submit_{aid}").click().run()
    notes = env.store.agreement(viewer(env, "admin"), aid)["notes"]
    assert [(n["kind"], n["by"]) for n in notes if n["kind"] == "comment"] == [("comment", "审查员乙"),
                                                                                ("comment", "城关上传员")]


# ---------------------------------------------------------------------------- defect 5
# names a county clerk reads as they are: formats, file extensions, keys on the keyboard
ALLOWED_ASCII = {"PDF", "Word", "Excel", "WPS", "OCR", "MB", "CSV", "YAML", "ID", "A4",
                 "pdf", "doc", "docx", "xlsx", "csv", "zip", "txt", "jpg", "jpeg", "png", "tif", "tiff", "bmp", "gif",
                 "webp", "yaml", "yml", *"ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ASCII = __import__("re").compile(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]|[A-Za-z]")


def _data_words(env) -> set[str]:
    """ASCII that is data, not interface: what the documents say, their names, the accounts."""
    out = set()
    with env.store.session() as s:
        from contract_review.store.schema import Agreement, Document, User

        for text, name in s.execute(__import__("sqlalchemy").select(Agreement.record, Document.filename)
                                    .join(Document, Document.id == Agreement.document_id)).all():
            out.update(_ASCII.findall((text or {}).get("text") or ""))  # the document's words, not the record's codes
            out.update(_ASCII.findall(name))
        for (u,) in s.execute(__import__("sqlalchemy").select(User.username)).all():
            out.update(_ASCII.findall(u))
    return out


def _shown_texts(at) -> list[str]:
    """Everything a page shows as text: headings, text, messages, labels, options, tables."""
    import re as _re

    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "text", "metric", "toast"):
        for e in at.get(kind):
            out.append(str(getattr(e, "value", "")) + " " + str(getattr(e, "label", "") or ""))
    for kind in ("button", "text_input", "text_area", "radio", "selectbox", "multiselect", "checkbox",
                 "number_input", "download_button", "file_uploader", "tab", "expander"):
        for w in at.get(kind):
            out.append(str(getattr(w, "label", "") or ""))
            out.append(str(getattr(getattr(w, "proto", None), "help", "") or ""))
            out.append(str(getattr(getattr(w, "proto", None), "placeholder", "") or ""))
            if kind in ("radio", "selectbox", "multiselect"):
                out.extend(str(o) for o in w.proto.options)
    for d in at.dataframe:
        frame = d.value
        out.extend(str(c) for c in frame.columns)
        for col in frame.columns:
            out.extend(str(v) for v in frame[col].tolist() if v is not None and not (isinstance(v, float) and v != v))
    for e in at.get("iframe"):  # the evidence viewer's own texts (not the image data)
        src = e.proto.srcdoc
        src = _re.sub(r"<script>.*?</script>|<style>.*?</style>|data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", " ", src,
                      flags=_re.S)
        out.append(_re.sub(r"<[^>]+>", " ", src))
    return [_re.sub(r"<[^>]+>|&[a-z]+;|:[a-z-]+-badge\[|:material/[a-z_]+:|\*\*", " ", t) for t in out]


def test_no_english_or_internal_names_on_any_page(env):
    """Issue 12 defect 5: every page, as each role sees it, shows only Chinese (plus the data:
    file names, account names, what the documents themselves say)."""
    data = _data_words(env)
    some = pending_in_order(env)[0]["id"]
    junk = env.store.queue(viewer(env, "admin"), unit_id=env.units[JUNK], limit=10)[0]
    pages = [("views/queue.py", None), ("views/detail.py", {"id": str(some)}), ("views/ledger.py", None),
             ("views/stats.py", None), ("views/upload.py", None), ("views/todo.py", None), ("views/bulk.py", None)]
    pages += [("views/detail.py", {"id": str(r["id"])}) for r in junk]
    leaks: dict[str, set[str]] = {}
    for user in ("admin", "rev", "up"):
        for page, query in pages:
            at = run_app(env, user, page, query)
            for t in _shown_texts(at):
                words = {w for w in _ASCII.findall(t) if w not in ALLOWED_ASCII and w not in data}
                if words:
                    leaks.setdefault(f"{user} {page} {query or ''}", set()).update(words)
    assert not leaks, "\n".join(f"{k}: {sorted(v)}" for k, v in sorted(leaks.items()))


def test_legal_basis_cites_the_seed_documents_by_title():
    from checks.legal import cite_seeds
    from checks.profile import default_profile

    p = default_profile()
    text = p.local("required_clauses")
    assert text.startswith("《互助县国有资产清查规范管理、违规协议清理及“小金库”专项清查工作方案》四(二)4")
    assert "种子文件" not in "".join(p.local(n) for n in p.local_basis.__dataclass_fields__)
    assert cite_seeds("种子文件004 五、强化风险防控").startswith("《鄂托克前旗扶贫（帮扶）项目资产巩固提升盘活处置工作方案》五")


def test_coded_values_and_library_errors_are_said_in_chinese():
    from review_app.common import field_text, shown_error

    assert field_text("rent_period", "year") == "每年"
    message = "PDF 文件「坏.pdf」已损坏或被截断：Failed to load document (PDFium: Data format error). (PDF 坏.pdf is corrupt)"
    shown = shown_error(message, "corrupt_pdf")
    assert shown.startswith("PDF 文件「坏.pdf」已损坏或被截断：") and "PDFium" not in shown and "error" not in shown

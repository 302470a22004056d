"""The review app (Streamlit) driven with ``streamlit.testing.v1.AppTest``.

One temporary store for the module: two townships (城关镇, 青山乡) with a handful of generated
text / Word / digital-PDF agreements (no OCR), a side-contract pair in 城关镇, a third unit with
30 short agreements for paging, and one account per role (uploader of each township, reviewer,
admin). The app builds its own store from ``CONTRACT_REVIEW_DATA_DIR`` (set here before it runs).
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("streamlit")

from streamlit.testing.v1 import AppTest  # noqa: E402

from contract_review.accounts import Accounts
from contract_review.batch import ingest_paths  # noqa: E402
from contract_review.ledger import LEDGER_COLUMNS, ledger_rows  # noqa: E402
from contract_review.stats import stats_of
from contract_review.store import Store, StoreError  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "review_app" / "app.py"
PASSWORD = "secret-1234"
UNIT_A, UNIT_B, UNIT_P = "城关镇", "青山乡", "分页村"
NOT_FOUND = "协议不存在或无权查看"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from corpus.generate import generate_corpus

    root = tmp_path_factory.mktemp("review-app")
    mp = pytest.MonkeyPatch()
    mp.setenv("CONTRACT_REVIEW_DATA_DIR", str(root / "store"))
    mp.delenv("CONTRACT_REVIEW_DB_URL", raising=False)
    try:
        store = Store()
        users = {
            "admin": Accounts(store).create_user("admin", PASSWORD, "admin", display_name="管理员甲"),
            "rev": Accounts(store).create_user("rev", PASSWORD, "reviewer", display_name="审查员乙"),
            "up_a": Accounts(store).create_user("up_a", PASSWORD, "uploader", unit=UNIT_A, display_name="城关上传员"),
            "up_b": Accounts(store).create_user("up_b", PASSWORD, "uploader", unit=UNIT_B, display_name="青山上传员"),
        }
        corpus = root / "corpus"
        generate_corpus(corpus, n=8, seed=8, formats=("text", "docx", "pdf"), as_of=date(2026, 11, 21), split="test")
        manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
        files = [corpus / d["renderings"][d["rendering"]] for d in manifest["documents"]]
        a_files, b_files = files[0::2], files[1::2]
        # a side contract in 城关镇: the first text agreement again, at a lower rent
        main_txt = next(p for p in a_files if p.suffix == ".txt")
        text = main_txt.read_text(encoding="utf-8")
        twin = root / "extra" / f"{main_txt.stem}_补充约定.txt"
        twin.parent.mkdir()
        twin.write_text(_cheaper(text), encoding="utf-8")
        ingest_paths(store, a_files + [twin], unit=UNIT_A, batch="测试批次", workers=1)
        ingest_paths(store, b_files, unit=UNIT_B, batch="测试批次", workers=1)
        paging = root / "paging"
        generate_corpus(paging, n=30, seed=31, formats=("text",), as_of=date(2026, 11, 21), split="test")
        ingest_paths(store, sorted(paging.glob("a*.txt")), unit=UNIT_P, batch="分页批次", workers=1)
        ids = {u["name"]: u["id"] for u in store.units()}
        yield SimpleNamespace(store=store, users=users, units=ids, root=root, a_files=a_files, b_files=b_files,
                              twin=twin)
    finally:
        mp.undo()


def _cheaper(text: str) -> str:
    import re

    m = re.search(r"(\d{3,})元", text)
    assert m, "the generated agreement names a rent"
    value = int(m.group(1))
    return text.replace(m.group(0), f"{max(1, value // 2)}元", 1)


def viewer(env, name):
    return env.store.viewer(env.users[name])


def run_app(env, user: str | None = None, page: str | None = None, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if user:
        at.session_state["auth_token"] = Accounts(env.store).open_login(viewer(env, user))  # logged in
    at.run()
    if page:
        if query:
            at.query_params.update(query)
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def frame_with(at, *columns: str):
    """The first table showing all these columns."""
    for d in at.dataframe:
        if set(columns) <= set(d.value.columns):
            return d.value
    raise AssertionError(f"no table with columns {columns}")


def keys(at) -> set[str]:
    out = set()
    for kind in ("button", "text_input", "text_area", "radio", "selectbox", "file_uploader", "number_input",
                 "download_button", "checkbox"):
        out.update(w.key for w in getattr(at, kind) if w.key)
    return out


def agreement_of(env, unit: str, suffix: str | None = None, check: str | None = None) -> int:
    rows, _ = env.store.queue(viewer(env, "admin"), unit_id=env.units[unit], limit=1000)
    for r in rows:
        if (suffix is None or r["filename"].endswith(suffix)) and (check is None or check in r["checks"]):
            return r["id"]
    raise AssertionError(f"no agreement of {unit} with {suffix} / {check}")


# ---------------------------------------------------------------------------- login
def test_login_refuses_wrong_password_then_shows_navigation(env):
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert texts(at.title) == ["国有资产协议清理审查"]
    assert "logout_button" not in keys(at)
    at.text_input(key="login_username").input("rev")
    at.text_input(key="login_password").input("wrong-password")
    at.button(key="login_submit").click().run()
    assert "用户名或密码错误" in texts(at.error)
    assert "logout_button" not in keys(at)

    at.text_input(key="login_username").input("rev")
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="login_submit").click().run()
    assert not at.exception
    assert texts(at.title) == ["审查队列"]
    sidebar = " ".join(str(e.value) for e in at.sidebar.children.values() if hasattr(e, "value"))
    assert "审查员乙" in sidebar and "审查员" in sidebar
    at.button(key="logout_button").click().run()
    assert "login_username" in keys(at) and "logout_button" not in keys(at)


def test_uploader_lands_on_upload_page_with_own_unit(env):
    at = run_app(env, "up_a")
    assert texts(at.title) == ["上传协议文件"]
    assert "upload_unit" not in keys(at)  # an uploader cannot choose a unit
    assert any(UNIT_A in str(m.value) for m in at.markdown)
    caption = " ".join(str(c.value) for c in at.sidebar.children.values() if hasattr(c, "value"))
    assert UNIT_A in caption and "上传员" in caption


# ---------------------------------------------------------------------------- upload
def test_upload_page_saves_files_and_shows_progress(env, monkeypatch):
    from review_app import uploads

    started = []
    monkeypatch.setattr(uploads, "start_batch", lambda store, batch_id: started.append(batch_id) or 0)
    at = run_app(env, "up_a", "views/upload.py")
    known = env.a_files[0]
    at.file_uploader(key="upload_files").set_value([
        ("新收到的协议.txt", "出租方：城关镇人民政府\n承租方：某某公司\n租金每年1000元。".encode("utf-8"), "text/plain"),
        (known.name, known.read_bytes(), "application/octet-stream"),
        ("坏的压缩包.zip", b"this is not a zip archive", "application/zip"),
    ])
    at.text_input(key="upload_batch_name").input("第二批")
    at.button(key="upload_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(started) == 1
    batch = env.store.batch_progress(started[0])
    assert batch["unit"] == UNIT_A and batch["name"] == "第二批" and batch["total"] == 2
    assert any("第二批" in s and "新文件 1 个" in s for s in texts(at.success))
    assert any("已有，未重复处理" in s and known.name in s for s in texts(at.info))
    rejected = next(d.value for d in at.dataframe if "原因" in d.value.columns)
    assert list(rejected["文件"]) == ["坏的压缩包.zip"] and "无法解压" in rejected["原因"][0]
    items = next(d.value for d in at.dataframe if "状态" in d.value.columns and "页数" in d.value.columns)
    status = dict(zip(items["文件"], items["状态"]))
    assert status == {"新收到的协议.txt": "排队中", known.name: "已有，未重复处理"}
    # no process is reading it (start_batch was replaced): the page offers to go on
    assert f"upload_resume_{started[0]}" in keys(at)


def test_save_upload_expands_zips_and_refuses_unknown_types(env):
    from review_app.uploads import save_upload

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("甲.txt", "出租方：青山乡人民政府\n承租方：甲公司\n年租金2000元。")
        zf.writestr("子目录/乙.txt", "出租方：青山乡人民政府\n承租方：乙公司\n年租金3000元。")
    up_b = viewer(env, "up_b")
    result = save_upload(env.store, up_b, UNIT_A, "压缩包", [("合同.zip", buf.getvalue()), ("程序.exe", b"MZ")],
                         start=False)
    assert result.unit == UNIT_B  # an uploader's unit is their own whatever they ask for
    assert sorted(result.added) == ["合同.zip/子目录/乙.txt", "合同.zip/甲.txt"]
    assert [n for n, _ in result.rejected] == ["程序.exe"] and "不支持的文件类型" in result.rejected[0][1]
    assert not result.started
    with pytest.raises(StoreError):
        save_upload(env.store, viewer(env, "rev"), "", None, [("a.txt", b"x")], start=False)
    with pytest.raises(StoreError):
        save_upload(env.store, up_b, UNIT_B, None, [], start=False)


def test_background_processing_reaches_ready(env):
    from review_app import uploads

    text = (env.a_files[0] if env.a_files[0].suffix == ".txt" else env.twin).read_text(encoding="utf-8")
    result = uploads.save_upload(env.store, viewer(env, "rev"), "后台村", "后台批次",
                                 [("后台协议.txt", text.encode("utf-8"))])
    assert result.started and result.pid
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        progress = env.store.batch_progress(result.batch_id)
        if progress["status"] in ("ready", "failed") and not uploads.is_running(env.store, result.batch_id):
            break
        time.sleep(0.5)
    assert progress["status"] == "ready", uploads.log_path(env.store, result.batch_id).read_text(errors="replace")
    assert progress["read"] == 1 and progress["items"][0]["agreement_id"]
    assert uploads.log_path(env.store, result.batch_id).exists()

    at = run_app(env, "rev", "views/upload.py")
    at.selectbox(key="upload_batch_select").set_value(result.batch_id).run()
    assert any("处理完成" in s for s in texts(at.success))
    assert any(link.label == "前往审查队列" for link in at.get("page_link"))


# ---------------------------------------------------------------------------- queue
def _metric(at, label: str) -> int:
    return int(next(m.value for m in at.metric if m.label == label))


_SEVERITY = {"无效": 0, "规范补签": 1, "可整改": 2, "合规": 3}


def _severity_order(frame) -> list[tuple]:
    """(proposal's rank, -risk) of the readable pending rows, as the default order sorts them."""
    rows = frame[(frame["状态"] == "待审查") & (frame["机器建议"] != "")]
    return [(_SEVERITY[p], -r) for p, r in zip(rows["机器建议"], rows["风险分"])]


def test_queue_is_severity_then_risk_ordered_and_filters_change_counts(env):
    at = run_app(env, "rev", "views/queue.py")
    frame = frame_with(at, "风险分")
    total = _metric(at, "总数")
    assert total == env.store.counts(viewer(env, "rev"))["total"]
    order = _severity_order(frame)
    assert order == sorted(order) and len(frame) == min(total, 25)
    at.selectbox(key="queue_sort").set_value("risk").run()
    pending = frame_with(at, "风险分")
    pending = pending[pending["状态"] == "待审查"]["风险分"].dropna().tolist()
    assert pending == sorted(pending, reverse=True)
    at.selectbox(key="queue_sort").set_value("severity").run()

    at.selectbox(key="queue_unit").set_value(env.units[UNIT_B]).run()
    assert _metric(at, "总数") == len(env.b_files)
    frame = frame_with(at, "风险分")
    assert set(frame["单位"]) == {UNIT_B}

    at.selectbox(key="queue_unit").set_value(env.units[UNIT_A]).run()
    at.selectbox(key="queue_check").set_value("side_contract").run()
    assert _metric(at, "总数") == 2
    at.selectbox(key="queue_check").set_value(None).run()
    at.text_input(key="queue_search").input(env.twin.name).run()
    assert _metric(at, "总数") == 1


def test_queue_pages_in_sql(env):
    at = run_app(env, "rev", "views/queue.py")
    at.selectbox(key="queue_unit").set_value(env.units[UNIT_P]).run()
    assert _metric(at, "总数") == 30
    first = frame_with(at, "风险分")
    assert len(first) == 25 and at.number_input(key="queue_page").max == 2
    at.number_input(key="queue_page").set_value(2).run()
    second = frame_with(at, "风险分")
    assert len(second) == 5 and set(second["编号"]).isdisjoint(first["编号"])
    assert max(_severity_order(first)) <= min(_severity_order(second))  # ordered over all pages, not per page
    at.selectbox(key="queue_page_size").set_value(50).run()
    assert at.number_input(key="queue_page").value == 1
    assert len(frame_with(at, "风险分")) == 30


def test_queue_filters_by_proposal_and_decision_and_highlights_search_hits(env):
    at = run_app(env, "rev", "views/queue.py")
    rev = viewer(env, "rev")
    for proposal in ("void", "re-sign", "fixable", "compliant"):
        at.selectbox(key="queue_proposal").set_value(proposal).run()
        assert _metric(at, "总数") == env.store.counts(rev, disposition=proposal)["total"]
    at.selectbox(key="queue_proposal").set_value(None).run()
    at.selectbox(key="queue_decision").set_value("void").run()
    assert _metric(at, "总数") == env.store.counts(rev, decision="void")["total"]
    at.selectbox(key="queue_decision").set_value(None).run()
    assert at.session_state["queue_filters"]["sort"] == "severity"

    # a word of the twin's text, not of its name: the passage is shown with the hit marked
    row = env.store.queue(rev, search=env.twin.stem)[0][0]
    text = env.store.agreement(rev, row["id"])["record"]["text"]
    word = next(w for w in ("租赁期限", "承包期限", "甲方", "乙方") if w in text)
    at.text_input(key="queue_search").input(word).run()
    assert _metric(at, "总数") == env.store.counts(rev, search=word)["total"] >= 1
    hits = frame_with(at, "搜索命中")["搜索命中"].tolist()
    assert any(f"【{word}】" in h for h in hits)
    assert any(word in m.value and "background" in m.value for m in at.markdown)
    at.text_input(key="queue_search").input("").run()
    assert "搜索命中" not in frame_with(at, "风险分").columns


def test_queue_opens_detail_and_uploader_sees_own_unit_only(env):
    at = run_app(env, "up_b", "views/queue.py")
    assert texts(at.title) == ["协议列表"] and "queue_unit" not in keys(at)
    assert _metric(at, "总数") == env.store.counts(viewer(env, "up_b"))["total"]
    frame = frame_with(at, "风险分")
    ids = set(frame["编号"])
    own, _ = env.store.queue(viewer(env, "admin"), unit_id=env.units[UNIT_B], limit=1000)
    assert ids <= {r["id"] for r in own}
    target = int(frame["编号"].iloc[1])
    at.selectbox(key="queue_open_select").set_value(target)
    at.button(key="queue_open_button").click().run()
    assert not at.exception
    assert at.query_params.get("id") == str(target)
    assert "detail_prev" in keys(at) and NOT_FOUND not in texts(at.error)


# ---------------------------------------------------------------------------- detail
def test_detail_shows_pdf_page_with_evidence_and_records_a_decision(env):
    aid = agreement_of(env, UNIT_A, ".pdf")
    at = run_app(env, "rev", "views/detail.py", {"id": str(aid)})
    a = env.store.agreement(viewer(env, "rev"), aid)
    assert len(texts(at.title)) == 1 and texts(at.title)[0].startswith(a["title"])  # asset (location)
    viewer_frames = [e.proto.srcdoc for e in at.get("iframe") if "data:image/jpeg;base64," in e.proto.srcdoc]
    assert len(viewer_frames) == 1  # the page image with its boxes (the evidence viewer, issue 12)
    assert 'class="box field"' in viewer_frames[0]
    fields = frame_with(at, "机器识别值")
    assert {"字段", "机器识别值", "当前值", "原文", "页"} <= set(fields.columns) and len(fields) == len(a["fields"])
    radio = at.radio(key=f"detail_decision_{aid}")  # keyed per agreement (issue 12)
    assert radio.value == a["disposition"]  # pre-selected with the machine's proposal
    radio.set_value("fixable")
    at.text_area(key=f"detail_decision_note_{aid}").input("补充集体决策程序后整改")
    at.button(key=f"detail_decision_submit_{aid}").click().run()
    assert not at.exception
    got = env.store.agreement(viewer(env, "admin"), aid)
    assert got["status"] == "decided" and got["decision"] == "fixable" and got["reviewer"] == "审查员乙"
    assert any("已提交决定" in s for s in texts(at.success))
    history = frame_with(at, "人员", "操作")
    assert history.iloc[-1]["人员"] == "审查员乙" and history.iloc[-1]["说明"] == "补充集体决策程序后整改"


def test_detail_refuses_a_decision_made_on_a_stale_page(env):
    """Issue 11: two reviewers on the same agreement; the one whose page is older is told who
    decided meanwhile and when, keeps what they typed, and decides once they have seen it."""
    rows, _ = env.store.queue(viewer(env, "admin"), unit_id=env.units[UNIT_P], status="pending", limit=1000)
    aid = rows[-1]["id"]
    at = run_app(env, "rev", "views/detail.py", {"id": str(aid)})  # the reviewer's page: undecided
    shown = env.store.agreement(viewer(env, "admin"), aid)
    env.store.decide(viewer(env, "admin"), aid, "void", "管理员先作出的决定", version=shown["version"])
    at.radio(key=f"detail_decision_{aid}").set_value("compliant")
    at.text_area(key=f"detail_decision_note_{aid}").input("审查员的说明")
    at.button(key=f"detail_decision_submit_{aid}").click().run()
    assert not at.exception
    errors = [e for e in texts(at.error) if e.startswith("该协议已由管理员甲于")]
    assert len(errors) == 1 and errors[0].endswith("作出决定，请刷新后再决定"), texts(at.error)
    got = env.store.agreement(viewer(env, "admin"), aid)
    assert [(d["disposition"], d["by"]) for d in got["decisions"]] == [("void", "管理员甲")]
    assert not any("已提交决定" in x for x in texts(at.success))
    assert at.radio(key=f"detail_decision_{aid}").value == "compliant"
    assert at.text_area(key=f"detail_decision_note_{aid}").value == "审查员的说明"
    # the page now shows the administrator's decision: deciding again is deciding on it, once
    # the reviewer confirmed changing it (issue 12)
    assert any("管理员先作出的决定" in m for m in texts(at.markdown))
    at.button(key=f"detail_decision_submit_{aid}").click().run()
    assert any("管理员甲" in w and "确认改为「合规」" in w for w in texts(at.warning)), texts(at.warning)
    at.button(key=f"detail_confirm_yes_{aid}").click().run()
    assert not at.exception and any("已提交决定" in x for x in texts(at.success))
    got = env.store.agreement(viewer(env, "admin"), aid)
    assert [(d["disposition"], d["by"], d["note"]) for d in got["decisions"]] == [
        ("void", "管理员甲", "管理员先作出的决定"), ("compliant", "审查员乙", "审查员的说明")]
    assert (got["decision"], got["reviewer"]) == ("compliant", "审查员乙")
    assert at.text_area(key=f"detail_decision_note_{aid}").value == ""  # ready for the next decision


def test_detail_correction_keeps_machine_value(env):
    aid = agreement_of(env, UNIT_B)
    a = env.store.agreement(viewer(env, "rev"), aid)
    field = next(f for f in a["fields"] if f["name"] == "counterparty")
    machine = field["machine"]["value"] if field["machine"] else None
    at = run_app(env, "rev", "views/detail.py", {"id": str(aid)})
    at.text_input(key=f"field_counterparty_{aid}").input("更正后的合作方有限公司")
    at.text_input(key=f"detail_correction_note_{aid}").input("依营业执照更正")
    at.button(key="detail_fields_submit").click().run()
    assert not at.exception
    got = next(f for f in env.store.agreement(viewer(env, "rev"), aid)["fields"] if f["name"] == "counterparty")
    assert got["value"] == "更正后的合作方有限公司" and got["correction"]["note"] == "依营业执照更正"
    assert (got["machine"] or {}).get("value") == machine
    table = frame_with(at, "机器识别值")
    row = table[table["字段"] == field["label"]].iloc[0]
    assert row["当前值"] == "更正后的合作方有限公司" and row["机器识别值"] == (str(machine) if machine else "")


def test_detail_findings_confirm_dismiss_and_side_contract_link(env):
    aid = agreement_of(env, UNIT_A, check="side_contract")
    a = env.store.agreement(viewer(env, "rev"), aid)
    finding = next(f for f in a["findings"] if f["check"] == "side_contract")
    other = finding["related"][0]["agreement_id"]
    at = run_app(env, "rev", "views/detail.py", {"id": str(aid)})
    assert any("阴阳合同" in str(m.value) for m in at.markdown)
    at.button(key="finding_dismiss_side_contract").click().run()
    assert "排除一项发现须写明理由" in texts(at.error)
    assert env.store.agreement(viewer(env, "rev"), aid)["findings"][0]["review"] is None or all(
        f["review"] is None for f in env.store.agreement(viewer(env, "rev"), aid)["findings"]
        if f["check"] == "side_contract")
    at.button(key="finding_confirm_side_contract").click().run()
    review = next(f["review"] for f in env.store.agreement(viewer(env, "rev"), aid)["findings"]
                  if f["check"] == "side_contract")
    assert review["action"] == "confirmed" and review["by"] == "审查员乙"
    # the related agreement opens from the finding
    at.button(key=f"finding_related_side_contract_{other}").click().run()
    assert at.query_params.get("id") == str(other)
    assert len(texts(at.title)) == 1 and texts(at.title)[0].startswith(env.store.agreement(viewer(env, "rev"), other)["title"])


def test_detail_text_document_highlights_quotes(env):
    aid = agreement_of(env, UNIT_B, ".txt")
    at = run_app(env, "rev", "views/detail.py", {"id": str(aid)})
    assert not at.image
    assert any("<mark" in str(m.value) for m in at.markdown)


def test_detail_next_and_previous_follow_the_queue(env):
    at = run_app(env, "rev", "views/queue.py")
    at.selectbox(key="queue_unit").set_value(env.units[UNIT_P]).run()
    order = env.store.queue_ids(viewer(env, "rev"), unit_id=env.units[UNIT_P])
    at.query_params["id"] = str(order[0])
    at.switch_page("views/detail.py").run()
    assert at.button(key="detail_prev").disabled
    at.button(key="detail_next").click().run()
    assert at.query_params.get("id") == str(order[1])
    at.button(key="detail_next").click().run()
    at.button(key="detail_prev").click().run()
    assert at.query_params.get("id") == str(order[1])


def test_uploader_sees_detail_read_only(env):
    aid = agreement_of(env, UNIT_A)
    at = run_app(env, "up_a", "views/detail.py", {"id": str(aid)})
    assert texts(at.title) and NOT_FOUND not in texts(at.error)
    got = keys(at)
    assert not {f"detail_decision_{aid}", f"detail_decision_submit_{aid}", "detail_fields_submit"} & got
    assert not any(k.startswith(("detail_decision", "field_", "finding_confirm_", "finding_dismiss_")) for k in got)


@pytest.mark.parametrize("raw", ["other-unit", "999999", "abc", None])
def test_uploader_cannot_open_other_units_agreement(env, raw):
    value = {"other-unit": lambda: str(agreement_of(env, UNIT_B)), "999999": lambda: "999999",
             "abc": lambda: "abc", None: lambda: None}[raw]()
    at = run_app(env, "up_a", "views/detail.py", {"id": value} if value else None)
    assert texts(at.error) == [NOT_FOUND]
    assert not at.title and not at.dataframe and not at.image


# ---------------------------------------------------------------------------- ledger, stats, settings
def test_ledger_preview_and_xlsx_download(env, monkeypatch):
    from openpyxl import load_workbook
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test

    storages = []

    class Capturing(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            storages.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Capturing)
    at = run_app(env, "up_b", "views/ledger.py")
    table = frame_with(at, "审查发现", "决定日期")
    assert list(table.columns) == list(LEDGER_COLUMNS)
    assert set(table["单位"]) == {UNIT_B} and len(table) == env.store.counts(viewer(env, "up_b"))["total"]
    button = at.download_button(key="ledger_download_xlsx")
    assert "ledger_download_csv" in keys(at)
    url = button.proto.url
    assert url.endswith(".xlsx")
    data = storages[-1].get_file(url.rsplit("/", 1)[-1]).content
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[2]] == list(LEDGER_COLUMNS) and ws.max_row == len(table) + 2


def test_detail_decision_may_carry_a_rectification(env):
    aid = agreement_of(env, UNIT_B)
    at = run_app(env, "rev", "views/detail.py", {"id": str(aid)})
    at.radio(key=f"detail_decision_{aid}").set_value("fixable")
    at.text_area(key=f"detail_decision_measure_{aid}").input("重新公开招租")
    at.date_input(key=f"detail_decision_deadline_{aid}").set_value(date(2027, 6, 30))
    at.text_input(key=f"detail_decision_responsible_{aid}").input("张镇长")
    at.button(key=f"detail_decision_submit_{aid}").click().run()
    assert not at.exception
    got = env.store.agreement(viewer(env, "admin"), aid)
    assert got["decision"] == "fixable"
    assert got["rectification"] == {"measure": "重新公开招租", "deadline": date(2027, 6, 30), "responsible": "张镇长"}
    assert any("整改要求：重新公开招租；时限 2027-06-30；责任人 张镇长" in m.value for m in at.markdown)
    row = next(r for r in ledger_rows(env.store, viewer(env, "admin")) if r["文件"] == got["filename"])
    assert (row["整改措施"], row["责任人"]) == ("重新公开招租", "张镇长")


def test_stats_page(env):
    at = run_app(env, "rev", "views/stats.py")
    s = stats_of(env.store, viewer(env, "rev"))
    assert _metric(at, "协议总数") == s["total"] and _metric(at, "已决定") == s["decided"]
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 4
    up = run_app(env, "up_a", "views/stats.py")
    assert _metric(up, "协议总数") == stats_of(env.store, viewer(env, "up_a"))["total"]
    assert "各单位审查进度" not in texts(up.subheader)


def test_stats_counts_pending_as_the_queue_does(env):
    # 待审查 on 统计 is the queue's 待审查 (status pending); agreements awaiting 复核 or a new
    # upload are named beside it, not counted as pending (they used to be: total − decided)
    rev = viewer(env, "rev")
    rows, _ = env.store.queue(rev, status="pending", limit=1)
    env.store.decide(rev, rows[0]["id"], "void", note="统计口径", version=0)  # a void awaits 复核
    counts = env.store.counts(rev)
    assert counts["second_review"] >= 1
    at = run_app(env, "rev", "views/stats.py")
    assert not at.exception
    assert _metric(at, "待审查") == counts["pending"]
    assert any("待复核" in c and "不计入待审查" in c for c in texts(at.caption)), texts(at.caption)
    # the units' decisions: the one awaiting 复核 in its own column, counted once (it was counted
    # both as 无效 and as not decided)
    at.radio(key="stats_unit_basis").set_value("审查决定").run()
    table = next(df.value for df in at.dataframe if "合计" in df.value.columns)
    assert table.loc["合计", "合计"] == counts["total"]
    assert table.loc["合计", "待复核"] == counts["second_review"]
    assert table.loc["合计", "未决定"] == counts["total"] - counts["decided"] - counts["second_review"]


def test_stats_bars_by_count_unit_table_and_weekly_decisions_in_chinese(env):
    rev = viewer(env, "rev")
    rows, _ = env.store.queue(rev, unit_id=env.units[UNIT_B], status="pending", limit=1)
    if rows:
        env.store.decide(rev, rows[0]["id"], "fixable", note="统计测试", version=0)
    s = stats_of(env.store, rev)
    at = run_app(env, "rev", "views/stats.py")
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    type_chart = next(sp for sp in specs if "协议类型" in json.dumps(sp, ensure_ascii=False)
                      and "协议数" in json.dumps(sp, ensure_ascii=False))
    assert "descending" in json.dumps(type_chart) or "-协议数" in json.dumps(type_chart, ensure_ascii=False)
    # the disposition × unit table, with totals
    table = next(df.value for df in at.dataframe if "合计" in df.value.columns)
    assert table.loc["合计", "合计"] == s["total"]
    for unit, n in s["per_unit"].items():
        assert table.loc[unit, "合计"] == n
    assert {"无效", "规范补签", "可整改", "合规"} <= set(table.columns)
    at.radio(key="stats_unit_basis").set_value("审查决定").run()
    table = next(df.value for df in at.dataframe if "合计" in df.value.columns)
    assert table.loc["合计", "可整改"] == s["per_decision"].get("fixable", 0) and table.loc["合计", "合计"] == s["total"]
    # decisions per week, labelled in Chinese (no `Mon 07` time axis)
    assert "每周" in texts(at.subheader)[-1] and '"temporal"' not in json.dumps(specs)
    week = re.search(r"最近一周（(.+?)）", " ".join(texts(at.caption)))
    assert week and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日–(\d{1,2}月)?\d{1,2}日", week.group(1)), texts(at.caption)


def test_settings_admin_uploads_profile_and_others_only_view(env):
    at = run_app(env, "rev", "views/settings.py")
    assert "settings_profile_file" not in keys(at) and "settings_market_file" not in keys(at)
    assert any("below_market_ratio" in str(c.value) for c in at.code)
    assert "未上传：以同批次同类资产为参照" in texts(at.info)

    at = run_app(env, "admin", "views/settings.py")
    at.file_uploader(key="settings_profile_file").set_value(("bad.yaml", b"rent: [unclosed\n", "application/x-yaml"))
    at.button(key="settings_profile_submit").click().run()
    assert any(s.startswith("未启用") for s in texts(at.error))
    assert env.store.config("profile") is None

    at.file_uploader(key="settings_profile_file").set_value(
        ("county.yaml", "rent:\n  below_market_ratio: 0.8\n".encode(), "application/x-yaml"))
    at.button(key="settings_profile_submit").click().run()
    assert any("已启用" in s for s in texts(at.success))
    cfg = env.store.config("profile")
    assert cfg and cfg["filename"] == "county.yaml"
    assert any("below_market_ratio: 0.8" in str(c.value) for c in at.code)

    at.file_uploader(key="settings_market_file").set_value(("m.csv", b"a,b\n1,2\n", "text/csv"))
    at.button(key="settings_market_submit").click().run()
    assert any("未启用" in s for s in texts(at.error)) and env.store.config("market") is None
    history = frame_with(at, "版本", "上传人")
    assert list(history["文件"]) == ["county.yaml"]
    users = frame_with(at, "用户名", "角色")
    assert set(users["用户名"]) >= {"admin", "rev", "up_a", "up_b"}


def test_settings_recheck_keeps_decisions(env):
    decided = env.store.counts(viewer(env, "admin"))["decided"]
    at = run_app(env, "admin", "views/settings.py")
    at.button(key="settings_recheck").click().run(timeout=120)
    assert not at.exception
    total = env.store.counts(viewer(env, "admin"))
    assert any(f"已重新审查 {total['total']} 份协议" in s for s in texts(at.success))
    assert total["decided"] == decided


def test_an_unreadable_file_heads_the_queue_and_says_so(env, tmp_path):
    """Nobody knows the risk of a file that could not be read: the queue puts it first and
    asks for a new scan instead of showing a risk of 0 and 未发现问题."""
    from contract_review.batch import ingest_paths

    broken = tmp_path / "看不清的扫描件.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    ingest_paths(env.store, [broken], unit="坏文件镇", workers=1)
    at = run_app(env, "rev", "views/queue.py")
    frame = frame_with(at, "风险分", "问题")
    first = frame.iloc[0]
    assert first["文件"] == broken.name
    assert first["问题"].startswith("无法读取") and first["机器建议"] == ""

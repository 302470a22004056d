"""The store's commands as an operator runs them (``contract_review.cli.main``) against a data
directory of the test's own, on SQLite and PostgreSQL: accounts, ingest (twice: the second
run reads nothing), a bad path reported while the batch goes on, and the ledger export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from contract_review.accounts import Accounts
from contract_review.cli import main
from contract_review.ledger import LEDGER_COLUMNS
from contract_review.stats import stats_of
from contract_review.store import Store


@pytest.fixture
def cli_env(db_url: str, store_env: None, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CONTRACT_REVIEW_DB_URL", db_url)
    return db_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_user_commands(cli_env: str, capsys):
    code, out, _ = run(capsys, "user", "add", "zhang", "--role", "admin", "--password", "admin-pw-1",
                       "--name", "张管理")
    assert code == 0 and "已创建用户 zhang（管理员）" in out
    code, out, _ = run(capsys, "user", "add", "li", "--role", "uploader", "--unit", "城关镇", "--password", "upload-pw-1")
    assert code == 0 and "上传员，城关镇" in out
    code, _, err = run(capsys, "user", "add", "wang", "--role", "uploader", "--password", "upload-pw-1")
    assert code == 2 and "上传员必须属于一个单位" in err
    code, _, err = run(capsys, "user", "add", "li", "--role", "reviewer", "--password", "upload-pw-1")
    assert code == 2 and "用户 li 已存在" in err
    code, out, _ = run(capsys, "user", "list")
    assert code == 0 and "张管理" in out and "城关镇" in out and "wang" not in out
    code, out, _ = run(capsys, "user", "passwd", "li", "--password", "changed-pw")
    assert code == 0
    store = Store(url=cli_env)
    try:
        assert Accounts(store).authenticate("li", "changed-pw") is not None and Accounts(store).authenticate("li", "upload-pw-1") is None
    finally:
        store.close()


def test_ingest_twice_then_export(cli_env: str, capsys, samples, tmp_path: Path):
    folder = tmp_path / "城关镇交来的"
    folder.mkdir()
    for p in (samples.docx, samples.text, samples.pdf, samples.broken):
        shutil.copy(p, folder / p.name)
    missing = tmp_path / "没有这个文件.pdf"
    code, out, err = run(capsys, "ingest", str(folder), str(missing), "--unit", "城关镇", "--batch", "第一批",
                         "--workers", "2", "--quiet")
    assert code == 0, err
    assert "4 个文件，本次读取 3，失败 1，未变化跳过 0，未接收 1" in out
    assert "文件不存在" in out and str(missing) in out  # reported; the batch went on
    assert "corrupt_pdf" in out and "已重新审查" in out

    code, out, err = run(capsys, "ingest", str(folder), "--unit", "城关镇", "--quiet")
    assert code == 0, err
    assert "4 个文件，本次读取 0，失败 0，未变化跳过 4" in out and "无新文件，未重新审查" in out

    xlsx = tmp_path / "台账.xlsx"
    code, out, _ = run(capsys, "export", "--format", "xlsx", "--out", str(xlsx))
    assert code == 0 and "（4 行，其中未能读取 1 个文件）" in out
    book = load_workbook(xlsx)
    sheet = book["台账"]
    assert [c.value for c in sheet[2]] == list(LEDGER_COLUMNS)
    assert {sheet.cell(row=r, column=LEDGER_COLUMNS.index("单位") + 1).value for r in range(3, 6)} == {"城关镇"}
    assert sheet.max_row == 5 and book["未能读取的文件"]["C3"].value == samples.broken.name
    code, out, _ = run(capsys, "export", "--kind", "rectification", "--out", str(tmp_path / "整改清单.xlsx"))
    assert code == 0 and "整改清单已导出" in out and "（0 份协议）" in out
    csv_out = tmp_path / "台账.csv"
    assert run(capsys, "export", "--out", str(csv_out), "--unit", "城关镇")[0] == 0
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")
    code, _, err = run(capsys, "export", "--out", str(tmp_path / "x.xlsx"), "--unit", "青山乡")
    assert code == 2 and "没有单位「青山乡」" in err
    code, _, err = run(capsys, "export", "--out", str(tmp_path / "台账.txt"))
    assert code == 2 and "xlsx 或 csv" in err


def test_ingest_refuses_what_it_cannot_do(cli_env: str, capsys, tmp_path: Path):
    code, out, _ = run(capsys, "ingest", str(tmp_path / "nothing.pdf"), "--unit", "城关镇", "--quiet")
    assert code == 2 and "未接收 1" in out  # nothing could be stored
    code, _, err = run(capsys, "ingest", str(tmp_path), "--unit", "  ", "--quiet")
    assert code == 2 and "单位名称不能为空" in err


@pytest.mark.slow
def test_demo_load_hands_in_two_townships_and_prints_the_accounts(store_env: None, capsys, samples, monkeypatch,
                                                                  tmp_path: Path):
    import corpus.demo
    from contract_review.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, UNITS

    files = [samples.docx, samples.text, samples.broken]  # the real demo batch adds scans and photos (OCR)
    monkeypatch.setattr(corpus.demo, "build_demo_batch", lambda out, seed=7: files)
    code, out, _ = run(capsys, "demo", "--out", str(tmp_path / "demo"), "--load", "--workers", "2")
    assert code == 0
    assert f"演示账号（密码均为 {DEMO_PASSWORD}）" in out and all(u in out for u, *_ in DEMO_ACCOUNTS)
    store = Store()
    try:
        assert [u["name"] for u in store.units()] == sorted(UNITS)
        per_unit = stats_of(store, Accounts(store).authenticate("reviewer", DEMO_PASSWORD))["per_unit"]
        assert set(per_unit) == set(UNITS) and sum(per_unit.values()) == 3 + 24
        uploader = Accounts(store).authenticate("qingshan", DEMO_PASSWORD)
        assert uploader is not None and store.counts(uploader)["total"] == per_unit["青山乡"]
    finally:
        store.close()
    code, out, _ = run(capsys, "demo", "--out", str(tmp_path / "demo"), "--load", "--quiet")
    assert code == 0 and "本次读取" not in out and "演示账号" in out  # loaded again: nothing new, no error

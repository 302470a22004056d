"""The review app in a real browser: Debian's Chromium driven by Selenium, end to end.

One test walks the way a township and the reviewer use the app: the uploader logs in and
uploads a scanned agreement (a 2-page image-only PDF: real OCR runs in the background), waits
until it is ready and logs out; the reviewer logs in, finds it in the queue, opens it, sees the
page image with the evidence boxes drawn, decides, and downloads the ledger (xlsx), whose row
for the file carries the decision and the reviewer's name.

The store (SQLite in a temporary data directory) is seeded through the Store API: the two
accounts and a few earlier, already read agreements of two townships (text, Word and digital
PDF, no OCR), so the queue looks like a real one. The app runs as
``python -m streamlit run review_app/app.py`` on a free port with ``CONTRACT_REVIEW_DATA_DIR``
pointing there (see ``browser_support``). Screenshots of every step go to ``docs/screenshots/``
(overwritten each run; the README shows two of them); on a failure the screenshot, the page
source and the logs go to the test's tmp directory instead (the paths are printed).

Skipped, saying why, when Debian's ``chromium`` / ``chromium-driver`` are not installed.
"""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from browser_support import (
    REPO,
    Page,
    StreamlitApp,
    browser_missing,
    browser_page,
    key_css,
    serving,
    wait_for_download,
)

_MISSING = browser_missing()
pytestmark = [pytest.mark.slow, pytest.mark.ocr, pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")]

SHOTS = REPO / "docs" / "screenshots"
PASSWORD = "browser-test-1"
UPLOADER = SimpleNamespace(username="chengguan", display="城关镇上传员", unit="城关镇")
REVIEWER = SimpleNamespace(username="wangmin", display="审查员王敏")
SCAN_NAME = "集体土地承包合同_扫描件.pdf"
DECISION = "规范补签"  # not the machine's proposal (可整改), so the click must have reached the radio
NOTE = "补签集体经济组织成员会议决议后存档"
READY_TIMEOUT = 240  # real OCR of two 300-dpi pages on a 2-core machine: well under this


# ---------------------------------------------------------------------------- the store
def _seed_store(data_dir: Path, work: Path) -> None:
    """Accounts and earlier agreements of two townships (already read: no OCR here)."""
    from contract_review.batch import ingest_paths
    from contract_review.accounts import Accounts
    from contract_review.store import Store
    from corpus.generate import generate_corpus

    store = Store(data_dir=data_dir)
    try:
        Accounts(store).create_user(UPLOADER.username, PASSWORD, "uploader", unit=UPLOADER.unit, display_name=UPLOADER.display)
        Accounts(store).create_user(REVIEWER.username, PASSWORD, "reviewer", display_name=REVIEWER.display)
        corpus = work / "corpus"
        generate_corpus(corpus, n=8, seed=8, formats=("text", "docx", "pdf"), as_of=date(2026, 11, 21), split="test")
        manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
        named = work / "earlier"
        named.mkdir()
        files = []
        for d in manifest["documents"]:  # a readable name: the agreement's own title
            src = corpus / d["renderings"][d["rendering"]]
            truth = json.loads((corpus / d["truth"]).read_text(encoding="utf-8"))
            title = truth["source_text"].strip().splitlines()[0].strip()[:20]
            dst = named / f"{d['id']}_{title}{src.suffix}"
            shutil.copyfile(src, dst)
            files.append(dst)
        ingest_paths(store, files[0::2], unit=UPLOADER.unit, batch="2026年10月第一批", workers=1)
        ingest_paths(store, files[1::2], unit="青山乡", batch="2026年10月第一批", workers=1)
    finally:
        store.close()


def _scanned_agreement(folder: Path) -> Path:
    """The hand-written land-contracting sample as a 2-page 300-dpi scan with its seals."""
    from corpus.render import render_scanned_pdf
    from corpus.samples import LAND

    folder.mkdir(parents=True, exist_ok=True)
    return render_scanned_pdf(LAND.blocks, folder / SCAN_NAME, seed=7, seal=LAND.seals)


# ---------------------------------------------------------------------------- fixtures
@pytest.fixture
def app(tmp_path: Path):
    data_dir = tmp_path / "store"
    _seed_store(data_dir, tmp_path)
    with serving(data_dir, tmp_path / "streamlit.log") as server:
        yield server


@pytest.fixture
def browser(tmp_path: Path):
    with browser_page(tmp_path) as page:
        yield page


@contextmanager
def _failure_evidence(page: Page, app: StreamlitApp, tmp_path: Path):
    """On a failure: the browser's screenshot and page source into the tmp dir (not docs/)."""
    try:
        yield
    except BaseException:
        failure = tmp_path / "failure.png"
        try:
            page.screenshot(failure)
            (tmp_path / "failure.html").write_text(page.driver.page_source, encoding="utf-8")
            print(f"\nbrowser test failed at {page.driver.current_url}\n  screenshot: {failure}\n"
                  f"  page source: {tmp_path / 'failure.html'}\n  app log: {app.log_path}\n"
                  f"  batch logs: {app.data_dir / 'logs'}\n--- app log tail ---\n{app.log_tail(2000)}")
        except Exception as exc:  # noqa: BLE001 - the failure itself is what matters
            print(f"\n(could not save the failure screenshot: {exc})")
        raise


# ---------------------------------------------------------------------------- steps
def _login(page: Page, url: str, username: str, shot: Path | None = None) -> None:
    page.driver.get(url)
    page.type_into(key_css("login_username", "input"), username)
    page.type_into(key_css("login_password", "input"), PASSWORD)
    if shot is not None:
        page.screenshot(shot)
    page.click(key_css("login_submit", "button"))
    page.visible(key_css("logout_button", "button"))  # the sidebar of a logged-in user


# ---------------------------------------------------------------------------- the test
@pytest.mark.timeout(600)
def test_upload_scan_review_decide_and_download_ledger(app: StreamlitApp, browser: Page, tmp_path: Path):
    scan = _scanned_agreement(tmp_path / "to-upload")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with _failure_evidence(browser, app, tmp_path):
        _walk_through(browser, app, scan)


def _walk_through(page: Page, app: StreamlitApp, scan: Path) -> None:
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By

    driver = page.driver

    # 1. the uploader logs in (lands on the upload page) ----------------------------------
    _login(page, app.url, UPLOADER.username, SHOTS / "01-login.png")
    page.text("上传协议文件", f"单位： {UPLOADER.unit}")

    # 2. uploads the scan and waits until it has been read ---------------------------------
    file_input = page.until(lambda d: d.find_element(By.CSS_SELECTOR, key_css("upload_files", 'input[type="file"]')))
    file_input.send_keys(str(scan.resolve()))
    page.until(lambda d: SCAN_NAME in d.find_element(By.CSS_SELECTOR, key_css("upload_files")).text,
               message="the chosen file is not listed in the uploader")
    page.type_into(key_css("upload_batch_name", "input"), "2026年11月扫描件")
    page.click(key_css("upload_submit", "button"))
    page.text("已保存到批次「2026年11月扫描件」", "新文件 1 个")
    page.text("处理完成：1 个文件已读取，0 个读取失败", timeout=READY_TIMEOUT)
    page.text("可审查：已处理 1 / 1 个文件")
    page.table_shows(SCAN_NAME, "已读取")  # the batch's files: read, with their page count and time
    page.scroll_to(driver.find_element(By.XPATH, "//h3[contains(., '处理进度')]"))
    page.screenshot(SHOTS / "02-upload-progress.png")

    # 3. logs out; the reviewer logs in and lands on the queue ------------------------------
    page.click(key_css("logout_button", "button"))
    page.visible(key_css("login_username", "input"))
    _login(page, app.url, REVIEWER.username)
    page.visible(key_css("queue_open_select"))
    page.text("审查队列", "待审查", "第 1–9 条，共 9 条")
    # the scan (missing clauses) among both townships' agreements; the file column is scrolled
    # out of the grid's view behind the triage columns, the search below finds it by name
    page.table_shows("条款缺失", UPLOADER.unit, "青山乡")
    page.screenshot(SHOTS / "03-queue.png")

    # 4. finds the upload (search box) and opens it --------------------------------------
    page.type_into(key_css("queue_search", "input"), "扫描件", enter=True)
    page.until(lambda d: "共 1 条" in page.body_text(), message="the search did not narrow the queue to the upload")
    page.until(lambda d: SCAN_NAME in (d.find_element(By.CSS_SELECTOR, key_css("queue_open_select", "input"))
                                       .get_attribute("value") or ""), message="the upload is not the one to open")
    page.click(key_css("queue_open_button", "button"))

    # 5. the detail page: the scanned page with the evidence boxes drawn --------------------
    page.until(lambda d: "/detail" in d.current_url, message="the detail page did not open")
    page.text(f"文件 {SCAN_NAME}", "原文", "字段证据", "问题证据", "处理决定")
    # the page viewer (issue 12): the page image with numbered evidence boxes, in its own frame
    frame = page.until(lambda d: next((f for f in d.find_elements(By.CSS_SELECTOR, "iframe")
                                       if "data:image/jpeg" in (f.get_attribute("srcdoc") or "")), None), timeout=60,
                       message="no page viewer")
    page.text("审查发现（", "未处理")
    page.screenshot(SHOTS / "04-detail-evidence.png")
    driver.switch_to.frame(frame)
    try:
        natural = page.until(lambda d: d.execute_script(
            "const i = document.querySelector('#sheet img');"
            "return i && i.complete && i.naturalWidth ? [i.naturalWidth, i.naturalHeight] : null"),
            message="the page image did not load")
        assert natural[0] > 500 and natural[1] > natural[0], natural  # an A4 page, portrait
        shown = ("return [document.querySelectorAll('.box.field').length,"
                 " Array.from(document.querySelectorAll('.box.finding')).filter(b => b.style.display !== 'none').length,"
                 " Array.from(document.querySelectorAll('.box.field')).filter(b => b.style.display !== 'none').length]")
        fields, findings, _ = driver.execute_script(shown)
        assert fields > 0, "no field evidence boxes on the page image"
        assert findings > 0, "no finding evidence box on the page image"
        # hiding the findings' evidence hides their boxes, not the fields'
        driver.find_element(By.CSS_SELECTOR, '.bar button[data-kind="finding"]').click()
        _, findings_hidden, fields_shown = driver.execute_script(shown)
        print(f"page image {natural[0]}x{natural[1]}: {fields} field boxes, {findings} finding boxes")
        assert findings_hidden == 0 and fields_shown == fields
        driver.find_element(By.CSS_SELECTOR, '.bar button[data-kind="finding"]').click()
    finally:
        driver.switch_to.default_content()
    aid = int(driver.current_url.split("id=")[1].split("&")[0])

    # 6. decides: 规范补签 with a note; the page confirms it with the reviewer's name --------
    page.visible(key_css(f"detail_decision_{aid}"))  # keyed per agreement (issue 12)
    page.click_found(lambda d: next((el for el in d.find_elements(
        By.CSS_SELECTOR, key_css(f"detail_decision_{aid}", "[role=radiogroup] label")) if el.text.strip() == DECISION), None),
        f"no decision option {DECISION}")
    page.type_into(key_css(f"detail_decision_note_{aid}", "textarea"), NOTE)
    page.click(key_css(f"detail_decision_submit_{aid}", "button"))
    page.text(f"已提交决定：{DECISION}", timeout=30)
    page.text(f"当前决定：{DECISION}（{REVIEWER.display}", NOTE, f"已决定（{DECISION}，{REVIEWER.display}")
    chosen = driver.execute_script(
        "const i = document.querySelector(arguments[0]); return i && i.closest('label').textContent.trim();",
        key_css(f"detail_decision_{aid}", 'input[type="radio"]:checked'))
    assert chosen == DECISION, f"the form shows {chosen!r} after deciding {DECISION}"
    page.settle()
    page.scroll_to_found(lambda d: d.find_element(By.XPATH, "//p[contains(., '当前决定')]"), "no current decision")
    page.screenshot(SHOTS / "05-decision.png")
    page.click_found(lambda d: next((t for t in d.find_elements(By.CSS_SELECTOR, '[data-testid="stTab"]')
                                     if t.text.startswith("历史记录")), None), "no history tab")
    page.table_shows(REVIEWER.display, "处理决定", DECISION, NOTE, displayed=True)

    # 7. the ledger page: download the xlsx, its row for the upload has the decision --------
    # the detail page folds the sidebar away (its image needs the width): open it as a user would
    opener = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stExpandSidebarButton"], '
                                                   '[data-testid="stSidebarCollapsedControl"] button')
    if opener:  # (absent when the sidebar is open)
        driver.execute_script("arguments[0].click();", opener[0])
    page.click('[data-testid="stSidebarNav"] a[href$="/ledger"]')
    page.text("协议管理台账")
    page.visible(key_css("ledger_download_xlsx", "button"))
    page.text("共 9 份协议")
    page.table_shows(SCAN_NAME, "承包经营")  # (the decision's column is scrolled out of the grid's view)
    page.settle()  # the pointer off the sidebar, the detail page's toast gone
    page.screenshot(SHOTS / "06-ledger.png")
    page.click(key_css("ledger_download_xlsx", "button"))
    xlsx = wait_for_download(page.downloads, ".xlsx")
    ws = load_workbook(xlsx, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[1])
    records = [dict(zip(header, r)) for r in rows[2:]]
    mine = [r for r in records if r["文件"] == SCAN_NAME]
    assert len(mine) == 1, [r["文件"] for r in records]
    row = mine[0]
    assert row["处理决定"] == DECISION, row
    assert row["审查人"] == REVIEWER.display, row
    assert row["决定说明"] == NOTE, row
    assert row["单位"] == UPLOADER.unit and row["协议类型"], row
    assert all(not r["处理决定"] for r in records if r["文件"] != SCAN_NAME)  # only this one was decided


# ---------------------------------------------------------------------------- F5 (issue 12, defect 4)
@pytest.mark.timeout(300)
def test_reload_keeps_the_login_and_the_queue_filters(app: StreamlitApp, browser: Page, tmp_path: Path):
    """A reviewer filters the queue and presses F5: still logged in, the same filter shown
    (it is in the URL); after logging out a reload shows the login form (the token is revoked)."""
    from selenium.webdriver.common.by import By

    page, driver = browser, browser.driver
    with _failure_evidence(page, app, tmp_path):
        _login(page, app.url, REVIEWER.username)
        page.visible(key_css("queue_open_select"))
        page.type_into(key_css("queue_search", "input"), "a0001", enter=True)  # one file's name
        page.until(lambda d: "共 1 条" in page.body_text(), message="the search did not narrow the queue")
        page.until(lambda d: "queue_search=a0001" in d.current_url, message="the filter did not reach the URL")
        page.until(lambda d: d.get_cookie("contract_review_login") is not None, message="no login cookie")
        url = driver.current_url

        driver.refresh()  # F5
        page.visible(key_css("logout_button", "button"))  # still logged in
        assert driver.current_url == url
        page.until(lambda d: d.find_element(By.CSS_SELECTOR, key_css("queue_search", "input"))
                   .get_attribute("value") == "a0001", message="the search filter was not restored")
        page.text("共 1 条")  # the same filtered queue
        assert not driver.find_elements(By.CSS_SELECTOR, key_css("login_username"))

        page.click(key_css("logout_button", "button"))
        page.visible(key_css("login_username", "input"))
        driver.refresh()
        page.visible(key_css("login_username", "input"))  # logged out for good
        assert not driver.find_elements(By.CSS_SELECTOR, key_css("logout_button"))

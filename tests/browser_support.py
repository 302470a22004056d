"""Helpers of the real-browser test (``tests/test_browser.py``): the review app served by
Streamlit in a subprocess, Debian's Chromium driven by Selenium, and small waits on
Streamlit's widgets by their keys.

Nothing is downloaded: Chromium and chromedriver are the Debian packages' (``/usr/bin``),
Selenium Manager is never asked (``SE_OFFLINE``, explicit paths). Chromium gets the Noto Sans /
Serif SC fonts of the ``pylopdf-fonts-zh-cn`` package (a project dependency) through a
fontconfig file of its own, so Chinese is readable in the screenshots without any system CJK
font.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "review_app" / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
MISSING = "Debian chromium/chromium-driver not installed (apt-get install chromium chromium-driver)"
WINDOW = (1440, 1000)


def browser_missing() -> str | None:
    """Why the browser test cannot run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (path.is_file() and os.access(path, os.X_OK)):
            return MISSING
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed (pip install -e '.[test]')"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------- fonts
def fontconfig_file(tmp: Path) -> Path:
    """A fontconfig file: the system's fonts plus the Noto SC fonts of ``pylopdf-fonts-zh-cn``
    (Chromium finds them for Chinese text), its cache in ``tmp``."""
    from ingest.fonts import cjk_font_path

    font = cjk_font_path("sans")
    if font is None or not font.is_file():
        raise RuntimeError("pylopdf-fonts-zh-cn is not installed: no Chinese font for Chromium")
    (tmp / "fc-cache").mkdir(parents=True, exist_ok=True)
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{font.parent}</dir>\n"
        f"  <cachedir>{tmp / 'fc-cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


# ---------------------------------------------------------------------------- the app
class StreamlitApp:
    """``python -m streamlit run review_app/app.py`` on a free port, in its own session, with
    the given data directory; :meth:`stop` ends it (and a background batch it started)."""

    def __init__(self, data_dir: Path, log: Path):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        env = dict(os.environ)
        env.pop("CONTRACT_REVIEW_DB_URL", None)
        env["CONTRACT_REVIEW_DATA_DIR"] = str(data_dir)
        env["PYTHONUNBUFFERED"] = "1"
        self._log = open(log, "wb")  # noqa: SIM115 - the server's output, closed by stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=str(REPO), env=env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"streamlit did not answer on {self.url} within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self._log.close()
        # a batch reader the app started runs detached: end it if it is still going (failed test)
        for pid_file in (self.data_dir / "logs").glob("batch-*.pid"):
            try:
                pid = int(pid_file.read_text().strip())
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except (OSError, ValueError):
                continue  # finished and gone
            if b"contract_review.batch" in cmdline:  # still that batch, not a reused pid
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)


@contextlib.contextmanager
def serving(data_dir: Path, log: Path):
    """The app served over ``data_dir`` while the block runs (ready when it starts)."""
    server = StreamlitApp(data_dir, log)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------------------- the browser
@contextlib.contextmanager
def browser_page(tmp: Path, window: tuple[int, int] | None = None):
    """A :class:`Page` over a fresh headless Chromium (viewport ``window``, default
    :data:`WINDOW`), downloads into ``tmp/downloads``; the browser is closed afterwards."""
    downloads = tmp / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    driver = make_driver(tmp / "chromium", downloads, window or WINDOW)
    try:
        yield Page(driver, downloads=downloads)
    finally:
        driver.quit()


def make_driver(tmp: Path, download_dir: Path, window: tuple[int, int] = WINDOW):
    """Headless Debian Chromium via Debian's chromedriver: CJK fonts from the project's font
    package, downloads into ``download_dir``, a fresh profile, no background network; the
    viewport ``window`` big."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager fetch anything
    profile = tmp / "chromium-profile"
    profile.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-features=Translate,MediaRouter",
                "--hide-scrollbars", "--lang=zh-CN", f"--user-data-dir={profile}",
                f"--window-size={window[0]},{window[1]}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(download_dir),
        "download.prompt_for_download": False,
        "download.directory_upgrade": True,
        "safebrowsing.enabled": False,
        "intl.accept_languages": "zh-CN,zh",
    })
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(fontconfig_file(tmp))
    env["SE_OFFLINE"] = "true"
    service = Service(executable_path=str(CHROMEDRIVER), env=env, log_output=str(tmp / "chromedriver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    # the viewport (what a screenshot shows) ``window`` big, whatever the window's frame takes
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    driver.set_window_size(2 * window[0] - inner[0], 2 * window[1] - inner[1])
    for cmd in ("Browser.setDownloadBehavior", "Page.setDownloadBehavior"):  # headless: allow downloads
        with contextlib.suppress(Exception):  # one of the two is enough
            driver.execute_cdp_cmd(cmd, {"behavior": "allow", "downloadPath": str(download_dir)})
    return driver


# ---------------------------------------------------------------------------- Streamlit widgets
def key_css(key: str, inner: str = "") -> str:
    """CSS selector of the widget with Streamlit ``key`` (its container has ``st-key-<key>``)."""
    return f".st-key-{key}" + (f" {inner}" if inner else "")


class Page:
    """Explicit waits over one driver."""

    def __init__(self, driver, timeout: float = 30.0, downloads: Path | None = None):
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver = driver
        self.downloads = downloads  # where the browser saves downloads
        self.timeout = timeout
        self._wait = WebDriverWait

    def until(self, condition: Callable[[Any], Any], timeout: float | None = None, message: str = "") -> Any:
        """Poll ``condition`` until it is truthy.

        Streamlit re-renders a widget on every rerun, so an element found a moment ago may be gone
        by the time it is read (a stale reference): that is "not yet", like an element not found.
        """
        from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

        wait = self._wait(self.driver, timeout or self.timeout, poll_frequency=0.25,
                          ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))
        return wait.until(condition, message)

    def visible(self, css: str, timeout: float | None = None):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC

        return self.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)), timeout, f"not visible: {css}")

    def clickable(self, css: str, timeout: float | None = None):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC

        return self.until(EC.element_to_be_clickable((By.CSS_SELECTOR, css)), timeout, f"not clickable: {css}")

    def click(self, css: str, timeout: float | None = None) -> None:
        """Click the widget; if a rerun replaces it between finding and clicking (a stale
        reference: the click did not happen), find it again."""

        def clicked(_driver) -> bool:
            el = self.clickable(css, timeout)
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
            el.click()
            return True

        self.until(clicked, timeout, f"could not click: {css}")

    def click_found(self, find: Callable[[Any], Any], message: str, timeout: float | None = None) -> None:
        """Click the element ``find(driver)`` returns (None: not there yet), found again if a rerun
        replaced it before the click."""

        def clicked(driver) -> bool:
            el = find(driver)
            if el is None:
                return False
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
            el.click()
            return True

        self.until(clicked, timeout, message)

    def scroll_to_found(self, find: Callable[[Any], Any], message: str, block: str = "center") -> None:
        """Scroll the element ``find(driver)`` returns into view (found again if replaced)."""
        self.until(lambda d: (el := find(d)) is not None and self.driver.execute_script(
            f"arguments[0].scrollIntoView({{block: '{block}'}}); return true;", el), None, message)

    def body_text(self) -> str:
        from selenium.webdriver.common.by import By

        try:
            return self.driver.find_element(By.TAG_NAME, "body").text
        except Exception:  # noqa: BLE001 - page replaced while reading: try again
            return ""

    def text(self, *needles: str, timeout: float | None = None) -> None:
        """Wait until every needle is shown on the page."""
        self.until(lambda d: all(n in self.body_text() for n in needles), timeout,
                   f"text not shown: {needles!r}")

    def tables_text(self, displayed: bool = False) -> str:
        """The text of the page's data frames (drawn on a canvas; their cells are in an
        accessibility table that ``body.text`` leaves out); ``displayed``: only those shown
        (not in a hidden tab)."""
        return self.driver.execute_script(
            "return Array.from(document.querySelectorAll('[data-testid=\"stDataFrame\"]'))"
            ".filter(e => !arguments[0] || e.getClientRects().length > 0)"
            ".map(e => e.textContent).join('\\n');", displayed) or ""

    def table_shows(self, *needles: str, displayed: bool = False, timeout: float | None = None) -> None:
        """Wait until every needle is in the page's (``displayed``: shown) data frames."""
        self.until(lambda d: all(n in self.tables_text(displayed) for n in needles), timeout,
                   f"not in a table: {needles!r}")

    def scroll_to(self, element) -> None:
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", element)

    def settle(self, timeout: float = 15.0) -> None:
        """Before a screenshot: the pointer off the sidebar and the widgets (on the page's first
        caption), toasts closed (as a user would)."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By

        d = self.driver
        spots = d.find_elements(By.CSS_SELECTOR, '[data-testid="stMain"] [data-testid="stCaptionContainer"]') \
            or d.find_elements(By.CSS_SELECTOR, "h1")
        if spots:
            ActionChains(d).move_to_element(spots[0]).perform()
        for toast in d.find_elements(By.CSS_SELECTOR, '[data-testid="stToast"]'):
            with contextlib.suppress(Exception):  # gone meanwhile, or no close button: it times out itself
                toast.find_element(By.CSS_SELECTOR, "button").click()
        self.until(lambda d: not d.find_elements(By.CSS_SELECTOR, '[data-testid="stToast"]'), timeout,
                   "a toast stayed on the page")

    def type_into(self, css: str, value: str, enter: bool = False) -> None:
        from selenium.webdriver.common.keys import Keys

        el = self.clickable(css)
        el.click()
        el.send_keys(Keys.CONTROL, "a")
        el.send_keys(Keys.DELETE)
        el.send_keys(value)
        if enter:
            el.send_keys(Keys.ENTER)

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))
        return path


def wait_for_download(folder: Path, suffix: str, timeout: float = 30.0) -> Path:
    """The first finished download ending in ``suffix`` (no partial ``.crdownload``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        partial = list(folder.glob("*.crdownload"))
        if done and not partial:
            return done[0]
        time.sleep(0.2)
    raise TimeoutError(f"no {suffix} downloaded into {folder} within {timeout:.0f} s: {sorted(os.listdir(folder))}")

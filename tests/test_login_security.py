"""Logging in as an attacker and a careless user would (issue 11, failure 4 and the file-name
items; issue 12, defect 4): throttling and lockout, equal-time answers, the password rule,
login sessions that expire, argon2id with old hashes upgraded, the server on loopback by default,
published demo passwords changed at first login when exposed; file names with bidi overrides or
line breaks cleaned and escaped; ``Store.file_path`` scoped by viewer.

Written against interfaces that existed before these fixes where there were any (``authenticate``,
the login form, ``serve``'s command line), so that each test fails on the old code for the
reason it names.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from contract_review.accounts import Accounts
from contract_review.store import SYSTEM, AccessDenied, Store, StoreError

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "review_app" / "app.py"
PW = "quiet-river-42"
RLO_NAME = "租赁合同\u202efdp.exe\n第二行 **粗体** :red[x].txt"  # reads as 租赁合同exe.pdf…
RLO_SHOWN = "租赁合同fdp.exe 第二行 **粗体** :red[x].txt"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CONTRACT_REVIEW_DB_URL", raising=False)
    monkeypatch.delenv("CONTRACT_REVIEW_DATA", raising=False)
    monkeypatch.setenv("CONTRACT_REVIEW_DATA_DIR", str(tmp_path / "store"))
    return tmp_path / "store"


def _login_form(at, username: str, password: str):
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=60).run()


def _texts(elements) -> list[str]:
    return [str(e.value) for e in elements]


# ---------------------------------------------------------------------------- throttling
def test_forty_wrong_passwords_then_the_right_one_is_refused_as_locked(data: Path):
    store = Store()
    accounts = Accounts(store)
    accounts.create_user("li", PW, "reviewer")
    refused = []
    started = time.perf_counter()
    for i in range(40):
        try:
            assert accounts.authenticate("li", f"wrong-password-{i}") is None
        except Exception as exc:  # noqa: BLE001 - LoginRefused (not importable before the fix)
            refused.append(str(exc))
    seconds = time.perf_counter() - started
    with pytest.raises(Exception, match="锁定"):  # the right password, but locked
        accounts.authenticate("li", PW)
    assert len(refused) >= 30 and "锁定" in refused[-1]
    store.close()

    again = Store()  # kept in the database: a restart does not lift it
    accounts = Accounts(again)
    with pytest.raises(Exception, match="锁定"):
        accounts.authenticate("li", PW)
    # the login form says so in Chinese
    at = _login_form(_app(), "li", PW)
    assert any("锁定" in e and "分钟后再试" in e for e in _texts(at.error)), _texts(at.error)
    assert "logout_button" not in {b.key for b in at.button}
    print(f"\n40 wrong passwords in {seconds:.2f} s, {len(refused)} refused unchecked; the right one refused")
    # an admin lifts it; the lockout also ends by itself after login_lockout_minutes
    assert accounts.unlock("li") and accounts.authenticate("li", PW) is not None
    again.close()


def test_lockout_ends_after_its_minutes_and_delays_grow(data: Path):
    from contract_review.accounts import LoginRefused

    now = [datetime(2026, 12, 7, 9, 0, 0)]
    store = Store()
    accounts = Accounts(store, clock=lambda: now[0])
    accounts.create_user("li", PW, "reviewer")
    for i in range(5):  # five failures: no wait yet
        assert accounts.authenticate("li", f"wrong-{i}") is None
    with pytest.raises(LoginRefused, match="请 2 秒后再试"):
        accounts.authenticate("li", PW)  # too soon: refused unchecked, and it counts (6 failures)
    now[0] += timedelta(seconds=3)
    with pytest.raises(LoginRefused, match="请 1 秒后再试"):
        accounts.authenticate("li", PW)  # 6 failures: 4 s to wait, 3 s gone (7 failures)
    for wait in (8, 16, 32):  # waiting out each delay: the password is checked (wrong: 8, 9, 10 failures)
        now[0] += timedelta(seconds=wait + 1)
        assert accounts.authenticate("li", "wrong-again") is None
    with pytest.raises(LoginRefused, match="锁定"):  # 10 failures: locked for 15 minutes
        accounts.authenticate("li", PW)
    now[0] += timedelta(minutes=14)
    with pytest.raises(LoginRefused, match="锁定"):
        accounts.authenticate("li", PW)
    now[0] += timedelta(minutes=2)
    assert accounts.authenticate("li", PW) is not None  # over: and a success clears the count
    assert accounts.authenticate("li", "wrong-once") is None
    assert accounts.authenticate("li", PW) is not None
    store.close()


def test_one_address_trying_many_accounts_is_throttled(data: Path):
    from contract_review.accounts import LoginRefused, LoginSettings

    store = Store()
    accounts = Accounts(store, LoginSettings(address_delay_after=3, address_lockout_after=6))
    accounts.create_user("li", PW, "reviewer")
    messages = []
    for i in range(10):  # a different (unknown) name each time: only the address counts up
        try:
            accounts.authenticate(f"user{i}", "some-password", address="10.0.0.9")
        except LoginRefused as exc:
            messages.append(str(exc))
    assert "此网络地址" in messages[-1] and "锁定" in messages[-1]
    assert accounts.authenticate("li", PW, address="10.0.0.10") is not None  # another address is not held up
    store.close()


def test_unknown_and_known_accounts_answer_in_the_same_time(data: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("LOGIN_DELAY_AFTER", "LOGIN_LOCKOUT_AFTER", "ADDRESS_DELAY_AFTER", "ADDRESS_LOCKOUT_AFTER"):
        monkeypatch.setenv(f"CONTRACT_REVIEW_{name}", "10000")  # timing only: no throttling in the way
    store = Store()
    accounts = Accounts(store)
    accounts.create_user("li", PW, "reviewer")
    known, unknown = [], []
    for i in range(10):
        for name, times in (("li", known), ("nobody-here", unknown)):
            started = time.perf_counter()
            assert accounts.authenticate(name, f"wrong-password-{i}") is None
            times.append(time.perf_counter() - started)
    k, u = statistics.median(known), statistics.median(unknown)
    print(f"\nmedian wrong-password answer: known account {k * 1000:.0f} ms, unknown {u * 1000:.0f} ms")
    assert max(k, u) / min(k, u) < 1.5, (k, u)
    store.close()


# ---------------------------------------------------------------------------- passwords
def test_password_rule_refuses_short_and_common_passwords(data: Path):
    store = Store()
    accounts = Accounts(store)
    for bad, why in (("123456", "至少 10 位"), ("k7#pQ2mZx", "至少 10 位"), ("1234567890", "常见"),
                     ("woaini1314520", "常见"), ("Password123", "常见"), ("aaaaaaaaaaaa", "常见")):
        with pytest.raises(StoreError, match=why):
            accounts.create_user("wang", bad, "reviewer")
    accounts.create_user("wang", PW, "reviewer")
    with pytest.raises(StoreError, match="至少 10 位"):
        accounts.set_password("wang", "123456")
    store.close()


def test_hashes_are_argon2id_and_old_scrypt_hashes_are_upgraded_at_login(data: Path):
    from sqlalchemy import select, update

    from contract_review.store.schema import User

    store = Store()
    accounts = Accounts(store)
    uid = accounts.create_user("li", PW, "reviewer")
    salt, digest = "c2FsdHNhbHRzYWx0c2FsdA==", None
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.scrypt(PW.encode(), salt=base64.b64decode(salt), n=2**14, r=8, p=1,
                                             dklen=32)).decode()
    with store.session() as s:
        assert s.scalar(select(User.password_hash).where(User.id == uid)).startswith("$argon2id$")
        s.execute(update(User).where(User.id == uid).values(password_hash=f"scrypt$16384$8$1${salt}${digest}"))
    assert accounts.authenticate("li", "wrong-password-1") is None
    assert accounts.authenticate("li", PW) is not None  # the old hash still verifies ...
    with store.session() as s:  # ... and is replaced by argon2id
        assert s.scalar(select(User.password_hash).where(User.id == uid)).startswith("$argon2id$")
    assert accounts.authenticate("li", PW) is not None
    store.close()


# ---------------------------------------------------------------------------- sessions
def test_login_sessions_expire_when_idle_or_too_old_and_logout_revokes(data: Path):
    now = [datetime(2026, 12, 7, 8, 0, 0)]
    store = Store()
    accounts = Accounts(store, clock=lambda: now[0])
    accounts.create_user("li", PW, "reviewer")
    viewer = accounts.authenticate("li", PW)
    token = accounts.open_login(viewer)
    assert accounts.login_viewer(token).username == "li"
    now[0] += timedelta(minutes=59)
    assert accounts.login_viewer(token) is not None  # used: idle time starts again
    now[0] += timedelta(minutes=61)
    assert accounts.login_viewer(token) is None  # idle longer than session_idle_minutes (60)
    assert accounts.login_viewer(token) is None  # and it stays ended

    now[0] = datetime(2026, 12, 8, 8, 0, 0)
    token = accounts.open_login(viewer)
    for _ in range(23):  # used every 30 minutes for 11.5 hours
        now[0] += timedelta(minutes=30)
        assert accounts.login_viewer(token) is not None
    now[0] += timedelta(minutes=31)
    assert accounts.login_viewer(token) is None  # older than session_max_hours (12)

    token = accounts.open_login(viewer)
    accounts.end_login(token)
    assert accounts.login_viewer(token) is None  # logged out: the token is worthless
    assert accounts.login_viewer("not-a-token") is None and accounts.login_viewer(None) is None

    first, second = accounts.open_login(viewer), accounts.open_login(viewer)
    accounts.change_password(viewer, PW, "another-quiet-river", keep_token=first)
    assert accounts.login_viewer(first) is not None and accounts.login_viewer(second) is None
    store.close()


def test_app_refuses_an_expired_login(data: Path):
    from streamlit.testing.v1 import AppTest

    now = [datetime(2026, 12, 7, 8, 0, 0)]
    store = Store()
    accounts = Accounts(store, clock=lambda: now[0])
    accounts.create_user("li", PW, "reviewer")
    token = accounts.open_login(accounts.authenticate("li", PW))
    store.close()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["auth_token"] = token
    at.run()  # the app's own clock: real time, long after 2026-12-07 08:00 + 12 h
    assert "logout_button" not in {b.key for b in at.button}
    assert "login_username" in {t.key for t in at.text_input}
    assert any("超时" in s for s in _texts(at.info))


# ---------------------------------------------------------------------------- exposure
def test_serve_listens_on_loopback_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch, capsys):
    from contract_review.cli import main

    calls = []
    monkeypatch.setattr(subprocess, "call", lambda cmd, *a, **k: calls.append(list(cmd)) or 0)
    monkeypatch.delenv("CONTRACT_REVIEW_ADDRESS", raising=False)
    assert main(["serve"]) == 0
    cmd = calls[-1]
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert main(["serve", "--address", "0.0.0.0"]) == 0
    assert calls[-1][calls[-1].index("--server.address") + 1] == "0.0.0.0"
    assert "修改密码" in capsys.readouterr().out  # exposed: says the demo passwords must change


def test_demo_accounts_must_change_their_password_when_exposed(data: Path):
    from streamlit import config

    from contract_review.demo import DEMO_PASSWORD, ensure_demo_accounts

    store = Store()
    ensure_demo_accounts(store)
    store.close()
    old = config.get_option("server.address")
    try:
        config.set_option("server.address", "0.0.0.0")
        at = _login_form(_app(), "reviewer", DEMO_PASSWORD)
        assert "forced_password_submit" in {b.key for b in at.button}
        assert "logout_button" not in {b.key for b in at.button}  # nothing else before the change
        at.text_input(key="forced_password_old").input(DEMO_PASSWORD)
        at.text_input(key="forced_password_new").input("my-own-river-77")
        at.text_input(key="forced_password_again").input("my-own-river-77")
        at.button(key="forced_password_submit").click().run()
        assert not at.exception
        assert "logout_button" in {b.key for b in at.button}

        config.set_option("server.address", "127.0.0.1")  # on loopback the demo password may stay
        at = _login_form(_app(), "admin", DEMO_PASSWORD)
        assert "logout_button" in {b.key for b in at.button}
    finally:
        config.set_option("server.address", old)


# ---------------------------------------------------------------------------- file names
def _one_agreement(store: Store, tmp_path: Path, unit: str, filename: str, text: str) -> int:
    from contract_review.batch import run_batch

    src = tmp_path / f"src-{unit}.txt"
    src.write_text(text, encoding="utf-8")
    batch = store.create_batch(unit, "批次")
    store.add_file(batch, src, filename=filename)
    run_batch(store, batch, workers=1)
    rows, _ = store.queue(SYSTEM, limit=100)
    return next(r["id"] for r in rows if r["filename"] == filename)


LEASE_TEXT = "房屋租赁合同\n出租方（甲方）：城关镇人民政府\n承租方（乙方）：某某商贸有限公司\n" \
             "甲方将位于城关镇解放路12号的门面房出租给乙方，租期自2024年1月1日起至2026年12月31日止，年租金12000元。\n"


def test_file_names_with_bidi_overrides_and_line_breaks_are_cleaned_and_escaped(data: Path, tmp_path: Path):
    from streamlit.testing.v1 import AppTest

    store = Store()
    accounts = Accounts(store)
    accounts.create_user("rev", PW, "reviewer")
    agreement_id = _one_agreement(store, tmp_path, "城关镇", RLO_NAME, LEASE_TEXT)
    assert store.agreement(SYSTEM, agreement_id)["filename"] == RLO_NAME  # the record keeps it as handed in
    store.close()

    at = _login_form(_app(), "rev", PW)
    at.switch_page("views/queue.py").run()
    files = [list(d.value["文件"]) for d in at.dataframe if "文件" in d.value.columns][0]
    assert files == [RLO_SHOWN]
    at.query_params["id"] = str(agreement_id)
    at.switch_page("views/detail.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = _texts(at.markdown) + _texts(at.title) + _texts(at.error) + _texts(at.warning)
    assert not any(ch in s for s in shown for ch in "\u202e\n" if "文件" in s or "fdp" in s)
    summary = next(s for s in shown if "**文件**" in s)
    assert "租赁合同fdp.exe 第二行 \\*\\*粗体\\*\\* \\:red\\[x\\].txt" in summary


def test_file_path_is_scoped_by_viewer(data: Path, tmp_path: Path):
    from contract_review.store import sha256_file

    store = Store()
    accounts = Accounts(store)
    accounts.create_user("up_a", PW, "uploader", unit="甲镇")
    accounts.create_user("up_b", PW, "uploader", unit="乙乡")
    accounts.create_user("rev", PW, "reviewer")
    _one_agreement(store, tmp_path, "甲镇", "甲.txt", LEASE_TEXT)
    sha = sha256_file(tmp_path / "src-甲镇.txt")
    up_a, up_b, rev = (accounts.authenticate(n, PW) for n in ("up_a", "up_b", "rev"))
    assert store.file_path(up_a, sha).read_text(encoding="utf-8") == LEASE_TEXT
    assert store.file_path(rev, sha) == store.file_path(up_a, sha)
    with pytest.raises(AccessDenied):
        store.file_path(up_b, sha)  # another unit's file
    with pytest.raises(AccessDenied):
        store.file_path(up_b, "0" * 64)  # and no telling whether a file exists
    with pytest.raises(KeyError):
        store.file_path(rev, "0" * 64)
    store.close()


def test_data_directory_has_one_name_and_the_old_one_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from contract_review.store import db

    monkeypatch.delenv("CONTRACT_REVIEW_DATA_DIR", raising=False)
    monkeypatch.setenv("CONTRACT_REVIEW_DATA", str(tmp_path / "old-name"))
    with pytest.warns(DeprecationWarning, match="CONTRACT_REVIEW_DATA_DIR"):
        assert db.data_dir() == tmp_path / "old-name"
    monkeypatch.setenv("CONTRACT_REVIEW_DATA_DIR", str(tmp_path / "new-name"))
    assert db.data_dir() == tmp_path / "new-name"  # the documented name wins
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "CONTRACT_REVIEW_DATA_DIR" in readme and "`CONTRACT_REVIEW_DATA`" in readme  # the alias is documented

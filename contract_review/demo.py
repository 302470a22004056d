"""The demo the README's `make run` opens: two townships' batches in the review store and one
account per role, printed so a new user can log in.

The demo password is published (here and in the README), so each demo account is flagged to
change it at its first login whenever the app is reachable from other machines (``serve
--address 0.0.0.0``); on loopback (the default) it can be used as it is."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .store import Store

DEMO_PASSWORD = "shencha-demo-2026"
PUBLISHED_PASSWORDS = (DEMO_PASSWORD, "demo1234")  # demo1234: the demo password of earlier versions
DEMO_ACCOUNTS: tuple[tuple[str, str, str | None, str], ...] = (
    ("admin", "admin", None, "管理员"),
    ("reviewer", "reviewer", None, "审查员（司法局）"),
    ("chengguan", "uploader", "城关镇", "城关镇上传员"),
    ("qingshan", "uploader", "青山乡", "青山乡上传员"),
)
UNITS = ("城关镇", "青山乡")


def ensure_demo_accounts(store: Store) -> None:
    """The demo accounts (password :data:`DEMO_PASSWORD`), created when missing, each asked to
    change its password at first login on an exposed server — also an existing one whose
    password is still a published one."""
    from .accounts import Accounts

    accounts = Accounts(store)
    existing = {u["username"] for u in store.users()}
    for username, role, unit, name in DEMO_ACCOUNTS:
        if username not in existing:
            accounts.create_user(username, DEMO_PASSWORD, role, unit=unit, display_name=name, must_change_password=True)
        else:
            accounts.flag_password_change(username, PUBLISHED_PASSWORDS)


def load_demo(store: Store, files: Sequence[Path], generated: Sequence[Path], workers: int = 2,
              progress: bool = True) -> None:
    """Hand the demo files and the generated agreements in as one batch per township
    (alternating), create the demo accounts and print them. Loading again reads nothing new.
    The files are made by the CLI (``corpus/``, the generator, is not imported here)."""
    from .batch import ingest_paths

    ensure_demo_accounts(store)
    halves = {UNITS[0]: list(files[::2]) + generated[::2], UNITS[1]: list(files[1::2]) + generated[1::2]}
    for unit, paths in halves.items():
        s = ingest_paths(store, paths, unit=unit, batch="演示批次", workers=workers)
        if progress:
            print(f"{unit}：{s.files} 个文件，本次读取 {s.read}，失败 {s.failed}，未变化跳过 {s.unchanged}，"
                  f"{s.agreements} 份协议可审查（{s.seconds:.0f} 秒）")
    print(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, _role, _unit, name in DEMO_ACCOUNTS:
        print(f"  {username:<10} {name}")
    print("服务只在本机（127.0.0.1）监听时可直接使用；对网络开放时（serve --address 0.0.0.0），演示账号首次登录须修改密码。")

"""Settings a county admin can use (issue 12): the market-rent reference as a Chinese table
(Chinese headers and asset names, CSV in UTF-8 or GBK, or Excel), a template that validates as
it is, errors naming the row; the profile as a form with Chinese labels that saves a valid
profile, with YAML still importable."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from checks.profile import default_profile, profile_from_text
from contract_review.accounts import Accounts
from contract_review.config_files import (
    PROFILE_FIELDS,
    ConfigFileError,
    check_context_in_force,
    market_template_csv,
    market_template_xlsx,
    market_text_from_upload,
    profile_overrides,
    profile_values,
    read_market_table,
    validate_config,
)
from contract_review.store import Store, StoreError
from contract_review import passwords

APP = Path(__file__).resolve().parent.parent / "review_app" / "app.py"
PW = "secret-123"
CHINESE = "资产类别,地点,计价单位,参考单价（元）,调查日期\n商铺,安平县青山镇,元/平方米·月,30,2026-01-01\n耕地,安平县,,600,2026年3月1日\n"


def test_a_chinese_reference_is_read_with_chinese_asset_names():
    rows = read_market_table(CHINESE, "参考租金.csv")
    assert [(r.line, r.asset_kind, r.location, r.unit, r.unit_rent, r.date) for r in rows] == [
        (2, "shop", "安平县青山镇", "m2_month", 30.0, date(2026, 1, 1)),
        (3, "land", "安平县", "mu_year", 600.0, date(2026, 3, 1)),  # the unit follows from the kind
    ]


def test_gbk_csv_and_excel_are_accepted(tmp_path: Path):
    assert market_text_from_upload(CHINESE.encode("gbk"), "参考租金.csv") == CHINESE
    wb = Workbook()
    ws = wb.active
    ws.append(["资产类别", "地点", "参考单价", "调查日期"])
    ws.append(["鱼塘", "安平县青山镇", 800, date(2026, 2, 1)])
    ws.append(["机械设备", "安平县", 1500.5, None])
    buf = io.BytesIO()
    wb.save(buf)
    rows = read_market_table(market_text_from_upload(buf.getvalue(), "参考租金.xlsx"))
    assert [(r.asset_kind, r.unit, r.unit_rent, r.date) for r in rows] == [
        ("fishpond", "mu_year", 800.0, date(2026, 2, 1)), ("equipment", "set_month", 1500.5, None)]


def test_both_templates_validate_as_they_are():
    for data, name in ((market_template_csv(), "模板.csv"), (market_template_xlsx(), "模板.xlsx")):
        text = market_text_from_upload(data, name)
        assert text.splitlines()[0].lstrip("\ufeff").startswith("资产类别,地点,计价单位,参考单价,调查日期")
        validate_config("market", text, name)
        assert {r.asset_kind for r in read_market_table(text)} == {"shop", "land", "fishpond", "vehicle"}


@pytest.mark.parametrize("body, message", [
    ("城堡,安平县青山镇,,30,\n", "第 3 行：资产类别「城堡」不可识别，可填：门面、商铺"),
    ("耕地,安平县青山镇,元/平方米·月,30,\n", "第 3 行：土地的计价单位应为元/亩·年，实为元/平方米·月"),
    ("商铺,安平县青山镇,,三十元,\n", "第 3 行：参考单价「三十元」不是数值"),
    ("商铺,,,30,2026年13月1日\n", "第 3 行：地点为空，调查日期「2026年13月1日」不是有效日期"),
    (",安平县,,30,\n", "第 3 行：资产类别为空"),
])
def test_errors_name_the_row_in_chinese(body: str, message: str):
    content = "资产类别,地点,计价单位,参考单价,调查日期\n商铺,安平县青山镇,,30,\n" + body
    with pytest.raises(StoreError, match=re.escape(message)) as err:
        validate_config("market", content, "参考租金.csv")
    assert "参考租金.csv" in str(err.value)
    assert not re.search(r"[A-Za-z]{4,}", str(err.value).replace("参考租金.csv", ""))  # no English, no codes


def test_a_file_that_is_not_a_table_is_refused_in_chinese():
    with pytest.raises(ConfigFileError, match="缺少列：资产类别、地点、参考单价"):
        read_market_table("a,b\n1,2\n", "m.csv")
    with pytest.raises(ConfigFileError, match="不是 UTF-8 或 GBK"):
        market_text_from_upload(b"\xff\xfe\x00\xd8\x00\x00" * 10, "m.csv")


def test_the_profile_form_saves_a_valid_county_file():
    current_text = "rent:\n  peer_min_count: 7\nlocal_basis:\n  term_cap: 本县规定\n"
    current = yaml.safe_load(current_text)
    merged = profile_from_text(current_text, "本县.yaml").raw
    values = profile_values(merged)
    assert values["rent.peer_min_count"] == 7 and values["term_caps_years.state_lease"] == 5
    values["term_caps_years.state_lease"] = 3
    values["approval.bands[1].max_yuan"] = 5_000_000
    values["remittance.red_flags"] = "现金、个人账户、微信"
    out = profile_overrides(current, merged, values)
    profile = profile_from_text(yaml.safe_dump(out, allow_unicode=True), "设置页面修改.yaml")
    assert profile.term_caps_years.state_lease == 3 and profile.rent.peer_min_count == 7
    assert profile.approval.bands[1].max_yuan == 5_000_000 and profile.approval.bands[2].max_yuan == 50_000_000
    assert profile.remittance.red_flags == ["现金", "个人账户", "微信"]
    assert out["local_basis"] == {"term_cap": "本县规定"}  # what the form does not show is kept
    assert "tender" not in out  # unchanged values are not written


def test_every_profile_field_has_a_chinese_label_and_exists_in_the_default():
    values = profile_values(default_profile().raw)
    for f in PROFILE_FIELDS:
        assert re.search(r"[\u4e00-\u9fff]", f.label) and not re.search(r"[a-z_]{3,}", f.label), f.label
        assert values[f.path] is not None or f.path.endswith("max_yuan"), f.path


# ---------------------------------------------------------------------- the page
@pytest.fixture
def admin_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(passwords, "_N", 2**10)
    monkeypatch.setenv("CONTRACT_REVIEW_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.delenv("CONTRACT_REVIEW_DB_URL", raising=False)
    store = Store()
    uid = Accounts(store).create_user("admin", PW, "admin", display_name="管理员")
    rid = Accounts(store).create_user("rev", PW, "reviewer", display_name="审查员")

    def run(user_id: int = uid) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.session_state["auth_token"] = Accounts(store).open_login(store.viewer(user_id))
        at.run()
        at.switch_page("views/settings.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    yield store, run, rid
    store.close()


def test_admin_edits_the_profile_in_a_chinese_form(admin_app):
    store, run, rid = admin_app
    at = run()
    labels = {w.label for w in at.number_input}
    assert "国有资产出租最长期限（年）" in labels and "须公开招租的合同总额（元）" in labels
    assert not any(re.search(r"[a-z]+_[a-z]+", label) for label in labels)  # no internal key on screen
    at.number_input(key="profile_field_term_caps_years.state_lease").set_value(3)
    at.button(key="settings_profile_edit_submit").click().run()
    assert not at.exception and any("已启用" in s.value for s in at.success)
    cfg = store.config("profile")
    assert cfg["filename"] == "设置页面修改.yaml"
    assert check_context_in_force(store).profile.term_caps_years.state_lease == 3
    assert at.number_input(key="profile_field_term_caps_years.state_lease").value == 3
    # a reviewer sees the same thresholds as a Chinese table, not an editable form
    rev = run(rid)
    table = next(d.value for d in rev.dataframe if "项目" in d.value.columns)
    assert table.set_index("项目").loc["国有资产出租最长期限（年）", "当前值"] == "3"
    assert not rev.number_input


def test_admin_uploads_a_gbk_reference_and_sees_it_in_chinese(admin_app):
    store, run, _ = admin_app
    at = run()
    assert {"settings_market_template_xlsx", "settings_market_template_csv"} <= {b.key for b in at.get("download_button")}
    bad = ("资产类别,地点,参考单价\n商铺,安平县青山镇,30\n城堡,安平县,10\n").encode("gbk")
    at.file_uploader(key="settings_market_file").set_value(("参考租金.csv", bad, "text/csv"))
    at.button(key="settings_market_submit").click().run()
    assert any("第 3 行：资产类别「城堡」不可识别" in e.value for e in at.error) and store.config("market") is None
    at.file_uploader(key="settings_market_file").set_value(("参考租金.csv", CHINESE.encode("gbk"), "text/csv"))
    at.button(key="settings_market_submit").click().run()
    assert any("已启用" in s.value for s in at.success)
    ctx = check_context_in_force(store)
    assert [(r.asset_kind, r.unit_rent) for r in ctx.market.rows] == [("shop", 30.0), ("land", 600.0)]
    table = next(d.value for d in at.dataframe if "资产类别" in d.value.columns)
    assert list(table["资产类别"]) == ["门面/商铺", "土地"] and list(table["计价单位"]) == ["元/平方米·月", "元/亩·年"]

"""The settings a county admin edits, as they write them: the market-rent reference as a table
in Chinese (CSV in UTF-8 or GBK, or an Excel sheet; 资产类别 written 商铺、耕地…), and the
jurisdiction profile's thresholds as a form with Chinese labels (:data:`PROFILE_FIELDS`), which
turns back into the YAML the checks read.

:func:`read_market_table` is the one reader of a reference's text: Chinese or English headers,
Chinese or English asset kinds and units (the unit may be left out: it follows from the kind),
every problem reported with the row it is on (``第 N 行``, the row number the admin sees in
Excel). The store keeps the text as uploaded; :func:`canonical_market_csv` gives what
``checks.market.MarketReference`` reads.

:func:`validate_config` decides whether an uploaded profile or reference may be put in force
(:func:`save_config` keeps it in the store only then), and :func:`check_context_in_force`
builds the checks' context from the versions in force (:func:`parse_profile`,
:func:`parse_market`: fully read, the context refers to no file; ``pipeline.check_context``
builds one from files instead).
"""

from __future__ import annotations

import copy
import csv
import io
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks.market import KIND_LABEL, KIND_UNIT, UNIT_LABEL, UNITS, infer_asset_kind

from .values import as_date, as_number
from .store import Store, StoreError, Viewer

if TYPE_CHECKING:
    from checks import CheckContext
    from checks.market import MarketReference
    from checks.profile import Profile

CONFIG_KINDS = ("profile", "market")


class ConfigFileError(ValueError):
    """A settings file that cannot be used (message in Chinese, naming the file and the row)."""


# ---------------------------------------------------------------------- market reference
MARKET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("asset_kind", "资产类别"), ("location", "地点"), ("unit", "计价单位"), ("unit_rent", "参考单价"),
    ("date", "调查日期"),
)
_HEADER_WORDS: dict[str, str] = {
    **{zh: key for key, zh in MARKET_COLUMNS}, **{key: key for key, _ in MARKET_COLUMNS},
    "资产类型": "asset_kind", "资产种类": "asset_kind", "类别": "asset_kind", "资产名称": "asset_kind", "资产": "asset_kind",
    "位置": "location", "坐落": "location", "所在地": "location", "区域": "location", "乡镇": "location",
    "地区": "location", "坐落位置": "location", "单位": "unit", "计量单位": "unit", "计价方式": "unit",
    "单价": "unit_rent", "市场单价": "unit_rent", "参考租金": "unit_rent", "租金单价": "unit_rent",
    "市场租金": "unit_rent", "参考价": "unit_rent", "日期": "date", "调查时间": "date", "评估日期": "date",
    "采集日期": "date",
}
_KIND_WORDS: dict[str, str] = {
    "商铺": "shop", "门面": "shop", "门面房": "shop", "店面": "shop", "铺面": "shop", "门市": "shop",
    "办公用房": "office", "办公楼": "office", "办公室": "office", "厂房": "plant", "仓库": "warehouse",
    "库房": "warehouse", "食堂": "canteen", "市场": "market", "摊位": "market", "养殖场": "farm", "房屋": "building",
    "房产": "building", "大棚": "greenhouse", "温室": "greenhouse", "土地": "land", "耕地": "land", "承包地": "land",
    "荒地": "land", "建设用地": "land", "鱼塘": "fishpond", "水面": "fishpond", "池塘": "fishpond", "林地": "forest",
    "山林": "forest", "果园": "forest", "草场": "grassland", "草地": "grassland", "牧场": "grassland",
    "车辆": "vehicle", "汽车": "vehicle", "机械设备": "equipment", "设备": "equipment", "农机": "equipment",
    **{label: kind for kind, text in KIND_LABEL.items() for label in text.split("/")},
    **{kind: kind for kind in KIND_UNIT},
}
_UNIT_WORDS: dict[str, str] = {
    "平方米月": "m2_month", "㎡月": "m2_month", "m2月": "m2_month", "平米月": "m2_month",
    "亩年": "mu_year", "辆月": "vehicle_month", "台月": "set_month", "套月": "set_month",
    **{u: u for u in UNITS},
}
KIND_CHOICES = "、".join(dict.fromkeys(label for text in KIND_LABEL.values() for label in text.split("/")))


@dataclass(frozen=True)
class MarketRow:
    line: int  # the row number in the uploaded sheet (header = 1)
    asset_kind: str
    location: str
    unit: str
    unit_rent: float
    date: date | None


def _header_key(text: str) -> str | None:
    bare = re.sub(r"[（(][^）)]*[）)]|\s", "", str(text or "")).lstrip("\ufeff")
    return _HEADER_WORDS.get(bare) or _HEADER_WORDS.get(bare.lower())


def _unit_key(text: str) -> str | None:
    bare = re.sub(r"[\s元/·•每⋅*×]", "", text).replace("平方米", "平方米").lower()
    return _UNIT_WORDS.get(bare) or _UNIT_WORDS.get(text.strip())


def kind_of(text: str) -> str | None:
    """An asset kind from what an admin writes (商铺, 耕地, 鱼塘 …, or the internal id)."""
    text = text.strip()
    return _KIND_WORDS.get(text) or _KIND_WORDS.get(text.lower()) or infer_asset_kind(text)


def read_market_table(content: str, filename: str = "") -> list[MarketRow]:
    """The rows of a market-rent reference (CSV text). Raises :class:`ConfigFileError` naming
    the file and each row at fault (at most five, and how many more)."""
    name = filename or "市场租金参考表"
    records = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    while records and not any(c.strip() for c in records[0]):
        records.pop(0)
    if not records:
        raise ConfigFileError(f"市场租金参考表「{name}」为空")
    header = [_header_key(h) for h in records[0]]
    labels = dict(MARKET_COLUMNS)
    missing = [labels[k] for k in ("asset_kind", "location", "unit_rent") if k not in header]
    if missing:
        raise ConfigFileError(f"市场租金参考表「{name}」缺少列：{'、'.join(missing)}（第 1 行应为表头："
                              f"{'、'.join(labels.values())}）")
    rows: list[MarketRow] = []
    problems: list[str] = []
    for line, rec in enumerate(records[1:], start=2):
        if not any(c.strip() for c in rec):
            continue
        cell = {k: (rec[i].strip() if i < len(rec) else "") for i, k in enumerate(header) if k}
        where = f"第 {line} 行"
        kind = kind_of(cell.get("asset_kind", ""))
        said = []
        if not cell.get("asset_kind"):
            said.append("资产类别为空")
        elif kind is None:
            said.append(f"资产类别「{cell['asset_kind']}」不可识别，可填：{KIND_CHOICES}")
        unit = _unit_key(cell.get("unit", "")) if cell.get("unit") else (KIND_UNIT.get(kind or "") or None)
        if cell.get("unit") and unit is None:
            said.append(f"计价单位「{cell['unit']}」不可识别，应为 {'、'.join(UNIT_LABEL.values())}")
        elif kind and unit and unit != KIND_UNIT[kind]:
            said.append(f"{KIND_LABEL[kind]}的计价单位应为{UNIT_LABEL[KIND_UNIT[kind]]}，实为{UNIT_LABEL[unit]}")
        rent = as_number(cell.get("unit_rent"))
        if not cell.get("unit_rent"):
            said.append("参考单价为空")
        elif rent is None:
            said.append(f"参考单价「{cell['unit_rent']}」不是数值")
        elif not rent > 0:
            said.append(f"参考单价应为正数，实为 {rent:g}")
        if not cell.get("location"):
            said.append("地点为空")
        when = as_date(cell.get("date"))
        if cell.get("date") and when is None:
            said.append(f"调查日期「{cell['date']}」不是有效日期（应为 2026-01-01 或 2026年1月1日）")
        if said:
            problems.append(f"{where}：" + "，".join(said))
            continue
        rows.append(MarketRow(line, kind or "", cell["location"], unit or "", rent or 0.0, when))
    if problems:
        more = f"（另有 {len(problems) - 5} 行有误）" if len(problems) > 5 else ""
        raise ConfigFileError(f"市场租金参考表「{name}」有误：" + "；".join(problems[:5]) + more)
    if not rows:
        raise ConfigFileError(f"市场租金参考表「{name}」没有数据行")
    return rows


def canonical_market_csv(rows: Sequence[MarketRow]) -> str:
    """The CSV ``checks.market.MarketReference`` reads (``asset_kind,location,unit,unit_rent,date``)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([k for k, _ in MARKET_COLUMNS])
    for r in rows:
        w.writerow([r.asset_kind, r.location, r.unit, f"{r.unit_rent:g}", r.date.isoformat() if r.date else ""])
    return buf.getvalue()


def market_display(rows: Sequence[MarketRow]) -> list[dict[str, Any]]:
    """The rows as the settings page shows them (Chinese names and units)."""
    return [{"资产类别": KIND_LABEL.get(r.asset_kind, r.asset_kind), "地点": r.location,
             "计价单位": UNIT_LABEL.get(r.unit, r.unit), "参考单价": r.unit_rent, "调查日期": r.date}
            for r in rows]


def decode_text(data: bytes, filename: str = "") -> str:
    """Text of an uploaded CSV: UTF-8 (with or without BOM), else GBK/GB18030 (what Excel on a
    Chinese Windows saves as "CSV")."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ConfigFileError(f"文件「{filename or '上传的文件'}」不是 UTF-8 或 GBK 编码的文本，请另存为 CSV（UTF-8）或 Excel 后再上传")


def market_text_from_upload(data: bytes, filename: str) -> str:
    """CSV text of an uploaded reference: a CSV as it is (UTF-8 or GBK), an xlsx's first sheet
    row for row (so row numbers in messages are those of the sheet)."""
    if Path(filename).suffix.lower() in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the admin's to fix
            raise ConfigFileError(f"Excel 文件「{filename}」无法打开：请确认是 .xlsx 格式且未加密") from exc
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        for row in ws.iter_rows(values_only=True):
            w.writerow(["" if v is None else f"{v:%Y-%m-%d}" if isinstance(v, (date, datetime))
                        else f"{v:g}" if isinstance(v, float) else str(v) for v in row])
        return buf.getvalue()
    return decode_text(data, filename)


_TEMPLATE_ROWS = (
    ("商铺", "安平县青山镇", "元/平方米·月", 30, "2026-01-01"),
    ("耕地", "安平县青山镇", "元/亩·年", 600, "2026-01-01"),
    ("鱼塘", "安平县", "元/亩·年", 800, "2026-01-01"),
    ("车辆", "安平县", "元/辆·月", 3000, "2026-01-01"),
)


def market_template_csv() -> bytes:
    """The template as CSV (UTF-8 with BOM: opens in Excel), Chinese headers and example rows."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([zh for _, zh in MARKET_COLUMNS])
    w.writerows(_TEMPLATE_ROWS)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def market_template_xlsx() -> bytes:
    """The template as an Excel workbook: sheet 参考租金 to fill in, sheet 填写说明 with the
    asset kinds and their units."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "参考租金"
    ws.append([zh for _, zh in MARKET_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for kind, place, unit, rent, when in _TEMPLATE_ROWS:
        ws.append([kind, place, unit, rent, date.fromisoformat(when)])
        ws.cell(row=ws.max_row, column=5).number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDE", (14, 22, 16, 12, 14), strict=True):
        ws.column_dimensions[col].width = width
    help_ws = wb.create_sheet("填写说明")
    help_ws.append(["资产类别（可填）", "计价单位"])
    for kind, text in KIND_LABEL.items():
        help_ws.append([text.replace("/", "、"), UNIT_LABEL[KIND_UNIT[kind]]])
    help_ws.append([])
    help_ws.append(["地点：县+乡镇（如 安平县青山镇），或只写县（全县适用）；计价单位可不填（按资产类别）；"
                    "调查日期写 2026-01-01 或 2026年1月1日，同一地点多行时以最新一行为准。"])
    help_ws.column_dimensions["A"].width = 30
    help_ws.column_dimensions["B"].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------- profile form
@dataclass(frozen=True)
class ProfileField:
    path: str  # dotted, with [i] for list items: approval.bands[0].max_yuan
    label: str
    kind: str  # int | float | ratio | bool | text | words
    section: str
    help: str = ""


PROFILE_FIELDS: tuple[ProfileField, ...] = (
    ProfileField("name", "配置名称", "text", "基本信息"),
    ProfileField("term_caps_years.absolute_lease", "任何租赁的最长期限（年）", "int", "期限上限", "民法典第七百零五条：20 年"),
    ProfileField("term_caps_years.state_lease", "国有资产出租最长期限（年）", "int", "期限上限"),
    ProfileField("term_caps_years.state_lending", "国有资产出借最长期限（年）", "int", "期限上限"),
    ProfileField("term_caps_years.collective_lease", "集体资产出租最长期限（年）", "int", "期限上限"),
    ProfileField("term_caps_years.collective_land_contracting", "耕地承包最长期限（年）", "int", "期限上限"),
    ProfileField("term_caps_years.collective_forest_contracting", "林地承包最长期限（年）", "int", "期限上限"),
    ProfileField("term_caps_years.collective_grassland_contracting", "草地承包最长期限（年）", "int", "期限上限"),
    ProfileField("term_caps_years.state_land_grant", "国有土地使用权出让最长年限（年）", "int", "期限上限"),
    ProfileField("term_caps_years.state_cap_applies_even_with_approval", "经批准的国有资产出租也受期限上限约束",
                 "bool", "期限上限"),
    ProfileField("term_caps_years.rural_land_follows_contracting", "农村土地出租（流转）按土地承包期限审查",
                 "bool", "期限上限"),
    ProfileField("approval.bands[0].max_yuan", "乡镇/部门审批权限上限（元）", "int", "审批权限"),
    ProfileField("approval.bands[1].max_yuan", "第二级审批权限上限（元）", "int", "审批权限"),
    ProfileField("approval.bands[1].body", "第二级审批机关", "text", "审批权限"),
    ProfileField("approval.bands[2].max_yuan", "第三级审批权限上限（元）", "int", "审批权限"),
    ProfileField("approval.bands[2].body", "第三级审批机关", "text", "审批权限"),
    ProfileField("approval.bands[3].body", "最高一级审批机关", "text", "审批权限"),
    ProfileField("approval.finance_approval_required_above_yuan", "须报财政部门审批的金额（元）", "int", "审批权限"),
    ProfileField("approval.simplified_single_asset_max_yuan", "简易程序单项资产上限（元）", "int", "审批权限"),
    ProfileField("approval.simplified_batch_max_yuan", "简易程序批量资产上限（元）", "int", "审批权限"),
    ProfileField("tender.required_above_total_yuan", "须公开招租的合同总额（元）", "int", "公开招租",
                 "合同总额达到此数须公开招租、拍卖、挂牌或竞价"),
    ProfileField("rent.below_market_ratio", "租金低于市场参考价的比例即提示", "ratio", "租金",
                 "0.9 表示低于参考价 90% 时提示"),
    ProfileField("rent.peer_min_count", "同类资产比较所需最少份数", "int", "租金"),
    ProfileField("rent.peer_robust_z", "低于同类中位数的稳健标准差倍数", "float", "租金"),
    ProfileField("rent.transfer_appraisal_ratio", "转让价低于评估价的比例即提示", "ratio", "租金"),
    ProfileField("remittance.deadline_days", "收益上缴期限（天）", "int", "收益上缴"),
    ProfileField("remittance.red_flags", "收益去向风险词（用顿号分隔）", "words", "收益上缴"),
    ProfileField("publication.village_min_days", "村级公示最少天数", "int", "公示"),
    ProfileField("warnings.red_months", "红色到期预警（距到期月数）", "int", "到期预警"),
    ProfileField("warnings.yellow_months", "黄色到期预警（距到期月数）", "int", "到期预警"),
    ProfileField("warnings.idle_yellow_months", "闲置黄色预警（月）", "int", "到期预警"),
    ProfileField("warnings.idle_red_months", "闲置红色预警（月）", "int", "到期预警"),
    ProfileField("side_contract.max_sign_gap_days", "阴阳合同：签订间隔上限（天）", "int", "阴阳合同"),
    ProfileField("side_contract.rent_diff_ratio", "阴阳合同：年租金相差比例", "ratio", "阴阳合同"),
    ProfileField("side_contract.term_diff_days", "阴阳合同：终止日期相差天数", "int", "阴阳合同"),
    ProfileField("side_contract.name_similarity", "阴阳合同：名称相似度", "ratio", "阴阳合同"),
    ProfileField("side_contract.area_tolerance", "阴阳合同：面积允许误差比例", "ratio", "阴阳合同"),
    ProfileField("side_contract.text_similarity", "阴阳合同：文本相似度", "ratio", "阴阳合同"),
    ProfileField("risk.model_weight", "风险分中模型所占比重", "ratio", "风险分"),
)


def _steps(path: str) -> list[str | int]:
    return [int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"[A-Za-z_][A-Za-z0-9_]*|\[\d+\]", path)]


def get_path(raw: Any, path: str) -> Any:
    cur = raw
    for step in _steps(path):
        try:
            cur = cur[step]
        except (KeyError, IndexError, TypeError):
            return None
    return cur


def profile_values(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values from a merged profile (``Profile.raw``)."""
    return {f.path: get_path(raw, f.path) for f in PROFILE_FIELDS}


def profile_overrides(current: Mapping[str, Any], merged: Mapping[str, Any], values: Mapping[str, Any]) -> dict:
    """The county file after the form: what it already said (``current``, the YAML in force as
    written, kept whole — keys the form does not show stay) with every value the admin changed
    against the profile in force (``merged``). A list item changed brings its whole list."""
    out = copy.deepcopy(dict(current))
    for f in PROFILE_FIELDS:
        if f.path not in values:
            continue
        new, old = values[f.path], get_path(merged, f.path)
        if f.kind == "words" and isinstance(new, str):
            new = [w for w in re.split(r"[、,，;；\s]+", new) if w]
        if new == old:
            continue
        steps = _steps(f.path)
        cur: Any = out
        for i, step in enumerate(steps[:-1]):
            nxt = steps[i + 1]
            if isinstance(step, str) and isinstance(nxt, int) and not isinstance(cur.get(step), list):
                cur[step] = copy.deepcopy(get_path(merged, ".".join(str(s) for s in steps[:i + 1])))
            elif isinstance(step, str) and not isinstance(cur.get(step), (dict, list)):
                cur[step] = {}
            cur = cur[step]
        cur[steps[-1]] = new
    return out


# ---------------------------------------------------------------------- in force
def parse_profile(content: str, filename: str = "") -> Profile:
    """A jurisdiction profile from YAML text, read over the shipped default. Raises
    StoreError naming the file and the key at fault."""
    from checks.profile import ProfileError, profile_from_text

    try:
        return profile_from_text(content, filename or "profile.yaml")
    except ProfileError as exc:
        raise StoreError(str(exc)) from None


def parse_market(content: str, filename: str = "") -> MarketReference:
    """A market-rent reference from CSV text — Chinese headers and asset names (资产类别、地点、
    计价单位、参考单价、调查日期; 商铺、耕地…) or the internal ones — fully read: the result refers
    to no file. Raises StoreError naming the file and the rows at fault."""
    from checks.market import MarketReference, MarketReferenceError

    name = filename or "market_reference.csv"
    try:
        rows = read_market_table(content, name)
    except ConfigFileError as exc:
        raise StoreError(str(exc)) from None
    with tempfile.TemporaryDirectory(prefix="contract-review-market-") as tmp:
        path = Path(tmp) / "market.csv"
        path.write_text(canonical_market_csv(rows), encoding="utf-8")
        try:
            ref = MarketReference.load(path)
        except MarketReferenceError as exc:  # pragma: no cover - the rows were checked above
            raise StoreError(str(exc).replace(str(path), name)) from None
    ref.source = name
    return ref


def validate_config(kind: str, content: str, filename: str = "") -> None:
    """Raise StoreError with a readable (Chinese) message when a profile or market reference
    is unusable. A market reference needs the columns 资产类别、地点、参考单价 (计价单位 and
    调查日期 optional) and at least one row; every row a known asset kind in the unit its rents
    are compared in, a positive rent, a place and a date (when given) — each problem names its
    row."""
    if kind not in CONFIG_KINDS:
        raise StoreError(f"未知设置类型 {kind}（应为 {'/'.join(CONFIG_KINDS)}）")
    if not (content or "").strip():
        raise StoreError("文件为空")
    if kind == "profile":
        parse_profile(content, filename)
        return
    parse_market(content, filename)


def save_config(store: Store, viewer: Viewer, kind: str, content: str, filename: str = "") -> int:
    """Validate and put in force a profile or market reference (an admin's); raises StoreError
    with the validation message when it is not usable, AccessDenied for anyone but an admin.
    Returns the version's id."""
    validate_config(kind, content, filename)
    return store.add_config_version(viewer, kind, content, filename)


def check_context_in_force(store: Store, as_of: date | None = None) -> CheckContext:
    """The checks' context from the configuration in force in ``store`` (shipped default
    profile when none was uploaded; no market reference: peers are the reference). Everything
    is parsed here: the context refers to no file."""
    from checks import CheckContext
    from checks.profile import default_profile
    from checks.risk_features import trained_risk

    profile, market = store.config("profile"), store.config("market")
    return CheckContext(
        profile=parse_profile(profile["content"], profile["filename"]) if profile else default_profile(),
        market=parse_market(market["content"], market["filename"]) if market else None,
        as_of=as_of or date.today(),
        risk_model=trained_risk,
    )

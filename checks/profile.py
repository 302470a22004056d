"""The jurisdiction profile: every threshold the checks use, typed, loaded from YAML.

    from checks.profile import load_profile
    profile = load_profile()                      # the shipped default (profiles/default.yaml)
    profile = load_profile("county.yaml")         # a county's file, read over the default

A profile file may list only the keys it changes; it is read over the shipped default (lists
and scalars replace, mappings merge). Every key is validated: an unknown key, a missing key or
a value of the wrong kind raises :class:`ProfileError` with a message (Chinese, then English)
that names the file and the key, e.g. ``rent.below_market_ratio``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import yaml

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
DEFAULT_PROFILE_PATH = PROFILES_DIR / "default.yaml"
EXAMPLE_STRICT_PATH = PROFILES_DIR / "example_strict.yaml"

AGREEMENT_TYPES = ("lease", "lending", "contracting", "cooperation", "transfer", "guarantee", "other")
TENDER_METHODS = ("public_tender", "auction", "listing", "competitive", "direct")


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the key."""

    def __init__(self, source: str, key: str, zh: str, en: str):
        self.source, self.key = source, key
        super().__init__(f"配置文件「{source}」中的 {key}：{zh}（profile {source}: {key}: {en}）")


# ---------------------------------------------------------------------------------------------
# the typed profile
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerKinds:
    state: list[str]
    collective: list[str]


@dataclass(frozen=True)
class TermCaps:
    absolute_lease: int
    state_lease: int
    state_lending: int
    collective_lease: int
    collective_land_contracting: int
    collective_forest_contracting: int
    collective_grassland_contracting: int
    state_cap_applies_even_with_approval: bool
    state_lease_with_approval: int | None = None
    # a grant of state land-use rights (土地使用权出让) is not a lease: its own statutory maximum
    state_land_grant: int = 70
    # agreement types that are not leases and have no statutory term cap (cooperation / joint
    # venture, transfer, guarantee)
    uncapped_types: list[str] = field(default_factory=lambda: ["cooperation", "transfer", "guarantee"])
    # rural land (farmland, fish ponds, forest, grassland) let out under 农村土地承包法 (contracting,
    # or leasing out land-management rights) follows the land-contracting caps, not the 20-year lease rule
    rural_land_follows_contracting: bool = True


@dataclass(frozen=True)
class ApprovalBand:
    max_yuan: float | None
    body: str


@dataclass(frozen=True)
class BodyLevel:
    level: int
    pattern: str


@dataclass(frozen=True)
class Approval:
    bands: list[ApprovalBand]
    finance_approval_required_above_yuan: float
    simplified_single_asset_max_yuan: float
    simplified_batch_max_yuan: float
    body_levels: list[BodyLevel]
    types: list[str]

    def level_required(self, value: float) -> int:
        """The sign-off band (1-based) a value falls in."""
        for i, band in enumerate(self.bands, start=1):
            if band.max_yuan is None or value <= band.max_yuan:
                return i
        return len(self.bands)

    def level_of(self, body: str) -> int:
        """The band an approving body stands at (first matching pattern; 1 when none matches)."""
        for item in self.body_levels:
            if re.search(item.pattern, body):
                return item.level
        return 1


@dataclass(frozen=True)
class Tender:
    required_above_total_yuan: float
    always_required_for: list[str]
    accepted_methods: list[str]
    types: list[str]


@dataclass(frozen=True)
class Rent:
    below_market_ratio: float
    peer_min_count: int
    peer_robust_z: float
    transfer_appraisal_ratio: float


@dataclass(frozen=True)
class Remittance:
    deadline_days: int
    red_flags: list[str]


@dataclass(frozen=True)
class Publication:
    village_min_days: int


@dataclass(frozen=True)
class Warnings:
    red_months: int
    yellow_months: int
    idle_yellow_months: int
    idle_red_months: int


@dataclass(frozen=True)
class SideContract:
    max_sign_gap_days: int
    rent_diff_ratio: float
    term_diff_days: int
    name_similarity: float
    area_tolerance: float = 0.05
    text_similarity: float = 0.6
    rare_df: int = 2
    max_block: int = 200
    lsh_max_bucket: int = 50
    lsh_min_jaccard: float = 0.4


@dataclass(frozen=True)
class Risk:
    severity_weight: dict[str, float]
    # share of the trained classifier in the risk score (the rest: the transparent formula)
    model_weight: float = 0.2
    # the classifier's log-odds are divided by this before blending (temperature scaling; 1 = as trained)
    model_temperature: float = 3.0


@dataclass(frozen=True)
class LocalBasis:
    term_cap: str
    land_contracting_term: str
    approval_bands: str
    tender_threshold: str
    rent_floor: str
    warnings: str
    required_clauses: str
    harmful_terms: str
    performance: str
    collective_income: str
    land_grant_term: str = "《城镇国有土地使用权出让和转让暂行条例》第十二条（土地使用权出让最高年限：居住用地70年，工业用地50年，商业、旅游、娱乐用地40年）"


@dataclass(frozen=True)
class Profile:
    name: str
    version: int
    currency: str
    asset_owner_kinds: OwnerKinds
    term_caps_years: TermCaps
    approval: Approval
    tender: Tender
    rent: Rent
    remittance: Remittance
    publication: Publication
    warnings: Warnings
    side_contract: SideContract
    risk: Risk
    local_basis: LocalBasis
    source: str = field(default="", compare=False)
    raw: dict = field(default_factory=dict, repr=False, compare=False)  # the merged YAML, as read

    def local(self, key: str) -> str:
        """The local rule ``local_basis.<key>``, its {placeholders} filled from the profile
        (``{term_caps_years.state_lease}`` → 5), so the text always states the numbers in use."""
        from .legal import cite_seeds

        return cite_seeds(fill_placeholders(getattr(self.local_basis, key), self.raw))


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.\[\]]*)(:%)?\}")


def _lookup(raw: dict, dotted: str) -> Any:
    cur: Any = raw
    for part in re.findall(r"[A-Za-z_][A-Za-z0-9_]*|\[\d+\]", dotted):
        if part.startswith("["):
            cur = cur[int(part[1:-1])]
        else:
            cur = cur[part]
    return cur


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int) and not isinstance(v, bool) and v >= 10000 and v % 10000 == 0:
        return f"{v // 10000}万"
    return str(v)


def fill_placeholders(text: str, raw: dict) -> str:
    """{a.b} → the value; {a.b:%} → the value as a percentage (0.9 → 90%)."""

    def one(m: re.Match) -> str:
        v = _lookup(raw, m.group(1))
        if m.group(2):
            return f"{float(v) * 100:g}%"
        return _fmt(v)

    return _PLACEHOLDER.sub(one, text)


# ---------------------------------------------------------------------------------------------
# loading and validation
# ---------------------------------------------------------------------------------------------


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    return copy.deepcopy(over)


def _kind_zh(tp: Any) -> tuple[str, str]:
    if tp is bool:
        return "true 或 false", "true or false"
    if tp is int:
        return "整数", "an integer"
    if tp is float:
        return "数值", "a number"
    if tp is str:
        return "文字", "a string"
    return "正确的格式", "the right kind of value"


def _convert(tp: Any, value: Any, key: str, source: str) -> Any:
    origin = get_origin(tp)
    args = get_args(tp)
    if origin is type(None) or tp is type(None):
        return None
    # X | None
    if args and type(None) in args and origin is not list and origin is not dict:
        if value is None:
            return None
        inner = [a for a in args if a is not type(None)][0]
        return _convert(inner, value, key, source)
    if is_dataclass(tp):
        return _build(tp, value, key, source)
    if origin is list:
        if not isinstance(value, list):
            raise ProfileError(source, key, f"应为列表，实为 {value!r}", f"must be a list, got {value!r}")
        return [_convert(args[0], v, f"{key}[{i}]", source) for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ProfileError(source, key, f"应为键值表，实为 {value!r}", f"must be a mapping, got {value!r}")
        return {str(k): _convert(args[1], v, f"{key}.{k}", source) for k, v in value.items()}
    if tp is bool:
        if not isinstance(value, bool):
            raise ProfileError(source, key, f"应为 true 或 false，实为 {value!r}", f"must be true or false, got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            raise ProfileError(source, key, f"应为整数，实为 {value!r}", f"must be an integer, got {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ProfileError(source, key, f"应为数值，实为 {value!r}", f"must be a number, got {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ProfileError(source, key, f"应为文字，实为 {value!r}", f"must be a string, got {value!r}")
        return str(value)
    raise ProfileError(source, key, "无法识别的类型", "unsupported type")  # pragma: no cover


def _build(cls: type, data: Any, prefix: str, source: str) -> Any:
    where = prefix or "（顶层）"
    if not isinstance(data, dict):
        raise ProfileError(source, where, f"应为键值表，实为 {data!r}", f"must be a mapping, got {data!r}")
    hints = get_type_hints(cls)
    known = {f.name: f for f in fields(cls) if f.name not in ("source", "raw")}
    unknown = [k for k in data if k not in known]
    if unknown:
        k = unknown[0]
        name = f"{prefix}.{k}" if prefix else str(k)
        raise ProfileError(
            source, name, f"未知的配置项（可用：{', '.join(known)}）", f"unknown key (known keys here: {', '.join(known)})"
        )
    values = {}
    for fname, f in known.items():
        key = f"{prefix}.{fname}" if prefix else fname
        if fname not in data:
            if f.default is not MISSING or f.default_factory is not MISSING:
                continue
            raise ProfileError(source, key, "缺少必需的配置项", "required key is missing")
        values[fname] = _convert(hints[fname], data[fname], key, source)
    return cls(**values)


def _check(p: Profile, source: str) -> None:
    def bad(key: str, zh: str, en: str) -> None:
        raise ProfileError(source, key, zh, en)

    caps = p.term_caps_years
    for name in ("absolute_lease", "state_lease", "state_lending", "collective_lease", "collective_land_contracting",
                 "collective_forest_contracting", "collective_grassland_contracting", "state_land_grant"):
        v = getattr(caps, name)
        if not 0 < v <= 100:
            bad(f"term_caps_years.{name}", f"应为 1–100 之间的年数，实为 {v}", f"must be a number of years in 1-100, got {v}")
    if caps.state_lease > caps.absolute_lease:
        bad("term_caps_years.state_lease", f"（{caps.state_lease} 年）不能超过法定最长租期 absolute_lease（{caps.absolute_lease} 年）",
            f"({caps.state_lease}) cannot exceed absolute_lease ({caps.absolute_lease})")
    if not 0.0 <= p.risk.model_weight <= 1.0:
        bad("risk.model_weight", f"应为 0–1 之间的数，实为 {p.risk.model_weight}", f"must be in 0-1, got {p.risk.model_weight}")
    if not 0.0 < p.risk.model_temperature <= 100.0:
        bad("risk.model_temperature", f"应为大于 0、不超过 100 的数，实为 {p.risk.model_temperature}",
            f"must be in (0, 100], got {p.risk.model_temperature}")
    if not p.approval.bands:
        bad("approval.bands", "至少需要一个审批档次", "needs at least one band")
    last = 0.0
    for i, band in enumerate(p.approval.bands):
        if band.max_yuan is None:
            if i != len(p.approval.bands) - 1:
                bad(f"approval.bands[{i}].max_yuan", "只有最后一档可以不设上限（null）", "only the last band may be open (null)")
            continue
        if band.max_yuan <= last:
            bad(f"approval.bands[{i}].max_yuan", f"各档上限应递增，{band.max_yuan:g} 不大于上一档 {last:g}",
                f"band limits must increase; {band.max_yuan:g} is not above {last:g}")
        last = band.max_yuan
    for i, item in enumerate(p.approval.body_levels):
        try:
            re.compile(item.pattern)
        except re.error as exc:
            bad(f"approval.body_levels[{i}].pattern", f"不是有效的正则表达式：{exc}", f"is not a valid regular expression: {exc}")
        if not 1 <= item.level <= len(p.approval.bands):
            bad(f"approval.body_levels[{i}].level", f"应在 1–{len(p.approval.bands)} 之间，实为 {item.level}",
                f"must be between 1 and {len(p.approval.bands)}, got {item.level}")
    for key, types in (("approval.types", p.approval.types), ("tender.types", p.tender.types),
                       ("tender.always_required_for", p.tender.always_required_for)):
        for t in types:
            if t not in AGREEMENT_TYPES:
                bad(key, f"未知的协议类型 {t!r}（可用：{', '.join(AGREEMENT_TYPES)}）", f"unknown agreement type {t!r} (known: {', '.join(AGREEMENT_TYPES)})")
    for m in p.tender.accepted_methods:
        if m not in TENDER_METHODS:
            bad("tender.accepted_methods", f"未知的方式 {m!r}（可用：{', '.join(TENDER_METHODS)}）", f"unknown method {m!r} (known: {', '.join(TENDER_METHODS)})")
    if p.tender.required_above_total_yuan < 0:
        bad("tender.required_above_total_yuan", "不能为负数", "cannot be negative")
    for name in ("below_market_ratio", "transfer_appraisal_ratio"):
        v = getattr(p.rent, name)
        if not 0 < v <= 1:
            bad(f"rent.{name}", f"应为 0–1 之间的比例，实为 {v}", f"must be a ratio in (0, 1], got {v}")
    if p.rent.peer_min_count < 2:
        bad("rent.peer_min_count", f"至少为 2，实为 {p.rent.peer_min_count}", f"must be at least 2, got {p.rent.peer_min_count}")
    if p.rent.peer_robust_z < 0:
        bad("rent.peer_robust_z", "不能为负数", "cannot be negative")
    w = p.warnings
    if not 0 <= w.red_months <= w.yellow_months:
        bad("warnings.red_months", f"应满足 0 ≤ red_months（{w.red_months}）≤ yellow_months（{w.yellow_months}）",
            f"must satisfy 0 <= red_months ({w.red_months}) <= yellow_months ({w.yellow_months})")
    if not 0 <= p.side_contract.name_similarity <= 1:
        bad("side_contract.name_similarity", "应为 0–1 之间的数", "must be in [0, 1]")
    if not 0 <= p.side_contract.rent_diff_ratio < 1:
        bad("side_contract.rent_diff_ratio", "应为 0–1 之间的数", "must be in [0, 1)")
    for name in ("max_block", "lsh_max_bucket"):
        v = getattr(p.side_contract, name)
        if not isinstance(v, int) or v < 2:
            bad(f"side_contract.{name}", f"应为不小于 2 的整数，实为 {v}", f"must be an integer of at least 2, got {v}")
    if not 0 <= p.side_contract.lsh_min_jaccard <= 1:
        bad("side_contract.lsh_min_jaccard", "应为 0–1 之间的数", "must be in [0, 1]")
    for sev in ("high", "medium", "low"):
        if sev not in p.risk.severity_weight:
            bad(f"risk.severity_weight.{sev}", "缺少必需的配置项", "required key is missing")
    for name in (f.name for f in fields(LocalBasis)):
        text = getattr(p.local_basis, name)
        for m in _PLACEHOLDER.finditer(text):
            try:
                _lookup(p.raw, m.group(1))
            except (KeyError, IndexError, TypeError):
                bad(f"local_basis.{name}", f"引用了不存在的配置项 {{{m.group(1)}}}", f"refers to a missing key {{{m.group(1)}}}")
    for sev, v in p.risk.severity_weight.items():
        if sev not in ("high", "medium", "low"):
            bad(f"risk.severity_weight.{sev}", "未知的严重程度（可用：high, medium, low）", "unknown severity (known: high, medium, low)")
        if not 0 <= v <= 1:
            bad(f"risk.severity_weight.{sev}", f"应为 0–1 之间的数，实为 {v}", f"must be in [0, 1], got {v}")


def _read_yaml(path: Path) -> dict:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(source, "（文件）", "找不到文件", "file not found") from None
    except UnicodeDecodeError as exc:
        raise ProfileError(source, "（文件）", f"不是 UTF-8 文本：{exc}", f"is not UTF-8 text: {exc}") from None
    return _parse_yaml(text, source)


def _parse_yaml(text: str, source: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "（文件）"
        raise ProfileError(source, where, f"YAML 格式错误：{exc}", f"YAML syntax error: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProfileError(source, "（顶层）", "应为键值表", "must be a mapping at the top level")
    return data


def profile_from_text(text: str, source: str = "<text>") -> Profile:
    """A Profile from YAML text (an uploaded file), read over the shipped default."""
    return profile_from_dict(_parse_yaml(text, source), source)


def profile_from_dict(data: dict, source: str = "<dict>", *, over_default: bool = True) -> Profile:
    """A Profile from a mapping (read over the shipped default unless ``over_default`` is false)."""
    merged = _merge(_read_yaml(DEFAULT_PROFILE_PATH), data) if over_default else copy.deepcopy(data)
    profile = _build(Profile, merged, "", source)
    object.__setattr__(profile, "source", source)
    object.__setattr__(profile, "raw", merged)
    _check(profile, source)
    return profile


_CACHE: dict[tuple[str, float], Profile] = {}


def load_profile(path: str | Path | None = None) -> Profile:
    """The profile in ``path`` (read over the shipped default), or the shipped default."""
    p = Path(path) if path is not None else DEFAULT_PROFILE_PATH
    try:
        key = (str(p.resolve()), p.stat().st_mtime)
    except OSError:
        key = None
    if key and key in _CACHE:
        return _CACHE[key]
    data = _read_yaml(p)
    is_default = p.resolve() == DEFAULT_PROFILE_PATH.resolve() if p.exists() else False
    profile = profile_from_dict(data, str(p), over_default=not is_default)
    if key:
        _CACHE[key] = profile
    return profile


def default_profile() -> Profile:
    return load_profile(None)


__all__ = [
    "DEFAULT_PROFILE_PATH",
    "EXAMPLE_STRICT_PATH",
    "Profile",
    "ProfileError",
    "default_profile",
    "load_profile",
    "profile_from_dict",
    "profile_from_text",
]

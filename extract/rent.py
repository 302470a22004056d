"""rent_amount_yuan, rent_period, annual_rent_yuan and deposit_yuan.

Every amount in the text is found by :func:`extract.normalize.find_money`; what it is comes from
the words just before it in its sentence (租金 / 承包费 / 使用费 … for rent; 保证金 / 押金 for the
deposit; 违约金, 滞纳金, 水电费 … are not rent). The period comes from the amount's own unit
(每平方米每月, 每亩每年, 月租金) or the sentence (按年支付, 每季度). The annual rent is the
stated yearly amount, else the rent scaled to a year, else a unit rate × the area. When a clause
and a rent table disagree, the clause wins with lower confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import Context
from .normalize import Match, find_money

RENT_WORDS = (
    r"(固定收益|保底收益|保底分红|固定分红|收益款|租金|租赁费|承包费|承包款|承包金|发包款|租地款|使用费|占用费|流转费|流转金|流转价格|流转价款|"
    r"租赁价格|出租价格|承包价格|年报酬|流转报酬|转包费|转包价款|出租价款|经营费|上交款|租费|费用标准|收费标准|价款|转让款|转让价|转让费|成交价|中标价|交易底价|招租底价|挂牌底价|底价)"
)
DEPOSIT_WORDS = r"(履约保证金|租赁保证金|保证金|押金|按金|质保金)"
NOT_RENT = r"(违约金|滞纳金|赔偿|罚款|罚金|水电|物业费|注册资本|投资|工程款|补偿|借款|贷款|债务|担保|保险|税)"
TOTAL_WORDS = r"(合计|总计|总额|共计|总租金|租金总|累计)"

_PERIOD_WORDS = [
    ("once", re.compile(r"(一次性|一次付清|一次缴清|一次交清)")),
    ("month", re.compile(r"(月租金|每月|按月|月租|每个月|月付)")),
    ("quarter", re.compile(r"(季租金|每季|按季|季度)")),
    ("day", re.compile(r"(日租金|每日|每天|按日|按天)")),
    ("year", re.compile(r"(年租金|年承包费|年承包款|年流转费|年使用费|年固定收益|年收益|每年|按年|年度|年付|每一年|全年|一年|次年|下一年|逐年|当年|第[一二三四五六七八九十\d]{1,3}年|元/年|/亩/年)")),
]
_UNIT_PERIOD = {
    "year": "year", "month": "month", "quarter": "quarter", "day": "day", "half_year": "half_year",
    "m2_month": "month", "m2_year": "year", "m2_day": "day", "mu_year": "year",
}
_PER_YEAR = {"year": 1, "month": 12, "quarter": 4, "day": 365, "half_year": 2}
MU = 666.67


@dataclass
class Amount:
    match: Match
    role: str  # rent | deposit | total | other
    period: str | None
    rate_unit: str | None  # m2_month / mu_year / … for unit prices
    in_table: bool
    score: float


_THRESHOLD_BEFORE = re.compile(r"(超过|不超过|不足|低于|高于|达到|不低于|不高于|少于|多于|大于|小于|[（(]含)\s*$")
_THRESHOLD_AFTER = re.compile(r"^\s*(?:人民币)?\s*(?:以上|以下|以内|及以上|及以下|[（(]含)")
# 承包期内…上交承包款肆仟元 / 租赁期内租金共计: the amount covers the whole term
_WHOLE_TERM = re.compile(r"(承包期内|租赁期内|租期内|合同期内|经营期内|流转期内|合同期限内)[^。；;]{0,25}$")
# 以2005.8元的价格中标 / 以6万元竞得: a price won at tender
_WON_AT = re.compile(r"^\s*(?:元)?的?(?:价格|价钱|租金|承包费)?(?:中标|竞得|成交|拍得|承包|承租|租得|夺标)")


def _role(before: str, after: str = "") -> str:
    if _THRESHOLD_BEFORE.search(before) or _THRESHOLD_AFTER.match(after):
        return "other"  # 总租金在1万元以上的: a threshold, not a rent
    if re.search(r"以\s*$", before) and _WON_AT.match(after):
        return "rent"
    if re.match(r"^\s*(?:人民币)?(?:的)?(?:履约保证金|租赁保证金|押金|按金|保证金)(?!.{0,3}(?:的|之))", after) and not re.search(r"(投标|竞买|竞租|报名|参拍|竞标)[^。；;，,]{0,6}$", before):
        return "deposit"  # 缴纳了15万元押金 / 交纳9000元按金
    role = _keyword_role(before)
    if role == "rent" and _WHOLE_TERM.search(before):
        return "total"
    return role


def _keyword_role(before: str) -> str:
    # the nearest keyword before the amount decides
    best, best_pos = "other", -1
    for role, pattern in (("deposit", DEPOSIT_WORDS), ("rent", RENT_WORDS), ("other", NOT_RENT)):
        for m in re.finditer(pattern, before):
            if m.end() > best_pos:
                best, best_pos = role, m.end()
    if best == "rent" and re.search(TOTAL_WORDS, before[best_pos - 12 if best_pos > 12 else 0 :]):
        # 年租金合计96912元 is the yearly rent, not the total over the term
        if re.search(r"(年租金|年承包|年流转|年使用费|每年|全年)", before[max(0, best_pos - 12) :]):
            return "rent"
        return "total"
    if best == "other" and best_pos < 0 and re.search(TOTAL_WORDS, before[-8:]):
        return "total"
    return best


def _period(sentence_before: str, unit: str | None, sentence_after: str = "") -> str | None:
    if unit in _UNIT_PERIOD:
        return _UNIT_PERIOD[unit]
    if _PERIOD_WORDS[0][1].search(sentence_after[:30]) and not re.search(r"(每年|按年|每月|按月|每季|年租金|年固定收益|年收益|年承包|年流转|月租金)", sentence_before[-30:]):
        return "once"
    near = sentence_before[-30:]
    hits = []
    for name, pattern in _PERIOD_WORDS:
        for m in pattern.finditer(near):
            hits.append((m.end(), name))
    return max(hits)[1] if hits else None


def amounts(ctx: Context) -> list[Amount]:
    text = ctx.raw
    out: list[Amount] = []
    for m in find_money(text):
        s0, s1 = ctx.sentence_span(m.start, stops="。；;\n\f")
        line_start = text.rfind("\n", 0, m.start) + 1
        line_end = text.find("\n", m.end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        in_table = "\t" in line
        before = text[s0 : m.start]
        role = _role(before[-40:], text[m.end : m.end + 12])
        if in_table and role == "other":
            # a rent schedule row: 第一年\t2023-03-01至2024-02-29\t40,000.00
            header_zone = text[max(0, line_start - 300) : line_start]
            if re.search(RENT_WORDS, header_zone) and not re.search(TOTAL_WORDS, line):
                role = "rent"
            elif re.search(TOTAL_WORDS, line):
                role = "total"
        rate_unit = m.unit if m.unit in ("m2_month", "m2_year", "m2_day", "mu_year") else None
        if m.unit in ("mu", "m2") and role == "rent":
            # 650元/亩 with the period in the sentence (…付下一年的租金): a rate per area and period
            p = _period(text[s0 : m.start] + " " + text[m.end : s1], None)
            if p in ("year", "month", "day"):
                rate_unit = f"{m.unit}_{p}" if f"{m.unit}_{p}" in ("m2_month", "m2_year", "m2_day", "mu_year") else None
        if rate_unit is None and re.search(r"每\s*(?:辆|台|套|间|座|栋|个|头|只|块|处|户|人)\s*每?\s*(?:年|月|季度?|日|天)?\s*$", before[-12:]):
            rate_unit = "item_" + (m.unit or "month")  # 每辆每月4700元: a unit price, not the rent
        period = _period(before, rate_unit or m.unit, text[m.end : s1])
        if period is None and role in ("rent", "total") and re.search(r"(转让费|转让款|转让价|转让价款|出让金|出让价款|成交价款)[^。；;]{0,30}$", before):
            period = "once"  # a transfer price is paid once
        if period is None and role == "rent":
            # 650元/亩,…次年9月25日之前付下一年的租金 / 按照6万元一年收的: the sentence says the period
            period = _period(text[s0 : m.start] + " " + text[m.end : s1], None)
        if in_table and period is None and role == "rent":
            period = "year" if re.search(r"(第[一二三四五六七八九十\d]+年|年度|年)", line) else None
        out.append(Amount(m, role, period, rate_unit, in_table, 1.0 if not in_table else 0.8))
    taken = {(a.match.start, a.match.end) for a in out}
    out.extend(a for a in _table_amounts(ctx) if (a.match.start, a.match.end) not in taken)
    out.sort(key=lambda a: a.match.start)
    return out


_CELL_NUMBER = re.compile(r"^\s*(?:¥|￥)?\s*(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)\s*(?:元)?\s*$")


def _table_amounts(ctx: Context) -> list[Amount]:
    """Amounts in rent tables, where cells carry bare numbers under a header like 年租金（元）."""
    from .normalize import Match as _Match

    text = ctx.raw
    out: list[Amount] = []
    lines = text.split("\n")
    pos, offsets = 0, []
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    header: list[str] | None = None
    for i, line in enumerate(lines):
        if "\t" not in line:
            header = None
            continue
        cells = line.split("\t")
        if any(re.search(RENT_WORDS, c) for c in cells) and any("元" in c for c in cells) and not any(
            _CELL_NUMBER.match(c) for c in cells
        ):
            header = cells
            continue
        if header is None or re.search(TOTAL_WORDS, cells[0] if cells else ""):
            continue
        col = pos_in_line = 0
        for k, cell in enumerate(cells):
            m = _CELL_NUMBER.match(cell)
            h = header[k] if k < len(header) else ""
            if m and re.search(RENT_WORDS, h) and "元" in h and not re.search(r"(单价|标准|/|每)", h):
                value = float(m.group(1).replace(",", ""))
                start = offsets[i] + pos_in_line + cell.find(m.group(1))
                match = _Match(value=value, start=start, end=start + len(m.group(1)), text=m.group(1), unit=None, kind="table")
                period = "year" if re.search(r"(年|年度)", h + cells[0]) else None
                out.append(Amount(match, "rent", period, None, True, 0.8))
                break
            pos_in_line += len(cell) + 1
            col += 1
    return out


def extract_rent(ctx: Context, area_m2: float | None, area_unit: str | None, term_months: int | None) -> dict:
    found = amounts(ctx)
    out: dict = {}

    deposits = [a for a in found if a.role == "deposit"]
    if deposits:
        d = deposits[0]
        out["deposit_yuan"] = ctx.value(float(d.match.value), d.match.start, d.match.end, 0.9)

    rents = [a for a in found if a.role == "rent"]
    totals = [a for a in found if a.role == "total"]
    clause_rents = [a for a in rents if not a.in_table]
    periodic = [a for a in clause_rents if a.rate_unit is None]
    rates = [a for a in clause_rents if a.rate_unit is not None]
    table_rents = [a for a in rents if a.in_table]

    chosen = periodic[0] if periodic else (rates[0] if rates else (table_rents[0] if table_rents else None))
    if chosen is None:
        free = re.search(r"无偿(?:使用|借用|出借|提供|占用)|免(?:收|交|缴)(?:租金|使用费)|不收取(?:任何)?(?:租金|费用|使用费)", ctx.raw)
        if free:
            out["rent_amount_yuan"] = ctx.value(0.0, free.start(), free.end(), 0.8)
            out["annual_rent_yuan"] = ctx.value(0.0, free.start(), free.end(), 0.8)
            return out
    if chosen is None and totals and term_months:
        chosen = totals[0]
    if chosen is None:
        return out
    conflict = bool(periodic and table_rents and abs(float(table_rents[0].match.value) - float(periodic[0].match.value)) > 1)
    confidence = 0.9 if not conflict else 0.7
    value = float(chosen.match.value)
    period = chosen.period
    if chosen.rate_unit and chosen.rate_unit.startswith("item_"):
        pass  # a per-item price with no count we trust: keep it as written
    elif chosen.rate_unit and area_m2:
        # 每亩每年690元 over 75.5 亩: the rent is the rate times the area, per the rate's period
        factor = area_m2 / MU if chosen.rate_unit == "mu_year" else area_m2
        value = round(value * factor, 2)
    if chosen.role == "total":
        period = "once"
    out["rent_amount_yuan"] = ctx.value(value, chosen.match.start, chosen.match.end, confidence)
    if period in ("year", "month", "quarter", "day", "once"):
        # quote the words that say the period when they are there
        out["rent_period"] = ctx.value(period, chosen.match.start, chosen.match.end, confidence)

    # annual rent: an explicit yearly amount, else scaled, else unit rate × area
    annual = None
    yearly = [a for a in periodic if a.period == "year"]
    if yearly:
        annual = (float(yearly[0].match.value), yearly[0].match)
    elif periodic and periodic[0].period in _PER_YEAR:
        a = periodic[0]
        annual = (float(a.match.value) * _PER_YEAR[a.period], a.match)
    elif rates and area_m2 and not rates[0].rate_unit.startswith("item_"):
        a = rates[0]
        if a.rate_unit == "m2_month":
            annual = (float(a.match.value) * area_m2 * 12, a.match)
        elif a.rate_unit == "m2_year":
            annual = (float(a.match.value) * area_m2, a.match)
        elif a.rate_unit == "m2_day":
            annual = (float(a.match.value) * area_m2 * 365, a.match)
        elif a.rate_unit == "mu_year":
            annual = (float(a.match.value) * area_m2 / MU, a.match)
    elif table_rents and table_rents[0].period == "year":
        annual = (float(table_rents[0].match.value), table_rents[0].match)
    elif chosen.role == "total" and term_months:
        annual = (value * 12.0 / term_months, chosen.match)
    elif totals and term_months and term_months >= 12:
        # 承包期内上交承包款肆仟元 … 其中每年上交捌佰元: the whole-term amount spread over the years
        per_year = float(totals[0].match.value) * 12.0 / term_months
        annual = (per_year, totals[0].match)
        if period is None and abs(per_year - value) <= 0.02 * per_year:
            out["rent_period"] = ctx.value("year", chosen.match.start, chosen.match.end, confidence * 0.9)
    elif period is None and term_months and term_months <= 12 and not chosen.rate_unit:
        # one amount for a term of a year or less: paid for the whole term
        out["rent_period"] = ctx.value("once", chosen.match.start, chosen.match.end, confidence * 0.8)
        annual = (value * 12.0 / term_months, chosen.match)
    if annual is not None:
        amount, match = annual
        out["annual_rent_yuan"] = ctx.value(round(amount, 2), match.start, match.end, confidence * 0.95)
    return out

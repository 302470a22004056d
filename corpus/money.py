"""Chinese numerals, money, dates and areas as agreements write them.

Pure functions, no randomness: the caller picks the style.

Money styles (:func:`fmt_money`)::

    plain        40000元            (decimals kept when there are any: 1897.5元)
    comma        40,000.00元
    wan          4万元 / 3.85万元
    capital      人民币肆万元整
    cap_paren    人民币肆万元整（¥40,000.00）
    num_cap      40000元（大写：肆万元整）
    rmb_cap      人民币40000元（大写：肆万元整）
    yen          ¥40,000.00

Date styles (:func:`fmt_date`)::

    cn     2023年3月1日        cn0   2023年03月01日     hanzi  二〇二三年三月一日
    dot    2023.3.1            iso   2023-03-01         slash  2023/3/1
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

_DIGITS = "零一二三四五六七八九"
_CAP_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAP_UNITS = ["", "拾", "佰", "仟"]
_SMALL_UNITS = ["", "十", "百", "千"]
_YEAR_DIGITS = "〇一二三四五六七八九"

MU_M2 = 666.67  # 1 亩 in square metres (the convention the corpus uses)


# ---------------------------------------------------------------- numerals


def _four(n: int, digits: str, units: list[str]) -> str:
    """0 < n < 10000 -> numerals with inner zeros collapsed (no leading 零)."""
    s = f"{n:04d}"
    out = []
    zero = False
    for i, ch in enumerate(s):
        d = int(ch)
        u = units[3 - i]
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append(digits[0])
            zero = False
        out.append(digits[d] + u)
    return "".join(out)


def _big(n: int, digits: str, units: list[str], wan: str = "万", yi: str = "亿") -> str:
    if n == 0:
        return digits[0]
    parts = []
    groups = [(n // 100000000, yi), ((n // 10000) % 10000, wan), (n % 10000, "")]
    started = False
    need_zero = False
    for g, unit in groups:
        if g == 0:
            if started:
                need_zero = True
            continue
        if started and (need_zero or g < 1000):
            parts.append(digits[0])
        parts.append(_four(g, digits, units) + unit)
        started = True
        need_zero = False
    return "".join(parts)


def cn_int(n: int) -> str:
    """Lower-case Chinese numerals for counts: 3 -> 三, 15 -> 十五, 20 -> 二十, 105 -> 一百零五."""
    if n < 0:
        raise ValueError(n)
    s = _big(n, _DIGITS, _SMALL_UNITS)
    if 10 <= n < 20:
        s = s[1:]  # 一十五 -> 十五
    return s


def cn_ordinal_clause(n: int) -> str:
    return cn_int(n)


def capital_yuan(x: float, prefix: str = "人民币") -> str:
    """大写 amount: 40000 -> 人民币肆万元整, 17800.5 -> 人民币壹万柒仟捌佰元伍角."""
    fen_total = int(round(x * 100))
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    s = _big(yuan, _CAP_DIGITS, _CAP_UNITS, "万", "亿") if yuan else ""
    # financial writing keeps the leading 壹 before 拾: 壹拾贰万
    if s.startswith("拾"):
        s = "壹" + s
    s = s.replace("零拾", "零壹拾")
    out = prefix + (s + "元" if yuan else "")
    if jiao == 0 and fen == 0:
        return out + "整"
    if jiao:
        out += _CAP_DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += _CAP_DIGITS[fen] + "分"
    else:
        out += "整"
    return out


# ---------------------------------------------------------------- money


def _num(x: float) -> str:
    """40000 -> '40000', 1897.5 -> '1897.50'."""
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return f"{x:.2f}"


def _comma(x: float) -> str:
    return f"{x:,.2f}"


def _wan(x: float) -> str:
    w = x / 10000.0
    s = f"{w:.4f}".rstrip("0").rstrip(".")
    return s


MONEY_STYLES = ("plain", "comma", "wan", "capital", "cap_paren", "num_cap", "rmb_cap", "yen")


def fmt_money(x: float, style: str) -> str:
    if style == "plain":
        return f"{_num(x)}元"
    if style == "comma":
        return f"{_comma(x)}元"
    if style == "wan":
        return f"{_wan(x)}万元"
    if style == "capital":
        return capital_yuan(x)
    if style == "cap_paren":
        return f"{capital_yuan(x)}（¥{_comma(x)}）"
    if style == "num_cap":
        return f"{_num(x)}元（大写：{capital_yuan(x, prefix='')}）"
    if style == "rmb_cap":
        return f"人民币{_num(x)}元（大写：{capital_yuan(x, prefix='')}）"
    if style == "yen":
        return f"¥{_comma(x)}"
    raise ValueError(f"unknown money style {style!r}; known: {MONEY_STYLES}")


def money_ok_for_wan(x: float) -> bool:
    """万元 is only written for amounts that read naturally (≤ 4 decimals of 万)."""
    return x >= 10000 and abs(x / 100 - round(x / 100)) < 1e-9


def fmt_number(x: float) -> str:
    """A bare number as a table cell: 40,000.00."""
    return _comma(x)


# ---------------------------------------------------------------- dates

DATE_STYLES = ("cn", "cn0", "hanzi", "dot", "iso", "slash")


def _hanzi_year(y: int) -> str:
    return "".join(_YEAR_DIGITS[int(c)] for c in str(y))


def _hanzi_md(n: int) -> str:
    return cn_int(n)


def fmt_date(d: date, style: str) -> str:
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "cn0":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == "hanzi":
        return f"{_hanzi_year(d.year)}年{_hanzi_md(d.month)}月{_hanzi_md(d.day)}日"
    if style == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if style == "iso":
        return d.isoformat()
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    raise ValueError(f"unknown date style {style!r}; known: {DATE_STYLES}")


def fmt_month(d: date, style: str) -> str:
    """Year and month only (2023年3月 / 二〇二三年三月)."""
    if style == "hanzi":
        return f"{_hanzi_year(d.year)}年{_hanzi_md(d.month)}月"
    return f"{d.year}年{d.month}月"


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    day = min(d.day, calendar.monthrange(y, m)[1])
    return date(y, m, day)


def term_end(start: date, months: int) -> date:
    """Last day of a term of ``months`` whole months starting on ``start``."""
    return add_months(start, months) - timedelta(days=1)


def months_between(start: date, end: date) -> int:
    """Whole months of a term from ``start`` to ``end`` inclusive (rounded)."""
    nxt = end + timedelta(days=1)
    m = (nxt.year - start.year) * 12 + (nxt.month - start.month)
    if nxt.day - start.day > 15:
        m += 1
    elif start.day - nxt.day > 15:
        m -= 1
    return m


def fmt_term(months: int, style: str = "cn") -> str:
    """三年 / 十五年 / 18个月 / 十八个月 / 3年."""
    if months % 12 == 0:
        y = months // 12
        if style == "arabic":
            return f"{y}年"
        return f"{cn_int(y)}年"
    if style == "arabic":
        return f"{months}个月"
    return f"{cn_int(months)}个月"


# ---------------------------------------------------------------- areas


def fmt_area(m2: float, style: str = "m2") -> str:
    """126.5㎡ / 126.5平方米 / 126.50平方米."""
    s = f"{m2:.2f}".rstrip("0").rstrip(".") if style != "m2_2" else f"{m2:.2f}"
    if style in ("m2", "m2_sym"):
        return f"{s}㎡"
    return f"{s}平方米"


def fmt_mu(mu: float) -> str:
    s = f"{mu:.2f}".rstrip("0").rstrip(".")
    return f"{s}亩"


def mu_to_m2(mu: float) -> float:
    return round(mu * MU_M2, 2)

"""Value finders and normalisers for money, dates, durations and areas in Chinese agreements.

Pure functions, no global mutable state, no third-party dependency (see "Why no cn2an / jionlp"
below). Every finder takes the text exactly as ingest produced it — OCR noise is the normal
case — and returns `Match`es whose `start`/`end` are offsets into *that* string, so
``text[m.start:m.end] == m.text`` always holds.

How a text is read (``_prepare``)
---------------------------------
1. ``fold`` — a length-preserving character map (1 char → 1 char):
   * every full-width ASCII form U+FF01–U+FF5E → its ASCII twin, everywhere (``１`` → ``1``,
     ``，`` → ``,``, ``（`` → ``(``, ``：`` → ``:``, ``／`` → ``/``, ``Ｏ`` → ``O``). This is
     unconditional: the folded text is only used for matching, never shown, and Match.text is
     always sliced from the original.
   * ``￥`` → ``¥``; ideographic space U+3000, NBSP, the U+2000 spaces, zero-width space and
     tab → ``' '``.
   * only *between two ASCII digits* (after the above): ``〇``/``○``/``零`` → ``0`` and the
     ideographic full stop ``。`` → ``.`` (OCR reads ``126.5`` as ``126。5``).
   * ``㎡``, ``²`` and all CJK text are left alone.
2. whitespace squeezing — every run of whitespace (spaces, ``\\n``, ``\\r``, ``\\f``) is dropped
   from the view the regexes see, except between two digits, where it is dropped only when it
   looks like a thousands gap (``40 000``: ≤ 3 digits before, exactly 3 after). So
   ``40, 000元``, ``2023 年 3 月 1 日``, ``2023年3\\n月1日`` and ``人民币壹拾贰万\\n元整`` all
   read as one value, while ``1 40000元`` or ``139 0550 1286`` stay separate numbers. An index
   array maps every position of the squeezed view back to the original text.
3. OCR digit repair (on the squeezed view) — inside a run of digits, ``,`` and ``.`` that
   contains at least one real digit and is not glued to other Latin letters (``RMB`` is allowed
   in front): ``O``/``o`` → ``0``, ``l``/``I`` → ``1``. So ``4O,OOO元``, ``4o000元``,
   ``l2000元`` and ``2O23年`` parse; ``ISO9001`` or ``Io`` do not change. Inside a Chinese
   year (``二O二三年``, ``二0二三年``) the date pattern itself accepts ``0``/``O``/``o``/``〇``/``○``.

Why no cn2an / jionlp
---------------------
Measured (jionlp 1.5.31, cn2an 0.5.24, in a scratch venv) on the rows of tests/data/normalize/:
* ``jio.ner.extract_money(with_parsing=True)``: 64/88 money rows right on value alone (units
  ignored). It misreads OCR digits (``4O,OOO元`` → 4.0, ``l2000元`` → 2000, ``120.000.00元`` → 3.0),
  misses ``¥40,000`` / ``RMB 40000`` / traditional ``貳萬…圓``, reports template blanks
  (``＿＿万元`` → 10000, ``百元销售收入`` → 100), ``5000美元`` and ``人民币2023年度`` as yuan, and
  counts 大写 + 小写 as two amounts. No rate qualifier.
* ``jio.ner.extract_time``: 35/53 date rows; it accepts 2023年2月30日 and 2023年13月1日, reads
  ``〔2023〕12号`` and ``2023年度`` as dates, misses capital-numeral and full-width dates, and
  fills missing parts from *today* (``二0二三年三月一日`` → this year's March 1st).
* ``cn2an.cn2an``: 17/20 numeral cases in 'smart' mode (fails 貳萬參仟陸佰, 零〇, OCR), 14/20 in
  'normal' (no 4.5万 / 1.2亿), ~16 µs a call.
* jionlp costs ~70 MB and 0.6 s of import; this module parses a 5,000-character agreement in
  1–3 ms per finder (pathological inputs ≤ 30 ms).
The rule table here passes all rows, so neither library is a dependency. (The CSVs were written
together with this module — the comparison favours it — but the misses listed above are plain
errors, not matters of convention.)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

__all__ = [
    "Match",
    "cn_to_number",
    "find_areas",
    "find_dates",
    "find_durations",
    "find_money",
    "fold",
    "parse_date",
    "parse_money",
]

MU_M2 = 666.67  # 1 亩 in m² (the glossary's figure)
HECTARE_M2 = 10_000.0
KM2_M2 = 1_000_000.0


@dataclass(frozen=True)
class Match:
    value: float | str | int  # yuan (float) / ISO date (str) / months (int) / m² (float)
    start: int  # offsets into the ORIGINAL text
    end: int
    text: str  # text[start:end]
    unit: str | None = None  # money: rate qualifier; area: 'm2' | 'mu' | 'ha' | 'km2'; duration: 'months'
    kind: str = ""  # free-form, for debugging / filtering ('every', 'ordinal', 'month', ...)


# ---------------------------------------------------------------------------------------------
# fold
# ---------------------------------------------------------------------------------------------

_FOLD_TABLE: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_FOLD_TABLE.update({
    0xFFE5: "¥",  # ￥
    0x3000: " ", 0x00A0: " ", 0x200B: " ", 0x2060: " ", 0xFEFF: " ", 0x0009: " ",
    **{cp: " " for cp in range(0x2000, 0x200B)},
})
_ZERO_LIKE = "〇○零"
_ZERO_IN_DIGITS = re.compile(r"(?<=[0-9])[〇○零。](?=[0-9])|(?<=[0-9])[〇○零]|[〇○零](?=[0-9])")


def _zero_sub(m: re.Match) -> str:
    return "." if m.group() == "。" else "0"


def fold(text: str) -> str:
    """Width folding that keeps ``len(text)``: see the module docstring for the exact rules."""
    out = text.translate(_FOLD_TABLE)
    if any(c in out for c in "〇○零。"):
        out = _ZERO_IN_DIGITS.sub(_zero_sub, out)
    return out


# ---------------------------------------------------------------------------------------------
# preparation: fold → squeeze whitespace (with an index map) → OCR digit repair
# ---------------------------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_THOUSANDS_AFTER = re.compile(r"[0-9]{3}(?![0-9])")
_DIGITS_BEFORE = re.compile(r"[0-9]+$")
_OCR_RUN = re.compile(
    r"(?:(?<![A-Za-z])|(?<=RMB))(?=[0-9OolI,.]*[0-9])[0-9OolI][0-9OolI,.]*(?![A-Za-z])"
)
_OCR_FIX = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})


def _ocr_sub(m: re.Match) -> str:
    s = m.group()
    return s.translate(_OCR_FIX) if not s.isdigit() else s


class _View:
    """The squeezed, repaired text the regexes run on, with a map back to the original."""

    __slots__ = ("text", "s", "idx")

    def __init__(self, text: str):
        self.text = text
        f = fold(text)
        parts: list[str] = []
        idx: list[int] = []
        last = 0
        for m in _WS.finditer(f):
            a, b = m.span()
            if 0 < a and b < len(f) and f[a - 1].isascii() and f[a - 1].isdigit() and f[b].isascii() and f[b].isdigit():
                before = _DIGITS_BEFORE.search(f, max(0, a - 4), a)
                if not (before and len(before.group()) <= 3 and _THOUSANDS_AFTER.match(f, b)):
                    continue  # keep this whitespace: two separate numbers
            parts.append(f[last:a])
            idx.extend(range(last, a))
            last = b
        parts.append(f[last:])
        idx.extend(range(last, len(f)))
        s = "".join(parts)
        if any(c in s for c in "OolI"):
            s = _OCR_RUN.sub(_ocr_sub, s)
        self.s = s
        self.idx = idx

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Squeezed [a, b) → original [start, end)."""
        return self.idx[a], self.idx[b - 1] + 1

    def match(self, a: int, b: int, value, unit=None, kind="") -> Match:
        start, end = self.span(a, b)
        return Match(value, start, end, self.text[start:end], unit, kind)


# ---------------------------------------------------------------------------------------------
# numerals
# ---------------------------------------------------------------------------------------------

_CN_DIGIT_VALUES = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2, "弍": 2,
    "三": 3, "叁": 3, "參": 3, "叄": 3, "参": 3, "四": 4, "肆": 4, "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CAPITAL_CHARS = set("壹贰貳叁參叄肆伍陆陸柒捌玖拾佰仟萬億")

CN_D = "".join(_CN_DIGIT_VALUES)  # digit characters
CN_U = "".join(_CN_SMALL_UNITS) + "".join(_CN_BIG_UNITS)  # unit characters
_NONZERO_DIGITS = set(CN_D) - set("零〇○")

# An Arabic number as written in agreements (after fold + repair), best reading first:
#   120,000.00 | 120.000.00 (OCR read the commas as dots) | 40,00 (bad grouping) | 40000.5
AR = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]{1,3}(?:\.[0-9]{3})+\.[0-9]{2}(?![0-9])|[0-9]+(?:,[0-9]+)+|[0-9]+(?:\.[0-9]+)?)"
_NUM_CHARS = "0-9.," + CN_D + CN_U
# A number that may mix Arabic and Chinese numerals: 4.5万, 12万5千, 壹拾贰万零伍佰, 三千.
NUM = rf"(?<![{_NUM_CHARS}])(?:(?>{AR})(?![0-9])|[{CN_D}{CN_U}])+"


def _parse_arabic(s: str) -> tuple[float, bool] | None:
    """'120,000.00' → (120000.0, clean). clean=False when the grouping was odd (OCR)."""
    s = s.strip()
    if not s:
        return None
    if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?", s):
        return float(s.replace(",", "")), True
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+\.[0-9]{2}", s):  # 120.000.00
        head, _, tail = s.rpartition(".")
        return float(head.replace(".", "") + "." + tail), False
    if re.fullmatch(r"[0-9]+(?:,[0-9]+)+", s):
        groups = s.split(",")
        if len(groups) == 2 and len(groups[1]) == 2 and len(groups[0]) > 3:  # 120000,00: decimal comma
            return float(groups[0] + "." + groups[1]), False
        return float("".join(groups)), False
    return None


_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|.", re.S)


def cn_to_number(s: str) -> float | None:
    """Chinese (lower-case or capital), Arabic or mixed numeral → number; None when not one.

    壹拾贰万零伍佰 → 120500, 二十 → 20, 两万 → 20000, 一百零五 → 105, 4.5万 → 45000,
    三万五 → 35000 (colloquial), 二〇二三 → 2023 (digit sequence), 三点五 → 3.5, 半 → 0.5.
    Returns an int-valued float for whole numbers.
    """
    if s is None:
        return None
    s = "".join(fold(s).split())
    if not s:
        return None
    if s == "半":
        return 0.5
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = cn_to_number(whole) if whole else 0.0
        if w is None or not frac or any(c not in _CN_DIGIT_VALUES and not c.isdigit() for c in frac):
            return None
        digits = "".join(str(_CN_DIGIT_VALUES[c]) if c in _CN_DIGIT_VALUES else c for c in frac)
        return w + float("0." + digits)
    tokens = _TOKEN.findall(s)
    has_unit = any(t in _CN_SMALL_UNITS or t in _CN_BIG_UNITS for t in tokens)
    if not has_unit:
        if len(tokens) == 1 and tokens[0][0].isdigit():
            r = _parse_arabic(tokens[0])
            return None if r is None else r[0]
        if all(t in _CN_DIGIT_VALUES or (t.isascii() and t.isdigit()) for t in tokens):
            # a digit sequence: 二〇二三 → 2023, 三 → 3
            return float(int("".join(str(_CN_DIGIT_VALUES.get(t, t)) for t in tokens)))
        return None
    total = 0.0  # everything above the current 万 section, already multiplied
    wan = 0.0  # the current 万 section, already multiplied
    sec = 0.0  # below 万
    num: float | None = None
    last_unit = 1
    prev = ""  # 'digit' | 'zero' | 'unit'
    for t in tokens:
        if t in _CN_DIGIT_VALUES or t[0].isdigit():
            if t in _CN_DIGIT_VALUES:
                v = float(_CN_DIGIT_VALUES[t])
            else:
                r = _parse_arabic(t)
                if r is None:
                    return None
                v = r[0]
            if v == 0 and t in _CN_DIGIT_VALUES:
                if num is not None:
                    return None
                prev = "zero"
                continue
            if num is not None:
                return None  # two digits without a unit between them (一二万)
            num = v
            prev = "digit" if prev != "unit" else "digit_after_unit"
        elif t in _CN_SMALL_UNITS:
            u = _CN_SMALL_UNITS[t]
            sec += (1.0 if num is None else num) * u
            num, last_unit, prev = None, u, "unit"
        elif t in _CN_BIG_UNITS:
            u = _CN_BIG_UNITS[t]
            part = sec + (num or 0.0)
            if u == 10_000:
                if part == 0 and wan == 0 and prev != "zero":
                    part = 1.0
                wan = part * u
            else:
                base = total + wan + sec + (num or 0.0)
                total = (base if base else 1.0) * u
                wan = 0.0
            sec, num, last_unit, prev = 0.0, None, u, "unit"
        else:
            return None
    tail = num or 0.0
    if num is not None and prev == "digit_after_unit" and last_unit >= 10:
        tail = num * last_unit / 10  # 三万五 → 35000, 一百二 → 120
    return total + wan + sec + tail


def _is_unit_only(cn: str) -> bool:
    """百, 千元, 万, 百万: a bare unit with no digit (and no 十) — '百元销售收入', '＿＿万元'."""
    return not any(c in _NONZERO_DIGITS or c.isdigit() or c in "零〇○十拾" for c in cn)


def _is_digit_sequence(cn: str) -> bool:
    """一二三 / 二〇二三: Chinese digits with no unit — a year or a code, never an amount."""
    return len(cn) > 1 and not any(c in CN_U or c.isdigit() for c in cn)


def _num_value(s: str) -> float | None:
    """A quantity in Chinese/Arabic numerals, refusing bare units (百) and digit sequences (一二)."""
    if _is_unit_only(s) or _is_digit_sequence(s):
        return None
    return cn_to_number(s)


# ---------------------------------------------------------------------------------------------
# money
# ---------------------------------------------------------------------------------------------

_PREFIX = r"(?:人民币|RMB|CNY|¥)"
_MONEY_RE = re.compile(
    rf"(?P<pre>{_PREFIX}:?)?"
    rf"(?P<num>{NUM})"
    rf"(?:(?P<yuan>元|圆|圓|兀|块钱)"
    rf"(?:(?P<jiao>零?[{CN_D}0-9])角)?(?:(?P<fen>零?[{CN_D}0-9])分)?"
    rf"(?P<zheng>整|正)?)?"
    rf"(?![旦素件器宵化老])"
)
_SENTENCE_END = re.compile(r"[。;!?？！；]")

_AREA_Q = r"(?:建筑平方米|平方米|平米|平方|㎡|m²|m2|M²|M2|亩)"
_PERIOD_Q = r"(?:半年|季度|季|月|年|天|日)"
_AFTER_Q = re.compile(rf"(?:[/每](?P<a>{_AREA_Q}|{_PERIOD_Q})(?:[/·.・･每](?P<b>{_AREA_Q}|{_PERIOD_Q}))?)")
_BEFORE_Q = re.compile(
    rf"每(?P<a1>{_AREA_Q})每?(?P<p1>{_PERIOD_Q})"
    rf"|每(?P<p2>{_PERIOD_Q})每(?P<a2>{_AREA_Q})"
    rf"|每(?P<a3>{_AREA_Q})"
    r"|(?P<month>月租金|月租|每月|月付|按月|月承包费|月使用费|月费用)"
    r"|(?P<year>年租金|年租|每年|年付|按年|年承包费|年使用费|年度租金|全年租金|年收益|年上缴)"
    r"|(?P<quarter>季度租金|每季度|每季|按季)"
    r"|(?P<halfyear>每半年|半年租金)"
    r"|(?P<day>日租金|每天|每日|按日)"
)
_MULTIPLE_BEFORE = re.compile(
    rf"(?:个|(?<![第{CN_D}十拾])[{CN_D}十拾半]{{1,3}}|(?<![0-9第])[0-9]{{1,2}})$"  # not 第一年租金
)
_AREA_KEY = {"建筑平方米": "m2", "平方米": "m2", "平米": "m2", "平方": "m2", "㎡": "m2", "m²": "m2",
             "m2": "m2", "M²": "m2", "M2": "m2", "亩": "mu"}
_PERIOD_KEY = {"月": "month", "年": "year", "天": "day", "日": "day", "季": "quarter", "季度": "quarter",
               "半年": "half_year"}


def _qualifier(area: str | None, period: str | None) -> str | None:
    a = _AREA_KEY.get(area) if area else None
    p = _PERIOD_KEY.get(period) if period else None
    if a and p:
        return f"{a}_{p}"
    return a or p


def _after_qualifier(s: str, pos: int) -> str | None:
    """'元/平方米/月', '元/亩·年', '元/月', '元每月' right after the amount."""
    m = _AFTER_Q.match(s, pos)
    if not m:
        return None
    a, b = m.group("a"), m.group("b")
    area = next((x for x in (a, b) if x in _AREA_KEY), None)
    period = next((x for x in (a, b) if x in _PERIOD_KEY), None)
    return _qualifier(area, period)


def _before_qualifier(s: str, lo: int, hi: int) -> str | None:
    best = None
    for m in _BEFORE_Q.finditer(s, lo, hi):
        best = m
    if best is None:
        return None
    g = best.groupdict()
    if (g["month"] or g["year"]) and _MULTIPLE_BEFORE.search(s, max(0, best.start() - 4), best.start()):
        return None  # 押金为两个月租金即5000元 / 三年租金共计: a multiple of the rate, not a rate
    if g["a1"]:
        return _qualifier(g["a1"], g["p1"])
    if g["a2"]:
        return _qualifier(g["a2"], g["p2"])
    if g["a3"]:
        return _qualifier(g["a3"], None)
    for key, unit in (("month", "month"), ("year", "year"), ("quarter", "quarter"),
                      ("halfyear", "half_year"), ("day", "day")):
        if g[key]:
            return unit
    return None


@dataclass
class _Amt:
    a: int  # squeezed span
    b: int
    value: float
    kind: str
    chinese: bool  # written in Chinese numerals (大写 or lower-case)
    qual_at: int = -1  # where a trailing rate qualifier would start (end of the first amount)


def _money_candidates(s: str) -> list[_Amt]:
    out: list[_Amt] = []
    for m in _MONEY_RE.finditer(s):
        num, pre, yuan = m.group("num"), m.group("pre"), m.group("yuan")
        has_cn = any(c in CN_D or c in CN_U for c in num)
        has_ar = any(c.isdigit() for c in num)
        if not yuan:
            # no 元: only with a currency prefix, e.g. ¥40,000 / RMB 40000 / 人民币肆万
            if not pre or s[m.end("num"):m.end("num") + 1] in ("年", "月", "日", "号", "%", "个", "期", "."):
                continue  # 人民币 2023年… is not an amount
            end = m.end("num")
        else:
            end = m.end()
        value = _num_value(num)
        if value is None:
            continue
        clean = True
        if has_ar and not has_cn:
            r = _parse_arabic(num)
            if r is None:
                continue
            value, clean = r
            digits = num.replace(",", "").split(".")[0]
            if not yuan and len(digits) >= 11:  # account / phone number after a prefix
                continue
        if yuan:
            for g, scale in (("jiao", 0.1), ("fen", 0.01)):
                j = m.group(g)
                if j:
                    jv = cn_to_number(j.lstrip("零"))
                    if jv is not None:
                        value += jv * scale
        if has_cn and has_ar:
            kind = "wan"  # 4.5万元, 12万5千元
        elif has_cn and any(c in _CAPITAL_CHARS for c in num):
            kind = "capital"
        elif has_cn:
            kind = "cn"
        else:
            kind = "digits" if clean else "digits?"
        out.append(_Amt(m.start(), end, round(value, 2), kind, has_cn and not has_ar))
    return out


_MERGE_GAP = re.compile(r"[(\[【]?(?:,?(?:小写|大写)(?:金额)?)?:?(?:人民币)?")


def find_money(text: str) -> list[Match]:
    """Amounts of money (yuan). Capital + digits written twice (大写/小写, or in brackets) are one
    Match covering both; when they disagree the capital (大写) value wins and kind ends with
    '!mismatch'. ``unit`` carries the rate qualifier (m2_month, mu_year, month, year, ...)."""
    v = _View(text)
    s = v.s
    cands = _money_candidates(s)
    # merge 大写 + 小写 pairs
    merged: list[_Amt] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        if i + 1 < len(cands):
            d = cands[i + 1]
            q = _AFTER_Q.match(s, c.b)  # 40000元/年（大写：肆万元整）
            gap = s[q.end() if q else c.b:d.a]
            gm = _MERGE_GAP.fullmatch(gap)
            if gm and c.chinese != d.chinese and (c.chinese or d.chinese):
                bracket = gap[:1] in "([【"
                labelled = "写" in gap
                if abs(c.value - d.value) < 0.005 or bracket or labelled:
                    cap, dig = (c, d) if c.chinese else (d, c)
                    b = d.b
                    if bracket and b < len(s) and s[b] in ")]】":
                        b += 1
                    kind = f"{cap.kind}+digits"
                    if abs(c.value - d.value) >= 0.005:
                        kind += "!mismatch"
                    merged.append(_Amt(c.a, b, cap.value, kind, True, c.b))
                    i += 2
                    continue
        merged.append(c)
        i += 1
    out: list[Match] = []
    prev_end = 0
    for c in merged:
        unit = _after_qualifier(s, c.qual_at) if c.qual_at >= 0 else None
        unit = unit or _after_qualifier(s, c.b)
        if unit is None:
            lo = max(prev_end, c.a - 20)
            ends = [m.end() for m in _SENTENCE_END.finditer(s, lo, c.a)]
            if ends:
                lo = ends[-1]
            unit = _before_qualifier(s, lo, c.a)
        out.append(v.match(c.a, c.b, float(c.value), unit, c.kind))
        prev_end = c.b
    return out


def parse_money(s: str) -> float | None:
    """One amount string → yuan: '人民币壹拾贰万元整' → 120000.0, '4.5万元' → 45000.0,
    '¥40,000' → 40000.0; a bare number ('40000', '四万') is read as yuan too."""
    if not s:
        return None
    found = find_money(s)
    if found:
        return float(found[0].value)
    core = re.sub(r"^\s*(?:人民币|RMB|CNY|¥|￥)\s*[:：]?|(?:元|圆|圓)?(?:整|正)?\s*$", "", s)
    core = "".join(fold(core).split())
    if not core:
        return None
    r = _parse_arabic(core.translate(_OCR_FIX)) if re.fullmatch(r"[0-9OolI,.]+", core) else None
    if r is not None:
        return round(r[0], 2)
    val = _num_value(core)
    return None if val is None else round(val, 2)


# ---------------------------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------------------------

_YD = "0-9〇○零OoΟ一二三四五六七八九壹贰貳叁參叄肆伍陆陸柒捌玖"
_MD = r"(?:[0-9OolI]{1,2}|[〇○零一二三四五六七八九十壹贰貳叁參叄肆伍陆陸柒捌玖拾]{1,4})"
_DATE_CN_RE = re.compile(
    rf"(?<![{_YD}十拾])(?P<y>[{_YD}]{{4}})年(?P<m>{_MD})月(?:(?P<d>{_MD})[日号])?"
)
_DATE_SEP_RE = re.compile(
    r"(?<![0-9.])(?P<y>[0-9]{4})(?P<sep>[.\-/])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})(?![0-9])(?!(?P=sep)[0-9])"
)
_YEAR_CHAR = {**{c: _CN_DIGIT_VALUES[c] for c in _CN_DIGIT_VALUES if c not in "两兩弍"},
              "O": 0, "o": 0, "Ο": 0, **{str(i): i for i in range(10)}}


def _md_value(s: str) -> int | None:
    if s.isascii():
        s = s.translate(_OCR_FIX)  # 3月l日
    if s.isdigit():
        return int(s)
    s = s.replace("O", "〇").replace("o", "〇")
    if len(s) > 1 and s[0] in "〇○零" and not any(c in "十拾" for c in s):  # 〇三
        s = s.lstrip("〇○零")
    val = cn_to_number(s)
    if val is None or val != int(val):
        return None
    return int(val)


def _valid(y: int, m: int, d: int | None) -> bool:
    if not (1900 <= y <= 2100 and 1 <= m <= 12):
        return False
    return d is None or 1 <= d <= calendar.monthrange(y, m)[1]


def find_dates(text: str) -> list[Match]:
    """Calendar dates → 'YYYY-MM-DD' (kind 'digits', 'cn', 'mixed', 'dotted', 'iso', 'slashed');
    year + month only → 'YYYY-MM' (kind 'month'). Impossible dates (2023年2月30日) are not
    reported at all."""
    v = _View(text)
    s = v.s
    found: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _DATE_CN_RE.finditer(s):
        ys, ms, ds = m.group("y"), m.group("m"), m.group("d")
        y = int("".join(str(_YEAR_CHAR[c]) for c in ys))
        mo = _md_value(ms)
        d = _md_value(ds) if ds else None
        if mo is None or (ds and d is None) or not _valid(y, mo, d):
            continue
        raw = ys + ms + (ds or "")
        ar = sum(c.isascii() and c.isalnum() for c in raw)  # 0-9 and OCR O/o/l/I
        kind = "digits" if ar == len(raw) else ("cn" if ar == 0 else "mixed")
        if d is None:
            found.append((m.start(), m.end(), f"{y:04d}-{mo:02d}", "month"))
        else:
            found.append((m.start(), m.end(), f"{y:04d}-{mo:02d}-{d:02d}", kind))
        taken.append(m.span())
    for m in _DATE_SEP_RE.finditer(s):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if not _valid(y, mo, d) or any(a < m.end() and m.start() < b for a, b in taken):
            continue
        kind = {".": "dotted", "-": "iso", "/": "slashed"}[m.group("sep")]
        found.append((m.start(), m.end(), f"{y:04d}-{mo:02d}-{d:02d}", kind))
    found.sort()
    return [v.match(a, b, val, None, kind) for a, b, val, kind in found]


def parse_date(s: str) -> str | None:
    """One date string → 'YYYY-MM-DD' (or 'YYYY-MM' when only year and month are given)."""
    found = find_dates(s or "")
    full = [m for m in found if m.kind != "month"]
    if full:
        return str(full[0].value)
    return str(found[0].value) if found else None


# ---------------------------------------------------------------------------------------------
# durations
# ---------------------------------------------------------------------------------------------

_DNUM = rf"(?:[0-9]+(?:\.[0-9]+)?|[{CN_D}{CN_U}半]+)"
_DUR_RE = re.compile(
    rf"(?P<pre>第|每隔|每满|每)?(?<![{_NUM_CHARS}半])"
    rf"(?P<n>{_DNUM})(?:\((?P<n2>[0-9]+)\))?"
    rf"(?:(?P<yr>个?年)(?P<half>半)?"
    rf"(?:(?:零|又)?(?P<mn>{_DNUM})(?:\((?P<mn2>[0-9]+)\))?个?月)?"
    rf"|个(?P<half_m>半)?月)"
    rf"(?!代|级|龄|[0-9]{{1,2}}[日号]|[{CN_D}十拾]{{1,3}}[日号])"
)
_PAY_EVERY = re.compile(r"一(?:付|交|缴|结|收|支付|次性?支付)")
_DATE_AFTER_YEAR = re.compile(rf"{_MD}月{_MD}[日号]")


def _dur_number(n: str, bracket: str | None) -> tuple[float | None, str]:
    if n[0].isdigit():
        return float(n), "digits"
    if n == "半":
        return 0.5, "half"
    if "半" in n:
        return None, ""
    val = _num_value(n)
    if val is None:
        return None, ""
    if bracket:
        return val, "cn+digits" if float(bracket) == val else "cn+digits!mismatch"
    return val, "cn"


def find_durations(text: str) -> list[Match]:
    """Terms → whole months (unit 'months'). '每三年' is kind 'every' (an escalation period),
    '第三年' kind 'ordinal'; calendar years (2023年, 二〇二三年) are never durations. Durations
    given in days or weeks are not reported."""
    v = _View(text)
    s = v.s
    out: list[Match] = []
    for m in _DUR_RE.finditer(s):
        n, pre = m.group("n"), m.group("pre")
        if n[0].isdigit() and len(n.split(".")[0]) >= 3:
            continue  # a calendar year (2023年) or a count that is no term
        if not n[0].isdigit() and len(n) >= 2 and not any(c in CN_U for c in n):
            continue  # 二〇二三年 / 九九年: a year written digit by digit
        if m.group("yr") and n[0].isdigit() and _DATE_AFTER_YEAR.match(s, m.end("yr")):
            continue  # 23年3月1日: a short-year date
        if n == "半" and m.start("n") > 0 and s[m.start("n") - 1] in "上下":
            continue  # 上半年: a half of a calendar year
        val, kind = _dur_number(n, m.group("n2"))
        if val is None or val <= 0:
            continue
        if m.group("yr"):
            months = val * 12
            if m.group("half"):
                months += 6
            if m.group("mn"):
                mv, _ = _dur_number(m.group("mn"), m.group("mn2"))
                if mv is None:
                    continue
                months += mv
        else:
            months = val + (0.5 if m.group("half_m") else 0)
        if months != int(months):
            continue
        if pre == "第":
            kind = "ordinal"
        elif pre or _PAY_EVERY.match(s, m.end()):
            kind = "every"  # 每三年递增 / 一年一付: a period, not a term
        a = m.start() if pre else m.start("n")
        out.append(v.match(a, m.end(), int(months), "months", kind))
    return out


# ---------------------------------------------------------------------------------------------
# areas
# ---------------------------------------------------------------------------------------------

_AREA_RE = re.compile(
    rf"(?P<n>{NUM})(?:\((?P<n2>{AR})\))?"
    r"(?P<u>平方公里|平方千米|平方米|平米|平方(?!米)|㎡|m²|m2|M²|M2|亩|公顷)"
    r"(?![A-Za-z0-9])"
)
_AREA_UNIT = {"平方公里": ("km2", KM2_M2), "平方千米": ("km2", KM2_M2), "公顷": ("ha", HECTARE_M2),
              "亩": ("mu", MU_M2)}


def find_areas(text: str) -> list[Match]:
    """Areas → m² (float, 2 decimals). unit keeps the origin: 'm2', 'mu', 'ha' or 'km2'."""
    v = _View(text)
    s = v.s
    out: list[Match] = []
    for m in _AREA_RE.finditer(s):
        n, n2 = m.group("n"), m.group("n2")
        has_cn = any(c in CN_D or c in CN_U for c in n)
        has_ar = any(c.isdigit() for c in n)
        if has_ar and not has_cn:
            r = _parse_arabic(n)
            if r is None:
                continue
            val, clean = r
            kind = "digits" if clean else "digits?"
        else:
            val = _num_value(n)
            if val is None:
                continue
            kind = "wan" if has_ar else "cn"
            if n2:
                r2 = _parse_arabic(n2)
                kind = "cn+digits" if r2 and abs(r2[0] - val) < 0.005 else "cn+digits!mismatch"
        unit, factor = _AREA_UNIT.get(m.group("u"), ("m2", 1.0))
        out.append(v.match(m.start(), m.end(), round(val * factor, 2), unit, kind))
    return out

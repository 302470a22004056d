"""term_start, term_end, term_months and signed_date.

The term is written as a date range (自2023年3月1日起至2026年2月28日止 / 2023.3.1—2026.2.28),
as a duration (租期三年 / 共计二十年 / 期限为36个月), or both. A missing end is computed from the
start and the duration (the day before the anniversary), a missing duration from the dates.
The signing date is the date in the signature block (签订日期 / 签约时间 / the date under the
signatures), else a date in the preamble marked 签订.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .context import Context
from .normalize import Match, find_dates, find_durations

_TERM_WORDS = re.compile(r"(租赁期|租期|承包期|期限|使用期|借用期|出借期|流转期|经营期|合作期|有效期|履约期|合同期)")
_RANGE_BETWEEN = re.compile(r"^\s*(?:起|开始)?\s*(?:至|到|—|－|-|–|~|～|止至)\s*$")
_SIGN_WORDS = re.compile(r"(签订日期|签约日期|签约时间|签订时间|签署日期|签字日期|订立日期|日期)\s*[:：]?\s*$")
_START_LABEL = re.compile(r"(起租时间|起租日期|起租日|起始日期|起始时间|开始日期|开始时间|生效日期|承包起始|租赁起始|起始日)\s*[:：为是]?\s*$")
_END_LABEL = re.compile(r"(退租时间|退租日期|终止日期|终止时间|截止日期|截止时间|结束日期|结束时间|到期日期|到期日|届满日期|期满日期)\s*[:：为是]?\s*$")
_SIGNATURE_ZONE = re.compile(r"(盖章|签字|签章|签名|法定代表人|委托代理人)")


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


def _months_between(start: date, end: date) -> int:
    """Whole months of a term written as start … end (end is usually the day before the
    anniversary: 2023-03-01 … 2026-02-28 is 36 months)."""
    nxt = end + timedelta(days=1)
    months = (nxt.year - start.year) * 12 + (nxt.month - start.month)
    if nxt.day != start.day:
        months = round(months + (nxt.day - start.day) / 30.0)
    return max(0, months)


def _iso(m: Match) -> date | None:
    value = str(m.value)
    if len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def extract_terms(ctx: Context) -> dict:
    text = ctx.raw
    dates = [m for m in find_dates(text) if len(str(m.value)) == 10]
    durations = [m for m in find_durations(text) if m.kind not in ("every", "ordinal")]
    out: dict = {}

    # -- date range: two dates joined by 至/—, the first in a sentence about the term ------------
    best_range = None
    for a, b in zip(dates, dates[1:]):
        between = text[a.end : b.start]
        if len(between) > 8 or not _RANGE_BETWEEN.match(between.replace("日", "")):
            continue
        da, db = _iso(a), _iso(b)
        if not da or not db or db <= da:
            continue
        if re.search(r"(请于|报名|投标|登记|受理|公示期|公告期|提交|领取|缴纳)[^。；;\n]{0,6}$", text[max(0, a.start - 12) : a.start]) or re.match(
            r"^[^。；;\n]{0,12}?前", text[b.end : b.end + 14]
        ):
            continue  # a window for registering or bidding (请于…至…下午17:00前), not the term
        s0, _ = ctx.sentence_span(a.start)
        context = text[max(0, s0 - 30) : a.start]
        line_start = text.rfind("\n", 0, a.start) + 1
        in_table = "\t" in text[line_start : text.find("\n", b.end) if text.find("\n", b.end) > 0 else len(text)]
        score = (2 if _TERM_WORDS.search(context) else 1) - (1.5 if in_table else 0)
        span_days = (db - da).days
        score += min(span_days, 36500) / 36500.0  # the whole term is longer than a table row
        if best_range is None or score > best_range[0]:
            best_range = (score, a, b)
    # 起租时间：2015年9月1日，退租时间：2016年8月31日 — a start and an end each with its label
    if best_range is None:
        starts = [d for d in dates if _START_LABEL.search(text[max(0, d.start - 12) : d.start])]
        ends = [d for d in dates if _END_LABEL.search(text[max(0, d.start - 12) : d.start])]
        for a in starts:
            b = next((e for e in ends if e.start > a.start and e.start - a.end < 80), None)
            if b is not None and _iso(a) and _iso(b) and _iso(b) > _iso(a):
                best_range = (1.0, a, b)
                break
    start_m = end_m = None
    if best_range:
        _, start_m, end_m = best_range
        out["term_start"] = ctx.value(str(start_m.value), start_m.start, start_m.end, 0.95)
        out["term_end"] = ctx.value(str(end_m.value), end_m.start, end_m.end, 0.95)

    # -- duration: the one nearest a term word --------------------------------------------------
    best_dur = None
    for m in durations:
        s0, _ = ctx.sentence_span(m.start)
        window = text[max(s0, m.start - 25) : m.start]
        if re.search(r"(延长|延期|顺延|续期|展期)\s*$", window):
            continue  # an extension in a supplementary agreement, not the term itself
        if re.search(r"(未满|不满|不足|超过|提前|满|剩余|以上|逾期|拖欠|欠)\s*$", window) or re.match(r"\s*(?:以上|以内|以下|之内|内|前|后|的不)", text[m.end : m.end + 3]):
            continue  # 租期未满一个月的 / 提前三个月: a condition or a notice period, not the term
        if not _TERM_WORDS.search(window) and not re.search(r"(共计|为期|共|约定使用|使用|租用|承包)\s*$", window):
            continue
        near = m.start - (_TERM_WORDS.search(window).end() + max(s0, m.start - 25) if _TERM_WORDS.search(window) else m.start)
        if best_dur is None or near < best_dur[0]:
            best_dur = (near, m)
    if best_dur:
        m = best_dur[1]
        out["term_months"] = ctx.value(int(m.value), m.start, m.end, 0.9)
    elif start_m and end_m:
        months = _months_between(_iso(start_m), _iso(end_m))
        out["term_months"] = ctx.value(months, start_m.start, end_m.end, 0.85)

    # -- an end alone: 延长后期限至2028年2月2日止 / 租赁期至…止 ---------------------------------------
    if "term_end" not in out:
        for d in dates:
            before = text[max(0, d.start - 16) : d.start]
            after = text[d.end : d.end + 2]
            if re.search(r"(期限|期)[^。；;\n]{0,6}至\s*$", before) and "止" in after:
                out["term_end"] = ctx.value(str(d.value), d.start, d.end, 0.85)
                break

    # -- a start with a duration but no end: compute the end --------------------------------------
    if "term_start" not in out and best_dur:
        # 自2023年3月1日起 ... 租期三年: a lone start date near the duration
        for d in dates:
            s0, s1 = ctx.sentence_span(best_dur[1].start)
            if s0 - 60 <= d.start <= s1 + 60 and re.search(r"(自|从|起)", text[max(0, d.start - 3) : d.end + 3]):
                start = _iso(d)
                if start:
                    out["term_start"] = ctx.value(start.isoformat(), d.start, d.end, 0.85)
                    end = _add_months(start, int(best_dur[1].value)) - timedelta(days=1)
                    m = best_dur[1]
                    out["term_end"] = ctx.value(end.isoformat(), m.start, m.end, 0.75)
                break

    # -- signing date --------------------------------------------------------------------------
    signed = _signed_date(ctx, dates, exclude={id(start_m), id(end_m)})
    if signed is not None:
        out["signed_date"] = ctx.value(str(signed.value), signed.start, signed.end, 0.9)
    return out


_SIGNED_IN_TEXT = re.compile(r"^[^。；;\n]{0,40}?(?:签订|订立|签署|签定)(?:了)?[^。；;\n]{0,30}?(?:合同|协议|协议书)")


def _signed_date(ctx: Context, dates: list[Match], exclude: set[int]) -> Match | None:
    found = _signed_block_date(ctx, dates, exclude)
    if found is not None:
        return found
    # a judgment or a story: 2003年11月18日，原、被告双方签订《…承包合同》 / 于2011年3月26日与该村签订
    text = ctx.raw
    for d in dates:
        if id(d) in exclude:
            continue
        after = text[d.end : d.end + 80]
        if _SIGNED_IN_TEXT.match(after) and not re.match(r"^[^。；;\n]{0,6}(?:前|以前|之前|止|至)", after):
            return d
    return None


def _signed_block_date(ctx: Context, dates: list[Match], exclude: set[int]) -> Match | None:
    text = ctx.raw
    if re.search(r"(未签订书面|没有签订书面|未签订(?:正式)?(?:合同|协议)|口头(?:约定|协议|同意))", text) and not re.search(
        r"(签订日期|签约日期|签约时间)", text
    ):
        return None  # a note recording an oral arrangement: its date is not a signing date
    # "原合同签订日期" is the main agreement's date, not this one's
    labelled = [
        d for d in dates
        if _SIGN_WORDS.search(text[max(0, d.start - 12) : d.start])
        and not re.search(r"原(?:合同|协议)[^\n]{0,4}$", text[max(0, d.start - 14) : d.start].split("签")[0])
    ]
    if labelled:
        return labelled[-1]
    # the last date of the document, when it stands in the signature block (after 盖章/签字 lines)
    tail_start = max((m.start() for m in _SIGNATURE_ZONE.finditer(text)), default=-1)
    if tail_start < 0:
        # a receipt or letter: the date alone on one of the last lines
        last_lines = text.rstrip().split("\n")[-3:]
        for d in reversed(dates):
            line_start = text.rfind("\n", 0, d.start) + 1
            line_end = text.find("\n", d.end)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            if line in last_lines and len(line.replace(d.text, "").strip(" 　:：")) <= 4:
                return d
        return None
    zone_start = text.rfind("\n", 0, max(0, tail_start - 200)) + 1
    for d in reversed(dates):
        if id(d) in exclude:
            continue
        if d.start >= zone_start:
            line_start = text.rfind("\n", 0, d.start) + 1
            line_end = text.find("\n", d.end)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            # a date alone on its line (or with 订 / 签订) under the signatures
            rest = line.replace(d.text, "").strip(" 　:：")
            if len(rest) <= 6 and not re.search(r"(前|止|起|至)", rest):
                return d
    return None

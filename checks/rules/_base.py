"""Small helpers shared by the checks: building a finding from the disposition table, money
and date wording for explanations, negation windows."""

from __future__ import annotations

import re
from datetime import date

from ..disposition import outcome
from ..finding import Evidence, Finding

RENT_WORDS = r"(租金|承包费|承包款|承包金|使用费|流转费|流转金|固定收益|收益|租赁费|价款|转让款|费用|款项|占用费|管理费|场地费|上交款)"
NEGATORS = re.compile(r"(不得|严禁|禁止|不准|不允许|杜绝|不能|不应|不可|任何个人不得|不予|无需|不需)$")


def make(
    check: str,
    *,
    title: str,
    explanation: str,
    basis: str,
    evidence: list[Evidence | None],
    variant: str | None = None,
    score: float = 1.0,
    details: dict | None = None,
    related: list[dict] | None = None,
) -> Finding:
    """A finding whose disposition and severity come from the one table (disposition.py)."""
    disposition, severity = outcome(check, variant)
    return Finding(
        check=check,
        severity=severity,  # type: ignore[arg-type]
        disposition=disposition,  # type: ignore[arg-type]
        title=title,
        explanation=explanation,
        basis=basis,
        evidence=[e for e in evidence if e is not None and e.text],
        score=round(max(0.0, min(1.0, score)), 3),
        variant=variant,
        details=details or {},
        related=related or [],
    )


def yuan(x: float | None) -> str:
    """12,345.6 元 / 1,234,567 元 — readable money for explanations."""
    if x is None:
        return "（未载明）"
    if abs(x - round(x)) < 0.005:
        return f"{round(x):,}元"
    return f"{x:,.2f}元"


def wan(x: float) -> str:
    if x >= 10000:
        v = x / 10000.0
        return f"{v:,.2f}".rstrip("0").rstrip(".") + "万元"
    return yuan(x)


def ymd(d: date | None) -> str:
    return "（未载明）" if d is None else f"{d.year}年{d.month}月{d.day}日"


def years_text(months: int) -> str:
    if months % 12 == 0:
        return f"{months // 12}年"
    if months > 12:
        return f"{months // 12}年{months % 12}个月"
    return f"{months}个月"


def negated(text: str, pos: int, window: int = 10) -> bool:
    """Is the word at ``pos`` under a prohibition (不得坐收坐支, 严禁现金收取)?"""
    before = text[max(0, pos - window) : pos]
    before = re.split(r"[，,。；;\n]", before)[-1]
    return bool(re.search(r"(不得|严禁|禁止|不准|不允许|杜绝|不能|不应|不可|不予|无需|不需|不以|不采用|不使用)", before))


def conditional(sentence: str) -> bool:
    """A clause that states what happens *if* (…的，甲方有权…) rather than what happened."""
    return bool(re.search(r"(的[，,]|如果|如|若|倘若|一旦|超过[^，,。；]{0,8}的|满[^，,。；]{0,8}的)", sentence))


__all__ = ["RENT_WORDS", "conditional", "make", "negated", "wan", "years_text", "ymd", "yuan"]

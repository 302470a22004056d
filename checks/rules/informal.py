"""Oral arrangements, white slips, and agreements nobody signed or sealed."""

from __future__ import annotations

import re

from .. import register
from ..legal import basis
from ._base import make, years_text, yuan

_BLANK_DATE = re.compile(r"(?:日期|时间)\s*[:：]?\s*(?:[_＿\s]*年[_＿\s]+月[_＿\s]+日|[_＿]{2,})")
_BLANK_DATE_LINE = re.compile(r"^[\s_＿]*年[\s_＿]+月[\s_＿]+日[\s_＿]*(?:订|签订|签)?[\s_＿]*$", re.M)
_SIG_LABEL = re.compile(r"[（(](?:盖章|公章|章|签章|签字|签名|签字或盖章|签字盖章|盖公章|签字、盖章)[)）]")


def _signature_zone(t: str) -> int:
    """Where the signature block starts: after the last numbered clause (or the last 12 lines)."""
    lines = t.rstrip().split("\n")
    start = max(0, len(lines) - 12)
    pos = 0
    offsets = []
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    for i in range(len(lines) - 1, -1, -1):
        if re.match(r"\s*(第[一二三四五六七八九十百\d]+条|[一二三四五六七八九十]+[、，,.．]|\d+(?:\.\d+)*\s*[、.．]|【)", lines[i]):
            start = max(start, i + 1)
            break
    return offsets[min(start, len(lines) - 1)] if lines else 0


def _owner_sig_blank(f) -> tuple[bool, tuple[int, int] | None]:
    """Is the state-side signature / seal line in the signature block left empty?"""
    t = f.text
    zone = _signature_zone(t)
    roles = "|".join(re.escape(r) for r in f.owner_refs)
    blank, span = False, None
    for m in re.finditer(rf"(?:^|\n|\t)[ 　]*(?:{roles})(?:\s*[（(][^）)\n]{{0,10}}[)）])*\s*[:：](?P<rest>[^\n\t]*)", t[zone:]):
        rest = _SIG_LABEL.sub("", m.group("rest")).strip(" 　_＿")
        if not rest:
            blank, span = True, (zone + m.start(), zone + m.end())
        else:
            return False, None
    return blank, span


def _unsigned(f) -> tuple[bool, list]:
    t = f.text
    tail_start = max(0, len(t) - 600)
    tail = t[tail_start:]
    date_blank = _BLANK_DATE.search(tail) or _BLANK_DATE_LINE.search(tail)
    sig_blank, span = _owner_sig_blank(f)
    seal = f.agreement.fields.get("seal_present")
    no_seal = seal is not None and seal.value is False and seal.confidence >= 0.6
    ev = []
    if span:
        ev.append(f.ev_span(*span))
    if date_blank:
        ev.append(f.ev_span(tail_start + date_blank.start(), tail_start + date_blank.end()))
    if date_blank and (sig_blank or no_seal):
        return True, ev
    if sig_blank and no_seal and f.value("signed_date") is None:
        return True, ev
    return False, ev


@register("informal_agreement", needs=("profile",))
def informal_agreement(agreement, ctx):
    f = ctx.facts(agreement)
    law = basis("civil_707")
    if f.kind == "oral_note":
        m = re.search(r"口头(?:约定|同意|协议|承诺|商定|答应|协商)", f.text)
        n = re.search(r"((?:未|没有|不曾|从未)(?:签订|订立|签署|签)(?:过)?(?:任何)?(?:书面|正式)?(?:的)?(?:合同|协议)|仅(?:作|为|有)?口头[^。；，,\n]{0,6})", f.text)
        ev = [f.ev_sentence(m.start())] + ([f.ev_sentence(n.start())] if n and f.sentence_span(n.start()) != f.sentence_span(m.start()) else [])
        parts = []
        if f.months:
            parts.append(f"约定使用{years_text(f.months)}")
        if f.annual_rent:
            parts.append(f"每年{yuan(f.annual_rent)}")
        terms = ("（" + "，".join(parts) + "）") if parts else ""
        return [
            make(
                "informal_agreement",
                variant="oral_note",
                title="口头协议，未签订书面合同",
                explanation=(
                    f"情况说明记载资产交由{f.counterparty or '他人'}使用仅有口头约定{terms}，双方未签订书面合同。"
                    "租期六个月以上的租赁应当采用书面形式；国有（集体）资产的出租、承包须经集体决策、依规签订规范合同，"
                    "杜绝口头协议。确需继续使用的，应履行集体研判、合规性审查、公示等程序后规范补签。"
                ),
                basis=law,
                evidence=ev,
                score=0.95,
                details={"kind": "oral_note"},
            )
        ]
    if f.kind == "white_slip":
        m = re.search(r"(租金|承包费|使用费|流转费)", f.text)
        return [
            make(
                "informal_agreement",
                variant="white_slip",
                title="仅有收款白条，无书面协议",
                explanation=(
                    "该文件仅为收取租金（承包费）的收条（收据），未见约定标的、期限、租金标准和双方权利义务的书面协议，"
                    "属“白条协议”。国有（集体）资产的出租、承包应签订规范的书面合同；确需继续使用的，应履行程序后规范补签。"
                ),
                basis=law,
                evidence=[f.ev_sentence(m.start()) if m else f.ev_span(0, min(len(f.text), 40))],
                score=0.9,
                details={"kind": "white_slip"},
            )
        ]
    if f.kind not in ("main", "supplementary"):
        return []
    side, flavour, parent = f.owner_class
    seal = f.agreement.fields.get("seal_present")
    sealed = seal is not None and seal.value is True
    if flavour == "individual_official" and not sealed:
        return [
            make(
                "informal_agreement",
                variant="unsealed",
                title="协议未加盖单位公章，由个人签字",
                explanation=(
                    f"协议资产方为个人「{f.owner}」，签章处仅有个人签字，未加盖{parent or '村集体'}公章，"
                    "不能证明该协议系单位（集体）的意思表示，属手续不全的非正式协议，应规范补签。"
                ),
                basis=law,
                evidence=[f.ev_field("owner")],
                score=0.85,
                details={"kind": "signed_by_individual"},
            )
        ]
    unsigned, ev = _unsigned(f)
    if unsigned and not sealed:  # a seal on the page: OCR may just not read a handwritten date
        return [
            make(
                "informal_agreement",
                variant="unsigned",
                title="协议未签字盖章、未填签订日期",
                explanation=(
                    "协议签章处空白：资产方未盖章签字，签订日期未填写。未经签字盖章的协议不能证明已依法成立，"
                    "其履行缺乏书面依据；如已实际履行，应履行程序后规范补签。"
                ),
                basis=law,
                evidence=ev,
                score=0.85,
                details={"kind": "unsigned"},
            )
        ]
    return []

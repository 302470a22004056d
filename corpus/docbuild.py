"""Building one agreement's Block list while recording the ground-truth fields.

Every field value is recorded together with the exact text written into a Block
(:meth:`Doc.f` returns that text, so a template writes ``f"甲方：{doc.f('owner', name, name)}"``).
:meth:`Doc.validate` checks that every recorded text is a substring of the plain-text rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extract.agreement import FIELD_NAMES, RENT_PERIODS, TENDER_METHODS

from .facts import Deal, Party
from .money import cn_int, fmt_date
from .render import Block, SealSpec, plain_text


class Doc:
    def __init__(self, deal: Deal):
        self.deal = deal
        self.blocks: list[Block] = []
        self.fields: dict[str, dict | None] = dict.fromkeys(FIELD_NAMES)
        self.seals: list[SealSpec] = []
        self.title = ""
        self.traditional = False

    # ---- fields ------------------------------------------------------------------------
    def f(self, name: str, value: Any, text: str, force: bool = False) -> str:
        """Record field ``name`` (first write wins unless ``force``) and return ``text``."""
        if name not in self.fields:
            raise KeyError(f"unknown field {name!r}; known: {FIELD_NAMES}")
        if self.fields[name] is None or force:
            self.fields[name] = {"value": value, "text": text}
        return text

    # ---- blocks ------------------------------------------------------------------------
    def heading(self, text: str) -> None:
        self.title = self.title or text
        self.blocks.append(Block(text=text, heading=True))

    def p(self, text: str, indent: bool | None = None, align: str | None = None, page_break: bool = False) -> None:
        self.blocks.append(Block(text=text, indent=indent, align=align, page_break_before=page_break))

    def line(self, text: str, align: str | None = None) -> None:
        """A paragraph without first-line indent (party lines, signature lines)."""
        self.blocks.append(Block(text=text, indent=False, align=align))

    def table(self, rows: list[list[str]]) -> None:
        self.blocks.append(Block(table=rows))

    def blank(self) -> None:
        self.blocks.append(Block(text=""))

    def plain(self) -> str:
        return plain_text(self.blocks)

    def validate(self) -> None:
        text = self.plain()
        for name, fv in self.fields.items():
            if fv is None:
                continue
            if fv["text"] and fv["text"] not in text:
                raise AssertionError(f"{self.deal.id} {self.deal.family}: field {name} text {fv['text']!r} not in the text")
        rp = self.fields.get("rent_period")
        if rp and rp["value"] not in RENT_PERIODS:
            raise AssertionError(f"bad rent_period {rp['value']!r}")
        tm = self.fields.get("tender_method")
        if tm and tm["value"] not in TENDER_METHODS:
            raise AssertionError(f"bad tender_method {tm['value']!r}")


# ------------------------------------------------------------------------------------------
# Clause numbering
# ------------------------------------------------------------------------------------------


class Clauses:
    """Numbered clauses in one of several house styles.

    style: tiao (第一条), yi (一、), arabic (1.), arabic_full (1．), paren (（一）), old (一，),
    bracket (【租赁期限】 run-in), runin (租赁期限： run-in, no number), chapter_tiao (第一条 under 第X章).
    ``title_line``: the clause title on a line of its own, the body below it.
    """

    def __init__(self, doc: Doc, style: str, title_line: bool = False, sep: str = "  "):
        self.doc = doc
        self.style = style
        self.title_line = title_line
        self.sep = sep
        self.i = 0

    def label(self, i: int) -> str:
        s = self.style
        if s in ("tiao", "chapter_tiao"):
            return f"第{cn_int(i)}条"
        if s == "yi":
            return f"{cn_int(i)}、"
        if s == "arabic":
            return f"{i}."
        if s == "arabic_full":
            return f"{i}．"
        if s == "paren":
            return f"（{cn_int(i)}）"
        if s == "old":
            return f"{cn_int(i)}，"
        return ""

    def add(self, title: str, body: str | list[str]) -> None:
        self.i += 1
        bodies = [body] if isinstance(body, str) else [b for b in body if b]
        lab = self.label(self.i)
        s = self.style
        if s == "bracket":
            head = f"【{title}】"
        elif s == "runin":
            head = f"{title}："
        elif s in ("tiao", "chapter_tiao"):
            head = f"{lab}{self.sep}{title}" + ("" if self.title_line else "。")
        elif s == "old":
            head = f"{lab}　{title}"
        elif s in ("yi", "paren", "arabic", "arabic_full"):
            head = f"{lab}{title}" + ("" if self.title_line else "。")
        else:
            head = title
        if self.title_line or s == "old":
            self.doc.line(head)
            for b in bodies:
                self.doc.p(b)
        else:
            first, rest = (bodies[0], bodies[1:]) if bodies else ("", [])
            self.doc.p(head + first)
            for b in rest:
                self.doc.p(b)

    def untitled(self, body: str) -> None:
        """A numbered clause without a title (八、本合同一式三份…)."""
        self.i += 1
        lab = self.label(self.i)
        if self.style in ("bracket", "runin"):
            self.doc.p(body)
        elif self.style in ("tiao", "chapter_tiao"):
            self.doc.p(f"{lab}{self.sep}{body}")
        elif self.style == "old":
            self.doc.p(f"{lab}　{body}")
        else:
            self.doc.p(f"{lab}{body}")


# ------------------------------------------------------------------------------------------
# Party and signature blocks
# ------------------------------------------------------------------------------------------


@dataclass
class Roles:
    """How a family names the two sides."""

    owner_full: str  # 出租方（甲方）
    cp_full: str  # 承租方（乙方）
    owner: str  # 甲方 (used in clauses)
    cp: str  # 乙方


def cp_id_line(p: Party) -> str:
    if p.kind == "individual":
        return f"身份证号码：{p.code}"
    return f"统一社会信用代码：{p.code}"


def party_lines(doc: Doc, roles: Roles, style: str = "labeled") -> None:
    d = doc.deal
    o, c = d.owner, d.counterparty
    owner_txt = doc.f("owner", o.name, o.name)
    cp_txt = doc.f("counterparty", c.name, c.name)
    if style == "labeled":
        doc.line(f"{roles.owner_full}：{owner_txt}")
        if o.address:
            doc.line(f"地址：{o.address}")
        if o.rep:
            doc.line(f"{o.rep_title}：{o.rep}")
        doc.line(f"{roles.cp_full}：{cp_txt}")
        doc.line(cp_id_line(c))
        if c.kind == "individual":
            doc.line(f"住址：{c.address}    联系电话：{c.phone}")
        else:
            doc.line(f"{c.rep_title}：{c.rep}    联系电话：{c.phone}")
    elif style == "simple":
        doc.line(f"{roles.owner_full}：{owner_txt}（以下简称{roles.owner}）")
        doc.line(f"{roles.cp_full}：{cp_txt}（以下简称{roles.cp}）")
        if c.kind == "individual":
            doc.line(f"{roles.cp}身份证号：{c.code}    电话：{c.phone}")
        else:
            doc.line(f"{roles.cp}{c.rep_title}：{c.rep}    电话：{c.phone}")
    elif style == "compact":
        doc.line(f"{roles.owner_full}：{owner_txt}    {o.rep_title}：{o.rep}")
        if c.kind == "individual":
            doc.line(f"{roles.cp_full}：{cp_txt}    身份证号：{c.code}")
        else:
            doc.line(f"{roles.cp_full}：{cp_txt}    {c.rep_title}：{c.rep}")
            doc.line(f"统一社会信用代码：{c.code}")
        doc.line(f"联系电话：{c.phone}")
    elif style == "table":
        rows = [
            ["", roles.owner_full, roles.cp_full],
            ["名称（姓名）", owner_txt, cp_txt],
            ["地址", o.address, c.address],
            ["法定代表人/负责人", o.rep, c.rep if c.kind != "individual" else "—"],
            ["证件号码", "", c.code],
            ["联系电话", "", c.phone],
        ]
        doc.table(rows)
    else:
        raise ValueError(style)


def sign_block(
    doc: Doc,
    roles: Roles,
    style: str,
    date_style: str,
    cp_seal: bool = False,
) -> None:
    """Signature block; records signed_date and seal_present and stamps the owner's seal."""
    d = doc.deal
    o, c = d.owner, d.counterparty
    informal = d.unsigned  # unsigned copies have a blank signature block (and no seal)
    person = d.signer == "individual_official"  # one official signing alone: a signature, no seal
    mark = "签字" if person else "盖章"
    date_txt = "" if informal or d.signed is None else fmt_date(d.signed, date_style)
    if date_txt:
        doc.f("signed_date", d.signed.isoformat(), date_txt)
    doc.f("seal_present", bool(d.sealed and not d.unsigned), "")
    oname = "" if informal else o.name
    cname = "" if informal else c.name
    blank_date = "        年    月    日"
    anchor = None
    doc.blank()
    if style == "stack":
        anchor = f"{roles.owner}（盖章）"
        doc.line(f"{roles.owner}（{mark}）：{oname}")
        if not person:
            doc.line(f"{o.rep_title}或委托代理人（签字）：")
        if c.kind == "individual":
            doc.line(f"{roles.cp}（签字）：{cname}")
        else:
            doc.line(f"{roles.cp}（盖章）：{cname}")
            doc.line(f"{c.rep_title}（签字）：")
        doc.line(f"签订日期：{date_txt or blank_date}")
    elif style == "tabs":
        anchor = f"{roles.owner}（盖章）"
        doc.line(f"{roles.owner}（{mark}）：{oname}\t{roles.cp}（{'签字' if c.kind == 'individual' else '盖章'}）：{cname}")
        doc.blank()
        doc.line(f"{o.rep_title}（签字）：\t{'身份证号：' + c.code if c.kind == 'individual' and not informal else c.rep_title + '（签字）：'}")
        doc.blank()
        doc.line(f"签约时间：{date_txt or blank_date}\t签约时间：{date_txt or blank_date}")
    elif style == "under":
        anchor = f"{roles.owner_full}：{oname}（公章）"
        doc.line(f"{roles.owner_full}：{oname}（{'签字' if person else '公章'}）" if oname else f"{roles.owner_full}：")
        doc.line(f"负责人：{'' if informal else o.rep}")
        doc.blank()
        doc.line(f"{roles.cp_full}：{cname}" + ("（盖章）" if cname and c.kind != "individual" else ""))
        doc.line(f"{'委托代理人' if c.kind != 'individual' else '联系电话'}：{'' if informal or c.kind != 'individual' else c.phone}")
        doc.blank()
        doc.line(date_txt or blank_date, align="right")
    elif style == "old":
        anchor = f"{roles.owner}：{oname}（公章）"
        doc.line(f"{roles.owner}：{oname}（{'签字' if person else '公章'}）" if oname else f"{roles.owner}：（公章）")
        doc.line(f"代表人：{'' if informal else o.rep}")
        doc.line(f"{roles.cp}：{cname}（盖章）" if cname else f"{roles.cp}：（盖章）")
        doc.line((date_txt + "订") if date_txt else blank_date + "订")
    elif style == "rep_sig":
        anchor = f"{roles.owner}（章）"
        doc.line(f"{roles.owner}（{'签字' if person else '章'}）：{oname}\t{roles.cp}（章）：{cname}")
        doc.line(f"{roles.owner}代表（签字）：\t{roles.cp}代表（签字）：")
        doc.line(f"签约地点：{d.place.township}人民政府会议室")
        doc.line(f"签约时间：{date_txt or blank_date}")
    else:
        raise ValueError(style)
    if d.sealed and not d.unsigned:
        doc.seals.append(SealSpec(text=o.seal or o.name, anchor=anchor or "盖章"))
        if cp_seal and c.kind != "individual" and style in ("tabs", "rep_sig"):
            doc.seals.append(SealSpec(text=c.seal or c.name, anchor=f"{roles.cp}（", subtitle="合同专用章"))


# ------------------------------------------------------------------------------------------
# Traditional characters
# ------------------------------------------------------------------------------------------

_S2T = None


def _s2t(text: str) -> str:
    """Simplified → traditional with OpenCC's phrase tables (``opencc-python-reimplemented``)."""
    global _S2T
    if _S2T is None:
        from opencc import OpenCC

        _S2T = OpenCC("s2t")
    out = _S2T.convert(text)
    # the phrase tables may change a length; the labels quote the text by position, so fall back
    # to character-by-character conversion for such a text
    if len(out) != len(text):
        out = "".join(c if len(t := _S2T.convert(c)) != 1 else t for c in text)
    return out


def to_traditional(doc: Doc) -> None:
    """Write the whole document in traditional characters.  Every recorded field keeps its
    (simplified) value and quotes the converted text at the same place; seals are converted too."""
    before = doc.plain()
    spans = {}
    for name, fv in doc.fields.items():
        if fv and fv["text"]:
            at = before.find(fv["text"])
            if at < 0:
                raise AssertionError(f"{doc.deal.id}: field {name} text not in the document")
            spans[name] = (at, at + len(fv["text"]))
    for b in doc.blocks:
        if b.table:
            b.table = [[_s2t(c) for c in row] for row in b.table]
        else:
            b.text = _s2t(b.text)
    after = doc.plain()
    if len(after) != len(before):  # pragma: no cover - _s2t keeps lengths
        raise AssertionError(f"{doc.deal.id}: traditional conversion changed the length")
    for name, (a, e) in spans.items():
        doc.fields[name] = {"value": doc.fields[name]["value"], "text": after[a:e]}
    for seal in doc.seals:
        seal.text = _s2t(seal.text)
        if seal.anchor:
            seal.anchor = _s2t(seal.anchor)
    doc.title = _s2t(doc.title)
    doc.traditional = True


__all__ = ["Clauses", "Doc", "Roles", "cp_id_line", "party_lines", "sign_block", "to_traditional"]

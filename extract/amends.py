"""``amends``: the main agreement a supplementary agreement (补充协议 / 变更协议) amends — its title,
date and parties as written."""

from __future__ import annotations

import re

from .context import Context
from .normalize import find_dates

_SUPPLEMENT = re.compile(r"(补充协议|变更协议|补充合同|变更合同|协议变更|合同变更|续签协议|延期协议)")
_TITLE = [
    re.compile(r"原(?:合同|协议)(?:名称)?\s*[:：为]?\s*《(?P<title>[^》]{2,40})》"),
    re.compile(r"(?:双方|甲乙双方)?(?:于|在)?[^。\n]{0,30}?(?:签订|签署|订立)的\s*《(?P<title>[^》]{2,40})》"),
    re.compile(r"《(?P<title>[^》]{2,40}(?:合同|协议|协议书|合同书))》"),
]
_DATE_CTX = re.compile(r"(原(?:合同|协议)签订(?:日期|时间)|签订于|于|签订的)")


def extract_amends(ctx: Context) -> dict | None:
    text = ctx.raw
    head = "\n".join(text.split("\n")[:3])
    if not _SUPPLEMENT.search(head):
        return None
    out: dict = {"title": None, "date": None, "date_iso": None, "parties": []}
    for pattern in _TITLE:
        m = pattern.search(text)
        if m and not re.search(r"(民法典|法$|条例|办法|规定)", m.group("title")):
            out["title"] = m.group("title")
            break
    for d in find_dates(text):
        window = text[max(0, d.start - 14) : d.start]
        if _DATE_CTX.search(window) and ("原" in window or "签订" in window):
            out["date"], out["date_iso"] = d.text, str(d.value)
            break
    owner, counter = ctx.fields.get("owner"), ctx.fields.get("counterparty")
    out["parties"] = [p.value for p in (owner, counter) if p is not None]
    return out

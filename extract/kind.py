"""``document_kind``: what sort of document this is, and how much of an agreement it holds.

Townships hand in more than agreements: listing and tender notices (招租公告, 交易公告, 通知),
court judgments that quote an agreement (民事判决书), minutes of a villagers' meeting (会议记录),
news and inspection stories (记者, 巡察), notes of an oral arrangement, receipts (白条). The checks
judge an agreement's clauses only on an agreement, and only on one complete enough to judge.

Kinds:

* ``main`` — an agreement; ``supplementary`` — one that amends another (``amends``);
* ``oral_note`` — a note recording an oral arrangement; ``white_slip`` — a receipt;
* ``notice`` — a listing / tender notice or an administrative notice;
* ``judgment`` — a court judgment or ruling; ``minutes`` — a meeting record or resolution;
* ``news`` — a news, inspection or case story that tells of an agreement.

The decision is structural: the words a kind of document is made of (a court's 本院 / 原告 /
判决如下, a meeting's 参会人员 / 形成如下决议, a notice's 公告如下 / 报名 / 保证金, a story's
记者 / 据了解), weighed against the shape of an agreement (party lines, numbered clauses, a
signature block). A document shaped like an agreement stays an agreement unless its title says
otherwise.

``structure`` records that shape (parties, term or rent, signature or date, numbered clauses)
and whether the document is complete enough for its clauses to be judged.
"""

from __future__ import annotations

import re

from .context import Context

KINDS: tuple[str, ...] = ("main", "supplementary", "oral_note", "white_slip", "notice", "judgment", "minutes", "news")
#: kinds that are agreements (or record one) rather than documents about one
AGREEMENT_KINDS: tuple[str, ...] = ("main", "supplementary", "oral_note", "white_slip")

# -- the shape of an agreement ------------------------------------------------------------------
_PARTY_ROLE = (
    r"(?:甲方|乙方|丙方|出租方|出租人|承租方|承租人|发包方|发包人|承包方|承包人|出借方|借用方|转让方|受让方|"
    r"委托单位|护林单位|保证人|贷款人|借款人|抵押人|抵押权人|合作方|投资方|流出方|流入方|出让方|出让人|受让人|"
    r"出租柜台方|承租柜台方|担保方)"
)
_PARTY_LINE = re.compile(rf"(?m)^[ \t　]*{_PARTY_ROLE}[^\n，。；]{{0,14}}?[:：]\s*\S")
_PARTY_ALIAS = re.compile(r"(?:以下简称|下称|简称)\s*[“\"]?(?:甲方|乙方|丙方|出租方|承租方|发包方|承包方)")
_TITLE = re.compile(r"(合同|协议|协议书|合同书|契约|承诺书)[（(]?[一二三四五六七八九十\d]?[)）]?\s*$")
# a signature line's words (not 本合同自双方签字之日起生效 inside a clause)
_SIGN_WORDS = re.compile(r"(盖章|签章|公章|签名|手印|捺印|[（(]\s*签字|签字\s*[)）:：]|[（(]章[)）])")
_SIGN_DATE = re.compile(r"((?:19|20)\d{2}|[一二三四五六七八九〇零○]{4})\s*[年.．/-]\s*[\d一二三四五六七八九十〇零○]{1,2}\s*[月.．/-]\s*[\d一二三四五六七八九十〇零○]{1,3}\s*日?\s*(?:订|签订|签)?\s*$")
_CLAUSE_HEAD = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]{1,4}条|[一二三四五六七八九十]{1,3}[、.．，,]|\d{1,2}\s*[、.．](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）]|[\u2488-\u249b\u2460-\u2473])"
)
# a clause under a bracketed or run-in heading: 【租金】… / 租赁期限：租赁期限为三年…
_CLAUSE_LABELLED = re.compile(r"^\s*(?:【[^】\n]{2,12}】|[\u4e00-\u9fa5]{2,8}[:：](?=[^\n]{8,}))")
_NOT_CLAUSE_LABEL = re.compile(rf"^\s*(?:{_PARTY_ROLE}|签订|签约|日期|地址|住所|电话|联系|法定代表人|负责人|代表人|委托代理人|开户|帐号|账号|身份证|名称)")
# a party named in running text (PDF text without line breaks): 甲方(承租方):…乙方:…
_PARTY_INLINE = re.compile(rf"{_PARTY_ROLE}\s*(?:[（(][^）)\n]{{0,8}}[)）])?\s*[:：]")

# -- the words other kinds of document are made of --------------------------------------------
_JUDGMENT_TITLE = re.compile(r"(判决书|裁定书|调解书|裁判文书|民事判决|行政判决|刑事判决)")
_JUDGMENT_WORDS = (
    r"本院", r"人民法院", r"原告", r"被告", r"上诉人", r"被上诉人", r"诉称", r"辩称", r"判决如下", r"裁定如下",
    r"审理终结", r"审理经过", r"纠纷一案", r"诉讼请求", r"本案", r"审判员", r"原审", r"一审", r"二审",
)
_MINUTES_TITLE = re.compile(r"(会议记录|会议纪要|会议决议|决议书|会议记要|会议记录表)")
_MINUTES_WORDS = (
    r"参会人员", r"参加人员", r"出席人员", r"列席人员", r"应到", r"实到", r"主持人", r"记录人", r"与会", r"会议议题",
    r"会议内容", r"形成如下决议", r"形成决议", r"一致同意", r"表决结果", r"举手表决", r"会议决定", r"参会人", r"发言",
)
_NOTICE_TITLE = re.compile(r"(公告|通告|通知|公示|告示|启事|招租|招标|拍卖|挂牌|竞拍|交易信息|项目信息)\s*[:：]?\s*$|^(公告|通知|通告)")
_NOTICE_WORDS = (
    r"公告如下", r"通知如下", r"特此公告", r"特此通知", r"现将有关事项", r"现就有关事项", r"报名", r"竞买人", r"竞租人",
    r"意向承租方", r"投标人", r"保证金缴纳", r"交易保证金", r"投标保证金", r"竞价保证金", r"截止时间", r"交易底价",
    r"挂牌价", r"起拍价", r"标的编号", r"资格条件", r"联系方式", r"交易方式", r"开标", r"各村委会", r"各村",
)
_NEWS_TITLE = re.compile(r"^(案例|案情|典型案例|案例分析|新闻|通报|微故事)|(微故事|案例)\s*[|｜]")
_NEWS_WORDS = (
    r"记者", r"通讯员", r"新闻网", r"日报", r"晚报", r"报道", r"编辑", r"来源[:：]", r"纪委", r"监委", r"纪检",
    r"巡察", r"检查组", r"专项治理", r"据了解", r"日前", r"近日", r"近期", r"村民反映", r"举报", r"案例", r"案件",
    r"告诉", r"说道", r"介绍", r"线索", r"群众", r"记者了解", r"诉讼", r"争议", r"纠纷", r"律师",
    # an agreement told of in the third person: 与X签订的《…合同》
    r"签订的\s*《[^》]{2,30}(?:合同|协议)》|签订了[^。；\n]{0,20}(?:合同|协议)",
)

# -- notes and receipts (moved from checks.facts) ----------------------------------------------
_ORAL = re.compile(r"口头(?:约定|同意|协议|承诺|商定|答应|协商)")
_NO_WRITING = re.compile(r"((?:未|没有|不曾|从未)(?:签订|订立|签署|签)(?:过)?(?:任何)?(?:书面|正式)?(?:的)?(?:合同|协议)|仅(?:作|为|有)?口头|只有口头|仅凭口头)")
_RECEIPT_HEAD = re.compile(r"^\s*(收条|收据|收到条|收款收据|收款凭证|收款条|今收到|兹收到|借条|欠条|白条)")
_CONTRACT_SHAPE = re.compile(r"(第[一二三四五六七八九十\d]+条|甲方[（(：:]|乙方[（(：:]|出租方[：:（(]|承租方[：:（(]|发包方[：:（(])")


def _count(words: tuple[str, ...], text: str) -> int:
    return sum(1 for w in words if re.search(w, text))


def _head_lines(text: str, n: int = 4) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()][:n]


def structure(ctx: Context) -> dict:
    """The shape of the document: the parties, a term or a rent, a signature or signing date, the
    numbered clauses — and whether it is complete enough for its clauses to be judged (all four:
    an excerpt, a notice or a story that lacks any of them is not)."""
    text = ctx.raw
    fields = ctx.fields
    lines = [line for line in text.split("\n") if line.strip()]
    heads = [
        i for i, line in enumerate(lines)
        if _CLAUSE_HEAD.match(line) or (_CLAUSE_LABELLED.match(line) and not _NOT_CLAUSE_LABEL.match(line))
    ]
    # the signature block: whatever follows the last numbered clause (a table appended after the
    # signatures stays in it), else the last lines
    zone = lines[heads[-1] + 1 :] if heads else lines[-15:]
    party_lines = len(_PARTY_LINE.findall(text)) + len(_PARTY_ALIAS.findall(text))
    inline = len(_PARTY_INLINE.findall(text[:600]))
    parties = party_lines >= 1 or inline >= 2 or fields.get("owner") is not None and fields.get("counterparty") is not None
    term_or_rent = any(
        fields.get(n) is not None
        for n in ("term_start", "term_end", "term_months", "rent_amount_yuan", "annual_rent_yuan", "deposit_yuan")
    ) or bool(re.search(r"\d\s*(?:万?元|万元)|[壹贰叁肆伍陆柒捌玖拾佰仟万]{2,}\s*元", text))
    # a signature block, filled or left blank: (盖章) / 签字, a date under the signatures, the
    # parties' labels again (出租方（甲方）：), an empty date line (    年  月  日)
    sign_block = any(
        _SIGN_WORDS.search(line) or _SIGN_DATE.search(line.strip()) or _PARTY_LINE.match(line)
        or re.search(r"年\s+月\s+日", line)
        for line in zone
    )
    signature = sign_block or fields.get("signed_date") is not None
    numbered = len(heads)
    complete = bool(parties and term_or_rent and signature and numbered >= 3)
    return {
        "parties": bool(parties),
        "party_lines": party_lines,
        "inline_parties": inline,
        "term_or_rent": term_or_rent,
        "signature": bool(signature),
        "signature_block": bool(sign_block),
        "numbered_clauses": numbered,
        "complete": complete,
        # what the agreement grants, as its title and opening say: a grant of state land-use
        # rights (土地使用权出让, not a lease); rural land-management rights let out under
        # 农村土地承包法 (承包经营权 / 土地经营权 出租、流转)
        "land_use_grant": _land_use_grant(text),
        "rural_land_rights": bool(re.search(r"(土地承包经营权|土地经营权|承包地|承包土地|农村土地承包法|土地流转|流转土地|林地|草地|草原|山林)", text)),
    }


def _land_use_grant(text: str) -> bool:
    """A grant of state land-use rights, as its title says (国有建设用地使用权出让合同), or a land-use
    contract (土地使用合同) whose opening grants the right (土地使用权…出让给)."""
    title = next((line.strip() for line in text.split("\n") if line.strip()), "")[:60]
    if re.search(r"(土地|用地)", title) and re.search(r"出让", title):
        return True
    return bool(re.search(r"土地使用(?:权)?(?:出让)?合同", title)) and bool(
        re.search(r"土地使用权[^。；;\n]{0,40}出让|出让[^。；;\n]{0,10}土地使用权", text[:1500])
    )


def _agreement_shape(text: str, shape: dict) -> bool:
    """Shaped like an agreement: labelled parties and numbered clauses or a signature block, or a
    title naming a contract."""
    head = _head_lines(text, 3)
    titled = any(_TITLE.search(line) and len(line) <= 30 and "《" not in line for line in head)
    head_text = text[:200]
    inline_title = bool(re.search(r"(合同|协议|协议书|合同书)\s*(?:甲方|出租方|发包方|出让方|转让方)", head_text))
    return (
        (shape["party_lines"] >= 2 and (shape["numbered_clauses"] >= 3 or shape["signature_block"]))
        or (titled and (shape["party_lines"] >= 1 or shape["inline_parties"] >= 2))
        or (inline_title and shape["inline_parties"] >= 2)
    )


def classify_kind(ctx: Context, amends: dict | None = None, shape: dict | None = None) -> str:
    """One of :data:`KINDS` (see the module docstring)."""
    text = ctx.raw
    shape = shape or structure(ctx)
    head = "\n".join(_head_lines(text, 4))
    agreement_like = _agreement_shape(text, shape)

    judgment = _count(_JUDGMENT_WORDS, text)
    if _JUDGMENT_TITLE.search(head) or (not agreement_like and judgment >= 4 and re.search(r"(本院|人民法院|诉称|纠纷一案)", text)):
        return "judgment"
    minutes = _count(_MINUTES_WORDS, text)
    if any(_MINUTES_TITLE.search(line) and len(line) <= 30 for line in _head_lines(text, 3)) and not agreement_like:
        return "minutes"
    if not agreement_like and minutes >= 2 and re.search(r"(会议|大会|决议)", text):
        return "minutes"
    notice = _count(_NOTICE_WORDS, text)
    notice_title = any(_NOTICE_TITLE.search(line) and len(line) <= 40 for line in _head_lines(text, 4))
    if not agreement_like and (notice_title or notice >= 3 or re.search(r"(公告如下|通知如下|特此公告|特此通知)", text)):
        return "notice"
    if amends is not None:
        return "supplementary"
    if _ORAL.search(text) and _NO_WRITING.search(text):
        return "oral_note"
    first_two = "\n".join(text.split("\n")[:2])
    if _RECEIPT_HEAD.search(first_two) and not _CONTRACT_SHAPE.search(text):
        return "white_slip"
    if re.search(r"^\s*(今收到|兹收到)", text, re.M) and len(text) < 400 and not _CONTRACT_SHAPE.search(text):
        return "white_slip"
    # nothing of an agreement at all (no party named by role, no signature, no numbered clauses):
    # two of a story's words decide; otherwise three
    bare = shape["party_lines"] == 0 and shape["inline_parties"] == 0 and not shape["signature_block"] and shape["numbered_clauses"] < 3
    if not agreement_like and (any(_NEWS_TITLE.search(line) for line in _head_lines(text, 2)) or (
        shape["party_lines"] == 0 and _count(_NEWS_WORDS, text) >= (2 if bare else 3)
    )):
        return "news"
    return "main"


def extract_kind(ctx: Context, amends: dict | None = None) -> tuple[str, dict]:
    """(kind, structure) of the document in ``ctx`` (fields already extracted)."""
    shape = structure(ctx)
    return classify_kind(ctx, amends, shape), shape


__all__ = ["AGREEMENT_KINDS", "KINDS", "classify_kind", "extract_kind", "structure"]

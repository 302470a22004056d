"""How the agreement came about: collective decision, public tender, authority to sign."""

from __future__ import annotations

import re

from .. import register
from ..legal import basis
from ._base import make, wan, yuan

# -- no_collective_decision ---------------------------------------------------------------------

_DECISION_WORDS = (
    r"(研究|讨论|集体|会议|决策|表决|党委|党组|班子|村民代表|村民会议|四议两公开|民主程序|办公会|局务会|院务会|"
    r"校务会|两委|党支部|上会|议定|决议)"
)
_NEG_DECISION = re.compile(
    rf"(未经过?|未提交|未提请|没有经过|没有经|没有召开|没有提交|未召开|未履行|不经|未按|未进行|始终没有|从未|未曾|未上会|未形成)"
    rf"[^。；;\n]{{0,25}}?{_DECISION_WORDS}"
)
_INDIVIDUAL_DECIDED = re.compile(r"由[^。；;\n，,]{1,12}(个人决定|一人决定|签字同意|直接签订|拍板)")
# what a village-collective decision must be taken by (村民委员会组织法 24; 四议两公开)
# (a production team's or villager group's own members decide for it: 社员大会, 户主大会, 全体社员,
# 群众代表会议, 村民小组会议)
_VILLAGE_ASSEMBLY = re.compile(
    r"(村民代表|村民会议|村民大会|成员大会|成员代表|户代表|户主|股东代表大会|社员|群众代表|群众大会|群众会议|村民小组会议|小组会议|组民|"
    r"全体村民|全体成员|四议两公开|三分之二|2/3)"
)


# a decision phrase the extractor may not know (经馆务会研究决定 / 依据…校务会会议纪要)
_DECISION_FALLBACK = re.compile(
    r"(?:经|依据|根据|按照)[^。；;\n，,]{0,25}?(?:(?<!委员)会议?|大会|党委|党组|班子|两委)[^。；;\n]{0,12}?(?:研究|决定|同意|通过|纪要|决议|审议|表决)"
)


def decision_phrase(f):
    """The collective decision the text records: the extracted field, else a phrase found here."""
    fv = f.field("collective_decision")
    if fv is not None:
        return fv.value, fv.text, f.find_quote(fv.text)
    for m in _DECISION_FALLBACK.finditer(f.text):
        before = f.text[max(0, m.start() - 4) : m.start()]
        if re.search(r"(未|没有|不)$", before):
            continue
        return m.group(0), m.group(0), m.start()
    return None


def _negation(f) -> re.Match | None:
    for m in _NEG_DECISION.finditer(f.text):
        s0, s1 = f.sentence_span(m.start())
        rest = f.text[m.end() : min(s1, m.end() + 12)]
        if re.match(r"[^，,。；]{0,10}的[，,]", rest):
            continue  # 未经村民代表会议讨论通过的，本合同无效: a rule, not a fact
        return m
    return None


@register("no_collective_decision", needs=("profile",))
def no_collective_decision(agreement, ctx):
    f = ctx.facts(agreement)
    if f.kind in ("white_slip", "minutes"):
        return []  # a receipt says nothing of procedure; meeting minutes are the decision itself
    village = f.is_collective
    who = f.owner or ("村集体" if village else "国有资产使用单位")
    if village:
        need = "村民会议或村民代表会议讨论决定（“四议两公开”）"
        law = basis("village_24", "civil_261", *(["land_contracting_52"] if f.type == "contracting" else []))
    else:
        need = "单位领导班子集体研究决策（党委会、党组会、班子会等）"
        law = basis("reg_9", "reg_19", "reg_53_1")
    neg = _negation(f)
    if neg is not None:
        ev = f.ev_sentence(neg.start())
        return [
            make(
                "no_collective_decision",
                variant="negated",
                title="未经集体决策签订",
                explanation=f"协议明确记载「{ev.text}」。{who}的资产出租、承包等事项应经{need}，本协议未履行集体决策程序，应补充集体研究后规范补签。",
                basis=law,
                evidence=[ev],
                score=0.95,
                details={"found": "negated"},
            )
        ]
    if f.kind == "oral_note" or not f.is_agreement:
        # a note says only what happened (no decision stated is subsumed by re-signing); a notice,
        # a judgment or a story does not recite the procedure — only a stated absence counts there
        return []
    if f.type not in ("lease", "lending", "contracting", "cooperation", "transfer", "guarantee"):
        return []  # not recognisably an agreement over an asset: nothing to expect
    decided = decision_phrase(f)
    if decided is None:
        ind = _INDIVIDUAL_DECIDED.search(f.text)
        ev = [f.ev_sentence(ind.start())] if ind else [f.ev_field("owner") or f.ev_span(0, len(f.text.split("\n", 1)[0]))]
        return [
            make(
                "no_collective_decision",
                variant="absent",
                title="未见集体决策记录",
                explanation=(
                    f"协议未记载经{need}的情况（未见会议名称、日期或决议），"
                    f"无法证明{who}签订本协议前履行了集体决策程序；应补充会议纪要或决议，否则按未经集体决策处理并规范补签。"
                ),
                basis=law,
                evidence=ev,
                # inferred from silence (many agreements do not recite their decision): weaker
                # evidence than a text saying it was not taken (0.95) — unless someone decided alone
                score=0.85 if ind else 0.6,
                details={"found": "absent"},
            )
        ]
    value, quoted, pos = decided
    if village and not _VILLAGE_ASSEMBLY.search(str(value)) and not _VILLAGE_ASSEMBLY.search(f.text):
        ev = f.ev_span(pos, pos + len(quoted)) if pos >= 0 else f.ev_field("collective_decision")
        return [
            make(
                "no_collective_decision",
                variant="insufficient",
                title="村集体资产处置未经村民会议或村民代表会议决定",
                explanation=(
                    f"协议记载「{quoted}」，但村集体资产的出租、发包等事项应由村民会议或村民代表会议讨论决定，"
                    "仅有村“两委”或党支部研究不足以代替；应补充村民（代表）会议决议并公示。"
                ),
                basis=law,
                evidence=[ev],
                score=0.6,
                details={"found": "insufficient", "decision": value},
            )
        ]
    return []


# -- no_public_tender ----------------------------------------------------------------------------

_METHOD_ZH = {
    "public_tender": "公开招租（招标）",
    "auction": "拍卖",
    "listing": "挂牌",
    "competitive": "竞价（竞争性谈判）",
    "direct": "双方协商直接签订",
}
_TYPE_ZH = {"lease": "出租", "contracting": "发包", "cooperation": "合作开发", "transfer": "转让", "lending": "出借"}


def value_text(f) -> str:
    if f.type == "transfer":
        return f"转让价款{yuan(f.total_value())}"
    parts = [f"年租金（收益）{yuan(f.annual_rent)}"]
    if f.months:
        parts.append(f"期限{f.months // 12}年" + (f"{f.months % 12}个月" if f.months % 12 else ""))
    if f.escalation:
        parts.append(f"每{f.escalation[0]}年递增{f.escalation[1] * 100:g}%")
    return "，".join(parts) + f"，合同总额约{wan(f.total_value() or 0)}"


@register("no_public_tender", needs=("profile",))
def no_public_tender(agreement, ctx):
    f = ctx.facts(agreement)
    p = ctx.profile.tender
    if f.kind != "main" or f.type not in p.types:
        return []
    value = f.total_value()
    always = f.type in p.always_required_for
    if value is None and not always:
        return []
    if not always and value < p.required_above_total_yuan:
        return []  # exempt by value: a direct agreement is allowed
    fv = f.field("tender_method")
    method = fv.value if fv is not None else None
    if method in p.accepted_methods:
        return []
    renewal = fv is not None and "续" in (fv.text or "")
    rent_fv = f.field("annual_rent_yuan") or f.field("rent_amount_yuan")
    rent_pos = f.find_quote(rent_fv.text) if rent_fv is not None else -1
    rent_ev = f.ev_sentence(rent_pos) if rent_pos >= 0 else f.ev_field("counterparty")
    if fv is not None and method == "direct":
        pos = f.find_quote(fv.text)
        if renewal:
            how = "系原合同期满后直接续租（续租同样应重新公开招租）"
        else:
            how = "系双方协商直接签订，未经公开竞争程序"
        ev = [f.ev_sentence(pos) if pos >= 0 else f.ev_field("tender_method"), rent_ev]
    else:
        how = "未载明通过公开招租、拍卖、挂牌或竞价等方式确定承租（受让）方"
        ev = [rent_ev, f.ev_field("term_months") or f.ev_field("term_end")]
    threshold = p.required_above_total_yuan
    if always:
        why = f"国有（集体）资产{_TYPE_ZH.get(f.type, '处置')}应当评估并通过产权交易机构或公共资源交易平台公开进行"
        law = basis("reg_36", "reg_54_1", local=ctx.profile.local("tender_threshold"))
    else:
        why = f"合同总额达到本辖区须公开招租的标准（{wan(threshold)}）"
        law = basis("reg_36", local=ctx.profile.local("tender_threshold"))
    return [
        make(
            "no_public_tender",
            variant="renewal" if renewal else ("direct" if method == "direct" else "not_stated"),
            title="未按规定公开招租（招标、拍卖、挂牌）",
            explanation=f"{value_text(f)}；{why}，但本协议{how}。应重新履行公开程序后规范补签。",
            basis=law,
            evidence=ev,
            score=0.9 if method == "direct" else 0.8,
            details={"total_value": value, "method": method, "threshold": threshold},
        )
    ]


# -- over_authority ------------------------------------------------------------------------------

_APPROVAL_BODY = re.compile(
    r"(?:报经?|报请|经|并经|已报|已经|报送|由|取得|获得|得到)\s*(?P<body>[\u4e00-\u9fa5]{2,30}?(?:人民政府|政府|财政局|财政所|财政厅|国资委|国有资产监督管理委员会|领导小组|管理局|局|委员会|办公室|中心))"
    r"\s*(?:的|之)?\s*(?:《[^》]{0,60}》)?\s*[（(]?[^。；;\n]{0,20}?(?:审批同意|批准|批复|审批|同意|核准)"
)


def approvals(f, profile) -> list[tuple[str, int, int]]:
    """Approving bodies cited in the text: (body, level, position)."""
    out = []
    fv = f.field("approval_body")
    if fv is not None:
        pos = f.find_quote(fv.text)
        out.append((str(fv.value), profile.approval.level_of(str(fv.value)), pos))
    for m in _APPROVAL_BODY.finditer(f.text):
        body = re.sub(r"^(已|并|报|经|由|再)+", "", m.group("body"))
        if re.search(r"(会议|党委会|班子|村民代表|两委|办公会)$", body):
            continue
        out.append((body, profile.approval.level_of(body), m.start("body")))
    return out


@register("over_authority", needs=("profile",))
def over_authority(agreement, ctx):
    f = ctx.facts(agreement)
    if f.is_informal_kind or not f.is_agreement:
        return []
    side, flavour, parent = f.owner_class
    if flavour in ("internal_office", "individual_official"):
        owner_ev = f.ev_field("owner")
        if flavour == "internal_office":
            title = "由不具有主体资格的内设机构签订"
            expl = (
                f"协议的资产方（出租、发包方）为「{f.owner}」，系{parent}的内设机构，不具有独立对外签订合同、处置国有资产的主体资格；"
                f"国有资产的出租、出借须由{parent}经集体决策和审批程序后以单位名义签订。该协议应认定无效，由{parent}依法重新处置。"
            )
            law = basis("reg_19", "reg_53_1", "civil_153")
        else:
            who = parent or "村集体"
            title = "由个人代表集体签订，超越权限"
            expl = (
                f"协议的资产方为「{f.owner}」，系以个人名义代表{who}签订，未以{who}名义并加盖公章；"
                "村集体资产的出租、发包应经村民会议或村民代表会议决定后由村集体经济组织（村民委员会）签订，个人无权处置。该协议应认定无效。"
            )
            law = basis("village_24", "civil_261", "civil_153")
        return [
            make(
                "over_authority",
                variant="no_capacity",
                title=title,
                explanation=expl,
                basis=law,
                evidence=[owner_ev],
                score=0.9,
                details={"signer": flavour, "parent": parent},
            )
        ]
    if f.kind != "main" or not f.is_state or f.type not in ctx.profile.approval.types:
        return []
    value = f.total_value()
    if value is None:
        return []
    profile = ctx.profile
    need = profile.approval.level_required(value)
    if need <= 1:
        return []
    cited = approvals(f, profile)
    have = max((lvl for _, lvl, _ in cited), default=0)
    if have >= need:
        return []
    band = profile.approval.bands[need - 1]
    first = profile.approval.bands[0]
    if cited:
        body, lvl, pos = max(cited, key=lambda c: c[1])
        got = f"协议仅载明经「{body}」批准，审批层级不足"
        ev = [f.ev_sentence(pos) if pos >= 0 else f.ev_field("approval_body")]
    else:
        got = "协议未载明任何审批机关或批准文号"
        ev = [f.ev_field("annual_rent_yuan") or f.ev_field("rent_amount_yuan"), f.ev_field("owner")]
    return [
        make(
            "over_authority",
            variant="by_value",
            title="超审批权限签订",
            explanation=(
                f"{value_text(f)}，超过乡镇（部门）审批权限（{wan(first.max_yuan or 0)}），"
                f"应报{band.body}审批；{got}。依法须经批准的合同未经批准不生效，应补办审批后规范补签。"
            ),
            basis=basis("civil_502", "institution_21", local=profile.local("approval_bands")),
            evidence=ev,
            score=0.85,
            details={"value": value, "level_required": need, "level_cited": have, "bodies": [c[0] for c in cited]},
        )
    ]

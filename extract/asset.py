"""asset, asset_location, area_m2, and the agreement type.

The subject is usually one sentence: 甲方将位于X的Y出租给乙方 / 将坐落于X的Y发包给乙方 /
租赁物为Y，坐落于X / 租赁标的：Y，位于X / 甲方发包给乙方的Y位于X. The area is the first area
near the subject (建筑面积约126.5㎡ / 35.6亩), converted to m².
"""

from __future__ import annotations

import re

from .context import Context
from .entities import words
from .normalize import find_areas

# what agreements over public assets let: the head noun of the subject (鱼塘, 门面, 厂房, 机动地…)
ASSET_HEADS = (
    "基本农田", "承包土地", "集体土地", "建设用地", "机动地", "承包地", "宅基地", "耕地", "农田", "土地", "田地", "水田", "旱地",
    "鱼塘", "鱼池", "水塘", "山塘", "池塘", "塘口", "水面", "水域", "湖泊", "湖面", "大湖", "水库", "荒山", "荒地", "荒滩",
    "林地", "山林", "林木", "山场", "果园", "茶园", "菜地", "草地", "草场", "牧场", "厂房", "仓库", "保鲜库", "冷库", "恒温库",
    "门面房", "门面", "门市", "门店", "商铺", "铺面", "店面", "公房", "房屋", "房产", "住房", "办公楼", "楼房", "平房",
    "场地", "停车场", "养殖场", "养猪场", "养牛场", "砖瓦窑", "砖厂", "窑厂", "修配厂", "柜台", "摊位", "校舍", "礼堂",
    "院落", "空地", "地块", "车辆", "市场", "酒店", "宾馆", "矿山", "采石场", "砂场", "水源", "电站", "大棚", "温室",
)
_HEAD = re.compile("|".join(sorted(ASSET_HEADS, key=len, reverse=True)))
_GENERIC = {"土地", "房屋", "房产", "场地", "市场", "住房", "楼房", "水面", "水域"}
_LET_VERB = re.compile(r"(出租|发包|承包|租赁|租用|承租|转让|流转|出借|借用|招租|竞租|饲养权|经营权|使用权|养殖|经营)")
_NP_TAGS = {"n", "nz", "ns", "nt", "nw", "LOC", "ORG", "m", "q", "a", "an", "vn", "xc", "s", "f"}
_NOT_IN_NP = re.compile(r"^(?:甲方|乙方|双方|本|该|其|全部|所有|一切|上述|以上|出租|承包|租赁|发包|经营|集体|农村|村集体)$")

_PLACE = r"(?:位于|坐落[（(][^）)]{0,6}[)）]于|坐落于|座落于|坐落在|座落在|存放于|存放在|停放于|停放在|地处|地址为|坐落|座落|地点[:：]|位置[:：]|坐落地点[:：])"
_HAND_OVER = r"(?:出租给|租赁给|租给|发包给|承包给|出借给|借给|转让给|交由|交给|提供给|流转给|交付|出租|发包|出借|转让|用于|作为)"
_ASSET_SENT = [
    # 甲方将位于X的Y出租给乙方
    re.compile(rf"将\s*{_PLACE}\s*(?P<loc>[^，。；;\n]{{2,50}}?)的\s*(?P<asset>[^，。；;\n]{{2,40}}?)\s*(?:（[^）]*）)?\s*(?:共|计)?\s*(?:[\d.]+\s*(?:亩|平方米|㎡|m2|间|栋|座|台|辆))?[，,]?\s*{_HAND_OVER}"),
    # 甲方将X的Y(共N亩的经营权)出租给乙方  (no place verb)
    re.compile(rf"将\s*(?P<loc>[^，。；;\n的]{{2,30}}?)的\s*(?P<asset>[^，。；;\n的]{{2,30}}?)\s*(?:[（(][^）)]*[)）])?\s*(?:共|计|合计)?\s*(?:[\d.]+\s*(?:亩|平方米|㎡|间|栋|座|台|辆)[^，。；;\n]{{0,6}}?)?(?:的(?:土地)?经营权|的使用权)?[，,]?\s*{_HAND_OVER}"),
    # 租赁物为Y，坐落于X / 租赁标的：Y，位于X
    re.compile(rf"(?:租赁物|租赁标的|标的物|标的|出租资产|出租物|承包标的|出借资产|借用资产|转让标的|合作项目)\s*(?:为|是|[:：])\s*(?P<asset>[^，。；;\n]{{2,40}}?)[，,]\s*{_PLACE}\s*(?P<loc>[^，。；;\n]{{2,50}}?)(?=[，。；;\n]|$)"),
    # 甲方发包给乙方的Y位于X
    re.compile(rf"给乙方的\s*(?P<asset>[^，。；;\n]{{2,30}}?)\s*{_PLACE}\s*(?P<loc>[^，。；;\n]{{2,50}}?)(?=[，。；;\n]|$)"),
    # (甲方提供)位于X的Y，面积…
    re.compile(rf"{_PLACE}\s*(?P<loc>[^，。；;\n的]{{2,40}}?)的\s*(?P<asset>[^，。；;\n的]{{2,30}}?)\s*[，,]?\s*(?:面积|建筑面积|使用面积|占地|共计|共|计|[\d.]+\s*(?:亩|平方米|㎡))"),
    # X所有的Y，位于Z
    re.compile(rf"所有的\s*(?P<asset>[^，。；;\n]{{2,30}}?)\s*[，,]\s*{_PLACE}\s*(?P<loc>[^，。；;\n]{{2,50}}?)(?=[，。；;\n]|$)"),
    # 将Y（位于X）出租
    re.compile(rf"将\s*(?P<asset>[^，。；;\n（]{{2,30}}?)[（(]\s*{_PLACE}\s*(?P<loc>[^）)]{{2,50}})[)）]"),
]
_ASSET_ONLY = [
    re.compile(r"(?:土地|地块|标的|资产|项目|房屋|门面)名称\s*(?:为)?\s*[:：]\s*(?P<asset>[^，,。；;\n\t]{2,30}?)(?=[，,。；;\n\t]|$)"),
    re.compile(
        r"(?:租赁物|租赁标的|标的物|出租资产|出租物|承包标的|出借资产|借用资产|转让标的|资产名称|标的)\s*(?:为|是|[:：])\s*(?P<asset>[^，。；;\n]{2,40}?)(?=[，。；;\n（(]|$)"
    ),
    re.compile(r"就(?:租赁|承租|承包|出借|借用|转让|受让|合作开发)\s*(?P<asset>[^，。；;\n]{2,30}?)(?:事宜|事项|一事)"),
    re.compile(r"(?:申请借用|申请使用|申请租用|借用|租用)\s*(?P<asset>[^，。；;\n]{2,20}?)[，,。]"),
    re.compile(r"使用\s*(?P<asset>[^，。；;\n]{2,20}?)的(?:情况说明|说明)"),
    re.compile(r"(?:收款事由|事由|摘要|项目)[\t\s:：]*(?P<asset>[^，。；;\n\t]{2,20}?)\s*(?:\d{4}|[一二三四五六七八九〇零]{4})\s*年度?(?:租金|承包费|承包款|使用费|流转费)"),
    re.compile(r"交来\s*(?P<asset>[^，。；;\n]{2,20}?)\s*(?:\d{4}|[一二三四五六七八九〇零]{4})\s*年度?(?:租金|承包费|承包款|使用费)"),
]
_LOC_ONLY = re.compile(rf"(?<!签订)(?<!签约){_PLACE}\s*(?P<loc>[^，。；;\n]{{2,50}}?)(?=[，。；;\n]|的|$)")

_LOC_SENT = [
    re.compile(r"(?:房屋|租赁物|租赁房屋|标的物?|资产|土地|门面|门市|厂房|场地)(?:坐落)?(?:地址|地点|位置)\s*[:：为]\s*(?P<loc>[^，,。；;\n\t]{2,50}?)(?=[，,。；;\n\t]|$)"),
    re.compile(r"(?<!签订)(?<!签约)(?<!开标)(?<!报名)(?<!会议)(?<!交易)(?:承包|出租|租赁|发包|流转)?(?:地点|位置|坐落)(?:及面积|和面积)?[ \t　]*[:：为]?[ \t　]*(?P<loc>[^，,。；;\n\t:：]{2,40}?)(?=[，,。；;\n\t]|\s*面积|$)"),
    re.compile(r"(?:^|[，,。；;\s由])在\s*(?P<loc>[^，,。；;\n\t在的]{2,30}?)\s*(?:租用|承包|承租|租赁|经营|养殖|种植|耕种)"),
]

TYPE_RULES = [
    ("guarantee", r"(担保合同|保证合同|抵押合同|质押合同|担保书|保证书|抵押借款|反担保)"),
    ("transfer", r"(转让合同|转让协议|出售合同|买卖合同|产权交易合同|资产转让)"),
    ("cooperation", r"(合作开发|合作协议|合作合同|联营|合作经营|入股|共建)"),
    ("lending", r"(借用协议|借用合同|出借协议|出借合同|无偿使用协议|使用协议|借用)"),
    ("contracting", r"(承包合同|承包协议|承包经营|发包|承包|流转合同|流转协议|土地经营权)"),
    ("lease", r"(租赁合同|租赁协议|租用合同|出租合同|租房|租赁|出租|租金)"),
]


def _clean(s: str) -> str:
    # the asset as named: stop at a bracketed note (面积…) or an appended "及附属设施"
    s = re.split(r"[（(]|及其?附属|\s*[,，]\s*|\s+(?=林权证|面积|共计|四至)|(?<=\S)(?:面积|占地面积|建筑面积)", s)[0]
    return s.strip(" 　，,：:")


def _noun_phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """The subject's noun phrase around the head text[start:end]: modifiers before it bounded by
    LAC's words (places, names, numbers with measure words, one 的 after a place), a measure
    after it (鱼塘一口, 砖瓦窑一座)."""
    lo = max(0, start - 24)
    cut = max((text.rfind(c, lo, start) for c in "，,。；;：:\n\t、（(）)“”\"《》 　"), default=-1)
    piece_start = max(lo, cut + 1)
    piece = text[piece_start:start]
    new_start = start
    took_de = False
    for s, e, w, tag in reversed(words(piece)):
        if w == "的" and not took_de and new_start == piece_start + e:
            took_de = True
            new_start = piece_start + s
            continue
        if tag not in _NP_TAGS or _NOT_IN_NP.match(w) or _LET_VERB.search(w):
            break
        new_start = piece_start + s
    if took_de and text[new_start:new_start + 1] == "的":
        new_start += 1
    if text[new_start:start].endswith("的") and new_start < start:
        pass
    tail = re.match(r"[一二三四五六七八九十两\d]{1,3}\s*(?:口|座|间|处|块|片|套|个)|(?:[\d一二三四五六七八九十]{1,4}(?:栋|幢|单元|层|楼|室|号))+", text[end : end + 16])
    new_end = end + (tail.end() if tail else 0)
    phrase = text[new_start:new_end]
    if phrase.startswith("的"):
        new_start += 1
    return new_start, new_end


def _head_candidates(text: str) -> list[tuple[float, int, int]]:
    """Asset heads scored: near a letting verb, in the title, named often."""
    heads = list(_HEAD.finditer(text))
    counts: dict[str, int] = {}
    for m in heads:
        counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    title_end = len("\n".join(text.split("\n")[:2]))
    out = []
    for m in heads:
        s0 = max(text.rfind(c, 0, m.start()) for c in "。；;\n")
        s1 = min((i for i in (text.find(c, m.end()) for c in "。；;\n") if i >= 0), default=len(text))
        score = 0.0
        if _LET_VERB.search(text[s0 + 1 : s1]):
            score += 3
        if m.start() < title_end:
            score += 1.5
        score += min(counts[m.group(0)], 5) * 0.5
        if m.group(0) in _GENERIC:
            score -= 1.5  # 土地 / 房屋 name the kind; 耕地 / 公房 / 砖瓦窑 name the thing
        score -= m.start() / max(len(text), 1)  # earlier wins a tie
        out.append((score, m.start(), m.end()))
    return sorted(out, reverse=True)


_PLACE_CH = re.compile(r"(路|街|巷|号|村|镇|乡|区|县|市|省|组|队|山|坳|湾|冲|垅|洼|岭|塘|湖|河|庄|屯|岗|坪|坡|沟|场|楼|层|室|侧|东|西|南|北|旁|边|内|附近|片)")


_SIGNING_PLACE = re.compile(r"(签订|签约|签署|签字|订立)")


def _is_place(value: str) -> bool:
    """A location names a place (路, 村, 东侧…), never a right (产权) or a clause."""
    return (
        bool(_PLACE_CH.search(value))
        and not re.search(r"(签订地点|签约地点|集体所有|所有权|产权|使用权|会议室|报名处|申请人|\d{4}年)", value)
        and len(value) <= 40
    )


def _is_thing(value: str) -> bool:
    """Does a span name a thing? Not when it starts with 的, is mostly a number and a unit, or
    holds a verb (LAC) outside an asset noun (关系结束时, 土地的老板越来越多)."""
    if not value or value.startswith("的"):
        return False
    if len(re.sub(r"[\d.\s亩平方米㎡间栋座个余约共计]", "", value)) < 2:
        return False
    heads = [(m.start(), m.end()) for m in _HEAD.finditer(value)]
    # a verb before the thing is a modifier (临街门面, 冷藏保鲜库, 闲置办公用房); after it, a clause
    after = heads[-1][1] if heads else (0 if not re.search(r"[地田山林塘房库场室楼铺面窑园池湖滩厂间辆台套部车机座栋幢处块片]$", value) else len(value))
    for s, e, w, tag in words(value):
        if e > after and tag in ("v", "vd", "d", "p") and not any(hs < e and s < he for hs, he in heads):
            return False
    return True


def asset_from_heads(text: str) -> tuple[str, int, int, float] | None:
    cands = _head_candidates(text)
    if not cands:
        return None
    score, hs, he = cands[0]
    s, e = _noun_phrase(text, hs, he)
    return text[s:e].strip(), s, e, score


def extract_asset(ctx: Context) -> dict:
    text = ctx.raw
    out: dict = {}
    for pattern in _ASSET_SENT:
        m = pattern.search(text)
        if not m:
            continue
        asset, loc = _clean(m.group("asset")), _clean(m.group("loc"))
        if asset and not _is_thing(asset):
            # 将借母溪后山的1200亩林木承包给: the thing is the asset noun inside the sentence
            h = _HEAD.search(text, m.start("asset"), m.end())
            if h:
                s_, e_ = _noun_phrase(text, h.start(), h.end())
                out["asset"] = ctx.value(text[s_:e_], s_, e_, 0.75)
                asset = ""
        if asset:
            s = m.start("asset") + m.group("asset").find(asset)
            out["asset"] = ctx.value(asset, s, s + len(asset), 0.8)
        if loc:
            s = m.start("loc") + m.group("loc").find(loc)
            out["asset_location"] = ctx.value(loc, s, s + len(loc), 0.8)
        break
    if "asset" in out and out["asset"].value in _GENERIC:
        # 将…属于自己的房屋出租: the kind only; a named thing (临街门面) elsewhere says more
        found = asset_from_heads(text)
        if found and found[0] not in _GENERIC and found[3] >= 1.5:
            asset, s_, e_, _ = found
            out["asset"] = ctx.value(asset, s_, e_, 0.7)
            if out.get("asset_location") is not None and not _is_place(out["asset_location"].value):
                out.pop("asset_location")
    if out.get("asset_location") is not None and not _is_place(out["asset_location"].value):
        out.pop("asset_location")
    if "asset" in out and not _is_thing(out["asset"].value):
        # a pattern caught words, not a thing (土 120 亩, 的柜台只有使用权): the asset nouns decide
        out.pop("asset")
        if out.get("asset_location") is not None and not re.search(r"(路|街|号|村|镇|乡|区|县|市|组|队|山|坳|湾|冲|垅|洼|岭|塘|湖|河)", out["asset_location"].value):
            out.pop("asset_location")
    if "asset" not in out:
        hits = [m for m in (p.search(text) for p in _ASSET_ONLY) if m and _is_thing(_clean(m.group("asset")))]
        if hits:
            m = min(hits, key=lambda h: h.start())
            asset = _clean(m.group("asset"))
            s = m.start("asset") + m.group("asset").find(asset)
            out["asset"] = ctx.value(asset, s, s + len(asset), 0.7)
    if "asset" not in out:
        found = asset_from_heads(text)
        if found and found[0]:
            asset, s, e, score = found
            out["asset"] = ctx.value(asset, s, e, 0.6 if score >= 3 else 0.4)
    if "asset_location" not in out:
        # 由乙方在王庄村东南洼租用土地 / 租赁房屋地址：… / 在X承包鱼塘
        m = next(
            (m for pattern in _LOC_SENT for m in pattern.finditer(text)
             if _is_place(_clean(m.group("loc"))) and not _SIGNING_PLACE.search(text[max(0, m.start() - 8) : m.start("loc")])),
            None,
        )
        if m:
            loc = _clean(m.group("loc"))
            s = m.start("loc") + m.group("loc").find(loc)
            out["asset_location"] = ctx.value(loc, s, s + len(loc), 0.7)
    if "asset_location" not in out:
        anchor = out["asset"].text if "asset" in out else None
        pos = text.find(anchor) if anchor else 0
        m = next(
            (m for m in _LOC_ONLY.finditer(text, max(0, pos - 80))
             if not _SIGNING_PLACE.search(text[max(0, m.start() - 8) : m.start("loc")]) and _is_place(_clean(m.group("loc")))),
            None,
        )
        if m:
            loc = _clean(m.group("loc"))
            s = m.start("loc") + m.group("loc").find(loc)
            out["asset_location"] = ctx.value(loc, s, s + len(loc), 0.6)

    # area: the first area after the subject sentence (or anywhere)
    anchor_pos = text.find(out["asset"].text) if "asset" in out else 0
    areas = find_areas(text)
    after = [a for a in areas if a.start >= max(0, anchor_pos - 120)] or areas
    if after:
        a = after[0]
        out["area_m2"] = ctx.value(round(float(a.value), 2), a.start, a.end, 0.85)
        out["_area_unit"] = a.unit
    return out


def classify_type(ctx: Context) -> tuple[str | None, float]:
    """The agreement type from its title (first lines) first, then from the body's vocabulary."""
    text = ctx.raw
    head = "\n".join(text.split("\n")[:3])
    for kind, pattern in TYPE_RULES:
        if re.search(pattern, head):
            return kind, 0.9
    from models.store import load_named

    model = load_named("agreement_type")
    counts = {kind: len(re.findall(pattern, text)) for kind, pattern in TYPE_RULES}
    best = max(counts, key=lambda k: counts[k])
    if model is not None:
        proba = model.predict_proba([text])[0]
        k = int(proba.argmax())
        # measured: the vocabulary rule beats the model whenever it has anything to go on
        # (held-out families 98.7 % vs 97.3 %), so the model only decides when the text has
        # no type words at all
        if counts[best] == 0:
            return str(model.classes_[k]), round(float(proba[k]) * 0.9, 3)
    if counts[best] == 0:
        return "other", 0.3
    return best, 0.6

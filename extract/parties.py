"""owner (the state / collective side) and counterparty.

Parties are written as ``出租方（甲方）：青山镇人民政府``, ``甲方：…``, ``发包方：…（以下简称甲方）``,
``青山镇人民政府，以下简称甲方；`` or only in the signature block ``甲方（盖章）：…``. Role words
decide the side (出租方 is the owner whatever letter it carries; 债权人（甲方） makes 甲方 the
counterparty of a guarantee); bare 甲方 / 乙方 fall back to 甲方 = owner unless the names say
otherwise (a government or village body is the owner).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import Context
from .entities import name_at, name_before, org_mentions

OWNER_ROLES = (
    "出租方", "出租人", "发包方", "发包人", "出借方", "出借人", "转让方", "转让人", "出让方", "出让人",
    "产权单位", "产权人", "资产所有方", "所有权人", "委托方", "流出方", "转包方", "转出方", "招租方", "招租人", "招租单位",
)
# guarantee roles say nothing about which side is the public one: the names decide
NEUTRAL_ROLES = ("保证人", "担保人", "抵押人", "出质人", "债权人", "抵押权人", "质权人", "债务人")
COUNTER_ROLES = (
    "承租方", "承租人", "承包方", "承包人", "借用方", "借用人", "使用方", "使用人", "受让方", "受让人",
    "合作方", "投资方", "经营方", "受托方", "流入方", "买受人", "接包方", "转入方",
)
# 租赁方 is written for either side (甲方（租赁方） in one model, 乙方（租赁方） in another): the letter decides
AMBIGUOUS_ROLES = ("租赁方", "租赁人")
LETTERS = {"甲方": "A", "乙方": "B", "丙方": "C"}

_ROLE = "|".join(sorted(OWNER_ROLES + COUNTER_ROLES + NEUTRAL_ROLES + AMBIGUOUS_ROLES + tuple(LETTERS), key=len, reverse=True))
# ROLE（ROLE2）：NAME      — at the start of a line (or after a sentence break)
_LABELLED = re.compile(
    rf"(?:^|[\n\t。；;]|(?<=\S) )\s*(?P<role>{_ROLE})\s*(?:[（(](?:原合同|原协议|原)?(?:[\u4e00-\u9fa5]{{2,4}}方[、,，/])?(?P<role2>{_ROLE})(?:[、,，/][\u4e00-\u9fa5]{{2,4}}方)*[)）])?\s*"
    rf"(?:[（(]?(?P<sign>盖章|签章|签字|签名|公章|盖公章|签字或盖章|签字盖章)[)）]?)?\s*[:：]\s*(?P<name>[^\n]*)"
)
# NAME（以下简称甲方） / NAME，以下简称"甲方"
_SHORT = re.compile(
    rf"(?P<name>[^\n，,。；;：:（(]{{2,40}}?)\s*[，,]?\s*[（(]?\s*(?:以下(?:简称|称)|简称)\s*[“\"「]?(?P<role>{_ROLE})[”\"」]?"
)
# NAME（统一社会信用代码：…），以下简称乙方
_SHORT_BRACKET = re.compile(
    rf"(?:^|[\n：:；;])\s*(?P<name>[^\n，,。；;：:（(]{{2,40}})[（(][^）)\n]{{0,60}}[)）]\s*[，,]?\s*[（(]?\s*以下(?:简称|称)\s*[“\"「]?(?P<role>{_ROLE})"
)
_NAME_STOP = re.compile(
    r"(?:\s{2,}|\t|[，,；;。]|\s*(?:交款人|收款人|经手人|经办人|会计|出纳|报账员|乙方|甲方|丙方|承租方|承租人|承包方|承包人)[:：（(]|[（(]以下|[（(](?:盖章|签章|签字|公章)|以下简称|法定代表人|负责人|委托代理人|"
    r"统一社会信用代码|身份证|地址|住所|联系电话|电话|户籍|签订日期|日期|$)"
)
_PUBLIC = re.compile(r"(人民政府|村民委员会|居民委员会|经济合作社|股份经济合作社|集体经济|局|委员会|办事处|中心|学校|中学|小学|医院|卫生院|管委会|服务站|所$|馆$|站$)")
_PRIVATE = re.compile(r"(有限公司|有限责任公司|股份有限公司|合作社$|经营部|商行|超市|个体|银行|支行|信用社)")
_BLANK = re.compile(r"^[_＿\s.·…]*$")


@dataclass
class Candidate:
    side: str  # "owner" | "counter" | letter "A"/"B"
    name: str
    start: int
    end: int
    score: float


_ROLE_NOUN = re.compile(r"^(?:[\u4e00-\u9fa5]{1,3}[方人者]|甲|乙|丙|本单位|本村|双方|[（(]?(?:公章|印章|盖章|签章|签字|签名|盖公章|签字盖章|章)[)）]?)$")


def _clean(raw: str) -> tuple[str, int]:
    """The party name at the start of ``raw`` and its length (as written)."""
    m = _NAME_STOP.search(raw)
    name = raw[: m.start()] if m else raw
    stripped = name.rstrip(" 　:：")
    lead = len(stripped) - len(stripped.lstrip(" 　"))
    return stripped.strip(" 　"), lead


# words of a sentence, never of a party's name (a blank template's slot run into its sentence)
_NOT_A_NAME = re.compile(r"(经过|审查|决定|根据|为了|按照|协商|签订|同意|负责|应当|必须|本合同|本协议)")


def _side_of(role: str) -> str | None:
    if role in AMBIGUOUS_ROLES:
        return None
    if role in OWNER_ROLES:
        return "owner"
    if role in COUNTER_ROLES:
        return "counter"
    if role in NEUTRAL_ROLES:
        return "N:" + role
    return LETTERS.get(role, "A")


def _refine(name: str) -> str:
    """A labelled name read to the end of its entity: 「王庄村民委员会 王德顺」 → 王庄村民委员会,
    「XXX为贯彻落实…」 (a PDF line run on) → XXX."""
    n = name_at(name, 0, limit=len(name) + 1)
    if n is None or n.start != 0 or n.end >= len(name):
        return name
    rest = name[n.end :].strip()
    if n.kind == "org" and rest and not re.match(r"^[\u4e00-\u9fa5]{0,3}(?:分公司|分行|支行|有限|公司|合作社|$)|^(?:党支部|支部)?(?:主任|副主任|书记|支书|组长|村长|镇长|乡长|局长|院长|校长|所长|站长|场长|队长|会计|出纳|经理|负责人)", rest):
        return n.text
    if n.kind == "person" and re.match(r"^[为的，,。在于]", rest):
        return n.text
    return name


# a party introduced in a sentence, with a role or label anywhere in the text (PDF lines run on)
_INLINE = re.compile(
    rf"(?P<role>{_ROLE})\s*(?:[（(](?:[\u4e00-\u9fa5]{{2,4}}方[、,，/])?(?P<role2>{_ROLE})(?:[、,，/][\u4e00-\u9fa5]{{2,4}}方)*[)）])?\s*(?P<colon>[:：])?"
)
# a role heading on its own line, the name on a following 姓名： / 名称： line (forms)
_ROLE_HEADER = re.compile(
    rf"(?m)^[ \t　]*(?P<role>{_ROLE})\s*(?:[（(](?P<role2>{_ROLE})[)）])?[ \t　]*\n(?:[^\n]*\n)?[ \t　]*(?:姓名|名称|单位名称|名称[（(]姓名[)）]|姓名[（(]名称[)）])\s*[:：]\s*(?P<name>[^\n]+)"
)
# NAME（甲方）与NAME（乙方）: the role in brackets right after the name, in a sentence
_AFTER_NAME = re.compile(rf"[（(](?P<role>{_ROLE})[)）](?=\s*(?:与|和|同|、|，|,|签订|订立|双方|经|就|$))")
# court documents: 原告X诉被告Y / 上诉人（原审被告）X
_COURT = re.compile(r"(?P<role>原审原告|原审被告|被上诉人|上诉人|被申请人|申请人|原告|被告)(?:[（(][^）)\n]{0,10}[)）])?\s*[:：]?")
# X将…出租给Y / X把…发包给Y
_HANDS_OVER = re.compile(r"(?:将|把)[^。；;\n]{1,60}?(?:出租|发包|承包|租赁|转让|出借|借|租|流转|交|包)给")
# X与Y签订… / X与Y…纠纷
_WITH = re.compile(r"与(?=[^。；;\n]{2,60}?(?:签订|订立|签署|之间|纠纷|[^。；;\n]{0,4}(?:合同|协议)))")


def _side_of_pair(role: str, role2: str | None) -> str | None:
    """The side a role and its bracketed second role name (甲方（出租方） → owner): a named side
    wins over a letter; guarantee roles (decided by the names) and ambiguous ones give none."""
    sides = ({_side_of(role)} | ({_side_of(role2)} if role2 else set())) - {None}
    named = [x for x in sides if x in ("owner", "counter")]
    letters = [x for x in sides if x in ("A", "B", "C")]
    return named[0] if named else (letters[0] if letters else None)


def _letters_contradict(text: str) -> bool:
    """甲方（承租方）… 乙方（承租方）: a template's slip — both letters carry the same role, so
    the roles say nothing and the letters decide."""
    by_letter: dict[str, set] = {}
    for m in _INLINE.finditer(text):
        if m.group("role") in LETTERS and m.group("role2"):
            by_letter.setdefault(m.group("role"), set()).add(_side_of(m.group("role2")))
    return len(by_letter) >= 2 and len(set.union(*by_letter.values())) == 1


def _running_text(text: str) -> list[Candidate]:
    out: list[Candidate] = []
    slip = _letters_contradict(text)

    def side_by_name(n) -> str:
        return "owner" if n.public else "counter"

    for m in _ROLE_HEADER.finditer(text):
        name = _refine(_clean(m.group("name"))[0])
        if len(name) < 2 or _BLANK.match(name):
            continue
        side = _side_of_pair(m.group("role"), m.group("role2"))
        if side:
            start = m.start("name") + m.group("name").find(name)
            out.append(Candidate(side, name, start, start + len(name), 0.95))
    for m in _INLINE.finditer(text):
        if not m.group("colon") and not m.group("role2"):
            continue  # a bare role word in a sentence (乙方应当…) introduces no name
        if not m.group("colon") or (m.start() > 0 and text[m.start() - 1] not in "\n\t。；; "):
            n = name_at(text, m.end(), 40)
            if n is None or (not m.group("colon") and n.kind != "org" and not re.match(r"\s", text[m.end() : m.end() + 1])):
                continue
            role2 = None if slip and m.group("role") in LETTERS else m.group("role2")
            side = _side_of_pair(m.group("role"), role2)
            if side:
                out.append(Candidate(side, n.text, n.start, n.end, 0.85))
    for m in _AFTER_NAME.finditer(text):
        # 青松村民委员会（甲方）与李某（乙方）签订…
        n = name_before(text, m.start())
        if n is not None and len(n.text) >= 2:
            side = _side_of(m.group("role"))
            if side:
                out.append(Candidate(side, n.text, n.start, n.end, 0.85))
    for m in _COURT.finditer(text):
        n = name_at(text, m.end(), 40)
        if n is not None and len(n.text) >= 2:
            out.append(Candidate(side_by_name(n), n.text, n.start, n.end, 0.75))
    for m in _HANDS_OVER.finditer(text):
        a = name_before(text, m.start())
        b = name_at(text, m.end(), 30)
        if a is not None and a.kind == "org":
            out.append(Candidate("owner", a.text, a.start, a.end, 0.7))
        if b is not None and not (b.public and a is None):
            out.append(Candidate("counter", b.text, b.start, b.end, 0.7))
    for m in _WITH.finditer(text):
        a = name_before(text, m.start())
        b = name_at(text, m.end(), 30)
        if a is None or b is None or a.public == b.public:
            continue
        for n in (a, b):
            out.append(Candidate(side_by_name(n), n.text, n.start, n.end, 0.65))
    return out


def is_public(name: str) -> bool:
    return bool(_PUBLIC.search(name)) and not _PRIVATE.search(name)


def candidates(ctx: Context) -> tuple[list[Candidate], dict[str, str]]:
    """Party mentions, and what each letter (甲方/乙方) stands for when the text says so."""
    text = ctx.raw
    found: list[Candidate] = []
    letter_side: dict[str, str] = {}
    slip = _letters_contradict(text)
    for m in _LABELLED.finditer(text):
        role, role2 = m.group("role"), m.group("role2")
        if slip and role in LETTERS:
            role2 = None
        name, lead = _clean(m.group("name"))
        if len(name) < 2 or _BLANK.match(name) or len(name) > 40 or _ROLE_NOUN.match(name):
            continue
        start = m.start("name") + lead
        sides = ({_side_of(role)} | ({_side_of(role2)} if role2 else set())) - {None}
        if not sides:
            continue
        name = _refine(name)
        if any(x.startswith("N:") for x in sides):
            # a guarantee role: the public body is the state side, whichever role it has
            neutral = "owner" if is_public(_clean(m.group("name"))[0]) else "counter"
            sides = {neutral if x.startswith("N:") else x for x in sides}
        named = {s for s in sides if s in ("owner", "counter")}
        letters = {s for s in sides if s not in ("owner", "counter")}
        if named and letters:
            for letter in letters:
                letter_side.setdefault(letter, next(iter(named)))
        side = next(iter(named)) if named else next(iter(letters))
        in_signature = bool(m.group("sign"))
        found.append(Candidate(side, name, start, start + len(name), 0.6 if in_signature else 1.0))
    for m in _SHORT.finditer(text):
        name = m.group("name").strip(" 　\n")
        name = re.sub(r"^(?:订立合同双方[:：]?|双方[:：]?)", "", name).strip()
        if re.search(r"[）)]|与|和|社员|村民|户主|职工", name):
            # …（以下简称甲方）与社员陈国良（以下简称乙方）: the name is the entity before the bracket
            n = name_before(text, m.start("name") + m.group("name").rfind(name) + len(name))
            if n is not None and name.endswith(n.text):
                name = n.text
        if name.endswith(("）", ")")):
            continue  # handled by the bracket-aware pattern below
        if len(name) < 2 or _BLANK.match(name) or _ROLE_NOUN.match(name):
            continue
        start = m.start("name") + m.group("name").find(name)
        found.append(Candidate(_side_of(m.group("role")), name, start, start + len(name), 0.9))
    for m in _SHORT_BRACKET.finditer(text):
        name = m.group("name").strip(" 　")
        if len(name) < 2 or _BLANK.match(name):
            continue
        start = m.start("name") + m.group("name").find(name)
        found.append(Candidate(_side_of(m.group("role")), name, start, start + len(name), 0.9))
    found.extend(_table_parties(text))
    found.extend(_running_text(text))
    if not any(c.side in ("owner", "A") for c in found):
        # a notice, a story or minutes: the public unit the document is about, as first named
        mentions = org_mentions(text)
        if mentions:
            # the unit named most often (by its last level: 向家村村民委员会 ≈ 隆回县…向家村村民委员会)
            key = lambda n: re.sub(r"^.*?(?:省|市|县|区|镇|乡|街道办?|公社)(?=.)", "", n.text)
            counts: dict[str, int] = {}
            for n in mentions:
                counts[key(n)] = counts.get(key(n), 0) + 1
            best = max(mentions, key=lambda n: (counts[key(n)], -n.start))
            found.append(Candidate("owner", best.text, best.start, best.end, 0.3))
    # notes of oral arrangements: X所有的… / 由Y经营使用 / 关于Y使用…的情况说明
    for m in re.finditer(r"(?:^|[：:，,。\n])\s*(?P<name>[^\n，,。；;：:]{2,30}?)所有的", text):
        name = m.group("name").strip()
        if is_public(name):
            found.append(Candidate("owner", name, m.start("name"), m.start("name") + len(name), 0.7))
    for m in re.finditer(r"由\s*(?P<name>[^\n，,。；;：:由]{2,30}?)\s*(?:经营使用|使用|经营|承租|租用|耕种|养殖|占用)", text):
        name = m.group("name").strip()
        if not is_public(name):
            found.append(Candidate("counter", name, m.start("name"), m.start("name") + len(name), 0.7))
    # receipts (白条): 今收到X交来…租金 / 收款单位：Y
    for m in re.finditer(r"(?:今|兹)?收到\s*(?P<name>[^\n，,。；;交]{2,30}?)\s*(?:交来|交付|缴来|缴纳|支付)", text):
        name = m.group("name").strip()
        found.append(Candidate("counter", name, m.start("name"), m.start("name") + len(name), 0.8))
    for m in re.finditer(r"(?:交款单位|交款人|付款单位|付款人|缴款单位|缴款人)(?:[（(]人[)）])?[\t\s:：]+(?P<name>[^\n\t，,。；;（(]{2,30})", text):
        name, lead = _clean(m.group("name"))
        if len(name) >= 2 and not _BLANK.match(name):
            start = m.start("name") + lead
            found.append(Candidate("counter", name, start, start + len(name), 0.8))
    for m in re.finditer(r"(?:收款单位|收款方|收款人)(?:[（(]人[)）])?[\t\s:：]+(?P<name>[^\n\t，,。；;（(]{2,30})", text):
        name, lead = _clean(m.group("name"))
        # a clerk who signs a receipt is not the owner: only a unit is
        if len(name) >= 2 and is_public(name):
            start = m.start("name") + lead
            found.append(Candidate("owner", name, start, start + len(name), 0.7))
    return found, letter_side


def _table_parties(text: str) -> list[Candidate]:
    """Parties in a table: a header row of roles, then a 名称 row with one name per column."""
    out: list[Candidate] = []
    pos = 0
    lines = text.split("\n")
    offsets = []
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1

    def split_cells(line: str) -> list[str]:
        # cells split by tabs; a PDF's text layer loses the tabs and keeps the spaces between cells
        return line.split("\t") if "\t" in line else re.split(r"(?<=\S)([ 　]+)(?=\S)", line)[::2]

    for i, line in enumerate(lines[:-1]):
        cells = split_cells(line)
        if len(cells) < 2:
            continue
        roles = [re.match(rf"^\s*({_ROLE})", c) for c in cells]
        if sum(1 for r in roles if r) < 2:
            continue
        for j in range(i + 1, min(i + 4, len(lines))):
            row = split_cells(lines[j])
            if not row or not re.match(r"^\s*(名称|单位名称|姓名|名称（姓名）|名称\(姓名\))", row[0]):
                continue
            shift = 1 if len(row) == len(cells) + 1 else 0
            if shift:
                roles = [None] + roles
                cells = [""] + cells
            cursor = 0
            for k, cell in enumerate(row):
                at = lines[j].find(cell, cursor)
                at = cursor if at < 0 else at
                cursor = at + len(cell)
                if k and k < len(roles) and roles[k] and cell.strip() and not _BLANK.match(cell):
                    role_text = cells[k]
                    sides = [_side_of(x) for x in re.findall(_ROLE, role_text)]
                    side = next((x for x in sides if x in ("owner", "counter")), sides[0] if sides else "A")
                    if side.startswith("N:"):
                        side = "owner" if is_public(cell.strip()) else "counter"
                    name = cell.strip()
                    start = offsets[j] + at + cell.find(name)
                    out.append(Candidate(side, name, start, start + len(name), 1.0))
            break
    return out


def _resolve(cands: list[Candidate], letter_side: dict[str, str]) -> dict[str, Candidate]:
    chosen: dict[str, Candidate] = {}
    # letters not explained by the text: 甲 = owner, 乙 = counterparty, unless the names disagree
    a = [c for c in cands if c.side == "A"]
    b = [c for c in cands if c.side == "B"]
    if "A" not in letter_side and "B" not in letter_side:
        a_public = any(is_public(c.name) for c in a)
        b_public = any(is_public(c.name) for c in b)
        if b_public and not a_public:
            letter_side.update({"A": "counter", "B": "owner"})
    letter_side.setdefault("A", "owner" if letter_side.get("B") != "owner" else "counter")
    letter_side.setdefault("B", "counter" if letter_side["A"] == "owner" else "owner")
    for c in cands:
        if _NOT_A_NAME.search(c.name):
            continue
        side = letter_side.get(c.side, c.side) if c.side in ("A", "B", "C") else c.side
        if side not in ("owner", "counter"):
            continue
        best = chosen.get(side)
        # the first clear mention wins; a signature block only when nothing better exists
        if best is None or c.score > best.score or (c.score == best.score and c.start < best.start):
            chosen[side] = c
    return chosen


def extract_parties(ctx: Context) -> dict:
    cands, letter_side = candidates(ctx)
    chosen = _resolve(cands, letter_side)
    out = {}
    for side, field in (("owner", "owner"), ("counter", "counterparty")):
        c = chosen.get(side)
        if c is not None:
            out[field] = ctx.value(c.name, c.start, c.end, confidence=0.95 * c.score)
    return out

"""What the checks read of an agreement: the extracted fields made usable (dates as dates, the
rent per year, the term in months, the total value), plus what the fields do not say directly
and the checks need — which side the owner is on (state or village collective), the asset kind, the
rent escalation — with helpers to quote evidence. What sort of document it is (an agreement, a
supplementary agreement, a note, a receipt, a notice, a judgment, minutes, a story) and whether
it is complete enough to judge come from extraction (``agreement.document_kind`` /
``agreement.structure``).

Every value keeps where it came from, so a finding can quote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from extract import Agreement
from extract.agreement import FieldValue
from extract.context import join_soft_wraps
from extract.textnorm import normalise
from extract.kind import AGREEMENT_KINDS
from extract.normalize import find_dates, find_durations, find_money, fold
from extract.parties import COUNTER_ROLES, OWNER_ROLES

from .finding import Evidence
from .market import KIND_UNIT, MU_M2, count_in, infer_asset_kind

# ---------------------------------------------------------------------------------------------
# who the owner is
# ---------------------------------------------------------------------------------------------

# village collectives, and the rural collectives before them: production teams and brigades
# (X公社X大队第三生产队), villager groups (X村第五村民组, X村六队, X组)
_VILLAGE = re.compile(
    r"(村民委员会|村委会|居民委员会|经济合作社|股份经济合作社|经济联合社|集体经济组织|村集体|村民小组|合作联社|村$|"
    r"生产队|生产大队|公社.{0,12}大队|村民组|村第?[一二三四五六七八九十\d]{1,3}(?:组|队)|村.{0,6}[一二三四五六七八九十\d]{1,3}(?:组|队)$|小组$)"
)
_TOWNSHIP_GOV = re.compile(r"(镇|乡|街道|苏木)(人民政府|政府|办事处)$")
_INTERNAL_OFFICE = re.compile(
    r"(?P<parent>.{2,40}?(?:人民政府|政府|局|委员会|中心|医院|卫生院|学校|中学|小学|学院|馆|站|院|所|办事处))"
    r"(?P<office>党政办公室|党政办|综合办公室|办公室|后勤科|后勤处|后勤服务中心|总务处|总务科|财务科|财务室|财务处|行政科|行政办|财政所|保卫科|基建科|资产科|资产管理科)$"
)
# a county/city government's general office is an organ with capacity, not an internal office
_OFFICE_WITH_CAPACITY = re.compile(r"(县|市|区|旗|州|省)人民政府办公室$")
_OFFICIAL_TITLE = r"(主任|副主任|书记|支书|村长|组长|镇长|乡长|局长|院长|校长|所长|站长|会计|出纳|负责人|经理|委员)"
_INDIVIDUAL_OFFICIAL = re.compile(rf"{_OFFICIAL_TITLE}\s*[\u4e00-\u9fa5]{{2,3}}$")
_STATE = re.compile(
    r"(人民政府|政府|局$|局[^\u4e00-\u9fa5]|委员会$|办事处|中心$|中心[（(]|学校|中学|小学|幼儿园|学院|医院|卫生院|卫生室|馆$|站$|所$|管委会|事务|机关|国有|党委|党组|法院|检察院|大队$|中队$)"
)
_PRIVATE = re.compile(r"(事务所|有限公司|有限责任公司|股份有限公司|公司$|专业合作社|农民合作社|经营部|商行|超市|个体|工商户|银行|支行|信用社|合作联社|厂$|店$)")


def owner_kind_of(name: str | None) -> tuple[str | None, str | None, str | None]:
    """(side, flavour, parent) of the state / collective party named ``name``.

    side: "state" | "collective" | None; flavour: township_government, administrative_unit,
    public_institution, village, internal_office, individual_official; parent: the unit an
    internal office or an official belongs to."""
    if not name:
        return None, None, None
    name = re.sub(r"[（(](盖章|公章|签章|签字)[)）]", "", name).strip()
    m = _INDIVIDUAL_OFFICIAL.search(name)
    if m and not re.search(r"(公司|合作社)$", name):
        parent = name[: m.start()]
        side = "collective" if (_VILLAGE.search(parent) or parent.endswith("村")) else ("state" if parent else None)
        return side, "individual_official", parent or None
    if _OFFICE_WITH_CAPACITY.search(name):
        return "state", "administrative_unit", None
    m = _INTERNAL_OFFICE.match(name)
    if m:
        parent = m.group("parent")
        side = "collective" if _VILLAGE.search(parent) else "state"
        return side, "internal_office", parent
    if _VILLAGE.search(name):
        return "collective", "village", None
    if _PRIVATE.search(name):
        return None, None, None
    if _TOWNSHIP_GOV.search(name):
        return "state", "township_government", None
    if re.search(r"(局|委员会|办事处|管委会|机关|党委|党组|中心)$", name) and not re.search(r"(学校|医院|卫生院)", name):
        return "state", "administrative_unit", None
    if _STATE.search(name):
        return "state", "public_institution", None
    return None, None, None


# ---------------------------------------------------------------------------------------------
# the facts
# ---------------------------------------------------------------------------------------------

_ESCALATION = re.compile(
    r"每\s*(?P<n>[0-9]+|[一二两三四五六七八九十]+)?\s*(?:个)?\s*年(?:度)?[^。；;\n，,]{0,14}?(?:递增|上浮|增长|增加|上调|提高|上涨)\s*(?P<pct>[0-9]+(?:\.[0-9]+)?)\s*[%％]"
)
_PER_YEAR_WORDS = re.compile(r"(年租金|年固定收益|年收益|年承包费|年承包款|年流转费|年使用费|年租赁费|年费用|每年|按年|全年|年度)")
_STATED_RENT = re.compile(
    r"(?P<p>年|每年|月|每月|季|季度|每季|每季度)(?:租金|承包费|流转费|使用费|固定收益|租赁费)\s*(?:合计|共计|总计|为|是)?\s*(?:人民币)?"
)
_PURPOSE = re.compile(r"(?:用途为|用途：|用途:|作为|用于)\s*(?P<p>[^，。；;\n]{2,14})")


_ROLES = "|".join(sorted(OWNER_ROLES + COUNTER_ROLES, key=len, reverse=True))
# 出租方（甲方） / 甲方（原合同出租人）: which letter stands for which side
_ROLE_LETTER = re.compile(
    rf"(?P<r1>{_ROLES})\s*[（(]\s*(?P<l1>甲方|乙方)\s*[)）]|(?P<l2>甲方|乙方)\s*[（(]\s*(?:原合同)?(?P<r2>{_ROLES})\s*[)）]"
)
_OWNER_ROLE_SET = set(OWNER_ROLES)


def _cn_small(s: str | None) -> int | None:
    if s is None:
        return 1
    if s.isdigit():
        return int(s)
    table = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
    if s in table:
        return table[s]
    if len(s) == 2 and s[0] == "十":
        return 10 + table.get(s[1], 0)
    return None


def _iso(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    for day in (d.day, 30, 29, 28):
        try:
            return date(d.year + y, m + 1, day)
        except ValueError:
            continue
    raise ValueError(d)


def months_between(start: date, end: date) -> int:
    """Whole months of a term written start … end (end usually the day before the anniversary)."""
    nxt = end + timedelta(days=1)
    months = (nxt.year - start.year) * 12 + (nxt.month - start.month)
    if nxt.day != start.day:
        months = round(months + (nxt.day - start.day) / 30.0)
    return max(0, months)


def flatten(document) -> tuple[str, list[int]]:
    """The text the checks read and the offset map back: the document text with the soft wraps
    of PDF / image lines joined, by the same rule extraction reads by
    (:func:`extract.context.join_soft_wraps`)."""
    joined, index = join_soft_wraps(document)
    text, back = normalise(joined)  # simplified script, web glosses dropped: what extraction reads
    return text, [index[i] for i in back]


@dataclass
class Facts:
    agreement: Agreement
    main: "Facts | None" = None  # the main agreement a supplementary agreement amends (batch only)
    extra: dict = field(default_factory=dict)

    # -- text ----------------------------------------------------------------------------------
    @cached_property
    def raw(self) -> str:
        return self.agreement.document.text

    @cached_property
    def _flat(self) -> tuple[str, list[int]]:
        return flatten(self.agreement.document)

    @property
    def text(self) -> str:
        """The text the checks read: the document text, with the soft line wraps of PDF and
        image pages joined (a sentence wrapped over two lines reads as one)."""
        return self._flat[0]

    def raw_pos(self, pos: int) -> int:
        """Offset in the document text of offset ``pos`` of :attr:`text`."""
        index = self._flat[1]
        return index[min(max(pos, 0), len(index) - 1)]

    def find_quote(self, quote: str | None, start: int = 0) -> int:
        """Where a quote (a FieldValue's text, possibly with line breaks) sits in :attr:`text`."""
        if not quote:
            return -1
        pos = self.text.find(quote, start)
        if pos < 0:
            pos = self.text.find(re.sub(r"[\n\f]", "", quote), start)
        if pos < 0:
            pos = self.text.find(normalise(re.sub(r"[\n\f]", "", quote))[0], start)
        return pos

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def source_path(self) -> str:
        return self.agreement.document.source.path

    @property
    def sha256(self) -> str:
        return self.agreement.document.source.sha256

    def field(self, name: str) -> FieldValue | None:
        return self.agreement.fields.get(name)

    def value(self, name: str):
        return self.agreement.value(name)

    # -- evidence ------------------------------------------------------------------------------
    def ev_field(self, name: str) -> Evidence | None:
        fv = self.field(name)
        if fv is None or not fv.text:
            return None
        return Evidence(fv.text, fv.page, fv.bbox)

    def ev_span(self, start: int, end: int) -> Evidence:
        """Evidence quoting ``text[start:end]``, with the page and box it sits on."""
        start = max(0, start)
        end = min(len(self.text), max(end, start + 1))
        r0, r1 = self.raw_pos(start), self.raw_pos(end - 1) + 1
        page, bbox = self.agreement.document.locate(r0, r1)
        return Evidence(self.text[start:end].strip(), page, bbox)

    def ev_sentence(self, pos: int, end: int | None = None) -> Evidence:
        s0, s1 = self.sentence_span(pos)
        if end is not None:
            s1 = max(s1, self.sentence_span(max(pos, end - 1))[1])
        return self.ev_span(s0, s1)

    def ev_find(self, needle: str, start: int = 0) -> Evidence | None:
        pos = self.find_quote(needle, start)
        return None if pos < 0 else self.ev_span(pos, pos + len(needle))

    def sentence_span(self, pos: int, stops: str = "。；;\n\f") -> tuple[int, int]:
        text = self.text
        start = pos
        while start > 0 and text[start - 1] not in stops:
            start -= 1
        end = pos
        while end < len(text) and text[end] not in stops:
            end += 1
        # drop a clause number at the start of the sentence (第三条 / 3.1 / 一、)
        m = re.match(r"\s*(?:第[一二三四五六七八九十百\d]+条\s*|[\d.]+\s+|[一二三四五六七八九十]+、|\d+[．.、]\s*|【[^】]{1,12}】)", text[start:end])
        if m and start + m.end() < end:
            start += m.end()
        return start, end

    def sentences(self) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in re.finditer(r"[^。；;\n\f]+", self.text)]

    # -- kind and type --------------------------------------------------------------------------
    @cached_property
    def kind(self) -> str:
        """What sort of document, as extraction classified it (extract/kind.py): main,
        supplementary, oral_note, white_slip, notice, judgment, minutes, news."""
        kind = self.agreement.document_kind
        if kind is None:  # an Agreement not made by extract_agreement
            return "supplementary" if self.agreement.amends is not None else "main"
        return kind

    @property
    def is_agreement(self) -> bool:
        """An agreement (or a record of one), not a notice, judgment, minutes or story about one."""
        return self.kind in AGREEMENT_KINDS

    @property
    def complete(self) -> bool:
        """Complete enough for its clauses to be judged (extract/kind.py ``structure``)."""
        structure = self.agreement.structure
        return bool(structure.get("complete", True)) if structure else True

    @property
    def is_supplementary(self) -> bool:
        return self.kind == "supplementary"

    @property
    def is_informal_kind(self) -> bool:
        return self.kind in ("oral_note", "white_slip")

    @cached_property
    def type(self) -> str | None:
        t = self.agreement.agreement_type
        if self.main is not None and self.main.type:
            return self.main.type
        if self.kind in ("oral_note", "white_slip"):
            # a note or a receipt records a use for rent: a lease, or contracting of land
            if re.search(r"(承包费|承包款|承包)", self.text):
                return "contracting"
            if re.search(r"(租金|租用|租赁|使用费)", self.text):
                return "lease"
        return t

    # -- parties --------------------------------------------------------------------------------
    @cached_property
    def owner(self) -> str | None:
        v = self.value("owner")
        if v:
            # a signature line read across two cells: 德岭镇人民政府 乙方（盖章）：…
            return re.split(r"\s+(?=乙方|丙方|承租|承包|借用|受让|流入)", str(v))[0].strip()
        # the owner of a note, a receipt or a story is found by extraction (extract.parties), which
        # the checks read: they do not look for parties in the text themselves
        return None

    @cached_property
    def owner_class(self) -> tuple[str | None, str | None, str | None]:
        side, flavour, parent = owner_kind_of(self.owner)
        if side is None:
            # the state / collective side named anywhere in the signature block or text
            for m in re.finditer(r"[\u4e00-\u9fa5]{2,30}?(?:人民政府|村民委员会|村委会|股份经济合作社|经济合作社)", self.text):
                s2, f2, _ = owner_kind_of(m.group(0))
                if s2:
                    return s2, f2, None
        return side, flavour, parent

    @property
    def owner_side(self) -> str | None:
        return self.owner_class[0]

    @property
    def is_state(self) -> bool:
        return self.owner_side == "state"

    @property
    def is_collective(self) -> bool:
        return self.owner_side == "collective"

    @cached_property
    def counterparty(self) -> str | None:
        v = self.value("counterparty")
        if v:
            return re.split(r"\s+(?=甲方|丙方|出租|发包|出借|转让|流出)", str(v))[0].strip()
        return None  # parties are read by extraction (extract.parties), tables included

    @cached_property
    def owner_refs(self) -> list[str]:
        """How the text refers to the owner: 甲方, 出租方, 发包方 …"""
        refs = {r for r in OWNER_ROLES if r in self.text}
        owner_letter = self.owner_letter
        if owner_letter:
            refs.add(owner_letter)
        return sorted(refs, key=len, reverse=True) or ["甲方"]

    @cached_property
    def counter_refs(self) -> list[str]:
        """How the text refers to the counterparty: 乙方, 承租方, 承包方 …"""
        refs = {r for r in COUNTER_ROLES if r in self.text}
        other = {"甲方": "乙方", "乙方": "甲方"}.get(self.owner_letter or "甲方", "乙方")
        refs.add(other)
        return sorted(refs, key=len, reverse=True)

    @cached_property
    def owner_letter(self) -> str | None:
        """Which letter (甲方 / 乙方) the owner goes by: 出租方（甲方）, 甲方（原合同出租人）…"""
        t = self.text
        m = _ROLE_LETTER.search(t)
        if m:
            role = m.group("r1") or m.group("r2")
            letter = m.group("l1") or m.group("l2")
            if role in _OWNER_ROLE_SET:
                return letter
            return "乙方" if letter == "甲方" else "甲方"
        if self.owner:
            m = re.search(rf"(甲方|乙方)[^\n]{{0,12}}[:：]\s*{re.escape(self.owner)}", t)
            if m:
                return m.group(1)
        return "甲方" if "甲方" in t else None

    # -- asset ----------------------------------------------------------------------------------
    @property
    def asset(self) -> str | None:
        v = self.value("asset")
        if v:
            return str(v)
        if self.main is not None:
            return self.main.asset
        m = re.search(r"(?:标的|标的物|租赁物)\s*[:：]\s*(?P<a>[^\n，。；]{2,30})", self.text)
        return m.group("a") if m else None

    @property
    def asset_location(self) -> str | None:
        v = self.value("asset_location")
        if v:
            return str(v)
        if self.main is not None:
            return self.main.asset_location
        return None

    @cached_property
    def asset_kind(self) -> str | None:
        if self.main is not None and self.main.asset_kind:
            return self.main.asset_kind
        asset = self.asset
        purpose = None
        m = _PURPOSE.search(self.text)
        if m:
            purpose = m.group("p")
        kind = infer_asset_kind(asset, purpose, self.area_unit)
        if kind is None and asset is None:
            # receipts and notes: the words before 租金/承包费
            m = re.search(r"(?:交来|收款事由[\t\s]*)(?P<a>[^，。；\n]{2,20}?)(?:\d{4}|[一二三四五六七八九〇零]{4})年", self.text)
            if m:
                kind = infer_asset_kind(m.group("a"))
        return kind

    @property
    def unit(self) -> str | None:
        return KIND_UNIT.get(self.asset_kind or "")

    @cached_property
    def area_m2(self) -> float | None:
        v = self.value("area_m2")
        if v:
            return float(v)
        if self.main is not None:
            return self.main.area_m2
        return None

    @cached_property
    def area_unit(self) -> str | None:
        fv = self.field("area_m2")
        if fv is None:
            return self.main.area_unit if self.main is not None else None
        return "mu" if "亩" in (fv.text or "") else "m2"

    @cached_property
    def count(self) -> int | None:
        n = count_in(self.asset)
        if n is None and self.main is not None:
            return self.main.count
        if n is None:
            # 双方就租赁挖掘机一台事宜 / a vehicle list table: count the rows
            n = count_in(self.text[:600])
        return n

    def quantity(self) -> float | None:
        """Size in the unit of the asset kind's market rent (m², 亩, vehicles, machines)."""
        unit = self.unit
        if unit == "m2_month":
            return self.area_m2
        if unit == "mu_year":
            return None if not self.area_m2 else self.area_m2 / MU_M2
        if unit in ("vehicle_month", "set_month"):
            return float(self.count) if self.count else None
        return None

    # -- rent -----------------------------------------------------------------------------------
    @cached_property
    def free(self) -> bool:
        v = self.value("annual_rent_yuan")
        if v is not None and float(v) == 0.0:
            return True
        return bool(re.search(r"无偿(?:出借|借用|使用|提供)[^。；\n]{0,20}(?:不|无需|免)[^。；\n]{0,6}(?:支付|交纳|缴纳|收取)", self.text)) and self.type == "lending"

    @cached_property
    def annual_rent(self) -> float | None:
        """The yearly rent (first year): the extracted annual rent, else the rent scaled by its
        period, else a yearly amount the extractor read as a one-off; a per-vehicle (machine)
        rate is multiplied by the count; a rent table's yearly column when nothing else."""
        v = self.value("annual_rent_yuan")
        fv = self.field("rent_amount_yuan")
        item_rate = None
        if fv is not None and fv.text:
            pos = self.find_quote(fv.text)
            if pos >= 0:
                item_rate = re.search(r"每\s*(台|辆|套|部|架|艘)\s*每?\s*(月|年|季度?)?\s*(?:租金)?\s*(?:为|是)?$", self.text[max(0, pos - 10) : pos])
        if v is not None and item_rate is None:
            table = self._rent_table()
            if table is not None and abs(table[0][0] - float(v)) > 1:
                # the extractor read another column of the rent table (the unit price): the
                # yearly column wins when the value read is one of the table's other cells
                others = [x for row in table[1] for x in row]
                if any(abs(x - float(v)) < 0.005 for x in others):
                    return table[0][0]
            return float(v)
        stated = self.stated_periodic_rent()
        if stated is not None:
            return stated[0]
        if item_rate is not None and fv is not None and self.count:
            per = {"月": 12, "年": 1, "季": 4, "季度": 4}.get(item_rate.group(2) or "月", 12)
            return float(fv.value) * self.count * per
        amount = self.value("rent_amount_yuan")
        if amount is None:
            table = self.table_rent()
            return table[0] if table else None
        amount = float(amount)
        period = self.value("rent_period")
        before = ""
        if fv is not None and fv.text:
            pos = self.find_quote(fv.text)
            if pos >= 0:
                s0, _ = self.sentence_span(pos)
                before = self.text[max(s0, pos - 14) : pos]
        if period in (None, "once") and _PER_YEAR_WORDS.search(before):
            return amount
        per = {"year": 1, "month": 12, "quarter": 4, "day": 365, "half_year": 2}.get(period or "")
        if per:
            return amount * per
        if period == "once" and self.months:
            return amount * 12.0 / self.months
        if self.is_supplementary and re.search(r"年(?:租金|承包费|流转费|使用费|固定收益)", before + "年"):
            return amount
        return None

    def stated_periodic_rent(self) -> tuple[float, int, int] | None:
        """A rent stated per period in so many words (月租金合计3,450.00元 → ×12): (yearly, start, end)."""
        for m in _STATED_RENT.finditer(self.text):
            money = find_money(self.text[m.end() : m.end() + 40])
            if not money or money[0].start > 12:
                continue
            per = 12 if m.group("p") in ("月", "每月") else 4 if m.group("p") in ("季", "季度", "每季", "每季度") else 1
            mm = money[0]
            return float(mm.value) * per, m.end() + mm.start, m.end() + mm.end
        return None

    def table_rent(self) -> tuple[float, int, int] | None:
        """The yearly rent from a rent table (header 年流转费（元）): a schedule by year (第一年 …)
        gives its first year; a table of plots gives their total (the 合计 row, else the sum)."""
        t = self._rent_table()
        return None if t is None else t[0]

    def _rent_table(self) -> tuple[tuple[float, int, int], list[list[float]]] | None:
        """((yearly rent, start, end), the other numbers of each row) of a rent table whose
        header names a yearly column (年租金（元） / 年流转费（元）); cells are found by their
        position from the right, so a header cell OCR split in two (面积 (亩)) does not shift it."""
        lines = self.text.split("\n")
        offsets, pos = [], 0
        for line in lines:
            offsets.append(pos)
            pos += len(line) + 1
        number = re.compile(r"^[¥￥]?\d[\d,]*(?:\.\d+)?元?$")
        for i, line in enumerate(lines):
            cells = re.split(r"\s+", line.strip())
            col = next((k for k, c in enumerate(cells) if re.search(r"年(?:租金|流转费|承包费|使用费|固定收益)\s*[（(]?\s*元", c)), None)
            if col is None:
                continue
            from_end = len(cells) - col
            total = None
            rows: list[tuple[str, float, int, int, list[float]]] = []
            for j in range(i + 1, min(len(lines), i + 20)):
                row = lines[j]
                if len(row) > 80 or re.search(r"[。，；;:：]", row):
                    break  # the table ended: a sentence, not a row
                tokens = re.split(r"\s+", row.strip())
                nums = [t for t in tokens if number.match(t)]
                if not nums:
                    break
                cell = tokens[-from_end] if len(tokens) >= from_end and number.match(tokens[-from_end]) else nums[-1]
                value = float(re.sub(r"[¥￥,元]", "", cell))
                at = offsets[j] + row.rfind(cell)
                others = [float(re.sub(r"[¥￥,元]", "", t)) for t in nums if t is not cell]
                if re.search(r"(合计|总计)", row):
                    total = (value, at, at + len(cell))
                    break
                rows.append((tokens[0], value, at, at + len(cell), others))
            if not rows and total is None:
                continue
            all_others = [r[4] for r in rows]
            if rows and re.search(r"(第[一二三四五六七八九十\d]+年|^\d{4}年?|年度)", rows[0][0]):
                return (rows[0][1], rows[0][2], rows[0][3]), all_others  # a schedule by year: the first year
            if total:
                return total, all_others
            return (sum(r[1] for r in rows), rows[0][2], rows[-1][3]), all_others
        return None

    @cached_property
    def escalation(self) -> tuple[int, float] | None:
        m = _ESCALATION.search(self.text)
        if not m:
            return None
        step = _cn_small(m.group("n"))
        if not step:
            return None
        return step, float(m.group("pct")) / 100.0

    def unit_rent(self) -> float | None:
        """Initial unit rent in the unit of the asset kind's market rent."""
        annual = self.annual_rent
        q = self.quantity()
        unit = self.unit
        if annual is None or not q or self.free or unit is None:
            return None
        if unit == "mu_year":
            return annual / q
        return annual / 12.0 / q

    # -- term -----------------------------------------------------------------------------------
    @cached_property
    def start(self) -> date | None:
        if self.is_supplementary:
            return self.main.start if self.main is not None else None
        start = _iso(self.value("term_start"))
        if start is None and self.signed and re.search(r"(自|从)\s*(本|该)?(合同|协议)(签订|签署|签字)之日起", self.text):
            return self.signed  # 期限为十年，从本合同签订之日起算
        return start

    @cached_property
    def new_end(self) -> tuple[date, int, int] | None:
        """A supplementary agreement's new term end: (date, start, end offsets)."""
        t = self.text
        for m in re.finditer(r"(延长后(?:的)?(?:租赁|承包|流转|合同|使用)?期限?|期限延长|延长|顺延|变更为|调整为)[^。；;\n]{0,14}?至", t):
            dates = [d for d in find_dates(t[m.end() : m.end() + 20]) if len(str(d.value)) == 10]
            if dates:
                d = dates[0]
                return _iso(d.value), m.end() + d.start, m.end() + d.end
        return None

    @cached_property
    def amends_date(self) -> date | None:
        """The main agreement's signing date as a supplementary agreement quotes it."""
        d = _iso((self.agreement.amends or {}).get("date_iso"))
        if d:
            return d
        for m in re.finditer(r"(?:于|在)\s*", self.text):
            dates = [x for x in find_dates(self.text[m.end() : m.end() + 20]) if len(str(x.value)) == 10 and x.start == 0]
            if dates and re.match(r"\s*(签订|签署|订立)", self.text[m.end() + dates[0].end : m.end() + dates[0].end + 4]):
                return _iso(dates[0].value)
        return None

    @cached_property
    def extension_months(self) -> int | None:
        m = re.search(r"(?:期限|租期|承包期)?延长\s*(?P<d>[^，。；;\n]{1,8}?(?:年|个月))", self.text)
        if not m:
            return None
        durs = find_durations(m.group("d"))
        return int(durs[0].value) if durs else None

    @cached_property
    def end(self) -> date | None:
        if self.is_supplementary:
            ne = self.new_end
            if ne:
                return ne[0]
            if self.main is not None and self.main.end and self.extension_months:
                return add_months(self.main.end + timedelta(days=1), self.extension_months) - timedelta(days=1)
            return None
        end = _iso(self.value("term_end"))
        if end is None and self.start and self.value("term_months"):
            end = add_months(self.start, int(self.value("term_months"))) - timedelta(days=1)
        return end

    @cached_property
    def months(self) -> int | None:
        if self.is_supplementary:
            if self.start and self.end:
                return months_between(self.start, self.end)
            return None
        v = self.value("term_months")
        if v:
            return int(v)
        if self.start and self.end:
            return months_between(self.start, self.end)
        return None

    @property
    def signed(self) -> date | None:
        return _iso(self.value("signed_date"))

    # -- value ----------------------------------------------------------------------------------
    def total_value(self) -> float | None:
        """Annual rent over the term (with escalation), or a transfer's price; None when unknown."""
        if self.type == "transfer":
            v = self.value("rent_amount_yuan")
            return float(v) if v is not None else None
        annual = self.annual_rent
        if annual is None:
            return None
        months = self.months
        if not months:
            return None
        total = 0.0
        step, pct = self.escalation or (0, 0.0)
        full_years, rest = divmod(months, 12)
        for y in range(full_years + (1 if rest else 0)):
            factor = (1 + pct) ** (y // step) if step else 1.0
            frac = 1.0 if y < full_years else rest / 12.0
            total += annual * factor * frac
        return round(total, 2)

    # -- places ---------------------------------------------------------------------------------
    def places(self) -> list[str]:
        """Where the asset is, most specific first: asset location, asset, owner, the text."""
        out = [self.asset_location or "", self.asset or "", self.owner or ""]
        if self.main is not None:
            out += self.main.places()
        out.append(self.text)
        return out


__all__ = ["Facts", "add_months", "months_between", "owner_kind_of"]

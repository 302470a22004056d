"""The legal articles findings cite — every one listed in ../shared/legal_basis.md.

A finding's ``basis`` is built from these entries (:func:`basis`), so each cited article is
one that the legal-basis page lists (tests/test_checks.py checks every entry against the page),
plus, where the number is local, the profile's ``local_basis`` text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CIVIL_CODE = "《中华人民共和国民法典》"
REGULATION = "《行政事业性国有资产管理条例》"
VILLAGE_ORG = "《中华人民共和国村民委员会组织法》"
LAND_CONTRACTING = "《中华人民共和国农村土地承包法》"
LAND_ADMIN = "《中华人民共和国土地管理法》"
INSTITUTION_RULES = "《事业单位国有资产管理暂行办法》（财政部令第100号修改）"
TENDER_LAW = "《中华人民共和国招标投标法》"
SOE_LAW = "《中华人民共和国企业国有资产法》"
GUARANTEE_INTERP = "《最高人民法院关于适用〈中华人民共和国民法典〉有关担保制度的解释》"


# The campaign's own documents (../shared/seeds/, described in ../shared/domain.md), by their
# number there: a basis cites them by title, as a lawyer would, never by the seed's number.
SEED_TITLES: dict[str, str] = {
    "000": "《互助县国有资产清查规范管理、违规协议清理及“小金库”专项清查工作方案》",
    "001": "《XX区开展“小金库”专项治理工作方案》",
    "002": "《开展省政府驻外办事处资产管理存在问题专项集中整治方案》",
    "003": "《全省党政机关和事业单位“小金库”专项清查工作指南》",
    "004": "《鄂托克前旗扶贫（帮扶）项目资产巩固提升盘活处置工作方案》",
}
_SEED_REF = re.compile(r"种子文件\s*(\d{3})\s*")


def cite_seeds(text: str) -> str:
    """``种子文件000 四(二)4`` → ``《互助县…工作方案》四(二)4`` (unknown numbers are left as written)."""
    return _SEED_REF.sub(lambda m: SEED_TITLES.get(m.group(1), m.group(0)), text or "")


@dataclass(frozen=True)
class Article:
    law: str  # the title as cited
    alias: str  # how ../shared/legal_basis.md names the law
    number: int
    item: str = ""  # 项, e.g. "（一）"

    def cite(self) -> str:
        return f"{self.law}第{cn_number(self.number)}条{'第' + self.item + '项' if self.item else ''}"


ARTICLES: dict[str, Article] = {
    # civil code
    "civil_146": Article(CIVIL_CODE, "民法典", 146),
    "civil_153": Article(CIVIL_CODE, "民法典", 153),
    "civil_154": Article(CIVIL_CODE, "民法典", 154),
    "civil_261": Article(CIVIL_CODE, "民法典", 261),
    "civil_399": Article(CIVIL_CODE, "民法典", 399),
    "civil_502": Article(CIVIL_CODE, "民法典", 502),
    "civil_683": Article(CIVIL_CODE, "民法典", 683),
    "civil_705": Article(CIVIL_CODE, "民法典", 705),
    "civil_707": Article(CIVIL_CODE, "民法典", 707),
    # 行政事业性国有资产管理条例 (国务院令第738号)
    "reg_9": Article(REGULATION, "条例", 9),
    "reg_19": Article(REGULATION, "条例", 19),
    "reg_25": Article(REGULATION, "条例", 25),
    "reg_26": Article(REGULATION, "条例", 26),
    "reg_30": Article(REGULATION, "条例", 30),
    "reg_36": Article(REGULATION, "条例", 36),
    "reg_53_1": Article(REGULATION, "条例", 53, "（一）"),
    "reg_54_1": Article(REGULATION, "条例", 54, "（一）"),
    "reg_54_3": Article(REGULATION, "条例", 54, "（三）"),
    # village and land
    "village_24": Article(VILLAGE_ORG, "村民委员会组织法", 24),
    "land_contracting_52": Article(LAND_CONTRACTING, "农村土地承包法", 52),
    "land_admin_63": Article(LAND_ADMIN, "土地管理法", 63),
    # approvals
    "institution_21": Article(INSTITUTION_RULES, "事业单位国有资产管理暂行办法", 21),
    # tender, transfers, guarantees
    "tender_46": Article(TENDER_LAW, "招标投标法", 46),
    "soe_54": Article(SOE_LAW, "企业国有资产法", 54),
    "soe_55": Article(SOE_LAW, "企业国有资产法", 55),
    "guarantee_5": Article(GUARANTEE_INTERP, "担保制度解释", 5),
    "guarantee_6": Article(GUARANTEE_INTERP, "担保制度解释", 6),
}


def basis(*keys: str, local: str | None = None) -> str:
    """The basis text: the cited articles (grouped by law), then the local rule if any."""
    parts: list[str] = []
    by_law: dict[str, list[Article]] = {}
    for key in keys:
        art = ARTICLES[key]
        by_law.setdefault(art.law, []).append(art)
    for law, arts in by_law.items():
        cites = [f"第{cn_number(a.number)}条{'第' + a.item + '项' if a.item else ''}" for a in arts]
        parts.append(law + "、".join(cites))
    if local:
        parts.append(local)
    return "；".join(parts)


_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Article numbers as written in Chinese statutes: 705 → 七百零五, 24 → 二十四, 10 → 十."""
    if n < 0 or n >= 10000:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    out = ""
    units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    zero = False
    started = False
    for value, name in units:
        d = n // value % 10
        if d:
            if zero and started:
                out += "零"
            out += _DIGITS[d] + name
            started = True
            zero = False
        elif started:
            zero = True
    return out


__all__ = ["ARTICLES", "SEED_TITLES", "Article", "basis", "cite_seeds", "cn_number"]

"""Invented names for places, people, units and companies, with plausible code numbers.

All names are composed from character lists with a seeded ``random.Random``; none is meant to
name a real person or company.  A :class:`NamePool` remembers what it handed out so that two
agreements in one batch never share a counterparty by accident (side contracts share one on
purpose).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# ------------------------------------------------------------------ characters

_PLACE_A = "青安宁永丰泰临清和长新兴富嘉昌乐德广华云河龙凤金玉白石松柏桃杏梅兰柳溪泉峰岭川平阳源"
_PLACE_B = "川平阳宁源丰山河安城江陵溪林原水泉台坪沟湾岭塘口桥庄堡寨集店坝峪"
_VILLAGE_A = "东西南北上下前后大小新老高柳杨李王张刘陈赵马黄田石沙河山桥林枣杏桃梨槐松"
_VILLAGE_B = "庄湾沟洼坪岭河塘营屯寨堡园集岗坡滩峪坝口店铺院"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "建国立华明军伟志刚永红春玉兰海涛文斌平德胜英秀芳丽娟强超勇杰宏群亮峰国庆福寿长林成荣鹏飞云霞桂珍凤霞学东晓宇彬金宝成万全喜庆新民振兴世杰开元"
_BRAND_A = "青禾丰瑞鑫源鼎盛恒泰华宇金穗绿野润丰博远天成宏达嘉禾沃土兴农祥和瑞丰永盛德润众诚康顺利民富农聚源汇通"
_INDUSTRY = [
    "商贸", "农业开发", "种植", "养殖", "建筑工程", "物流", "餐饮管理", "物业管理", "农产品加工",
    "建材", "汽车运输", "机械租赁", "文化旅游", "实业", "生态农业", "粮油", "酒店管理", "商业运营",
]
_COOP_KIND = ["种植专业合作社", "养殖专业合作社", "农机专业合作社", "果蔬专业合作社", "农民专业合作社"]
_BANKS = ["农村商业银行", "农村信用合作联社", "农业银行", "邮政储蓄银行", "村镇银行"]
_STREETS = ["人民路", "解放路", "建设路", "新华街", "文化路", "府前街", "团结路", "育才路", "迎宾大道", "商贸街", "滨河路", "中心街"]

COUNTY_DEPARTMENTS = [
    "教育局", "农牧局", "农业农村局", "文体旅游广电局", "卫生健康局", "交通运输局", "水利局",
    "住房和城乡建设局", "林业和草原局", "民政局", "市场监督管理局", "自然资源局", "机关事务服务中心",
]
PUBLIC_INSTITUTIONS = [
    "第一中学", "第二中学", "职业技术学校", "人民医院", "中医院", "农业技术推广中心", "文化馆", "图书馆",
    "畜牧兽医站", "水利工程管理所", "体育中心",
]
TOWNSHIP_INSTITUTIONS = ["中心学校", "卫生院", "农业综合服务中心", "文化站"]


def _pick(rng: random.Random, s) -> str:
    return s[rng.randrange(len(s))]


# ------------------------------------------------------------------ codes

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(rng: random.Random, kind: str = "company", area: str = "630000") -> str:
    """统一社会信用代码 with a valid check character (GB 32100-2015).

    kind: company (91…), coop (93…), institution (12…), organ (11…), village (54…)."""
    head = {"company": "91", "coop": "93", "institution": "12", "organ": "11", "village": "54"}[kind]
    body = head + area + "".join(_pick(rng, _USCC_CHARS) for _ in range(9))
    s = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_W))
    check = _USCC_CHARS[(31 - s % 31) % 31]
    return body + check


def id_number(rng: random.Random, area: str = "632126") -> str:
    """An 18-digit ID-card-like number (ISO 7064 MOD 11-2 check digit) for an invented person."""
    y = rng.randint(1958, 1995)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    body = f"{area}{y:04d}{m:02d}{d:02d}{rng.randint(0, 999):03d}"
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * wi for c, wi in zip(body, w))
    return body + "10X98765432"[s % 11]


def phone(rng: random.Random) -> str:
    return "1" + _pick(rng, "3578") + "".join(str(rng.randrange(10)) for _ in range(9))


def landline(rng: random.Random) -> str:
    return f"0{rng.randint(900, 979)}-{rng.randint(2000000, 8999999)}"


def account_no(rng: random.Random) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(17))


def card_no(rng: random.Random) -> str:
    return "6217" + "".join(str(rng.randrange(10)) for _ in range(15))


# ------------------------------------------------------------------ pool


@dataclass
class Person:
    name: str
    id_no: str
    phone: str


@dataclass
class Company:
    name: str  # full registered name
    short: str  # how people abbreviate it
    code: str
    rep: Person
    address: str
    kind: str = "company"  # company | coop | individual


@dataclass
class Place:
    county: str  # 安平县
    county_short: str  # 安平
    township: str  # 青山镇
    township_short: str  # 青山
    villages: list[str]
    area_code: str
    city: str = ""  # 海平市 (the prefecture above the county)
    city_short: str = ""


@dataclass
class NamePool:
    rng: random.Random
    used: set[str] = field(default_factory=set)

    def _unique(self, make, tries: int = 200) -> str:
        for _ in range(tries):
            s = make()
            if s not in self.used:
                self.used.add(s)
                return s
        raise RuntimeError("name pool exhausted")

    def person_name(self) -> str:
        r = self.rng

        def make():
            return _pick(r, _SURNAMES) + "".join(_pick(r, _GIVEN) for _ in range(r.choice((1, 2, 2))))

        return self._unique(make)

    def person(self, area: str = "632126") -> Person:
        return Person(self.person_name(), id_number(self.rng, area), phone(self.rng))

    def county(self) -> tuple[str, str]:
        r = self.rng
        short = self._unique(lambda: _pick(r, _PLACE_A) + _pick(r, _PLACE_B))
        return short + "县", short

    def township(self) -> tuple[str, str]:
        r = self.rng
        short = self._unique(lambda: _pick(r, _PLACE_A) + _pick(r, _PLACE_B))
        return short + r.choice(("镇", "镇", "镇", "乡")), short

    def village(self) -> str:
        r = self.rng
        return self._unique(lambda: _pick(r, _VILLAGE_A) + _pick(r, _VILLAGE_B) + "村")

    def place(self) -> Place:
        county, cshort = self.county()
        town, tshort = self.township()
        villages = [self.village() for _ in range(4)]
        area = f"63{self.rng.randint(21, 29):02d}{self.rng.randint(21, 28):02d}"
        r = self.rng
        city_short = self._unique(lambda: _pick(r, _PLACE_A) + _pick(r, "东西南北中阳州原"))
        return Place(county, cshort, town, tshort, villages, area, city_short + "市", city_short)

    def company(self, county_short: str, area: str, kind: str = "company", industries: list[str] | None = None) -> Company:
        r = self.rng
        brand = self._unique(lambda: _pick(r, _BRAND_A) + _pick(r, _BRAND_A))
        rep = self.person(area)
        if kind == "coop":
            full = f"{county_short}县{brand}{r.choice(_COOP_KIND)}"
            short = f"{brand}合作社"
            code = uscc(r, "coop", area)
        else:
            ind = r.choice(industries or _INDUSTRY)
            suffix = r.choice(("有限公司", "有限公司", "有限责任公司"))
            full = f"{county_short}{brand}{ind}{suffix}" if r.random() < 0.6 else f"{county_short}县{brand}{ind}{suffix}"
            short = f"{brand}{ind}公司"
            code = uscc(r, "company", area)
        addr = f"{county_short}县{r.choice(_STREETS)}{r.randint(1, 188)}号"
        return Company(full, short, code, rep, addr, kind)

    def individual(self, area: str, village: str | None = None) -> Company:
        p = self.person(area)
        addr = village or "本县"
        return Company(p.name, p.name, p.id_no, p, addr, "individual")

    def bank(self, county_short: str, town_short: str) -> str:
        return f"{county_short}{self.rng.choice(_BANKS)}{town_short}支行"

    def street(self) -> str:
        return self.rng.choice(_STREETS)

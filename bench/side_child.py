"""``python -m bench.side_child N``: side-contract detection (checks/side.py, the real batch check)
over N generated agreements of one county; prints JSON on stdout. A fresh process per size, so
the bench can read its peak memory."""

from __future__ import annotations

import json
import random
import sys
import time


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def records(n: int, seed: int = 3) -> list:
    """``n`` lease agreements as extraction would leave them (fields with their text, a short
    text page): about 30 agreements per village (60 villages at least), 7 asset kinds, random
    four-character counterparties; every 50th agreement has a side twin — other spelling of both
    parties, another rent."""
    from extract.agreement import Agreement, FieldValue
    from ingest.document import Document, Line, Page, SourceInfo

    rng = random.Random(seed)
    chars = "青禾瑞源丰穗宏达鑫泰华成润康利盛金沃永通德嘉兴博天和顺安平富民汇聚鼎野农业商贸物流建材餐饮实业"
    # a county has a few hundred villages: more records are more villages (and towns), not more
    # agreements per village (60 villages hold 30 agreements each at 1,800 records)
    towns = ["".join(rng.sample(chars, 2)) + "镇" for _ in range(max(1, n // 18000 + 1))]
    villages = [rng.choice(towns) + "".join(rng.sample(chars, 2)) + "村" for _ in range(max(60, n // 30))]
    assets = ["临街门面房", "原粮站仓库", "村集体耕地", "日光温室大棚", "闲置厂房", "办公用房", "养殖小区圈舍"]
    out = []
    i = 0
    while len(out) < n:
        v = rng.choice(villages)
        cp = "安平县" + "".join(rng.sample(chars, 4)) + "有限公司"
        owner = f"{v}村民委员会"
        asset = rng.choice(assets)
        area = float(rng.randint(50, 900))
        year = rng.randint(2015, 2024)
        rent = float(rng.randint(20, 400) * 100)
        versions = [(owner, cp, rent)]
        if i % 50 == 0:
            versions.append(("安平县" + owner.replace("村民委员会", "村委会"), cp[3:].replace("有限公司", "公司"), rent * 0.6))
        for own, party, yearly in versions:
            if len(out) >= n:
                break
            text = (f"出租方：{own}\n承租方：{party}\n甲方将位于{v}{rng.randint(1, 99)}号的{asset}出租给乙方，"
                    f"面积{area:g}平方米，租期自{year}年1月1日起至{year + 5}年12月31日止，年租金{yearly:g}元。")
            doc = Document(SourceInfo(path=f"a{len(out):06d}.txt", name=f"a{len(out):06d}.txt", sha256=f"{len(out):064x}",
                                      size=len(text), format="text"),
                           pages=[Page(number=1, kind="text", lines=[Line(t) for t in text.split("\n")])])
            a = Agreement(document=doc, agreement_type="lease", document_kind="main")
            values = {"owner": own, "counterparty": party, "asset": asset, "asset_location": v,
                      "area_m2": area, "term_start": f"{year}-01-01", "term_end": f"{year + 5}-12-31", "term_months": 72,
                      "annual_rent_yuan": yearly, "rent_amount_yuan": yearly, "rent_period": "year",
                      "signed_date": f"{year - 1}-12-20"}
            for name, value in values.items():
                a.fields[name] = FieldValue(value, str(value), 1)
            out.append(a)
        i += 1
    return out


def main(argv: list[str]) -> int:
    n = int(argv[0])
    from checks import CheckContext
    from checks.side import DistinctiveText, candidate_pairs, plausible_pairs, side_contract

    agreements = records(n)
    before = _rss_mib()
    ctx = CheckContext(batch=agreements)
    started = time.perf_counter()
    found = side_contract(agreements, ctx)
    seconds = time.perf_counter() - started
    after = _rss_mib()
    facts = [ctx.facts(a) for a in agreements]
    idx = list(range(len(facts)))
    text = DistinctiveText(facts, idx)
    pairs = candidate_pairs(facts, idx) | text.candidate_pairs()
    compared = len(plausible_pairs(facts, pairs, ctx.profile.side_contract))  # compared name by name
    twins = sum(1 for i, a in enumerate(agreements) if "村委会" in (a.value("owner") or ""))
    json.dump({"records": n, "seconds": round(seconds, 2), "s_per_1000": round(1000 * seconds / n, 3),
               "rss_before_mib": round(before, 1), "rss_after_mib": round(after, 1),
               "candidate_pairs": len(pairs), "pairs_compared": compared, "side_twins": twins,
               "agreements_flagged": len(found)}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

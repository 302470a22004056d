"""The labelled corpus generator: synthetic agreements with ground truth, in several renderings.

    from corpus.generate import generate_corpus
    manifest = generate_corpus(Path("data/corpus"), n=200, seed=7, formats=("text",))

What a corpus directory holds
-----------------------------
``manifest.json``
    ``{"seed", "n", "as_of", "formats", "all_formats", "split", "check_ids",
    "families": {id: split}, "family_info": {id: {split, kind, description}},
    "documents": [{"id", "split", "family", "kind", "format", "truth": "a0001.json",
    "rendering": "docx", "renderings": {"text": "a0001.txt", "docx": "a0001.docx"},
    ["scan_rotated_pages": [0]]}]}`` (``rendering`` names the one chosen format).
    Each document gets the ``.txt`` rendering (the label reference) plus ONE of ``formats``
    (balanced, seeded), or every format with ``all_formats=True``.  Scans are ``a0001_scan.pdf``
    (about 10% with a page turned 90°); phone photos are one JPEG per page, listed as
    ``"photo": ["a0001_photo_p1.jpg", ...]``.
``a0001.json``
    the ground truth (see :func:`truth_record`): every field of ``extract.agreement.FIELD_NAMES``
    as ``{"value", "text"}`` or ``null``; ``text`` is an exact substring of the ``.txt``;
    ``expected_checks``, ``expected_disposition``, ``disposition_driver``, ``missing``,
    ``warning_level``, ``pair_id``, ``amends``, ``details`` and ``source_text``.
``profile.yaml``
    a byte copy of the jurisdiction profile the labels were computed against.
``market_reference.csv``
    the market rent reference, one row per asset kind and township::

        asset_kind,location,unit,unit_rent,date
        shop,安平县青山镇,m2_month,26.5,2026-01-01

    ``location`` is county + township (every ``asset_location`` in the corpus names its
    township); ``unit`` is one of ``m2_month`` (yuan per m² per month: shop, office, plant,
    warehouse, canteen, market, farm, building), ``mu_year`` (yuan per 亩 per year: land,
    greenhouse, fishpond, forest), ``vehicle_month`` (yuan per vehicle per month) and
    ``set_month`` (yuan per machine per month); ``date`` is the date of the survey.
    A unit rent is computed from the agreement as annual rent / 12 / area (m² or count) or
    annual rent / 亩.  ``below_market_rent`` = below ``rent.below_market_ratio`` × reference.

Labels are computed from each agreement's facts (``corpus/labels.py`` states the conventions);
the batch plan injects each irregularity at a known rate, alone and combined, with about 55%
compliant agreements and deliberate tricky negatives (small direct leases below the tender
threshold, 20–30-year village land contracts).  The same seed gives byte-identical truth, text
and docx files (and identical PDFs and images as far as the renderers are deterministic).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import zlib
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from extract.agreement import FIELD_NAMES

from . import families as _families  # noqa: F401  (registers the families)
from .builder import (
    BuildError,
    build_guarantee,
    build_main,
    build_oral_note,
    build_supplement,
    build_white_slip,
    extend_over,
    renewal_twin,
    side_twin,
    side_twin_real,
)
from .docbuild import Doc, to_traditional
from .facts import DEFAULT_PROFILE, BatchContext, Deal, load_profile
from .families import MAIN_ROLE_LABELS
from .labels import CHECK_IDS, compute_labels
from .registry import FAMILIES, INJECTABLE, Family

FORMATS = ("text", "docx", "pdf", "scan", "photo")
AS_OF = date(2026, 11, 21)

#: share of the documents each scenario takes (pairs count two documents)
SCENARIO_SHARES: tuple[tuple[str, float], ...] = (
    ("clean", 0.39),
    ("tricky_small_direct", 0.035),
    ("tricky_long_land", 0.035),
    ("single", 0.25),
    ("double", 0.06),
    ("oral_note", 0.025),
    ("white_slip", 0.025),
    ("side_pair", 0.03),
    ("side_pair_real", 0.04),
    ("renewal", 0.04),
    ("supplement", 0.07),
    ("guarantee", 0.03),
    ("minutes", 0.01),
    ("notice", 0.01),
)
PAIR_SCENARIOS = ("side_pair", "side_pair_real", "renewal", "supplement")
#: side contracts and renewals written as real ones are: one of the two is always a scan
FORCED_FORMAT = "scan"
EXPIRY_RATE = 0.10
SCAN_ROTATE_RATE = 0.10

#: supplementary agreements: what they change (clean ones listed twice)
AMEND_CYCLE = ("rent_increase", "extend", "rent_reduce", "extend_over", "rent_increase", "waive", "payee", "extend", "harmful", "no_decision", "unsealed")
AMEND_EXPECT = {
    "rent_increase": set(),
    "extend": set(),
    "rent_reduce": {"below_market_rent"},
    "extend_over": {"over_term"},
    "waive": {"stalled_performance"},
    "payee": {"off_book_income"},
    "harmful": {"harmful_terms"},
    "no_decision": {"no_collective_decision"},
    "unsealed": {"informal_agreement"},
}
#: defects a main agreement that gets a supplementary agreement may carry
SUPP_MAIN_DEFECTS = ("no_collective_decision", "no_public_tender", "harmful_terms", "off_book_income", "below_market_rent")


class CorpusError(RuntimeError):
    pass


# ------------------------------------------------------------------------------------------
# plan
# ------------------------------------------------------------------------------------------


def _plan(n: int, rng: random.Random, shares: Sequence[tuple[str, float]] = SCENARIO_SHARES) -> list[str]:
    """Scenario units (a pair scenario is one unit of two documents), summing to n documents."""
    counts: dict[str, int] = {}
    shares = list(shares)
    if not any(name == "clean" for name, _ in shares):
        shares.append(("clean", 0.0))
    for name, share in shares:
        if name in PAIR_SCENARIOS:
            counts[name] = int(round(share * n / 2))
        else:
            counts[name] = int(round(share * n))
    if n < 6:
        counts = {k: 0 for k in counts}
    used = sum(v * (2 if k in PAIR_SCENARIOS else 1) for k, v in counts.items() if k != "clean")
    counts["clean"] = n - used
    while counts["clean"] < 0:
        for k in ("single", "double", "supplement", "side_pair", "side_pair_real", "renewal"):
            if counts.get(k, 0) > 0 and counts["clean"] < 0:
                counts[k] -= 1
                counts["clean"] += 2 if k in PAIR_SCENARIOS else 1
    units = [k for k, v in counts.items() for _ in range(v)]
    rng.shuffle(units)
    return units


#: families a generation run is restricted to (``generate_corpus(families=...)``), empty = all
_ONLY: frozenset[str] = frozenset()


def _families(kind: str, split: str | None, restrict: bool = True) -> list[Family]:
    fams = [f for f in FAMILIES.values() if f.kind == kind and (split is None or f.split == split)]
    only = [f for f in fams if f.id in _ONLY] if restrict else []
    return only or fams


def _choose_main_family(defects: set[str], split: str | None, rng: random.Random, tricky: str | None = None, side: bool = False, supp: bool = False) -> Family:
    cands = []
    for f in _families("main", split, restrict=False):
        if not defects <= f.supports:
            continue
        if tricky == "small_direct" and "lease" not in f.types:
            continue
        if tricky == "long_land" and not ("contracting" in f.types and "land" in f.assets):
            continue
        if (side or supp) and not set(f.types) & {"lease", "contracting"}:
            continue
        cands.append(f)
    if not cands:
        raise CorpusError(f"no {split or 'any'} family supports {sorted(defects)} (tricky={tricky})")
    only = [f for f in cands if f.id in _ONLY]
    cands = only or cands
    return rng.choices(cands, weights=[f.weight for f in cands])[0]


def _defect_cycle(rng: random.Random):
    while True:
        order = list(INJECTABLE)
        rng.shuffle(order)
        yield from order


# ------------------------------------------------------------------------------------------
# one document
# ------------------------------------------------------------------------------------------


class _Item:
    def __init__(self, deal: Deal, doc: Doc, labels: dict):
        self.deal, self.doc, self.labels = deal, doc, labels
        self.scan_rotated: list[int] = []
        self.force_format: str | None = None


def _render(deal: Deal, seed: int) -> Doc:
    fam = FAMILIES[deal.family]
    doc = fam.render(deal, random.Random(f"render:{seed}:{deal.id}"))
    doc.validate()
    trad = deal.extra.get("traditional")
    if trad is None:
        trad = fam.traditional > 0 and random.Random(f"trad:{seed}:{deal.id}").random() < fam.traditional
    if trad:
        to_traditional(doc)
        doc.validate()
    return doc


def _ok(labels: dict, expect: set[str], clean: bool, want_expiry: bool, allow_extra: bool = True) -> bool:
    checks = set(labels["checks"])
    if ("expiry_warning" in checks) != want_expiry:
        return False
    if clean:
        return checks <= {"expiry_warning"}
    if not expect <= checks:
        return False
    return allow_extra or checks - {"expiry_warning"} == expect


def _tricky_ok(deal: Deal, labels: dict, ctx: BatchContext) -> bool:
    if deal.tricky == "small_direct":
        thr = float(ctx.profile["tender"]["required_above_total_yuan"])
        return deal.tender == "direct" and deal.total_value() < thr and "no_public_tender" not in labels["checks"]
    if deal.tricky == "long_land":
        return deal.months is not None and 240 < deal.months <= 360 and "over_term" not in labels["checks"]
    return True


def _make_main(ctx, seed, doc_id, fam, defects, tricky=None, want_expiry=False, side=False, clean=False) -> _Item:
    last = None
    for attempt in range(40):
        rng = random.Random(f"deal:{seed}:{doc_id}:{attempt}")
        try:
            deal = build_main(ctx, fam, set(defects), doc_id, rng, tricky=tricky, want_expiry=want_expiry, side=side)
        except BuildError as e:
            last = e
            continue
        labels = compute_labels(deal, ctx)
        if not _ok(labels, set(defects), clean, want_expiry) or not _tricky_ok(deal, labels, ctx):
            last = labels["checks"]
            continue
        return _Item(deal, _render(deal, seed), labels)
    raise CorpusError(f"{doc_id}: could not build {fam.id} with {sorted(defects)} tricky={tricky} expiry={want_expiry}: {last}")


# ------------------------------------------------------------------------------------------
# truth
# ------------------------------------------------------------------------------------------


def truth_record(item: _Item, as_of: date) -> dict:
    d, doc, lab = item.deal, item.doc, item.labels
    fields = {name: doc.fields.get(name) for name in FIELD_NAMES}
    details = dict(lab["details"])
    if lab["variants"]:
        details["variants"] = lab["variants"]
    if d.tricky:
        details["tricky"] = d.tricky
    if d.kind == "supplementary":
        details["amend_kind"] = d.amend_kind
    if d.extra.get("twin_of"):
        # the other document of a side-contract pair / lawful renewal / second copy written as
        # real pairs are (other names for the same party and asset)
        details["twin"] = {"of": d.extra["twin_of"], "relation": d.extra["twin_relation"]}
    if doc.traditional:
        details["traditional"] = True
    if d.stages:
        details["rent_stages"] = [[y, a] for y, a in d.stages]  # (first year from 0, annual rent)
    if d.in_kind:
        details["rent_in_kind"] = {"crop": d.in_kind[0], "jin_per_mu_year": d.in_kind[1]}
    return {
        "id": d.id,
        "family": d.family,
        "split": d.split,
        "kind": d.kind,
        "agreement_type": d.agreement_type,
        "asset_kind": d.asset_kind,
        "owner_kind": d.owner_kind,
        "township": d.place.township,
        "county": d.place.county,
        "fields": fields,
        "expected_checks": lab["checks"],
        "expected_disposition": lab["disposition"],
        "disposition_driver": lab["driver"],
        "missing": lab["missing"],
        "warning_level": lab["warning_level"],
        "as_of": as_of.isoformat(),
        "pair_id": d.pair_id,
        "amends": d.amends,
        "details": details,
        "source_text": doc.plain(),
    }


# ------------------------------------------------------------------------------------------
# renderings
# ------------------------------------------------------------------------------------------


def _doc_seed(seed: int, doc_id: str) -> int:
    return zlib.crc32(f"{seed}:{doc_id}".encode()) & 0x3FFFFFFF


def _render_photos(blocks, seals, out: Path, stem: str, seed: int) -> list[str]:
    """One phone photo per page (render.render_image only writes page 1 of a .jpg)."""
    import numpy as np
    from PIL import Image

    from . import render as R

    dpi = 300
    rendered = R.render_pages(blocks, dpi, seals, seed)
    names = []
    scribble = getattr(R, "_scribble", None)
    for pi, img in enumerate(rendered.images):
        arr = np.array(img)
        if scribble is not None:
            rng = np.random.default_rng([seed, pi, 3])
            for pt in R.signature_points(rendered.lines[pi], dpi, seed + pi):
                scribble(arr, pt, rng, arr.shape[1] / 2480.0)
        photo = R.photo_effects(Image.fromarray(arr), seed * 1000 + pi)
        name = f"{stem}_photo_p{pi + 1}.jpg"
        photo.save(out / name, format="JPEG", quality=90, dpi=(72, 72))
        names.append(name)
    return names


def _render_job(job: tuple) -> tuple[dict, list[int]]:
    item, out, fmts, seed = job
    rend = _write_renderings(item, out, fmts, seed)
    return rend, list(item.scan_rotated or [])


def _render_all(jobs: list[tuple], workers: int):
    """Renderings in order; with ``workers`` > 1 in parallel processes (each document has its own
    seed, so the output does not depend on the number of workers)."""
    if workers <= 1 or len(jobs) < 4:
        for job in jobs:
            yield _render_job(job)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
        yield from pool.map(_render_job, jobs, chunksize=1)


def _write_renderings(item: _Item, out: Path, fmts: Sequence[str], seed: int) -> dict:
    from . import render as R

    d, doc = item.deal, item.doc
    stem = d.id
    s = _doc_seed(seed, d.id)
    rend: dict = {}
    R.render_text(doc.blocks, out / f"{stem}.txt")
    rend["text"] = f"{stem}.txt"
    for f in fmts:
        if f == "text":
            continue
        if f == "docx":
            R.render_docx(doc.blocks, out / f"{stem}.docx")
            rend["docx"] = f"{stem}.docx"
        elif f == "pdf":
            R.render_pdf(doc.blocks, out / f"{stem}.pdf", seal=doc.seals or None, seed=s)
            rend["pdf"] = f"{stem}.pdf"
        elif f == "scan":
            rot_rng = random.Random(f"rot:{seed}:{stem}")
            rotate: list[int] = []
            if rot_rng.random() < SCAN_ROTATE_RATE:
                npages = len(R.layout(doc.blocks))
                rotate = [rot_rng.randrange(npages)]
            R.render_scanned_pdf(doc.blocks, out / f"{stem}_scan.pdf", seed=s, rotate_pages=rotate, seal=doc.seals or None)
            rend["scan"] = f"{stem}_scan.pdf"
            item.scan_rotated = rotate
        elif f == "photo":
            rend["photo"] = _render_photos(doc.blocks, doc.seals or None, out, stem, s)
        else:
            raise ValueError(f"unknown format {f!r}; known: {FORMATS}")
    return rend


# ------------------------------------------------------------------------------------------
# the public API
# ------------------------------------------------------------------------------------------


def generate_corpus(
    out: Path,
    n: int,
    seed: int,
    formats: Sequence[str] = FORMATS,
    as_of: date = AS_OF,
    split: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    all_formats: bool = False,
    profile_path: Path | None = None,
    shares: Sequence[tuple[str, float]] | None = None,
    families: Sequence[str] | None = None,
) -> dict:
    """Generate ``n`` labelled agreements into ``out`` and return the manifest.

    ``split``: None for both splits (families held out for testing are marked ``test``),
    ``"test"`` (or ``"train"``) for that split's families only.  ``formats``: renderings to
    spread over the documents (each document gets the ``.txt`` plus one of them, or all of
    them with ``all_formats``).  ``progress(i, n)`` is called after each document.
    ``shares``: (scenario, share of the documents) pairs replacing :data:`SCENARIO_SHARES` (the
    rest is clean), e.g. ``[("side_pair_real", 0.4), ("renewal", 0.4)]`` for a side-contract
    batch.  ``families``: use only these families where one of them can host the scenario
    (e.g. the families shaped after real documents, to measure them on their own).
    """
    out = Path(out)
    formats = tuple(formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"unknown format(s) {bad or formats}; known: {FORMATS}")
    if split not in (None, "train", "test"):
        raise ValueError(f"split must be None, 'train' or 'test', not {split!r}")
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    profile_path = Path(profile_path or DEFAULT_PROFILE)
    profile = load_profile(profile_path)
    out.mkdir(parents=True, exist_ok=True)
    _clear_previous(out)

    ctx = BatchContext.make(seed, n, profile, as_of)
    plan_rng = random.Random(f"plan:{seed}:{n}:{split}")
    units = _plan(n, plan_rng, shares or SCENARIO_SHARES)
    global _ONLY
    _ONLY = frozenset(families or ())
    defects = _defect_cycle(random.Random(f"defects:{seed}"))
    amend_i = plan_rng.randrange(len(AMEND_CYCLE))
    # expiry warnings: a fixed share of the clean / single / double agreements (a quota, not a coin)
    eligible = [i for i, u in enumerate(units) if u in ("clean", "single", "double")]
    expiring = set(plan_rng.sample(eligible, int(round(EXPIRY_RATE * len(eligible))))) if eligible else set()

    items: list[_Item] = []

    def next_id() -> str:
        return f"a{len(items) + 1:04d}"

    for ui, unit in enumerate(units):
        rng = random.Random(f"unit:{seed}:{len(items)}")
        want_exp = ui in expiring
        if unit == "clean":
            fam = _choose_main_family(set(), split, rng)
            exp = want_exp and not set(fam.types) <= {"transfer"} and fam.expiry
            items.append(_make_main(ctx, seed, next_id(), fam, set(), want_expiry=exp, clean=True))
        elif unit in ("tricky_small_direct", "tricky_long_land"):
            tricky = unit.split("_", 1)[1]
            fam = _choose_main_family(set(), split, rng, tricky=tricky)
            items.append(_make_main(ctx, seed, next_id(), fam, set(), tricky=tricky, clean=True))
        elif unit in ("single", "double"):
            k = 1 if unit == "single" else 2
            chosen: list[str] = []
            while len(chosen) < k:
                dft = next(defects)
                if dft not in chosen:
                    chosen.append(dft)
            # (in the test split unlawful_guarantee is hosted by the clause families F08 and F10)
            fam = _choose_main_family(set(chosen), split, rng)
            exp = want_exp and "missing_clauses" not in chosen and not set(fam.types) <= {"transfer"} and fam.expiry
            items.append(_make_main(ctx, seed, next_id(), fam, set(chosen), want_expiry=exp))
        elif unit == "oral_note":
            fams = _families("oral_note", split)
            fam = rng.choice(fams)
            fl = {x for x, p in (("off_book_income", 0.5), ("stalled_performance", 0.4), ("no_collective_decision", 0.3)) if rng.random() < p}
            did = next_id()
            deal = build_oral_note(ctx, fam, did, random.Random(f"deal:{seed}:{did}"), fl)
            items.append(_Item(deal, _render(deal, seed), compute_labels(deal, ctx)))
        elif unit == "white_slip":
            fams = _families("white_slip", split)
            fam = rng.choice(fams)
            did = next_id()
            deal = build_white_slip(ctx, fam, did, random.Random(f"deal:{seed}:{did}"), cash=rng.random() < 0.6)
            items.append(_Item(deal, _render(deal, seed), compute_labels(deal, ctx)))
        elif unit == "guarantee":
            fams = _families("guarantee", split)
            if not fams:
                fam = _choose_main_family({"unlawful_guarantee"}, split, rng)
                items.append(_make_main(ctx, seed, next_id(), fam, {"unlawful_guarantee"}))
                continue
            fam = rng.choice(fams)
            did = next_id()
            unlawful = rng.random() < 0.65
            extra = {"no_collective_decision"} if rng.random() < 0.15 else set()
            deal = build_guarantee(ctx, fam, did, random.Random(f"deal:{seed}:{did}"), unlawful, extra)
            items.append(_Item(deal, _render(deal, seed), compute_labels(deal, ctx)))
        elif unit == "side_pair":
            side_extra = ("no_collective_decision", "no_public_tender", "below_market_rent", "harmful_terms", "off_book_income", "stalled_performance")
            extra = {rng.choice(side_extra)} if rng.random() < 0.3 else set()
            fam_a = _choose_main_family(extra, split, rng, side=True)
            id_a = next_id()
            a = _make_main(ctx, seed, id_a, fam_a, extra, side=True, clean=not extra)
            # the twin: same family or another of the same split hosting the same kind of deal
            same_split = [
                f for f in _families("main", fam_a.split, restrict=False) if a.deal.agreement_type in f.types and a.deal.owner_kind in f.owners and a.deal.asset_kind in f.assets
            ]
            fam_b = fam_a if rng.random() < 0.5 or not same_split else rng.choice(same_split)
            id_b = f"a{len(items) + 2:04d}"
            b_deal = side_twin(ctx, a.deal, fam_b, id_b, random.Random(f"twin:{seed}:{id_b}"))
            a_labels = compute_labels(a.deal, ctx)
            a_doc = _render(a.deal, seed)
            items.append(_Item(a.deal, a_doc, a_labels))
            items.append(_Item(b_deal, _render(b_deal, seed), compute_labels(b_deal, ctx)))
        elif unit in ("minutes", "notice"):
            fams = [f for f in _families(unit, split) if not _ONLY or f.id in _ONLY]
            fam = rng.choice(fams) if fams else _choose_main_family(set(), split, rng)
            items.append(_make_main(ctx, seed, next_id(), fam, set(), clean=True))
        elif unit in ("side_pair_real", "renewal"):
            fam_a = _choose_main_family(set(), split, rng, side=True)
            id_a = next_id()
            a = _make_main(ctx, seed, id_a, fam_a, set(), side=True, clean=True)
            others = [
                f
                for f in _families("main", fam_a.split, restrict=False)
                if f.id != fam_a.id and a.deal.agreement_type in f.types and a.deal.asset_kind in f.assets and f.expiry
            ]
            if _ONLY:
                others = [f for f in others if f.id in _ONLY]
            fam_b = rng.choice(others) if others else fam_a
            id_b = f"a{len(items) + 2:04d}"
            b_item = None
            for attempt in range(30):
                trng = random.Random(f"twin:{seed}:{id_b}:{attempt}")
                if unit == "side_pair_real":
                    b_deal = side_twin_real(ctx, a.deal, fam_b, id_b, trng)
                else:
                    relation = "renewal" if attempt < 20 and trng.random() < 0.7 else "copy"
                    b_deal = renewal_twin(ctx, a.deal, fam_b, id_b, trng, relation)
                    if b_deal.signed and b_deal.signed > ctx.as_of - timedelta(days=5):
                        continue
                b_labels = compute_labels(b_deal, ctx)
                if unit == "renewal" and b_labels["checks"]:
                    continue
                b_item = _Item(b_deal, _render(b_deal, seed), b_labels)
                break
            if b_item is None:
                raise CorpusError(f"{id_b}: no {unit} twin for {id_a}")
            a_item = _Item(a.deal, _render(a.deal, seed), compute_labels(a.deal, ctx))
            (a_item if random.Random(f"scan:{seed}:{id_a}").random() < 0.5 else b_item).force_format = FORCED_FORMAT
            items.extend([a_item, b_item])
        elif unit == "supplement":
            amend = AMEND_CYCLE[amend_i % len(AMEND_CYCLE)]
            amend_i += 1
            supp_fams = _families("supplementary", split)
            fam_s = rng.choice(supp_fams)
            mdef = {rng.choice(SUPP_MAIN_DEFECTS)} if rng.random() < 0.35 else set()
            if amend in ("rent_reduce",):
                mdef.discard("below_market_rent")
            fam_m = _choose_main_family(mdef, fam_s.split, rng, supp=True)
            id_m = next_id()
            main = None
            for attempt in range(40):
                m_item = _make_main(ctx, seed, id_m, fam_m, mdef, clean=not mdef)
                md = m_item.deal
                if md.months and md.rent_amount and md.start and md.start < as_of.replace(day=1) and md.agreement_type in ("lease", "contracting"):
                    main = m_item
                    break
                id_m_seed = f"{id_m}:{attempt}"
                fam_m = _choose_main_family(mdef, fam_s.split, random.Random(id_m_seed), supp=True)
            if main is None:
                raise CorpusError(f"{id_m}: no main agreement for a supplementary agreement")
            items.append(main)
            id_s = next_id()
            s_item = None
            for attempt in range(40):
                srng = random.Random(f"supp:{seed}:{id_s}:{attempt}")
                s = build_supplement(ctx, main.deal, fam_s, id_s, srng, amend if amend != "extend_over" else "extend")
                if amend == "extend_over":
                    s.amend_kind = "extend_over"
                    extend_over(ctx, s, srng)
                s.extra["main_title"] = main.doc.title
                ol, cl_ = MAIN_ROLE_LABELS.get(main.deal.family, ("甲方", "乙方"))
                s.extra["main_owner_label"], s.extra["main_cp_label"] = ol, cl_
                s.injected = sorted(AMEND_EXPECT[amend])
                lab = compute_labels(s, ctx)
                if _ok(lab, AMEND_EXPECT[amend], not AMEND_EXPECT[amend], False):
                    s_item = _Item(s, _render(s, seed), lab)
                    break
            if s_item is None:
                raise CorpusError(f"{id_s}: supplementary agreement ({amend}) did not get its labels")
            items.append(s_item)
        else:
            raise CorpusError(unit)

    # ---- formats
    fmt_rng = random.Random(f"fmt:{seed}")
    order = [formats[i % len(formats)] for i in range(len(items))]
    fmt_rng.shuffle(order)
    for i, item in enumerate(items):
        if item.force_format and item.force_format in formats and not all_formats:
            order[i] = item.force_format

    docs = []
    jobs = [(item, out, list(formats) if all_formats else [order[i]], seed) for i, item in enumerate(items)]
    for i, (item, (rend, rotated)) in enumerate(zip(items, _render_all(jobs, workers))):
        item.scan_rotated = rotated
        rec = truth_record(item, as_of)
        if rec["source_text"] != (out / rend["text"]).read_text(encoding="utf-8"):
            raise CorpusError(f"{item.deal.id}: source_text differs from the .txt rendering")
        (out / f"{item.deal.id}.json").write_text(json.dumps(rec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        entry = {
            "id": item.deal.id,
            "split": item.deal.split,
            "family": item.deal.family,
            "kind": item.deal.kind,
            "format": "all" if all_formats else order[i],
            "truth": f"{item.deal.id}.json",
            "renderings": rend,
        }
        if not all_formats:
            entry["rendering"] = order[i]  # the key of ``renderings`` to evaluate (corpus/evaluate.py)
        if item.scan_rotated:
            entry["scan_rotated_pages"] = item.scan_rotated  # page indices scanned sideways (90°)
        docs.append(entry)
        if progress:
            progress(i + 1, len(items))

    shutil.copyfile(profile_path, out / "profile.yaml")
    _write_market(ctx, out / "market_reference.csv")
    fams_used = {f.id: f.split for f in FAMILIES.values() if split is None or f.split == split}
    manifest = {
        "seed": seed,
        "n": len(items),
        "as_of": as_of.isoformat(),
        "formats": list(formats),
        "all_formats": all_formats,
        "split": split,
        "check_ids": list(CHECK_IDS),
        "families": fams_used,
        "family_info": {f.id: {"split": f.split, "kind": f.kind, "description": f.description} for f in FAMILIES.values() if f.id in fams_used},
        "documents": docs,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


_OWN_FILE = re.compile(r"a\d{4,}(?:_scan\.pdf|_photo_p\d+\.jpg|\.json|\.txt|\.docx|\.pdf)")


def _clear_previous(out: Path) -> None:
    """Remove the files an earlier run wrote here (and only those), so a smaller batch leaves no strays."""
    for p in out.iterdir():
        if p.is_file() and (_OWN_FILE.fullmatch(p.name) or p.name in ("manifest.json", "market_reference.csv", "profile.yaml")):
            p.unlink()


def _write_market(ctx: BatchContext, path: Path) -> None:
    lines = ["asset_kind,location,unit,unit_rent,date"]
    for (kind, loc), (unit, v) in sorted(ctx.market.items()):
        lines.append(f"{kind},{loc},{unit},{v:g},{ctx.ref_date.isoformat()}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def label_rates(manifest: dict, out: Path) -> dict:
    """Share of compliant agreements and positives per check id (for reports and tests)."""
    out = Path(out)
    n = len(manifest["documents"])
    counts = dict.fromkeys(CHECK_IDS, 0)
    disp: dict[str, int] = {}
    for dref in manifest["documents"]:
        t = json.loads((out / dref["truth"]).read_text(encoding="utf-8"))
        for c in t["expected_checks"]:
            counts[c] += 1
        disp[t["expected_disposition"]] = disp.get(t["expected_disposition"], 0) + 1
    return {"n": n, "compliant_share": disp.get("compliant", 0) / max(n, 1), "dispositions": disp, "checks": counts}


__all__ = ["AS_OF", "FORMATS", "CorpusError", "generate_corpus", "label_rates", "main", "truth_record"]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m corpus.generate --out DIR --n N --seed S [--formats text docx ...]``."""
    import argparse
    import sys
    import time

    ap = argparse.ArgumentParser(prog="python -m corpus.generate", description="generate a labelled corpus")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    ap.add_argument("--split", choices=("train", "test"), default=None)
    ap.add_argument("--all-formats", action="store_true")
    ap.add_argument("--as-of", type=date.fromisoformat, default=AS_OF)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    m = generate_corpus(
        a.out, a.n, a.seed, a.formats, as_of=a.as_of, split=a.split, all_formats=a.all_formats,
        progress=lambda i, n: print(f"\r{i}/{n}", end="", file=sys.stderr),
    )
    rates = label_rates(m, a.out)
    print(file=sys.stderr)
    print(json.dumps({"out": str(a.out), "seconds": round(time.perf_counter() - t0, 2), **rates}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

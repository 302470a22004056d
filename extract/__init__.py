"""extract: Document → Agreement (agreement type and ledger fields with evidence).

The field extractors are listed once, in order, each with the fields it assigns and those it
needs from earlier extractors (spaCy's ``requires`` / ``assigns``)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable

from ingest import Document, StageError

from .agreement import AGREEMENT_TYPES, FIELD_NAMES, Agreement, FieldValue
from .amends import extract_amends
from .asset import classify_type, extract_asset
from .clauses import classify_clauses
from .context import Context
from .kind import extract_kind
from .parties import extract_parties
from .procedure import extract_approval, extract_decision, extract_payment, extract_tender
from .rent import extract_rent
from .seal import seal_field
from .terms import extract_terms


@dataclass(frozen=True)
class Extractor:
    name: str
    assigns: tuple[str, ...]
    requires: tuple[str, ...]
    run: Callable[[Context], dict]


def _rent(ctx: Context) -> dict:
    area = ctx.fields.get("area_m2")
    months = ctx.fields.get("term_months")
    return extract_rent(
        ctx,
        area_m2=None if area is None else float(area.value),
        area_unit=None,
        term_months=None if months is None else int(months.value),
    )


EXTRACTORS: tuple[Extractor, ...] = (
    Extractor("parties", ("owner", "counterparty"), (), extract_parties),
    Extractor("asset", ("asset", "asset_location", "area_m2"), (), extract_asset),
    Extractor("terms", ("term_start", "term_end", "term_months", "signed_date"), (), extract_terms),
    Extractor("rent", ("rent_amount_yuan", "rent_period", "annual_rent_yuan", "deposit_yuan"), ("area_m2", "term_months"), _rent),
    Extractor("payment", ("payee_account", "remittance"), (), extract_payment),
    Extractor("approval", ("approval_body", "approval_doc_no"), (), extract_approval),
    Extractor("decision", ("collective_decision",), (), extract_decision),
    Extractor("tender", ("tender_method",), (), extract_tender),
)


_BLANKS = re.compile(r"[_＿]{2,}|…{2,}|\.{4,}|□")


def _is_blank(value: FieldValue) -> bool:
    """A template's empty slot (＿＿＿＿) is not a value: model agreements leave most fields blank."""
    return isinstance(value.value, str) and bool(_BLANKS.search(value.value))


def _failed(agreement: Agreement, component: str, exc: Exception) -> None:
    """One extractor's bug must not lose the others' fields, nor pass unseen: an error item
    naming it (the pipeline's result becomes ``partial``)."""
    agreement.errors.append(StageError.of("extract", "extractor_failed", component,
                                          agreement.document.source.name, exc))


def extract_agreement(doc: Document) -> Agreement:
    started = time.perf_counter()
    agreement = Agreement(document=doc)
    if doc.status != "failed":
        ctx = Context(doc)
        for extractor in EXTRACTORS:
            try:
                values = extractor.run(ctx)
            except Exception as exc:
                _failed(agreement, extractor.name, exc)
                continue
            for name, value in values.items():
                if name in extractor.assigns and value is not None and not _is_blank(value):
                    ctx.fields[name] = value
        for name in FIELD_NAMES:
            if name in ctx.fields:
                agreement.fields[name] = ctx.fields[name]
        for component, step in _AFTER_FIELDS:
            try:
                step(agreement, ctx)
            except Exception as exc:
                _failed(agreement, component, exc)
    agreement.timings["extract_s"] = round(time.perf_counter() - started, 4)
    return agreement


def _seal(agreement: Agreement, ctx: Context) -> None:
    agreement.fields["seal_present"] = seal_field(agreement.document)


def _type(agreement: Agreement, ctx: Context) -> None:
    agreement.agreement_type, agreement.type_confidence = classify_type(ctx)


def _kind(agreement: Agreement, ctx: Context) -> None:
    agreement.amends = extract_amends(ctx)
    agreement.document_kind, agreement.structure = extract_kind(ctx, agreement.amends)


def _clauses(agreement: Agreement, ctx: Context) -> None:
    agreement.clauses = classify_clauses(ctx)


#: after the field extractors, in order: each wrapped like them (a failure is an error item)
_AFTER_FIELDS: tuple[tuple[str, Callable[[Agreement, Context], None]], ...] = (
    ("seal", _seal), ("type", _type), ("kind", _kind), ("clauses", _clauses),
)


__all__ = ["AGREEMENT_TYPES", "EXTRACTORS", "FIELD_NAMES", "Agreement", "FieldValue", "extract_agreement"]

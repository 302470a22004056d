"""The stages, listed once, in order: file → Document → Agreement → Findings → disposition.

One :class:`Result` is created per item when it enters (its source) and carried through every
stage (like docling's ``ConversionResult``): each stage adds its product — the Document
(ingest), the Agreement (extract), the findings, disposition and risk (checks) — its timing,
and its error items. An extractor or a check that raises is an error item naming it and makes
the result ``partial``; it is never an empty field nor a failed unit.

:class:`Pipeline` is the one entry: ``Pipeline(settings, ctx).pipe(items, workers=…,
executor=…)`` reads and extracts every item (in-process, in a local process pool, or on any
:class:`~contract_review.executors.Executor`) and then checks them together as one batch (side
contracts and peer rents are found across it). The CLI ``check``, the batch runner's unit
check, the store's re-check, the evaluator and the distributed workers (:meth:`Pipeline.read`)
all go through it. ``process_file`` / ``process_files`` / ``process_batch`` are kept as
one-line conveniences over it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Union

from checks import CheckContext, Finding, propose_disposition, risk_score, run_batch_checks
from checks.disposition import disposition_reason
from checks.market import MarketReference
from checks.profile import load_profile
from checks.risk_features import trained_risk
from extract import Agreement, extract_agreement
from ingest import Document, DocumentError, IngestSettings, SourceInfo, StageError, read_document, read_document_guarded
from ingest.guard import read_document_warm
from ingest.errors import format_message
from ingest.merge import merge_documents

#: one item handed to :meth:`Pipeline.pipe`: a file, the files of one agreement (pages
#: photographed one by one), or a Document already read (the store's re-check)
Item = Union[str, Path, Sequence[Union[str, Path]], Document]


@dataclass
class Source:
    """What entered the pipeline: the files of one agreement (none for a Document read before)."""

    paths: list[str] = field(default_factory=list)
    name: str = ""


@dataclass
class Result:
    """One item's way through the stages. ``status``: ``ok``, ``partial`` (read, but a page, an
    extractor or a check failed: see ``errors``) or ``failed`` (nothing could be read)."""

    source: Source = field(default_factory=Source)
    status: str = "ok"
    errors: list[StageError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    document: Document | None = None
    agreement: Agreement | None = None
    findings: list[Finding] = field(default_factory=list)
    disposition: str = "compliant"
    disposition_driver: str | None = None
    disposition_reason: str = ""
    risk_score: float = 0.0

    def add_errors(self, errors: Iterable[StageError]) -> None:
        for error in errors:
            self.errors.append(error)
            if self.status == "ok":
                self.status = "partial"


def check_context(profile: str | Path | None = None, market: str | Path | None = None,
                  as_of: date | None = None) -> CheckContext:
    """The jurisdiction profile (shipped default when None), the county's market-rent reference
    (none: peers in the batch are the reference), the date warnings are computed against, and
    the trained risk model (handed to the checks here, not installed globally)."""
    return CheckContext(
        profile=load_profile(profile),
        market=MarketReference.load(market) if market else None,
        as_of=as_of or date.today(),
        risk_model=trained_risk,
    )


def _source(item: Item) -> tuple[Source, list[Path] | None]:
    if isinstance(item, Document):
        return Source([], item.source.name or Path(item.source.path).name), None
    paths = [Path(item)] if isinstance(item, (str, Path)) else [Path(p) for p in item]
    if not paths:
        raise ValueError("an item names no file")
    return Source([str(p) for p in paths], paths[0].name), paths


class Pipeline:
    """The stages with their settings: how files are read (``settings``, ``guarded``: each file
    in a child process with the per-file time limit and memory cap) and what the checks read
    (``ctx``: profile, market reference, as-of date, risk model; :func:`check_context` when None)."""

    def __init__(self, settings: IngestSettings | None = None, ctx: CheckContext | None = None, *,
                 guarded: bool = True, warm: bool = False):
        self.settings = settings
        self.ctx = ctx
        self.guarded = guarded
        self.warm = warm  # guarded reading in this process's warm child (a batch worker's), not a fresh one per file

    # -- the stages ---------------------------------------------------------------------------
    def read(self, item: Item) -> Result:
        """Stage 1, ingest: a new Result for ``item`` with its Document (a Document handed in is
        taken as read)."""
        source, paths = _source(item)
        result = Result(source=source)
        started = time.perf_counter()
        if paths is None:
            result.document = item  # type: ignore[assignment]
        else:
            settings = self.settings or IngestSettings.from_env()
            read = (read_document_warm if self.warm else read_document_guarded) if self.guarded else read_document
            result.document = merge_documents([read(p, settings) for p in paths])
            result.timings["ingest_s"] = round(time.perf_counter() - started, 3)
        doc = result.document
        result.errors = [StageError("ingest", e.code, e.message, None, e.page) for e in doc.errors]
        result.status = doc.status
        return result

    def extract(self, result: Result) -> Result:
        """Stage 2: the Agreement (type and fields with evidence); extractors that raised are
        error items."""
        started = time.perf_counter()
        result.agreement = extract_agreement(result.document)
        result.add_errors(result.agreement.errors)
        result.timings["extract_s"] = round(time.perf_counter() - started, 3)
        return result

    def adopt(self, document: Document, agreement: Agreement) -> Result:
        """Stages 1 and 2 for a Document read before whose Agreement was extracted elsewhere
        (by the batch worker that read it, from the same Document)."""
        result = self.read(document)
        agreement.document = document
        result.agreement = agreement
        result.add_errors(agreement.errors)
        result.timings["extract_s"] = round(agreement.timings.get("extract_s", 0.0), 3)
        return result

    def read_extract(self, item: Item) -> Result:
        """Stages 1 and 2 on one item: the per-file work a worker does."""
        return self.extract(self.read(item))

    def check(self, results: Sequence[Result]) -> list[Result]:
        """Stage 3 over the results as one batch: findings (checks that raised are error items),
        the proposed disposition and the risk score."""
        ctx = self.ctx or check_context()
        agreements = [r.agreement for r in results]
        errors: dict[int, list[StageError]] = {}
        started = time.perf_counter()
        found = run_batch_checks(agreements, ctx, errors=errors) if agreements else {}
        per_doc = (time.perf_counter() - started) / max(1, len(agreements))
        for i, result in enumerate(results):
            result.add_errors(errors.get(i, []))
            _settle(result, found.get(i, []), ctx)
            result.timings["checks_s"] = round(per_doc, 4)
            result.timings["total_s"] = round(sum(v for k, v in result.timings.items() if k != "total_s"), 3)
        return list(results)

    # -- the entry ----------------------------------------------------------------------------
    def pipe(self, items: Sequence[Item], *, workers: int = 1, executor: Any = None,
             progress: Callable[[int, int, Result], None] | None = None) -> list[Result]:
        """Every stage over ``items`` as one batch, in their order. Reading and extraction run on
        ``executor`` (default: in this process for one worker, a local process pool for more);
        an item whose reading crashed outright is a ``failed`` result with the reason."""
        from .executors import local_executor

        executor = executor or local_executor(workers)
        results: list[Result | None] = [None] * len(items)
        done = 0
        for index, outcome in executor.map(self.read_extract, list(items)):
            if isinstance(outcome, BaseException):
                outcome = crashed(items[index], outcome)
            results[index] = outcome
            done += 1
            if progress:
                progress(done, len(items), outcome)
        return self.check([r for r in results if r is not None])


def crashed(item: Item, exc: BaseException) -> Result:
    """The result of an item whose reading crashed (no Document came back): failed, with the reason."""
    source, _ = _source(item)
    error = DocumentError("internal_error", format_message("internal_error", source.name, repr(exc)))
    info = SourceInfo(path=source.paths[0] if source.paths else source.name, name=source.name, sha256="", size=0,
                      format=None)
    doc = Document(source=info, errors=[error], status="failed")
    return Result(source=source, status="failed", document=doc, agreement=extract_agreement(doc),
                  errors=[StageError("ingest", error.code, error.message)])


def _settle(result: Result, findings: list[Finding], ctx: CheckContext | None) -> Result:
    """The proposal and the risk score (weighed by the risk section of the profile in force)."""
    disposition, driver = propose_disposition(findings)
    result.findings = findings
    result.disposition, result.disposition_driver = disposition, driver
    result.disposition_reason = disposition_reason(findings) if findings else ""
    result.risk_score = round(float(risk_score(findings, result.agreement, settings=ctx.profile.risk if ctx else None,
                                               model=ctx.risk_model if ctx else None)), 4)
    return result


def _finish(agreement: Agreement, findings: list[Finding], ctx: CheckContext | None = None) -> Result:
    result = Result(source=Source([], agreement.document.source.name), status=agreement.document.status,
                    document=agreement.document, agreement=agreement)
    return _settle(result, findings, ctx)


# -- conveniences over Pipeline ----------------------------------------------------------------
def process_file(path: str | Path, settings: IngestSettings | None = None, *, guarded: bool = True,
                 ctx: CheckContext | None = None) -> Result:
    """Every stage on one file (checked on its own)."""
    return Pipeline(settings, ctx, guarded=guarded).pipe([path])[0]


def process_files(paths: Sequence[str | Path], settings: IngestSettings | None = None, *, guarded: bool = True,
                  ctx: CheckContext | None = None) -> Result:
    """Every stage on one agreement handed in as several files (pages photographed one by one)."""
    return Pipeline(settings, ctx, guarded=guarded).pipe([list(paths)])[0]


def process_batch(items: Sequence[str | Path | Sequence[str | Path]], settings: IngestSettings | None = None, *,
                  guarded: bool = True, ctx: CheckContext | None = None,
                  progress: Callable[[int, int, Path], None] | None = None, workers: int = 1) -> list[Result]:
    """A batch: each item read and extracted, then the checks over the whole batch."""
    report = None
    if progress:
        def report(done: int, total: int, result: Result) -> None:
            progress(done, total, Path(result.source.paths[0]) if result.source.paths else Path(result.source.name))
    return Pipeline(settings, ctx, guarded=guarded).pipe(list(items), workers=workers, progress=report)

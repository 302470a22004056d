"""`contract-review train`: every model retrained from a labelled corpus.

* ``agreement_type`` — document text → lease / lending / contracting / cooperation / transfer /
  guarantee / other, trained on the corpus's train split.
* ``clause_type`` — one clause → parties / subject / term / rent / deposit / payment /
  approval / decision / tender / breach / termination / sublease / return / dispute /
  signatures / other. Labels are derived, not hand-made: a clause holding a labelled field's
  source text takes that field's clause type; the rest by their heading words.

Metrics on the held-out families (test split) go into ``models/MODEL_CARD.md``.
"""

from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path

from extract.context import Context
from ingest import IngestSettings, read_document
from models.store import MODEL_DIR, save
from models.text import TextClassifier

FIELD_CLAUSE = {
    "owner": "parties", "counterparty": "parties",
    "asset": "subject", "asset_location": "subject", "area_m2": "subject",
    "term_start": "term", "term_end": "term", "term_months": "term",
    "rent_amount_yuan": "rent", "rent_period": "rent", "annual_rent_yuan": "rent",
    "deposit_yuan": "deposit",
    "payee_account": "payment", "remittance": "payment",
    "approval_body": "approval", "approval_doc_no": "approval",
    "collective_decision": "decision", "tender_method": "tender",
    "signed_date": "signatures",
}
HEADING_CLAUSE = [
    ("breach", r"(违约|违反本合同|赔偿)"),
    ("termination", r"(解除|终止|提前收回)"),
    ("sublease", r"(转租|转包|转让给第三|分包)"),
    ("return", r"(返还|交还|归还|期满后|期满时|收回)"),
    ("dispute", r"(争议|纠纷|仲裁|诉讼|人民法院)"),
    ("signatures", r"(盖章|签字|签章)"),
    ("rights", r"(权利|义务|责任)"),
]
CLAUSE_TYPES = sorted(set(FIELD_CLAUSE.values()) | {k for k, _ in HEADING_CLAUSE} | {"other"})


def _clause_examples(corpus: Path, split: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """(clause texts, clause labels, document texts, document types) of one split."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    settings = IngestSettings.from_env(ocr_engine="rapidocr")
    clause_x, clause_y, doc_x, doc_y = [], [], [], []
    for entry in manifest["documents"]:
        if entry.get("split") != split:
            continue
        truth = json.loads((corpus / entry["truth"]).read_text(encoding="utf-8"))
        doc = read_document(corpus / entry["renderings"]["text"], settings)
        ctx = Context(doc)
        doc_x.append(doc.text)
        doc_y.append(truth["agreement_type"])
        positions: dict[int, str] = {}
        for name, item in truth["fields"].items():
            if not item or not item.get("text") or name not in FIELD_CLAUSE:
                continue
            pos = doc.text.find(item["text"])
            if pos >= 0:
                positions.setdefault(pos, FIELD_CLAUSE[name])
        for clause in ctx.clauses:
            text = clause.text_of(ctx.raw)
            label = None
            for pos, kind in sorted(positions.items()):
                if clause.start <= pos < clause.end:
                    label = kind
                    break
            if label is None:
                head = text[:24]
                label = next((k for k, pattern in HEADING_CLAUSE if re.search(pattern, head)), "other")
            clause_x.append(text)
            clause_y.append(label)
    return clause_x, clause_y, doc_x, doc_y


def _risk_examples(corpus: Path, split: str) -> tuple[list[dict], list[int]]:
    """(risk samples, irregular?) of one split, with the checks run over the split as one batch."""
    from checks import run_batch_checks
    from checks.risk_features import risk_sample
    from extract import extract_agreement

    from evaluation.evaluate import corpus_check_context

    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    entries = [e for e in manifest["documents"] if e.get("split") == split]
    settings = IngestSettings.from_env(ocr_engine="rapidocr")
    agreements = [extract_agreement(read_document(corpus / e["renderings"]["text"], settings)) for e in entries]
    ctx = corpus_check_context(corpus, manifest)
    found = run_batch_checks(agreements, ctx)
    samples = [risk_sample(a, found.get(i, [])) for i, a in enumerate(agreements)]
    labels = []
    for e in entries:
        truth = json.loads((corpus / e["truth"]).read_text(encoding="utf-8"))
        labels.append(0 if truth.get("expected_disposition") == "compliant" else 1)
    return samples, labels


def _ranking(scores: list[float], labels: list[int]) -> dict:
    from sklearn.metrics import brier_score_loss, roc_auc_score

    if len(set(labels)) < 2:
        return {}
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    k = sum(labels)
    return {
        "auc": round(float(roc_auc_score(labels, scores)), 4),
        "brier": round(float(brier_score_loss(labels, scores)), 4),
        "recall_at_k_irregular": round(sum(labels[i] for i in order[:k]) / k, 4),
        "top20_share_of_irregular": round(sum(labels[i] for i in order[: max(1, round(0.2 * len(labels)))]) / k, 4),
    }


def _accuracy(model, X, y) -> float | None:
    if not X:
        return None
    pred = model.predict(X)
    return round(float(sum(p == t for p, t in zip(pred, y)) / len(y)), 4)


def train_all(corpus: Path, out_dir: Path = MODEL_DIR) -> dict:
    started = time.perf_counter()
    cx, cy, dx, dy = _clause_examples(corpus, "train")
    tcx, tcy, tdx, tdy = _clause_examples(corpus, "test")
    if not cx:
        raise ValueError(f"{corpus} has no train split to learn from")
    clause_model = TextClassifier(ngram_range=(1, 2), max_features=4000, C=4.0, max_chars=600).fit(cx, cy)
    type_model = TextClassifier(ngram_range=(1, 2), max_features=3000, C=8.0, max_chars=3000).fit(dx, dy)
    save(clause_model, out_dir / "clause_type.skops")
    save(type_model, out_dir / "agreement_type.skops")
    from models.risk import RiskClassifier

    rx, ry = _risk_examples(corpus, "train")
    trx, try_ = _risk_examples(corpus, "test")
    risk_model = RiskClassifier().fit(rx, ry)
    save(risk_model, out_dir / "risk.skops")
    risk_test = _ranking([float(p) for p in risk_model.predict_proba(trx)[:, 1]], try_) if trx else {}
    report = {
        "trained": date.today().isoformat(),
        "corpus": str(corpus),
        "train_documents": len(dx),
        "test_documents": len(tdx),
        "train_clauses": len(cx),
        "test_clauses": len(tcx),
        "clause_type": {"classes": sorted(set(cy)), "test_accuracy": _accuracy(clause_model, tcx, tcy)},
        "agreement_type": {"classes": sorted(set(dy)), "test_accuracy": _accuracy(type_model, tdx, tdy)},
        "risk": {"train_irregular_share": round(sum(ry) / max(1, len(ry)), 4), "test": risk_test},
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out_dir / "MODEL_CARD.md").write_text(model_card(report), encoding="utf-8")
    return report


def model_card(report: dict) -> str:
    return f"""# Model card — contract-review text models

Trained {report['trained']} by `contract-review train` from the generated corpus at
`{report['corpus']}` ({report['train_documents']} train agreements, {report['train_clauses']} clauses;
evaluated on {report['test_documents']} agreements / {report['test_clauses']} clauses of the held-out
template families). Saved with skops; loaded only through `models/store.py`, which refuses any
type outside its allow-list (never unpickled).

## agreement_type.skops
- **Task**: the agreement type of a whole document ({', '.join(report['agreement_type']['classes'])}).
- **Features**: character 1–2-grams (TF-IDF, sublinear tf, 3,000 features) of the first 3,000
  characters, width-folded and digits collapsed — robust to OCR noise, no segmentation needed.
- **Model**: multinomial logistic regression (C=8).
- **Held-out accuracy**: {report['agreement_type']['test_accuracy']}.
- **Use**: extract/asset.py uses the title rules first (a title saying 租赁合同 is decisive) and
  this model when the title says nothing.

## clause_type.skops
- **Task**: the type of one clause ({', '.join(report['clause_type']['classes'])}).
- **Labels**: derived from the corpus ground truth — a clause that holds a labelled field's
  source text takes that field's clause type; other clauses by their heading words. They are
  therefore weak labels: a clause with two fields gets the first.
- **Features**: character 1–2-grams (TF-IDF, 4,000 features) of the first 600 characters.
- **Model**: multinomial logistic regression (C=4).
- **Held-out accuracy**: {report['clause_type']['test_accuracy']}.

## risk.skops
- **Task**: the probability that an agreement is irregular (its disposition is not compliant),
  which orders the review queue.
- **Features**: character 1–2-grams of the text (TF-IDF, 3,000 features, weight 0.5), which
  fields were found, term in years, log annual rent, the agreement type, and the findings of the
  checks (check id → score, dispositions present) — built by `checks/risk_features.py`.
- **Model**: logistic regression (balanced classes), calibrated with Platt scaling over 3-fold
  cross-validation (`CalibratedClassifierCV`), so the score reads as a probability.
- **Held-out** (checks run over the test split as one batch): {report['risk']['test']}
  (irregular share in training: {report['risk']['train_irregular_share']}).

## Limits
Trained on generated agreements only; real agreements use wordings the generator does not
know. Retrain with `contract-review train --corpus DIR` after changing the generator.
Training took {report['seconds']} s.
"""

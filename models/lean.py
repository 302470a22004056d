"""The shipped text models without scikit-learn at run time.

Reading one agreement needs three small linear models (clause type, agreement type, risk). Their
skops files are the models of record, but loading them imports scikit-learn, SciPy and pandas:
about 2.5 s of CPU and 200 MB per process before the first prediction, four times what a
one-page text file costs to read. What prediction needs is a vocabulary, IDF weights and a
coefficient matrix, so :func:`export` writes those (``models/<name>.lean.npz``, plain arrays,
loaded with ``allow_pickle=False``) beside the skops file, recording the skops file's SHA-256;
:func:`load` rebuilds a predictor in NumPy that gives the same answers (tested against
scikit-learn on the corpus in tests/test_models.py). ``models.store.load_named`` uses it when
it is there and matches its skops file, else the skops file.

    python -m models.lean          # (re)write the lean files of every shipped model
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np

from .textnorm import normalise_text

_WHITE_SPACES = re.compile(r"\s\s+")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def lean_path(skops_path: Path) -> Path:
    return Path(skops_path).with_suffix(".lean.npz")


class _Tfidf:
    """scikit-learn's ``TfidfVectorizer(analyzer="char")`` transform, one document at a time."""

    def __init__(self, terms: np.ndarray, idf: np.ndarray, ngram_range: tuple[int, int], lowercase: bool,
                 sublinear_tf: bool):
        self.vocabulary = {str(t): i for i, t in enumerate(terms)}
        self.idf = idf.astype(np.float32)
        self.ngram_range = ngram_range
        self.lowercase = lowercase
        self.sublinear_tf = sublinear_tf

    def _ngrams(self, text: str) -> list[str]:
        if self.lowercase:
            text = text.lower()
        text = _WHITE_SPACES.sub(" ", text)
        lo, hi = self.ngram_range
        grams = [text[i : i + n] for n in range(lo, min(hi + 1, len(text) + 1)) for i in range(len(text) - n + 1)]
        return grams

    def transform(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of the document's L2-normalised TF-IDF row."""
        counts: dict[int, int] = {}
        vocab = self.vocabulary
        for gram in self._ngrams(text):
            col = vocab.get(gram)
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        vals = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        if self.sublinear_tf:
            vals = np.log(vals) + np.float32(1.0)
        vals = vals * self.idf[cols]
        norm = np.sqrt(np.sum(vals.astype(np.float64) ** 2))
        if norm > 0:
            vals = (vals / norm).astype(np.float32)
        return cols, vals


class LeanTextClassifier:
    """Predicts like :class:`models.text.TextClassifier` (TF-IDF + multinomial logistic regression)."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.tfidf = _Tfidf(arrays["terms"], arrays["idf"], tuple(int(v) for v in arrays["ngram_range"]),
                            bool(arrays["lowercase"]), bool(arrays["sublinear_tf"]))
        self.max_chars = int(arrays["max_chars"])
        self.coef = arrays["coef"]
        self.intercept = arrays["intercept"]
        self.classes_ = arrays["classes"]

    def decision_function(self, X) -> np.ndarray:
        rows = []
        for x in X:
            cols, vals = self.tfidf.transform(normalise_text(str(x))[: self.max_chars])
            rows.append(self.coef[:, cols] @ vals.astype(np.float64) + self.intercept)
        return np.array(rows).reshape(len(rows), -1)

    def predict_proba(self, X) -> np.ndarray:
        d = self.decision_function(X)
        if d.shape[1] == 1:  # binary: the logistic of the one decision value
            p = 1.0 / (1.0 + np.exp(-d[:, 0]))
            return np.column_stack([1.0 - p, p])
        d = d - d.max(axis=1, keepdims=True)
        e = np.exp(d)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class LeanRiskClassifier:
    """Predicts like :class:`models.risk.RiskClassifier`: TF-IDF of the text (weighted) beside the
    field features, through the Platt-calibrated logistic regressions (averaged, as
    ``CalibratedClassifierCV`` does)."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.tfidf = _Tfidf(arrays["terms"], arrays["idf"], tuple(int(v) for v in arrays["ngram_range"]),
                            bool(arrays["lowercase"]), bool(arrays["sublinear_tf"]))
        self.text_weight = float(arrays["text_weight"])
        self.fields = {str(name): i for i, name in enumerate(arrays["field_names"])}
        self.n_text = len(self.tfidf.vocabulary)
        self.coef = arrays["coef"]  # (calibrated classifiers, features)
        self.intercept = arrays["intercept"]
        self.a = arrays["a"]
        self.b = arrays["b"]
        self.classes_ = arrays["classes"]

    def predict_proba(self, X) -> np.ndarray:
        out = []
        for x in X:
            cols, vals = self.tfidf.transform(normalise_text(x.get("text", ""))[:3000])
            vals = (vals * self.text_weight).astype(np.float32)
            fcols, fvals = [], []
            for k, v in (x.get("features") or {}).items():
                col = self.fields.get(str(k))
                if col is not None:
                    fcols.append(self.n_text + col)
                    fvals.append(float(v))
            cols = np.concatenate([cols, np.asarray(fcols, dtype=np.int64)])
            vals = np.concatenate([vals, np.asarray(fvals, dtype=np.float32)]).astype(np.float64)
            decision = self.coef[:, cols] @ vals + self.intercept
            p = 1.0 / (1.0 + np.exp(self.a * decision + self.b))
            p1 = float(np.mean(p))
            out.append((1.0 - p1, p1))
        return np.array(out)

    def predict(self, X) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def _tfidf_arrays(vectorizer) -> dict[str, np.ndarray]:
    vocab = vectorizer.vocabulary_
    terms = [None] * len(vocab)
    for term, col in vocab.items():
        terms[col] = term
    return {
        "terms": np.array(terms, dtype=str),
        "idf": np.asarray(vectorizer.idf_, dtype=np.float32),
        "ngram_range": np.array(vectorizer.ngram_range, dtype=np.int64),
        "lowercase": np.array(bool(vectorizer.lowercase)),
        "sublinear_tf": np.array(bool(vectorizer.sublinear_tf)),
    }


def _check_supported(vectorizer) -> None:
    if vectorizer.analyzer != "char" or vectorizer.preprocessor is not None or vectorizer.strip_accents is not None \
            or vectorizer.norm != "l2" or not vectorizer.use_idf:
        raise ValueError("only character n-gram TF-IDF with L2 norm and IDF can be exported")


def export(model, skops_path: Path) -> Path | None:
    """Write the lean form of ``model`` (loaded from ``skops_path``) beside it; None for a model
    type that has no lean form."""
    kind = type(model).__name__
    arrays: dict[str, np.ndarray]
    if kind == "TextClassifier":
        _check_supported(model.vectorizer_)
        lr = model.model_
        arrays = {**_tfidf_arrays(model.vectorizer_), "kind": np.array("text"), "max_chars": np.array(model.max_chars),
                  "coef": np.asarray(lr.coef_, dtype=np.float64), "intercept": np.asarray(lr.intercept_, dtype=np.float64),
                  "classes": np.asarray(model.classes_)}
    elif kind == "RiskClassifier":
        _check_supported(model.text_)
        cal = model.model_.calibrated_classifiers_
        if any(c.method != "sigmoid" or len(c.calibrators) != 1 for c in cal) or len(model.classes_) != 2:
            raise ValueError("only a binary, sigmoid-calibrated risk model can be exported")
        names = list(model.fields_.feature_names_)
        arrays = {**_tfidf_arrays(model.text_), "kind": np.array("risk"), "text_weight": np.array(float(model.text_weight)),
                  "field_names": np.array(names, dtype=str),
                  "coef": np.array([c.estimator.coef_[0] for c in cal], dtype=np.float64),
                  "intercept": np.array([c.estimator.intercept_[0] for c in cal], dtype=np.float64),
                  "a": np.array([c.calibrators[0].a_ for c in cal], dtype=np.float64),
                  "b": np.array([c.calibrators[0].b_ for c in cal], dtype=np.float64),
                  "classes": np.asarray(model.classes_)}
    else:
        return None
    arrays["source_sha256"] = np.array(sha256(skops_path))
    out = lean_path(skops_path)
    np.savez_compressed(out, **arrays)
    return out


def load(skops_path: Path):
    """The lean predictor for ``skops_path`` when its lean file is there and was made from this
    very skops file; else None."""
    path = lean_path(skops_path)
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    if str(arrays.get("source_sha256")) != sha256(skops_path):
        return None  # the skops model was retrained since: its lean form is stale
    kind = str(arrays["kind"])
    return LeanTextClassifier(arrays) if kind == "text" else LeanRiskClassifier(arrays)


def main() -> int:
    from .store import MODEL_DIR, load as load_skops

    for path in sorted(MODEL_DIR.glob("*.skops")):
        out = export(load_skops(path), path)
        print(f"{path.name}: {out.name if out else 'no lean form'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The risk classifier: P(agreement is irregular) from its text and its extracted fields and
findings, calibrated (Platt scaling over cross-validated logistic regression) so that the score
reads as a probability. Inputs are dicts ``{"text": str, "features": {name: float}}``; the
features are built by checks/risk_features.py, so this module knows no domain code."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from .text import normalise_text


class RiskClassifier(ClassifierMixin, BaseEstimator):
    def __init__(self, max_features: int = 3000, C: float = 1.0, text_weight: float = 0.5, cv: int = 3):
        self.max_features = max_features
        self.C = C
        self.text_weight = text_weight
        self.cv = cv

    def _matrix(self, X, fit: bool = False):
        texts = [normalise_text(x.get("text", ""))[:3000] for x in X]
        feats = [{k: float(v) for k, v in (x.get("features") or {}).items()} for x in X]
        if fit:
            self.text_ = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), max_features=self.max_features,
                                         sublinear_tf=True, min_df=2, dtype=np.float32)
            self.fields_ = DictVectorizer(sparse=True)
            t = self.text_.fit_transform(texts)
            self.text_.stop_words_ = None
            f = self.fields_.fit_transform(feats)
        else:
            t = self.text_.transform(texts)
            f = self.fields_.transform(feats)
        return hstack([t * self.text_weight, csr_matrix(f, dtype=np.float32)]).tocsr()

    def fit(self, X, y):
        features = self._matrix(X, fit=True)
        y = np.asarray(y).astype(int)
        base = LogisticRegression(C=self.C, max_iter=3000, class_weight="balanced")
        self.model_ = CalibratedClassifierCV(base, method="sigmoid", cv=self.cv).fit(features, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        check_is_fitted(self, "model_")
        return self.model_.predict_proba(self._matrix(X))

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

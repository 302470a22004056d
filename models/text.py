"""Text classifiers used by extract/: the clause type of a clause and the agreement type of a
document. Both are character n-gram TF-IDF + logistic regression — character n-grams survive
OCR noise and need no word segmentation — wrapped as scikit-learn estimators (``__init__``
stores parameters, ``fit`` returns ``self``, learned attributes end in ``_``)."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from .textnorm import normalise_text

__all__ = ["TextClassifier", "normalise_text"]


class TextClassifier(ClassifierMixin, BaseEstimator):
    """Character n-gram TF-IDF + multinomial logistic regression."""

    def __init__(self, ngram_range: tuple[int, int] = (1, 3), max_features: int = 30000, C: float = 4.0,
                 max_chars: int = 4000):
        self.ngram_range = ngram_range
        self.max_features = max_features
        self.C = C
        self.max_chars = max_chars

    def _prep(self, X) -> list[str]:
        return [normalise_text(str(x))[: self.max_chars] for x in X]

    def fit(self, X, y):
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char", ngram_range=tuple(self.ngram_range), max_features=self.max_features,
            sublinear_tf=True, min_df=2, dtype=np.float32,
        )
        features = self.vectorizer_.fit_transform(self._prep(X))
        # the terms cut by max_features/min_df are only kept for introspection: drop them (size)
        self.vectorizer_.stop_words_ = None
        self.model_ = LogisticRegression(C=self.C, max_iter=2000)
        self.model_.fit(features, np.asarray(y))
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        check_is_fitted(self, "model_")
        return self.model_.predict_proba(self.vectorizer_.transform(self._prep(X)))

    def predict(self, X):
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

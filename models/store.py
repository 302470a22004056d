"""Saving and loading trained models with skops — never unpickling.

``load`` accepts a file only if every type skops does not trust by default is named, exactly,
in :data:`ALLOWED` (our own estimators and the scikit-learn internals they hold); anything else
— ``builtins.eval`` included — is refused with the list of offending types before a single
object is built. Never a module prefix: ``builtins.`` alone admits ``eval``, ``exec`` and
``open``. Models live beside this module (``models/*.skops``) with a model card.
"""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path
from typing import Any

MODEL_DIR = Path(__file__).resolve().parent

ALLOWED: frozenset[str] = frozenset({
    "models.text.TextClassifier",
    "models.risk.RiskClassifier",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
})
"""Exact ``module.Name`` of every type our model files may hold beyond skops' own trusted
set (which already covers scikit-learn's public estimators, NumPy arrays and SciPy sparse
matrices). Retraining with a new estimator type means adding its exact name here."""


class UntrustedModelError(ValueError):
    pass


def save(model: Any, path: Path) -> Path:
    import skops.io as sio

    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    from .lean import export

    export(model, path)  # the same model without scikit-learn at run time (models/lean.py)
    return path


def load(path: Path) -> Any:
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    refused = sorted(t for t in untrusted if t not in ALLOWED)
    if refused:
        raise UntrustedModelError(
            f"{path} holds types outside the allow-list, refused without loading: {', '.join(refused)}")
    return sio.load(path, trusted=untrusted)


@functools.lru_cache(maxsize=8)
def load_named(name: str) -> Any | None:
    """A shipped model by name (``clause_type``, ``agreement_type``, ``risk``), or None when not
    trained: its lean NumPy form (:mod:`models.lean`, no scikit-learn import) when that was made
    from this skops file, else the skops file itself. Loaded once per process, when first asked."""
    path = MODEL_DIR / f"{name}.skops"
    if not path.exists():
        return None
    from .lean import load as load_lean

    return load_lean(path) or load(path)

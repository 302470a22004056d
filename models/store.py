"""Saving and loading trained models with skops — never unpickling.

``load`` accepts a file only if every type inside it is on :data:`ALLOWED` (scikit-learn,
NumPy, SciPy and our own estimators); anything else is refused with the list of offending
types. Models live beside this module (``models/*.skops``) with a model card.
"""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path
from typing import Any

MODEL_DIR = Path(__file__).resolve().parent

_ALLOWED_PREFIXES = (
    "sklearn.",
    "numpy.",
    "scipy.sparse.",
    "models.text.",
    "models.risk.",
    "builtins.",
    "collections.",
)


class UntrustedModelError(ValueError):
    pass


def save(model: Any, path: Path) -> Path:
    import skops.io as sio

    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    return path


def load(path: Path) -> Any:
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    refused = [t for t in untrusted if not t.startswith(_ALLOWED_PREFIXES)]
    if refused:
        raise UntrustedModelError(f"{path} holds types outside the allow-list: {refused}")
    return sio.load(path, trusted=untrusted)


@functools.lru_cache(maxsize=8)
def load_named(name: str) -> Any | None:
    """A shipped model by name (``clause_type``, ``agreement_type``), or None when not trained."""
    path = MODEL_DIR / f"{name}.skops"
    if not path.exists():
        return None
    return load(path)

"""The house's floors (../shared/style.md): arrows point down only. Every import — function-level
ones included — is read from the source (ast) and mapped to its component; the graph must have
no cycle, ``corpus/`` (the generator) and ``contract_review`` must not import each other (only
the CLI, the roof, may use the generator), nothing but the CLI imports evaluation or training, and
the store only persists (issue 13: what decides lives in modules that call it)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "extract", "checks", "models", "corpus", "evaluation", "contract_review", "review_app", "bench")
#: modules that are components of their own inside a package
OWN = {"contract_review.cli": "cli", "models.training": "training"}


def component(module: str) -> str | None:
    for prefix, name in OWN.items():
        if module == prefix or module.startswith(prefix + "."):
            return name
    top = module.split(".")[0]
    return top if top in PACKAGES else None


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(path: Path) -> list[str]:
    """Every module ``path`` imports (function-level imports included), relative ones resolved;
    ``from a import b`` names both ``a`` and ``a.b`` (``b`` may be a module)."""
    module = _module_of(path)
    is_pkg = path.name == "__init__.py"
    out: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_pkg else 0)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            out.extend([stem] + [f"{stem}.{a.name}" for a in node.names])
    return out


def imports() -> dict[tuple[str, str], list[str]]:
    """(from component, to component) → where (module: imported name)."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")) if (ROOT / package).is_dir() else []:
            module = _module_of(path)
            here = component(module)
            for target in _targets(path):
                there = component(target)
                if there and there != here:
                    # `from contract_review import cli` names the cli: the most specific wins
                    edges[(here, there)].append(f"{module}: {target}")
    return edges


def _dedupe(edges):
    return {k: sorted(set(v)) for k, v in edges.items()}


def test_no_cycle_between_components():
    edges = _dedupe(imports())
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt]
                hops = [f"{x} → {y}: {edges[(x, y)][:3]}" for x, y in zip(cycle, cycle[1:])]
                raise AssertionError("import cycle:\n" + "\n".join(hops))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_generator_and_orchestration_do_not_import_each_other():
    edges = _dedupe(imports())
    assert ("corpus", "contract_review") not in edges, edges.get(("corpus", "contract_review"))
    assert ("corpus", "evaluation") not in edges and ("corpus", "training") not in edges
    assert ("contract_review", "corpus") not in edges, edges.get(("contract_review", "corpus"))
    for (a, b), where in edges.items():
        if b in ("cli", "evaluation", "training"):
            assert a in ("cli", "bench") or (a, b) == ("training", "evaluation"), f"{a} → {b}: {where}"


#: what the store package (``contract_review/store/``, its migrations included) may import of
#: the project: itself, the labels it shows on the detail page, typed field values, ingest (the
#: Document it keeps and the settings base class), and one text function of extract — the search
#: index folds traditional script to simplified with the very table extraction reads with
#: (``extract.textnorm.to_simplified``, a character map; the store calls nothing that extracts).
STORE_MAY_IMPORT = ("contract_review.store", "contract_review.labels", "contract_review.values", "ingest",
                    "extract.textnorm")
#: libraries of logic the store must not use: password hashing (accounts), workbooks (the
#: ledger), YAML (the profile); jieba only in ``store/search.py`` (it cuts the index's words)
#: and the migration that backfills that index
STORE_MUST_NOT_IMPORT = ("argon2", "openpyxl", "yaml", "jieba")
STORE_JIEBA = ("contract_review.store.search",)


def test_the_store_only_persists():
    """Accounts, configuration checks, the ledger's layout, statistics and the runs of the
    pipeline live outside ``contract_review.store``, which they call; the store imports none of
    them (nor checks, models or the other stages), and no library only they need."""
    project = PACKAGES
    bad: list[str] = []
    for path in sorted((ROOT / "contract_review" / "store").rglob("*.py")):
        module = _module_of(path)
        for target in _targets(path):
            top = target.split(".")[0]
            if top in project:
                if not any(target == ok or target.startswith(ok + ".") for ok in STORE_MAY_IMPORT) \
                        and target != "contract_review":  # `from .. import labels`: judged by its name
                    bad.append(f"{module}: {target}")
            elif top in STORE_MUST_NOT_IMPORT and not (top == "jieba" and module in STORE_JIEBA):
                bad.append(f"{module}: {target}")
    assert not bad, "the store imports what decides:\n" + "\n".join(sorted(set(bad)))

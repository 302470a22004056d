"""`make eval-real`: the project's CLI measured on real documents nobody on the team wrote.

Runs the real-dev scorer (``../shared/real-dev/score.py``, beside the checkout) with this
checkout's CLI, so its per-file rows, per-field table and check line are printed as the scorer
prints them; then, from the same batch ``check`` run (captured, not repeated), the ranking of
the risk score:

* **ROC AUC** — the chance that a file the labels call irregular ranks above one they call
  regular (ties count half). *Irregular* = the label lists at least one ``expected_checks``
  entry (the text clearly shows an irregularity). *Regular* = no expected check and at least
  one ``forbidden_checks`` entry (a reader looked and ruled irregularities out). A file with
  neither list is not judged either way and is left out of the ranking figures.
* **top fifth** — the share of the irregular files that sit in the top 20 % of the ranked
  files (ties broken against the ranking), with the best any ranking could reach.
* **lawful land contracts / land-use grants proposed void** — files whose label forbids
  ``over_term`` (a lawful term) and whose proposed disposition is nevertheless void.

Also scores ``tests/data/real`` (same layout: docs/, labels/) when it exists. Reports are
written under ``data/eval-real/``. Stdlib only, like the scorer: it talks to the CLI as a
subprocess.

    python -m contract_review.eval_real [--jobs 2] [--cli .venv/bin/contract-review]
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_SET = REPO.parent / "shared" / "real-dev"
LOCAL_SET = REPO / "tests" / "data" / "real"
OUT_DIR = REPO / "data" / "eval-real"

# a wrapper CLI: the scorer's own `check` run is captured to a file, so the batch is read once
_WRAPPER = """#!/bin/sh
if [ "$1" = "check" ]; then
  "{cli}" "$@" > "{capture}"
  rc=$?
  cat "{capture}"
  exit $rc
fi
exec "{cli}" "$@"
"""


def auc(scored: list[tuple[float, bool]]) -> float | None:
    """P(a random irregular file ranks above a random regular one), ties count half."""
    pos = [r for r, y in scored if y]
    neg = [r for r, y in scored if not y]
    if not pos or not neg:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def top_fifth_share(scored: list[tuple[float, bool]], share: float = 0.2) -> tuple[float, float] | None:
    """(share of the irregular files in the top ``share`` by risk, best possible share); ties
    are broken against the ranking (regular before irregular at equal risk)."""
    positives = sum(1 for _, y in scored if y)
    if not positives:
        return None
    k = max(1, round(share * len(scored)))
    top = sorted(scored, key=lambda t: (-t[0], t[1]))[:k]
    return sum(1 for _, y in top if y) / positives, min(1.0, k / positives)


def label_class(label: dict) -> bool | None:
    """True irregular, False regular, None not judged (see the module docstring)."""
    if label.get("expected_checks"):
        return True
    if label.get("forbidden_checks"):
        return False
    return None


def ranking(records: list[dict], labels: dict[str, dict]) -> dict:
    """The ranking figures and the per-file rows from the `check --json` records and the labels."""
    rows = []
    for r in records if isinstance(records, list) else []:
        name = Path((r.get("source") or {}).get("path") or "").name
        stem = Path(name).stem
        if stem not in labels:
            continue
        lab = labels[stem]
        rows.append({
            "file": name,
            "risk": float(r.get("risk_score") or 0.0),
            "disposition": r.get("disposition"),
            "checks": sorted({f.get("check") for f in r.get("findings") or [] if isinstance(f, dict)}),
            "irregular": label_class(lab),
            "expected": lab.get("expected_checks", []),
            "forbidden": lab.get("forbidden_checks", []),
        })
    scored = [(row["risk"], row["irregular"]) for row in rows if row["irregular"] is not None]
    top = top_fifth_share(scored)
    void_lawful = [row["file"] for row in rows if "over_term" in row["forbidden"] and row["disposition"] == "void"]
    risks = [row["risk"] for row in rows]
    return {
        "files": len(rows),
        "judged": len(scored),
        "irregular": sum(1 for _, y in scored if y),
        "auc": auc(scored),
        "top_fifth_share": None if top is None else top[0],
        "top_fifth_ceiling": None if top is None else top[1],
        "risk_at_max": sum(1 for x in risks if x >= 0.99),
        "distinct_risks": len({round(x, 3) for x in risks}),
        "lawful_term_void": void_lawful,
        "rows": sorted(rows, key=lambda row: -row["risk"]),
    }


def format_ranking(name: str, rk: dict) -> str:
    out = [f"\n{name}: risk ranking over {rk['judged']} judged files "
           f"({rk['irregular']} irregular = label has an expected check; regular = only forbidden checks; "
           f"{rk['files'] - rk['judged']} unjudged left out)"]
    out.append(f"{'risk':>6}  {'y':<3} {'disposition':<10} {'file':<48} checks")
    for row in rk["rows"]:
        y = {True: "irr", False: "reg", None: "-"}[row["irregular"]]
        out.append(f"{row['risk']:6.3f}  {y:<3} {str(row['disposition']):<10} {row['file'][:48]:<48} {','.join(row['checks'])}")
    a = rk["auc"]
    out.append(f"risk ROC AUC: {'-' if a is None else f'{a:.3f}'}   "
               f"(distinct scores {rk['distinct_risks']}, at maximum ≥0.99: {rk['risk_at_max']}/{rk['files']})")
    if rk["top_fifth_share"] is not None:
        out.append(f"top fifth by risk holds {100 * rk['top_fifth_share']:.0f}% of the irregular files "
                   f"(best possible {100 * rk['top_fifth_ceiling']:.0f}%)")
    out.append(f"lawful land contracts / land-use grants proposed void: {len(rk['lawful_term_void'])}"
               + (f"  ({', '.join(rk['lawful_term_void'])})" if rk["lawful_term_void"] else ""))
    return "\n".join(out)


def run_set(name: str, scorer: Path, set_dir: Path | None, cli: Path, jobs: int, out_dir: Path) -> dict:
    """Run the scorer on one set (``set_dir`` None: the scorer's own real-dev) and rank."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="eval-real-") as tmp:
        capture = Path(tmp) / "check.json"
        wrapper = Path(tmp) / "contract-review"
        wrapper.write_text(_WRAPPER.format(cli=cli, capture=capture), encoding="utf-8")
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        score_json = out_dir / f"{name}-score.json"
        cmd = [sys.executable, str(scorer), "--cli", str(wrapper), "--jobs", str(jobs), "--out", str(score_json)]
        if set_dir is not None:
            cmd += ["--set", str(set_dir)]
        print(f"$ {' '.join(cmd[1:2])} --cli {cli.name} --jobs {jobs}" + (f" --set {set_dir}" if set_dir else ""), flush=True)
        rc = subprocess.run(cmd, cwd=REPO).returncode
        if rc != 0:
            raise SystemExit(f"eval-real: the scorer failed on {name} (exit {rc})")
        try:
            records = json.loads(capture.read_text(encoding="utf-8") or "[]")
        except (OSError, json.JSONDecodeError) as exc:
            print(f"eval-real: no check records for {name} ({exc}); ranking skipped", file=sys.stderr)
            records = []
    (out_dir / f"{name}-check.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    labels_dir = (set_dir or scorer.parent) / "labels"
    labels = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(labels_dir.glob("*.json"))}
    rk = ranking(records, labels)
    print(format_ranking(name, rk), flush=True)
    (out_dir / f"{name}-ranking.json").write_text(json.dumps(rk, ensure_ascii=False, indent=1), encoding="utf-8")
    return rk


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m contract_review.eval_real", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default=str(REPO / ".venv" / "bin" / "contract-review"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--shared", default=str(SHARED_SET), help="the real-dev folder (score.py, docs/, labels/)")
    ap.add_argument("--out", default=str(OUT_DIR))
    ap.add_argument("--only", choices=("real-dev", "local"), help="score one set only")
    a = ap.parse_args(argv)
    shared = Path(a.shared)
    scorer = shared / "score.py"
    if not scorer.is_file():
        print(f"eval-real: the real-document scorer is missing: {scorer} — `make eval-real` needs the shared "
              f"real-dev set beside the checkout (../shared/real-dev with score.py, docs/, labels/)", file=sys.stderr)
        return 2
    cli = Path(a.cli)
    if not os.access(cli, os.X_OK):
        print(f"eval-real: the CLI {cli} is not installed (run `make install`)", file=sys.stderr)
        return 2
    out = Path(a.out)
    if a.only in (None, "real-dev"):
        run_set("real-dev", scorer, None, cli.resolve(), a.jobs, out)
    if a.only in (None, "local") and (LOCAL_SET / "docs").is_dir() and (LOCAL_SET / "labels").is_dir():
        run_set("tests-data-real", scorer, LOCAL_SET, cli.resolve(), a.jobs, out)
    print(f"\nreports: {out}/", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

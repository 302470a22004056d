"""``contract-review`` — the command line. The roof of the house: may import everything."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import unicodedata
from pathlib import Path
from typing import Sequence

EXIT_OK = 0
EXIT_FAILED = 2


def _quiet_libraries() -> None:
    """Keep stdout for the JSON: library chatter goes to stderr, and little of it."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    for name in ("RapidOCR", "jieba", "pdfminer", "pdfplumber", "PIL", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    os.environ.setdefault("OMP_NUM_THREADS", str(os.cpu_count() or 1))


# -- table printing (CJK characters are two columns wide) -------------------------------------
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 60) -> str:
    cells = [[_clip(str(c), max_width) for c in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, widths[i]) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(_pad(c, widths[i]) for i, c in enumerate(row)).rstrip())
    return "\n".join(lines)


STATUS_ZH = {"ok": "成功", "partial": "部分读取", "failed": "失败"}
DISPOSITION_ZH = {"void": "无效", "re-sign": "补签", "fixable": "整改", "compliant": "合规"}
KIND_ZH = {"text": "文字层", "ocr": "OCR"}


def _seal_text(record: dict) -> str:
    seal = record["fields"].get("seal_present")
    if seal is None:
        return "-"
    return "有" if seal["value"] else "无"


def _kinds_text(kinds: list[str]) -> str:
    if not kinds:
        return "-"
    counts = {k: kinds.count(k) for k in dict.fromkeys(kinds)}
    return " ".join(f"{KIND_ZH.get(k, k)}×{n}" for k, n in counts.items())


# -- commands ---------------------------------------------------------------------------------
def _settings(args: argparse.Namespace):
    from ingest import ENGINES, IngestSettings

    engine = getattr(args, "ocr_engine", None)
    if engine is not None and engine not in ENGINES:
        raise SystemExit(
            f"contract-review: 未知的 OCR 引擎 {engine!r}（unknown OCR engine; known: {', '.join(sorted(ENGINES))}）"
        )
    overrides = {"ocr_engine": engine}
    if getattr(args, "timeout", None):  # one flat limit, whatever the page count
        overrides["timeout_s"] = overrides["timeout_base_s"] = float(args.timeout)
    return IngestSettings.from_env(**overrides)


def _check_ctx(args: argparse.Namespace):
    from datetime import date

    from checks.profile import ProfileError

    from .pipeline import check_context

    try:
        as_of = date.fromisoformat(args.as_of) if getattr(args, "as_of", None) else None
    except ValueError:
        raise SystemExit(f"contract-review: --as-of 日期格式应为 YYYY-MM-DD（got {args.as_of!r}）")
    try:
        return check_context(getattr(args, "profile", None), getattr(args, "market_reference", None), as_of)
    except (ProfileError, OSError, ValueError) as exc:
        raise SystemExit(f"contract-review: {exc}")


def cmd_extract(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline
    from .record import to_record

    settings = _settings(args)
    result = Pipeline(settings, _check_ctx(args)).pipe([args.file])[0]
    record = to_record(result)
    if args.json:
        json.dump(record, sys.stdout, ensure_ascii=False, indent=2 if args.pretty else None)
        sys.stdout.write("\n")
    else:
        print(_human_summary(record, result.timings))
    return EXIT_OK if record["status"] != "failed" else EXIT_FAILED


def _human_summary(record: dict, timings: dict) -> str:
    src = record["source"]
    out = [
        f"文件    {src['path']}",
        f"格式    {src['format'] or '-'}    页数 {src['pages']}    页类型 {_kinds_text(src['page_kinds'])}",
        f"状态    {STATUS_ZH.get(record['status'], record['status'])} ({record['status']})    "
        f"用时 {timings.get('total_s', 0):.2f} 秒",
        f"印章    {_seal_text(record)}",
    ]
    for err in record["errors"]:
        where = f"第 {err['page']} 页 " if err.get("page") else ""
        out.append(f"错误    [{err['code']}] {where}{err['message']}")
    if record["status"] != "failed":
        out.append(f"处置建议  {DISPOSITION_ZH.get(record['disposition'], record['disposition'])}    "
                   f"风险 {record['risk_score']:.2f}    {record.get('disposition_reason') or ''}")
    for f in record["findings"]:
        out.append(f"  ! [{f['check']}] {f['title']} — {f['basis']}")
    filled = {k: v for k, v in record["fields"].items() if v is not None and k != "seal_present"}
    if filled:
        out.append("字段")
        for name, item in filled.items():
            out.append(f"  {name}: {item['value']}")
    text = record["text"].replace("\f", "\n")
    if text:
        preview = [line for line in text.splitlines() if line.strip()][:8]
        out.append("正文（前几行）")
        out.extend(f"  {line}" for line in preview)
    return "\n".join(out)


def _collect_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")
                                and f.suffix.lower() not in (".json", ".yaml", ".yml", ".csv")))
        else:
            files.append(p)
    return files


def cmd_check(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline, Result
    from .record import to_record

    settings = _settings(args)
    ctx = _check_ctx(args)
    files = _collect_files(args.paths)
    if not files:
        print(f"contract-review: 没有找到要处理的文件（no files found in {' '.join(args.paths)}）", file=sys.stderr)
        return EXIT_FAILED
    started = time.perf_counter()

    def progress(index: int, total: int, result: Result) -> None:
        if not args.json:
            print(f"[{index}/{total}] {result.source.name} …", file=sys.stderr, flush=True)

    results = Pipeline(settings, ctx).pipe(files, progress=progress)
    records = [to_record(r) for r in results]
    if args.json:
        json.dump(records, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    order = sorted(range(len(records)), key=lambda i: (records[i]["status"] == "failed", -records[i]["risk_score"]))
    rows = []
    for i in order:
        record, result, path = records[i], results[i], files[i]
        rows.append([
            path.name,
            record["source"]["format"] or "-",
            str(record["source"]["pages"]),
            _kinds_text(record["source"]["page_kinds"]),
            STATUS_ZH.get(record["status"], record["status"]),
            _seal_text(record),
            "-" if record["status"] == "failed" else DISPOSITION_ZH.get(record["disposition"], record["disposition"]),
            f"{record['risk_score']:.2f}",
            "、".join(dict.fromkeys(f["check"] for f in record["findings"])) or "-",
            f"{result.timings['total_s']:.1f}",
            "; ".join(e["code"] for e in record["errors"]) or "-",
        ])
    print(format_table(["文件", "格式", "页数", "页类型", "状态", "印章", "处置建议", "风险", "问题", "秒", "错误"], rows))
    failed = sum(1 for r in records if r["status"] == "failed")
    irregular = sum(1 for r in records if r["status"] != "failed" and r["disposition"] != "compliant")
    print(f"\n共 {len(records)} 个文件，不合规 {irregular} 个，读取失败 {failed} 个，用时 {time.perf_counter() - started:.1f} 秒"
          f"（基准日 {ctx.as_of.isoformat()}）")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from corpus.demo import build_demo_batch

    out = Path(args.out)
    files = build_demo_batch(out, seed=args.seed)
    print(f"演示批次已生成：{out}（{len(files)} 个文件）")
    if args.load:
        from .demo import load_demo

        load_demo(_store(), files, _demo_corpus(out / "generated"), workers=args.workers, progress=not args.quiet)
    return EXIT_OK


def _demo_corpus(out: Path, n: int = 24, seed: int = 20261122) -> list[Path]:
    """A few dozen generated agreements (text, Word, digital PDF) so the queue has something to
    order: compliant ones and each kind of irregularity. One file per agreement (the generator
    writes a plain-text copy beside each Word or PDF rendering)."""
    from datetime import date

    from corpus.generate import generate_corpus

    manifest = out / "manifest.json"
    if not manifest.exists():
        generate_corpus(out, n=n, seed=seed, formats=("text", "docx", "pdf"), as_of=date.today(), split="test")
    documents = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
    return [out / d["renderings"][d["rendering"]] for d in documents]


# ---------------------------------------------------------------------- the review store
def _store():
    """The review store of ``CONTRACT_REVIEW_DATA_DIR`` / ``CONTRACT_REVIEW_DB_URL``."""
    from .store import Store

    return Store()


def _print_batch_summary(summary, store) -> None:
    from .labels import DOCUMENT_STATUS_LABELS

    progress = store.batch_progress(summary.batch_id)
    rows = [[i["filename"], DOCUMENT_STATUS_LABELS.get(i["status"], i["status"]) + ("（已有，未重复处理）" if i["reused"] else ""),
             str(i["pages"] or "-"), f"{i['seconds']:.1f}" if i["seconds"] else "-",
             i["error_code"] or "-", (i["error_message"] or "-")] for i in progress["items"]]
    print(format_table(["文件", "状态", "页数", "秒", "错误", "说明"], rows))
    for name, why in summary.rejected:  # in full: the table clips long paths
        print(f"未接收：{name} — {why}")
    checked = "已重新审查" if summary.checked else "无新文件，未重新审查"
    print(f"\n批次「{progress['name']}」（{progress['unit']}）：{summary.files} 个文件，本次读取 {summary.read}，"
          f"失败 {summary.failed}，未变化跳过 {summary.unchanged}，未接收 {len(summary.rejected)}；"
          f"单位内 {summary.agreements} 份协议（{checked}），用时 {summary.seconds:.1f} 秒")


def cmd_ingest(args: argparse.Namespace) -> int:
    from .batch import ingest_paths
    from .store import StoreError

    store = _store()
    bar = None

    def progress(done: int, total: int, name: str, status: str) -> None:
        nonlocal bar
        if bar is None:
            bar = _bar(total, "ingest", enabled=not args.quiet)
        bar.update(1)
        bar.set_postfix_str(f"{name[-30:]} {status}")

    try:
        summary = ingest_paths(store, args.paths, unit=args.unit, batch=args.batch, workers=args.workers,
                               progress=progress)
    except StoreError as exc:
        print(f"contract-review ingest: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        if bar is not None:
            bar.close()
    _print_batch_summary(summary, store)
    return EXIT_OK if summary.files or not summary.rejected else EXIT_FAILED


def cmd_export(args: argparse.Namespace) -> int:
    from .ledger import ledger_rows, rectification_rows, write_ledger
    from .store import SYSTEM

    store = _store()
    filters = {}
    if args.unit:
        unit = next((u for u in store.units() if u["name"] == args.unit), None)
        if unit is None:
            print(f"contract-review export: 没有单位「{args.unit}」（no such unit）", file=sys.stderr)
            return EXIT_FAILED
        filters["unit_id"] = unit["id"]
    rows = ledger_rows(store, SYSTEM, **filters)
    try:
        out = write_ledger(rows, args.out, args.format, kind=args.kind)
    except ValueError as exc:
        print(f"contract-review export: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.kind == "rectification":
        n = sum(len(items) for items in rectification_rows(rows).values())
        print(f"整改清单已导出：{out}（{n} 份协议）")
    else:
        failed = sum(1 for r in rows if r.get("_failed"))
        print(f"台账已导出：{out}（{len(rows)} 行" + (f"，其中未能读取 {failed} 个文件" if failed else "") + "）")
    return EXIT_OK


def cmd_user(args: argparse.Namespace) -> int:
    import getpass

    from .accounts import Accounts
    from .labels import ROLE_LABELS
    from .store import StoreError

    store = _store()
    accounts = Accounts(store)
    try:
        if args.user_command == "add":
            password = args.password or os.environ.get("CONTRACT_REVIEW_NEW_PASSWORD")
            if not password:
                password = getpass.getpass(f"{args.username} 的密码: ")
                if password != getpass.getpass("再输入一次: "):
                    print("两次输入的密码不一致", file=sys.stderr)
                    return EXIT_FAILED
            accounts.create_user(args.username, password, args.role, unit=args.unit, display_name=args.name or "")
            print(f"已创建用户 {args.username}（{ROLE_LABELS[args.role]}{'，' + args.unit if args.unit else ''}）")
        elif args.user_command == "passwd":
            password = args.password or getpass.getpass(f"{args.username} 的新密码: ")
            accounts.set_password(args.username, password)
            print(f"已修改 {args.username} 的密码（该账号已登录的会话均已退出）")
        elif args.user_command == "unlock":
            lifted = accounts.unlock(args.username)
            print(f"已解除 {args.username} 的登录锁定" if lifted else f"{args.username} 没有登录失败记录，无需解锁")
        else:
            rows = [[u["username"], u["display_name"], ROLE_LABELS.get(u["role"], u["role"]), u["unit"] or "-",
                     "是" if u["active"] else "否"] for u in store.users()]
            print(format_table(["用户名", "姓名", "角色", "单位", "启用"], rows))
    except StoreError as exc:
        print(f"contract-review user: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _audit(store) -> int:
    """Check the decision history; print the result (problems on stderr). Exit code."""
    report = store.audit_report()
    if report.ok:
        print(f"决定历史完整：{report.entries} 条决定，{report.agreements} 份协议；"
              f"链头 第 {report.head_seq} 条 {report.head_hash}")
        return EXIT_OK
    print(f"决定历史已被改动（decision history broken）：{len(report.problems)} 处问题", file=sys.stderr)
    print(f"首个问题：{report.first_broken}", file=sys.stderr)
    for problem in report.problems[1:20]:
        print(f"  {problem}", file=sys.stderr)
    if len(report.problems) > 20:
        print(f"  …另有 {len(report.problems) - 20} 处", file=sys.stderr)
    return EXIT_FAILED


def cmd_audit(args: argparse.Namespace) -> int:
    """``audit verify``: the decision history's hash chain, its head and every in-force decision."""
    store = _store()
    try:
        return _audit(store)
    finally:
        store.close()


def cmd_backup(args: argparse.Namespace) -> int:
    from .store import db
    from .store.backup import BackupError, backup

    data = db.data_dir()
    try:
        summary = backup(db.database_url(None, data), data, Path(args.out))
    except BackupError as exc:
        print(f"contract-review backup: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"备份已写入：{summary.path}（{summary.agreements} 份协议，{summary.decisions} 条决定，"
          f"{summary.files} 个文件，共 {summary.bytes / 1e6:.1f} MB）")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from .store import db
    from .store.backup import BackupError, restore

    data = db.data_dir()
    try:
        summary = restore(Path(args.file), db.database_url(None, data), data, force=args.force)
    except BackupError as exc:
        print(f"contract-review restore: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"已从 {summary.path} 恢复：{summary.agreements} 份协议，{summary.decisions} 条决定，{summary.files} 个文件")
    if summary.moved_aside:
        print(f"原有的数据库和文件已移到 {summary.moved_aside}")
    store = _store()  # brings a backup of an older version up to the current schema
    try:
        return _audit(store)
    finally:
        store.close()


LOOPBACK = "127.0.0.1"


def serve_command(app: Path, port: int, address: str) -> list[str]:
    """The Streamlit command line ``serve`` runs (the settings of .streamlit/config.toml, given
    here too so they hold from any directory)."""
    return [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
            "--server.address", address, "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--server.maxUploadSize", "1024", "--client.toolbarMode", "minimal", "--theme.primaryColor", "#1f5fbf"]


def cmd_serve(args: argparse.Namespace) -> int:
    import subprocess

    from .accounts import is_loopback

    app = Path(__file__).resolve().parent.parent / "review_app" / "app.py"
    if not app.is_file():
        print(f"contract-review serve: 找不到审查应用 {app}（review app not found）", file=sys.stderr)
        return EXIT_FAILED
    cmd = serve_command(app, args.port, args.address)
    host = "localhost" if is_loopback(args.address) else args.address
    print(f"审查系统：http://{host}:{args.port}  （Ctrl+C 退出）", flush=True)
    if not is_loopback(args.address):
        print(f"注意：审查系统在 {args.address} 上对网络开放；使用公开密码的演示账号首次登录时必须修改密码。",
              flush=True)
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    from .distributed import broker_url, worker_main

    if not broker_url():
        print("contract-review worker: 请设置 CONTRACT_REVIEW_BROKER_URL（如 redis://host:6379/0）"
              "(set CONTRACT_REVIEW_BROKER_URL, e.g. redis://host:6379/0)", file=sys.stderr)
        return EXIT_FAILED
    return worker_main(concurrency=args.concurrency, loglevel=args.loglevel, hostname=args.hostname)


def cmd_corpus_generate(args: argparse.Namespace) -> int:
    from datetime import date

    from corpus.generate import LEGACY_FAMILIES, LEGACY_SHARES, generate_corpus

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    out = Path(args.out)
    bar = _bar(args.n, "generate", enabled=not args.quiet)
    manifest = generate_corpus(
        out, n=args.n, seed=args.seed, formats=formats, as_of=as_of,
        split=None if args.split == "all" else args.split,
        progress=lambda i, n: bar.update(1),
        workers=args.workers,
        families=(list(LEGACY_FAMILIES) if args.mix == "legacy" else None)
        or [f.strip() for f in (args.families or "").split(",") if f.strip()] or None,
        shares=(list(LEGACY_SHARES) if args.mix == "legacy" else None)
        or [(k.strip(), float(v)) for k, v in (x.split("=") for x in (args.scenarios or "").split(",") if x.strip())] or None,
    )
    bar.close()
    docs = manifest["documents"]
    splits = {s: sum(1 for d in docs if d["split"] == s) for s in sorted({d["split"] for d in docs})}
    print(f"corpus: {out} — {len(docs)} agreements, splits {splits}, formats {','.join(formats)}, seed {args.seed}")
    return EXIT_OK


def _bar(total: int, desc: str, enabled: bool = True):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="doc", disable=not enabled)


def cmd_eval(args: argparse.Namespace) -> int:
    from evaluation.evaluate import format_report, run, summarise, write_report

    corpus = Path(args.corpus)
    if not (corpus / "manifest.json").exists():
        print(f"contract-review eval: {corpus} has no manifest.json (generate one with `contract-review corpus generate`)",
              file=sys.stderr)
        return EXIT_FAILED
    started = time.perf_counter()
    outcomes = run(corpus, split=args.split, workers=args.workers, limit=args.limit, progress=not args.quiet)
    report = summarise(outcomes)
    report["split"] = args.split
    report["wall_seconds"] = round(time.perf_counter() - started, 1)
    print(format_report(report))
    print(f"\nwall time: {report['wall_seconds']:.0f} s with {args.workers} worker(s)")
    if args.out:
        write_report(report, outcomes, Path(args.out))
        print(f"report: {args.out}")
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    from models.training import train_all

    corpus = Path(args.corpus)
    if not (corpus / "manifest.json").exists():
        from datetime import date

        from corpus.generate import generate_corpus

        print(f"generating a text corpus for training in {corpus} (n={args.n}, seed={args.seed}) …", file=sys.stderr)
        generate_corpus(corpus, n=args.n, seed=args.seed, formats=("text",), as_of=date(2026, 11, 21))
    report = train_all(corpus)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    from bench import format_report, run

    def split(value: str | None) -> list[str] | None:
        return [x.strip() for x in value.split(",") if x.strip()] if value else None

    try:
        report = run(Path(args.out), only=split(args.only), skip=split(args.skip), resume=args.resume,
                     options={"runs": args.runs, "batch_sizes": [int(v) for v in args.batch_sizes.split(",")]},
                     log=lambda m: print(m, file=sys.stderr))
    except KeyError as exc:
        print(f"contract-review bench: {exc.args[0]}", file=sys.stderr)
        return EXIT_FAILED
    print(format_report(report))
    print(f"\nreport: {args.out}")
    return EXIT_OK


def _check_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", default=None, help="date warnings are computed against (YYYY-MM-DD, default today)")
    p.add_argument("--profile", default=None, help="jurisdiction profile YAML (default: the shipped national profile)")
    p.add_argument("--market-reference", default=None, help="market-rent reference CSV (asset_kind,location,unit,unit_rent,date)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contract-review",
        description="Read agreements over state-owned and collective assets and flag irregular ones.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="read one file and print its record")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the JSON record (schema contract-review/agreement@1)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("--ocr-engine", default=None, help="OCR engine name (default: rapidocr)")
    p.add_argument("--timeout", type=float, default=None, help="seconds allowed for the file (default: 60 + 20 per page, at most 600)")
    _check_options(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("check", help="process a folder (or files) as one batch and print a summary table")
    p.add_argument("paths", nargs="+")
    p.add_argument("--json", action="store_true", help="print a JSON array of records")
    p.add_argument("--ocr-engine", default=None)
    p.add_argument("--timeout", type=float, default=None)
    _check_options(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("worker", help="read files for batches on this machine (Celery worker; CONTRACT_REVIEW_BROKER_URL)")
    p.add_argument("--concurrency", type=int, default=int(os.environ.get("CONTRACT_REVIEW_WORKERS", "2")),
                   help="files read at the same time")
    p.add_argument("--loglevel", default="INFO")
    p.add_argument("--hostname", default=None, help="the worker's name (default: celery@this host)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("corpus", help="labelled corpus tools")
    corpus_sub = p.add_subparsers(dest="corpus_command", required=True)
    g = corpus_sub.add_parser("generate", help="generate labelled agreements with ground truth")
    g.add_argument("--out", required=True)
    g.add_argument("--n", type=int, default=200)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--formats", default="text,docx,pdf,scan,photo",
                   help="comma-separated renderings among text,docx,pdf,scan,photo")
    g.add_argument("--split", default="all", choices=["all", "train", "test"])
    g.add_argument("--as-of", default=None, help="reference date for expiry labels (default: today)")
    g.add_argument("--workers", type=int, default=2, help="rendering processes (output does not depend on it)")
    g.add_argument("--families", default=None, help="comma-separated family ids to prefer (e.g. F22,F23,F24,F25,F26,F27)")
    g.add_argument("--scenarios", default=None,
                   help="scenario shares replacing the default mix, e.g. side_pair_real=0.4,renewal=0.4 (the rest clean)")
    g.add_argument("--mix", default="current", choices=["current", "legacy"],
                   help="legacy: the scenario mix and families before the real-shaped families (reproduces older corpora)")
    g.add_argument("--quiet", action="store_true")
    g.set_defaults(func=cmd_corpus_generate)

    p = sub.add_parser("eval", help="run the pipeline over a labelled corpus and report accuracy")
    p.add_argument("--corpus", required=True)
    p.add_argument("--split", default="test", choices=["test", "train", "all"])
    p.add_argument("--out", default=None, help="write the JSON report here")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("train", help="retrain every model from a labelled corpus (saved with skops under models/)")
    p.add_argument("--corpus", default="data/train-corpus", help="corpus folder; generated (text only) when missing")
    p.add_argument("--n", type=int, default=1200)
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("bench", help="speed and memory side by side: scans, digital pages, extract, a batch, side contracts")
    p.add_argument("--out", default="data/bench/report.json", help="the JSON report (inputs are kept beside it)")
    p.add_argument("--only", default=None, help="comma-separated sections: scans,digital,extract,batch,side")
    p.add_argument("--skip", default=None, help="comma-separated sections to leave out")
    p.add_argument("--resume", action="store_true", help="keep the sections the report already holds")
    p.add_argument("--runs", type=int, default=5, help="timed repetitions where a section repeats")
    p.add_argument("--batch-sizes", default="100,1000", help="the small and the large batch (small with 1 worker; large with 1 and 2)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("demo", help="generate the demo batch (text, Word, PDF, scans, photos)")
    p.add_argument("--out", default="data/demo")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--load", action="store_true",
                   help="also load it into the review store with demo units and accounts (printed)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("ingest", help="process files into the review store as a batch of a unit (resumable)")
    p.add_argument("paths", nargs="+", help="files, folders or zip archives")
    p.add_argument("--unit", required=True, help="the unit (township / department) handing the files in")
    p.add_argument("--batch", default=None, help="batch name (default: the current time); the same name resumes")
    p.add_argument("--workers", type=int, default=2, help="files read in parallel")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("export", help="export the ledger (台账) of the review store")
    p.add_argument("--format", choices=["xlsx", "csv"], default=None, help="default: from --out's suffix")
    p.add_argument("--out", required=True)
    p.add_argument("--unit", default=None, help="only this unit")
    p.add_argument("--kind", choices=["ledger", "rectification"], default="ledger",
                   help="ledger (台账, xlsx or csv) or the per-unit rectification list (整改清单, xlsx)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("user", help="accounts of the review app")
    user_sub = p.add_subparsers(dest="user_command", required=True)
    u = user_sub.add_parser("add", help="create an account")
    u.add_argument("username")
    u.add_argument("--role", required=True, choices=["uploader", "reviewer", "admin"])
    u.add_argument("--unit", default=None, help="unit of an uploader (created when new)")
    u.add_argument("--name", default=None, help="display name")
    u.add_argument("--password", default=None, help="(default: asked for; or CONTRACT_REVIEW_NEW_PASSWORD)")
    u.set_defaults(func=cmd_user)
    u = user_sub.add_parser("passwd", help="set an account's password")
    u.add_argument("username")
    u.add_argument("--password", default=None)
    u.set_defaults(func=cmd_user)
    u = user_sub.add_parser("unlock", help="lift the lockout of an account after failed logins")
    u.add_argument("username")
    u.set_defaults(func=cmd_user)
    u = user_sub.add_parser("list", help="list accounts")
    u.set_defaults(func=cmd_user)

    p = sub.add_parser("audit", help="check the review store's decision history")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    a = audit_sub.add_parser("verify", help="check the hash chain of every decision; exit 2 naming the first broken entry")
    a.set_defaults(func=cmd_audit)

    p = sub.add_parser("backup", help="write the embedded (SQLite) store's database and files to one tar file")
    p.add_argument("--out", required=True, help="the backup file to write (e.g. backup-2026-12-07.tar)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="put a backup in place of the embedded store (refused over a non-empty store)")
    p.add_argument("file", help="a file written by contract-review backup")
    p.add_argument("--force", action="store_true",
                   help="replace a store that holds data (the old database and files are moved to pre-restore-<time>/)")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("serve", help="start the review app (Streamlit)")
    p.add_argument("--port", type=int, default=int(os.environ.get("CONTRACT_REVIEW_PORT", "8501")))
    p.add_argument("--address", default=os.environ.get("CONTRACT_REVIEW_ADDRESS", LOOPBACK),
                   help="interface to listen on (default 127.0.0.1: this machine only; 0.0.0.0 exposes it)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _quiet_libraries()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verbose:
        logging.getLogger().setLevel(logging.INFO)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `contract-review ... | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The demo batch `make run` processes: the hand-written samples in every format a township
hands in (Word, digital PDF, scanned PDF, mixed PDF, phone photo, plain text), plus one broken
file to show that a bad file is reported and the batch goes on."""

from __future__ import annotations

from pathlib import Path

from .render import render_docx, render_image, render_mixed_pdf, render_pdf, render_scanned_pdf, render_text
from .samples import LAND, LEASE, LOAN


def build_demo_batch(out: Path, seed: int = 7) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = [
        (f"01_{LEASE.title}_扫描件.pdf", lambda p: render_scanned_pdf(LEASE.blocks, p, seed=seed, seal=LEASE.seals)),
        (f"02_{LEASE.title}.docx", lambda p: render_docx(LEASE.blocks, p, header=f"合同编号：{LEASE.contract_no}")),
        (f"03_{LAND.title}_手机拍照.jpg", lambda p: render_image(LAND.blocks, p, seed=seed + 1, kind="photo", seal=LAND.seals)),
        (f"04_{LAND.title}.txt", lambda p: render_text(LAND.blocks, p)),
        (f"05_{LOAN.title}.pdf", lambda p: render_pdf(LOAN.blocks, p, seal=LOAN.seals, seed=seed)),
        (f"06_{LOAN.title}_部分扫描.pdf", lambda p: render_mixed_pdf(LOAN.blocks, p, seed=seed + 2, seal=LOAN.seals)),
    ]
    files = []
    for name, make in jobs:
        path = out / name
        if not path.exists():
            make(path)
        files.append(path)
    broken = out / "07_损坏的文件.pdf"
    broken.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog")  # truncated on purpose
    files.append(broken)
    return files

"""DOCX through python-docx: body paragraphs and tables in document order, content controls,
text boxes, tracked insertions (not deletions), and headers/footers."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..document import Document, Line, Page, Seal
from ..errors import IngestError, format_bytes
from ..settings import IngestSettings
from ..vision import find_seals, to_rgb

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _para_text(p_el) -> str:
    parts: list[str] = []
    for el in p_el.iter():
        tag = el.tag
        if tag == _W + "t" and el.text:
            parts.append(el.text)
        elif tag in (_W + "tab", _W + "ptab"):
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append(" ")
    return "".join(parts).strip()


def _table_rows(tbl_el) -> list[str]:
    rows: list[str] = []
    for tr in tbl_el.findall(_W + "tr"):
        cells: list[str] = []
        for tc in tr.findall(_W + "tc"):
            text = " ".join(t for t in (_para_text(p) for p in tc.iter(_W + "p")) if t)
            # a horizontally merged cell is repeated by Word viewers: keep it once
            if not cells or text != cells[-1] or not text:
                cells.append(text)
        if any(cells):
            rows.append("\t".join(cells).rstrip())
    return rows


def _block_lines(container_el, kind_para: str = "paragraph") -> list[Line]:
    lines: list[Line] = []
    for child in container_el.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            text = _para_text(child)
            if text:
                lines.append(Line(text=text, origin="docx", kind=kind_para))
        elif tag == _W + "tbl":
            for row in _table_rows(child):
                lines.append(Line(text=row, origin="docx", kind="table_row"))
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                lines.extend(_block_lines(content, kind_para))
    return lines


def _image_seals(document) -> list[Seal]:
    """Seals seen in the embedded pictures (an electronic seal pasted into the Word file)."""
    from io import BytesIO

    from PIL import Image

    seals: list[Seal] = []
    for rel in document.part.rels.values():
        if "image" not in rel.reltype or rel.is_external:
            continue
        try:
            blob = rel.target_part.blob
            if len(blob) > 20 * 1024 * 1024:
                continue
            with Image.open(BytesIO(blob)) as img:
                if img.width * img.height > 25_000_000:
                    continue
                import numpy as np

                blobs = find_seals(np.asarray(to_rgb(img)))
                if blobs:
                    seals.append(Seal(bbox=None, score=max(b.score for b in blobs)))
        except MemoryError:
            raise
        except Exception:
            continue
    return seals


_ALL_PARTS = "合计 total"


def _check_inflated(path: Path, settings: IngestSettings) -> None:
    """Refuse a .docx whose parts inflate beyond the limits, before python-docx loads them all
    into memory: first by what the zip headers declare, then by counting what each part really
    inflates to (never more than the limit is decompressed)."""
    member_limit, total_limit = settings.max_docx_member_bytes, settings.max_docx_inflated_bytes

    def too_large(name: str, size: int, limit: int) -> IngestError:
        return IngestError("file_too_large", f"{name}: {format_bytes(size)} > {format_bytes(limit)}")

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # python-docx says what is wrong with it
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        declared = 0
        for info in infos:
            if info.file_size > member_limit:
                raise too_large(info.filename, info.file_size, member_limit)
            declared += info.file_size
        if declared > total_limit:
            raise too_large(_ALL_PARTS, declared, total_limit)
        total = 0
        for info in infos:  # headers can lie: count what really comes out
            size = 0
            try:
                with zf.open(info) as fh:
                    while chunk := fh.read(1 << 20):
                        size += len(chunk)
                        total += len(chunk)
                        if size > member_limit:
                            raise too_large(info.filename, size, member_limit)
                        if total > total_limit:
                            raise too_large(_ALL_PARTS, total, total_limit)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, ValueError):
                continue  # a broken part: python-docx decides whether the document still reads


def read(path: Path, settings: IngestSettings, doc: Document) -> None:
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise IngestError("unreadable", "python-docx is not installed") from exc
    _check_inflated(path, settings)
    try:
        document = docx.Document(str(path))
    except MemoryError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError("corrupt_docx", exc) from exc
    except Exception as exc:  # lxml syntax errors, broken parts
        raise IngestError("corrupt_docx", f"{type(exc).__name__}: {exc}") from exc

    lines: list[Line] = []
    headers: list[str] = []
    footers: list[str] = []
    try:
        for section in document.sections:
            for part, bucket in ((section.header, headers), (section.footer, footers)):
                try:
                    if part.is_linked_to_previous and bucket:
                        continue
                    for line in _block_lines(part._element):
                        if line.text not in bucket:
                            bucket.append(line.text)
                except Exception:
                    continue
    except Exception:
        pass
    try:
        body = _block_lines(document.element.body)
    except MemoryError:
        raise
    except Exception as exc:
        raise IngestError("corrupt_docx", f"{type(exc).__name__}: {exc}") from exc
    lines.extend(Line(text=t, origin="docx", kind="header") for t in headers)
    lines.extend(body)
    lines.extend(Line(text=t, origin="docx", kind="footer") for t in footers)
    seals = _image_seals(document) if settings.detect_seals else []
    doc.pages.append(Page(number=1, kind="text", lines=lines, seals=seals))

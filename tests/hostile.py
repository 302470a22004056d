"""Hostile files, generated (never checked in as binaries): what an attacker or a careless user
might hand in. Each writes one file and returns its path; big ones are streamed through zlib so
that making them costs neither the disk nor the memory they claim to hold.

Run as a script to write them all into a folder: ``python tests/hostile.py OUT_DIR``.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
import zlib
from pathlib import Path

MiB = 1024 * 1024
_ZEROS = bytes(MiB)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF with a correct cross-reference table over ``objects`` (object 1 is the catalog)."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def looping_pdf(path: Path) -> Path:
    """~550 bytes: the page's content stream has ``/Length 5 0 R``, object 5 is ``6 0 R`` and
    object 6 is ``5 0 R`` — resolving the length goes round for ever (pdfminer does)."""
    path.write_bytes(_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length 5 0 R >>\nstream\nBT /F1 12 Tf 72 720 Td (Hello) Tj ET\nendstream",
        b"6 0 R",
        b"5 0 R",
    ]))
    return path


def many_frame_tiff(path: Path, frames: int = 5000, side: int = 64) -> Path:
    """A multi-page TIFF of ``frames`` small white pages (a few MB at most)."""
    from PIL import Image

    pages = [Image.new("1", (side, side), 1) for _ in range(frames)]
    pages[0].save(path, format="TIFF", save_all=True, append_images=pages[1:], compression="group4")
    return path


class _RepeatingDeflate:
    """Stands in for zipfile's compressor: a ``unit`` chunk seen before is emitted as the same
    compressed block (each chunk ends with a full flush, so no block refers to an earlier one and
    every copy is valid), so GBs of repeated content cost one compression."""

    def __init__(self, unit: bytes):
        self.unit = unit
        self.real = zlib.compressobj(6, zlib.DEFLATED, -15)
        probe = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.block = probe.compress(unit) + probe.flush(zlib.Z_FULL_FLUSH)
        assert probe.compress(unit) + probe.flush(zlib.Z_FULL_FLUSH) == self.block

    def compress(self, data: bytes) -> bytes:
        if data == self.unit:
            return self.block
        return self.real.compress(data) + self.real.flush(zlib.Z_FULL_FLUSH)

    def flush(self, mode: int = zlib.Z_FINISH) -> bytes:
        return self.real.flush(mode)


def _stream_member(zf: zipfile.ZipFile, name: str, size: int, head: bytes = b"", unit: bytes = _ZEROS,
                   tail: bytes = b"") -> None:
    """Write ``name`` of exactly ``size`` bytes (``head``, then ``unit`` repeated, then ``tail``)
    chunk by chunk: the archive holds about 1 MB per GB, memory one chunk, and the time is
    spent on the CRC only."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as fh:
        fh._compressor = _RepeatingDeflate(unit)  # type: ignore[attr-defined]
        fh.write(head)
        left = size - len(head) - len(tail)
        while left > 0:
            chunk = unit if left >= len(unit) else unit[:left]
            fh.write(chunk)
            left -= len(chunk)
        fh.write(tail)


def _small_docx() -> dict[str, bytes]:
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("房屋租赁合同")
    d.save(buf)
    with zipfile.ZipFile(buf) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def docx_bomb(path: Path, inflated: int = 2560 * MiB, part: str = "image") -> Path:
    """A valid .docx one of whose parts inflates to ``inflated`` bytes: ``part="image"`` adds a
    picture (``word/media/image1.png``) of zeros after a PNG signature, ``part="xml"`` makes
    ``word/document.xml`` itself that big (one paragraph repeated)."""
    parts = _small_docx()
    if part == "image":  # a picture the document really refers to: python-docx loads it
        rels = "word/_rels/document.xml.rels"
        parts[rels] = parts[rels].replace(b"</Relationships>", (
            b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/image" Target="media/image1.png"/></Relationships>'))
        types = "[Content_Types].xml"
        parts[types] = parts[types].replace(b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            if part == "xml" and name == "word/document.xml":
                text = data.decode("utf-8")
                cut = text.index("<w:body>") + len("<w:body>")
                head, tail = text[:cut].encode(), text[cut:].encode()
                para = b"<w:p><w:r><w:t>\xe7\xa7\x9f\xe9\x87\x91</w:t></w:r></w:p>" * 20000
                _stream_member(zf, name, inflated, head=head, unit=para, tail=tail)
            else:
                zf.writestr(name, data)
        if part == "image":
            _stream_member(zf, "word/media/image1.png", inflated, head=b"\x89PNG\r\n\x1a\n")
    return path


def zip_of_giants(path: Path, members: int = 2, size: int = 1000 * MiB) -> Path:
    """A zip of about 1 MB per GB holding ``members`` PDFs (by name and first bytes) of
    ``size`` bytes each — the issue's "2 MB zip with two 1000 MiB members"."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in range(members):
            _stream_member(zf, f"合同{n + 1}.pdf", size, head=b"%PDF-1.4\n")
    return path


def lying_zip(path: Path, real: int = 8 * MiB, declared: int = 1024) -> Path:
    """A zip whose one member says (in both headers) it is ``declared`` bytes but inflates to
    ``real``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("合同.txt", b"\xe7\xa7\x9f" * (real // 3))
    data = bytearray(path.read_bytes())
    real_field = (real // 3 * 3).to_bytes(4, "little")
    fake_field = declared.to_bytes(4, "little")
    local = data.index(b"PK\x03\x04")
    assert data[local + 22:local + 26] == real_field
    data[local + 22:local + 26] = fake_field
    central = data.index(b"PK\x01\x02")
    assert data[central + 24:central + 28] == real_field
    data[central + 24:central + 28] = fake_field
    path.write_bytes(bytes(data))
    return path


def evil_skops(path: Path, marker: Path) -> Path:
    """A .skops "model" whose loading calls ``builtins.eval`` on code that creates ``marker``."""
    payload = f"open({str(marker)!r}, 'w').write('the payload ran')"
    schema = {
        "__class__": "eval", "__module__": "builtins", "__loader__": "ConstructorFromReduceNode",
        "content": {
            "__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode",
            "content": [{"__class__": "str", "__module__": "builtins", "__loader__": "JsonNode",
                         "content": json.dumps(payload), "is_json": True, "__id__": 2}],
            "__id__": 1,
        },
        "__id__": 0, "protocol": 2, "_skops_version": "0.16.0",
    }
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("schema.json", json.dumps(schema))
    return path


PROBES = {
    "looping.pdf": looping_pdf,
    "5000-frames.tif": many_frame_tiff,
    "image-bomb.docx": lambda p: docx_bomb(p, part="image"),
    "xml-bomb.docx": lambda p: docx_bomb(p, part="xml"),
    "giants.zip": zip_of_giants,
    "lying.zip": lying_zip,
}
"""The files the reliability suite hands to ingest and to the upload path."""


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    out.mkdir(parents=True, exist_ok=True)
    for file_name, make in PROBES.items():
        made = make(out / file_name)
        print(f"{made}  {made.stat().st_size:,} bytes")
    print(evil_skops(out / "evil.skops", out / "PAYLOAD-RAN"))

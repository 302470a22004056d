"""Render a plain-text document of tests/data/real/ as .docx, digital .pdf, scan or phone photo.

Written for this set (not the product's corpus renderer, so scans do not look like the generator's):

    python render.py docx SRC.txt OUT.docx
    python render.py pdf  SRC.txt OUT.pdf
    python render.py scan SRC.txt OUT.(pdf|png|jpg) [--seal "单位名称"] [--seed N]
    python render.py photo SRC.txt OUT.jpg [--seal "单位名称"] [--seed N]

docx: python-docx, first line as heading, one paragraph per line.
pdf:  fpdf2 with a TrueType (glyf) subset of Noto Serif SC (built by corpus.fonts from the
      pylopdf-fonts-zh-cn OTF with fontTools cu2qu); the text is read back with pdfplumber.
scan: A4 at 200 dpi, Noto Serif SC 34 px, a red round seal multiplied over the last lines when
      --seal is given, rotation ±1.5°, Gaussian blur, noise, JPEG round trip.
photo: the scanned page warped onto a dark desk, uneven light, warm cast, blur, JPEG.
Run with the project's venv (needs python-docx, fpdf2, fontTools, pdfplumber, Pillow, numpy).
"""
from __future__ import annotations

import argparse
import io
import math
import random
import sys
from pathlib import Path

A4 = (1654, 2339)  # 200 dpi
MARGIN = 150


def read_lines(src: Path) -> list[str]:
    return [ln.rstrip() for ln in src.read_text(encoding="utf-8").splitlines() if ln.strip()]


def to_docx(src: Path, out: Path) -> None:
    import docx

    lines = read_lines(src)
    d = docx.Document()
    d.add_heading(lines[0], level=1)
    for ln in lines[1:]:
        d.add_paragraph(ln)
    d.save(out)


def to_pdf(src: Path, out: Path) -> None:
    from fpdf import FPDF
    import pdfplumber

    sys.path.insert(0, str(Path(__file__).resolve().parents[4]))
    from corpus.fonts import ttf_font_path

    text = src.read_text(encoding="utf-8")
    font = ttf_font_path("serif", extra_chars="".join(sorted(set(text))))
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.add_font("noto", "", str(font))
    lines = read_lines(src)
    pdf.set_font("noto", size=15)
    pdf.multi_cell(0, 9, lines[0], align="C")
    pdf.ln(3)
    pdf.set_font("noto", size=11)
    for ln in lines[1:]:
        pdf.multi_cell(0, 6.5, ln)
        pdf.ln(1.5)
    pdf.output(str(out))
    with pdfplumber.open(out) as p:
        got = "".join((pg.extract_text() or "") for pg in p.pages)
    want = "".join(ch for ch in text if not ch.isspace())
    gotc = "".join(ch for ch in got if not ch.isspace())
    missing = sum(1 for ch in set(want) if ch not in gotc)
    print(f"{out.name}: pdfplumber read {len(gotc)} of {len(want)} chars, {missing} distinct chars missing")
    if len(gotc) < 0.95 * len(want):
        raise SystemExit("pdfplumber could not read the text layer back")


def _font(size: int):
    from PIL import ImageFont
    import pylopdf_fonts_zh_cn as fz

    return ImageFont.truetype(fz.serif_path(), size)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    out, cur = [], ""
    for ch in text:
        if draw.textlength(cur + ch, font=font) > width:
            out.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def seal(name: str, diameter: int, rng: random.Random):
    """A red round seal: double ring, star, the unit's name on an arc."""
    from PIL import Image, ImageDraw

    s = diameter
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    red = (205, 30, 35, 255)
    w = max(6, s // 40)
    d.ellipse([w, w, s - w, s - w], outline=red, width=w)
    cx = cy = s / 2
    r = s * 0.14
    pts = []
    for i in range(10):
        ang = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.4
        pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
    d.polygon(pts, fill=red)
    f = _font(int(s * 0.11))
    n = len(name)
    span = math.radians(min(250, 18 * n + 40))
    rad = s / 2 - w * 2 - s * 0.08
    for i, ch in enumerate(name):
        ang = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
        g = Image.new("RGBA", (int(s * 0.14), int(s * 0.14)), (0, 0, 0, 0))
        ImageDraw.Draw(g).text((g.width / 2, g.height / 2), ch, font=f, fill=red, anchor="mm")
        g = g.rotate(-math.degrees(ang) - 90, resample=Image.BICUBIC, expand=True)
        x = cx + rad * math.cos(ang) - g.width / 2
        y = cy + rad * math.sin(ang) - g.height / 2
        img.alpha_composite(g, (int(x), int(y)))
    # uneven ink
    px = img.load()
    for _ in range(s * s // 18):
        x, y = rng.randrange(s), rng.randrange(s)
        r_, g_, b_, a_ = px[x, y]
        if a_:
            px[x, y] = (r_, g_, b_, int(a_ * rng.uniform(0.35, 0.9)))
    return img.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)


def render_pages(src: Path, seal_name: str | None, rng: random.Random):
    from PIL import Image, ImageDraw

    lines = read_lines(src)
    font, head = _font(34), _font(44)
    pages, y, last = [], None, None
    img = draw = None

    def new_page():
        nonlocal img, draw, y
        img = Image.new("RGB", A4, (250, 249, 245))
        draw = ImageDraw.Draw(img)
        pages.append(img)
        y = MARGIN

    new_page()
    for i, ln in enumerate(lines):
        f = head if i == 0 else font
        wrapped = _wrap(draw, ln, f, A4[0] - 2 * MARGIN)
        for part in wrapped:
            if y + 52 > A4[1] - MARGIN:
                new_page()
            x = (A4[0] - draw.textlength(part, font=f)) / 2 if i == 0 else MARGIN
            draw.text((x, y), part, font=f, fill=(25, 25, 28))
            last = (img, y)
            y += 66 if i == 0 else 52
    if seal_name:
        page, ly = last
        st = seal(seal_name, 330, rng)
        x = int(A4[0] * rng.uniform(0.18, 0.45))
        yy = int(max(MARGIN, ly - 260 + rng.uniform(-40, 40)))
        layer = Image.new("RGB", A4, (255, 255, 255))
        layer.paste(st, (x, yy), st)
        from PIL import ImageChops

        pages[pages.index(page)] = ImageChops.multiply(page, layer)
    return pages


def degrade(img, rng: random.Random, quality: int):
    from PIL import Image, ImageFilter
    import numpy as np

    img = img.rotate(rng.uniform(-1.5, 1.5), resample=Image.BICUBIC, expand=False, fillcolor=(248, 248, 244))
    img = img.filter(ImageFilter.GaussianBlur(0.7))
    arr = np.asarray(img).astype(np.float32)
    arr += np.random.default_rng(rng.randrange(1 << 30)).normal(0, 10, arr.shape)
    img = Image.fromarray(arr.clip(0, 255).astype("uint8"))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def to_scan(src: Path, out: Path, seal_name: str | None, seed: int) -> None:
    rng = random.Random(seed)
    pages = [degrade(p, rng, rng.randint(55, 75)) for p in render_pages(src, seal_name, rng)]
    ext = out.suffix.lower()
    if ext == ".pdf":
        pages[0].save(out, "PDF", resolution=200, save_all=True, append_images=pages[1:])
    elif len(pages) == 1 or ext in (".png", ".jpg", ".jpeg"):
        if len(pages) > 1:
            raise SystemExit(f"{src.name} needs {len(pages)} pages; use .pdf")
        pages[0].save(out, quality=80) if ext != ".png" else pages[0].save(out)
    print(f"{out.name}: {len(pages)} page(s)")


def to_photo(src: Path, out: Path, seal_name: str | None, seed: int) -> None:
    from PIL import Image, ImageFilter
    import numpy as np

    rng = random.Random(seed)
    pages = render_pages(src, seal_name, rng)
    if len(pages) > 1:
        raise SystemExit(f"{src.name} needs {len(pages)} pages; a photo holds one")
    page = pages[0]
    W, H = 1425, 1800
    bg = Image.new("RGB", (W, H), (58, 50, 44))
    # page corners inside the frame (slight perspective)
    j = lambda a: a + rng.uniform(-25, 25)
    quad = [(j(70), j(60)), (j(W - 60), j(80)), (j(W - 40), j(H - 50)), (j(50), j(H - 70))]
    coeffs = _perspective_coeffs(quad, [(0, 0), (page.width, 0), (page.width, page.height), (0, page.height)])
    warped = page.transform((W, H), Image.PERSPECTIVE, coeffs, Image.BICUBIC, fillcolor=(0, 0, 0))
    mask = Image.new("L", page.size, 255).transform((W, H), Image.PERSPECTIVE, coeffs, Image.BICUBIC, fillcolor=0)
    bg.paste(warped, (0, 0), mask)
    arr = np.asarray(bg).astype(np.float32)
    yy, xx = np.mgrid[0:H, 0:W]
    cx, cy = W * rng.uniform(0.3, 0.7), H * rng.uniform(0.25, 0.6)
    light = 1.08 - 0.35 * np.hypot((xx - cx) / W, (yy - cy) / H)
    light *= 1 - 0.06 * (np.sin(yy / H * math.pi * rng.uniform(2, 4)) > 0.6)
    arr *= light[..., None]
    arr *= np.array([1.04, 1.0, 0.9])
    arr += np.random.default_rng(seed).normal(0, 7, arr.shape)
    img = Image.fromarray(arr.clip(0, 255).astype("uint8")).filter(ImageFilter.GaussianBlur(1.1))
    img.save(out, "JPEG", quality=72)
    print(f"{out.name}: photo")


def _perspective_coeffs(dst, src):
    import numpy as np

    m = []
    for (x, y), (u, v) in zip(dst, src):
        m.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        m.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(m, dtype=float)
    b = np.array(src, dtype=float).reshape(8)
    return np.linalg.solve(a, b).tolist()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["docx", "pdf", "scan", "photo"])
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seal")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.mode == "docx":
        to_docx(a.src, a.out)
    elif a.mode == "pdf":
        to_pdf(a.src, a.out)
    elif a.mode == "scan":
        to_scan(a.src, a.out, a.seal, a.seed)
    else:
        to_photo(a.src, a.out, a.seal, a.seed)


if __name__ == "__main__":
    main()

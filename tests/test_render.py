"""Fast tests for corpus.fonts / corpus.render / corpus.samples (no OCR)."""

from __future__ import annotations

import difflib
import hashlib

import numpy as np
import pytest
from PIL import Image

from corpus.fonts import agreement_charset, pil_font, ttf_font_path
from corpus.render import (
    Block,
    SealSpec,
    layout,
    page_text_lines,
    photo_effects,
    plain_text,
    render_docx,
    render_image,
    render_mixed_pdf,
    render_pages,
    render_pdf,
    render_scanned_pdf,
    render_text,
    scan_effects,
    text_width,
    wrap_text,
)
from corpus.samples import LAND, LEASE, LOAN, SAMPLES

pdfplumber = pytest.importorskip("pdfplumber")

# two short pages: a body page and a signature page with a seal
SHORT = [
    Block(text="房屋租赁合同", heading=True),
    Block(text="甲方：某某镇人民政府。乙方：某某商贸有限公司。经镇党委会研究决定，通过公开招租方式出租门面房屋。"),
    Block(table=[["期次", "租金（元）"], ["第一年", "40,000.00"]]),
    Block(text="甲方（盖章）：某某镇人民政府", indent=False, page_break_before=True),
    Block(text="乙方（签字）：", indent=False),
    Block(text="签订日期：2023年2月20日", indent=False),
]
SHORT_SEAL = SealSpec(text="某某市某某镇人民政府")


def _nows(s: str) -> str:
    return "".join(s.split())


def _sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.fixture(scope="module")
def lease_pages():
    return render_pages(LEASE.blocks, dpi=300, seal=LEASE.seals, seed=0)


# ----------------------------------------------------------------- fonts


def test_ttf_is_truetype_and_covers_agreement_characters():
    from fontTools.ttLib import TTFont

    path = ttf_font_path("serif")
    assert path.exists() and path.suffix == ".ttf"
    font = TTFont(str(path), lazy=True)
    assert "glyf" in font and "CFF " not in font
    cmap = font.getBestCmap()
    needed = "壹贰叁肆伍陆柒捌玖拾佰仟萬〇〔〕㎡（），。：；“”《》¥￥人民币元整镇党委会"
    missing = [c for c in needed if ord(c) not in cmap]
    assert not missing, missing
    assert len(agreement_charset()) > 7000
    assert ttf_font_path("serif") == path  # cached
    assert ttf_font_path("serif", extra_chars="壹A") == path  # already covered: same file
    assert pil_font(50).getlength("中") == pytest.approx(50, abs=1)


# ------------------------------------------------------------ line breaking


def test_wrap_respects_kinsoku_and_keeps_numbers_whole():
    size = 12.0
    width = text_width("一" * 10, size)
    lines = wrap_text("一二三四五六七八九十，十一十二十三", width, size)
    assert all(not ln.startswith("，") for ln in lines)
    assert "".join(lines) == "一二三四五六七八九十，十一十二十三"
    lines = wrap_text("一二三四五六七八（¥120,000.00）元整", width, size)
    assert any("120,000.00" in ln for ln in lines)
    assert not any(ln.endswith("（") or ln.endswith("¥") for ln in lines)
    assert all(text_width(ln, size) <= width + 1e-6 for ln in lines)


def test_samples_lay_out_on_one_or_two_pages():
    for s in SAMPLES.values():
        pages = layout(s.blocks)
        assert 1 <= len(pages) <= 2, s.name
        text = _nows(plain_text(s.blocks))
        for key, val in s.facts.items():
            if key.endswith("_capital"):
                assert val in text, (s.name, key)
    assert "人民币壹拾贰万元整" in plain_text(LEASE.blocks)
    assert "自2023年3月1日起至2026年2月28日止" in plain_text(LEASE.blocks)


# ------------------------------------------------------------------ txt / docx


def test_text_output(tmp_path):
    p = render_text(LEASE.blocks, tmp_path / "a.txt")
    txt = p.read_text(encoding="utf-8")
    assert txt.splitlines()[0] == "门面房屋租赁合同"
    assert "第一年\t2023年3月1日至2024年2月29日\t40,000.00\t2023年2月25日前" in txt


def test_docx_tables_fonts_and_determinism(tmp_path):
    from docx import Document

    a = render_docx(LOAN.blocks, tmp_path / "a.docx", header="（合同编号：青政借〔2022〕2号）")
    b = render_docx(LOAN.blocks, tmp_path / "b.docx", header="（合同编号：青政借〔2022〕2号）")
    assert _sha(a) == _sha(b)
    doc = Document(str(a))
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.cell(0, 1).text == "资产名称"
    assert t.cell(1, 1).text == "原农机站办公楼一楼东侧房屋"
    assert t.cell(5, 4).text == "263,500.00"
    title = doc.paragraphs[0]
    assert title.text == "国有资产出借协议" and title.runs[0].bold
    assert title.alignment == 1  # CENTER
    assert 'w:eastAsia="宋体"' in doc.paragraphs[2]._p.xml
    assert "合同编号" in doc.sections[0].header.paragraphs[0].text


# -------------------------------------------------------------------- PDF


def test_digital_pdf_text_reads_back_with_pdfplumber(tmp_path):
    p = render_pdf(LEASE.blocks, tmp_path / "lease.pdf", seal=LEASE.seals)
    q = render_pdf(LEASE.blocks, tmp_path / "lease2.pdf", seal=LEASE.seals)
    assert _sha(p) == _sha(q)
    truth = page_text_lines(LEASE.blocks)
    with pdfplumber.open(str(p)) as pdf:
        assert len(pdf.pages) == len(truth) == 2
        got = [pg.extract_text() or "" for pg in pdf.pages]
        fonts = {c["fontname"] for c in pdf.pages[0].chars}
        assert any("Noto" in f for f in fonts), fonts
        assert len(pdf.pages[1].images) >= 1  # the seal
    for g, t in zip(got, truth):
        g, t = _nows(g), _nows("".join(t))
        sm = difflib.SequenceMatcher(None, t, g, autojunk=False)
        matched = sum(b.size for b in sm.get_matching_blocks())
        assert matched / len(t) >= 0.99, (t, g)
    allt = _nows("".join(got))
    for s in ("人民币壹拾贰万元整", "自2023年3月1日起至2026年2月28日止", "经镇党委会研究决定", "甲方（盖章）：青山镇人民政府"):
        assert s in allt


# ---------------------------------------------------------------- page images


def test_page_images_size_determinism_and_truth(lease_pages):
    rp = lease_pages
    assert [im.size for im in rp.images] == [(2480, 3508)] * 2
    again = render_pages(LEASE.blocks, dpi=300, seal=LEASE.seals, seed=0)
    for a, b in zip(rp.images, again.images):
        assert np.array_equal(np.asarray(a), np.asarray(b))
    assert rp.texts() == page_text_lines(LEASE.blocks)
    # ~12 pt body text is ~50 px tall at 300 dpi, and the box holds dark pixels
    body = next(ln for ln in rp.lines[0] if ln.text.startswith("根据"))
    x0, y0, x1, y1 = body.bbox(300)
    assert 48 <= y1 - y0 <= 52
    crop = np.asarray(rp.images[0].convert("L"))[y0:y1, x0:x1]
    assert (crop < 100).mean() > 0.05


def test_seal_is_red_and_covers_signature_text(lease_pages):
    rp = lease_pages
    (sp,) = rp.seals
    assert sp.page == len(rp.images) - 1
    sx0, sy0, sx1, sy1 = sp.bbox(300)
    assert 440 <= sx1 - sx0 <= 520  # 42 mm at 300 dpi ≈ 496 px
    arr = np.asarray(rp.images[sp.page]).astype(int)
    region = arr[sy0:sy1, sx0:sx1]
    red = (region[..., 0] > 150) & (region[..., 1] < 140) & (region[..., 2] < 140)
    assert red.mean() > 0.05
    # it overlaps the "甲方（盖章）" line, and that line still has black text under the seal
    target = next(ln for ln in rp.lines[sp.page] if "甲方（盖章）" in ln.text)
    tx0, ty0, tx1, ty1 = target.bbox(300)
    ox0, oy0, ox1, oy1 = max(sx0, tx0), max(sy0, ty0), min(sx1, tx1), min(sy1, ty1)
    assert ox1 > ox0 and oy1 > oy0
    over = arr[oy0:oy1, ox0:ox1]
    assert ((over[..., 0] > 150) & (over[..., 1] < 140)).any()
    assert (over.max(axis=2) < 90).any()


# --------------------------------------------------------- scans and photos


def test_scan_effects_deterministic_and_rotatable():
    img = render_pages(SHORT, dpi=100, seed=0).images[0]  # small page: fast
    a = scan_effects(img, 7, scribble_at=(400, 200))
    b = scan_effects(img, 7, scribble_at=(400, 200))
    c = scan_effects(img, 8)
    assert np.array_equal(np.asarray(a), np.asarray(b))
    assert not np.array_equal(np.asarray(a), np.asarray(c))
    assert a.size == img.size
    arr = np.asarray(a).astype(int)
    assert 215 < np.median(arr) < 250  # grey paper, not pure white
    r = scan_effects(img, 7, rotate90=True)
    assert r.size == (img.height, img.width)
    assert scan_effects(img, 7, rotate90=180).size == img.size


def test_photo_effects_deterministic():
    img = render_pages(SHORT, dpi=60, seed=0).images[0]
    a = photo_effects(img, 3, size=(450, 600))
    b = photo_effects(img, 3, size=(450, 600))
    assert a.size == (450, 600)
    assert np.array_equal(np.asarray(a), np.asarray(b))
    corner = np.asarray(a)[:8, :8].astype(int)
    centre = np.asarray(a)[250:350, 180:270].astype(int)
    assert corner.mean() < centre.mean()  # desk around a lighter page


def test_scanned_pdf_is_image_only_at_300_dpi(tmp_path):
    p = render_scanned_pdf(SHORT, tmp_path / "scan.pdf", seed=1, rotate_pages=[1], seal=SHORT_SEAL)
    with pdfplumber.open(str(p)) as pdf:
        assert len(pdf.pages) == 2
        for i, page in enumerate(pdf.pages):
            assert page.chars == [] and not (page.extract_text() or "").strip()
            assert len(page.images) == 1
            im = page.images[0]
            dpi_x = im["srcsize"][0] / (float(page.width) / 72.0)
            dpi_y = im["srcsize"][1] / (float(page.height) / 72.0)
            assert abs(dpi_x - 300) < 2 and abs(dpi_y - 300) < 2
        w0, h0 = float(pdf.pages[0].width), float(pdf.pages[0].height)
        assert abs(w0 - 595.3) < 1 and abs(h0 - 841.9) < 1
        assert float(pdf.pages[1].width) > float(pdf.pages[1].height)  # scanned sideways


def test_mixed_pdf_page_by_page(tmp_path):
    blocks = [b for b in SHORT if not b.page_break_before] + [SHORT[3]]  # break removed: 1 page
    blocks[-1] = Block(text=SHORT[3].text, indent=False)
    p = render_mixed_pdf(blocks, tmp_path / "mixed.pdf", seed=2, seal=SHORT_SEAL)
    with pdfplumber.open(str(p)) as pdf:
        assert len(pdf.pages) == 2
        t0 = _nows(pdf.pages[0].extract_text() or "")
        assert "经镇党委会研究决定" in t0
        assert pdf.pages[1].chars == [] and len(pdf.pages[1].images) == 1


def test_render_image_formats(tmp_path):
    png = render_image(SHORT, tmp_path / "p1.png", seed=4, dpi=100)
    im = Image.open(png)
    assert im.size == (827, 1169)
    tif = render_image(SHORT, tmp_path / "all.tif", seed=4, dpi=100)
    with Image.open(tif) as t:
        assert t.n_frames == 2
    with pytest.raises(ValueError):
        render_image(SHORT, tmp_path / "x.gif", seed=4, dpi=100)
    assert LAND.blocks and LOAN.blocks  # samples importable

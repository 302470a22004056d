"""A digital PDF page's text layer through pdfplumber, without the work the reader does not need.

* :func:`page_objects` — ``page.objects`` with the same dicts, built faster: pdfplumber turns
  every glyph into a dict attribute by attribute (resolving each value as if it could be an
  indirect reference) and that took as long as pdfminer's interpretation of the page; a glyph's
  plain values are copied here as they are (anything unusual still goes through pdfplumber).
* :func:`dedupe_chars` — pdfplumber's ``dedupe_chars`` with the same result in O(n log n).
* :func:`may_show_colour` — whether anything on the page can be drawn in a colour other than
  grey: if not, its rendering is grey everywhere and no red seal can be found on it, so the
  reader does not render it.
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter
from typing import Any

_SCALARS = frozenset({int, float, str, bool, type(None)})
#: the attributes of a glyph as pdfminer.six makes it, in order (pdfplumber adds mcid and tag):
#: ``page_objects`` copies those in pdfplumber's ALL_ATTRS by name, any other glyph by filtering
_GLYPH = ("_text", "matrix", "fontname", "ncs", "graphicstate", "adv", "upright", "x0", "y0", "x1", "y1",
          "width", "height", "bbox", "size", "mcid", "tag")


def page_objects(page) -> dict[str, list[dict]]:
    """``page.objects`` (pdfplumber), the same dicts; sets the page's cache like pdfplumber does."""
    if hasattr(page, "_objects"):
        return page._objects
    pdf = page.pdf
    if pdf.laparams is not None or pdf.unicode_norm is not None:
        return page.objects
    from pdfminer.layout import LTChar, LTContainer
    from pdfplumber.page import ALL_ATTRS
    from pdfplumber.utils import resolve_and_decode

    mb_x0, mb_top = page.mediabox[:2]
    height = page.height
    doctop = page.initial_doctop
    number = page.page_number
    spaces: dict[str, Any] = {}

    def char(obj) -> dict | None:
        # a glyph's values are plain numbers, names and its matrix: pdfplumber's resolve_all()
        # gives them back unchanged (anything else, e.g. a reference, takes pdfplumber's way)
        d = obj.__dict__
        if tuple(d) == _GLYPH:  # pdfminer's usual glyph: the attributes pdfplumber copies, by name
            attr = {"matrix": d["matrix"], "fontname": d["fontname"], "adv": d["adv"], "upright": d["upright"],
                    "x0": d["x0"], "y0": d["y0"], "x1": d["x1"], "y1": d["y1"], "width": d["width"],
                    "height": d["height"], "size": d["size"], "mcid": d["mcid"], "tag": d["tag"]}
        else:
            attr = {key: value for key, value in d.items() if key in ALL_ATTRS}
        for value in attr.values():
            kind = type(value)
            if kind not in _SCALARS and not (kind is tuple and all(type(v) in _SCALARS for v in value)):
                return None
        if "y0" not in attr or not isinstance(attr.get("fontname"), str):
            return None
        attr["object_type"] = "char"
        attr["page_number"] = number
        for cs in ("ncs", "scs"):
            if hasattr(obj, cs):
                name = getattr(obj, cs).name
                if not isinstance(name, str):
                    return None
                if name not in spaces:
                    spaces[name] = resolve_and_decode(name)
                attr[cs] = spaces[name]
        attr["text"] = obj.get_text()
        gs = obj.graphicstate
        attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
        attr["top"] = (height - attr["y1"]) + mb_top
        attr["bottom"] = (height - attr["y0"]) + mb_top
        attr["doctop"] = doctop + attr["top"]
        if mb_x0 != 0:
            attr["x0"] = attr["x0"] + mb_x0
            attr["x1"] = attr["x1"] + mb_x0
        return attr

    objects: dict[str, list[dict]] = {}

    def walk(items) -> None:
        for obj in items:
            if isinstance(obj, LTContainer):  # laparams is None: only its children
                walk(obj._objs)
                continue
            attr = (char(obj) if type(obj) is LTChar else None) or page.process_object(obj)
            kind = attr["object_type"]
            if kind == "anno":
                continue
            objects.setdefault(kind, []).append(attr)

    walk(page.layout._objs)
    page._objects = objects
    return objects


def _chain(items: list[dict], key: str, tolerance: float) -> list[list[dict]]:
    """pdfplumber's ``cluster_objects`` membership: sorted on ``key``, a new cluster wherever the
    next value is more than ``tolerance`` above the previous one; members keep their order."""
    ordered = sorted(items, key=itemgetter(key))
    clusters: list[list[dict]] = []
    last = None
    for obj in ordered:
        value = obj[key]
        if last is None or not value <= last + tolerance:
            clusters.append([])
        clusters[-1].append(obj)
        last = value
    return clusters


def dedupe_chars(chars: list[dict], tolerance: float = 1) -> list[dict]:
    """pdfplumber's ``dedupe_chars`` (same text, font and size within ``tolerance`` points: one
    glyph drawn twice for a bold look), with the same result in page order: pdfplumber puts the
    kept glyphs back with ``list.index``, quadratic in the glyphs of a page."""
    order = {id(ch): i for i, ch in enumerate(chars)}
    key = itemgetter("upright", "text", "fontname", "size")
    groups: dict[Any, list[dict]] = {}
    for ch in chars:
        groups.setdefault(key(ch), []).append(ch)
    if len(groups) == len(chars):
        return list(chars)
    pos_key = itemgetter("doctop", "x0")
    dropped: set[int] = set()
    for group in groups.values():
        if len(group) == 1:
            continue
        for y_cluster in _chain(group, "doctop", tolerance):
            if len(y_cluster) == 1:
                continue
            for x_cluster in _chain(y_cluster, "x0", tolerance):
                if len(x_cluster) == 1:
                    continue
                # min() keeps the first of equal positions: in page order, like pdfplumber
                x_cluster.sort(key=lambda ch: order[id(ch)])
                keep = min(x_cluster, key=pos_key)
                dropped.update(id(ch) for ch in x_cluster if ch is not keep)
    return [ch for ch in chars if id(ch) not in dropped] if dropped else list(chars)


# -- colour ---------------------------------------------------------------------------------------
#: colour spaces whose equal components are grey (device and calibrated ones; a tint of a
#: separation, an index or a pattern may be any colour)
_GREY_CAPABLE = {"DeviceGray", "DeviceRGB", "DeviceCMYK", "CalGray", "CalRGB", "ICCBased", "G", "RGB", "CMYK"}


def _name(value: Any) -> str | None:
    from pdfminer.psparser import PSLiteral

    value = _resolve(value)
    if isinstance(value, PSLiteral):
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return None


def _resolve(value: Any) -> Any:
    for _ in range(32):
        if not hasattr(value, "resolve"):
            return value
        value = value.resolve()
    return value


def _space_is_plain(space: Any) -> bool:
    space = _resolve(space)
    name = _name(space)
    if name is not None:
        return name in _GREY_CAPABLE
    if isinstance(space, list) and space:
        return _name(space[0]) in _GREY_CAPABLE
    return False


def _group_plain(group: Any) -> bool:
    """A transparency group blending in device grey or RGB (as most PDF makers declare) keeps
    grey grey; one blending in another colour space may not."""
    group = _resolve(group)
    if group is None:
        return True
    if not isinstance(group, dict):
        return False
    space = _resolve(group.get("CS"))
    return space is None or _name(space) in ("DeviceRGB", "DeviceGray")


def _resources_plain(resources: Any, seen: set[int], depth: int = 0) -> bool:
    """Whether nothing in these resources (and the forms they draw) can bring colour of its own:
    no separation / indexed / pattern colour space, no shading, no Type 3 font, no transfer
    function."""
    resources = _resolve(resources)
    if resources is None:
        return True
    if not isinstance(resources, dict) or depth > 8:
        return False
    if _resolve(resources.get("Shading")) or _resolve(resources.get("Pattern")):
        return False
    spaces = _resolve(resources.get("ColorSpace"))
    if spaces:
        if not isinstance(spaces, dict) or not all(_space_is_plain(s) for s in spaces.values()):
            return False
    states = _resolve(resources.get("ExtGState"))
    if states:
        if not isinstance(states, dict):
            return False
        for state in states.values():
            state = _resolve(state)
            if not isinstance(state, dict) or "TR" in state or "TR2" in state:
                return False
    fonts = _resolve(resources.get("Font"))
    if fonts:
        if not isinstance(fonts, dict):
            return False
        for font in fonts.values():
            font = _resolve(font)
            if not isinstance(font, dict) or _name(font.get("Subtype")) == "Type3":
                return False
    xobjects = _resolve(resources.get("XObject"))
    if xobjects:
        if not isinstance(xobjects, dict):
            return False
        for ref in xobjects.values():
            key = getattr(ref, "objid", None)
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            xobject = _resolve(ref)
            attrs = getattr(xobject, "attrs", None)
            if not isinstance(attrs, dict):
                return False
            subtype = _name(attrs.get("Subtype"))
            if subtype == "Image":
                return False
            if subtype != "Form":
                continue  # PostScript XObjects are not drawn
            if not _group_plain(attrs.get("Group")) or not _resources_plain(attrs.get("Resources"), seen, depth + 1):
                return False
    return True


_LEVEL = (int, float)  # exactly these classes (not bool): a number _grey takes as a grey level


def _grey(colour: Any) -> bool:
    if colour is None:
        return True
    if not isinstance(colour, tuple):
        colour = (colour,)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in colour):
        return colour == (None,)
    if len(colour) in (0, 1):
        return True
    if len(colour) == 3:
        return colour[0] == colour[1] == colour[2]
    if len(colour) == 4:
        return colour[0] == colour[1] == colour[2] == 0
    return False


def may_show_colour(page, objects: dict[str, list[dict]]) -> bool:
    """False only when everything the page draws is grey: its glyphs, lines, rectangles and
    curves are in grey (or equal-component) colours, it has no image, no annotation (drawn by
    their own appearance), no transparency group blending in other than device grey or RGB, and nothing in its resources that can bring a
    colour the page's objects do not show (separations, patterns, shadings, Type 3 glyphs,
    transfer functions). True when unsure."""
    try:
        if objects.get("image") or page.page_obj.annots:
            return True
        if not _group_plain(page.page_obj.attrs.get("Group")):
            return True
        if not _resources_plain(page.page_obj.resources, set()):
            return True
        for kind, items in objects.items():
            if kind not in ("char", "line", "rect", "curve"):
                return True
            for obj in items:
                for colour in (obj.get("non_stroking_color"), obj.get("stroking_color")):
                    # the usual colour, one grey level, is judged here (_grey's answer, without a call)
                    if not (colour.__class__ is tuple and len(colour) == 1 and colour[0].__class__ in _LEVEL) \
                            and not _grey(colour):
                        return True
        return False
    except Exception:  # noqa: BLE001 - unsure: render
        return True

"""A Korean font embedded in the report, so Hangul renders on machines without Korean fonts.

The font comes from the PyPI package ``koreanize-matplotlib`` (it ships NanumGothic, SIL Open Font
License 1.1), or from Debian's ``fonts-nanum`` when that is installed. Only the characters the report
uses are kept (fontTools subsetter, WOFF), and the subset is renamed: the OFL reserves the name
"NanumGothic" for unmodified copies. Without any Korean font the report is still written, falls back
to the reader's system fonts, and says so.
"""

from __future__ import annotations

import base64
import copy
import importlib.util
import io
import logging
import os
import struct
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FAMILY = "VC Report KR"
SYSTEM_DIRS = ["/usr/share/fonts/truetype/nanum", "/usr/share/fonts/nanum"]
# always kept: ASCII and the punctuation the report's own markup uses
BASE_CHARS = "".join(chr(c) for c in range(0x20, 0x7F)) + "·→←↔↑↓▲▼–—…‘’“”•×≈≤≥№°※\u00a0"


@dataclass
class EmbeddedFont:
    css: str  # @font-face rules (empty when no font was found)
    source: str  # where the font came from, for the method section
    n_chars: int = 0
    n_bytes: int = 0


def find_font(weight: str = "Regular") -> Path | None:
    """NanumGothic (weight Regular or Bold) from koreanize-matplotlib or from the system."""
    fname = "NanumGothic.ttf" if weight == "Regular" else f"NanumGothic{weight}.ttf"
    spec = importlib.util.find_spec("koreanize_matplotlib")  # locates the package without importing matplotlib
    for loc in (spec.submodule_search_locations or []) if spec else []:
        p = Path(loc) / "fonts" / fname
        if p.exists():
            return p
    for d in SYSTEM_DIRS:
        p = Path(d) / fname
        if p.exists():
            return p
    return None


def subset_woff(path: Path, chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)

    opts = subset.Options()
    opts.flavor = "woff"
    opts.hinting = False
    opts.desubroutinize = True
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    opts.drop_tables += ["DSIG", "TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]  # VTT sources
    # no timestamp: the same text gives the same bytes. Bounds are recalculated by _recalc_bounds below rather
    # than on save (recalcBBoxes=True would decompile and recompile every glyph: most of the subsetting time)
    font = TTFont(str(path), recalcTimestamp=False, recalcBBoxes=False)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted({ord(c) for c in chars}))
    sub.subset(font)
    _recalc_bounds(font)
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 4, 16):
            name.setName(FAMILY, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID in (3, 6):
            name.setName(FAMILY.replace(" ", "") + "-subset", rec.nameID, rec.platformID, rec.platEncID, rec.langID)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _recalc_bounds(font) -> None:
    """Set what saving with ``recalcBBoxes=True`` recalculates (maxp counts, the head bounding box and flags,
    hhea/vhea extents) with fontTools' own ``recalc`` methods, on stand-ins for the glyphs.

    The glyphs themselves stay as the subsetter left them (compact bytes, hinting removed), and are written
    as they are: for NanumGothic (every glyph of Regular and Bold checked) decompiling and recompiling a glyph
    gives back exactly these bytes, its stored bounds included, so the file is the one a full recalculation
    writes, in a fraction of the time. The stand-ins of simple glyphs carry only what ``recalc`` reads (counts
    and bounds from the glyph header); composites are decompiled copies. Should a fontTools version read more,
    the recalculation is redone on decompiled copies of every glyph.
    """
    if "glyf" not in font:
        return
    glyf = font["glyf"]
    kept = glyf.glyphs
    try:
        for light in (True, False):
            # recalc() expands the glyphs it reads: it gets copies
            glyf.glyphs = {
                name: _GlyphHeader(g.data) if light and _is_simple(g) else copy.copy(g) for name, g in kept.items()
            }
            try:
                for tag in ("maxp", "hhea", "vhea"):
                    if tag in font:
                        font[tag].recalc(font)
                return
            except (AttributeError, TypeError):
                if not light:
                    raise
    finally:
        glyf.glyphs = kept


def _is_simple(glyph) -> bool:
    data = getattr(glyph, "data", None)
    return bool(data) and len(data) >= 12 and struct.unpack(">h", data[:2])[0] > 0


class _GlyphHeader:
    """A simple (contour) glyph as maxp/hhea ``recalc`` read it, from its header: counts and bounds."""

    def __init__(self, data: bytes):
        self.numberOfContours, self.xMin, self.yMin, self.xMax, self.yMax = struct.unpack(">hhhhh", data[:10])
        end = 10 + 2 * self.numberOfContours  # endPtsOfContours: the last is the last point's index
        self.n_points = struct.unpack(">H", data[end - 2 : end])[0] + 1

    def expand(self, glyfTable) -> None:
        pass

    def isComposite(self) -> bool:
        return False

    def getMaxpValues(self) -> tuple[int, int]:
        return self.n_points, self.numberOfContours


def embed(text: str) -> EmbeddedFont:
    """@font-face CSS with the Regular and Bold subsets covering every character of ``text``."""
    return embed_chars(set(text))


CACHE_KEEP = 4  # subsets kept per weight in the cache folder (the latest ones)


def cached_subset(path: Path, chars: str, cache_dir: str | Path | None) -> bytes:
    """:func:`subset_woff`, kept in ``cache_dir`` under a key of this module's code, the fontTools version,
    the font file's bytes and the characters: a report whose characters did not change (most reruns)
    reuses the subset instead of running the subsetter (~1 s for the two weights)."""
    if cache_dir is None:
        return subset_woff(path, chars)
    import hashlib

    import fontTools

    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(str(getattr(fontTools, "version", "")).encode())
    h.update(hashlib.sha256(path.read_bytes()).digest())
    h.update(chars.encode("utf-8"))
    folder = Path(cache_dir)
    hit = folder / f"font-{path.stem}-{h.hexdigest()[:32]}.woff"
    try:
        data = hit.read_bytes()
        if data:
            return data
    except OSError:
        pass
    data = subset_woff(path, chars)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = hit.with_name(hit.name + f".tmp-{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, hit)
        old = sorted(folder.glob(f"font-{path.stem}-*.woff"), key=lambda p: p.stat().st_mtime, reverse=True)
        for p in old[CACHE_KEEP:]:
            p.unlink(missing_ok=True)
    except OSError as e:  # a cache that cannot be written only costs time
        log.info("font subset not cached in %s: %s", folder, e)
    return data


def embed_chars(used: set[str], cache_dir: str | Path | None = None) -> EmbeddedFont:
    """:func:`embed` given the set of characters the text uses (subsets kept in ``cache_dir``, if given)."""
    chars = "".join(sorted(set(used) | set(BASE_CHARS)))
    chars = "".join(c for c in chars if c.isprintable() or c == "\u00a0")
    rules, sources, total = [], [], 0
    for weight, css_weight in (("Regular", 400), ("Bold", 700)):
        path = find_font(weight)
        if path is None:
            continue
        try:
            data = cached_subset(path, chars, cache_dir)
        except Exception as e:  # a broken font must not stop the report
            log.warning("could not subset %s: %s", path, e)
            continue
        total += len(data)
        sources.append(f"{path.name} ({path.parent})")
        rules.append(
            f"@font-face{{font-family:'{FAMILY}';font-style:normal;font-weight:{css_weight:d};font-display:block;"
            f"src:url(data:font/woff;base64,{base64.b64encode(data).decode('ascii')}) format('woff')}}"
        )
    if not rules:
        log.warning(
            "no Korean font found (pip install koreanize-matplotlib, or apt-get install fonts-nanum): "
            "the report relies on the reader's fonts"
        )
        return EmbeddedFont("", "", 0, 0)
    return EmbeddedFont("\n".join(rules), "; ".join(sources), len(chars), total)

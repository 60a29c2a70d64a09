"""Charts drawn offline: a Vega-Lite specification to PNG or SVG by vl-convert, with CJK fonts.

Light on purpose (no Altair, no pandas): viewers' kernels draw a chart download with it.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

#: Where fonts with Chinese glyphs are looked for (Debian fonts-noto-cjk first).
CJK_FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"),
                 Path("/usr/share/fonts/opentype/source-han-sans"),
                 Path("/usr/share/fonts/truetype/wqy"))


@functools.lru_cache(maxsize=1)
def register_cjk_fonts() -> tuple[str, ...]:
    """Register the font directories of :data:`CJK_FONT_DIRS` that exist with vl-convert (once).

    Returns:
        The directories registered.
    """
    import vl_convert

    found = tuple(str(d) for d in CJK_FONT_DIRS if d.is_dir())
    for directory in found:
        vl_convert.register_font_directory(directory)
    return found


def json_safe(value):
    """``value`` with every NaN or infinite float replaced by None (JSON has no NaN).

    Examples:
        >>> json_safe({"a": [1.0, float("nan")], "b": {"c": float("inf")}})
        {'a': [1.0, None], 'b': {'c': None}}
    """
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def render(chart, fmt: str = "png", scale: float = 2.0) -> bytes:
    """A chart (or its Vega-Lite dict) as a PNG or SVG file, drawn offline by vl-convert.

    The fonts with Chinese glyphs (:func:`register_cjk_fonts`) are registered first, so no
    character becomes a missing-glyph box.

    Args:
        chart: an Altair chart or a Vega-Lite specification.
        fmt: "png" or "svg".
        scale: PNG pixels per chart pixel (2 doubles the screen resolution).

    Examples:
        >>> spec = {"data": {"values": [{"x": 1}]}, "mark": "point",
        ...         "encoding": {"x": {"field": "x", "type": "quantitative"}}}
        >>> render(spec, "svg")[:4], render(spec, "png")[1:4]
        (b'<svg', b'PNG')
    """
    import vl_convert as vlc

    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be 'png' or 'svg', not {fmt!r}")
    spec = json_safe(chart if isinstance(chart, dict) else chart.to_dict(validate=False))
    register_cjk_fonts()
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=scale)
    return vlc.vegalite_to_svg(spec).encode("utf-8")

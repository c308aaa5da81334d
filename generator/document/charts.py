"""Charts drawn as pictures with matplotlib from chart views: same data, same bytes.

Each chart is a bare `Figure` on its own Agg canvas (no pyplot: nothing global to create, track or close). The
layout measures text with that canvas's renderer, so the figure is laid out once and drawn once; the PNG encoding,
which was a third of the time, is done by Pillow with settings suited to flat chart colours.
"""

from __future__ import annotations

import io
import math
import zlib
from functools import cache

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from generator.document.chart_font import LAST_YEAR, PALETTE, THIS_YEAR, chart_font
from generator.document.context import ChartView

DPI = 220
WIDTH_IN = 15.0 / 2.54
PNG_OPTIONS = {"compress_level": 1, "compress_type": zlib.Z_RLE}  # Pillow passes compress_type to zlib as its strategy
MIN_SHARE_ON_WEDGE = 8.0  # smaller slices carry no label on the wedge; the legend names them


@cache
def _style() -> dict:
    font = chart_font()
    font_manager.fontManager.addfont(str(font))
    family = font_manager.FontProperties(fname=str(font)).get_name()
    return {
        "font.family": family, "font.size": 9, "axes.unicode_minus": False,
        "svg.hashsalt": "juesuan", "axes.spines.top": False, "axes.spines.right": False,
    }


def _figure() -> Figure:
    fig = Figure(figsize=(WIDTH_IN, WIDTH_IN * 0.45), dpi=DPI)
    FigureCanvasAgg(fig)  # attaches itself: layout and drawing share its renderer
    return fig


def _png(fig: Figure) -> bytes:
    """Draw once and encode: RGB (the background is opaque white, an alpha channel only adds bytes) with zlib's
    run-length strategy, which suits flat chart colours: about three times faster than the default encoding."""
    fig.canvas.draw()
    image = Image.frombuffer("RGBA", fig.canvas.get_width_height(physical=True), fig.canvas.buffer_rgba())
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="png", dpi=(DPI, DPI), **PNG_OPTIONS)
    return buf.getvalue()


def _bars(view: ChartView) -> bytes:
    fig = _figure()
    ax = fig.add_subplot()
    width = 0.34
    xs = range(len(view.categories))
    top = max(max(s) for s in view.values) or 1.0
    for i, (series, values, labels, color) in enumerate(zip(view.series, view.values, view.labels, (LAST_YEAR, THIS_YEAR), strict=True)):
        pos = [x + (i - 0.5) * width for x in xs]
        bars = ax.bar(pos, values, width, label=series, color=color)
        ax.bar_label(bars, labels=labels, padding=2, fontsize=8)
    ax.set_xticks(list(xs), view.categories)
    ax.set_xlim(-0.5 - 0.5 * (len(view.categories) == 1), len(view.categories) - 0.5 + 0.5 * (len(view.categories) == 1))
    ax.set_ylabel("万元")
    ax.set_ylim(0, top * 1.15)
    fig.legend(frameon=False, loc="upper center", ncols=2)  # above the plot, clear of the value labels
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    return _png(fig)


def _pie(view: ChartView) -> bytes:
    fig = _figure()
    ax = fig.add_subplot()
    values, names, labels, shares = view.values[0], view.categories, view.labels[0], view.shares
    wedges, _ = ax.pie(values, colors=PALETTE[: len(values)], startangle=90, counterclock=False,
                       wedgeprops={"linewidth": 1, "edgecolor": "white"})
    for wedge, share in zip(wedges, shares, strict=True):
        if float(share) >= MIN_SHARE_ON_WEDGE:
            angle = (wedge.theta1 + wedge.theta2) / 2
            x, y = wedge.r * 0.62 * math.cos(math.radians(angle)), wedge.r * 0.62 * math.sin(math.radians(angle))
            ax.text(x, y, f"{share}%", ha="center", va="center", color="white", fontsize=8)
    legend = [f"{n}  {v}万元（{s}%）" for n, v, s in zip(names, labels, shares, strict=True)]
    ax.legend(wedges, legend, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8)
    ax.set_aspect("equal")
    fig.subplots_adjust(left=0.02, right=0.45, top=0.96, bottom=0.04)
    return _png(fig)


def draw(view: ChartView) -> bytes | None:
    """PNG bytes of one chart, or None when every value is zero (the template then prints a sentence)."""
    if not view.drawn:
        return None
    with rc_context(_style()):
        return _bars(view) if view.kind == "bars" else _pie(view)


def draw_all(views: dict[str, ChartView]) -> dict[str, bytes]:
    images = {}
    for name, view in views.items():
        png = draw(view)
        if png is not None:
            images[name] = png
    return images

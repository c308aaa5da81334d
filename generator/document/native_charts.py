"""Native Word charts: a DrawingML chart part with its data in an embedded workbook, from the same chart views.

A reader who clicks such a chart in Word or WPS can restyle it or open its data. The chart XML and the workbook are
written by python-pptx (its chart XML writer and chart-data workbook writer, the parts PowerPoint and Word share);
this module only styles them and relates them to the Word document part, as Word does for a chart pasted from
Excel: document → chart part (word/charts/chartN.xml) → embedded workbook (word/embeddings/Microsoft_Excel_SheetN.xlsx).

Every number a chart shows is the figure the text prints: values are the printed 万元 amounts, and the pie labels
are the printed amounts and shares (largest-remainder rounding, as in the text), not shares Word would recompute.
Nothing depends on the time or on chance: the same view gives the same bytes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.shared import Cm
from lxml import etree
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.oxml import parse_xml as parse_chart_xml
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Pt, lazyproperty

from generator.document.chart_font import (
    LAST_YEAR,
    NATIVE_FONT_EAST_ASIAN,
    NATIVE_FONT_LATIN,
    NATIVE_PALETTE,
    THIS_YEAR,
)
from generator.document.context import ChartView
from generator.wording.numbers import DASH as NOT_GIVEN  # how the text prints an amount that was not given

BAR_ASPECT, PIE_ASPECT = 0.45, 0.5  # height / width of the chart frame
MIN_SHARE_ON_WEDGE = Decimal(12)  # % from which a slice's two-line label fits on the wedge
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
PIE_SERIES = "金额（万元）"  # the column heading of a pie's values in its workbook
WORKBOOK_TIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)  # the workbook's 创建时间: fixed, not "now"
WORKBOOK_REL_ID = "rId1"  # the chart part's first (and only) relationship: its workbook
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


@dataclass(frozen=True)
class NativeChart:
    """One chart ready to be placed: its chart XML (the workbook relationship is WORKBOOK_REL_ID) and workbook."""

    name: str
    title: str
    xml: bytes
    workbook: bytes
    aspect: float


# ---------------------------------------------------------------- the chart data and its workbook

class _StableWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's workbook writer with a fixed creation time (XlsxWriter would stamp the current time)."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        with super()._open_worksheet(xlsx_file) as (workbook, worksheet):
            workbook.set_properties({"created": WORKBOOK_TIME})
            yield workbook, worksheet


class _ChartData(CategoryChartData):
    @lazyproperty
    def _workbook_writer(self):
        return _StableWorkbookWriter(self)


def printed_value(label: str) -> Decimal | None:
    """The amount a label prints, as the chart's value; None (a gap, not a zero) when the amount was not given."""
    if label == NOT_GIVEN:
        return None
    try:
        return Decimal(label.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"图表标签“{label}”不是金额") from None


def number_format(labels: Iterable[str]) -> str:
    """The Excel number format that shows each value exactly as the text prints it (same decimal places)."""
    places = {len(label.partition(".")[2]) for label in labels if label != NOT_GIVEN}
    if len(places) != 1:
        return "General"  # the template drops trailing zeros: General prints 123.5 and 0 as the text does
    count = places.pop()
    return "0." + "0" * count if count else "0"


def chart_data(view: ChartView) -> CategoryChartData:
    """The categories and series of a view, valued at the printed 万元 amounts."""
    labels = [label for series in view.labels for label in series]
    data = _ChartData(number_format=number_format(labels))
    data.categories = view.categories
    names = view.series if view.kind == "bars" else (PIE_SERIES,)
    for name, series in zip(names, view.labels, strict=True):
        data.add_series(name, [printed_value(label) for label in series])
    return data


# ---------------------------------------------------------------- the chart XML, styled

def _cjk(font) -> None:
    """Name the Latin and the East Asian font: without an East Asian one, Chinese text falls back to whatever the
    application picks (LibreOffice then may draw boxes)."""
    font.name = NATIVE_FONT_LATIN
    rpr = font._rPr  # python-pptx names only the Latin font; a:ea and a:cs follow a:latin in the schema
    latin = rpr.find(qn("a:latin"))
    for tag, face in (("a:cs", NATIVE_FONT_LATIN), ("a:ea", NATIVE_FONT_EAST_ASIAN)):
        element = rpr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
        element.set("typeface", face)
        latin.addnext(element)


def _fill(fmt, color: str) -> None:
    fmt.fill.solid()
    fmt.fill.fore_color.rgb = RGBColor.from_string(color.lstrip("#"))


def _style_bars(chart: Chart, view: ChartView) -> None:
    plot = chart.plots[0]
    plot.gap_width = 300 if len(view.categories) == 1 else 90  # bars as wide as in the pictures
    plot.overlap = 0
    for series, color in zip(plot.series, (LAST_YEAR, THIS_YEAR), strict=True):
        _fill(series.format, color)
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.show_value, labels.position = True, XL_LABEL_POSITION.OUTSIDE_END
    labels.number_format_is_linked = True  # the values' own format: the printed decimals
    labels.font.size = Pt(8)
    _cjk(labels.font)
    axis = chart.value_axis
    axis.has_major_gridlines = False
    axis.minimum_scale = 0
    axis.has_title = True
    axis.axis_title.text_frame.text = "万元"
    title_font = axis.axis_title.text_frame.paragraphs[0].runs[0].font
    title_font.bold = False
    _cjk(title_font)
    chart.has_legend = True
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.TOP, False


def _style_pie(chart: Chart, view: ChartView) -> None:
    """Each slice labelled with the text's amount and share: on the wedge where it fits, elsewhere where the
    application finds room (outside, with a leader line)."""
    plot = chart.plots[0]
    plot.vary_by_categories = True
    series = plot.series[0]
    for i, (amount, share) in enumerate(zip(view.labels[0], view.shares, strict=True)):
        point = series.points[i]
        _fill(point.format, NATIVE_PALETTE[i % len(NATIVE_PALETTE)])
        if len(view.categories) > 1:  # white gaps between slices; a whole pie would show one from its centre
            point.format.line.color.rgb = WHITE
        label = point.data_label
        label.has_text_frame = True
        label.text_frame.text = f"{amount}万元\v{share}%"  # the text's own figures, not shares Word would round
        on_wedge = Decimal(share) >= MIN_SHARE_ON_WEDGE
        label.position = XL_LABEL_POSITION.CENTER if on_wedge else XL_LABEL_POSITION.BEST_FIT
        for run in (r for p in label.text_frame.paragraphs for r in p.runs):
            run.font.size = Pt(8)
            _cjk(run.font)
    chart.has_legend = True
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.RIGHT, False


def chart_xml(view: ChartView, data: CategoryChartData) -> bytes:
    """The chart part's XML: python-pptx's chart of the view's data, styled like the pictures."""
    kind = XL_CHART_TYPE.COLUMN_CLUSTERED if view.kind == "bars" else XL_CHART_TYPE.PIE
    space = parse_chart_xml(data.xml_bytes(kind))
    chart = Chart(space, None)
    chart.has_title = False  # the caption under the chart is the title, as for the pictures
    chart.font.size = Pt(9)
    _cjk(chart.font)
    (_style_bars if view.kind == "bars" else _style_pie)(chart, view)
    chart.legend.font.size = Pt(9)
    _cjk(chart.legend.font)
    space.get_or_add_externalData().rId = WORKBOOK_REL_ID
    _add_language_and_corners(space)
    _no_border(space)
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_language_and_corners(space) -> None:
    """c:lang zh-CN and square corners, as Word writes them (LibreOffice draws rounded corners when not told)."""
    date1904 = space.find(qn("c:date1904"))  # the schema's order: date1904?, lang?, roundedCorners?, …
    lang, corners = OxmlElement("c:lang"), OxmlElement("c:roundedCorners")
    lang.set("val", "zh-CN")
    corners.set("val", "0")
    if date1904 is None:
        space.insert(0, lang)
    else:
        date1904.addnext(lang)
    lang.addnext(corners)


def _no_border(space) -> None:
    """No frame around the chart, as around the pictures (python-pptx has no setting for the chart area's line)."""
    sppr = OxmlElement("c:spPr")
    sppr.append(OxmlElement("a:noFill"))
    sppr.append(OxmlElement("a:ln"))
    sppr[-1].append(OxmlElement("a:noFill"))
    space.find(qn("c:txPr")).addprevious(sppr)  # the schema puts spPr just before txPr


def build(view: ChartView) -> NativeChart | None:
    """One chart, or None when every value is zero (the template then prints a sentence instead)."""
    if not view.drawn:
        return None
    data = chart_data(view)
    return NativeChart(view.name, view.title, chart_xml(view, data), data.xlsx_blob,
                       BAR_ASPECT if view.kind == "bars" else PIE_ASPECT)


def build_all(views: dict[str, ChartView]) -> dict[str, NativeChart]:
    charts = {}
    for name, view in views.items():
        chart = build(view)
        if chart is not None:
            charts[name] = chart
    return charts


# ---------------------------------------------------------------- placing a chart in the Word document

def embed(part, chart: NativeChart) -> str:
    """Add the chart part and its workbook to `part`'s package, related from `part`; returns the chart's rId."""
    package = part.package
    chart_part = Part(package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART, chart.xml, package)
    rid = part.relate_to(chart_part, RT.CHART)
    workbook = Part(package.next_partname("/word/embeddings/Microsoft_Excel_Sheet%d.xlsx"), CT.SML_SHEET,
                    chart.workbook, package)
    if chart_part.relate_to(workbook, RT.PACKAGE) != WORKBOOK_REL_ID:
        raise AssertionError("a new chart part's first relationship is not rId1")
    return rid


def inline_xml(rid: str, chart: NativeChart, width_cm: float) -> str:
    """A <wp:inline> graphic frame showing the chart related as `rid` (docxtpl renumbers docPr ids afterwards)."""
    cx = int(Cm(width_cm))
    cy = int(Cm(width_cm * chart.aspect))
    inline = parse_xml(
        f'<wp:inline distT="0" distB="0" distL="0" distR="0" {nsdecls("wp", "a", "c", "r")}>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="1" name="Chart"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{CHART_URI}"><c:chart r:id=""/></a:graphicData></a:graphic>'
        f"</wp:inline>")
    inline.find(qn("wp:docPr")).set("descr", chart.title)  # set, not formatted in: lxml escapes it
    inline.find(f".//{qn('c:chart')}").set(qn("r:id"), rid)
    return etree.tostring(inline, encoding="unicode")

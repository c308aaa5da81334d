"""Native Word charts: chart parts and their workbooks read back from the generated .docx hold the report's figures,
the same input gives the same bytes, and the template setting and the --charts option choose the kind."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from generator.cli import main
from generator.document.pipeline import generate_document
from generator.document.render import document_text
from generator.document.templates import TEMPLATE_DIR
from generator.errors import TemplateError
from generator.figures.report import build_report
from generator.vocabulary import CHART_TITLES
from generator.wording.numbers import amount
from generator.workbook.reader import read_workbook
from tests.conftest import LIZHOU, WULONG

# What each chart shows, named as in the report: bars compare last year with this year, pies split this year.
BARS = {
    "totals": (("收入总计", "income_grand_total"), ("支出总计", "expense_grand_total")),
    "fiscal_totals": (("财政拨款收入总计", "fiscal_income_total"), ("财政拨款支出总计", "fiscal_expense_total")),
    "gp_change": (("一般公共预算财政拨款支出", "gp_total"),),
}
PIES = {"income_structure": "income_sources", "expense_structure": "expense_parts", "gp_structure": "gp_by_class",
        "three_public_structure": "three_public_parts"}
BY_TITLE = {title: name for name, title in CHART_TITLES.items()}


def _generate(book: Path, out: Path, chart_format: str | None = None, template: str | None = None) -> Path:
    return generate_document(book, template, out, chart_format=chart_format).path


@pytest.fixture(scope="module")
def native(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("native")
    return {book.stem: _generate(book, out / book.stem, "native") for book in (LIZHOU, WULONG)}


class ReadChart:
    """One chart as a reader of the .docx finds it: the graphic frame, its chart part and the embedded workbook."""

    def __init__(self, document_part, inline):
        self.title = inline.find(qn("wp:docPr")).get("descr")
        rid = inline.find(f".//{qn('c:chart')}").get(qn("r:id"))
        self.part = document_part.related_parts[rid]
        self.xml = self.part.blob
        workbooks = [rel.target_part for rel in self.part.rels.values() if rel.reltype == RT.PACKAGE]
        assert len(workbooks) == 1, "each chart has its own embedded workbook"
        self.workbook_part = workbooks[0]
        self.root = etree.fromstring(self.xml)

    def texts(self, path: str) -> list[str]:
        return [v.text for v in self.root.iterfind(path, {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"})]

    @property
    def series(self) -> list[str]:
        return self.texts(".//c:ser/c:tx//c:v")

    @property
    def categories(self) -> list[str]:
        return self.texts(".//c:ser[1]/c:cat//c:pt/c:v")

    def values(self) -> list[list[Decimal]]:
        return [[Decimal(v.text) for v in ser.iterfind(f".//{qn('c:val')}//{qn('c:pt')}/{qn('c:v')}")]
                for ser in self.root.iter(qn("c:ser"))]

    def labels(self) -> list[str]:
        """Custom data label texts, a line break read as a newline."""
        out = []
        for label in self.root.iter(qn("c:dLbl")):
            paragraph = label.find(f".//{qn('a:p')}")
            out.append("".join("\n" if el.tag == qn("a:br") else el.findtext(qn("a:t"))
                               for el in paragraph if el.tag in (qn("a:r"), qn("a:br"))))
        return out

    def sheet_rows(self) -> list[list]:
        sheet = openpyxl.load_workbook(io.BytesIO(self.workbook_part.blob)).active
        return [[cell.value for cell in row] for row in sheet.iter_rows()]


def read_charts(path: Path) -> dict[str, ReadChart]:
    doc = Document(str(path))
    inlines = [i for i in doc.element.body.iter(qn("wp:inline")) if i.find(f".//{qn('c:chart')}") is not None]
    charts = [ReadChart(doc.part, inline) for inline in inlines]
    return {BY_TITLE[c.title]: c for c in charts}


def _wan(yuan: Decimal | None) -> Decimal:
    return Decimal(amount(yuan))


@pytest.mark.parametrize("book", [LIZHOU, WULONG], ids=lambda b: b.stem)
def test_bar_charts_hold_both_years_of_the_report_figures(native, book):
    report = build_report(read_workbook(book))
    charts = read_charts(native[book.stem])
    for name, pairs in BARS.items():
        chart = charts[name]
        assert chart.series == [f"{report.year - 1}年", f"{report.year}年"]
        assert chart.categories == [label for label, _ in pairs]
        figures = [getattr(report, attr) for _, attr in pairs]
        expected = [[_wan(f.previous) for f in figures], [_wan(f.current) for f in figures]]
        assert chart.values() == expected
        rows = chart.sheet_rows()
        assert rows[0][1:] == chart.series
        assert [row[0] for row in rows[1:]] == chart.categories
        assert [[Decimal(str(row[i])) for row in rows[1:]] for i in (1, 2)] == expected


@pytest.mark.parametrize("book", [LIZHOU, WULONG], ids=lambda b: b.stem)
def test_pies_hold_this_years_parts_with_the_texts_amounts_and_shares(native, book):
    report = build_report(read_workbook(book))
    text = document_text(Document(str(native[book.stem])))
    charts = read_charts(native[book.stem])
    for name, attr in PIES.items():
        shown = [p for p in getattr(report, attr) if p.amount != 0]
        if not shown:
            assert name not in charts, "an all-zero pie is replaced by a sentence"
            continue
        chart = charts[name]
        assert chart.categories == [p.name for p in shown]
        assert chart.values() == [[_wan(p.amount) for p in shown]]
        rows = chart.sheet_rows()
        assert [(row[0], Decimal(str(row[1]))) for row in rows[1:]] == [(p.name, _wan(p.amount)) for p in shown]
        for part, label in zip(shown, chart.labels(), strict=True):
            money, share = label.split("\n")
            assert money == f"{amount(part.amount)}万元"
            assert f"{part.name}{money}，占{share}" in text, "the pie's share is the one the text prints"


def test_every_chart_kind_is_a_native_chart_with_a_workbook_and_no_picture(native):
    with zipfile.ZipFile(native[LIZHOU.stem]) as z:
        names = z.namelist()
        body = z.read("word/document.xml").decode()
        for i in range(1, 8):
            assert f"word/charts/chart{i}.xml" in names
            assert f"word/embeddings/Microsoft_Excel_Sheet{i}.xlsx" in names
            chart = z.read(f"word/charts/chart{i}.xml").decode()
            assert 'typeface="宋体"' in chart, "Chinese text names a CJK font"
            assert '<c:externalData r:id="rId1">' in chart
    assert not [n for n in names if n.startswith("word/media/image")]
    assert body.count("<c:chart ") == 7 and "<pic:pic" not in body
    assert set(read_charts(native[LIZHOU.stem])) == set(CHART_TITLES)


def test_captions_follow_the_charts_as_with_pictures(native):
    paragraphs = Document(str(native[LIZHOU.stem])).paragraphs
    after = [paragraphs[i + 1].text for i, p in enumerate(paragraphs) if p._p.xpath(".//c:chart")]
    assert after == [f"图{i}：{CHART_TITLES[name]}" for i, name in enumerate(CHART_TITLES, 1)]


@pytest.mark.slow
@pytest.mark.parametrize("chart_format", ["native", "picture"])
def test_same_input_gives_byte_identical_documents(tmp_path, chart_format):
    first = _generate(LIZHOU, tmp_path / "a", chart_format)
    time.sleep(1.1)  # a timestamp anywhere (the embedded workbooks' 创建时间 has seconds) would now differ
    second = _generate(LIZHOU, tmp_path / "b", chart_format)
    assert first.read_bytes() == second.read_bytes()


def _template_copy(tmp_path: Path, chart_format: str | None) -> Path:
    """The shipped 四川 template copied, with `chart_format` set in its .toml (or left out)."""
    docx = tmp_path / "我的模板.docx"
    shutil.copyfile(TEMPLATE_DIR / "sichuan_juesuan.docx", docx)
    settings = (TEMPLATE_DIR / "sichuan_juesuan.toml").read_text(encoding="utf-8")
    settings = re.sub(r"(?m)^chart_format = .*\n", "", settings)
    if chart_format is not None:
        settings = f'chart_format = "{chart_format}"\n' + settings
    docx.with_suffix(".toml").write_text(settings, encoding="utf-8")
    return docx


def _kinds(path: Path) -> tuple[int, int]:
    """(native charts, pictures) in a document."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
    return (sum(n.startswith("word/charts/chart") and n.endswith(".xml") for n in names),
            sum(n.startswith("word/media/") for n in names))


@pytest.mark.parametrize(("setting", "kinds"), [("native", (7, 0)), ("picture", (0, 7))])
def test_the_template_setting_chooses_the_kind(tmp_path, setting, kinds):
    template = _template_copy(tmp_path, setting)
    assert _kinds(_generate(LIZHOU, tmp_path / "out", template=str(template))) == kinds


def test_an_unknown_setting_is_refused_naming_the_file(tmp_path):
    template = _template_copy(tmp_path, "svg")
    with pytest.raises(TemplateError, match="我的模板.toml.*chart_format.*native.*picture"):
        _generate(LIZHOU, tmp_path / "out", template=str(template))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("setting", "option", "kinds"), [("native", "picture", (0, 7)), ("picture", "native", (7, 0)),
                                                           (None, "native", (7, 0))])
def test_the_command_line_option_overrides_the_template(tmp_path, capsys, setting, option, kinds):
    template = _template_copy(tmp_path, setting)
    out = tmp_path / "out"
    code = main(["generate", str(LIZHOU), "--template", str(template), "--output", str(out), "--charts", option])
    assert code == 0, capsys.readouterr().err
    [made] = out.glob("*.docx")
    assert _kinds(made) == kinds


def test_batch_accepts_the_option():
    from generator.cli import parser

    args = parser().parse_args(["batch", "单位", "--output", "输出", "--charts", "native"])
    assert args.charts == "native"
    with pytest.raises(SystemExit):
        parser().parse_args(["generate", "x.xlsx", "--charts", "svg"])


@pytest.mark.slow
@pytest.mark.skipif((shutil.which("soffice") is None or shutil.which("pdftotext") is None) and not os.environ.get("CI"),
                    reason="LibreOffice and pdftotext not installed")
def test_libreoffice_draws_the_native_charts_with_their_labels(native, tmp_path):
    doc = native[LIZHOU.stem]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(doc)], check=True, capture_output=True, timeout=300)
    pdf = tmp_path / (doc.stem + ".pdf")
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    charts = read_charts(doc)
    for name in PIES:
        for label in charts[name].labels():  # label text, not the body's "…万元，占…%"
            assert label.replace("\n", "") in text
    for name in BARS:
        assert "".join(charts[name].series) in text  # the legend


def _bars_view(last: tuple[str, ...], this: tuple[str, ...]):
    from generator.document.context import ChartView

    values = tuple(tuple(0.0 if x == "—" else float(x) for x in labels) for labels in (last, this))
    return ChartView("totals", "bars", CHART_TITLES["totals"], ("收入总计", "支出总计")[: len(this)],
                     ("2019年", "2020年"), values, (last, this))


def _points(xml: bytes) -> list[dict[int, str]]:
    root = etree.fromstring(xml)
    return [{int(pt.get("idx")): pt.findtext(qn("c:v")) for pt in ser.iter(qn("c:pt"))
             if pt.getparent().tag == qn("c:numCache")}
            for ser in root.iter(qn("c:ser"))]


def test_a_figure_not_given_is_a_gap_not_a_zero():
    """A draft with last year's total not given: the chart leaves that bar out, as the text prints “—”."""
    from generator.document.native_charts import build

    chart = build(_bars_view(("—", "453.37"), ("974.76", "974.76")))
    assert _points(chart.xml) == [{1: "453.37"}, {0: "974.76", 1: "974.76"}]
    rows = openpyxl.load_workbook(io.BytesIO(chart.workbook)).active.iter_rows(min_row=2, values_only=True)
    assert [row[1] for row in rows] == [None, 453.37]


@pytest.mark.parametrize(("labels", "code"), [(("1.00", "2.50"), "0.00"), (("123.5", "0"), "General"), (("12", "3"), "0"),
                                              (("1.0", "—"), "0.0")])
def test_values_show_as_many_decimals_as_the_text(labels, code):
    """The labels' number format prints each value as the text does (a template may drop trailing zeros)."""
    from generator.document.native_charts import build

    chart = build(_bars_view(labels, labels))
    formats = {f.text for f in etree.fromstring(chart.xml).iter(qn("c:formatCode"))}
    assert formats == {code}

"""Rendering: a template and a context become a .docx, checked for leftovers, moved into place atomically."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage

from generator.document.templates import TemplateSpec
from generator.errors import TemplateError
from generator.output_files import atomic_write
from generator.vocabulary import CHART_TITLES
from generator.wording.filters import FILTERS

DEFAULT_CHART_WIDTH_CM = 15.0


class CompilingOnceEnvironment(jinja2.Environment):
    """A Jinja environment that compiles each template source once per process.

    docxtpl hands every part of the document to `from_string`; the source is the same for every unit rendered
    with the same template, so batch work compiles it once instead of once per document.
    """

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True)
        self.filters.update(FILTERS)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's own signature
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


_ENVIRONMENT = CompilingOnceEnvironment()

# {% vmerge EXPR %} in a table cell: when EXPR is true the cell continues the merged cell above it (and its text is
# left out); otherwise it starts a new merged cell. docxtpl's own {% vm %} can only merge a whole loop.
_VMERGE_CELL = re.compile(r"<w:tc[ >](?:(?!<w:tc[ >]).)*?\{%\s*vmerge\s+(.*?)%\}.*?</w:tc>", re.DOTALL)
_VMERGE_TAG = re.compile(r"\{%\s*vmerge\s+.*?%\}", re.DOTALL)
_TCPR_HEAD = re.compile(r"<w:tcPr>(?:<w:tcW [^>]*/>)?(?:<w:gridSpan [^>]*/>)?")


def _vmerge_cell(m: re.Match) -> str:
    xml, cond = m.group(0), m.group(1).strip()
    xml = _VMERGE_TAG.sub("{% if not (" + cond + ") %}", xml, count=1)
    end = xml.rfind("</w:t>")
    xml = xml[:end] + "{% endif %}" + xml[end:]
    merge = '<w:vMerge w:val="{% if ' + cond + ' %}continue{% else %}restart{% endif %}"/>'
    head = _TCPR_HEAD.search(xml)
    if head:  # the schema wants vMerge after tcW and gridSpan
        return xml[:head.end()] + merge + xml[head.end():]
    start = xml.index(">") + 1
    return xml[:start] + "<w:tcPr>" + merge + "</w:tcPr>" + xml[start:]


class Template(DocxTemplate):
    """docxtpl with the {% vmerge %} cell tag."""

    def patch_xml(self, src_xml: str) -> str:
        return _VMERGE_CELL.sub(_vmerge_cell, super().patch_xml(src_xml))

# What must never reach a reader: template tags, unresolved alternatives, missing values, empty reasons.
LEFTOVERS = re.compile(r"\{\{|\{%|%\}|\}\}|增加/减少|增长/下降|大于/小于|\bnan\b|\bNaN\b|\bNone\b|主要原因是[。；，]")


_P = qn("w:p")
_PIECES = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}


def paragraph_text(p) -> str:
    """A paragraph's text as Word shows it (tabs and line breaks included), read straight from the XML."""
    return "".join((el.text or "") if el.tag == qn("w:t") else _PIECES[el.tag] for el in p.iter(*_PIECES))


def _paragraph_texts(element) -> list[str]:
    """Each paragraph's text, table cells included."""
    return [paragraph_text(p) for p in element.iter(_P)]


def document_text(doc: DocxDocument) -> str:
    """All visible text of a document, one paragraph a line: body, table cells, existing headers and footers."""
    parts = _paragraph_texts(doc.element.body)
    for section in doc.sections:  # reading a header that does not exist would create one: look first
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                parts.extend(_paragraph_texts(part._element))
    return "\n".join(parts)


def _check(doc: DocxDocument, spec: TemplateSpec) -> None:
    text = document_text(doc)
    found = LEFTOVERS.search(text)
    if found:
        around = text[max(0, found.start() - 30): found.end() + 30].replace("\n", " ")
        raise TemplateError(f"模板 {spec.path.name} 生成的文档含有未替换的内容：…{around}…；文档未写出")


def chart_placer(tpl: DocxTemplate, images: Mapping[str, bytes]) -> Callable[..., object]:
    """The template function `chart(name, width_cm=15)`: the named chart as an inline picture."""

    def chart(name: str, width_cm: float = DEFAULT_CHART_WIDTH_CM) -> object:
        if name not in CHART_TITLES:
            raise TemplateError(f"模板使用了未知的图表“{name}”；可用：{'、'.join(CHART_TITLES)}")
        png = images.get(name)
        return "" if png is None else InlineImage(tpl, io.BytesIO(png), width=Cm(width_cm))

    return chart


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_stable_zip(package: bytes, target: Path) -> None:
    """Rewrite a .docx package with fixed entry times, so the same inputs give the same bytes."""
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))


DRAFT_MARK = "草稿　数据未通过勾稽检查，仅供核对，不得公开"


def mark_draft(doc: DocxDocument) -> None:
    """A red 草稿 line in the header of every section (each header unlinked, so none is left unmarked)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    for section in doc.sections:
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(DRAFT_MARK)
        run.bold, run.font.size, run.font.color.rgb = True, Pt(14), RGBColor(0xC0, 0, 0)
    doc.core_properties.title = "【草稿】" + (doc.core_properties.title or "")


def render(spec: TemplateSpec, context: dict[str, Any], target: Path, overwrite: bool = True,
           images: Mapping[str, bytes] | None = None, draft: bool = False) -> Path:
    """Render `spec` with `context` (and chart images by name) into `target`, via a temporary file."""
    try:
        tpl = Template(spec.path)
        context = {**context, "chart": chart_placer(tpl, images or {})}
        tpl.render(context, jinja_env=_ENVIRONMENT, autoescape=True)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"模板 {spec.path.name} 使用了未定义的名称：{exc.message}") from None
    except TemplateError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"模板 {spec.path.name} 有语法错误（第{exc.lineno}行附近）：{exc.message}") from None
    except Exception as exc:  # a broken .docx package surfaces as many exception kinds
        raise TemplateError(f"无法打开或渲染模板 {spec.path}：{exc.__class__.__name__}: {exc}") from None
    _check(tpl.docx, spec)
    props = tpl.docx.core_properties
    props.title = target.stem
    props.comments = "由 juesuan 根据填报数据生成"
    if draft:
        mark_draft(tpl.docx)
    package = io.BytesIO()
    tpl.save(package)
    with atomic_write(target, overwrite=overwrite) as tmp:
        write_stable_zip(package.getvalue(), tmp)
    return target

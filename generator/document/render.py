"""Rendering: a template and a context become a .docx, checked for leftovers, moved into place atomically."""

from __future__ import annotations

import contextlib
import io
import re
import threading
import traceback
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE
from docx.opc.part import Part, PartFactory
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import element_class_lookup
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from generator.checks.rules import Finding
from generator.document.audit import AuditFailed, audit_body
from generator.document.body_text import BodyText, read_body
from generator.document.environment import (
    SECONDS_VARIABLE,
    LimitExceeded,
    RenderTimeout,
    render_seconds,
    rendering_environment,
    tick,
    time_limit,
)
from generator.document.templates import TemplateSpec, verify_package
from generator.errors import TemplateError
from generator.output_files import atomic_write
from generator.vocabulary import CHART_TITLES, ERROR

if TYPE_CHECKING:
    from generator.document.native_charts import NativeChart

DEFAULT_CHART_WIDTH_CM = 15.0


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


# Text that docxtpl's resolve_listing turns into Word markup: a tab, a line or page break, a new paragraph (\a).
_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")
_PATCHED_KEEP = 16  # templates whose patched parts a process keeps (a batch uses one or two)


# A template's styles part is never read or changed by rendering: loaded for a Template it stays the template's bytes
# (python-docx would parse 350 KB of styles and write them out again: ≈ 6 ms a document). python-docx's documented
# hook chooses part classes for the whole process, so it acts only while a Template loads, on that thread.
_OPAQUE_PARTS = {CONTENT_TYPE.WML_STYLES}
_loading = threading.local()
_next_selector = PartFactory.part_class_selector  # python-docx's own (set when docx is imported)


def _part_class(content_type: str, reltype: str) -> type[Part] | None:
    if getattr(_loading, "template", False) and content_type in _OPAQUE_PARTS:
        return Part
    return _next_selector(content_type, reltype) if _next_selector else None


PartFactory.part_class_selector = _part_class


class Template(DocxTemplate):
    """docxtpl with the {% vmerge %} cell tag, whose render errors say which part and paragraph they come from.

    Two shortcuts that leave every byte as docxtpl makes it: a part's patched source (docxtpl's clean-up of the
    template's XML, the same for every unit) is made once per process; and resolve_listing, a regex pass over the
    rendered part, is skipped when no text holds a tab or a break, the only things it changes."""

    _patched: dict[str, str] = {}

    def init_docx(self, reload: bool = True) -> None:
        _loading.template = True
        try:
            super().init_docx(reload)
        finally:
            _loading.template = False

    def patch_xml(self, src_xml: str) -> str:
        patched = self._patched.get(src_xml)
        if patched is None:
            patched = _VMERGE_CELL.sub(_vmerge_cell, super().patch_xml(src_xml))
            if len(self._patched) >= _PATCHED_KEEP * 4:  # body, headers, footers of a few templates
                self._patched.clear()
            self._patched[src_xml] = patched
        return patched

    def resolve_listing(self, xml: str) -> str:
        return super().resolve_listing(xml) if _LISTING_TEXT.search(xml) else xml

    # docxtpl parses the rendered body on its own (to fix table grids) and then moves it into the document, which
    # makes lxml walk every node again (≈ 30 ms of a unit's ≈ 250 ms). Here the rendered body is parsed once
    # inside a copy of the document element, with python-docx's element classes, and that element takes the old
    # one's place: nothing is moved, and the saved bytes are the same. A template whose tables docxtpl would
    # have to fix (a row with more cells than the grid has columns, or fewer) takes docxtpl's own way.
    _rendered: Any = None

    def fix_tables(self, xml: str) -> Any:
        self._rendered = None
        document = _in_document(self.docx._element, xml)
        if document is None or any(_grid_to_fix(table) for table in document[0].iter(_TBL)):
            return super().fix_tables(xml)
        self._rendered = document
        return document[0]

    def fix_docpr_ids(self, tree: Any) -> None:
        if self._rendered is None:
            return super().fix_docpr_ids(tree)
        # docxtpl's renumbering of drawing ids, through lxml's own xpath (python-docx's takes no namespaces)
        for drawing in etree._Element.xpath(tree, "//wp:docPr", namespaces=nsmap):
            self.docx_ids_index += 1
            drawing.attrib["id"] = str(self.docx_ids_index)

    def map_tree(self, tree: Any) -> None:
        document, self._rendered = self._rendered, None
        if document is None or tree.getparent() is not document:
            return super().map_tree(tree)
        self.docx._part._element = document
        self.docx._element = document
        self.docx._Document__body = None  # python-docx's wrapper of the old body, if one was made

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        try:
            return super().render_xml_part(src_xml, part, context, jinja_env)
        except Exception as exc:
            raise RenderFailure(exc, part_label(str(part.partname)), _failing_text(exc, src_xml)) from exc

    def render_properties(self, context, jinja_env=None):
        try:
            return super().render_properties(context, jinja_env)
        except Exception as exc:
            raise RenderFailure(exc, "文档属性（标题、作者等）", "") from exc


_TBL = qn("w:tbl")
_XMLNS = re.compile(r' xmlns(?::([\w.-]+))?="([^"]*)"')
_RENDERED_PARSER = etree.XMLParser(recover=True)  # as docxtpl parses it, with python-docx's element classes
_RENDERED_PARSER.set_element_class_lookup(element_class_lookup)


def _in_document(root: Any, body_xml: str) -> Any:
    """The document element `root` with `body_xml` as its body, parsed as one tree; None when the document element
    holds more than its body (then docxtpl's way is taken)."""
    if len(root) != 1 or root[0].tag != qn("w:body") or not body_xml.startswith("<w:body"):
        return None
    shell = etree.Element(root.tag, dict(root.attrib), nsmap=root.nsmap)
    shell.append(etree.Comment("body"))
    head, tail = etree.tostring(shell, encoding="unicode").split("<!--body-->")
    # Declarations that repeat the document's own go, as lxml drops them when it moves a tree into the document:
    # the body's copies of them, and those of pictures and charts placed by `chart()` (each declares its prefixes).
    def redundant(m: re.Match) -> str:
        return "" if root.nsmap.get(m.group(1)) == m.group(2) else m.group(0)

    body_xml = _declaring_tags_sub(lambda tag: _XMLNS.sub(redundant, tag), body_xml)
    document = etree.fromstring(head + body_xml + tail, _RENDERED_PARSER)
    return document if len(document) == 1 and document[0].tag == qn("w:body") else None


_GRID_COLUMNS = etree.XPath("count(w:tblGrid/w:gridCol)", namespaces=nsmap)
_ROW_OVER = etree.XPath("boolean(.//w:tr[count(w:tc) > $columns])", namespaces=nsmap)
_ROW_FULL = etree.XPath("boolean(.//w:tr[count(w:tc) - count(w:tc/w:tcPr/w:gridSpan) "
                        "+ sum(w:tc/w:tcPr/w:gridSpan/@w:val) >= $columns])", namespaces=nsmap)
_ODD_SPAN = etree.XPath("boolean(.//w:tc/w:tcPr[count(w:gridSpan) > 1 or w:gridSpan["
                        "not(@w:val) or string(number(@w:val)) != @w:val]])", namespaces=nsmap)


def _declaring_tags_sub(change: Callable[[str], str], xml: str) -> str:
    """`change` applied to each start tag that declares namespaces (a "<", no "<" or ">", " xmlns", no "<" or ">",
    a ">": text holds no "<"), found by str.find: a body holds a few such tags in a megabyte of XML, and a regular
    expression would try every "<" (≈ 5 ms a document)."""
    out, done, at = [], 0, xml.find(" xmlns")
    while at != -1:
        start, end = xml.rfind("<", done, at), xml.find(">", at)
        if start != -1 and end != -1 and xml.find(">", start, at) == -1 and xml.find("<", at, end) == -1:
            out += [xml[done:start], change(xml[start:end + 1])]
            done = end + 1
            at = xml.find(" xmlns", done)
        else:
            at = xml.find(" xmlns", at + 1)
    return "".join(out) + xml[done:]


def _grid_to_fix(table: Any) -> bool:
    """Whether docxtpl's fix_tables would change this table's grid: a row with more cells than grid columns, or
    every row spanning fewer columns than the grid has. Asked of lxml's XPath (a walk in Python took ≈ 8 ms a
    document); a span that is not a plain number is left to docxtpl, whose reading of it is Python's int()."""
    columns = _GRID_COLUMNS(table)
    return (_ODD_SPAN(table) or _ROW_OVER(table, columns=columns)
            or (columns > 0 and not _ROW_FULL(table, columns=columns)))


@dataclass(eq=False)
class RenderFailure(Exception):
    """An error raised while one part of the document was rendered, with where it happened."""

    error: Exception
    part: str
    paragraph: str


_PART_LABELS = (("/word/document", "正文"), ("/word/header", "页眉"), ("/word/footer", "页脚"), ("/word/footnotes", "脚注"))


def part_label(partname: str) -> str:
    return next((label for prefix, label in _PART_LABELS if partname.startswith(prefix)), partname)


def _template_line(exc: Exception) -> int | None:
    """The line of the rendered source an error comes from (Jinja puts template lines into the traceback)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.lineno
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return lines[-1] if lines else None


def _failing_text(exc: Exception, src_xml: str) -> str:
    """The visible text around the failing tag: docxtpl puts each <w:p> on its own source line."""
    line = _template_line(exc)
    lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml).splitlines()
    if line is None or not 0 < line <= len(lines):
        return ""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", lines[line - 1])).strip()
    tag = text.find("{")
    return text if len(text) <= 60 else "…" + text[max(0, tag - 20): max(0, tag - 20) + 60] + "…"

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


def document_text(doc: DocxDocument, read: BodyText | None = None) -> str:
    """All visible text of a document, one paragraph a line: body, table cells, existing headers and footers.
    `read`: the body already read (body_text.read_body)."""
    parts = list(read.texts) if read else _paragraph_texts(doc.element.body)
    for section in doc.sections:  # reading a header that does not exist would create one: look first
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                parts.extend(_paragraph_texts(part._element))
    return "\n".join(parts)


def _check(doc: DocxDocument, spec: TemplateSpec, read: BodyText | None) -> None:
    text = document_text(doc, read)
    found = LEFTOVERS.search(text)
    if found:
        around = text[max(0, found.start() - 30): found.end() + 30].replace("\n", " ")
        raise TemplateError(f"模板 {spec.path.name} 生成的文档含有未替换的内容：…{around}…；文档未写出")


class _PlacedChart:
    """What `{{ chart(name) }}` prints for a native chart: the chart's parts are added to the document part being
    rendered and its graphic frame goes in the run's place (as docxtpl's InlineImage does for a picture)."""

    def __init__(self, tpl: DocxTemplate, chart: NativeChart, width_cm: float):
        self.tpl, self.chart, self.width_cm = tpl, chart, width_cm

    def __html__(self) -> str:
        # Imported here: python-pptx is needed only when charts are native.
        from generator.document.native_charts import embed, inline_xml

        rid = embed(self.tpl.current_rendering_part, self.chart)
        return ("</w:t></w:r><w:r><w:drawing>" + inline_xml(rid, self.chart, self.width_cm)
                + '</w:drawing></w:r><w:r><w:t xml:space="preserve">')

    __str__ = __html__


def chart_placer(tpl: DocxTemplate, charts: Mapping[str, bytes | NativeChart]) -> Callable[..., object]:
    """The template function `chart(name, width_cm=15)`: the named chart, as an inline picture (PNG bytes) or a
    native Word chart, whichever the pipeline drew."""

    def chart(name: str, width_cm: float = DEFAULT_CHART_WIDTH_CM) -> object:
        if name not in CHART_TITLES:
            raise TemplateError(f"模板使用了未知的图表“{name}”；可用：{'、'.join(CHART_TITLES)}")
        drawn = charts.get(name)
        if drawn is None:
            return ""
        if isinstance(drawn, bytes):
            return InlineImage(tpl, io.BytesIO(drawn), width=Cm(width_cm))
        return _PlacedChart(tpl, drawn, width_cm)

    return chart


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _stable_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_stable_zip(package: bytes, target: Path) -> None:
    """Rewrite a .docx package with fixed entry times, so the same inputs give the same bytes."""
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(_stable_entry(item.filename), src.read(item.filename))


class _StableZipWriter:
    """python-docx's physical package writer with fixed entry times: the package is written once, not written
    and then rewritten by `write_stable_zip` (same entries, same order, same bytes)."""

    def __init__(self, target: Path):
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        self._zip.writestr(_stable_entry(pack_uri.membername), blob)

    def close(self) -> None:
        self._zip.close()


def save_stable(tpl: DocxTemplate, target: Path) -> None:
    """Save a rendered template as `tpl.save` then `write_stable_zip` would, in one pass.

    It follows python-docx's OpcPackage.save and PackageWriter.write step by step (their parts are private; the
    byte-identity tests of single against batch documents and of the benchmark's plain way would catch a change)."""
    from docx.opc.pkgwriter import PackageWriter

    tpl.pre_processing()
    if tpl.crc_to_new_media or tpl.crc_to_new_embedded or tpl.zipname_to_replace:  # docxtpl's media replacement
        package = io.BytesIO()
        tpl.save(package)
        write_stable_zip(package.getvalue(), target)
        return
    opc = tpl.docx.part.package
    for part in opc.parts:
        part.before_marshal()
    parts = list(opc.parts)
    writer = _StableZipWriter(target)
    try:
        PackageWriter._write_content_types_stream(writer, parts)
        PackageWriter._write_pkg_rels(writer, opc.rels)
        PackageWriter._write_parts(writer, parts)
    finally:
        writer.close()
    tpl.is_saved = True


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
           images: Mapping[str, bytes | NativeChart] | None = None, draft: bool = False, seconds: float | None = None,
           findings: list[Finding] | None = None,
           on_body: Callable[[Any, BodyText | None], None] | None = None) -> Path:
    """Render `spec` with `context` (and charts by name: PNG bytes or native charts) into `target`, via a temporary file.

    The rendered document audits itself first (document/audit.py): its findings are added to `findings`; an error
    stops it like a leftover tag (AuditFailed, nothing written) unless it is a draft.

    Rendering runs in the sandbox (environment.py) and stops after `seconds` (default: JUESUAN_RENDER_SECONDS or 60).
    `on_body` is shown the final document body, and its text when read (body_text.read_body), before it is saved
    (a batch takes its change-list snapshot from them).
    """
    verify_package(spec.path)
    limit = render_seconds(seconds)
    tpl = Template(spec.path)
    context = {**context, "chart": chart_placer(tpl, images or {})}
    try:
        with time_limit(limit):
            tpl.render(context, jinja_env=rendering_environment(), autoescape=True)
            tick()  # docxtpl's own work on the rendered XML counts too
    except RenderFailure as failure:
        raise _render_error(spec, context, failure) from None
    except LimitExceeded as exc:
        raise _render_error(spec, context, RenderFailure(exc, "", "")) from None
    except Exception as exc:  # a broken .docx package surfaces as many exception kinds
        raise TemplateError(f"无法打开或渲染模板「{spec.path.name}」：{exc.__class__.__name__}: {exc}；文档未写出") from None
    body = tpl.docx.element.body
    read = read_body(body)  # once, for the leftover scan, the audit and the change list
    _check(tpl.docx, spec, read)
    audit = audit_body(body, target.name, spec.display.amount_decimals, read)
    if not draft and any(f.severity == ERROR for f in audit):
        raise AuditFailed(target.name, audit)
    if findings is not None:
        findings.extend(audit)
    props = tpl.docx.core_properties
    props.title = target.stem
    props.comments = "由 juesuan 根据填报数据生成"
    if draft:
        mark_draft(tpl.docx)
    if on_body:
        on_body(body, read)
    with atomic_write(target, overwrite=overwrite) as tmp:
        save_stable(tpl, tmp)
    return target


def prepare(spec: TemplateSpec) -> None:
    """Load and compile `spec`'s body in this process as rendering will (the environment keeps what it compiled).

    Rendered without data, the body is compiled and then stops at the first name it needs; a template that cannot
    be loaded or compiled is left for rendering to report."""
    with contextlib.suppress(Exception):
        verify_package(spec.path)
        tpl = Template(spec.path)
        tpl.render_init()
        with time_limit(render_seconds(None)):
            tpl.build_xml({}, rendering_environment())


_JINJA_KINDS = ((jinja2.UndefinedError, "使用了未定义的名称"), (jinja2.TemplateSyntaxError, "有语法错误"),
                (jinja2.exceptions.SecurityError, "使用了不允许的内容"))


def _render_error(spec: TemplateSpec, context: dict[str, Any], failure: RenderFailure) -> TemplateError:
    """A Chinese message naming the template, the part and the paragraph; never a line of document.xml."""
    name, error = spec.path.name, failure.error
    where = (f"{failure.part}段落“{failure.paragraph}”处" if failure.paragraph else failure.part)
    where = f"（{where}）" if where else ""
    if isinstance(error, RenderTimeout):
        return TemplateError(f"模板「{name}」渲染超过 {error.seconds:g} 秒，已停止{where}；文档未写出"
                             f"（上限可用环境变量 {SECONDS_VARIABLE} 调整）")
    if isinstance(error, LimitExceeded):
        return TemplateError(f"模板「{name}」渲染时{error.reason}，已停止{where}；文档未写出")
    if isinstance(error, TemplateError):
        return TemplateError(f"模板「{name}」{where}：{error}；文档未写出")
    if isinstance(error, jinja2.TemplateError):
        located = _located_problems(spec, context)
        if located:
            return TemplateError(f"模板「{name}」有 {len(located)} 处错误，文档未写出：\n" + "\n".join(located))
        kind = next(label for cls, label in (*_JINJA_KINDS, (jinja2.TemplateError, "有错误")) if isinstance(error, cls))
        return TemplateError(f"模板「{name}」{where}{kind}：{_chinese(error.message or '')}；文档未写出")
    return TemplateError(f"模板「{name}」{where}渲染出错：{error.__class__.__name__}: {error}；文档未写出")


def _located_problems(spec: TemplateSpec, context: dict[str, Any]) -> list[str]:
    """What `check-template` finds wrong in the template, checked against this very context."""
    from generator.document.context_names import shape
    from generator.document.template_check import ERROR, check_template

    try:
        problems = check_template(spec.path, shape(context))
    except TemplateError:
        return []
    return [str(p) for p in problems if p.severity == ERROR]


_JINJA_MESSAGES = ((re.compile(r"'([^']*)' is undefined"), r"名称“\1”未定义"),
                   (re.compile(r"'([^']*)' has no attribute '([^']*)'"), r"“\1”中没有“\2”"))


def _chinese(message: str) -> str:
    for pattern, text in _JINJA_MESSAGES:
        message = pattern.sub(text, message)
    return message

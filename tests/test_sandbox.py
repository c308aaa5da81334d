"""Untrusted templates: hostile tags are refused with a Chinese message and nothing written; limits stop a render."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import jinja2
import pytest
from docx import Document

from generator.cli import main
from generator.document import environment
from generator.document.environment import LimitExceeded, TemplateEnvironment, time_limit
from generator.document.pipeline import generate_document
from generator.document.template_check import ERROR, check_template
from generator.document.templates import find
from generator.errors import TemplateError
from generator.wording.filters import FILTERS
from tests.conftest import LIZHOU, ROOT

SHIPPED = ROOT / "templates" / "sichuan_juesuan.docx"

# What the security review ran, and the other ways out of Jinja's default environment.
ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ chart.__globals__.__builtins__.__import__('os').popen('id').read() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('id').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('id').read() }}",
    "{{ dict.__base__.__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ self }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ chart['__globals__'] }}",
    "{{ chart|attr('__globals__') }}",
    "{{ [chart]|map('attr', '__globals__')|list }}",
    "{% set a = '__glo' ~ 'bals__' %}{{ chart|attr(a) }}",
    "{{ chart('totals').tpl.save('ESCAPED') }}",
    "{{ chart('totals').tpl.docx }}",
    "{% macro m() %}x{% endmacro %}{{ m() }}",
    "{% include 'x.html' %}",
]
LIMITS = [
    "{% for i in range(10**9) %}x{% endfor %}",
    "{{ 'x' * 10**10 }}",
    "{{ 2 ** (10 ** 10) }}",
]


def _template(tmp_path: Path, *paragraphs: str, name: str = "hostile.docx") -> Path:
    """The shipped Sichuan template with paragraphs added at the end of the body."""
    doc = Document(str(SHIPPED))
    for text in paragraphs:
        doc.add_paragraph(text)
    path = tmp_path / name
    doc.save(str(path))
    return path


def _refused(tmp_path: Path, template: Path) -> str:
    """Generate with `template`: it must fail with a Chinese TemplateError and write nothing."""
    out = tmp_path / "out"
    with pytest.raises(TemplateError) as caught:
        generate_document(LIZHOU, str(template), out, force=True)
    assert not out.exists() or not list(out.iterdir())
    assert not (tmp_path / "escaped.docx").exists()
    message = str(caught.value)
    assert template.name in message and ("文档未写出" in message or "已拒绝" in message)
    return message


@pytest.mark.parametrize("tag", ESCAPES + LIMITS)
def test_hostile_tag_is_refused_and_check_template_reports_it(tmp_path, tag):
    template = _template(tmp_path, "前文 " + tag.replace("ESCAPED", str(tmp_path / "escaped.docx")) + " 后文")
    message = _refused(tmp_path, template)
    assert "uid=" not in message and "前文" in message  # located by its paragraph
    errors = [p for p in check_template(template) if p.severity == ERROR]
    assert errors and all("前文" in p.paragraph and p.part == "正文" for p in errors), errors


def test_the_command_line_refuses_the_reviewed_escape(tmp_path, capsys):
    template = _template(tmp_path, "{{ cycler.__init__.__globals__.os.popen('id').read() }}")
    out = tmp_path / "out"
    code = main(["generate", str(LIZHOU), "--template", str(template), "--output", str(out), "--force"])
    said = capsys.readouterr()
    assert code == 2 and "uid=" not in said.out + said.err
    assert "hostile.docx" in said.err and "不允许访问以 _ 开头的属性" in said.err
    assert not out.exists() or not list(out.iterdir())
    assert main(["check-template", str(template)]) == 1
    assert "cycler" in capsys.readouterr().out


def test_a_refused_tag_in_the_document_properties_is_located_there(tmp_path):
    doc = Document(str(SHIPPED))
    doc.core_properties.title = "{{ cycler.__init__.__globals__ }}"
    template = tmp_path / "title.docx"
    doc.save(str(template))
    assert "文档属性" in _refused(tmp_path, template)
    assert any(p.part == "文档属性" and p.severity == ERROR for p in check_template(template))


# ---------------------------------------------------------------- limits while rendering
def test_wall_clock_limit_stops_a_document_well_within_time(tmp_path, monkeypatch):
    monkeypatch.setenv("JUESUAN_RENDER_SECONDS", "1")
    template = _template(tmp_path, "前文 {% for a in range(100000) %}{% for b in range(100000) %}"
                                   "{% endfor %}{% endfor %} 后文")
    started = time.monotonic()
    message = _refused(tmp_path, template)
    assert time.monotonic() - started < 15
    assert "渲染超过 1 秒，已停止" in message and "JUESUAN_RENDER_SECONDS" in message and "前文" in message


def test_output_larger_than_the_limit_is_stopped(tmp_path):
    template = _template(tmp_path, "{% for i in range(100000) %}{{ 'x' * 900000 }}{% endfor %}")
    started = time.monotonic()
    message = _refused(tmp_path, template)
    assert time.monotonic() - started < 15
    assert f"超过 {environment.MAX_OUTPUT} 个字符" in message


@pytest.mark.parametrize("tag", [
    "{% for i in range(unit.subunits|length + 10**9) %}x{% endfor %}",  # not constant: refused while rendering
    "{{ unit.name * 10**7 }}",
    "{% set l = ['x' * 900000] %}{% set l = [l, l] %}{% set l = [l, l] %}{{ l }}",
    "{% set s = 'x' * 900000 %}{{ s ~ s }}",
])
def test_values_built_at_render_time_are_bounded(tmp_path, tag):
    assert "已停止" in _refused(tmp_path, _template(tmp_path, "前文 " + tag))


def _render(source: str, **context) -> str:
    with time_limit(5):
        return TemplateEnvironment().from_string(source).render(**context)


@pytest.mark.parametrize("source", [
    "{{ '%0999999999d' % 1 }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ s.center(999999999) }}",
    "{{ s|center(999999999) }}",
    "{{ s|replace('', 'y' * 999999) }}",
    "{{ (s * 400000).replace('x', s) }}",
    "{{ range(10)|join('x' * 999999) }}",
    "{{ s|indent(999999999) }}",
    "{{ ([s] * 999999)|string }}",
    "{{ (2 ** 99999) * (2 ** 99999) }}",
    "{{ range(99999)|batch(999999999, fill_with=s)|list }}",
])
def test_operators_filters_and_methods_that_grow_values_are_refused(source):
    with pytest.raises(jinja2.TemplateError):
        _render(source, s="xx")


def test_the_sandbox_keeps_what_templates_use():
    source = ("{% for row in rows %}{{ loop.index }}.{{ row.name|trim }}{{ '；' if not loop.last }}{% endfor %}"
              "{{ names|join('、') }}{{ ' a b '.strip().split()|length }}{{ d.items()|list|length }}")
    assert _render(source, rows=[{"name": " 甲 "}, {"name": "乙"}], names=["x", "y"], d={"k": 1}) == "1.甲；2.乙x、y21"


def test_only_range_is_a_global_and_it_is_bounded():
    env = TemplateEnvironment()
    assert set(env.globals) == {"range"}
    with pytest.raises(LimitExceeded):
        _render("{{ range(n)|length }}", n=10**6)


def test_registered_filters_are_known_to_rendering_and_to_check_template(tmp_path, monkeypatch):
    monkeypatch.setitem(FILTERS, "shout", lambda s: str(s) + "！")
    environment.checking_environment.cache_clear()
    try:
        assert _render("{{ '好'|shout }}") == "好！"
        template = _template(tmp_path, "{{ unit.name|shout }}", "{{ unit.name|whisper }}")
        messages = [p.message for p in check_template(template) if p.severity == ERROR]
    finally:
        environment.checking_environment.cache_clear()
    assert messages == ["未知的过滤器“whisper”：“{{ unit.name|whisper }}”"]


# ---------------------------------------------------------------- errors name the template, part and paragraph
def test_an_unknown_name_at_render_time_names_part_and_paragraph(tmp_path):
    doc = Document(str(SHIPPED))
    doc.sections[0].header.is_linked_to_previous = False
    doc.sections[0].header.add_paragraph("页眉里的 {{ unit.nmae }}")
    template = tmp_path / "header.docx"
    doc.save(str(template))
    message = _refused(tmp_path, template)
    assert "页眉" in message and "页眉里的 {{ unit.nmae }}" in message and "unit.nmae" in message
    assert not re.search(r"第\s*\d+\s*行|document\.xml|line", message)


def test_a_syntax_error_at_render_time_names_the_paragraph(tmp_path):
    message = _refused(tmp_path, _template(tmp_path, "坏的标签 {{ unit.name + }}"))
    assert "正文" in message and "坏的标签" in message and "语法错误" in message
    assert not re.search(r"第\s*\d+\s*行|document\.xml", message)


def test_a_runtime_error_is_mapped_back_to_its_paragraph(tmp_path):
    message = _refused(tmp_path, _template(tmp_path, "这里放图 {{ chart('no_such_chart') }}"))
    assert "正文段落" in message and "这里放图" in message and "no_such_chart" in message


# ---------------------------------------------------------------- the output name pattern
@pytest.mark.parametrize("pattern", [
    "../{unit}.docx", "sub/{unit}.docx", "sub\\\\{unit}.docx", "C:{unit}.docx", "{unit.__class__}.docx",
    "{unit[0]}.docx", "{unit!r}.docx", "{year:>99999}.docx", "{0}.docx", "{}.docx", "{unit", "{name}.docx", "",
])
def test_output_pattern_allows_only_unit_and_year(tmp_path, pattern):
    template = tmp_path / "mine.docx"
    template.write_bytes(SHIPPED.read_bytes())
    (tmp_path / "mine.toml").write_text(f'output = "{pattern}"\n', encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        find(str(template))
    assert "mine.toml" in str(caught.value) and "{unit}" in str(caught.value)


def test_a_plain_output_pattern_is_accepted(tmp_path):
    template = tmp_path / "mine.docx"
    template.write_bytes(SHIPPED.read_bytes())
    (tmp_path / "mine.toml").write_text('output = "{unit}_{year}年_报告.docx"\n', encoding="utf-8")
    assert find(str(template)).output_name("某单位", 2024) == "某单位_2024年_报告.docx"


# ---------------------------------------------------------------- the template package itself
LAUGHS = ('<!DOCTYPE w:document [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + "]>")
XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _with_doctype(tmp_path: Path, doctype: str, entity: str) -> Path:
    path = tmp_path / "entities.docx"
    with zipfile.ZipFile(SHIPPED) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                head = text.index("?>") + 2
                text = text[:head] + doctype + text[head:]
                text = text.replace("<w:t>", f"<w:t>{entity}", 1)
                data = text.encode("utf-8")
            dst.writestr(item, data)
    return path


@pytest.mark.parametrize(("doctype", "entity"), [(LAUGHS, "&lol9;"), (XXE, "&xxe;")])
def test_entities_in_the_template_xml_are_refused(tmp_path, doctype, entity):
    template = _with_doctype(tmp_path, doctype, entity)
    message = _refused(tmp_path, template)
    assert "DTD" in message and "root:" not in message
    [problem] = check_template(template)
    assert problem.severity == ERROR and "DTD" in problem.message


def test_a_package_too_large_unpacked_is_refused(tmp_path, monkeypatch):
    from generator.document import templates

    template = tmp_path / "big.docx"
    with zipfile.ZipFile(SHIPPED) as src, zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/media/padding.bin", b"\0" * 3_000_000)
    monkeypatch.setattr(templates, "MAX_PACKAGE_BYTES", 2_000_000)
    assert "解压后超过" in _refused(tmp_path, template)


def test_large_data_may_be_handed_around_but_not_grown():
    """A 300-unit 部门汇总 hands the template far more than MAX_VALUE characters of projects: sorting, selecting and
    joining them is what it is for; building a million characters beyond what it was given is refused."""
    names = [f"第{i}个单位的项目名称" for i in range(120_000)]  # ≈ 1.4 million characters
    assert _render("{{ names|sort|list|length }}/{{ names|join('、')|length > 10**6 }}", names=names) == "120000/True"
    with pytest.raises(LimitExceeded):
        _render("{{ names|join('x' * 20) }}", names=names)


def test_a_table_docxtpl_must_fix_is_fixed_and_others_are_left_as_they_are(tmp_path):
    """Rendered bodies are parsed straight into the document, except where docxtpl has to fix a table's grid
    (a {%tc for %} row with more cells than columns): that document takes docxtpl's own way."""
    from docx.oxml.ns import qn

    from generator.document.environment import rendering_environment
    from generator.document.render import Template

    doc = Document()
    doc.add_paragraph("{{ title }}")
    table = doc.add_table(rows=1, cols=3)
    for i, text in enumerate(("{%tc for x in items %}", "{{ x }}", "{%tc endfor %}")):
        table.cell(0, i).text = text
    path = tmp_path / "loop.docx"
    doc.save(str(path))
    for items, fixed in ((["甲", "乙", "丙", "丁", "戊"], True), (["甲", "乙", "丙"], False)):
        tpl = Template(str(path))
        tpl.render({"title": "标题", "items": items}, jinja_env=rendering_environment(), autoescape=True)
        body = tpl.docx.element.body
        grid = body.find(f".//{qn('w:tblGrid')}").findall(qn("w:gridCol"))
        cells = body.find(f".//{qn('w:tr')}").findall(qn("w:tc"))
        assert [c.xpath("string(.)") for c in cells] == items and len(grid) == len(cells)
        assert tpl.docx.paragraphs[0].text == "标题"
        assert (tpl._rendered is None) and (fixed or body.getparent() is tpl.docx.part.element)


def test_a_list_that_repeats_one_text_is_refused_before_it_is_joined():
    """Each argument is measured before the call, a repeated reference counting each time: joining 26 copies of a
    0.9-million-character text (23 million characters) never happens."""
    import tracemalloc

    copies = ",".join(["x"] * 26)
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded):
            _render("{% set x = 'a' * 900000 %}{{ [" + copies + "]|join }}")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000, peak

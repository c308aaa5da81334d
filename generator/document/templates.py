"""The shipped templates and their settings (templates/NAME.docx beside templates/NAME.toml)."""

from __future__ import annotations

import re
import string
import tomllib
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from generator.bundled import template_dir
from generator.errors import TemplateError
from generator.vocabulary import CHART_TITLES, REQUIREMENTS
from generator.wording.numbers import Display
from generator.wording.phrases import Phrases, default_phrases

TEMPLATE_DIR = template_dir()
DEFAULT_TEMPLATE = "sichuan_juesuan"
OUTPUT_FIELDS = ("unit", "year")
CHART_FORMATS = ("native", "picture")  # Word charts (editable, with their data) or PNG pictures
DEFAULT_CHART_FORMAT = "native"  # README: why Word charts by default
# Path separators, a Windows drive colon and the characters Windows refuses in a file name.
_UNSAFE_NAME = re.compile(r'[/\\:*?"<>|\x00-\x1f]|\.\.')
MAX_PACKAGE_BYTES = 200_000_000  # uncompressed size of a template package: refuses zip bombs before they are opened
# Parses a template's XML parts without expanding entities or reading DTDs, to find what Word never writes.
_SAFE_XML = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class TemplateSpec:
    """A template file and the display choices it asks for."""

    name: str
    path: Path
    title: str
    description: str
    output: str
    display: Display
    charts: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    chart_format: str = DEFAULT_CHART_FORMAT

    def output_name(self, unit: str, year: int) -> str:
        return self.output.format(unit=unit, year=year)


def _spec(path: Path) -> TemplateSpec:
    settings_path = path.with_suffix(".toml")
    settings: dict = {}
    if settings_path.exists():
        try:
            settings = tomllib.loads(settings_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise TemplateError(f"模板设置文件 {settings_path} 格式有误：{exc}") from None
    display = settings.get("display", {})
    charts = tuple(settings.get("charts", ()))
    unknown = [c for c in charts if c not in CHART_TITLES]
    if unknown:
        raise TemplateError(f"模板设置文件 {settings_path.name} 中的 charts 含有未知的图表名称：{'、'.join(unknown)}；"
                            f"可用：{'、'.join(CHART_TITLES)}")
    return TemplateSpec(
        name=path.stem, path=path,
        title=settings.get("title", path.stem), description=settings.get("description", ""),
        output=_output_pattern(settings.get("output", "{unit}{year}年度_" + path.stem + ".docx"), settings_path),
        display=Display(int(display.get("amount_decimals", 2)), int(display.get("pct_decimals", 2)),
                        bool(display.get("keep_zeros", True)), _phrases(settings.get("phrases"), settings_path)),
        charts=charts,
        requires=_requires(settings.get("requires", ()), settings_path),
        chart_format=_chart_format(settings.get("chart_format", DEFAULT_CHART_FORMAT), settings_path),
    )


def _chart_format(value: object, path: Path) -> str:
    """`chart_format`: "native" (Word charts, editable in Word/WPS) or "picture" (PNG pictures)."""
    if value not in CHART_FORMATS:
        raise TemplateError(f"模板设置文件 {path.name} 中的 chart_format（图表形式）应为 \"native\"（Word 图表，可编辑）"
                            f"或 \"picture\"（图片），而不是 {value!r}")
    return str(value)


def _phrases(overrides: object, path: Path) -> Phrases | None:
    """The template's own wording ([phrases] in its .toml) over the shipped phrase book; None when it has none."""
    if overrides is None:
        return None
    if not isinstance(overrides, dict):
        raise TemplateError(f"模板设置文件 {path.name} 中的 phrases 应是一个表（[phrases]）")
    return default_phrases().with_overrides(overrides, path.name)


def _output_pattern(pattern: object, path: Path) -> str:
    """The `output` file-name pattern: only {unit} and {year}, plain, and nothing that leaves the output folder."""
    def refuse(why: str) -> TemplateError:
        return TemplateError(f"模板设置文件 {path.name} 中的 output（输出文件名）{why}；"
                             f"只能使用 {{unit}}（单位名称）和 {{year}}（年度），例如 \"{{unit}}{{year}}年度部门决算.docx\"")

    if not isinstance(pattern, str) or not pattern.strip():
        raise refuse("应为非空的文字")
    try:
        pieces = list(string.Formatter().parse(pattern))
    except ValueError:
        raise refuse(f"“{pattern}”中的花括号不成对") from None
    for literal, field, spec, conversion in pieces:
        if _UNSAFE_NAME.search(literal):
            raise refuse(f"“{pattern}”含有路径分隔符、“..”或文件名中不允许的字符")
        if field is None:
            continue
        if field not in OUTPUT_FIELDS or spec or conversion:
            raise refuse(f"“{pattern}”中的“{{{field}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}”不允许")
    return pattern


def verify_package(path: Path) -> None:
    """Refuse a template package Word would never write: oversized (a zip bomb), or XML with a DTD or entities."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise TemplateError(f"无法读取模板「{path.name}」：{exc}") from None
    _verify_package(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _verify_package(path: Path, _mtime: int, _size: int) -> None:  # the stamps make a changed file checked again
    try:
        with zipfile.ZipFile(path) as z:
            items = z.infolist()
            if sum(i.file_size for i in items) > MAX_PACKAGE_BYTES:
                raise TemplateError(f"模板「{path.name}」解压后超过 {MAX_PACKAGE_BYTES // 1_000_000} MB，不像是 Word 模板；已拒绝")
            for item in items:
                if item.filename.endswith((".xml", ".rels")):
                    _verify_xml(path, item.filename, z.read(item))
    except (zipfile.BadZipFile, OSError) as exc:
        raise TemplateError(f"无法读取模板「{path.name}」：不是有效的 .docx 文件（{exc}）") from None


def _verify_xml(path: Path, part: str, data: bytes) -> None:
    refused = TemplateError(f"模板「{path.name}」的 {part} 含有 DTD 或实体声明（<!DOCTYPE …>），Word 不会写出这种内容，"
                            "可能是恶意构造的文件；已拒绝")
    if _declares_dtd(data):  # looked for before parsing: libxml2 would otherwise weigh the entities first
        raise refused
    try:
        root = etree.fromstring(data, _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"模板「{path.name}」的 {part} 不是有效的 XML（{exc}）；已拒绝") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise refused


def _declares_dtd(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "<!DOCTYPE" in data.decode("utf-16", errors="replace")
    return b"<!DOCTYPE" in data


def _requires(names, path: Path) -> tuple[str, ...]:
    known = {k.split(".")[0] for k in REQUIREMENTS}
    unknown = [x for x in names if x.split(".")[0] not in known]
    if unknown:
        raise TemplateError(f"模板设置文件 {path.name} 中的 requires 含有未知的项：{'、'.join(unknown)}；"
                            f"可用：{'、'.join(REQUIREMENTS)}")
    return tuple(names)


def shipped() -> list[TemplateSpec]:
    return [_spec(p) for p in sorted(TEMPLATE_DIR.glob("*.docx")) if not p.name.startswith("~$")]


def find(name_or_path: str | None) -> TemplateSpec:
    """A shipped template by name, or any .docx by path."""
    name_or_path = name_or_path or DEFAULT_TEMPLATE
    path = Path(name_or_path)
    if path.suffix.lower() == ".docx" and path.exists():
        return _spec(path)
    candidate = TEMPLATE_DIR / f"{name_or_path}.docx"
    if candidate.exists():
        return _spec(candidate)
    names = "、".join(s.name for s in shipped())
    raise TemplateError(f"找不到模板“{name_or_path}”。可用的模板：{names}；也可以给出 .docx 模板文件的路径")

"""The shipped templates and their settings (templates/NAME.docx beside templates/NAME.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from generator.bundled import template_dir
from generator.errors import TemplateError
from generator.vocabulary import CHART_TITLES, REQUIREMENTS
from generator.wording.numbers import Display
from generator.wording.phrases import Phrases, default_phrases

TEMPLATE_DIR = template_dir()
DEFAULT_TEMPLATE = "sichuan_juesuan"


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
        output=settings.get("output", "{unit}{year}年度_" + path.stem + ".docx"),
        display=Display(int(display.get("amount_decimals", 2)), int(display.get("pct_decimals", 2)),
                        bool(display.get("keep_zeros", True)), _phrases(settings.get("phrases"), settings_path)),
        charts=charts,
        requires=_requires(settings.get("requires", ()), settings_path),
    )


def _phrases(overrides: object, path: Path) -> Phrases | None:
    """The template's own wording ([phrases] in its .toml) over the shipped phrase book; None when it has none."""
    if overrides is None:
        return None
    if not isinstance(overrides, dict):
        raise TemplateError(f"模板设置文件 {path.name} 中的 phrases 应是一个表（[phrases]）")
    return default_phrases().with_overrides(overrides, path.name)


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

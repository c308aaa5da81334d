"""The Chinese font for charts: Noto Sans SC from the pip package justmytype-intl-cjk.

That package ships a variable font whose default instance is the thinnest weight; a static Regular
instance is cut from it once (fontTools, about 15 s) and kept in matplotlib's cache folder. When the
package is missing, a system CJK font is used; when there is none, a clear error says what to install.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path

from generator.errors import JuesuanError

log = logging.getLogger("juesuan")
SYSTEM_FALLBACKS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "WenQuanYi Zen Hei")


def _variable_font() -> Path | None:
    try:
        path = resources.files("justmytype_intl_cjk") / "fonts" / "ofl" / "notosanssc" / "NotoSansSC[wght].ttf"
    except ModuleNotFoundError:
        return None
    return Path(str(path)) if path.is_file() else None


def _regular_instance(source: Path) -> Path:
    import matplotlib

    digest = hashlib.sha256(f"{source.stat().st_size}:{source.name}".encode()).hexdigest()[:12]
    target = Path(matplotlib.get_cachedir()) / "juesuan" / f"NotoSansSC-Regular-{digest}.ttf"
    if target.exists():
        return target
    from fontTools.ttLib import TTFont
    from fontTools.varLib.instancer import instantiateVariableFont

    log.info("首次生成图表：正在准备图表中文字体（约15秒，只需一次）……")
    target.parent.mkdir(parents=True, exist_ok=True)
    font = instantiateVariableFont(TTFont(source), {"wght": 400}, updateFontNames=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".ttf.tmp")
    os.close(fd)
    try:
        font.save(tmp)
        os.replace(tmp, target)  # several processes may do this at once: the last one wins, all are equal
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _system_font() -> Path | None:
    from matplotlib import font_manager

    for family in SYSTEM_FALLBACKS:
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        return Path(path)
    return None


@cache
def chart_font() -> Path:
    """Path of the font every chart uses (the same on every machine with the package installed)."""
    source = _variable_font()
    if source is not None:
        return _regular_instance(source)
    system = _system_font()
    if system is not None:
        log.warning("未安装 justmytype-intl-cjk，图表改用系统字体 %s", system.name)
        return system
    raise JuesuanError("图表需要中文字体：请运行 pip install justmytype-intl-cjk（随本工具一同安装），"
                       "或安装系统中文字体（如 Debian 的 fonts-noto-cjk）")

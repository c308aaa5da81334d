"""The charts' look shared by both kinds: colours, and fonts (named in native charts, a font file for pictures).

Native charts name the fonts the document uses (宋体 with Times New Roman); Word, WPS and LibreOffice find them or
their substitutes. Pictures need a font file: Noto Sans SC from the pip package justmytype-intl-cjk.

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
PALETTE = ("#2F5597", "#C55A11", "#548235", "#7F6000", "#7030A0", "#1F7F8C", "#A5A5A5", "#BF9000", "#843C0C", "#203864")
LAST_YEAR, THIS_YEAR = "#9DC3E6", "#2F5597"
# Native pies: lighter tints of the same hues, so that black labels read on every slice (LibreOffice draws native
# chart labels in one colour whatever their runs say, so white-on-dark labels as in the pictures are not possible).
NATIVE_PALETTE = ("#8EA9DB", "#F4B183", "#A9D18E", "#FFD966", "#C9A0DC", "#8FD0D9", "#D9D9D9", "#FFE699", "#E2A27A",
                  "#B4C7E7")
NATIVE_FONT_LATIN, NATIVE_FONT_EAST_ASIAN = "Times New Roman", "宋体"
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

"""Write a file through a temporary sibling and move it into place, so nothing is ever half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.errors import OutputError


@contextlib.contextmanager
def atomic_write(target: Path, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target atomically."""
    if target.exists() and not overwrite:
        raise OutputError(f"文件已存在，未覆盖：{target}（如需覆盖请加 --force）")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"无法写入输出目录 {target.parent}：{exc.strerror}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, target)
    except PermissionError:
        raise OutputError(f"无法写入 {target}：文件可能正在 Word/WPS 中打开，请关闭后重试") from None
    finally:
        tmp.unlink(missing_ok=True)

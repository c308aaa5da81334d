"""Everything that writes into an output folder goes through here.

`safe_file_name` is the one place a name taken from a workbook (a unit's 单位名称) or a template setting becomes
a file name; `atomic_write` writes through a temporary sibling moved into place, so nothing is ever
half-written, and turns the operating system's errors into one Chinese sentence.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from generator.errors import OutputError

# The unit-derived part of a name (the template's text before the unit name, and the name) is cut to this;
# the whole file name to FILE_NAME_BYTES. Linux allows 255 bytes per name, Windows 255 UTF-16 units: the
# margin leaves room for "_变更.txt" and the temporary names made beside a file while it is written.
NAME_BYTES = 150
FILE_NAME_BYTES = 220
UNNAMED = "未命名"
_WINDOWS_ILLEGAL = frozenset('<>:"/\\|?*')
_DROPPED = frozenset({"Cf", "Cs"})  # zero-width and direction marks, BOM; lone surrogates cannot be encoded
_TO_SPACE = frozenset({"Cc", "Zl", "Zp"})  # control characters, line and paragraph separators
_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                       *(f"{d}{n}" for d in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³"))})


def _clean(text: str) -> str:
    """Separators and characters Windows forbids → "_"; control characters → space; invisible ones dropped."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _WINDOWS_ILLEGAL:
            out.append("_")
        elif category in _TO_SPACE:
            out.append(" ")
        elif category not in _DROPPED:
            out.append(ch)
    return "".join(out)


def _cut(text: str, limit: int) -> str:
    """At most `limit` UTF-8 bytes, cut between characters."""
    return text.encode("utf-8")[:max(limit, 0)].decode("utf-8", errors="ignore")


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def safe_file_name(name: str, *, prefix: str = "", suffix: str = "", extension: str = "") -> str:
    """`prefix + name + suffix + extension` as a single file name that Windows and Linux both accept.

    No path separators or characters Windows forbids, no control or zero-width characters, no leading
    dot (hidden, or "..") and no trailing dot or space, not a reserved device name (CON, NUL…). When too
    long, `name` is shortened first (the unit name; the template's text around it and `extension` are
    kept), then the whole stem. A name that is already safe is returned unchanged.
    """
    prefix, name, suffix, extension = _clean(prefix), _clean(name), _clean(suffix), _clean(extension)
    name = _cut(name, min(NAME_BYTES, FILE_NAME_BYTES - _size(suffix + extension)) - _size(prefix))
    stem = _cut(prefix + name + suffix, FILE_NAME_BYTES - _size(extension))
    stem = stem.strip().lstrip(".").rstrip(". ").strip() or UNNAMED
    if (stem + extension).split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    return stem + extension


def same_file_name(name: str) -> str:
    """The form under which two names are one file on Windows or macOS (case and composition ignored)."""
    return unicodedata.normalize("NFC", name).casefold()


def describe_os_error(exc: OSError, target: Path, replacing: bool = False) -> str:
    """One Chinese sentence for why `target` could not be written (`replacing`: the last step failed)."""
    code = exc.errno
    if replacing and code in (errno.EACCES, errno.EPERM):
        return f"无法替换 {target}：文件可能正在 Word/WPS 中打开，请关闭后重试"
    if code in _FULL:
        return f"磁盘空间不足，无法写入 {target}；请腾出空间后重新运行（已写出的文件均完整）"
    if code == errno.EROFS:
        return f"输出文件夹所在的磁盘是只读的，无法写入 {target}；请换一个输出文件夹"
    if code in (errno.EACCES, errno.EPERM):
        return f"没有权限写入 {target}：文件可能正在 Word/WPS 中打开，或输出文件夹是只读的"
    if code == errno.ENAMETOOLONG:
        return f"文件名或路径过长，无法写入 {target}；请换一个路径较短的输出文件夹"
    return f"无法写入 {target}：{exc.strerror or exc}"


class WriteFailed(OutputError):
    """A file could not be written. `folder_unusable`: no later write into that folder can succeed either
    (disk full, read-only, no permission to create files), so a batch stops at the first."""

    def __init__(self, exc: OSError, target: Path, replacing: bool = False):
        self.errno = exc.errno
        self.target = target
        self.folder_unusable = exc.errno in _FULL or exc.errno == errno.EROFS or (
            exc.errno in (errno.EACCES, errno.EPERM) and not replacing)
        super().__init__(describe_os_error(exc, target, replacing))


def _file_mode() -> int:
    """What a plainly created file gets (0666 minus the umask): mkstemp's files are private (0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteFailed(exc, folder) from None


@contextlib.contextmanager
def atomic_write(target: Path, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target atomically.

    The temporary file is removed whatever happens; an OSError while writing becomes WriteFailed.
    """
    if target.exists() and not overwrite:
        raise OutputError(f"文件已存在，未覆盖：{target}（如需覆盖请加 --force）")
    make_folder(target.parent)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{_cut(target.stem, 100)}.", suffix=target.suffix + ".tmp",
                                    dir=target.parent)
    except OSError as exc:
        raise WriteFailed(exc, target) from None
    os.close(fd)
    tmp = Path(name)
    try:
        try:
            yield tmp
            os.chmod(tmp, _file_mode())
        except OSError as exc:
            raise WriteFailed(exc, target) from None
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise WriteFailed(exc, target, replacing=True) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(target: Path, data: bytes) -> Path:
    """`data` as the whole content of `target`, written atomically."""
    with atomic_write(target) as tmp:
        tmp.write_bytes(data)
    return target


def write_text(target: Path, text: str) -> Path:
    return write_bytes(target, text.encode("utf-8"))

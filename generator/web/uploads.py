"""Uploads: multipart bodies streamed straight into a job's folder, each file counted against its limit while it
arrives; and .zip archives checked as a whole (entry count, sizes, ratios, paths) before anything is extracted.

Starlette's own form parser spools files into the system's temporary folder and knows no per-file limit, so the
body is parsed here with python-multipart's streaming parser instead: nothing lands outside the job's folder, and
a file over its limit stops being written at the limit (the rest of the request is read and dropped, so that the
browser gets the answer instead of a broken connection).
"""

from __future__ import annotations

import re
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import anyio
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from generator.output_files import atomic_write
from generator.web.config import MB, WebConfig

MAX_FIELDS = 200
MAX_FIELD_BYTES = 64 * 1024
MAX_FILES = 5000
_CHUNK = 1024 * 1024
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$")  # device names Windows will not open as files


class UploadRefused(Exception):
    """An upload that is not taken: `str()` is the user's (Chinese) message, `status` the HTTP status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Saved:
    """One uploaded file, written under a neutral name; `name` is the user's file name, made safe."""

    field: str
    name: str
    path: Path
    size: int


@dataclass
class Upload:
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[Saved] = field(default_factory=list)

    def value(self, name: str, default: str = "") -> str:
        return (self.fields.get(name) or [default])[0]

    def values(self, name: str) -> list[str]:
        return self.fields.get(name, [])

    def files_of(self, name: str) -> list[Saved]:
        return [f for f in self.files if f.field == name and f.name]


def safe_name(raw: str, fallback: str = "文件") -> str:
    """A file name from a browser or a zip entry as a plain name: no folders, no characters Windows refuses."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip().strip(".").strip()
    if _RESERVED.match(name):
        name = "_" + name
    if len(name) > 150:  # Windows paths stay short enough with the job folder in front
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:140] + dot + suffix) if dot and len(suffix) <= 8 else name[:150]
    return name or fallback


Limit = Callable[[str, str], "int | str"]  # (field, file name) → bytes allowed, or why the file is refused


async def receive(request: Request, folder: Path, config: WebConfig, limit: Limit) -> Upload:
    """Parse a multipart/form-data request into fields and files saved in `folder` (created here)."""
    content_type = request.headers.get("content-type", "")
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data" or b"boundary" not in options:
        raise UploadRefused("请求中没有上传的文件（表单须以 multipart/form-data 提交）")
    budget = config.upload_mb * MB
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > 4 * budget:  # not worth reading at all
        raise UploadRefused(_too_big("本次上传", config.upload_mb), 413)
    folder.mkdir(parents=True, exist_ok=True)
    parser = _Parser(folder, limit)
    multipart = MultipartParser(options[b"boundary"], parser.callbacks())
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > 2 * budget:  # drained enough for an honest answer; the rest is not read
            parser.close()
            raise UploadRefused(_too_big("本次上传", config.upload_mb), 413)
        try:
            multipart.write(chunk)
        except UploadRefused:
            parser.close()
            raise
        except Exception as exc:  # python-multipart's errors for a malformed body
            parser.close()
            raise UploadRefused(f"上传的内容不完整或格式有误（{exc.__class__.__name__}），请重新选择文件上传") from None
        if parser.pending:
            await anyio.to_thread.run_sync(parser.flush)
    parser.close()
    if parser.refusals:  # the file that went over its limit says more than the total
        message, status = parser.refusals[0]
        raise UploadRefused(message, status)
    if received > budget:
        raise UploadRefused(_too_big("本次上传", config.upload_mb), 413)
    return parser.upload


def _too_big(what: str, mb: int) -> str:
    return f"{what}超过 {mb} MB 的上限，未接收。请分批上传，或联系管理员调整上限。"


class _Parser:
    """python-multipart callbacks: fields into memory (small), files onto disk (counted against their limit)."""

    def __init__(self, folder: Path, limit: Limit):
        self.folder, self.limit = folder, limit
        self.upload = Upload()
        self.refusals: list[tuple[str, int]] = []
        self.pending: list[tuple[BinaryIO, bytes]] = []
        self._opened: list[BinaryIO] = []
        self._dropped: list[Path] = []
        self._header_name = self._header_value = self._disposition = b""
        self._field = ""
        self._data = bytearray()
        self._file: Saved | None = None
        self._handle: BinaryIO | None = None
        self._allowed = 0
        self._dropping = False
        self._fields = 0

    def callbacks(self) -> dict:
        return {"on_part_begin": self._begin, "on_header_field": self._header_field,
                "on_header_value": self._header_value_part, "on_header_end": self._header_end,
                "on_headers_finished": self._headers_done, "on_part_data": self._part_data,
                "on_part_end": self._part_end}

    def _begin(self) -> None:
        self._disposition, self._data, self._file, self._handle, self._dropping = b"", bytearray(), None, None, False

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_part(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def _headers_done(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._field = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            self._fields += 1
            if self._fields > MAX_FIELDS:
                raise UploadRefused("表单字段过多，未接收")
            return
        name = safe_name(options[b"filename"].decode("utf-8", "replace"), "")
        if not name:  # a file input left empty sends a part without a file name
            self._dropping = True
            return
        if len(self.upload.files) >= MAX_FILES:
            raise UploadRefused(f"一次最多上传 {MAX_FILES} 个文件")
        allowed = self.limit(self._field, name)
        if isinstance(allowed, str):
            self._refuse(allowed, 400)
            return
        self._allowed = allowed
        self._file = Saved(self._field, name, self.folder / f"{len(self.upload.files):05d}.upload", 0)
        self._handle = self._file.path.open("wb")
        self._opened.append(self._handle)
        self.upload.files.append(self._file)

    def _refuse(self, message: str, status: int) -> None:
        self.refusals.append((message, status))
        self._dropping = True

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._dropping:
            return
        piece = data[start:end]
        if self._file is None:
            if len(self._data) + len(piece) > MAX_FIELD_BYTES:
                raise UploadRefused("表单字段过长，未接收")
            self._data.extend(piece)
            return
        self._file.size += len(piece)
        if self._file.size > self._allowed:  # stop writing at the limit; the file is dropped below
            self._refuse(f"文件「{self._file.name}」超过 {self._allowed // MB} MB 的上限，未接收。", 413)
            self.upload.files.remove(self._file)
            self._dropped.append(self._file.path)
            return
        self.pending.append((self._handle, bytes(piece)))

    def _part_end(self) -> None:
        if self._file is None and not self._dropping:
            self.upload.fields.setdefault(self._field, []).append(self._data.decode("utf-8", "replace"))

    def flush(self) -> None:
        """Write what arrived (called in a worker thread, so the event loop is not held up by the disk)."""
        pending, self.pending = self.pending, []
        for handle, data in pending:
            if data and not handle.closed:
                handle.write(data)

    def close(self) -> None:
        """Write what is left and close every file; drop the files that went over their limit."""
        self.flush()
        for handle in self._opened:
            handle.close()
        for path in self._dropped:
            path.unlink(missing_ok=True)


# ---------------------------------------------------------------- .zip archives
@dataclass
class Unpacked:
    """What a .zip held: the workbooks written, and the entries left out (not .xlsx, folders' clutter)."""

    workbooks: list[Path] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its maker meant it: zips made by Windows in China name entries in GBK, unflagged."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _entry_parts(name: str, archive: str) -> tuple[str, ...]:
    """The entry's folders and file name; an absolute path or a `..` would leave the job's folder (zip slip)."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or re.match(r"^[A-Za-z]:", name) or ".." in path.parts:
        raise UploadRefused(f"压缩包「{archive}」中的「{name}」指向压缩包以外的位置，可能是恶意构造的文件；已拒绝，未解压任何文件")
    return tuple(p for p in path.parts if p not in ("", "."))


def _skipped(parts: tuple[str, ...]) -> bool:
    """Clutter that travels with folders: macOS resource forks, Office lock files, hidden files."""
    return not parts or parts[0] == "__MACOSX" or any(p.startswith((".", "~$")) for p in parts)


def unpack(archive: Path, archive_name: str, target: Path, config: WebConfig) -> Unpacked:
    """Extract the workbooks of a .zip into `target`, after checking its whole directory.

    Refused before anything is written: a file that is not a zip, too many entries, more uncompressed bytes than
    allowed, an entry inflating more than the ratio allows (a zip bomb), a workbook over the size limit, an
    encrypted entry, a link, or a path leaving the folder. Each entry is then copied through a counter, so an entry
    that inflates past what its directory record declared is cut off and refused too.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError):
        raise UploadRefused(f"「{archive_name}」不是有效的 .zip 压缩包（可能已损坏，或是 .rar/.7z 等其他格式）；"
                            "请用“发送到 → 压缩(zipped)文件夹”重新压缩") from None
    with zf:
        plan = _plan(zf, archive_name, config)
        unpacked = Unpacked(ignored=plan.ignored)
        used: set[str] = set()
        for info, parts in plan.entries:
            dest = _free_path(target, parts, used)
            _copy_entry(zf, info, dest, archive_name, config)
            unpacked.workbooks.append(dest)
    return unpacked


@dataclass
class _Plan:
    entries: list[tuple[zipfile.ZipInfo, tuple[str, ...]]]
    ignored: list[str]


def _plan(zf: zipfile.ZipFile, archive: str, config: WebConfig) -> _Plan:
    infos = zf.infolist()
    if len(infos) > config.max_zip_entries:
        raise UploadRefused(f"压缩包「{archive}」中有 {len(infos):,} 个条目，超过 {config.max_zip_entries:,} 个的上限；已拒绝")
    total = sum(i.file_size for i in infos)
    if total > config.max_unzipped_mb * MB:
        raise UploadRefused(f"压缩包「{archive}」解压后有 {total / MB:,.0f} MB，超过 {config.max_unzipped_mb} MB 的上限，"
                            "疑似压缩炸弹；已拒绝")
    plan = _Plan([], [])
    for info in infos:
        name = _entry_name(info)
        parts = _entry_parts(name, archive)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise UploadRefused(f"压缩包「{archive}」中的「{name}」是一个链接，不是文件；已拒绝")
        if info.is_dir() or _skipped(parts):
            continue
        if not parts[-1].lower().endswith(".xlsx"):
            plan.ignored.append(name)
            continue
        if info.flag_bits & 0x1:
            raise UploadRefused(f"压缩包「{archive}」中的「{name}」设了密码，无法读取；请去掉密码后重新压缩")
        if info.file_size > config.max_workbook_mb * MB:
            raise UploadRefused(f"压缩包「{archive}」中的「{name}」有 {info.file_size / MB:,.0f} MB，"
                                f"超过每本工作簿 {config.max_workbook_mb} MB 的上限；已拒绝")
        if info.file_size > MB and info.file_size > config.max_zip_ratio * max(info.compress_size, 1):
            raise UploadRefused(f"压缩包「{archive}」中的「{name}」压缩比超过 {config.max_zip_ratio}:1，疑似压缩炸弹；已拒绝")
        plan.entries.append((info, tuple(safe_name(p) for p in parts)))
    if not plan.entries:
        raise UploadRefused(f"压缩包「{archive}」中没有 .xlsx 工作簿" +
                            (f"（其中的文件：{'、'.join(plan.ignored[:5])}{'等' if len(plan.ignored) > 5 else ''}）"
                             if plan.ignored else ""))
    return plan


def _free_path(target: Path, parts: tuple[str, ...], used: set[str]) -> Path:
    """Where an entry goes below `target`; two entries whose safe names collide get (2), (3)…"""
    dest = target.joinpath(*parts)
    stem, suffix, n = dest.stem, dest.suffix, 1
    while str(dest).lower() in used or dest.exists():
        n += 1
        dest = dest.with_name(f"{stem}({n}){suffix}")
    used.add(str(dest).lower())
    if target.resolve() not in dest.resolve().parents:  # belt and braces: the names were checked above
        raise UploadRefused("压缩包中的文件路径不安全；已拒绝")
    return dest


def _copy_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, archive: str, config: WebConfig) -> None:
    limit = min(info.file_size, config.max_workbook_mb * MB)
    written = 0
    try:
        with zf.open(info) as source, atomic_write(dest) as tmp, tmp.open("wb") as out:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if written > limit:
                    raise UploadRefused(f"压缩包「{archive}」中的「{_entry_name(info)}」解压后比登记的大小更大，"
                                        "疑似恶意构造；已拒绝")
                out.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise UploadRefused(f"压缩包「{archive}」中的「{_entry_name(info)}」无法解压（{exc}）；"
                            "压缩包可能已损坏") from None


def move_into(saved: Saved, dest: Path) -> Path:
    """Give an uploaded file its place and its (safe) name."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(saved.path, dest)
    return dest

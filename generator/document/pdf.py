"""A PDF beside a generated .docx, made by LibreOffice running headless.

`soffice --headless --convert-to pdf` keeps a Word table of contents as it was saved: a 目录 whose field was never
updated (docxtpl cannot know page numbers) would come out without them. So the conversion runs a small Basic macro
instead, which loads the document, updates every index (twice: a longer 目录 can push the headings to later pages)
and the fields, then exports the PDF. The macro lives in a LibreOffice profile made afresh for each conversion
(`-env:UserInstallation`), so parallel conversions never share (and lock) one profile, and a profile marked as set up
keeps LibreOffice from replacing the macro library with its defaults on first start.

The profile also refuses what an untrusted document could ask for: document macros never run and linked resources
of documents from untrusted places are not fetched. Each conversion has a time limit (JUESUAN_PDF_SECONDS, default
180 s) after which LibreOffice and its children are stopped.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.errors import OutputError
from generator.output_files import atomic_write

PDF_SECONDS = 180
MISSING = ("未找到 LibreOffice，未生成 PDF（Word 文档已生成，可直接使用）。如需 PDF，请安装 LibreOffice（免费办公软件）后重试，"
           "或在 Word/WPS 中打开文档后“另存为 PDF”。")

# Where the Windows installer puts it; elsewhere soffice is on PATH.
_WINDOWS_PLACES = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")

_DTD = '<!DOCTYPE {root} PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{dtd}">'
_LIBRARIES = ('<?xml version="1.0" encoding="UTF-8"?>\n' + _DTD.format(root="library:libraries", dtd="libraries.dtd") +
              '\n<library:libraries xmlns:library="http://openoffice.org/2000/library" '
              'xmlns:xlink="http://www.w3.org/1999/xlink">\n'
              ' <library:library library:name="Standard" library:link="false"/>\n</library:libraries>\n')
_SCRIPT_LIBRARY = ('<?xml version="1.0" encoding="UTF-8"?>\n' + _DTD.format(root="library:library", dtd="library.dtd") +
                   '\n<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" '
                   'library:readonly="false" library:passwordprotected="false">\n'
                   ' <library:element library:name="Convert"/>\n</library:library>\n')
_DIALOG_LIBRARY = ('<?xml version="1.0" encoding="UTF-8"?>\n' + _DTD.format(root="library:library", dtd="library.dtd") +
                   '\n<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" '
                   'library:readonly="false" library:passwordprotected="false"/>\n')
# The module is XML: quotes inside the Basic source are written as &quot;.
_MACRO = """Sub ToPdf(source As String, target As String, failure As String)
  On Error GoTo Failed
  Dim load(2) As New com.sun.star.beans.PropertyValue
  load(0).Name = "Hidden"
  load(0).Value = True
  load(1).Name = "MacroExecutionMode"
  load(1).Value = com.sun.star.document.MacroExecMode.NEVER_EXECUTE
  load(2).Name = "UpdateDocMode"
  load(2).Value = com.sun.star.document.UpdateDocMode.NO_UPDATE
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, load())
  indexes = doc.getDocumentIndexes()
  For pass = 1 To 2
    For i = 0 To indexes.getCount() - 1
      indexes.getByIndex(i).update()
    Next i
  Next pass
  doc.getTextFields().refresh()
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = "FilterName"
  store(0).Value = "writer_pdf_Export"
  doc.storeToURL(ConvertToURL(target), store())
  doc.close(True)
  Exit Sub
Failed:
  Open failure For Output As #1
  Print #1, Error$
  Close #1
End Sub
"""
_MODULE = ('<?xml version="1.0" encoding="UTF-8"?>\n' + _DTD.format(root="script:module", dtd="module.dtd") +
           '\n<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Convert" '
           'script:language="StarBasic">' + _MACRO.replace('"', "&quot;") + "</script:module>\n")
# ooSetupInstCompleted: the profile counts as set up, so LibreOffice keeps our macro library instead of copying its
# presets over it. MacroSecurityLevel 3 and BlockUntrustedRefererLinks: a document's own macros and links stay inert.
_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


class PdfError(OutputError):
    """No PDF could be made (LibreOffice missing, failed or too slow); the .docx itself is unaffected."""


@dataclass(frozen=True)
class Converted:
    """One document's conversion: the PDF written, or why there is none."""

    docx: Path
    pdf: Path | None
    problem: str = ""


def soffice() -> str | None:
    """The LibreOffice program: JUESUAN_SOFFICE, else soffice/libreoffice on PATH, else the Windows install folder."""
    named = os.environ.get("JUESUAN_SOFFICE")
    if named:
        return named if Path(named).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        return next((p for p in _WINDOWS_PLACES if Path(p).is_file()), None)
    return None


def pdf_seconds() -> float:
    value = os.environ.get("JUESUAN_PDF_SECONDS", "")
    try:
        return float(value) if value else PDF_SECONDS
    except ValueError:
        raise PdfError(f"环境变量 JUESUAN_PDF_SECONDS 应为秒数，读到的是“{value}”") from None


def pdf_path(docx: Path) -> Path:
    return docx.with_suffix(".pdf")


def to_pdf(docx: str | Path, target: str | Path | None = None, seconds: float | None = None,
           workdir: Path | None = None) -> Path:
    """Convert one .docx into a PDF (by default beside it, same name); raises PdfError when none could be made.

    The profile and the working copies live in a temporary folder, inside `workdir` when given (the web page keeps
    everything of a job inside the job's folder), removed afterwards."""
    docx = Path(docx)
    target = Path(target) if target else pdf_path(docx)
    program = soffice()
    if program is None:
        raise PdfError(MISSING)
    if not docx.is_file():
        raise PdfError(f"找不到要转换的文档：{docx}")
    limit = pdf_seconds() if seconds is None else seconds
    if workdir is not None and '"' not in str(workdir):  # the folder is named in the macro's quoted arguments
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = None
    with tempfile.TemporaryDirectory(prefix="juesuan-pdf-", dir=workdir) as work:
        folder = Path(work)
        # Fixed ASCII names: the macro's arguments never carry the user's file name (quotes, brackets, spaces).
        source, made, failure = folder / "document.docx", folder / "document.pdf", folder / "failure.txt"
        shutil.copyfile(docx, source)
        profile = _profile(folder / "profile")
        call = f'macro:///Standard.Convert.ToPdf("{source}","{made}","{failure}")'
        _run([program, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
              f"-env:UserInstallation={profile.as_uri()}", call], limit, docx)
        if failure.exists():
            reason = failure.read_text(encoding="utf-8", errors="replace").strip()
            raise PdfError(f"LibreOffice 未能把「{docx.name}」转换为 PDF：{reason or '原因不明'}（Word 文档不受影响）")
        if not made.is_file() or made.stat().st_size == 0:
            raise PdfError(f"LibreOffice 没有为「{docx.name}」写出 PDF（Word 文档不受影响）")
        with atomic_write(target) as tmp:
            shutil.copyfile(made, tmp)
    return target


def to_pdfs(documents: Iterable[Path], workers: int = 2, seconds: float | None = None,
            workdir: Path | None = None) -> Iterator[Converted]:
    """Convert several documents, `workers` LibreOffice processes at a time; yields each as it is done."""
    documents = list(documents)
    if not documents:
        return
    if soffice() is None:  # said once for all, not once per document
        yield from (Converted(d, None, MISSING) for d in documents)
        return

    def one(docx: Path) -> Converted:
        try:
            return Converted(docx, to_pdf(docx, seconds=seconds, workdir=workdir))
        except OutputError as exc:
            return Converted(docx, None, str(exc))

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(documents)))) as pool:
        yield from pool.map(one, documents)


def _profile(folder: Path) -> Path:
    """A fresh LibreOffice user profile holding the conversion macro."""
    basic = folder / "user" / "basic"
    (basic / "Standard").mkdir(parents=True)
    (basic / "script.xlc").write_text(_LIBRARIES, encoding="utf-8")
    (basic / "dialog.xlc").write_text(_LIBRARIES, encoding="utf-8")
    (basic / "Standard" / "script.xlb").write_text(_SCRIPT_LIBRARY, encoding="utf-8")
    (basic / "Standard" / "dialog.xlb").write_text(_DIALOG_LIBRARY, encoding="utf-8")
    (basic / "Standard" / "Convert.xba").write_text(_MODULE, encoding="utf-8")
    (folder / "user" / "registrymodifications.xcu").write_text(_SETTINGS, encoding="utf-8")
    return folder


def _run(command: list[str], seconds: float, docx: Path) -> None:
    """Run LibreOffice; past the time limit stop it together with the processes it started."""
    windows = sys.platform == "win32"
    options = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if windows else {"start_new_session": True}
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                **options)
    except OSError as exc:
        raise PdfError(f"无法启动 LibreOffice（{command[0]}）：{exc.strerror or exc}；Word 文档不受影响") from None
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        stop_tree(proc)
        raise PdfError(f"LibreOffice 转换「{docx.name}」超过 {seconds:g} 秒仍未完成，已停止（可用环境变量 JUESUAN_PDF_SECONDS "
                       "调整）；Word 文档不受影响") from None


def stop_tree(proc: subprocess.Popen) -> None:
    """Stop a process started in its own group (session) and everything it started."""
    if proc.poll() is not None:
        return
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(proc.pid)], capture_output=True, check=False)
    else:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()

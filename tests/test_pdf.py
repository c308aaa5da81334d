"""PDF beside the .docx (`generate --pdf`, `batch --pdf`, the web page): LibreOffice headless in a profile of its own
per conversion, the 目录 updated with page numbers, a time limit, and a clear message when LibreOffice is missing."""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pypdf import PdfReader

from generator.cli import main
from generator.document.pdf import MISSING, PdfError, to_pdf, to_pdfs
from tests.conftest import LIZHOU, YIYANG

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                                       reason="LibreOffice not installed (CI installs it and runs these tests)")
HEADINGS = ("第一部分 单位概况", "第二部分 决算表", "第三部分 说明")


def _pdf_text(path: Path, pages: slice = slice(None)) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages[pages])


def _field(paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _document_with_a_toc(path: Path) -> Path:
    """A 目录 as Word keeps an unrefreshed TOC field (placeholder text, no page numbers), then three headings on
    pages 2, 3 and 5: what a template with a TOC field gives after docxtpl filled it."""
    doc = Document()
    toc = doc.add_paragraph()
    _field(toc, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = ' TOC \\o "1-3" \\h \\z \\u '
    toc.add_run()._r.append(instruction)
    _field(toc, "separate")
    toc.add_run("右键更新域以显示目录")
    _field(toc, "end")
    for i, heading in enumerate(HEADINGS):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(heading, level=1)
        for _ in range(i * 30):
            doc.add_paragraph("正文" * 20)
    doc.save(path)
    return path


@pytest.fixture
def no_libreoffice(monkeypatch, tmp_path):
    monkeypatch.setenv("JUESUAN_SOFFICE", str(tmp_path / "没有这个程序"))


# ---------------------------------------------------------------- without LibreOffice
def test_missing_libreoffice_is_said_in_chinese(no_libreoffice, tmp_path):
    docx = _document_with_a_toc(tmp_path / "a.docx")
    with pytest.raises(PdfError, match="未找到 LibreOffice"):
        to_pdf(docx)
    assert [c.problem for c in to_pdfs([docx, docx])] == [MISSING, MISSING]
    assert not (tmp_path / "a.pdf").exists()


def test_generate_pdf_without_libreoffice_still_delivers_the_docx(no_libreoffice, tmp_path, capsys):
    assert main(["generate", str(LIZHOU), "--output", str(tmp_path), "--pdf"]) == 1
    captured = capsys.readouterr()
    assert "已生成：" in captured.out and "未找到 LibreOffice" in captured.err and "Word 文档已生成" in captured.err
    assert len(list(tmp_path.glob("*.docx"))) == 1 and not list(tmp_path.glob("*.pdf"))


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script stands in for LibreOffice")
def test_a_conversion_past_its_time_limit_is_stopped_with_what_it_started(monkeypatch, tmp_path):
    pids = tmp_path / "pids"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! >> {pids}\necho $$ >> {pids}\nwait\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("JUESUAN_SOFFICE", str(fake))
    started = time.monotonic()
    with pytest.raises(PdfError, match="超过 1 秒仍未完成"):
        to_pdf(_document_with_a_toc(tmp_path / "a.docx"), seconds=1)
    assert time.monotonic() - started < 15
    assert not [pid for pid in map(int, pids.read_text().split()) if _running(pid)]
    assert not (tmp_path / "a.pdf").exists()


def _running(pid: int) -> bool:
    """Alive and not a zombie (a killed grandchild waits for init to reap it; it runs no more)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")


# ---------------------------------------------------------------- with LibreOffice
@pytest.mark.slow
@needs_libreoffice
def test_the_table_of_contents_gets_page_numbers_in_parallel_conversions(tmp_path):
    docs = [_document_with_a_toc(tmp_path / f"目录 {i}（副本）.docx") for i in range(3)]
    converted = list(to_pdfs(docs, workers=3))
    assert [c.problem for c in converted] == ["", "", ""]
    for c in converted:
        assert c.pdf == c.docx.with_suffix(".pdf")
        contents = _pdf_text(c.pdf, slice(0, 1))
        assert "右键更新域" not in contents
        numbers = [re.search(rf"{h}[.\s…]*(\d+)", contents) for h in HEADINGS]
        assert all(numbers), contents
        assert [int(m.group(1)) for m in numbers] == [2, 3, 5]
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.slow
@needs_libreoffice
def test_generate_pdf_writes_the_pdf_beside_the_document(tmp_path, capsys):
    assert main(["generate", str(LIZHOU), "--output", str(tmp_path), "--pdf"]) == 0
    (docx,) = tmp_path.glob("*.docx")
    pdf = docx.with_suffix(".pdf")
    assert f"已生成 PDF：{pdf}" in capsys.readouterr().out
    text = _pdf_text(pdf)
    assert "广元市利州区行政审批局" in text and len(PdfReader(pdf).pages) >= 10


@pytest.mark.slow
@needs_libreoffice
def test_batch_pdf_converts_after_the_run_and_keeps_pdfs_of_unchanged_documents(tmp_path, capsys):
    folder = tmp_path / "部门"
    folder.mkdir()
    for book in (YIYANG, YIYANG.parent / "益阳市政务服务热线中心_2020.xlsx"):
        shutil.copy(book, folder / book.name)
    out = tmp_path / "out"
    assert main(["batch", str(folder), "--output", str(out), "--jobs", "2", "--pdf"]) == 0
    docs = sorted(out.glob("*.docx"))
    assert len(docs) == 3 and all(d.with_suffix(".pdf").is_file() for d in docs)
    assert "PDF：新生成 3，沿用 0，未能生成 0。" in capsys.readouterr().out
    stamps = {d: d.with_suffix(".pdf").stat().st_mtime_ns for d in docs}
    assert main(["batch", str(folder), "--output", str(out), "--jobs", "2", "--pdf"]) == 0
    assert "PDF：新生成 0，沿用 3，未能生成 0。" in capsys.readouterr().out
    assert {d: d.with_suffix(".pdf").stat().st_mtime_ns for d in docs} == stamps

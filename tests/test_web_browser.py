"""The web page in a real browser: Debian's Chromium driven by Playwright (no browser is downloaded), against the
server started here on 127.0.0.1 and a free port. Upload a workbook and read its findings, download and open the
.docx, run a department's .zip with its live progress, see a bad upload's message, and use the page by keyboard.

Screenshots (1280×800 and 420 wide) are taken of every page visited; set JUESUAN_SCREENSHOTS=FOLDER to keep them
(docs/web.png is one of them).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document

from generator.document.render import document_text
from tests.conftest import LIZHOU, YIYANG
from tests.test_checks import edited

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not installed (apt-get install chromium)")]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
WIDE, NARROW = {"width": 1280, "height": 800}, {"width": 420, "height": 800}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from generator.web.app import create_app
    from generator.web.config import WebConfig

    port = _free_port()
    data = tmp_path_factory.mktemp("web-data")
    app = create_app(WebConfig(data=data, batch_processes=2, allowed_hosts=("127.0.0.1", "localhost")))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=WIDE, locale="zh-CN", accept_downloads=True)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def shots(tmp_path):
    """Screenshot the page at both widths; check the narrow one needs no sideways scrolling."""
    keep = os.environ.get("JUESUAN_SCREENSHOTS")

    def take(page, name: str) -> None:
        for size, suffix in ((WIDE, ""), (NARROW, "-narrow")):
            page.set_viewport_size(size)
            path = tmp_path / f"{name}{suffix}.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 10_000
            if keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                shutil.copy(path, Path(keep) / path.name)
            if size is NARROW:
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{name}: {overflow}px wider than a 420px window"
        page.set_viewport_size(WIDE)

    return take


def _cells(row) -> list[str]:
    return [" ".join(td.inner_text().split()) for td in row.query_selector_all("td")]


def test_upload_read_findings_and_open_the_draft(server, page, shots, tmp_path):
    book, cells = edited(tmp_path, [("收支总表", "本年支出合计", "本年数", 5066900)], name="利州区_有错误.xlsx")
    page.goto(server + "/")
    page.get_by_label("填好的工作簿").set_input_files(str(book))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_selector("table.findings")
    assert page.locator("h1").inner_text().startswith("广元市利州区行政审批局")
    rows = [_cells(r) for r in page.query_selector_all("table.findings tbody tr")]
    sheet, cell = cells[0].split("!")
    errors = [r for r in rows if r[0] == "错误"]
    assert errors and any(sheet in r[1] and cell in r[2] for r in errors), rows
    assert "共发现：错误" in page.locator("#check-summary").inner_text()
    shots(page, "unit-findings")
    assert page.get_by_label("数据有错误时生成草稿").is_checked()
    page.get_by_role("button", name="生成草稿").click()
    link = page.locator("#documents a[href$='.docx']")
    link.wait_for(timeout=180_000)
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert "（草稿）" in saved.name
    text = document_text(Document(str(saved)))
    assert "广元市利州区行政审批局" in text
    shots(page, "unit-documents")


def _department_zip(tmp_path: Path) -> Path:
    archive = tmp_path / "益阳市行政审批服务局.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for book in sorted(YIYANG.parent.glob("*.xlsx")):
            zf.write(book, f"{YIYANG.parent.name}/{book.name}")
    return archive


def test_department_zip_shows_progress_then_results(server, page, shots, tmp_path):
    page.goto(server + "/department")
    page.get_by_label("文件夹的 .zip 压缩包，或多本 .xlsx 工作簿").set_input_files(str(_department_zip(tmp_path)))
    page.get_by_label("同时生成 PDF").uncheck()
    page.get_by_role("button", name="上传并开始生成").click()
    page.wait_for_selector("#progress-counts", timeout=30_000)
    counts = {k: page.locator(f"#progress-counts [data-count='{k}']").inner_text() for k in ("done", "failed", "remaining")}
    assert counts["failed"] == "0", counts
    shots(page, "department-progress")
    url = page.url
    page.wait_for_selector("#results", timeout=240_000)  # swapped in by htmx's polling: no reload
    assert page.url == url
    rows = [_cells(r) for r in page.query_selector_all("#results tbody tr")]
    assert len(rows) == 5 and {r[0] for r in rows} == {"已生成"}
    assert "新生成 5，未变化 0，失败 0" in page.locator("#batch-summary").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载全部文件（.zip）").click()
    names = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())).namelist()
    assert "批量生成汇总.xlsx" in names
    shots(page, "department-results")


def test_a_bad_upload_gets_its_message(server, page, shots, tmp_path):
    wrong = tmp_path / "决算说明.docx"
    wrong.write_bytes(b"PK\x03\x04 not a workbook")
    page.goto(server + "/")
    page.get_by_label("填好的工作簿").set_input_files(str(wrong))
    with page.expect_response(lambda r: r.url.endswith("/unit")) as answer:
        page.get_by_role("button", name="上传并检查").click()
    assert answer.value.status == 400
    alert = page.get_by_role("alert")
    assert "不是 .xlsx 工作簿" in alert.inner_text() and "决算说明.docx" in alert.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary", "the message takes the focus"
    shots(page, "bad-upload")


def test_the_page_works_by_keyboard(server, page):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    reached, outline = [], {}
    for _ in range(15):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement; if (e === document.body) return null;
            const s = getComputedStyle(e); return [e.id || e.textContent.trim(), s.outlineStyle, s.boxShadow]; }""")
        if focused is None:  # past the last control: the browser's own UI would come next
            break
        reached.append(focused[0])
        outline[focused[0]] = focused[1] != "none" or focused[2] != "none"
    assert "workbook" in reached and "上传并检查" in reached, reached
    assert all(outline.values()), f"focus not visible on: {[k for k, v in outline.items() if not v]}"
    page.get_by_role("link", name="部门批量").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/department")
    assert page.get_by_role("heading", level=1).inner_text() == "部门批量"


def test_a_clean_workbook_and_the_templates_page(server, page, shots):
    page.goto(server + "/")
    page.get_by_label("填好的工作簿").set_input_files(str(LIZHOU))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_selector("#generate-title")
    assert page.get_by_label("部门决算公开（四川样式）").is_checked()
    shots(page, "unit-checked")
    page.goto(server + "/templates")
    assert page.locator("table tbody tr").count() >= 5
    shots(page, "templates")

"""The web page (`juesuan serve`) through FastAPI's TestClient: what a finance officer sees and downloads, and what
a bad or hostile upload gets (a Chinese message, a 4xx status, nothing written outside the job's folder)."""

from __future__ import annotations

import ast
import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from fastapi.testclient import TestClient
from lxml import html

from generator.checks.findings_table import summary as findings_summary
from generator.checks.rules import run_checks
from generator.cli import main
from generator.document.render import document_text
from generator.document.templates import shipped
from generator.vocabulary import ERROR
from generator.web.app import create_app
from generator.web.config import MB, WebConfig
from generator.web.store import DONE, FAILED, QUEUED, Store
from generator.workbook.reader import read_workbook
from tests.conftest import LIZHOU, ROOT, YIYANG
from tests.test_checks import edited

DEPARTMENT = YIYANG.parent


def _config(data: Path, **kw) -> WebConfig:
    limits = dict(max_workbook_mb=2, max_zip_mb=4, max_template_mb=2, max_unzipped_mb=10, max_zip_entries=50,
                  batch_processes=2)
    return WebConfig(data=data, **{**limits, **kw})


@pytest.fixture
def app(tmp_path):
    return create_app(_config(tmp_path / "data"))


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


def _upload(client: TestClient, path: Path, name: str | None = None, follow: bool = False):
    return client.post("/unit", files={"workbook": (name or path.name, path.read_bytes())}, follow_redirects=follow)


def _job_url(response) -> str:
    assert response.status_code == 303, response.text[:500]
    return response.headers["location"]


def _page(response):
    return html.fromstring(response.text)


def _text(node) -> str:
    return re.sub(r"\s+", " ", node.text_content()).strip()


def _wait(client: TestClient, job_url: str, seconds: float = 240) -> html.HtmlElement:
    """Poll the job's status fragment as the page does, until it stops asking to be polled."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = client.get(job_url + "/status")
        assert response.status_code == 200
        fragment = _page(response)
        if not fragment.xpath("//*[@hx-trigger]"):
            return fragment
        time.sleep(0.5)
    raise AssertionError(f"{job_url} still running after {seconds} s")


def _jobs_on_disk(app) -> list[Path]:
    return list(app.state.store.sessions.glob("*/jobs/*"))


# ---------------------------------------------------------------- pages and what they load
def test_pages_are_chinese_and_load_nothing_from_elsewhere(client):
    for path in ("/", "/department", "/templates", "/blank", "/jobs"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = _page(response)
        assert page.get("lang") == "zh-CN"
        assets = page.xpath("//script/@src | //link/@href | //img/@src")
        assert assets and all(a.startswith("/static/") for a in assets), assets
        assert "default-src 'self'" in response.headers["content-security-policy"]
        for label in page.xpath("//input[@type!='hidden']/@id"):  # every input has a label or a describing hint
            assert page.xpath(f"//label[@for='{label}']"), f"{path}: input #{label} has no label"
    htmx = client.get("/static/htmx.min.js")
    assert htmx.status_code == 200 and b"htmx" in htmx.content[:200]


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "找不到这个页面" in response.text


# ---------------------------------------------------------------- one unit: upload → findings → layouts
def test_clean_workbook_is_checked_and_every_layout_is_offered(client):
    page = _page(client.get(_job_url(_upload(client, LIZHOU))))
    assert "广元市利州区行政审批局" in _text(page.xpath("//h1")[0])
    assert "检查结果" in page.text_content()
    offered = {_text(n) for n in page.xpath("//fieldset//span[@class='choice-title']")}
    assert {s.title for s in shipped()} <= offered
    checked = page.xpath("//input[@name='layout'][@checked]/@value")
    assert checked == ["s:sichuan_juesuan"]  # the CLI's default layout


def test_findings_table_shows_what_the_cli_shows(client, tmp_path):
    path, cells = edited(tmp_path, [("收支总表", "本年支出合计", "本年数", 5066900)], name="有错误的工作簿.xlsx")
    expected = run_checks(read_workbook(path))
    page = _page(client.get(_job_url(_upload(client, path))))
    rows = page.xpath("//table[contains(@class,'findings')]/tbody/tr")
    assert len(rows) == len(expected)
    shown = [[_text(td) for td in row.xpath("./td")][:5] for row in rows]
    for f in expected:
        match = [r for r in shown if f.message in r[4]]
        assert match, f"finding not shown: {f.message}"
        severity, sheets, places, values, _ = match[0]
        assert severity == f.severity.label
        for i in (i for i in f.cells if i.where.cell):
            blank = i.value in ("", "None")  # a blank cell: the checks write str(None), the page （空）
            assert i.where.sheet in sheets and i.where.cell in places and ("（空）" if blank else i.value) in values
    sheet, cell = cells[0].split("!")
    assert any(sheet in r[1] and cell in r[2] for r in shown), "the edited cell is named"
    assert "None" not in page.text_content()
    summary = _text(page.xpath("//*[@id='check-summary']")[0])
    assert summary == findings_summary(expected)  # the line `juesuan check` ends with
    assert page.xpath("//input[@id='force'][@checked]"), "a workbook with errors offers a draft"


@pytest.mark.slow
def test_generate_download_and_open_the_documents(client):
    job = _job_url(_upload(client, LIZHOU))
    response = client.post(job + "/generate", data={"layout": ["s:sichuan_juesuan", "s:chongqing_juesuan"]},
                           follow_redirects=False)
    assert response.status_code == 303
    fragment = _wait(client, job)
    links = fragment.xpath("//table[@id='documents']//a/@href")
    assert len(links) == 2
    texts = []
    for link in links:
        download = client.get(link)
        assert download.status_code == 200
        assert "attachment" in download.headers["content-disposition"]
        texts.append(document_text(Document(io.BytesIO(download.content))))
    assert all("广元市利州区行政审批局" in t for t in texts)
    bundle = zipfile.ZipFile(io.BytesIO(client.get(job + "/all.zip").content))
    assert sorted(n for n in bundle.namelist() if n.endswith(".docx")) == sorted(
        Path(link).name for link in (_unquote(x) for x in links))


@pytest.mark.slow
def test_the_public_tables_as_excel_beside_the_document(client):
    job = _job_url(_upload(client, LIZHOU))
    assert "同时生成公开表 Excel 文件" in client.get(job).text
    client.post(job + "/generate", data={"layout": "s:sichuan_juesuan", "tables": "1"})
    fragment = _wait(client, job)
    (link,) = fragment.xpath("//table[@id='documents']//a[contains(@href,'.xlsx')]/@href")
    assert _unquote(link).endswith("_公开表.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(client.get(link).content))
    assert wb.sheetnames == [f"公开{n:02d}表" for n in range(1, 10)]
    bundle = zipfile.ZipFile(io.BytesIO(client.get(job + "/all.zip").content))
    assert any(n.endswith("_公开表.xlsx") for n in bundle.namelist())


@pytest.mark.slow
@pytest.mark.parametrize("libreoffice", [True, False], ids=["with-libreoffice", "without-libreoffice"])
def test_pdf_beside_the_document_or_a_clear_message(client, monkeypatch, tmp_path, libreoffice):
    if libreoffice and shutil.which("soffice") is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice not installed (CI installs it)")
    if not libreoffice:
        monkeypatch.setenv("JUESUAN_SOFFICE", str(tmp_path / "没有这个程序"))  # the worker process inherits it
    job = _job_url(_upload(client, LIZHOU))
    offered = _page(client.get(job)).xpath("//input[@id='pdf']")[0]
    assert (offered.get("disabled") is None) == libreoffice
    client.post(job + "/generate", data={"layout": "s:sichuan_juesuan", "pdf": "1"})
    row = _wait(client, job).xpath("//table[@id='documents']/tbody/tr")[0]
    (docx,) = row.xpath(".//a[contains(@href,'.docx')]/@href")
    assert client.get(docx).status_code == 200, "the .docx is delivered either way"
    pdfs = row.xpath(".//a[contains(@href,'.pdf')]/@href")
    if libreoffice:
        assert len(pdfs) == 1 and client.get(pdfs[0]).content.startswith(b"%PDF")
        (folder,) = _jobs_on_disk(client.app)
        assert (folder / "work").is_dir() and not list((folder / "work").iterdir()), "LibreOffice worked in the job"
    else:
        assert not pdfs and "未找到 LibreOffice" in _text(row) and "Word 文档已生成" in _text(row)


def _unquote(url: str) -> str:
    from urllib.parse import unquote

    return unquote(url)


@pytest.mark.slow
def test_errors_give_a_draft_only_when_asked(client, tmp_path):
    path, _ = edited(tmp_path, [("收支总表", "本年支出合计", "本年数", 5066900)])
    errors = sum(f.severity == ERROR for f in run_checks(read_workbook(path)))
    job = _job_url(_upload(client, path))
    client.post(job + "/generate", data={"layout": "s:sichuan_juesuan"})
    row = _text(_wait(client, job).xpath("//table[@id='documents']/tbody/tr")[0])
    assert "失败" in row and f"数据有 {errors} 项错误，未生成" in row
    client.post(job + "/generate", data={"layout": "s:sichuan_juesuan", "force": "1"})
    fragment = _wait(client, job)
    assert "草稿" in _text(fragment.xpath("//table[@id='documents']/tbody/tr")[0])
    (link,) = fragment.xpath("//table[@id='documents']//a[contains(@href,'.docx')]/@href")
    assert "（草稿）" in _unquote(link)
    doc = Document(io.BytesIO(client.get(link).content))
    assert all("草稿" in s.header.paragraphs[0].text for s in doc.sections)


def test_what_a_workbook_says_is_shown_as_text_never_as_markup(client, tmp_path):
    path, _ = edited(tmp_path, [("基本信息", "单位名称", "内容", '<script>alert("x")</script>局')])
    response = client.get(_job_url(_upload(client, path)))
    assert '<script>alert("x")</script>局' in _text(_page(response).xpath("//h1")[0])
    assert "<script>alert" not in response.text


def test_an_unknown_layout_is_refused(client):
    job = _job_url(_upload(client, LIZHOU))
    response = client.post(job + "/generate", data={"layout": "s:no_such_layout"})
    assert response.status_code == 400 and "所选的版式不存在" in response.text


# ---------------------------------------------------------------- bad input: message, 4xx, nothing kept
@pytest.mark.parametrize(("name", "content", "status", "message"), [
    ("说明.txt", b"hello", 400, "不是 .xlsx 工作簿"),
    ("旧表.xls", b"\xd0\xcf\x11\xe0 old excel", 400, "另存为"),
    ("假的.xlsx", b"<html>not a workbook</html>", 400, "假的.xlsx"),
    ("很大.xlsx", b"PK" + b"\0" * (3 * MB), 413, "超过 2 MB"),
])
def test_bad_workbook_uploads_are_refused_with_a_message(app, client, name, content, status, message):
    response = client.post("/unit", files={"workbook": (name, content)})
    assert response.status_code == status
    alert = _text(_page(response).xpath("//*[@role='alert']")[0])
    assert message in alert
    assert _jobs_on_disk(app) == [], "a refused upload leaves no job behind"
    assert not list(app.state.store.sessions.rglob("*.upload")), "nor any part of the file"


def test_an_empty_form_is_refused(client):
    response = client.post("/unit", files={"workbook": ("", b"")})
    assert response.status_code == 400 and "请先选择" in response.text


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _symlink_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        info = zipfile.ZipInfo("link.xlsx")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
    return buffer.getvalue()


BOOK = LIZHOU.read_bytes()


@pytest.mark.parametrize(("archive", "message"), [
    (_zip({"../逃出去.xlsx": BOOK}), "指向压缩包以外的位置"),
    (_zip({"/etc/cron.d/x.xlsx": BOOK}), "指向压缩包以外的位置"),
    (_zip({"C:\\Windows\\x.xlsx": BOOK}), "指向压缩包以外的位置"),
    (_zip({"炸弹.xlsx": b"\0" * (int(1.5 * MB))}), "压缩比超过 100:1"),
    (_zip({f"{i}.xlsx": b"x" for i in range(60)}), "超过 50 个的上限"),
    (_zip({f"{i}.xlsx": b"\0" * (int(1.9 * MB)) for i in range(6)}), "超过 10 MB 的上限"),
    (_zip({"大.xlsx": os.urandom(3 * MB)}, zipfile.ZIP_STORED), "超过每本工作簿 2 MB 的上限"),
    (_zip({"大.xlsx": os.urandom(int(4.5 * MB))}, zipfile.ZIP_STORED), "文件「单位.zip」超过 4 MB 的上限"),
    (_symlink_zip(), "是一个链接"),
    (b"Rar!\x1a\x07\x00 not a zip", "不是有效的 .zip"),
    (_zip({"说明.docx": b"x"}), "没有 .xlsx 工作簿"),
])
def test_hostile_zips_are_refused_before_anything_is_extracted(app, client, tmp_path, archive, message):
    response = client.post("/department", files={"files": ("单位.zip", archive)}, data={"layout": "s:sichuan_juesuan"})
    assert 400 <= response.status_code < 500
    assert message in _text(_page(response).xpath("//*[@role='alert']")[0])
    assert _jobs_on_disk(app) == []
    assert not list(tmp_path.rglob("逃出去.xlsx")) and not list(tmp_path.rglob("*.xlsx"))


def test_a_zip_with_gbk_names_and_clutter_is_unpacked_by_unit(app, tmp_path):
    """Windows' own zips name entries in GBK without saying so; __MACOSX and lock files are left out."""
    from generator.web.uploads import unpack

    class GbkName(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):  # what Windows' "send to compressed folder" writes: GBK, no UTF-8 flag
            return self.filename.encode("gbk"), self.flag_bits

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(GbkName("部门/本级.xlsx"), BOOK)
        zf.writestr("__MACOSX/._本级.xlsx", b"junk")
        zf.writestr("部门/~$本级.xlsx", b"lock")
        zf.writestr("部门/说明.docx", b"doc")
    archive = tmp_path / "a.zip"
    archive.write_bytes(buffer.getvalue())
    unpacked = unpack(archive, "a.zip", tmp_path / "out", app.state.config)
    assert [p.relative_to(tmp_path / "out").as_posix() for p in unpacked.workbooks] == ["部门/本级.xlsx"]
    assert unpacked.ignored == ["部门/说明.docx"]
    assert (tmp_path / "out" / "部门" / "本级.xlsx").read_bytes() == BOOK


def test_a_template_that_fails_the_sandbox_is_refused(app, client, tmp_path):
    doc = Document()
    doc.add_paragraph("{{ unit.__class__.__mro__ }}")
    path = tmp_path / "坏模板.docx"
    doc.save(path)
    response = client.post("/templates", files={"template": (path.name, path.read_bytes())})
    assert response.status_code == 422
    page = _page(response)
    assert "不能使用" in _text(page.xpath("//*[@role='alert']")[0])
    assert any("__class__" in _text(td) for td in page.xpath("//table//td"))
    assert app.state.store.templates(next(iter(_sessions(app)), "")) == []


def _sessions(app) -> list[str]:
    return [p.name for p in app.state.store.sessions.iterdir()]


@pytest.mark.parametrize(("field", "name", "message"), [
    ("template", "模板.doc", "不是 .docx 模板"),
    ("settings", "设置.txt", "不是 .toml"),
])
def test_wrong_template_files_are_refused(client, field, name, message):
    files = {field: (name, b"x")}
    if field == "settings":
        files["template"] = ("a.docx", (ROOT / "templates" / "sichuan_juesuan.docx").read_bytes())
    response = client.post("/templates", files=files)
    assert response.status_code == 400 and message in response.text


def test_a_form_from_another_site_is_refused(app, client):
    response = client.post("/unit", files={"workbook": (LIZHOU.name, BOOK)}, headers={"sec-fetch-site": "cross-site"})
    assert response.status_code == 403 and "不是从本工具的页面提交的" in response.text
    response = client.post("/unit", files={"workbook": (LIZHOU.name, BOOK)}, headers={"origin": "http://evil.example"})
    assert response.status_code == 403
    assert _jobs_on_disk(app) == []


# ---------------------------------------------------------------- sessions: one browser's jobs are its own
def test_another_browsers_job_is_not_found(app, client):
    job = _job_url(_upload(client, LIZHOU))
    stranger = TestClient(app)
    for url in (job, job + "/status", job + "/all.zip", job + "/files/x.docx"):
        response = stranger.get(url)
        assert response.status_code == 404 and "找不到" in response.text, url
    assert stranger.post(job + "/generate", data={"layout": "s:sichuan_juesuan"}).status_code == 404
    assert "广元市利州区行政审批局" not in stranger.get("/jobs").text
    assert "广元市利州区行政审批局" in client.get("/jobs").text
    cookie = client.cookies.get("juesuan_session")
    assert cookie and "sid" not in cookie, "the session cookie is signed, not readable"


@pytest.mark.parametrize("url", ["/jobs/..%2F..%2Fsecret.key", "/jobs/0123/status", "/jobs/%2e%2e/files/x"])
def test_malformed_job_ids_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_downloads_stay_inside_the_jobs_output(client):
    job = _job_url(_upload(client, LIZHOU))
    for name in ("..%2Fjob.json", "../job.json", "..%2F..%2F..%2F..%2Fsecret.key", ".juesuan%2Fmanifest.jsonl"):
        response = client.get(f"{job}/files/{name}")
        assert response.status_code == 404, name


def test_session_cookie_is_httponly_and_signed(client):
    header = client.get("/").headers["set-cookie"]
    assert "httponly" in header.lower() and "samesite=lax" in header.lower()


# ---------------------------------------------------------------- jobs on disk
def test_jobs_survive_a_restart(tmp_path):
    data = tmp_path / "data"
    with TestClient(create_app(_config(data))) as first:
        job = _job_url(_upload(first, LIZHOU))
        cookies = dict(first.cookies)
    with TestClient(create_app(_config(data)), cookies=cookies) as second:
        response = second.get(job)
        assert response.status_code == 200 and "广元市利州区行政审批局" in response.text


def test_old_jobs_are_removed_and_running_ones_kept(app, client):
    _job_url(_upload(client, LIZHOU))
    _job_url(_upload(client, LIZHOU))
    store: Store = app.state.store
    old, busy = store.every_job()
    busy.set_state(QUEUED)
    long_ago = time.time() - 10 * 86400
    for job in (old, busy):
        for name in ("state.json", "job.json"):
            os.utime(job.folder / name, (long_ago, long_ago))
    assert store.expire(keep_days=7) == 1
    assert not old.folder.exists() and busy.folder.exists()


@pytest.mark.slow
def test_a_job_queued_when_the_server_stopped_runs_when_it_starts_again(tmp_path):
    data = tmp_path / "data"
    app = create_app(_config(data))
    with TestClient(app) as first:
        job_url = _job_url(_upload(first, LIZHOU))
        cookies = dict(first.cookies)
    job = next(app.state.store.every_job())
    job.set_request({"templates": [{"ref": "sichuan_juesuan", "title": "四川"}], "pdf": False, "force": False})
    job.set_state(QUEUED)  # as a server stopped mid-queue leaves it
    with TestClient(create_app(_config(data)), cookies=cookies) as second:
        fragment = _wait(second, job_url)
        assert job.status == DONE
        assert fragment.xpath("//table[@id='documents']//a[contains(@href,'.docx')]")


# ---------------------------------------------------------------- a department
def _folder_zip(folder: Path) -> bytes:
    return _zip({f"{folder.name}/{p.name}": p.read_bytes() for p in sorted(folder.glob("*.xlsx"))})


def _set(path: Path, sheet: str, row_label: str, column: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    col = next(c.column_letter for c in ws[2] if c.value == column)
    row = next(c.row for c in ws["A"] if c.value is not None and str(c.value).removesuffix("（必填）") == row_label)
    ws[f"{col}{row}"] = value
    wb.save(path)

def test_a_finished_run_never_marks_the_next_run_of_its_job_failed(app, client, monkeypatch):
    """The race CI once met: run 1's worker writes 'done' and the officer presses 生成 again before the thread that
    waited for run 1 has looked at the state; that thread must leave run 2's 'queued' alone. A worker that dies
    without a word is still reported, for its own run."""
    from generator.web.scheduler import Scheduler

    _job_url(_upload(client, LIZHOU))
    job = next(app.state.store.every_job())
    scheduler = Scheduler(app.state.store)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    monkeypatch.setattr(scheduler, "_launch", lambda job: gone)
    job.set_state(QUEUED, run="run-2")  # the next run, queued while run 1's worker was exiting
    scheduler._run(job, "run-1")
    assert job.state == {**job.state, "status": QUEUED, "run": "run-2"}
    scheduler._run(job, "run-2")  # run 2's own worker exits without writing its end
    assert job.status == FAILED and "意外退出" in job.state["message"]



@pytest.mark.slow
def test_department_zip_results_download_and_a_correction(client, tmp_path):
    response = client.post("/department", files={"files": ("益阳.zip", _folder_zip(DEPARTMENT))},
                           data={"layout": "s:sichuan_juesuan", "tables": "1"}, follow_redirects=False)
    job = _job_url(response)
    first = client.get(job)
    assert first.status_code == 200 and "4 本工作簿" in first.text
    fragment = _wait(client, job)
    rows = [[_text(td) for td in tr.xpath("./td")] for tr in fragment.xpath("//table[@id='results']/tbody/tr")]
    assert len(rows) == 5 and {r[0] for r in rows} == {"已生成"}
    assert any(r[1] == "益阳市行政审批服务局（部门汇总）" for r in rows)
    assert "共 5 份：新生成 5，未变化 0，失败 0。" in _text(fragment.xpath("//*[@id='batch-summary']")[0])
    bundle = zipfile.ZipFile(io.BytesIO(client.get(job + "/all.zip").content))
    names = bundle.namelist()
    assert "批量生成汇总.xlsx" in names and sum(n.endswith(".docx") for n in names) == 5
    assert sum(n.endswith("_公开表.xlsx") for n in names) == 5  # asked for: each document's 公开表 beside it
    assert len(fragment.xpath("//table[@id='results']//a[text()='公开表']")) == 5
    assert not any(n.startswith(".") for n in names), "the batch's own state stays out of the download"

    corrected = tmp_path / "改正后.xlsx"  # another file name: found by its unit code and year
    shutil.copy(DEPARTMENT / "益阳市智慧城市和大数据中心_2020.xlsx", corrected)
    _set(corrected, "其他事项", "国内公务接待批次", "本年数", 5)
    response = client.post(job + "/add", files={"files": (corrected.name, corrected.read_bytes())}, follow_redirects=False)
    assert response.status_code == 303
    fragment = _wait(client, job)
    rows = {_text(tr.xpath("./td")[1]): tr for tr in fragment.xpath("//table[@id='results']/tbody/tr")}
    statuses = {unit: _text(tr.xpath("./td")[0]) for unit, tr in rows.items()}
    assert statuses == {"益阳市智慧城市和大数据中心": "已生成", "益阳市行政审批服务局（部门汇总）": "已生成",
                        "益阳市行政审批服务局": "未变化", "益阳市政务大厅服务中心": "未变化", "益阳市政务服务热线中心": "未变化"}
    changes = [_text(li) for li in rows["益阳市智慧城市和大数据中心"].xpath(".//ul[@class='change-list']/li")]
    assert any("2 → 5" in c for c in changes) and any("全年国内公务接待5批次" in c for c in changes)
    assert "替换了" in _text(fragment.xpath("//details[@class='placed']")[0])
    assert "1 处有变化" in _text(rows["益阳市智慧城市和大数据中心"]) or "处有变化，见 _变更.txt" in _text(
        rows["益阳市智慧城市和大数据中心"])


def test_department_refuses_other_files(client):
    response = client.post("/department", files={"files": ("说明.pdf", b"%PDF")}, data={"layout": "s:sichuan_juesuan"})
    assert response.status_code == 400 and "既不是 .zip 压缩包也不是 .xlsx 工作簿" in response.text


# ---------------------------------------------------------------- templates, blank workbook
def test_shipped_layouts_are_listed_with_their_descriptions(client):
    page = client.get("/templates").text
    for spec in shipped():
        assert spec.title in page and spec.description in page
    download = client.get("/templates/shipped/sichuan_juesuan.docx")
    assert download.status_code == 200 and download.content == (ROOT / "templates" / "sichuan_juesuan.docx").read_bytes()
    assert client.get("/templates/shipped/..%2Fpyproject.toml").status_code == 404


def test_an_uploaded_template_is_checked_and_offered_to_its_session_only(app, client):
    source = ROOT / "templates" / "sichuan_juesuan.docx"
    response = client.post("/templates", files={"template": ("我们的版式.docx", source.read_bytes())}, follow_redirects=False)
    assert response.status_code == 303
    page = client.get("/templates").text
    assert "我们的版式.docx" in page and "可以使用" in page
    unit = client.get(_job_url(_upload(client, LIZHOU))).text
    assert "自己的模板" in unit
    stranger = TestClient(app)
    assert "我们的版式.docx" not in stranger.get("/templates").text


def test_blank_workbook_for_a_year(client):
    response = client.get("/blank.xlsx", params={"year": "2023"})
    assert response.status_code == 200
    assert "2023" in response.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "基本信息" in wb.sheetnames
    assert any(c.value == 2023 for row in wb["基本信息"].iter_rows() for c in row)
    bad = client.get("/blank.xlsx", params={"year": "12"})
    assert bad.status_code == 400 and "2000 到 2100" in bad.text


# ---------------------------------------------------------------- password
def test_a_password_protects_every_page(tmp_path):
    with TestClient(create_app(_config(tmp_path / "data", password="办公室口令"))) as c:
        response = c.get("/jobs", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        assert c.post("/unit", files={"workbook": (LIZHOU.name, BOOK)}, follow_redirects=False).status_code == 303
        wrong = c.post("/login", data={"password": "猜的", "next": "/jobs"})
        assert wrong.status_code == 401 and "密码不正确" in wrong.text
        right = c.post("/login", data={"password": "办公室口令", "next": "/jobs"}, follow_redirects=False)
        assert right.status_code == 303 and right.headers["location"] == "/jobs"
        assert c.get("/jobs").status_code == 200
        assert c.post("/login", data={"password": "x", "next": "//evil.example"}).status_code == 401


def test_repeated_wrong_passwords_are_slowed_down(tmp_path):
    with TestClient(create_app(_config(tmp_path / "data", password="口令"))) as c:
        codes = [c.post("/login", data={"password": f"错{i}"}).status_code for i in range(6)]
        assert codes == [401] * 5 + [429]
        assert c.post("/login", data={"password": "口令"}).status_code == 429


# ---------------------------------------------------------------- `juesuan serve`
def test_serve_refuses_the_network_without_a_password(capsys, monkeypatch):
    monkeypatch.delenv("JUESUAN_WEB_PASSWORD", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--no-browser"]) == 2
    assert "必须设置访问密码" in capsys.readouterr().err


def test_serve_without_the_extra_says_how_to_install_it(capsys, monkeypatch):
    for name in [m for m in sys.modules if m == "fastapi" or m.startswith(("fastapi.", "generator.web"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "fastapi", None)  # as if FastAPI were not installed
    assert main(["serve", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "网页界面需要另外安装的组件" in err and ".[web]" in err


def test_only_the_cli_imports_the_web_package_and_only_lazily():
    package = ROOT / "generator"
    for path in package.rglob("*.py"):
        if "web" in path.relative_to(package).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator.web"):
                assert path.name == "cli.py" and id(node) not in top, f"{path.name} imports {node.module}"


def test_the_wheel_carries_every_page_template_and_static_file():
    import fnmatch
    import tomllib

    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "generator.web" in setup["packages"]
    patterns = setup["package-data"]["generator.web"]
    web = ROOT / "generator" / "web"
    shipped_files = [p.relative_to(web).as_posix() for p in web.rglob("*")
                     if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts]
    assert shipped_files and all(any(fnmatch.fnmatch(f, pat) for pat in patterns) for f in shipped_files), shipped_files

"""The web application: server-rendered pages (Jinja) with htmx for live progress; every script and style is
shipped in the package (static/), nothing is loaded from elsewhere.

Pages: 单位文档 (upload one workbook → findings → layouts → documents), 部门批量 (a .zip or several workbooks →
live progress → results, change lists, one .zip), 模板 (the shipped layouts; upload and check one's own),
空白工作簿, 我的任务. Bad input is answered with the page, a Chinese message and a 4xx status.
"""

from __future__ import annotations

import hmac
import io
import logging
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from generator import __version__
from generator.errors import JuesuanError
from generator.web.config import MB, WebConfig
from generator.web.present import check_summary, finding_rows, problem_row
from generator.web.scheduler import Scheduler
from generator.web.store import (
    ACTIVE,
    DEPARTMENT,
    KIND_LABELS,
    STATUS_LABELS,
    UNIT,
    Job,
    OwnTemplate,
    Store,
    new_id,
    valid_id,
    write_json,
)
from generator.web.uploads import Upload, UploadRefused, move_into, receive, unpack
from generator.web.worker import DOWNLOAD

HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
TEMPLATES.env.globals.update(STATUS_LABELS=STATUS_LABELS, KIND_LABELS=KIND_LABELS, version=__version__)
CORRECTIONS = "corrections"
log = logging.getLogger("juesuan.web")


class PageError(Exception):
    """Answer with the error page: a Chinese message and an HTTP status."""

    def __init__(self, status: int, message: str, title: str = "无法完成"):
        super().__init__(message)
        self.status, self.title = status, title


class LoginRequired(Exception):
    pass


def _when(stamp: float | None) -> str:
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M") if stamp else ""


TEMPLATES.env.filters["when"] = _when


# ---------------------------------------------------------------- the application
def create_app(config: WebConfig) -> FastAPI:
    store = Store(config.data)
    scheduler = Scheduler(store, config.running, config.keep_days)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        scheduler.start()
        yield
        scheduler.close()

    app = FastAPI(title="决算公开文档生成", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.config, app.state.store, app.state.scheduler = config, store, scheduler
    app.state.failures = {}
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(open_routes)
    app.include_router(routes, dependencies=[Depends(_require_login), Depends(_same_origin)])
    app.add_exception_handler(PageError, _page_error)
    app.add_exception_handler(LoginRequired, _to_login)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
    # Added last = outermost: the headers go on every answer, including the middlewares' own refusals.
    app.add_middleware(SessionMiddleware, secret_key=store.secret_key(), session_cookie="juesuan_session",
                       max_age=int(max(config.keep_days, 1) * 86400), same_site="lax", https_only=config.secure_cookies)
    if config.allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(config.allowed_hosts))
    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """Pure ASGI middleware: scripts and styles only from this server, no framing, no sniffing, no referrer."""

    HEADERS = [(b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                           b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
               (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
               (b"x-frame-options", b"DENY"), (b"cache-control", b"no-store")]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                static = scope["path"].startswith("/static/")
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in self.HEADERS if not (static and h[0] == b"cache-control")]
            await send(message)

        return await self.app(scope, receive, with_headers)


def _config(request: Request) -> WebConfig:
    return request.app.state.config


def _store(request: Request) -> Store:
    return request.app.state.store


def session_id(request: Request) -> str:
    """This browser's random session id (kept in the signed, HttpOnly session cookie)."""
    sid = request.session.get("sid")
    if not valid_id(sid):
        sid = new_id()
        request.session["sid"] = sid
    return sid


def _require_login(request: Request) -> None:
    if _config(request).password and not request.session.get("auth"):
        raise LoginRequired()


def _same_origin(request: Request) -> None:
    """A form posted from another site is refused (the cookie's SameSite=Lax already keeps the session out).

    Browsers say where a request comes from in Sec-Fetch-Site; older ones only in Origin (which is "null" when a
    privacy setting hides it: then there is nothing to compare)."""
    if request.method in ("GET", "HEAD"):
        return
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin", "null")
    if site:
        foreign = site not in ("same-origin", "none")
    else:
        foreign = origin != "null" and urlsplit(origin).netloc != request.headers.get("host")
    if foreign:
        raise PageError(403, "这个表单不是从本工具的页面提交的，已拒绝。请在本工具的页面中操作。")


def page(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    config = _config(request)
    context.setdefault("error", "")
    return TEMPLATES.TemplateResponse(request, name, {
        "path": request.url.path, "section": "", "config": config, "signed_in": bool(config.password and request.session.get("auth")),
        **context}, status_code=status_code)


def redirect(request: Request, url: str) -> Response:
    """After a successful form: the next page (htmx follows HX-Redirect, a plain form the 303)."""
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


async def _page_error(request: Request, exc: PageError) -> HTMLResponse:
    return page(request, "error.html", exc.status, title=exc.title, message=str(exc))


async def _http_error(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
    messages = {404: "找不到这个页面。", 405: "不支持这种请求方式。"}
    return page(request, "error.html", exc.status_code, title="无法完成",
                message=messages.get(exc.status_code, f"请求未能完成（{exc.status_code}）。"))


async def _internal_error(request: Request, exc: Exception) -> HTMLResponse:
    """A bug, not the user's data: one line for the page, the details in the server's log."""
    log.exception("内部错误：%s %s", request.method, request.url.path)
    return page(request, "error.html", 500, title="程序内部错误",
                message=f"程序内部错误（不是数据的问题）：{exc.__class__.__name__}。已写出的文件均完整；"
                        "请把运行本工具的窗口中显示的信息发给维护人员。")


async def _to_login(request: Request, _: LoginRequired) -> Response:
    target = "/login?next=" + quote(request.url.path)
    if request.headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


open_routes = APIRouter()
routes = APIRouter()


# ---------------------------------------------------------------- signing in (only with --password)
MAX_FAILURES, FAILURE_WINDOW = 5, 600.0  # wrong passwords from one address before it waits 10 minutes


@open_routes.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/"):
    return page(request, "login.html", next=_local(next))


@open_routes.post("/login")
async def login(request: Request):
    config = _config(request)
    form = await _fields(request)
    target = _local(str(form.get("next", "/")))
    client = request.client.host if request.client else ""
    failures: dict[str, list[float]] = request.app.state.failures
    recent = [t for t in failures.get(client, []) if t > time.time() - FAILURE_WINDOW]
    if len(recent) >= MAX_FAILURES:
        return page(request, "login.html", 429, next=target, error="密码错误次数过多，请 10 分钟后再试。")
    if not config.password or hmac.compare_digest(str(form.get("password", "")).encode(), config.password.encode()):
        request.session["auth"] = True
        failures.pop(client, None)
        return RedirectResponse(target, status_code=303)
    failures[client] = recent + [time.time()]
    return page(request, "login.html", 401, next=target, error="密码不正确，请重新输入。")


@open_routes.post("/logout")
def logout(request: Request):
    request.session.pop("auth", None)
    return RedirectResponse("/login" if _config(request).password else "/", status_code=303)


def _local(target: str) -> str:
    """Only a path on this server (no //host, no scheme): the login cannot send anyone elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


async def _fields(request: Request) -> FormData:
    """A small form without files; a multipart body here is refused rather than spooled to a temporary folder."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise PageError(415, "表单格式不对（应以普通表单提交，不带文件）。")
    return await request.form(max_files=0, max_fields=200)


# ---------------------------------------------------------------- layouts: shipped and the session's own
def _layouts(request: Request, department: bool = False) -> list[dict]:
    """The layouts a form offers: every shipped one, then this session's usable uploads (not for a batch: the
    batch takes layouts by name only)."""
    from generator.document.templates import DEFAULT_TEMPLATE, shipped

    found = [{"id": f"s:{s.name}", "ref": s.name, "title": s.title, "description": s.description, "own": False,
              "default": s.name == DEFAULT_TEMPLATE} for s in shipped()]
    if not department:
        found += [{"id": f"t:{t.id}", "ref": str(t.path), "title": t.check.get("title", t.path.stem),
                   "description": t.check.get("description", "") or f"自己上传的模板：{t.path.name}", "own": True,
                   "default": False}
                  for t in _store(request).templates(session_id(request)) if t.usable]
    return found


def _chosen(request: Request, wanted: list[str], department: bool = False) -> list[dict]:
    offered = {layout["id"]: layout for layout in _layouts(request, department)}
    unknown = [w for w in wanted if w not in offered]
    if unknown:
        raise PageError(400, "所选的版式不存在（自己上传的模板可能已过期删除），请刷新页面后重新选择。")
    if not wanted:
        raise PageError(400, "请至少选择一种版式。")
    return [{"ref": offered[w]["ref"], "title": offered[w]["title"]} for w in dict.fromkeys(wanted)]


def _pdf_available() -> bool:
    from generator.document.pdf import soffice

    return soffice() is not None


# ---------------------------------------------------------------- 单位文档
@routes.get("/", response_class=HTMLResponse)
def home(request: Request):
    return _home(request)


def _home(request: Request, status: int = 200, error: str = "") -> HTMLResponse:
    jobs = [j for j in _store(request).jobs(session_id(request)) if j.kind == UNIT][:10]
    return page(request, "index.html", status, jobs=jobs, error=error)


def _workbook_limit(config: WebConfig, field: str) -> Callable[[str, str], int | str]:
    def limit(got: str, name: str) -> int | str:
        if got != field:
            return "表单中有意外的文件，未接收。"
        lower = name.lower()
        if lower.endswith((".xls", ".et", ".ods", ".xlsm", ".xlsb")):
            return f"「{name}」不是 .xlsx 工作簿。请在 Excel 或 WPS 中打开它，“另存为”Excel 工作簿（.xlsx）后再上传。"
        if not lower.endswith(".xlsx"):
            return f"「{name}」不是 .xlsx 工作簿，请上传填好的决算填报工作簿（.xlsx）。"
        return config.max_workbook_mb * MB
    return limit


@routes.post("/unit")
async def upload_unit(request: Request):
    config, store = _config(request), _store(request)
    job = store.create_job(session_id(request), UNIT, "")
    try:
        upload = await receive(request, job.folder / "incoming", config, _workbook_limit(config, "workbook"))
        books = upload.files_of("workbook")
        if not books:
            raise UploadRefused("请先选择一个填好的工作簿（.xlsx），再点“上传并检查”。")
        if len(books) > 1:
            raise UploadRefused("这里一次检查一本工作簿；一个部门的多本工作簿请用“部门批量”。")
        path = move_into(books[0], job.input / books[0].name)
        checked = await run_in_threadpool(_check_workbook, path, _layouts(request))
    except (UploadRefused, JuesuanError) as exc:
        store.remove(job.folder)
        return _home(request, getattr(exc, "status", 400), str(exc))
    except BaseException:
        store.remove(job.folder)
        raise
    finally:
        store.remove(job.folder / "incoming")
    job.update_info(workbook=path.name, **checked)
    return redirect(request, f"/jobs/{job.id}")


def _check_workbook(path: Path, layouts: list[dict]) -> dict:
    """Read and check a workbook as `juesuan check` does; each layout's own requirements as `generate` adds them."""
    from generator.checks.rules import Settings, run_checks, template_findings
    from generator.document.templates import find
    from generator.workbook.reader import read_workbook

    data = read_workbook(path)
    findings = run_checks(data, Settings())
    needs = {}
    for layout in layouts:
        spec = find(layout["ref"])
        needs[layout["id"]] = finding_rows(template_findings(data, spec.requires, spec.name))
    return {"name": data.info("name") or path.stem, "year": data.info("year"), "check": check_summary(findings),
            "needs": needs}


@routes.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str):
    job = _own_job(request, job_id)
    if job.kind == DEPARTMENT:
        return page(request, "department_job.html", job=job, info=job.info, section="/department",
                    **_status_context(job))
    return page(request, "unit_job.html", job=job, info=job.info, layouts=_layouts(request), section="/",
                pdf_available=_pdf_available(), **_status_context(job))


@routes.get("/jobs/{job_id}/status", response_class=HTMLResponse)
def job_status(request: Request, job_id: str):
    """The part of a job's page that changes while it runs (polled by htmx)."""
    job = _own_job(request, job_id)
    name = "_department_status.html" if job.kind == DEPARTMENT else "_unit_status.html"
    return page(request, name, job=job, info=job.info, **_status_context(job))


def _status_context(job: Job) -> dict:
    state = job.state
    return {"state": state, "status": state.get("status"), "active": state.get("status") in ACTIVE,
            "progress": job.progress, "result": job.result, "asked": job.request,
            "has_download": (job.folder / DOWNLOAD).is_file()}


@routes.post("/jobs/{job_id}/generate")
async def generate(request: Request, job_id: str):
    job = _own_job(request, job_id)
    if job.kind != UNIT:
        raise PageError(400, "这个任务是部门批量任务。")
    form = await _fields(request)
    chosen = _chosen(request, [str(v) for v in form.getlist("layout")])
    _submit(request, job, {"templates": chosen, "pdf": form.get("pdf") == "1", "force": form.get("force") == "1",
                           "tables": form.get("tables") == "1"})
    return redirect(request, f"/jobs/{job.id}#run")


def _submit(request: Request, job: Job, run: dict) -> None:
    if job.status in ACTIVE:
        raise PageError(409, "这个任务正在生成，请等它完成后再操作。")
    job.set_request(run)
    (job.folder / "progress.json").unlink(missing_ok=True)
    request.app.state.scheduler.submit(job)


def _own_job(request: Request, job_id: str) -> Job:
    job = _store(request).job(session_id(request), job_id)
    if job is None:
        raise PageError(404, "找不到这个任务：它可能已超过保留期限被删除，或是在另一个浏览器中创建的。", "找不到任务")
    return job


@routes.get("/jobs/{job_id}/files/{name:path}")
def download(request: Request, job_id: str, name: str):
    job = _own_job(request, job_id)
    root = job.output.resolve()
    path = (root / name).resolve()
    if root not in path.parents or any(p.startswith(".") for p in path.relative_to(root).parts) or not path.is_file():
        raise PageError(404, "找不到这个文件。", "找不到文件")
    return FileResponse(path, filename=path.name, media_type=_media_type(path))


@routes.get("/jobs/{job_id}/all.zip")
def download_all(request: Request, job_id: str):
    job = _own_job(request, job_id)
    path = job.folder / DOWNLOAD
    if not path.is_file():
        raise PageError(404, "还没有可以下载的文件。", "找不到文件")
    return FileResponse(path, filename=f"{job.info.get('name') or '文档'}_全部文件.zip", media_type="application/zip")


def _media_type(path: Path) -> str:
    return {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8"}.get(path.suffix.lower(),
                                                                                 "application/octet-stream")


@routes.post("/jobs/{job_id}/delete")
def delete_job(request: Request, job_id: str):
    job = _own_job(request, job_id)
    if job.status in ACTIVE:
        raise PageError(409, "这个任务正在生成，不能删除；请等它完成。")
    _store(request).remove(job.folder)
    return redirect(request, "/jobs")


@routes.get("/jobs", response_class=HTMLResponse)
def job_list(request: Request):
    return page(request, "jobs.html", jobs=_store(request).jobs(session_id(request)))


# ---------------------------------------------------------------- 部门批量
@routes.get("/department", response_class=HTMLResponse)
def department_page(request: Request):
    return _department_page(request)


def _department_page(request: Request, status: int = 200, error: str = "") -> HTMLResponse:
    jobs = [j for j in _store(request).jobs(session_id(request)) if j.kind == DEPARTMENT][:10]
    return page(request, "department.html", status, jobs=jobs, layouts=_layouts(request, department=True),
                pdf_available=_pdf_available(), error=error)


def _batch_limit(config: WebConfig) -> Callable[[str, str], int | str]:
    def limit(field: str, name: str) -> int | str:
        if field != "files":
            return "表单中有意外的文件，未接收。"
        lower = name.lower()
        if lower.endswith(".zip"):
            return config.max_zip_mb * MB
        if lower.endswith(".xlsx"):
            return config.max_workbook_mb * MB
        return f"「{name}」既不是 .zip 压缩包也不是 .xlsx 工作簿。请上传各单位工作簿所在文件夹的 .zip，或直接选择多本 .xlsx 工作簿。"
    return limit


async def _receive_workbooks(request: Request, job: Job, target: Path) -> tuple[Upload, list[Path], list[str]]:
    """Workbooks from an upload of .zip archives and/or .xlsx files, placed below `target` (a staging folder)."""
    config = _config(request)
    upload = await receive(request, job.folder / "incoming", config, _batch_limit(config))
    files = upload.files_of("files")
    if not files:
        raise UploadRefused("请先选择文件：各单位工作簿所在文件夹的 .zip 压缩包，或多本 .xlsx 工作簿。")
    books: list[Path] = []
    ignored: list[str] = []
    for saved in files:
        if saved.name.lower().endswith(".zip"):
            unpacked = await run_in_threadpool(unpack, saved.path, saved.name, target, config)
            books += unpacked.workbooks
            ignored += unpacked.ignored
            saved.path.unlink()
        else:
            books.append(move_into(saved, _free(target / saved.name)))
    return upload, books, ignored


def _free(path: Path) -> Path:
    n = 1
    while path.exists():
        n += 1
        path = path.with_name(f"{path.stem.rsplit('(', 1)[0]}({n}){path.suffix}")
    return path


@routes.post("/department")
async def upload_department(request: Request):
    store = _store(request)
    job = store.create_job(session_id(request), DEPARTMENT, "")
    staging = job.folder / "incoming" / "books"
    try:
        upload, books, ignored = await _receive_workbooks(request, job, staging)
        chosen = _chosen(request, upload.values("layout"), department=True)
        for path in sorted(staging.iterdir()):
            path.rename(job.input / path.name)
    except (UploadRefused, PageError) as exc:
        store.remove(job.folder)
        return _department_page(request, exc.status, str(exc))
    except BaseException:
        store.remove(job.folder)
        raise
    finally:
        store.remove(job.folder / "incoming")
    names = [f.name for f in upload.files_of("files")]
    job.update_info(name=Path(names[0]).stem if len(names) == 1 else f"{len(books)} 本工作簿", uploads=names,
                    books=len(books), ignored=ignored)
    _submit(request, job, {"templates": chosen, "pdf": upload.value("pdf") == "1",
                           "tables": upload.value("tables") == "1", "processes": _config(request).batch_processes})
    return redirect(request, f"/jobs/{job.id}")


@routes.post("/jobs/{job_id}/add")
async def add_corrections(request: Request, job_id: str):
    """Corrected workbooks into a department job: the worker puts each in the place of the workbook of the same
    unit (or file name) and runs the batch again, which regenerates only what changed."""
    job = _own_job(request, job_id)
    if job.kind != DEPARTMENT:
        raise PageError(400, "这个任务不是部门批量任务。")
    if job.status in ACTIVE:
        raise PageError(409, "这个任务正在生成，请等它完成后再上传更正的工作簿。")
    staging = job.folder / "incoming" / "books"
    try:
        _, books, ignored = await _receive_workbooks(request, job, staging)
        corrections = job.folder / CORRECTIONS
        for path in sorted(staging.iterdir()):
            target = corrections / path.name
            if target.exists():
                _store(request).remove(target) if target.is_dir() else target.unlink()
            target.parent.mkdir(exist_ok=True)
            path.rename(target)
    except UploadRefused as exc:
        return page(request, "department_job.html", exc.status, job=job, info=job.info, error=str(exc),
                    section="/department", **_status_context(job))
    finally:
        _store(request).remove(job.folder / "incoming")
    job.update_info(corrected=len(books), corrected_ignored=ignored)
    _submit(request, job, job.request)
    return redirect(request, f"/jobs/{job.id}")


# ---------------------------------------------------------------- 模板
@routes.get("/templates", response_class=HTMLResponse)
def templates_page(request: Request):
    return _templates_page(request)


def _templates_page(request: Request, status: int = 200, error: str = "", refused: dict | None = None) -> HTMLResponse:
    from generator.document.templates import shipped

    own = _store(request).templates(session_id(request))
    return page(request, "templates.html", status, shipped=shipped(), own=own, error=error, refused=refused)


def _template_limit(config: WebConfig) -> Callable[[str, str], int | str]:
    def limit(field: str, name: str) -> int | str:
        lower = name.lower()
        if field == "template":
            if not lower.endswith(".docx"):
                return f"「{name}」不是 .docx 模板。请上传在 Word/WPS 中保存的 .docx 文件（.doc 请先另存为 .docx）。"
            return config.max_template_mb * MB
        if field == "settings":
            return 1 * MB if lower.endswith(".toml") else f"「{name}」不是 .toml 设置文件。"
        return "表单中有意外的文件，未接收。"
    return limit


@routes.post("/templates")
async def upload_template(request: Request):
    config, store = _config(request), _store(request)
    folder = store.new_template_folder(session_id(request))
    try:
        upload = await receive(request, folder / "incoming", config, _template_limit(config))
        docx = upload.files_of("template")
        if len(docx) != 1:
            raise UploadRefused("请选择一个 .docx 模板文件。")
        path = move_into(docx[0], folder / docx[0].name)
        for toml in upload.files_of("settings")[:1]:
            move_into(toml, path.with_suffix(".toml"))
        checked = await run_in_threadpool(_check_template, path)
    except UploadRefused as exc:
        store.remove(folder)
        return _templates_page(request, exc.status, str(exc))
    except BaseException:
        store.remove(folder)
        raise
    finally:
        store.remove(folder / "incoming")
    if not checked["usable"]:
        store.remove(folder)
        errors = sum(1 for p in checked["problems"] if p["severity"] == "error")
        return _templates_page(request, 422, f"模板「{path.name}」有 {errors} 项错误，不能使用。请按下面的说明在 Word/WPS "
                                             "中修改后重新上传。", refused=checked)
    write_json(folder / "check.json", checked)
    return redirect(request, f"/templates#t-{folder.name}")


def _check_template(path: Path) -> dict:
    """`juesuan check-template` on an upload, and its settings read as `generate` would read them."""
    from generator.document.template_check import ERROR, check_template
    from generator.document.templates import find
    from generator.errors import TemplateError

    problems = [problem_row(p) for p in check_template(path)]
    title, description = path.stem, ""
    try:
        spec = find(str(path))
        title, description = spec.title, spec.description
    except TemplateError as exc:
        problems.append({"severity": ERROR.value, "label": ERROR.label, "message": str(exc), "part": "设置文件",
                         "paragraph": ""})
    return {"file": path.name, "title": title, "description": description, "uploaded": time.time(),
            "problems": problems, "usable": not any(p["severity"] == "error" for p in problems)}


@routes.post("/templates/{template_id}/delete")
def delete_template(request: Request, template_id: str):
    template: OwnTemplate | None = _store(request).template(session_id(request), template_id)
    if template is None:
        raise PageError(404, "找不到这个模板。", "找不到模板")
    _store(request).remove(template.folder)
    return redirect(request, "/templates")


# ---------------------------------------------------------------- 空白工作簿
@routes.get("/blank", response_class=HTMLResponse)
def blank_page(request: Request):
    return page(request, "blank.html", year=datetime.now().year - 1)


@routes.get("/blank.xlsx")
def blank_workbook(request: Request, year: str = ""):
    from generator.workbook.blank import build_workbook

    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        return page(request, "blank.html", 400, year=datetime.now().year - 1,
                    error=f"年度应为 2000 到 2100 之间的四位数字，收到的是“{year}”。")
    buffer = io.BytesIO()
    build_workbook(int(year)).save(buffer)
    name = f"决算公开填报工作簿_{year}年度.xlsx"
    return Response(buffer.getvalue(), media_type=_media_type(Path(name)),
                    headers={"Content-Disposition": f"attachment; filename*=utf-8''{quote(name)}"})


@routes.get("/templates/shipped/{filename}")
def shipped_template(request: Request, filename: str):
    """A shipped layout's .docx or .toml, to edit in Word/WPS (what `juesuan templates --copy` gives)."""
    from generator.document.templates import shipped

    name, _, suffix = filename.rpartition(".")
    spec = next((s for s in shipped() if s.name == name), None)
    path = spec.path.with_suffix("." + suffix) if spec and suffix in ("docx", "toml") else None
    if path is None or not path.is_file():
        raise PageError(404, "没有这个自带模板。", "找不到模板")
    media = _media_type(path) if suffix == "docx" else "text/plain; charset=utf-8"
    return FileResponse(path, filename=path.name, media_type=media)

"""`juesuan serve`: start the web page on this computer (or, with a password, for the office network)."""

from __future__ import annotations

import socket
import threading
import time
import webbrowser
from pathlib import Path

import uvicorn

from generator.errors import JuesuanError
from generator.web.app import create_app
from generator.web.config import LOCAL_HOSTS, WebConfig, default_data_dir


def check_exposure(host: str, password: str) -> None:
    """Beyond this computer only with a password: anyone on the network could otherwise read every upload."""
    if host not in LOCAL_HOSTS and not password:
        raise JuesuanError(f"要让局域网中的其他电脑访问（--host {host}），必须设置访问密码：加 --password 密码，"
                           "或设置环境变量 JUESUAN_WEB_PASSWORD。只在本机使用时不要加 --host。")


def _free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            raise JuesuanError(f"端口 {port} 已被占用（可能本工具已经在运行：直接在浏览器中打开 http://127.0.0.1:{port}/ 即可）；"
                               "或用 --port 换一个端口，如 --port 8080") from None


def serve(host: str = "127.0.0.1", port: int = 8000, password: str = "", browser: bool = True,
          data: Path | None = None, keep_days: float = 7.0, running: int = 2, processes: int | None = None) -> int:
    check_exposure(host, password)
    _free(host, port)
    local = host in LOCAL_HOSTS
    config = WebConfig(data=data or default_data_dir(), password=password, keep_days=keep_days, running=running,
                       batch_processes=processes,
                       allowed_hosts=("127.0.0.1", "localhost") if local and ":" not in host else ())
    server = uvicorn.Server(uvicorn.Config(create_app(config), host=host, port=port, log_level="warning",
                                           access_log=False))
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    print(f"决算公开文档生成：已在 {url} 启动（任务文件保存在 {config.data}，{keep_days:g} 天未使用的自动删除）。")
    if not local:
        print(f"同一局域网中的其他电脑请访问 http://{socket.gethostname()}:{port}/ 或 http://本机IP地址:{port}/，"
              "凭访问密码登录。")
    print("关闭本窗口或按 Ctrl+C 停止。")
    if browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    server.run()
    return 0


def _open_when_started(server: uvicorn.Server, url: str) -> None:
    for _ in range(300):
        if server.started:
            webbrowser.open(url)
            return
        time.sleep(0.1)

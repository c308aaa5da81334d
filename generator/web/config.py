"""What the web server may do: where it keeps its files, how big an upload may be, who may use it."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def default_data_dir() -> Path:
    """Per user: %LOCALAPPDATA%\\juesuan\\web on Windows, ~/.local/share/juesuan/web elsewhere."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "juesuan" / "web"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "juesuan" / "web"


@dataclass(frozen=True)
class WebConfig:
    """The server's settings. Sizes are in MB (1 MB = 1,048,576 bytes)."""

    data: Path
    password: str = ""
    keep_days: float = 7.0
    running: int = 2  # jobs whose worker process runs at once; the others wait in line
    batch_processes: int | None = None  # worker processes of one department batch (default: all cores)
    max_workbook_mb: int = 20  # one uploaded workbook
    max_zip_mb: int = 200  # one uploaded .zip, and all files of one upload together
    max_template_mb: int = 20  # one uploaded .docx template
    max_unzipped_mb: int = 1000  # all workbooks of a .zip together, uncompressed
    max_zip_entries: int = 5000  # entries in a .zip's directory
    max_zip_ratio: int = 100  # compression ratio of an entry larger than 1 MB
    allowed_hosts: tuple[str, ...] = ()  # Host headers accepted (empty: any); against DNS rebinding on localhost
    secure_cookies: bool = False  # cookies only over https (behind a TLS proxy)

    @property
    def upload_mb(self) -> int:
        """The largest request body: a .zip or several workbooks, with the form around them."""
        return max(self.max_zip_mb, self.max_workbook_mb, self.max_template_mb) + 1

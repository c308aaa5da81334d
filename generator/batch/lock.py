"""One batch at a time per output folder: OUTPUT/.juesuan/lock.

The lock is the operating system's (flock on Linux and macOS, a locked byte on Windows), so it ends with
the process that holds it, however that process ends: a lock left by a killed run is simply taken over.
The file also says who holds it (process id, computer, start time), for the message the second run gives.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from generator.errors import OutputError
from generator.output_files import WriteFailed, make_folder

WAIT_SECONDS = 2.0  # the workers of a run killed a moment ago may hold the lock for up to a second
_WINDOWS_BYTE = 1 << 30  # lock a byte far past the text, so that the text stays readable on Windows


def _try_lock(fd: int) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)


def _holder(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _describe(holder: dict) -> str:
    if not holder:
        return "另一个批量生成"
    return (f"另一个批量生成（进程 {holder.get('pid', '?')}，计算机 {holder.get('host', '?')}，"
            f"开始于 {holder.get('started', '?')}）")


@contextlib.contextmanager
def output_lock(state: Path, wait_seconds: float = WAIT_SECONDS) -> Iterator[str]:
    """Hold the output folder's lock for the run; yields a notice when a dead run's lock was taken over.

    Raises OutputError naming the holder when another live run has it."""
    make_folder(state)
    path = state / "lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WriteFailed(exc, path) from None
    try:
        deadline = time.monotonic() + wait_seconds
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise OutputError(f"输出文件夹 {state.parent} 正由{_describe(_holder(path))}使用；"
                                  "请等它结束后再运行，或换一个输出文件夹")
            time.sleep(0.1)
        left = _holder(path)
        notice = f"上次的{_describe(left)}没有正常结束，已接管输出文件夹" if left.get("pid") else ""
        me = {"pid": os.getpid(), "host": socket.gethostname(), "started": datetime.now().isoformat(timespec="seconds"),
              "command": " ".join(sys.argv)}
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(me, ensure_ascii=False).encode("utf-8"))
        except OSError as exc:
            _unlock(fd)
            raise WriteFailed(exc, path) from None
        try:
            yield notice
        finally:
            with contextlib.suppress(OSError):  # an empty lock file: nobody holds it, nobody was cut short
                os.ftruncate(fd, 0)
            _unlock(fd)
    finally:
        os.close(fd)

"""What the output folder remembers between runs (in OUTPUT/.juesuan): the manifest of finished documents,
each document's snapshot for the change list, and log files of unexpected failures.

All of it is damage-tolerant: a line or file that cannot be read is skipped with a warning, and the
document concerned is simply made again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from generator.batch.model import OK, Job, Result
from generator.output_files import WriteFailed, make_folder, safe_file_name, write_text

_REQUIRED = ("key", "input_hash", "status", "output", "output_hash")
NO_PREVIOUS_RECORD = "无法列出变更（缺少上次的记录）"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _valid(entry: object) -> bool:
    return isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in _REQUIRED)


class Manifest:
    """One JSON line per finished document; the last line for a key wins.

    Lines that cannot be read (a cut-off line of a killed run, bad bytes, an edit) are skipped and named in
    `problems`; the file is then rewritten without them, so the warning is given once."""

    def __init__(self, state: Path):
        self.path = state / "manifest.jsonl"
        self.entries: dict[str, dict] = {}
        self.problems: list[str] = []
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.problems.append(f"无法读取 {self.path}（{exc.strerror}），本次全部重新生成")
            return
        for number, line in enumerate(raw.split(b"\n"), 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                entry = None
            if _valid(entry):
                self.entries[entry["key"]] = entry
            else:
                self.problems.append(f"{self.path} 第 {number} 行无法读取，已跳过（该行对应的文档将重新生成）")
        if self.problems or not raw.endswith(b"\n"):
            self._rewrite()

    def _rewrite(self) -> None:
        write_text(self.path, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.entries.values()))

    def fresh(self, job: Job, output: Path) -> dict | None:
        """The entry of an unchanged job whose document is still there as it was written.

        Only the file name is compared, so the same folder named by a relative or an absolute path (or an
        older manifest that kept full paths) is the same folder."""
        entry = self.entries.get(job.key)
        if not entry or entry["input_hash"] != job.input_hash or entry["status"] != OK:
            return None
        name = Path(entry["output"]).name
        if name != job.file_name:
            return None
        target = output / name
        try:
            return {**entry, "output": name} if target.is_file() and _sha256(target) == entry["output_hash"] else None
        except OSError:
            return None

    def made_before(self, key: str) -> bool:
        return key in self.entries

    def record(self, result: Result) -> None:
        """Append the result, on disk before the next document is started (a killed run loses nothing)."""
        entry = result.entry()
        self.entries[result.key] = entry
        make_folder(self.path.parent)
        try:
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            raise WriteFailed(exc, self.path) from None


# ---------------------------------------------------------------- change lists
def note_path(document: Path) -> Path:
    return document.with_name(document.stem + "_变更.txt")


def _snapshot_path(state: Path, key: str) -> Path:
    return state / "snapshots" / (hashlib.sha1(key.encode()).hexdigest() + ".json")


def _load_snapshot(store: Path) -> dict[str, str] | None:
    try:
        old = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return old if isinstance(old, dict) and all(isinstance(v, str) for v in old.values()) else None


def record_changes(document: Path, new: dict[str, str], state: Path, key: str, made_before: bool) -> tuple[list[str], str]:
    """Compare with the last version's snapshot and write the change list beside the document.

    A change list that no longer applies is removed. Returns the changes and a notice when they cannot
    be listed (the document was made before but its snapshot is gone)."""
    from generator.batch.changes import changes

    store = _snapshot_path(state, key)
    old = _load_snapshot(store)
    listed = changes(old, new) if old is not None else []
    note = note_path(document)
    if listed:
        write_text(note, f"{document.name} 与上次生成相比的变化（{len(listed)} 处）：\n\n" + "\n".join(listed) + "\n")
    else:
        note.unlink(missing_ok=True)
    write_text(store, json.dumps(new, ensure_ascii=False))
    return listed, NO_PREVIOUS_RECORD if old is None and made_before else ""


def write_log(state: Path, name: str, about: str, trace: str) -> Path:
    """The details of an unexpected failure, for the maintainers: OUTPUT/.juesuan/logs/<name>.log."""
    log = state / "logs" / safe_file_name(name, extension=".log")
    write_text(log, f"{about}\n\n{trace}")
    return log


def write_job_log(state: Path, job: Job, trace: str) -> Path:
    return write_log(state, Path(job.file_name).stem, f"{job.key}\n{', '.join(m.path for m in job.members)}", trace)

"""Parsed workbooks kept by content: a 部门汇总 reads no unchanged member workbook again.

A batch's output folder keeps, for each workbook it read, what the reader made of it, named by the SHA-256 of the
file's bytes: the same bytes always read the same, wherever the file has moved. The entry is plain JSON (values
tagged by type; never pickle, which would run code from a file anyone with access to the folder could replace),
written atomically, and checked on loading: an entry of another format, or one that does not parse, is a miss and
the workbook is read again. Loading an entry costs about a third of reading the workbook (the limits scan, the
XML and the parsing rules are skipped).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from generator.errors import Location
from generator.workbook import reader
from generator.workbook.model import Cell, Frozen, Row, Table, UnitData

FORMAT = 1  # raise when the reader's output (or this encoding) changes: old entries are then misses


def file_digest(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------- encoding
# A value is stored as itself when JSON keeps its type (str, int, bool, None), else as [tag, text].
def _value(v: object) -> object:
    if isinstance(v, Decimal):
        return ["d", str(v)]
    if isinstance(v, float):
        return ["f", repr(v)]
    if isinstance(v, datetime):
        return ["t", v.isoformat()]
    if v is None or isinstance(v, str | int):
        return v
    raise TypeError(type(v).__name__)  # a type the reader does not make: not cached


_DECODE = {"d": Decimal, "f": float, "t": datetime.fromisoformat}


def _decoded(v: object) -> object:
    return _DECODE[v[0]](v[1]) if isinstance(v, list) else v


def _encode_table(table: Table) -> dict:
    index = {id(r): i for i, r in enumerate(table.rows)}
    rows = [[r.line, [[k, _value(c.value), c.where.cell] for k, c in r.cells.items()]] for r in table.rows]
    by_key = []
    for key, row in table.by_key.items():
        if id(row) not in index:  # only rows of the table are indexed; anything else is not cached
            raise TypeError("index")
        by_key.append([key, index[id(row)]])
    return {"sheet": table.sheet, "present": table.present, "rows": rows, "by_key": by_key}


def _decode_table(entry: dict, path: str) -> Table:
    sheet = entry["sheet"]
    rows = tuple(Row(Frozen({k: Cell(_decoded(v), Location(path, sheet, ref)) for k, v, ref in cells}), line)
                 for line, cells in entry["rows"])
    return Table(sheet, rows, Frozen({key: rows[i] for key, i in entry["by_key"]}), entry["present"])


def encode(data: UnitData) -> bytes:
    if data.scope or data.members:
        raise TypeError("consolidated")
    from generator import __version__

    tables = {key: _encode_table(t) for key, t in data.tables.items()}
    return json.dumps({"format": FORMAT, "version": __version__, "tables": tables}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def decode(blob: bytes, path: str) -> UnitData:
    from generator import __version__

    entry = json.loads(blob)
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("version") != __version__:
        raise ValueError("another format")
    return UnitData(path, Frozen({key: _decode_table(t, path) for key, t in entry["tables"].items()}))


# ---------------------------------------------------------------- the cache
class UnitCache:
    """Parsed workbooks in `folder`, one file per content digest."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def _entry(self, digest: str) -> Path:
        return self.folder / f"{digest}.json"

    def read(self, path: str | Path, digest: str) -> UnitData:
        """The workbook at `path`, whose content has `digest`: from the cache if kept, else read and kept.

        Kept only when the file still has that digest after reading (a file replaced meanwhile is read, not kept)."""
        try:
            return decode(self._entry(digest).read_bytes(), str(path))
        except Exception:  # noqa: BLE001 - missing, damaged or foreign: any failure of an entry is a miss
            pass
        data = reader.read_workbook(path)
        try:
            if file_digest(path) == digest:
                self._keep(digest, encode(data))
        except (OSError, TypeError):  # a cache that cannot be written only costs time
            pass
        return data

    def _keep(self, digest: str, blob: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(blob)
            os.replace(tmp, self._entry(digest))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def keep_only(self, digests: Iterable[str]) -> None:
        """Forget the workbooks no longer in the folder (and leftovers of writes that were interrupted)."""
        wanted = {f"{d}.json" for d in digests}
        for entry in self.folder.glob("*") if self.folder.is_dir() else ():
            if entry.name not in wanted:
                entry.unlink(missing_ok=True)

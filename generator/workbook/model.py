"""The unit's data as read: immutable, every value remembering its file, sheet and cell."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator.errors import Location

ZERO = Decimal(0)


class Frozen(Mapping):
    """A read-only mapping that, unlike MappingProxyType, can be sent to a worker process."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping | None = None):
        self._data = dict(data or {})

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    # the dict's own lookups: Mapping's generic ones go through __getitem__ and an exception (three times slower;
    # a 部门汇总 of 300 units makes two million of them)
    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: Any, default: Any = None) -> Any:
        return self._data.get(key, default)

    def keys(self):  # noqa: ANN201 - the dict's views
        return self._data.keys()

    def values(self):  # noqa: ANN201
        return self._data.values()

    def items(self):  # noqa: ANN201
        return self._data.items()

    def __repr__(self) -> str:
        return f"Frozen({self._data!r})"

    def __getstate__(self) -> dict:
        return self._data

    def __setstate__(self, state: dict) -> None:
        self._data = state


_EMPTY: Mapping = Frozen()


@dataclass(frozen=True, slots=True)  # as many as Locations (errors.py)
class Cell:
    """One value and where it came from."""

    value: object
    where: Location


@dataclass(frozen=True)
class Row:
    """One row of a sheet: column key → Cell."""

    cells: Mapping[str, Cell]
    line: int = 0

    def num(self, key: str) -> Decimal:
        cell = self.cells.get(key)
        return ZERO if cell is None or cell.value is None else cell.value  # type: ignore[return-value]

    def optional(self, key: str) -> Decimal | None:
        """A number that may be left blank (a score): None when blank."""
        cell = self.cells.get(key)
        return None if cell is None else cell.value  # type: ignore[return-value]

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return "" if cell is None or cell.value is None else str(cell.value)

    def where(self, key: str) -> Location:
        cell = self.cells.get(key)
        return cell.where if cell else Location()


EMPTY_ROW = Row(_EMPTY)


@dataclass(frozen=True)
class Table:
    """The rows of one sheet; rows of a fixed-row sheet are also found by their key."""

    sheet: str
    rows: tuple[Row, ...] = ()
    by_key: Mapping[str, Row] = field(default_factory=lambda: _EMPTY)
    present: bool = True

    def get(self, key: str) -> Row:
        return self.by_key.get(key, EMPTY_ROW)


@dataclass(frozen=True)
class UnitData:
    """Everything one unit's workbook says, in 元 whatever unit the workbook used."""

    path: str
    tables: Mapping[str, Table]
    scope: str = ""  # "部门汇总" for a department's consolidated data, "" for one unit's own workbook
    members: tuple[UnitData, ...] = ()  # for 部门汇总: the department's own data, then each unit below it

    def table(self, key: str) -> Table:
        return self.tables[key]

    def info(self, key: str) -> str:
        return self.tables["info"].get(key).text("value")

    def text(self, key: str) -> str:
        return self.tables["texts"].get(key).text("value")

"""部门汇总: a department's own (本级) data plus every unit below it, summed table by table."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal

from generator.errors import Location
from generator.workbook import schema
from generator.workbook.model import Cell, Frozen, Row, Table, UnitData

# Describe the department itself, or assess it as a whole: taken from its own workbook.
_OWN_ONLY = ("info", "texts", "grid", "evaluators")


def _merge_text(parent: str, others: Sequence[str]) -> str:
    """The department's own text; where it has none, the distinct texts of the units below, joined."""
    if parent:
        return parent
    seen: list[str] = []
    for text in others:
        if text and text not in seen:
            seen.append(text)
    return "；".join(seen)


def _sum_rows(sheet: schema.Sheet, own: Row | None, below: Sequence[Row], where: Location) -> Row:
    """Amounts and counts added up (blank where no member gives a value); texts as _merge_text says."""
    rows = [r for r in (own, *below) if r is not None]
    numeric = _numeric(sheet)
    gathered: dict[str, list] = {}  # one pass over the rows (a 部门汇总 of 300 units sums 600,000 cells)
    for r in rows:
        for key, cell in r.cells.items():
            gathered.setdefault(key, []).append(cell.value)
    cells = {}
    for key, values in gathered.items():
        if key in numeric and all(v is None for v in values):
            value: object = None
        elif any(isinstance(v, Decimal) for v in values):
            value = sum((v for v in values if isinstance(v, Decimal)), Decimal(0))
        else:
            value = _merge_text(own.text(key) if own else "", [r.text(key) for r in below])
        cells[key] = Cell(value, where)
    return Row(Frozen(cells))


@functools.cache
def _numeric(sheet: schema.Sheet) -> frozenset[str]:
    return frozenset(f.key for f in sheet.columns if f.kind in (schema.AMOUNT, schema.COUNT, schema.SCORE))


# The column naming a project in the sheets that list projects; indicators find their project by that name.
_PROJECT_COLUMN = {"projects": "name", "indicators": "project"}


def _shared_projects(members: Sequence[UnitData]) -> set[str]:
    """Project names that more than one member uses: different projects, that must not be scored as one."""
    seen: dict[str, int] = {}
    for m in members:
        for name in {r.text("name") for r in m.table("projects").rows}:
            seen[name] = seen.get(name, 0) + 1
    return {name for name, count in seen.items() if count > 1 and name != schema.DEPARTMENT}


def _own_project_names(sheet: schema.Sheet, table: Table, unit: str, shared: set[str]) -> Table:
    """A member's rows with its shared project names followed by （its name）."""
    column = _PROJECT_COLUMN.get(sheet.key)
    if not column or not shared:
        return table
    rows = tuple(Row(Frozen({**r.cells, column: Cell(f"{r.text(column)}（{unit}）", r.where(column))}), r.line)
                 if r.text(column) in shared else r for r in table.rows)
    return Table(table.sheet, rows, table.by_key, table.present)


def _summed(sheet: schema.Sheet, tables: Sequence[Table], where: Location) -> Table:
    if sheet.layout == "list":  # projects and glossary entries: every unit's rows, in order
        rows = tuple(r for i, t in enumerate(tables) for r in t.rows
                     if i == 0 or sheet.key != "indicators" or r.text("project") != schema.DEPARTMENT)
        return Table(sheet.name, rows, present=any(t.present for t in tables))
    own, below = tables[0], tables[1:]
    present = {k for t in tables for k in t.by_key}
    keys = sorted(present) if sheet.layout == "coded" else [f.key for f in sheet.rows if f.key in present]
    by_key = {k: _sum_rows(sheet, own.by_key.get(k), [t.by_key[k] for t in below if k in t.by_key], where) for k in keys}
    return Table(sheet.name, tuple(by_key.values()), Frozen(by_key), present=any(t.present for t in tables))


def consolidate(own: UnitData, below: Sequence[UnitData]) -> UnitData:
    """The department's consolidated data: its own workbook first, then the units below it."""
    members = [own, *below]
    where = Location(f"{own.info('name')}部门汇总（{len(members)}个单位）")
    shared = _shared_projects(members)
    tables = {}
    for sheet in schema.SHEETS:
        if sheet.key in _OWN_ONLY:
            tables[sheet.key] = own.table(sheet.key)
        else:
            tables[sheet.key] = _summed(sheet, [_own_project_names(sheet, m.table(sheet.key), m.info("name"), shared)
                                                for m in members], where)
    return UnitData(where.file, Frozen(tables), scope="部门汇总", members=tuple(members))

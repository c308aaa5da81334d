"""The house by layers: imports run one way, and the context layer formats report values without reading tables."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Bottom to top; a module may import its own layer and the layers below it, never one above.
LAYERS = (
    ("vocabulary", "errors"),
    ("output_files", "bundled"),
    ("wording",),
    ("workbook",),
    ("figures",),
    ("checks",),
    ("document",),
    ("batch",),
    ("cli", "docs", "__main__", "__init__", "web"),
)
RANK = {name: i for i, names in enumerate(LAYERS) for name in names}
CONTEXT_MODULES = ("document/context.py", "document/evaluation_context.py")


def _layer(module: str) -> str:
    """'generator.document.render' → 'document'; 'generator' → '__init__'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every generator module a file imports, at any depth (function-level imports included), with its line."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            if node.module == "generator":
                out += [(node.lineno, f"generator.{a.name}") for a in node.names if a.name != "__version__"]
            else:
                out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("generator")]
    return out


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_layer():
    unknown = [str(p.relative_to(PACKAGE)) for p in _modules()
               if _layer("generator." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)) not in RANK]
    assert not unknown, f"modules outside the declared layers: {unknown}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path: Path):
    own = _layer("generator." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
    upward = [f"line {line}: {module}" for line, module in _imports(path) if RANK[_layer(module)] > RANK[own]]
    assert not upward, f"{path.relative_to(PACKAGE)} ({own}) imports a layer above it: {upward}"


@pytest.mark.parametrize("name", CONTEXT_MODULES)
def test_context_reads_no_workbook_table(name: str):
    """One figure, one definition: the context formats the report's values and never reads the workbook itself."""
    path = PACKAGE / name
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [m for _, m in _imports(path) if _layer(m) == "workbook"]
    assert not imported, f"{name} imports the workbook model: {imported}"
    # A workbook table is reached through the unit data (.data), a .table(KEY) call or a row's cells.
    reads = sorted({f"line {n.lineno}: .{n.attr}" for n in ast.walk(tree)
                    if isinstance(n, ast.Attribute) and n.attr in ("data", "row", "table", "by_key", "cells")})
    assert not reads, f"{name} reads workbook rows or tables directly: {reads}"

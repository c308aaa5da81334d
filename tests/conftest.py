"""Shared fixtures: the sample workbooks and their generated documents (generated once per session),
and the committed snapshots (`pytest --update-snapshots` rewrites them)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from docx import Document
from hypothesis import settings

from generator.document.pipeline import generate
from generator.document.render import document_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "data_samples").rglob("*.xlsx"))
LIZHOU = ROOT / "data_samples" / "广元市利州区行政审批局_2020.xlsx"
WULONG = ROOT / "data_samples" / "重庆市武隆区政务服务管理办公室_2020.xlsx"
YIYANG = ROOT / "data_samples" / "益阳市行政审批服务局（部门）" / "本级_益阳市行政审批服务局_2020.xlsx"
SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshots"
UPDATE_COMMAND = "PYTHONPATH=. python -m pytest tests/test_context_snapshots.py --update-snapshots"


# A shared or busy machine makes example timings noise: no per-example deadline (Hypothesis' default is 200 ms).
settings.register_profile("juesuan", deadline=None)
settings.load_profile("juesuan")

# The files that take longest (40 rendered layouts in one module fixture; whole batches) start first, so that
# the two xdist workers, each taking a whole file at a time, finish at about the same time.
LONGEST_FIRST = ("test_templates.py", "test_batch.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in LONGEST_FIRST)  # stable: the rest keep their order


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true", default=False,
                     help="rewrite tests/snapshots/ from the current code instead of comparing (review with git diff)")


class Snapshots:
    """Compare a text with tests/snapshots/NAME, or (with --update-snapshots) write it there."""

    def __init__(self, folder: Path, update: bool):
        self.folder, self.update = folder, update

    def check(self, name: str, text: str) -> None:
        path = self.folder / name
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            return
        if self.update:
            self.folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        if old is None:
            pytest.fail(f"no snapshot {path.relative_to(ROOT)} yet; create it with:\n    {UPDATE_COMMAND}", pytrace=False)
        diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(), "committed", "current", lineterm="", n=2))
        shown = "\n".join(diff[:80]) + (f"\n… {len(diff) - 80} more diff lines" if len(diff) > 80 else "")
        pytest.fail(f"{path.relative_to(ROOT)} differs from what the code builds now:\n{shown}\n\n"
                    f"If the change is intended, regenerate and review the diff:\n    {UPDATE_COMMAND}\n"
                    f"    git diff tests/snapshots/", pytrace=False)

    def prune(self, expected: set[str]) -> None:
        """Fail on (or, updating, delete) snapshot files that no test case writes any more."""
        stale = sorted(p for p in self.folder.glob("*.json") if p.name not in expected)
        if stale and self.update:
            for path in stale:
                path.unlink()
            return
        if stale:
            pytest.fail(f"snapshots no test compares any more: {', '.join(p.name for p in stale)}; "
                        f"delete them with:\n    {UPDATE_COMMAND}", pytrace=False)


@pytest.fixture(scope="session")
def snapshots(request: pytest.FixtureRequest) -> Snapshots:
    return Snapshots(SNAPSHOT_DIR, request.config.getoption("--update-snapshots"))


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> dict[str, Path]:
    """Every sample generated with the default template: sample stem → .docx path."""
    out = tmp_path_factory.mktemp("output")
    return {book.stem: generate(book, output_dir=out) for book in SAMPLES}


@pytest.fixture(scope="session")
def texts(generated) -> dict[str, str]:
    """Every sample document's visible text, read back with python-docx."""
    return {stem: document_text(Document(str(path))) for stem, path in generated.items()}

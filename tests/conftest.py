"""Shared fixtures: the sample workbooks and their generated documents (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from generator.document.pipeline import generate
from generator.document.render import document_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "data_samples").rglob("*.xlsx"))
LIZHOU = ROOT / "data_samples" / "广元市利州区行政审批局_2020.xlsx"
WULONG = ROOT / "data_samples" / "重庆市武隆区政务服务管理办公室_2020.xlsx"
YIYANG = ROOT / "data_samples" / "益阳市行政审批服务局（部门）" / "本级_益阳市行政审批服务局_2020.xlsx"


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> dict[str, Path]:
    """Every sample generated with the default template: sample stem → .docx path."""
    out = tmp_path_factory.mktemp("output")
    return {book.stem: generate(book, output_dir=out) for book in SAMPLES}


@pytest.fixture(scope="session")
def texts(generated) -> dict[str, str]:
    """Every sample document's visible text, read back with python-docx."""
    return {stem: document_text(Document(str(path))) for stem, path in generated.items()}

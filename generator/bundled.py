"""Where the files that ship with the tool live: the templates and the sample workbooks."""

from __future__ import annotations

from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent


def template_dir() -> Path:
    """The folder of the shipped templates (NAME.docx beside NAME.toml)."""
    return _REPO / "templates"


def sample_dir() -> Path:
    """The folder of the sample workbooks used by `juesuan demo`."""
    return _REPO / "data_samples"

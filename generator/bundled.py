"""Where the files that ship with the tool live: the templates and the sample workbooks.

In the repository they are the top-level folders templates/ and data_samples/. pyproject.toml maps them into
the package, so an installed wheel holds them as generator/templates and generator/data_samples. A source
checkout (run with PYTHONPATH, or installed with `pip install -e`) has no such folders inside generator/ and
uses the top-level ones beside it. Either way the place is found from the imported package, never from the
current directory.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _shipped(folder: str) -> Path:
    package = Path(str(resources.files(__package__)))
    inside = package / folder  # an installed wheel
    if inside.is_dir():
        return inside
    beside = package.parent / folder  # a source checkout
    # When neither exists, the installed place is named: that is where a broken installation lacks it.
    return beside if beside.is_dir() else inside


def template_dir() -> Path:
    """The folder of the shipped templates (NAME.docx beside NAME.toml)."""
    return _shipped("templates")


def sample_dir() -> Path:
    """The folder of the sample workbooks used by `juesuan demo`."""
    return _shipped("data_samples")

"""One source of truth: every shipped template is exactly what tools/build_templates.py builds now.

After changing the builder, rebuild the shipped files with `python tools/build_templates.py`. A template
edited by hand in Word would be lost at the next rebuild, so it fails here too.
"""

from __future__ import annotations

import difflib
import importlib.util
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import ROOT

SHIPPED = sorted((ROOT / "templates").glob("*.docx"))
VOLATILE = {  # part → elements whose values a rebuild may change without changing the template
    "docProps/core.xml": ("{http://purl.org/dc/terms/}created", "{http://purl.org/dc/terms/}modified"),
}
REBUILD = "python tools/build_templates.py"


def _builder():
    spec = importlib.util.spec_from_file_location("build_templates", ROOT / "tools" / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder():
    return _builder()


@pytest.fixture(scope="module")
def built(builder, tmp_path_factory) -> dict[str, Path]:
    return {path.name: path for path in builder.build(tmp_path_factory.mktemp("built"))}


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _xml(name: str, data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    for tag in VOLATILE.get(name, ()):
        for element in root.iter(tag):
            element.getparent().remove(element)
    return root


def _canonical(name: str, data: bytes) -> bytes:
    if not name.endswith((".xml", ".rels")):
        return data
    return etree.tostring(_xml(name, data), method="c14n")


def _diff(name: str, shipped: bytes, built: bytes) -> str:
    """The first lines that differ, one XML element a line, to show what changed."""
    def lines(data: bytes) -> list[str]:
        return etree.tostring(_xml(name, data), pretty_print=True, encoding="unicode").splitlines()
    return "\n".join(list(difflib.unified_diff(lines(shipped), lines(built), "shipped", "built", n=1, lineterm=""))[:30])


@pytest.mark.slow
def test_the_builder_makes_exactly_the_shipped_templates(built):
    assert sorted(built) == [p.name for p in SHIPPED]


@pytest.mark.slow
@pytest.mark.parametrize("shipped", SHIPPED, ids=lambda p: p.stem)
def test_shipped_template_is_what_the_builder_makes(shipped, built):
    have, want = _parts(shipped), _parts(built[shipped.name])
    assert sorted(have) == sorted(want), f"{shipped.name}: other parts than the builder makes; run {REBUILD}"
    differing = [name for name in have if _canonical(name, have[name]) != _canonical(name, want[name])]
    assert not differing, (f"{shipped.name} differs from what tools/build_templates.py makes in {differing}; "
                           f"run {REBUILD}\n" + _diff(differing[0], have[differing[0]], want[differing[0]]))


@pytest.mark.slow
def test_the_builder_gives_the_same_bytes_every_time(builder, built, tmp_path):
    name = next(iter(builder.TEMPLATES))
    again = builder.build_one(name, tmp_path / f"{name}.docx")
    assert again.read_bytes() == built[f"{name}.docx"].read_bytes()

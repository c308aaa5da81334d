"""Packaging: the wheel carries the templates and sample workbooks; an installed or editable copy runs from any
folder; `juesuan templates --copy` gives the user a template of their own to edit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from docx import Document

from generator.cli import main
from generator.document.render import document_text
from generator.document.templates import find, shipped
from generator.workbook.reader import read_workbook
from tests.conftest import LIZHOU, ROOT

SOURCES = ("pyproject.toml", "README.md", "generator", "templates", "data_samples")  # what a build reads
SHIPPED_TEMPLATES = sorted(p for p in (ROOT / "templates").iterdir() if p.suffix in (".docx", ".toml"))
SAMPLE_BOOKS = sorted((ROOT / "data_samples").rglob("*.xlsx"))


# ---------------------------------------------------------------- helpers: a clean source tree and fresh venvs
@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A copy of what the build reads, so building leaves nothing (build/, *.egg-info) in the working tree."""
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "~$*"))
        else:
            shutil.copy2(ROOT / name, src / name)
    return src


@pytest.fixture(scope="module")
def wheel(source, tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dist), str(source)])
    (built,) = dist.glob("juesuan-*.whl")
    return built


def _run(command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run without this checkout on PYTHONPATH, so only what was installed can be imported."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, f"{' '.join(command)} → {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def _fresh_venv(where: Path, *install: str) -> Path:
    """A new venv with juesuan installed from `install` (pip arguments) and nothing else of its own; the third
    party libraries come from this test's venv through a .pth line instead of being downloaded again. The line
    is added after installing, so pip does not take this venv's juesuan for an installed one."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    python = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", *install])
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    Path(site, "_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def _juesuan(python: Path) -> str:
    return str(python.with_name("juesuan.exe" if os.name == "nt" else "juesuan"))


def _where(python: Path, cwd: Path) -> list[Path]:
    """The package, template folder and sample folder the installed copy uses."""
    code = ("import generator, generator.bundled as b; "
            "print(generator.__file__); print(b.template_dir()); print(b.sample_dir())")
    return [Path(line).resolve() for line in _run([str(python), "-c", code], cwd=cwd).stdout.splitlines()]


# ---------------------------------------------------------------- the wheel
@pytest.mark.slow
def test_the_wheel_carries_every_template_and_sample(wheel):
    with zipfile.ZipFile(wheel) as z:
        inside = set(z.namelist())
    expected = {f"generator/templates/{p.name}" for p in SHIPPED_TEMPLATES} | {
        "generator/data_samples/" + p.relative_to(ROOT / "data_samples").as_posix() for p in SAMPLE_BOOKS}
    # every template with its settings, and the phrase book they share
    assert len(SHIPPED_TEMPLATES) == 2 * len(shipped()) + 1
    assert "generator/templates/phrases.toml" in inside
    assert any("（部门）/" in name for name in expected)  # the department folder for the batch demo
    assert expected - inside == set()


@pytest.mark.slow
def test_installed_wheel_runs_the_demo_from_an_empty_folder(wheel, tmp_path):
    python = _fresh_venv(tmp_path / "venv", "--no-index", str(wheel))
    here = tmp_path / "empty"
    here.mkdir()
    venv = (tmp_path / "venv").resolve()
    package, templates, samples = _where(python, here)
    assert package.is_relative_to(venv)  # the installed copy, not this checkout
    assert templates.is_relative_to(venv) and samples.is_relative_to(venv)

    done = _run([_juesuan(python), "demo", "--template", "sichuan_juesuan"], cwd=here)

    assert [p.name for p in here.iterdir()] == ["output"]
    made = sorted((here / "output").glob("*.docx"))
    assert len(made) == len(list((ROOT / "data_samples").glob("*.xlsx")))
    assert all(path.name in done.stdout for path in made)
    for folder in (p for p in (ROOT / "data_samples").iterdir() if p.is_dir()):
        batch = here / "output" / folder.name
        assert len(list(batch.glob("*.docx"))) == len(list(folder.glob("*.xlsx"))) + 1  # and the 部门汇总
        assert (batch / "批量生成汇总.xlsx").exists()
        made += sorted(batch.glob("*.docx"))
    for path in made:
        doc = Document(str(path))
        text = document_text(doc)
        assert "部门决算" in text and "{{" not in text and "{%" not in text
        assert doc.inline_shapes, f"{path.name}: no chart (the chart font in the installed copy)"


@pytest.mark.slow
def test_editable_install_finds_the_top_level_folders(source, tmp_path):
    python = _fresh_venv(tmp_path / "venv", "--editable", str(source))
    here = tmp_path / "empty"
    here.mkdir()
    src = source.resolve()
    assert _where(python, here) == [src / "generator" / "__init__.py", src / "templates", src / "data_samples"]
    listed = _run([_juesuan(python), "templates"], cwd=here).stdout
    assert all(spec.name in listed for spec in shipped())


# ---------------------------------------------------------------- juesuan templates --copy
def _copy(target: Path, *extra: str) -> int:
    return main(["templates", "--copy", "sichuan_juesuan", str(target), *extra])


def test_copy_writes_the_template_and_its_settings_and_says_how_to_use_them(tmp_path, capsys):
    target = tmp_path / "我的模板" / "本单位模板.docx"
    assert _copy(target) == 0
    out = capsys.readouterr().out
    source = find("sichuan_juesuan").path
    assert target.read_bytes() == source.read_bytes()
    assert target.with_suffix(".toml").read_bytes() == source.with_suffix(".toml").read_bytes()
    assert "juesuan generate 本单位.xlsx --template" in out and "juesuan check-template" in out
    assert out.count(str(target)) >= 3  # copied to, check it, use it
    assert main(["check-template", str(target)]) == 0


def test_copy_refuses_to_overwrite_without_force(tmp_path, capsys):
    target = tmp_path / "本单位模板.docx"
    settings = target.with_suffix(".toml")
    settings.write_text("# 用户自己的设置\n", encoding="utf-8")
    assert _copy(target) == 2
    err = capsys.readouterr().err
    assert "文件已存在，未覆盖" in err and str(settings) in err and "--force" in err
    assert not target.exists()  # nothing copied when one of the two is in the way
    assert settings.read_text(encoding="utf-8") == "# 用户自己的设置\n"

    assert _copy(target, "--force") == 0
    assert settings.read_bytes() == find("sichuan_juesuan").path.with_suffix(".toml").read_bytes()
    assert target.exists()


def test_copy_names_the_templates_when_the_name_is_unknown(tmp_path, capsys):
    assert main(["templates", "--copy", "sichuan", str(tmp_path / "x.docx")]) == 2
    err = capsys.readouterr().err
    assert "没有名为“sichuan”的自带模板" in err and all(spec.name in err for spec in shipped())
    assert main(["templates", "--copy", "sichuan_juesuan", str(tmp_path / "x.doc")]) == 2
    assert ".docx" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_generate_uses_the_edited_copy_and_its_settings(tmp_path, capsys):
    target = tmp_path / "本单位模板.docx"
    assert _copy(target) == 0
    doc = Document(str(target))  # what a user does in Word: add a sentence
    doc.add_paragraph("本单位自行补充的说明：{{ unit.name }}。")
    doc.save(str(target))
    settings = target.with_suffix(".toml")
    shipped_output = f'output = "{find("sichuan_juesuan").output}"'
    assert shipped_output in settings.read_text(encoding="utf-8")
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        shipped_output, 'output = "{unit}{year}_本单位版式.docx"'), encoding="utf-8")

    assert main(["generate", str(LIZHOU), "--template", str(target), "--output", str(tmp_path / "out")]) == 0

    (made,) = (tmp_path / "out").glob("*.docx")
    assert made.name.endswith("_本单位版式.docx")
    text = document_text(Document(str(made)))
    assert f"本单位自行补充的说明：{read_workbook(LIZHOU).info('name')}。" in text
    assert str(made) in capsys.readouterr().out

"""Charts: present where the layout puts them, valid images, numbered in order, replaced when all zero, deterministic."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from PIL import Image

from generator.document.charts import draw
from generator.document.context import build_context
from generator.document.pipeline import generate, generate_document
from generator.figures.report import build_report
from generator.vocabulary import CHART_TITLES
from generator.wording.numbers import Display
from generator.workbook.reader import read_workbook
from tests.conftest import LIZHOU, WULONG, YIYANG

# Each caption and the section heading it must follow.
PLACES = [
    ("图1：收、支决算总计变动情况", "一、收入支出决算总体情况说明"),
    ("图2：收入决算结构", "二、收入决算情况说明"),
    ("图3：支出决算结构", "三、支出决算情况说明"),
    ("图4：财政拨款收、支决算总计变动情况", "四、财政拨款收入支出决算总体情况说明"),
    ("图5：一般公共预算财政拨款支出决算变动情况", "（一）一般公共预算财政拨款支出决算总体情况"),
    ("图6：一般公共预算财政拨款支出决算结构", "（二）一般公共预算财政拨款支出决算结构情况"),
    ("图7：“三公”经费财政拨款支出结构", "（二）“三公”经费财政拨款支出决算具体情况说明"),
]


def _paragraphs(path) -> list:
    return Document(str(path)).paragraphs


def _has_chart(paragraph) -> bool:
    """A chart as the default (a Word chart) or as a picture (`--charts picture`)."""
    return bool(paragraph._p.xpath(".//c:chart | .//pic:pic"))


@pytest.mark.parametrize("stem", [b.stem for b in (LIZHOU, WULONG, YIYANG)])
def test_seven_charts_at_their_places_each_with_its_caption(generated, stem):
    paras = _paragraphs(generated[stem])
    texts = [p.text for p in paras]
    pictures = [i for i, p in enumerate(paras) if _has_chart(p)]
    assert len(pictures) == 7
    for (caption, heading), pic in zip(PLACES, pictures, strict=True):
        assert texts[pic + 1] == caption, "the caption follows its picture"
        head = max(i for i, t in enumerate(texts[:pic]) if re.match(r"^[一二三四五六七八九十]+、|^（[一二三四]）", t))
        assert texts[head] == heading


def test_unit_without_three_public_spending_gets_six_charts_and_the_sentence(generated):
    paras = _paragraphs(generated["益阳市政务服务热线中心_2020"])
    assert sum(_has_chart(p) for p in paras) == 6
    assert "本年度未发生“三公”经费财政拨款支出，不绘制结构图。" in [p.text for p in paras]


def test_every_image_is_a_valid_print_quality_picture(tmp_path):
    pictures = generate_document(LIZHOU, output_dir=tmp_path, chart_format="picture").path
    with zipfile.ZipFile(pictures) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 7
        for name in media:
            image = Image.open(io.BytesIO(z.read(name)))
            image.verify()
            assert image.format == "PNG" and image.info["dpi"][0] >= 200


def _views(book):
    report = build_report(read_workbook(book))
    return build_context(report, Display(), tuple(CHART_TITLES))["_chart_views"]


def test_zero_parts_are_left_out_of_a_pie_and_shares_match_the_text(texts):
    views = _views(LIZHOU)
    assert views["income_structure"].categories == ("一般公共预算财政拨款收入",)
    assert views["three_public_structure"].categories == ("公务接待费",)
    gp = views["gp_structure"]
    assert gp.shares == ("95.28", "2.22", "0.96", "1.54")
    for name, amount, share in zip(gp.categories, gp.labels[0], gp.shares, strict=True):
        assert f"{name}{amount}万元，占{share}%" in texts[LIZHOU.stem]


def test_all_zero_chart_is_replaced_by_a_sentence_and_numbering_closes_up(tmp_path):
    wb = openpyxl.load_workbook(LIZHOU)
    ws = wb["三公经费表"]
    for row in ws.iter_rows(min_row=3):
        for cell in row[1:4]:
            cell.value = None
    book = tmp_path / "no_three_public.xlsx"
    wb.save(book)
    path = generate(book, output_dir=tmp_path)
    paras = _paragraphs(path)
    texts = [p.text for p in paras]
    assert sum(_has_chart(p) for p in paras) == 6
    assert "本年度未发生“三公”经费财政拨款支出，不绘制结构图。" in texts
    captions = [t for t in texts if re.match(r"^图\d+：", t)]
    assert [c.split("：")[0] for c in captions] == [f"图{i}" for i in range(1, 7)]
    assert not any("“三公”经费财政拨款支出结构" in c for c in captions)


def test_same_data_gives_byte_identical_charts(tmp_path):
    first, second = _views(LIZHOU), _views(LIZHOU)
    for name in CHART_TITLES:
        assert draw(first[name]) == draw(second[name])
    for mode, part in (("picture", "word/media/"), ("native", "word/charts/")):
        a = generate_document(LIZHOU, output_dir=tmp_path / mode / "a", chart_format=mode).path
        b = generate_document(LIZHOU, output_dir=tmp_path / mode / "b", chart_format=mode).path
        with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
            parts = sorted(n for n in za.namelist() if n.startswith(part))
            assert parts and all(za.read(n) == zb.read(n) for n in parts), mode
        assert a.read_bytes() == b.read_bytes(), mode


def test_every_chart_is_documented_for_template_authors():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "templates.md").read_text(encoding="utf-8")
    for name, title in CHART_TITLES.items():
        assert f"| `{name}` | {title} |" in doc


@pytest.mark.slow
def test_pictures_are_drawn_without_pyplot():
    """Bare figures on their own canvas: drawing every chart never imports pyplot (no global figure state)."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from tests.test_charts import _views\n"
            "from tests.conftest import LIZHOU\n"
            "from generator.document.charts import draw_all\n"
            "assert len(draw_all(_views(LIZHOU))) == 7\n"
            "print('pyplot' if 'matplotlib.pyplot' in sys.modules else 'no pyplot')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "no pyplot"

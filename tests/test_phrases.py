"""Sentence frames live in the template: a copy's .toml can reword them without touching Python."""

from __future__ import annotations

import shutil

import pytest
from docx import Document

from generator.document.pipeline import generate
from generator.document.render import document_text
from generator.document.templates import find
from generator.errors import TemplateError
from generator.wording.phrases import FIELDS, default_phrases
from tests.conftest import LIZHOU, ROOT


def _copy(tmp_path, phrases: str):
    """A user's copy of the Sichuan template with its own [phrases] table."""
    docx = tmp_path / "我的模板.docx"
    shutil.copy(ROOT / "templates" / "sichuan_juesuan.docx", docx)
    settings = (ROOT / "templates" / "sichuan_juesuan.toml").read_text(encoding="utf-8")
    (tmp_path / "我的模板.toml").write_text(settings + "\n[phrases]\n" + phrases, encoding="utf-8")
    return docx


def test_shipped_phrase_book_has_every_frame():
    assert set(default_phrases()) == set(FIELDS)


def test_a_copy_rewords_reasons_and_changes(tmp_path):
    docx = _copy(tmp_path, 'reason = "原因是{reason}。"\n'
                           'yoy_up = "{lead}{last}多{amount}万元（增幅{rate}%）"\n'
                           'budget_compare_reason = "{head}，{compare}，原因是{reason}"\n'
                           'budget_unbudgeted_reason = "{head}，原因是{reason}"\n'
                           'shortfall = "执行数小于预算数的原因是{reason}。"\n')
    text = document_text(Document(str(generate(LIZHOU, str(docx), tmp_path / "out"))))
    assert "本年收入合计902.05万元，比2019年多448.68万元（增幅98.97%）。原因是新增一体化政务服务平台建设" in text
    assert "完成预算47.38%，决算数小于预算数，原因是部分项目尚未完成招标采购" in text
    assert "执行数小于预算数的原因是第四季度网络费尚未结算。" in text
    assert "主要原因是" not in text
    assert "增长98.97%" not in text


def test_the_shipped_wording_is_unchanged_without_overrides(tmp_path):
    text = document_text(Document(str(generate(LIZHOU, output_dir=tmp_path))))
    assert "比2019年增加448.68万元，增长98.97%。主要原因是新增一体化政务服务平台建设" in text


@pytest.mark.parametrize(("line", "message"), [
    ('reason = "原因是{reason.__class__}。"', "只能用：{reason}"),
    ('reason = "原因是{cause}。"', "只能用：{reason}"),
    ('reason = "原因是{reason!r}。"', "只能用：{reason}"),
    ('reason = "原因是{reason:>10}。"', "只能用：{reason}"),
    ('reason = "原因是{reason。"', "花括号不成对"),
    ('no_such_phrase = "x"', "未知的项“no_such_phrase”"),
    ("reason = 3", "应为带引号的文字"),
])
def test_a_bad_frame_is_refused_with_its_name(tmp_path, line, message):
    docx = _copy(tmp_path, line + "\n")
    with pytest.raises(TemplateError) as err:
        find(str(docx))
    assert message in str(err.value) and "我的模板.toml" in str(err.value)

"""End to end: sample workbook → .docx, asserted on the text and tables read back from the document."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import openpyxl
import pytest
from docx import Document

from generator.document.pipeline import generate
from generator.document.render import document_text
from generator.errors import InputError
from tests.conftest import LIZHOU, SAMPLES, WULONG, YIYANG

LEFTOVERS = ["{{", "{%", "%}", "}}", "增加/减少", "增长/下降", "大于/小于", "nan", "NaN", "None", "XX", "××", "主要原因是。"]

# Expected sentences, computed by hand from the seeds' published figures (see tools/make_samples.py).
EXPECTED = {
    LIZHOU.stem: [
        "本年收入合计902.05万元，比2019年增加448.68万元，增长98.97%。主要原因是新增一体化政务服务平台建设及大厅综合窗口改造项目。",
        "本年支出合计506.68万元，比2019年增加126.02万元，增长33.11%。",
        "2020年本年收入合计902.05万元，其中：一般公共预算财政拨款收入902.05万元，占100.00%；政府性基金预算财政拨款收入0.00万元，占0.00%",
        "2020年本年支出合计506.68万元，其中：基本支出147.43万元，占29.10%；项目支出359.25万元，占70.90%；",
        "主要用于以下方面：一般公共服务支出482.75万元，占95.28%；社会保障和就业支出11.27万元，占2.22%；卫生健康支出4.87万元，占0.96%；住房保障支出7.79万元，占1.54%。",
        "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）一般行政管理事务（项）：支出决算为351.40万元，"
        "完成预算47.38%，决算数小于预算数，主要原因是部分项目尚未完成招标采购，资金结转下年使用。",
        "行政运行（项）：支出决算为123.50万元，完成预算100.00%，决算数等于预算数。",
        "人员经费129.91万元，主要包括：",
        "公用经费17.52万元，主要包括：办公费、水费、电费",
        "“三公”经费财政拨款支出决算为1.02万元，完成预算98.03%，决算数小于预算数，主要原因是厉行节约，压缩公务接待支出。",
        "公务接待费支出1.02万元，完成预算98.03%",
        "公务接待费支出与2019年持平。",
        "因公出国（境）费支出0.00万元，年初未安排预算，本年无此项支出。",
        "全年国内公务接待25批次、128人次（不包括陪同人员）。",
        "机关运行经费支出17.52万元，比2019年增加0.80万元，增长4.78%。主要原因是人员调动使日常办公支出增加。",
        "政府采购支出总额9.15万元",
        "项目全年预算数25.80万元，执行数24.62万元，完成预算95.43%。执行数小于预算数的主要原因是12月部分乡镇一体化平台网络费尚未结算。",
        "项目全年预算数7.00万元，执行数7.00万元，完成预算100.00%。通过项目实施，",
        "广元市利州区行政审批局",
    ],
    WULONG.stem: [
        "本年收入合计606.04万元，比2019年增加7.47万元，增长1.25%。",
        "基本支出499.26万元，占82.38%；项目支出106.78万元，占17.62%；",
        "“三公”经费支出比2019年减少8.21万元，下降41.05%。",
        "公务接待费支出7.39万元，完成预算49.27%，决算数小于预算数，主要原因是严格控制接待范围和标准。",
        "因公出国（境）费支出0.00万元，年初未安排预算，本年无此项支出。全年安排因公出国（境）团组0个，累计0人次。因公出国（境）费支出比2019年减少2.38万元，下降100.00%。",
        "截至2020年12月31日，区政务办共有车辆1辆，其中：主要领导干部用车0辆、机要通信用车0辆、应急保障用车1辆",
        "授予中小企业合同金额41.97万元，占政府采购支出总额的100.00%，其中：授予小微企业合同金额20.50万元，占政府采购支出总额的48.84%。",
    ],
    YIYANG.stem: [
        "一般公共预算财政拨款支出决算数为1054.50万元，完成预算106.46%。",
        "2020年一般公共预算财政拨款支出1054.50万元，占本年支出合计的100.00%，比2019年增加74.20万元，增长7.57%。",
        "人员经费500.66万元",
        "公用经费409.84万元",
    ],
}


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_key_sentences_with_computed_numbers(texts, stem):
    text = texts[stem].replace("\n", "")
    missing = [s for s in EXPECTED[stem] if s not in text]
    assert not missing, f"not found in {stem}: {missing}"


@pytest.mark.parametrize("stem", [b.stem for b in SAMPLES])
def test_no_leftovers(texts, stem):
    found = [s for s in LEFTOVERS if re.search(r"\b" + re.escape(s) + r"\b" if s.isalpha() else re.escape(s), texts[stem])]
    assert not found


def test_every_sample_has_a_document(generated):
    assert {p.stem for p in generated.values()} == {
        "广元市利州区行政审批局2020年度部门决算", "重庆市武隆区政务服务管理办公室2020年度部门决算", "益阳市行政审批服务局2020年度部门决算",
        "益阳市政务大厅服务中心2020年度部门决算", "益阳市智慧城市和大数据中心2020年度部门决算", "益阳市政务服务热线中心2020年度部门决算",
        "岳阳市君山区行政审批服务局2020年度部门决算", "乐山市金口河区行政审批局2024年度部门决算"}


def _table(doc, title_word: str, header_word: str):
    for t in doc.tables:
        if header_word in t.rows[0].cells[0].text or any(header_word in c.text for c in t.rows[0].cells):
            if title_word == "" or any(title_word in c.text for r in t.rows[:2] for c in r.cells):
                return t
    raise AssertionError(f"no table with {header_word}")


def test_table_05_rows_follow_the_data_and_headers_are_merged(generated):
    doc = Document(str(generated[LIZHOU.stem]))
    t = _table(doc, "预算数", "科目编码")
    assert t.cell(0, 3)._tc is t.cell(0, 5)._tc, "决算数 spans 合计/基本支出/项目支出"
    assert t.cell(0, 0)._tc is t.cell(1, 0)._tc, "科目编码 spans both header rows"
    body = [[c.text for c in r.cells] for r in t.rows[2:]]
    data = openpyxl.load_workbook(LIZHOU)["一般公共预算支出表"]
    codes = [str(r[0].value) for r in data.iter_rows(min_row=3) if r[0].value]
    assert [row[0] for row in body] == ["", *codes]
    assert body[0][1:6] == ["合计", "896.94", "506.68", "147.43", "359.25"]
    assert body[codes.index("2010302") + 1][2:] == ["741.66", "351.40", "0.00", "351.40"]


def test_table_01_totals_agree_with_the_text(generated, texts):
    doc = Document(str(generated[LIZHOU.stem]))
    t = _table(doc, "", "收入")
    rows = {r.cells[0].text: r.cells[1].text for r in t.rows}
    assert rows["本年收入合计"] == "902.05" and rows["总计"] == "974.76"
    assert "收入总计974.76万元，比2019年增加521.39万元，增长115.00%；支出总计974.76万元，比2019年增加521.39万元，增长115.00%。" in texts[LIZHOU.stem]


def test_tables_have_borders(generated):
    doc = Document(str(generated[LIZHOU.stem]))
    assert doc.tables and all(t.style.name == "Table Grid" for t in doc.tables)


def test_unit_text_is_escaped(tmp_path):
    wb = openpyxl.load_workbook(LIZHOU)
    ws = wb["基本信息"]
    row = next(c.row for c in ws["A"] if str(c.value).startswith("单位名称"))
    ws[f"B{row}"] = "A&B<C>行政审批局"
    ws[f"B{row + 1}"] = "A&B<C>"
    book = tmp_path / "escaped.xlsx"
    wb.save(book)
    path = generate(book, output_dir=tmp_path)
    text = document_text(Document(str(path)))
    assert "A&B<C>行政审批局" in text and "A&B<C>下属二级单位" in text


def test_bad_input_leaves_the_existing_document_untouched(tmp_path, generated):
    target = tmp_path / "广元市利州区行政审批局2020年度部门决算.docx"
    shutil.copy(generated[LIZHOU.stem], target)
    before = target.read_bytes()
    wb = openpyxl.load_workbook(LIZHOU)
    wb["收支总表"]["B3"] = "九百万"
    book = tmp_path / "broken.xlsx"
    wb.save(book)
    with pytest.raises(InputError):
        generate(book, output_dir=tmp_path)
    assert target.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_inputs_are_never_modified(tmp_path):
    before = LIZHOU.read_bytes()
    generate(LIZHOU, output_dir=tmp_path)
    assert LIZHOU.read_bytes() == before


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                    reason="LibreOffice not installed (CI installs it and runs this test)")
def test_libreoffice_opens_every_document(generated, tmp_path):
    assert shutil.which("soffice"), "CI must install LibreOffice (libreoffice-writer-nogui)"
    profile = tmp_path / "profile"
    docs = [str(p) for p in generated.values()]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *docs], check=True, capture_output=True, timeout=300)
    for doc in generated.values():
        pdf = tmp_path / (doc.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 10_000, f"LibreOffice could not convert {doc.name}"
        assert pdf.read_bytes().count(b"/Type /Page") >= 10 or pdf.read_bytes().count(b"/Type/Page") >= 10


def test_performance_management_sentence_and_nested_quotes(texts):
    text = texts[WULONG.stem]
    assert ("区政务办在年初预算编制阶段未开展预算事前绩效评估，对6个项目编制了绩效目标；预算执行过程中对6个项目开展了绩效监控；"
            "年度终了对6个项目开展了绩效目标完成情况自评。") in text
    assert "“行政服务中心‘快递跑’业务经费”" in text

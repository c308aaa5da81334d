"""The document audit, on hand-written paragraphs and tables in the documents' style, and on a generated document."""

from __future__ import annotations

import random
import shutil
import zipfile
from decimal import Decimal

import pytest

from generator.document.audit import (
    RULE_SAME,
    RULE_SHARES,
    RULE_SUM,
    RULE_TABLE,
    Audit,
    allowed,
    audit_blocks,
    blocks_from,
    read_docx,
    run,
)
from generator.vocabulary import ERROR
from generator.wording.numbers import half_up

TITLE = "广元市利州区行政审批局2020年度部门决算"


def audit(*items, places: int | None = None):
    return audit_blocks(blocks_from([TITLE, *items]), "测试.docx", places)


def rules(findings) -> list[str]:
    return [f.rule for f in findings]


def counted(*items) -> Audit:
    """The comparisons made, to prove a passing case was checked and not skipped."""
    return run(blocks_from([TITLE, *items]), "测试.docx")


# ---------------------------------------------------------------- 1. enumerations add up
INCOME = ("2020年本年收入合计902.05万元，其中：一般公共预算财政拨款收入902.05万元，占100.00%；"
          "政府性基金预算财政拨款收入0.00万元，占0.00%。")


def test_an_enumeration_that_adds_up_passes_and_was_checked():
    assert audit(INCOME) == []
    assert counted(INCOME).checked[RULE_SUM] == 1


def test_an_enumeration_that_does_not_add_up_is_an_error_naming_the_paragraph():
    found = audit("2020年本年支出合计506.68万元，其中：基本支出147.43万元，占29.10%；项目支出358.25万元，占70.90%。")
    assert rules(found) == [RULE_SUM]
    f = found[0]
    assert f.severity == ERROR
    assert "本年支出合计506.68万元" in f.message and "505.68万元" in f.message and "相差1.00万元" in f.message
    assert f.cells[0].where.sheet == "正文" and f.cells[0].where.cell == "第2段"
    assert "本年支出合计506.68万元" in f.cells[0].label


def test_rounding_of_the_printed_parts_is_tolerated_up_to_half_a_unit_per_part():
    # 3 parts printed at 2 decimals: ⌊3/2⌋ = 1 unit (0.01万元) of difference can come from rounding alone
    assert audit("本年支出合计10.00万元，其中：基本支出3.33万元；项目支出3.33万元；经营支出3.33万元。") == []
    assert rules(audit("本年支出合计10.00万元，其中：基本支出3.33万元；项目支出3.33万元；经营支出3.32万元。")) == [RULE_SUM]
    # one part has nothing to round away: it must be the total
    assert rules(audit("本年收入合计10.00万元，其中：一般公共预算财政拨款收入9.99万元，占100.00%。")) == [RULE_SUM]


def test_the_tolerance_is_what_half_up_rounding_of_exact_figures_can_produce_and_no_more():
    assert [allowed(n, 2) for n in (1, 2, 3, 4, 8)] == [Decimal(0), Decimal("0.01"), Decimal("0.01"), Decimal("0.02"),
                                                     Decimal("0.04")]
    rng = random.Random(17)
    worst: dict[int, Decimal] = {}
    for _ in range(20000):
        n = rng.randint(1, 8)
        parts = [Decimal(rng.randint(0, 10**7)) / 10000 for _ in range(n)]  # exact 元 amounts in 万元
        printed = sum((half_up(p, 2) for p in parts), Decimal(0))
        diff = abs(printed - half_up(sum(parts, Decimal(0)), 2))
        assert diff <= allowed(n, 2)
        worst[n] = max(worst.get(n, Decimal(0)), diff)
    assert worst[2] == allowed(2, 2) and worst[3] == allowed(3, 2)  # the bound is reached: it is not loose


def test_a_list_under_a_named_total_is_summed_against_that_figure():
    spending = "2020年度一般公共预算财政拨款支出1054.50万元，其中基本支出910.50万元，项目支出144.00万元。"
    listed = "项目支出主要包括：政务大厅综合窗口服务外包{}万元，税务窗口工作人员经费46.00万元。"
    assert audit(spending, listed.format("98.00")) == []
    found = audit(spending, listed.format("100.00"))
    assert rules(found) == [RULE_SUM]
    assert "项目支出144.00万元" in found[0].message and "146.00万元" in found[0].message
    assert [c.where.cell for c in found[0].cells] == ["第2段", "第3段"]


def test_a_list_of_names_is_not_an_enumeration_of_amounts():
    text = ("2020年一般公共预算财政拨款基本支出910.50万元，其中：人员经费500.66万元，主要包括：基本工资、津贴补贴、奖金；"
            "公用经费409.84万元，主要包括：办公费、水费、电费。")
    assert audit(text) == []
    assert counted(text).checked[RULE_SUM] == 1


def test_items_in_the_paragraphs_after_a_colon_are_the_parts():
    head = "2020年一般公共预算财政拨款支出决算数为100.00万元，完成预算100.00%。其中："
    item = "{}.一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）：支出决算为{}万元，完成预算100.00%，决算数等于预算数。"
    assert audit(head, item.format(1, "60.00"), item.format(2, "40.00"), "六、一般公共预算财政拨款基本支出决算情况说明") == []
    found = audit(head, item.format(1, "60.00"), item.format(2, "30.00"), "六、一般公共预算财政拨款基本支出决算情况说明")
    assert rules(found) == [RULE_SUM]
    assert "90.00万元" in found[0].message
    assert [c.where.cell for c in found[0].cells] == ["第2段", "第3段", "第4段"]


def test_a_list_with_its_own_sum_is_checked_against_it():
    text = "2020年区政务办共有2个项目，分别为：采购、工程、交易费用42.00万元，电子招投标系统配置经费{}万元，合计49.20万元。"
    assert audit(text.format("7.20")) == []
    assert rules(audit(text.format("7.00"))) == [RULE_SUM]


def test_a_single_part_may_be_less_than_its_total_but_not_more():
    text = "授予中小企业合同金额41.97万元，占政府采购支出总额的100.00%，其中：授予小微企业合同金额{}万元，占政府采购支出总额的48.84%。"
    assert audit(text.format("20.50")) == []
    found = audit(text.format("50.00"))
    assert rules(found) == [RULE_SUM] and "其中一项大于它所属的合计" in found[0].message


def test_parts_listed_in_following_sentences_count_and_change_amounts_do_not():
    text = ("2020年度一般公共预算财政拨款基本支出499.26万元。其中：人员经费381.06万元，较上年决算数增加20.00万元，"
            "主要包括：基本工资、津贴补贴。公用经费{}万元，较上年决算数增加5.00万元。主要原因是新增3名工作人员。")
    assert audit(text.format("118.20")) == []
    found = audit(text.format("100.00"))
    assert rules(found) == [RULE_SUM] and "481.06万元" in found[0].message


def test_price_thresholds_are_not_amounts_of_an_enumeration():
    text = ("截至2020年12月31日，区政务办共有车辆1辆，其中：主要领导干部用车0辆、其他用车1辆；"
            "单价50万元（含）以上通用设备0台（套），单价100万元（含）以上专用设备0台（套）。")
    assert audit(text) == []
    assert counted(text).checked[RULE_SUM] == 0


# ---------------------------------------------------------------- 2. shares add up to 100%
def test_shares_must_add_up_to_exactly_one_hundred():
    assert audit("2020年本年支出合计506.68万元，其中：基本支出147.43万元，占29.10%；项目支出359.25万元，占70.90%。") == []
    found = audit("2020年本年支出合计506.68万元，其中：基本支出147.43万元，占29.10%；项目支出359.25万元，占71.00%。")
    assert rules(found) == [RULE_SHARES]
    assert "29.10%＋71.00% = 100.10%" in found[0].message


def test_shares_listed_in_item_paragraphs_are_added_too():
    items = ["4.比较情况。区政务办2020年度一般公共预算财政拨款支出主要用于以下方面：",
             "（1）一般公共服务支出507.69万元，占83.8%，较年初预算数增加14.15万元，增长2.9%。",
             "（2）社会保障和就业支出98.35万元，占16.3%，与年初预算数持平。",
             "（四）一般公共预算财政拨款基本支出决算情况说明"]
    found = audit(*items)
    assert rules(found) == [RULE_SHARES] and "100.1%" in found[0].message


def test_a_share_of_another_whole_is_not_part_of_the_list():
    text = ("授予中小企业合同金额98.00万元，占政府采购支出总额的73.35%，其中：授予小微企业合同金额60.00万元，"
            "占政府采购支出总额的44.91%。")
    assert audit(text) == []
    assert counted(text).checked[RULE_SHARES] == 0


# ---------------------------------------------------------------- 3. text against tables
TABLE_01 = [["收入", "收入", "支出", "支出"],
            ["项目", "决算数", "项目", "决算数"],
            ["一、一般公共预算财政拨款收入", "1,054.50", "一、一般公共服务支出", "964.00"],
            ["本年收入合计", "{income}", "本年支出合计", "1,054.50"],
            ["总计", "1,054.50", "总计", "{grand}"]]
TABLE_05 = [["科目编码", "科目名称", "预算数", "决算数", "决算数", "决算数"],
            ["", "", "", "合计", "基本支出", "项目支出"],
            ["", "合计", "990.50", "{total}", "910.50", "144.00"],
            ["201", "一般公共服务支出", "900.00", "964.00", "820.00", "144.00"]]
TEXT = ("2020年度收入总计1054.50万元，支出总计1054.50万元。本年收入合计1054.50万元。"
        "2020年一般公共预算财政拨款支出1054.50万元，占本年支出合计的100.00%。")


def table(rows, **values):
    return [[cell.format(**values) for cell in row] for row in rows]


def test_figures_in_the_text_equal_their_table_rows():
    items = (TEXT, "公开01表　收入支出决算总表（2020年度）", "\t编制单位：益阳市行政审批服务局\t金额单位：万元",
             table(TABLE_01, income="1,054.50", grand="1,054.50"),
             "公开05表　一般公共预算财政拨款支出决算表（2020年度）", table(TABLE_05, total="1,054.50"))
    assert audit(*items) == []
    assert counted(*items).checked[RULE_TABLE] == 4  # 本年收入合计、收入总计、支出总计、05的决算合计


def test_a_table_row_that_disagrees_with_the_text_is_named():
    found = audit(TEXT, "公开01表　收入支出决算总表（2020年度）", table(TABLE_01, income="1,045.50", grand="1,054.60"),
                  "公开05表　一般公共预算财政拨款支出决算表（2020年度）", table(TABLE_05, total="1,054.05"))
    assert rules(found) == [RULE_TABLE] * 3
    messages = " ".join(f.message for f in found)
    assert "本年收入合计：正文为1054.50万元，表中为1,045.50" in messages
    assert "支出总计：正文为1054.50万元，表中为1,054.60" in messages
    assert "一般公共预算财政拨款支出：正文为1054.50万元，表中为1,054.05" in messages
    row = next(c for f in found for c in f.cells if "本年收入合计" in f.message and c.where.sheet != "正文")
    assert row.where.sheet == "表1「公开01表　收入支出决算总表（2020年度）」" and row.where.cell == "第4行"


# ---------------------------------------------------------------- 4. one figure, one value
def test_the_same_named_figure_printed_with_two_values_is_an_error():
    found = audit("2020年，区政务办机关运行经费支出118.20万元。", "（一）机关运行经费情况说明",
                  "2020年度区政务办机关运行经费支出17.52万元，较上年决算数增加0.80万元。")
    assert RULE_SAME in rules(found)
    f = next(f for f in found if f.rule == RULE_SAME)
    assert "机关运行经费" in f.message and "118.20" in f.message and "17.52" in f.message


def test_figures_of_another_year_or_of_other_units_are_not_the_same_figure():
    assert audit("2019年收入总计980.30万元，上年收入总计980.30万元。", "2020年度收入总计1054.50万元。") == []
    # a 部门汇总 that lists its members' figures
    assert audit("2020年，政务大厅服务中心机关运行经费支出0.00万元，与2019年持平。",
                 "2020年，市行政审批服务局机关运行经费支出380.00万元，比2019年增加30.00万元。") == []


def test_what_the_year_on_year_phrases_imply_must_agree():
    part = "公用经费118.20万元，较上年决算数增加118.20万元（上年决算数无此项收支）。"
    found = audit(part, "2020年度区政务办机关运行经费支出118.20万元，较上年决算数增加15.85万元，增长15.5%。")
    assert rules(found) == [RULE_SAME]
    assert "上年机关运行经费为102.35万元" in found[0].message and "上年公用经费0.00万元" in found[0].message
    assert audit(part.replace("118.20万元（上年决算数无此项收支）", "15.85万元"),
                 "2020年度区政务办机关运行经费支出118.20万元，较上年决算数增加15.85万元，增长15.5%。") == []


def test_an_increase_and_no_change_for_the_same_item_contradict_each_other():
    found = audit("公务接待费7.39万元，较上年决算数减少7.61万元，下降50.7%。", "3.公务接待费支出7.39万元，完成预算49.27%。公务接待费支出与2019年持平。")
    assert rules(found) == [RULE_SAME] and "15.00万元" in found[0].message and "7.39万元" in found[0].message
    assert audit("2020年度“三公”经费支出共计11.79万元，较上年决算数减少8.21万元，下降41.1%。",
                 "“三公”经费支出比2019年减少8.21万元，下降41.05%。") == []


def test_a_figure_cannot_be_spent_and_not_have_occurred():
    found = audit("1.因公出国（境）费支出2.00万元，年初未安排预算，本年无此项支出。")
    assert rules(found) == [RULE_SAME] and "本年无此项" in found[0].message
    assert audit("1.因公出国（境）费支出0.00万元，年初未安排预算，本年无此项支出。") == []


def test_a_template_that_drops_trailing_zeros_is_still_audited_at_two_decimals():
    text = "2020年本年支出合计10万元，其中：基本支出4万元；项目支出5万元。"  # 10.00 against 4.00 + 5.00
    assert rules(audit(text)) == [RULE_SUM]
    assert rules(audit(text, places=0)) == []  # a template printing whole 万元: a difference of 1 may be rounding


# ---------------------------------------------------------------- a generated document
@pytest.fixture(scope="module")
def sichuan_document(tmp_path_factory):
    """益阳 本级 with the default layout (四川): its text and 附表 agree today."""
    from generator.document.pipeline import generate
    from tests.conftest import YIYANG

    return generate(YIYANG, output_dir=tmp_path_factory.mktemp("audit"))


def test_a_generated_document_passes_its_audit_and_every_check_ran(sichuan_document):
    result = run(read_docx(sichuan_document), sichuan_document.name)
    assert result.findings == []
    assert all(result.checked[r] >= 5 for r in (RULE_SUM, RULE_SHARES, RULE_TABLE, RULE_SAME)), result.checked


def test_a_changed_table_cell_in_a_generated_document_is_found(sichuan_document, tmp_path):
    changed = tmp_path / sichuan_document.name
    shutil.copy(sichuan_document, changed)
    with zipfile.ZipFile(sichuan_document) as src:
        xml = src.read("word/document.xml").decode("utf-8")
        others = {n: src.read(n) for n in src.namelist() if n != "word/document.xml"}
    start = xml.index("公开06表")
    at = xml.index(">910.50<", start)
    xml = xml[:at] + ">901.50<" + xml[at + len(">910.50<"):]
    with zipfile.ZipFile(changed, "w") as dst:
        dst.writestr("word/document.xml", xml)
        for name, data in others.items():
            dst.writestr(name, data)
    found = audit_blocks(read_docx(changed), changed.name)
    assert rules(found) == [RULE_TABLE]
    assert "一般公共预算财政拨款基本支出：正文为910.50万元，表中为901.50" in found[0].message
    assert "公开06表" in found[0].cells[1].where.sheet

"""juesuan: fill Word templates for 部门决算公开 and 绩效自评 documents from a unit's workbook."""

__version__ = "0.1.0"

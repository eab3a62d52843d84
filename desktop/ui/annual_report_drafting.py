"""The annual report window's drafting buttons: 从台账起草 (sections 一 and 六's 要点落实情况 from the
ledger's notices of the year, ``desktop.annual.drafting``) and 以上年报告为基础新建 (last year's texts kept,
every number cleared). Both ask before replacing text the clerk has written and need a ledger.

Each function takes the window and acts on its report; good news goes to its status bar, failures to a box.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.annual.drafting import draft_section_one, draft_section_six, from_last_year

if TYPE_CHECKING:
    from .annual_report_window import AnnualReportWindow


def draft_from_ledger(win: AnnualReportWindow) -> bool:
    """Sections 一 and 六's 要点落实情况 from the ledger's notices of this year."""
    if win.ledger is None:
        win.messages.warning("没有打开台账，无法起草。")
        return False
    report = win.report
    year = report.year
    try:
        items = [(n, win.ledger.tasks(n.id)) for n in win.ledger.notices() if n.year == year]
    except Exception as exc:  # LedgerError and the like: shown, nothing changed
        win.messages.error(f"读取台账失败：{exc}")
        return False
    one = report.texts.get("一", "")
    if one.strip() and not win.confirm("从台账起草", "第一部分“总体情况”已有内容，起草的文字将替换它。继续吗？"):
        return False
    win.editors["一"].setPlainText(draft_section_one(items, year, report.organ))
    win.editors["六"].setPlainText(draft_section_six(items, year, report.texts.get("六", ""), report.organ))
    win.info(f"已根据台账中{year}年度的{len(items)}份通知起草第一部分和第六部分的要点落实情况，请修改完善。")
    win.tabs.setCurrentIndex(win.tab_of["一"])
    return True


def start_from_last_year(win: AnnualReportWindow) -> bool:
    """以上年报告为基础新建: last year's stored report with its numbers cleared becomes this year's."""
    year = win.report.year
    if win.ledger is None:
        win.messages.warning("没有打开台账，无法读取上年报告。")
        return False
    last = win.keeper.stored(year - 1, report_errors=True)[0]
    if last is None:
        win.messages.warning(f"没有找到{year - 1}年的报告。请先在{year - 1}年度中填写或导入上年报告。")
        return False
    if win.has_content() and not win.confirm(
            "以上年报告为基础新建", f"{year}年的报告已有内容，将被上年报告的文字替换，全部数字清空。继续吗？"):
        return False
    win.last_year = last
    win.replace_report(from_last_year(last, year))
    win.info("已复制上年报告的文字，数字已清空。请逐段按本年实际改写（未改动的段落会在下方提示）。")
    return True

"""What the import window tells and asks the clerk: the line under the proposed table (how many tasks were
read, or where to find them when none were), 保存 / 放弃 / 取消 when it is closed with changes, and
打开已有 / 作为新版本导入 / 取消 when the ledger already holds the notice (issue 15).
"""
from __future__ import annotations

from dataclasses import fields
from typing import Any

from desktop.importing.model import DOUBTFUL

SOURCE_TAB, TABLES_TAB = 0, 1


def count_line(parsed: Any) -> tuple[str, int | None]:
    """(the line under the table, the source tab to show — None: leave it) for a reading."""
    n = len(parsed.tasks)
    if n == 0 and parsed.tables:
        return ("没有读出任务：请在左边的“表格（指定各列）”中指明哪一列是具体内容、哪一列是单位和时限；"
                "或在“通知原文”中选中文字，右键“新建任务”。"), TABLES_TAB
    if n == 0:
        return "没有读出任务：请在左边的通知原文中选中一项任务的文字，右键“新建任务”（Ctrl+Shift+N）。", SOURCE_TAB
    if any(t.confidence < DOUBTFUL for t in parsed.tasks) and parsed.tables:
        return (f"共识别出 {n} 项任务，标黄的几行把握不大：可在“表格（指定各列）”中核对各列的含义。"
                "请核对后接受；取消则不保存任何内容。"), None
    return f"共识别出 {n} 项任务。请核对后接受；取消则不保存任何内容。", None


def remembered_note(roles: list[str]) -> str:
    """Said above the table when a remembered column setting was applied on opening."""
    from desktop.importing.parse.columns import NAME_OF

    return ("已按记住的列设置读取表格（" + "、".join(NAME_OF.get(r, r) for r in roles)
            + "）；不对可在“表格（指定各列）”中修改。")


def table_state(rows: list) -> list[tuple]:
    """The proposed table as the clerk sees it (not ids or versions, which undo does not restore)."""
    skip = {"id", "notice_id", "parent_id", "version"}
    return [tuple(getattr(r, f.name) for f in fields(r) if f.name not in skip) for r in rows]


def ask_unsaved(messages) -> str:
    """保存 (store like 接受并保存), 放弃 (close, store nothing) or 取消 (back to the review)."""
    return messages.choose(
        "导入通知", "提议的任务表或通知信息已经修改，还没有保存到台账。\n\n"
        "保存：与“接受并保存”相同；放弃：关闭窗口，不保存任何内容；取消：回到导入窗口继续核对。",
        ["保存", "放弃", "取消"], proceed="放弃")


def ask_duplicate(messages, old: Any) -> str:
    """打开已有 (store nothing, show ``old``), 作为新版本导入 (store a new notice) or 取消."""
    about = "、".join(x for x in (old.doc_number, f"{old.year}年" if old.year else None) if x)
    return messages.choose(
        "台账中已有这份通知",
        f"台账中已经有这份通知：\n“{old.title}”" + (f"（{about}）" if about else "") + "\n\n"
        "打开已有：不导入，转到已有的通知；作为新版本导入：另存一份新的通知；取消：回到导入窗口。",
        ["打开已有", "作为新版本导入", "取消"], proceed="作为新版本导入")

"""The 113-row provincial task table (分工方案) of ``tests.documents.provincial``, as the layout tests and
screenshots use it: the 2024 edition (title, 文号 and deadlines of 2024), stored under any title and year.

Four 重点任务 sections (一、…四、); under them 35 tasks (（一）…（十一） in the first section), most with
numbered measures (1. 2. …) and a few measures with sub-items (（1）…). Long 具体内容, long 责任单位
lists, 完成时限 on every measure, and no 牵头单位 anywhere (that column is empty for the whole notice).
"""
from __future__ import annotations

import datetime as dt

from desktop.storage.ledger import Ledger
from tests.documents import provincial

EDITION = 2024
TITLE = provincial.TITLE.format(year=EDITION)
DOC_NUMBER = provincial.DOC_NUMBER.format(year=EDITION)


def make_big_notice(ledger: Ledger, title: str = TITLE, doc_number: str | None = DOC_NUMBER,
                    year: int = EDITION) -> int:
    """Store the 113-row notice (deadlines of 2024) as notice year ``year``; returns its id."""
    return ledger.create_notice_with_tasks(
        {"title": title, "doc_number": doc_number, "date": dt.date(year, 2, 20), "year": year},
        provincial.provincial_tasks(EDITION))

"""Fixtures for the Excel exchange tests: a ledger with a realistic notice, and a unit's filled-in workbook."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from desktop.storage.ledger import Ledger
from tests.ui.conftest import REALISTIC_TASKS

TOWNS = "各乡镇人民政府"


@pytest.fixture
def ledger(data_dir) -> Iterator[Ledger]:
    led = Ledger(data_dir)
    yield led
    led.close()


@pytest.fixture
def notice_id(ledger: Ledger) -> int:
    return ledger.create_notice_with_tasks(
        {"title": "关于印发2024年县政府重点工作任务分解的通知", "doc_number": "×政办发〔2024〕3号",
         "date": dt.date(2024, 2, 20)}, REALISTIC_TASKS)


@pytest.fixture
def hand_out(ledger: Ledger, notice_id: int, tmp_path):
    """Write a unit's feedback workbook; returns its path."""
    from desktop.spreadsheets.feedback import make_feedback_workbook

    def make(unit: str = TOWNS, nid: int | None = None):
        nid = nid or notice_id
        return make_feedback_workbook(ledger.notice(nid), ledger.tasks(nid), unit, tmp_path / f"{unit}.xlsx",
                                      fingerprint=ledger.notice_fingerprint(nid), signer=ledger.sign_handout)

    return make


def task_id(ledger: Ledger, notice_id: int, title: str) -> int:
    return next(r.id for r in ledger.tasks(notice_id) if r.title == title)

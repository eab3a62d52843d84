"""Excel/WPS exchange: documents as .xlsx, feedback workbooks for units, returns merged back, year-on-year compare.

Plain Python on plain data (no Qt; storage only through ``ledger.Ledger``); openpyxl is imported when a
workbook is read or written. Modules:

- ``sheet_style``: fonts, borders, safe text cells (never a formula), column widths and row heights.
- ``writer``: ``export_xlsx(kind, notice, rows, out, …)`` renders the same ``documents.model.Doc`` the
  .docx/.pdf writers render (table / units / open / progress), print-ready.
- ``feedback``: ``make_feedback_workbook(notice, rows, unit, out, fingerprint=…,
  signer=ledger.sign_handout)``: a unit's tasks with the editable columns unlocked, a hidden task id per row and a hidden marker sheet
  whose hand-out record (unit, task ids, values sent) is signed with the ledger's secret.
- ``returns``: ``load_returns(path, ledger, notice_id=None)`` → a ``ReturnPlan`` in three groups: changes
  to import (old → new per field), conflicts with later ledger edits, and refused rows with the reason;
  ``ReturnPlan.ledger_args(accepted)`` feeds ``Ledger.apply_returns``.
- ``compare``: ``compare_notices(old_rows, new_rows)``: new, dropped and changed tasks.
"""
from __future__ import annotations

__all__ = ["ReturnsError"]


class ReturnsError(Exception):
    """A workbook that cannot be merged (broken, encrypted, not a feedback workbook, another notice):
    the message is one Chinese sentence saying what is wrong and what to do."""

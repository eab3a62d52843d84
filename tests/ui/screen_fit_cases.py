"""Every window and dialog on one screen: it fits the space the taskbar leaves, with its buttons in sight.

Not collected on its own (the name does not start with ``test_``): ``test_window_fit.py`` runs this file
in a subprocess per screen, because the offscreen platform's screen (size, DPI) is chosen when the
QApplication is created — ``QT_QPA_PLATFORM=offscreen:configfile=…``. The subprocess gets
``NOTICEDESK_FIT_SCREEN`` (the logical screen expected, e.g. ``1280x720`` for 1920×1080 at 150 %) and
``NOTICEDESK_FIT_TASKBAR`` (its height in logical pixels): the offscreen platform has no taskbar, so the
screens' available geometry is made that much shorter here, as Windows' taskbar makes it.

The checks, for each window as it opens in the program: its frame lies inside the available geometry;
with a real title bar (``TITLE_BAR`` px, which offscreen windows lack) above it, its bottom is still above
the taskbar; every visible QPushButton and QDialogButtonBox lies inside the available geometry (shifted
down by that title bar) and is not cut off by its window or a parent. Buttons inside a scroll area's
viewport (e.g. the detail panel's) may be scrolled away; the scroll area is what must be in sight.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QDialogButtonBox, QPushButton, QWidget

from desktop.domain import ProgressEntry
from desktop.storage.errors import ConflictError

#: the caption a real window manager puts above the client area (Windows 10/11 at 100 %: 31 px)
TITLE_BAR = 31
SCREEN = os.environ.get("NOTICEDESK_FIT_SCREEN", "")
TASKBAR = int(os.environ.get("NOTICEDESK_FIT_TASKBAR", "0") or 0)
LONG_TITLE = "乐至县人民政府办公室关于印发2023年乐至县政务公开工作要点任务分解表的通知（第二次修订稿，请各乡镇各部门认真贯彻落实）"


@pytest.fixture(autouse=True)
def _screen(qapp, monkeypatch):
    """The screen the parent test asked for, less a taskbar at the bottom."""
    screen = QGuiApplication.primaryScreen()
    size = screen.geometry().size()
    assert f"{size.width()}x{size.height()}" == SCREEN, (
        f"run by test_window_fit.py: the screen is {size.width()}x{size.height()}, expected {SCREEN!r}")
    real = QScreen.geometry
    monkeypatch.setattr(QScreen, "availableGeometry",
                        lambda self: real(self).adjusted(0, 0, 0, -TASKBAR))


def available() -> QRect:
    return QGuiApplication.primaryScreen().availableGeometry()


def settle(qtbot, window: QWidget) -> None:
    qtbot.waitExposed(window)
    qtbot.wait(30)  # the window's own placement after it shows (window_fit's deferred clamp)


def _in_scroll_viewport(w: QWidget, window: QWidget) -> QAbstractScrollArea | None:
    p = w.parentWidget()
    while p is not None and p is not window:
        area = p.parentWidget()
        if isinstance(area, QAbstractScrollArea) and area.viewport() is p:
            return area
        p = area if isinstance(area, QAbstractScrollArea) else p.parentWidget()
    return None


def fit_problems(window: QWidget) -> list[str]:
    """What does not fit (empty: all is well)."""
    avail = available()
    frame, inner = window.frameGeometry(), window.geometry()
    name = window.objectName() or type(window).__name__
    out = []
    if not avail.contains(frame):
        out.append(f"{name}: frame {frame.getRect()} outside the available {avail.getRect()}")
    # the client area as it would be under a real title bar of TITLE_BAR px at the frame's top
    shift = max(0, TITLE_BAR - (inner.top() - frame.top()))
    if inner.bottom() + shift > avail.bottom():
        out.append(f"{name}: {inner.height()} px tall at y={frame.top()}: with a {TITLE_BAR}-px title bar "
                   f"its bottom ({inner.bottom() + shift}) is under the taskbar ({avail.bottom()})")
    buttons = window.findChildren(QPushButton) + window.findChildren(QDialogButtonBox)
    for b in buttons:
        if not b.isVisible() or b.window() is not window:
            continue
        label = f"{name}: button {getattr(b, 'text', lambda: '')() or type(b).__name__!r}"
        area = _in_scroll_viewport(b, window)
        target = area if area is not None else b
        rect = QRect(target.mapToGlobal(QPoint(0, 0)), target.size()).translated(0, shift)
        if not avail.contains(rect):
            out.append(f"{label} at {rect.getRect()} is outside the available {avail.getRect()}")
        elif area is None and target.visibleRegion().boundingRect() != target.rect():
            out.append(f"{label} is cut off: only {target.visibleRegion().boundingRect().getRect()} "
                       f"of {target.rect().getRect()} shows")
    return out


def assert_fits(qtbot, window: QWidget) -> None:
    settle(qtbot, window)
    problems = fit_problems(window)
    assert not problems, "\n".join(problems)


# ---- the windows ------------------------------------------------------------------------------------

@pytest.fixture
def window(make_window, ledger, notice_id):
    """The main window on a ledger with two notices, the second (carried forward from the first) with a
    very long title: lists and combo boxes of notices must not make a window wider than the screen."""
    ledger.carry_forward(notice_id, 2025, LONG_TITLE * 2)
    return make_window(today=dt.date(2024, 7, 15))


def test_main_window(window, qtbot):
    assert_fits(qtbot, window)


@pytest.mark.parametrize("name", ["000_songming_2021.txt", "002_lezhi_2023_table.txt", "003_linyi_2023_web.txt"])
def test_import_window_on_a_corpus_notice(window, qtbot, corpus_dir, name):
    dialog = window.import_notice(corpus_dir / name)
    assert dialog.pages.currentIndex() == 1  # the review page: table, panel, source text, buttons
    assert_fits(qtbot, dialog)
    assert dialog.accept_button.isVisible()
    dialog.reject()


def test_import_window_start_page(window, qtbot):
    dialog = window.import_notice()
    assert_fits(qtbot, dialog)
    dialog.reject()


@pytest.mark.parametrize("print_mode", [False, True])
def test_export_dialog(window, qtbot, print_mode):
    dialog = window.export_document(print_mode=print_mode)
    with qtbot.waitSignal(dialog.preview_ready, timeout=20000):
        dialog.start_preview()
    assert_fits(qtbot, dialog)
    if print_mode:
        preview = dialog.print_preview()
        assert_fits(qtbot, preview)
        preview.close()
    dialog.reject()


def test_digest(window, qtbot):
    assert_fits(qtbot, window.tracking.show_digest())


def test_statistics(window, qtbot):
    assert_fits(qtbot, window.tracking.show_stats())


def test_annual_report(window, qtbot):
    report = window.open_annual_report()
    assert_fits(qtbot, report)
    report.set_cell("T3", "new_received", "natural_person", "5")  # a 勾稽 error
    assert report.problems and report.check_list.count() >= 1
    checks = report.check_list
    shown = checks.visibleRegion().boundingRect()
    lines = checks.fontMetrics().lineSpacing()
    assert shown.height() >= 3 * lines, f"the list of problems shows only {shown.height()} px"
    top = checks.mapToGlobal(QPoint(0, 0))
    assert available().contains(QRect(top, checks.size()).translated(0, TITLE_BAR))
    first = checks.visualItemRect(checks.item(0))
    assert shown.contains(first.topLeft()), "the first problem is not in sight"
    report.close()


def test_backup_restore(window, qtbot):
    assert_fits(qtbot, window.open_backup_dialog())


def test_carry_forward(window, qtbot):
    assert_fits(qtbot, window.open_carry_forward())


def test_compare(window, qtbot):
    view = window.open_compare()
    view.only_diff.setChecked(False)  # the carried-forward notice differs in its dates only
    assert view.table.rowCount() > 0
    assert_fits(qtbot, view)
    view.close()


def test_hand_out(window, qtbot):
    assert_fits(qtbot, window.open_hand_out())


def test_returns(window, qtbot, ledger, tmp_path):
    from desktop.spreadsheets import feedback as fb

    nid = window.notice_list.current_id()
    path = fb.make_feedback_workbook(ledger.notice(nid), ledger.tasks(nid), "县财政局", tmp_path / "back.xlsx",
                                     fingerprint=ledger.notice_fingerprint(nid))
    dialog = window.open_returns()
    dialog.load(Path(path))
    assert_fits(qtbot, dialog)


def test_server_settings(window, qtbot):
    dialog = window.open_server_settings()
    dialog.result.setText("数据库地址写法不对：无法解析。示例：postgresql+psycopg://用户名:密码@服务器地址:5432/noticedesk")
    assert_fits(qtbot, dialog)


def test_column_maps(window, qtbot, ledger):
    ledger.remember_columns(["序号", "工作任务", "具体内容", "牵头单位", "责任单位", "完成时限"],
                            ["number", "title", "text", "lead", "units", "deadline"])
    dialog = window.open_column_maps()
    assert dialog.list.count() == 1
    assert_fits(qtbot, dialog)


@pytest.mark.parametrize("edit", [False, True])
def test_new_notice_and_notice_properties(window, qtbot, ledger, edit):
    from desktop.ui.new_notice_dialog import NewNoticeDialog

    notice = ledger.notice(window.notice_list.current_id()) if edit else None
    if notice is not None:
        ledger.update_notice(notice.id, title=LONG_TITLE)
        notice = ledger.notice(notice.id)
    dialog = NewNoticeDialog(window.notice_list, notice)
    dialog.show()
    assert_fits(qtbot, dialog)
    dialog.reject()


def test_deadline_reason(window, qtbot):
    from desktop.ui.deadline_dialog import DeadlineReasonDialog

    dialog = DeadlineReasonDialog(LONG_TITLE, dt.date(2024, 6, 30), dt.date(2024, 9, 30), window)
    dialog.show()
    assert_fits(qtbot, dialog)
    dialog.reject()


@pytest.mark.parametrize("kind", ["status", "units", "shift"])
def test_bulk_dialogs(window, qtbot, kind):
    from desktop.ui.bulk_dialogs import BulkStatusDialog, BulkUnitsDialog, ShiftDeadlineDialog

    dialog = {"status": lambda: BulkStatusDialog(12, dt.date(2024, 7, 15), window),
              "units": lambda: BulkUnitsDialog(12, window.directory, window),
              "shift": lambda: ShiftDeadlineDialog(12, window)}[kind]()
    dialog.show()
    assert_fits(qtbot, dialog)
    dialog.reject()


def test_progress_entry(window, qtbot):
    from desktop.ui.progress_log import ProgressEntryDialog

    entry = ProgressEntry(id=1, task_id=1, date=dt.date(2024, 7, 1), text="已完成改厕320户，正在验收。" * 6,
                          who="县农业农村局")
    dialog = ProgressEntryDialog(entry, window)
    dialog.show()
    assert_fits(qtbot, dialog)
    dialog.reject()


@pytest.mark.parametrize("can_merge", [True, False])
def test_conflict(qtbot, qapp, can_merge):
    from desktop.ui.conflict_dialog import ConflictDialog

    text = "全面压减企业开办时间至1个工作日内，推行“一窗受理、集成服务”，" * 4
    yours = {"text": text + "（我改的）", "deadline_text": "9月底前", "lead_units": ["县行政审批服务局", "县市场监督管理局"]}
    theirs = {"text": text, "deadline_text": "6月底前", "lead_units": ["县行政审批服务局"]}
    err = ConflictError("task", 7, 3, 4, yours, theirs, {"status", "progress_note"} if can_merge else {"text"})
    dialog = ConflictDialog(err, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert_fits(qtbot, dialog)


def test_every_dialog_class_is_covered():
    """A new window or dialog under desktop/ui must be added here (and so be measured)."""
    import importlib
    import inspect
    import pkgutil

    from PySide6.QtWidgets import QDialog, QMainWindow

    import desktop.ui

    covered = {"MainWindow", "ImportDialog", "ExportDialog", "DigestDialog", "StatsDialog", "AnnualReportWindow",
               "BackupDialog", "CarryForwardDialog", "CompareView", "HandOutDialog", "ReturnsDialog",
               "ServerSettingsDialog", "ColumnMapsDialog", "NewNoticeDialog", "DeadlineReasonDialog",
               "BulkStatusDialog", "BulkUnitsDialog", "ShiftDeadlineDialog", "_BulkDialog", "ProgressEntryDialog",
               "ConflictDialog"}
    found = set()
    for info in pkgutil.iter_modules(desktop.ui.__path__):
        module = importlib.import_module(f"desktop.ui.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, QDialog | QMainWindow):
                found.add(name)
    assert found - covered == set(), f"not measured on the screen: {sorted(found - covered)}"
    assert QApplication.instance() is not None

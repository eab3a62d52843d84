"""Windows fit the screen: every window and dialog at 1366×768, 1920×1080 and 1920×1080 at 150 % (each
with a taskbar), in a subprocess per screen (``screen_fit_cases.py``); the shared ``window_fit`` helper
(clamping, remembering, placing); the annual report's frozen grid header."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow, QVBoxLayout, QWidget

from desktop.settings import WINDOW_SIZE, Settings
from desktop.ui import window_fit
from desktop.ui.window_fit import fit_to_screen

REPO = Path(__file__).resolve().parents[2]
CASES = Path(__file__).with_name("screen_fit_cases.py")

# name: (physical width, height, logical DPI (96 = 100 %), logical screen expected, taskbar in logical px)
SCREENS = {
    "1366x768": (1366, 768, 96, "1366x768", 40),
    "1920x1080": (1920, 1080, 96, "1920x1080", 40),
    "1920x1080-150%": (1920, 1080, 144, "1280x720", 48),
}


@pytest.fixture(scope="module")
def screen_runs(tmp_path_factory):
    """``screen_fit_cases.py`` on every screen, the subprocesses running side by side: name → (process,
    its output file)."""
    runs = {}
    for name, (width, height, dpi, logical, taskbar) in SCREENS.items():
        folder = tmp_path_factory.mktemp(f"screen-{name.replace('%', 'pc')}")
        config = folder / "screen.json"
        config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height,
                                                   "logicalDpi": dpi, "logicalBaseDpi": 96, "dpr": 1.0}]}))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_SCALE", "QT_SCREEN", "QT_ENABLE_HIGHDPI"))}
        env.update(QT_QPA_PLATFORM=f"offscreen:configfile={config}", NOTICEDESK_FIT_SCREEN=logical,
                   NOTICEDESK_FIT_TASKBAR=str(taskbar))
        out = folder / "output.txt"
        with out.open("w") as sink:
            proc = subprocess.Popen([sys.executable, "-m", "pytest", str(CASES), "-q", "-p", "no:cacheprovider",
                                     "--no-header", "-m", "not postgresql", "--basetemp", str(folder / "cases")],
                                    cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT)
        runs[name] = (proc, out)
    yield runs
    for proc, _out in runs.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.slow
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_window_and_dialog_fits_the_screen(screen, screen_runs):
    proc, out = screen_runs[screen]
    code = proc.wait(timeout=900)
    report = out.read_text(errors="replace")
    assert code == 0, f"windows that do not fit {screen}:\n{report[-15000:]}"
    assert " passed" in report and "skipped" not in report and "deselected" not in report, report[-15000:]


# ---- the helper, on the test session's own screen ---------------------------------------------------

def _dialog(parent: QWidget | None = None) -> QDialog:
    d = QDialog(parent)
    d.setObjectName("probeDialog")
    box = QVBoxLayout(d)
    box.addWidget(QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel))
    return d


class _Owner(QMainWindow):
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings


def test_fit_clamps_to_the_available_geometry_and_remembers_the_size(qtbot, tmp_path):
    settings = Settings(tmp_path / "ui.ini")
    owner = _Owner(settings)
    qtbot.addWidget(owner)
    avail = QGuiApplication.primaryScreen().availableGeometry()
    d = _dialog(owner)
    fit_to_screen(d, 5000, 5000)  # larger than any screen
    assert d.width() <= avail.width() - window_fit.FRAME_W and d.height() <= avail.height() - window_fit.FRAME_H
    d.show()
    qtbot.waitExposed(d)
    qtbot.wait(20)
    assert avail.contains(d.frameGeometry())
    d.resize(420, 260)
    d.hide()
    assert Settings(tmp_path / "ui.ini").get(WINDOW_SIZE.of("probeDialog")) == (420, 260)  # in the file

    again = _dialog(owner)
    fit_to_screen(again, 900, 700)
    assert again.size() == QSize(420, 260)  # remembered, not the preferred size

    settings.set(WINDOW_SIZE.of("probeDialog"), (9000, 9000))  # saved on a much bigger monitor
    big = _dialog(owner)
    fit_to_screen(big, 900, 700)
    assert big.width() < avail.width() and big.height() < avail.height()


def test_without_settings_nothing_is_remembered_and_content_sized_dialogs_wait_for_show(qtbot):
    d = _dialog()
    qtbot.addWidget(d)
    fit_to_screen(d)
    d.show()
    qtbot.waitExposed(d)
    assert d.size() == d.sizeHint().expandedTo(d.minimumSizeHint())
    d.hide()  # no settings anywhere up the chain: nothing to store, no error


def test_a_window_moved_off_screen_comes_back_when_shown(qtbot):
    d = _dialog()
    qtbot.addWidget(d)
    fit_to_screen(d, 300, 200)
    avail = QGuiApplication.primaryScreen().availableGeometry()
    d.move(avail.right() - 50, avail.bottom() - 50)
    d.show()
    qtbot.waitExposed(d)
    qtbot.waitUntil(lambda: avail.contains(d.frameGeometry()), timeout=1000)


def test_dialogs_of_the_main_window_reopen_at_the_size_the_clerk_gave_them(qtbot, make_window, notice_id,
                                                                          tmp_path):
    w = make_window()
    report = w.open_annual_report()
    qtbot.waitExposed(report)
    size = QSize(report.minimumSizeHint().width(), 430)  # the test screen is narrow (800 px)
    report.resize(size)
    report.close()  # deleted on close: the size is stored in the window's settings as it hides
    backup = w.open_backup_dialog()
    qtbot.waitExposed(backup)
    backup.resize(610, 333)
    backup.reject()
    stored = Settings(tmp_path / "ui.ini")
    assert stored.get(WINDOW_SIZE.of("annualReportWindow")) == (size.width(), size.height())
    assert w.open_annual_report().size() == size
    assert w.open_backup_dialog().size() == QSize(610, 333)


def test_main_window_geometry_saved_on_a_bigger_screen_is_shrunk(qtbot, ledger, messages, tmp_path):
    from desktop.ui.main_window import MainWindow

    ini = tmp_path / "ui.ini"
    w = MainWindow(ledger, settings=ini, messages=messages)
    qtbot.addWidget(w)
    w.show()
    w.setGeometry(0, 0, 3000, 2000)  # what a 4K monitor might have left in the settings
    w.close()
    w2 = MainWindow(ledger, settings=ini, messages=messages)
    qtbot.addWidget(w2)
    w2.show()
    qtbot.waitExposed(w2)
    limit = window_fit.max_size(w2)
    # the test session's offscreen screen is 800×800, narrower than the window's minimum width may be
    qtbot.waitUntil(lambda: w2.height() <= limit.height(), timeout=1000)
    assert w2.width() <= max(limit.width(), w2.minimumWidth())


# ---- the annual report's grid: the header rows stay when the rows scroll ------------------------------

def test_annual_grid_header_rows_stay_in_place_when_scrolled(qtbot, messages, tmp_path):
    from desktop.ui.annual_report_window import AnnualReportWindow

    w = AnnualReportWindow(tmp_path / "data", None, year=2024, messages=messages)
    qtbot.addWidget(w)
    w.resize(1000, 560)
    w.show()
    w.tabs.setCurrentIndex(w.tab_of["T3"])
    grid = w.grids["T3"]
    qtbot.waitExposed(grid)
    head = grid.head
    assert head is not None and head.isVisible()
    assert head.height() == grid.head_height() == sum(grid.rowHeight(r) for r in range(3))
    assert head.geometry().topLeft() == grid.viewport().geometry().topLeft()
    bar = grid.verticalScrollBar()
    assert bar.maximum() > 0, "the grid should be taller than its window here"
    bar.setValue(bar.maximum())
    qtbot.wait(10)
    # scrolled to the end: the header still shows its first row at the top, the last row is in sight
    assert head.indexAt(head.rect().topLeft()).row() == 0
    assert head.isVisible() and head.y() == grid.viewport().y()
    last = grid.model().index(grid.rowCount() - 1, 3)
    assert grid.viewport().rect().contains(grid.visualRect(last).center())
    # sideways: header and rows scroll together
    grid.horizontalScrollBar().setValue(grid.horizontalScrollBar().maximum())
    assert head.horizontalScrollBar().value() == grid.horizontalScrollBar().value()
    # a jump to a cell near the top (scrolled to the end) puts it below the frozen header, not under it
    row, col = grid.position("new_received", "natural_person")
    grid.go_to("new_received", "natural_person")
    rect = grid.visualRect(grid.model().index(row, col))
    assert rect.top() >= grid.head_height(), (rect.top(), grid.head_height())
    # the grids without header rows of their own (二: a header per block) have none frozen
    assert w.grids["T2"].head is None


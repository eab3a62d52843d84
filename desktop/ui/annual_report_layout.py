"""The annual report window's widgets: a year picker and the organ's name on top, the row of buttons, the
tabs with the opening paragraph and the six sections (一/五/六 as text editors, 二/三/四 as ``AnnualGrid``s
with the official labels and shaded computed totals), and below them the list of open problems in a splitter
that never collapses it (it stays in sight on a 1366×768 screen).

``build(win)`` makes them and sets them as the window's attributes (``year_spin``, ``organ_edit``, the
buttons, ``tabs``, ``editors``, ``grids``, ``tab_of``, ``check_list`` …), wired to the window's slots.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.annual.labels import SECTIONS

from .annual_grid import AnnualGrid

if TYPE_CHECKING:
    from .annual_report_window import AnnualReportWindow

TAB_NAMES = {"一": "一、总体情况", "二": "二、主动公开", "三": "三、依申请公开", "四": "四、复议诉讼",
             "五": "五、问题和改进", "六": "六、其他事项"}


def build(win: AnnualReportWindow) -> None:
    """The window's widgets, set as its attributes; its central widget."""
    top = _top_row(win)
    buttons = _button_row(win)
    win.tabs = QTabWidget()
    win.tabs.setObjectName("annualTabs")
    win.editors = {}
    win.grids = {}
    win.tab_of = {}
    win.intro_edit = _text_tab(win, "intro", "开头", "开头段落（编制依据、统计期限）")
    for s in SECTIONS:
        label = f"{s.no}、{s.title}"
        if s.kind == "text":
            _text_tab(win, s.no, TAB_NAMES[s.no], label)
        else:
            grid = AnnualGrid(s.table_id)
            grid.value_edited.connect(win._cell_edited)
            page = QWidget()
            lay = QVBoxLayout(page)
            lay.addWidget(QLabel(label))
            lay.addWidget(grid, 1)
            win.grids[s.table_id] = grid
            win.tab_of[s.table_id] = win.tabs.addTab(page, TAB_NAMES[s.no])

    win.split = split = QSplitter(Qt.Orientation.Vertical)
    split.setObjectName("annualSplit")
    split.addWidget(win.tabs)
    split.addWidget(_checks_panel(win))
    split.setStretchFactor(0, 4)
    split.setStretchFactor(1, 1)
    split.setChildrenCollapsible(False)
    central = QWidget()
    lay = QVBoxLayout(central)
    lay.addLayout(top)
    lay.addLayout(buttons)
    lay.addWidget(split, 1)
    win.setCentralWidget(central)


def size_split(win: AnnualReportWindow) -> None:
    """About a quarter of the height for the problems below the tabs (more than their minimum)."""
    total = max(win.split.height(), win.height() - 120)
    checks = max(win.split.widget(1).minimumHeight(), total // 4)
    win.split.setSizes([max(1, total - checks), checks])


def _top_row(win: AnnualReportWindow) -> QHBoxLayout:
    top = QHBoxLayout()
    top.addWidget(QLabel("年度："))
    win.year_spin = QSpinBox()
    win.year_spin.setObjectName("annualYear")
    win.year_spin.setRange(2000, 2100)
    win.year_spin.setValue(win.report.year)
    win.year_spin.setKeyboardTracking(False)
    win.year_spin.valueChanged.connect(win.load_year)
    top.addWidget(win.year_spin)
    top.addSpacing(16)
    top.addWidget(QLabel("机关名称："))
    win.organ_edit = QLineEdit()
    win.organ_edit.setObjectName("annualOrgan")
    win.organ_edit.setPlaceholderText("例如：某某县某某镇人民政府")
    win.organ_edit.textChanged.connect(win._organ_changed)
    top.addWidget(win.organ_edit, 1)
    win.title_label = QLabel()
    win.title_label.setObjectName("annualTitle")
    top.addWidget(win.title_label, 2)
    return top


def _button_row(win: AnnualReportWindow) -> QHBoxLayout:
    buttons = QHBoxLayout()
    win.draft_button = _button(buttons, "从台账起草", win.draft_from_ledger,
                               "根据台账中本年度的通知和任务，起草第一部分和第六部分的“年度政务公开工作要点落实情况”")
    win.copy_button = _button(buttons, "以上年报告为基础新建", win.start_from_last_year,
                              "保留上年报告的文字，清空全部数字")
    buttons.addSpacing(12)
    win.import_button = _button(buttons, "打开已存的报告数据…", win.import_json,
                                "打开以前用“另存报告数据…”保存的文件（.json），替换本年度报告的内容")
    win.save_button = _button(buttons, "另存报告数据…", win.save_json_as,
                              "把本年度报告的全部内容另存为一个文件（.json），可拷到其他电脑上继续填写。\n"
                              "报告本身随时自动保存，不必另存。")
    buttons.addSpacing(12)
    win.word_button = _button(buttons, "导出 Word…", lambda: win.export("docx"), "导出为 .docx 公文")
    win.pdf_button = _button(buttons, "导出 PDF…", lambda: win.export("pdf"), "导出为 .pdf 公文")
    buttons.addStretch(1)
    win.saved_label = QLabel()
    win.saved_label.setObjectName("annualSaved")
    buttons.addWidget(win.saved_label)
    return buttons


def _button(layout: QHBoxLayout, text: str, slot, tip: str) -> QPushButton:
    b = QPushButton(text)
    b.setToolTip(tip)
    b.clicked.connect(lambda _checked=False: slot())
    layout.addWidget(b)
    return b


def _text_tab(win: AnnualReportWindow, key: str, tab: str, label: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(f"annualText{key}")
    edit.textChanged.connect(lambda k=key: win._text_changed(k))
    page = QWidget()
    lay = QVBoxLayout(page)
    lay.addWidget(QLabel(label + ("" if key == "intro" else "（每段一行；“（一）……”单独一行为小标题）")))
    lay.addWidget(edit, 1)
    win.editors[key] = edit
    win.tab_of[key] = win.tabs.addTab(page, tab)
    return edit


def _checks_panel(win: AnnualReportWindow) -> QWidget:
    """The count and list of open problems; a click or Enter on one jumps to it."""
    win.check_label = QLabel()
    win.check_label.setObjectName("annualCheckCount")
    win.check_list = QListWidget()
    win.check_list.setObjectName("annualChecks")
    win.check_list.setWordWrap(True)
    win.check_list.itemClicked.connect(win.jump_to)
    win.check_list.itemActivated.connect(win.jump_to)
    checks = QWidget()
    cl = QVBoxLayout(checks)
    cl.setContentsMargins(0, 0, 0, 0)
    cl.addWidget(win.check_label)
    cl.addWidget(win.check_list, 1)
    # the problems stay in sight on a 1366×768 screen: never collapsed, at least a few lines tall
    checks.setMinimumHeight(win.check_label.sizeHint().height() + win.fontMetrics().lineSpacing() * 3 + 16)
    return checks


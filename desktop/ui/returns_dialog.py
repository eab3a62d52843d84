"""The returns window: a unit's filled-in feedback workbook, each change shown old → new, accepted or rejected.

Wiring (main_window.py, by the lead): a menu action 「导入单位反馈表…」 under 落实情况/工具::

    def open_returns(self):
        dlg = ReturnsDialog(self.ledger, self.messages, self, notice_id=self.current_notice_id())
        dlg.applied.connect(lambda nid: self.reload_notice(nid))   # whatever refreshes the table
        dlg.open()  # or exec(); the dialog asks for the file itself (choose_file), or pass path=…

and 「生成单位反馈表…」 → ``HandOutDialog(self.ledger, self.messages, self, notice_id=…)``.
``notice_id`` None accepts a workbook of any notice in the ledger; given, another notice's workbook is
refused. The review shows the plan's three groups (``spreadsheets.returns``), as ``returns --dry-run``
prints them: 可导入 (ticked), 冲突 — tasks changed in the ledger after the hand-out, with the ledger's
value, the value sent and the unit's (not ticked: the clerk ticks each one to take the unit's value) —
and 拒绝 (rows and fields not imported, with the reason; nothing to tick). Everything ticked is merged in
one transaction (``Ledger.apply_returns``): status and 完成日期 set, the 完成情况/佐证材料说明 text added to
the progress log with 填报人 = the unit, a ``returns`` row in the change log; a task changed meanwhile
refuses the whole merge. Not undoable from the window (the change log keeps what it was).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.ledger import Ledger, LedgerError

from .messages import MessageBridge
from .window_fit import fit_to_screen

KEY_ROLE = Qt.ItemDataRole.UserRole


class ReturnsDialog(QDialog):
    """Choose a returned workbook, review its changes, apply the accepted ones. ``applied(notice_id)``."""

    applied = Signal(int)

    def __init__(self, ledger: Ledger, messages: MessageBridge, parent: QWidget | None = None, *,
                 notice_id: int | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入单位反馈表")
        self.setObjectName("returnsDialog")
        self.ledger, self.messages, self.notice_id = ledger, messages, notice_id
        self.plan = None
        self.file_label = QLabel("请选择单位发回的反馈表（.xlsx）。")
        choose = QPushButton("选择反馈表…")
        choose.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["任务 / 修改项", "台账中现为", "单位填报为"])
        self.tree.setColumnWidth(0, 320)
        self.tree.setColumnWidth(1, 260)
        self.tree.itemChanged.connect(self._sync_parent)
        self.problems = QListWidget()
        self.problems.setMaximumHeight(110)
        self.summary = QLabel("")
        all_on, all_off = QPushButton("全部接受"), QPushButton("全部不接受")
        all_on.clicked.connect(lambda: self.set_all(True))
        all_off.clicked.connect(lambda: self.set_all(False))
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("导入接受的修改", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        self.apply_button.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addWidget(all_on)
        bottom.addWidget(all_off)
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(buttons)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.tree, 1)
        box.addWidget(QLabel("注意（请核实后告知填报单位）："))
        box.addWidget(self.problems)
        box.addLayout(bottom)
        fit_to_screen(self, 980, 640)
        if path is not None:
            self.load(Path(path))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择反馈表", "", "Excel 工作簿 (*.xlsx);;所有文件 (*)")
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> bool:
        """Read and plan ``path``; False (and an error message) when it is refused."""
        from desktop.spreadsheets import ReturnsError
        from desktop.spreadsheets.returns import load_returns

        try:
            plan = load_returns(path, self.ledger, self.notice_id)
        except (ReturnsError, LedgerError) as exc:
            self.messages.error(str(exc), "无法导入反馈表")
            return False
        self.plan = plan
        self.file_label.setText(f"{path.name}　填报单位：{plan.unit}　工作表：{plan.feedback.sheet}")
        self.tree.blockSignals(True)
        self.tree.clear()
        self.accepted_group = self._group(f"可导入（{len(plan.rows)} 项任务，{len(plan.changes())} 处修改）", True)
        for row in plan.rows:
            self._row(self.accepted_group, row, Qt.CheckState.Checked)
        self.conflict_group = self._group(
            f"冲突（{len(plan.conflicts)} 项任务）：发出反馈表后台账中已修改，勾选的才以单位填报为准导入", True)
        for row in plan.conflicts:
            self._row(self.conflict_group, row, Qt.CheckState.Unchecked)
        self.refused_group = self._group(f"拒绝（{len(plan.refused)} 处，不会导入）", False)
        for r in plan.refused:
            item = QTreeWidgetItem([r.text, "", ""])
            item.setToolTip(0, r.text)
            self.refused_group.addChild(item)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self.problems.clear()
        for note in plan.notes:
            self.problems.addItem(note)
        self._refresh()
        return True

    def _group(self, title: str, checkable: bool) -> QTreeWidgetItem:
        group = QTreeWidgetItem([title, "", ""])
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        if checkable:
            group.setFlags(group.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
        self.tree.addTopLevelItem(group)
        return group

    def _row(self, group: QTreeWidgetItem, row, state: Qt.CheckState) -> None:
        top = QTreeWidgetItem([f"{row.number} {row.title}".strip(), "", ""])
        top.setFlags(top.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
        group.addChild(top)
        for c in row.changes:
            label = f"{c.label}（发出时：{c.sent or '空'}）" if row.conflict else c.label
            child = QTreeWidgetItem([label, c.old or "（空）", c.new])
            child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            child.setCheckState(0, state)
            child.setData(0, KEY_ROLE, (c.task_id, c.field))
            child.setToolTip(2, c.new)
            top.addChild(child)
        top.setCheckState(0, state)

    def change_items(self) -> list[QTreeWidgetItem]:
        """Every change that can be ticked: the 可导入 group's, then the 冲突 group's."""
        if self.plan is None:
            return []
        rows = [group.child(i) for group in (self.accepted_group, self.conflict_group)
                for i in range(group.childCount())]
        return [row.child(j) for row in rows for j in range(row.childCount())]

    def conflict_items(self) -> list[QTreeWidgetItem]:
        group = self.conflict_group if self.plan is not None else None
        return [] if group is None else [group.child(i).child(j) for i in range(group.childCount())
                                         for j in range(group.child(i).childCount())]

    def accepted_changes(self) -> set[tuple[int, str]]:
        return {tuple(it.data(0, KEY_ROLE)) for it in self.change_items() if it.checkState(0) == Qt.CheckState.Checked}

    def set_all(self, on: bool) -> None:
        """全部接受 ticks the 可导入 group (conflicts are ticked one by one); 全部不接受 unticks both."""
        if self.plan is None:
            return
        self.tree.blockSignals(True)
        groups = (self.accepted_group,) if on else (self.accepted_group, self.conflict_group)
        for group in groups:
            for i in range(group.childCount()):
                row = group.child(i)
                for j in range(row.childCount()):
                    row.child(j).setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.tree.blockSignals(False)
        self._refresh()

    def _sync_parent(self, _item: QTreeWidgetItem, _column: int) -> None:
        self._refresh()

    def _refresh(self) -> None:
        if self.plan is None:
            self.summary.setText("")
            self.apply_button.setEnabled(False)
            return
        total, chosen = len(self.plan.changes()), len(self.accepted_changes())
        text = f"共 {total} 处修改，已选 {chosen} 处"
        if self.plan.conflicts:
            text += f"；冲突 {len(self.plan.conflict_changes())} 处（勾选才导入）"
        if self.plan.refused:
            text += f"；拒绝 {len(self.plan.refused)} 处"
        self.summary.setText(text)
        self.apply_button.setEnabled(bool(chosen))

    def apply(self) -> None:
        if self.plan is None:
            return
        accepted = self.accepted_changes()
        fields, reports = self.plan.ledger_args(accepted)
        if not fields and not reports:
            return
        try:
            self.ledger.apply_returns(self.plan.notice_id, self.plan.unit, fields, reports,
                                      source=self.plan.feedback.name,
                                      expected_versions=self.plan.expected_versions(accepted))
        except LedgerError as exc:
            self.messages.error(str(exc), "导入失败")
            return
        self.messages.info(f"已导入{self.plan.unit}的 {len(self.accepted_changes())} 处修改。", "导入完成")
        self.applied.emit(self.plan.notice_id)
        super().accept()


class HandOutDialog(QDialog):
    """Write one feedback workbook per unit of a notice into a folder (choose the units)."""

    def __init__(self, ledger: Ledger, messages: MessageBridge, parent: QWidget | None = None, *,
                 notice_id: int) -> None:
        from desktop.spreadsheets.feedback import unit_names

        super().__init__(parent)
        self.setWindowTitle("生成单位反馈表")
        self.ledger, self.messages, self.notice_id = ledger, messages, notice_id
        self.units = QListWidget()
        for name in unit_names(ledger.tasks(notice_id)):
            self.units.addItem(name)
            item = self.units.item(self.units.count() - 1)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        buttons = QDialogButtonBox()
        buttons.addButton("选择文件夹并生成…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.choose_folder)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(QLabel("为勾选的单位各生成一份反馈表（只含该单位牵头或参与的任务），发给单位填写后收回导入。"))
        box.addWidget(self.units, 1)
        box.addWidget(buttons)
        self.written: list[Path] = []
        fit_to_screen(self)

    def chosen_units(self) -> list[str]:
        return [self.units.item(i).text() for i in range(self.units.count())
                if self.units.item(i).checkState() == Qt.CheckState.Checked]

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "保存反馈表的文件夹")
        if folder:
            self.write_to(Path(folder))

    def write_to(self, folder: Path) -> bool:
        from desktop.spreadsheets.feedback import make_feedback_workbook
        from desktop.spreadsheets.writer import sheet_name
        from desktop.storage.errors import cannot_write

        out = folder
        try:
            notice, rows = self.ledger.notice(self.notice_id), self.ledger.tasks(self.notice_id)
            fingerprint = self.ledger.notice_fingerprint(self.notice_id)
            taken: set[str] = set()
            for unit in self.chosen_units():
                out = folder / f"{sheet_name(unit, taken)}-反馈表.xlsx"
                self.written.append(make_feedback_workbook(notice, rows, unit, out, fingerprint=fingerprint,
                                                           signer=self.ledger.sign_handout))
        except LedgerError as exc:
            self.messages.error(str(exc), "无法生成反馈表")
            return False
        except OSError as exc:
            self.messages.error(cannot_write(out, exc), "无法生成反馈表")
            return False
        self.messages.info(f"已生成 {len(self.written)} 份反馈表：{folder}", "生成完成")
        super().accept()
        return True

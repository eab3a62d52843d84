"""The message bridge: the one place the UI reports non-fatal errors and asks yes/no questions.

Widgets and undo commands call ``messages.error(...)`` / ``messages.confirm(...)`` /
``messages.choose(...)``; nothing else opens a QMessageBox. ``BoxPresenter`` shows the messages as
Chinese message boxes; tests use a bridge without a presenter (``MessageBridge(show_boxes=False)``),
read ``bridge.log`` and answer questions through ``confirmer`` / ``chooser``, so no modal box ever
blocks a test.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.storage.ledger import LedgerError

ERROR, WARNING, INFO = "error", "warning", "info"


class MessageBridge(QObject):
    """Signal-based message sink. ``shown(level, title, text)`` fires for every message."""

    shown = Signal(str, str, str)

    def __init__(self, parent: QObject | None = None, *, show_boxes: bool = True,
                 confirmer: Callable[[str, str], bool] | None = None,
                 chooser: Callable[[str, str, list[str]], str] | None = None) -> None:
        super().__init__(parent)
        self.log: list[tuple[str, str, str]] = []
        self._presenter: BoxPresenter | None = None
        if show_boxes:
            widget = parent if isinstance(parent, QWidget) else None
            self._presenter = BoxPresenter(widget)
            self.shown.connect(self._presenter.show)
        #: answers confirm(); tests replace it (default: ask with a message box, or say yes headless)
        self.confirmer = confirmer or (self._presenter.ask if self._presenter else (lambda t, x: True))
        #: answers choose(); tests replace it (default: a message box; headless, choose's ``proceed``)
        self.chooser = chooser or (self._presenter.choose if self._presenter else None)

    def error(self, text: str, title: str = "出错了") -> None:
        self._emit(ERROR, title, text)

    def warning(self, text: str, title: str = "提示") -> None:
        self._emit(WARNING, title, text)

    def info(self, text: str, title: str = "提示") -> None:
        self._emit(INFO, title, text)

    def _emit(self, level: str, title: str, text: str) -> None:
        self.log.append((level, title, text))
        del self.log[:-100]
        self.shown.emit(level, title, text)

    def confirm(self, title: str, text: str) -> bool:
        return bool(self.confirmer(title, text))

    def choose(self, title: str, text: str, options: Sequence[str], proceed: str | None = None) -> str:
        """Ask a question with several answers and return the one picked. The first option is the box's
        default button (make it the safe one), the last is what Esc or closing the box picks (取消).
        ``proceed`` (default: the first option) is the answer that goes on with what the clerk asked
        for, like confirm's yes: a bridge without boxes and without a ``chooser`` gives it."""
        options = list(options)
        answer = self.chooser(title, text, options) if self.chooser else (proceed or options[0])
        if answer not in options:
            raise ValueError(f"answer {answer!r} is not one of {options}")
        return answer

    @contextmanager
    def guard(self, what: str = ""):
        """Report a LedgerError raised inside the block instead of letting it escape."""
        try:
            yield
        except LedgerError as e:
            self.error(f"{what}失败：{e}" if what else str(e))


class BoxPresenter(QObject):
    """Shows bridge messages as message boxes over ``parent_widget``."""

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__()
        self.parent_widget = parent_widget

    def show(self, level: str, title: str, text: str) -> None:
        box = {ERROR: QMessageBox.warning, WARNING: QMessageBox.warning}.get(level, QMessageBox.information)
        box(self.parent_widget, title, text)

    def ask(self, title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent_widget)
        yes = box.addButton("确定", QMessageBox.ButtonRole.YesRole)
        no = box.addButton("取消", QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(no)
        box.exec()
        return box.clickedButton() is yes

    def choose(self, title: str, text: str, options: list[str]) -> str:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent_widget)
        buttons = [box.addButton(o, QMessageBox.ButtonRole.RejectRole if i == len(options) - 1
                                 else QMessageBox.ButtonRole.ActionRole) for i, o in enumerate(options)]
        box.setDefaultButton(buttons[0])
        box.setEscapeButton(buttons[-1])
        box.exec()
        clicked = box.clickedButton()
        return options[buttons.index(clicked)] if clicked in buttons else options[-1]

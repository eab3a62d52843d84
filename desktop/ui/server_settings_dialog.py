"""设置 → 台账位置: keep the ledger in this PC's data folder (SQLite, the default) or use the office's
database server (PostgreSQL, ``postgresql+psycopg://user:password@host:5432/noticedesk``).

The choice is the setting ``SERVER_DB_URL`` (empty = this PC) in the data folder's settings file, used at
the next start: ``saved_db_url(store)`` is what ``app.run_gui`` reads when no ``--db-url`` is given. "测试连接" opens the
server read-only and says whether it holds a ledger this program can use (a server is created and
upgraded only by the IT person's ``python -m desktop migrate``).
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.settings import SERVER_DB_URL, Settings

from .window_fit import fit_to_screen


def saved_db_url(settings: Settings) -> str | None:
    """The server URL chosen in the settings, or None for the local data folder."""
    return settings.get(SERVER_DB_URL).strip() or None


def save_db_url(url: str | None, settings: Settings) -> None:
    settings.set(SERVER_DB_URL, (url or "").strip())


def check_server(url: str) -> tuple[bool, str]:
    """(usable, a sentence for the clerk): connects, reads the schema version, writes nothing."""
    from desktop.storage import migrations
    from desktop.storage.errors import LedgerError

    try:
        version = migrations.check(url)
    except LedgerError as e:
        return False, str(e)
    except Exception as e:  # a malformed URL
        return False, f"数据库地址写法不对：{e}。示例：postgresql+psycopg://用户名:密码@服务器地址:5432/noticedesk"
    if version < migrations.CURRENT_VERSION:
        return False, migrations.server_needs_migrate_message(version)
    return True, f"连接成功：服务器上的台账可以使用（版本 {version}）。"


class ServerSettingsDialog(QDialog):
    """Where the ledger lives; the change takes effect at the next start."""

    def __init__(self, parent: QWidget | None, settings: Settings) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("台账位置")
        layout = QVBoxLayout(self)
        self.local = QRadioButton("本机数据文件夹（单人使用，默认）", self)
        self.server = QRadioButton("单位的数据库服务器（多人共用一本台账）", self)
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.server)
        layout.addWidget(self.local)
        layout.addWidget(self.server)
        row = QHBoxLayout()
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("postgresql+psycopg://用户名:密码@服务器地址:5432/noticedesk")
        self.test_button = QPushButton("测试连接", self)
        row.addWidget(self.url, 1)
        row.addWidget(self.test_button)
        layout.addLayout(row)
        self.result = QLabel("", self)
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        note = QLabel("数据库地址由信息技术管理员提供；首次使用前需由管理员运行 python -m desktop migrate 建立台账表。"
                      "本机已有的台账可用“备份”后由管理员 restore 到服务器。更改在下次启动程序时生效。", self)
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        current = saved_db_url(self.settings)
        self.url.setText(current or "")
        (self.server if current else self.local).setChecked(True)
        self.server.toggled.connect(self._update)
        self.test_button.clicked.connect(self.test)
        self._update()
        fit_to_screen(self, 600)  # wide enough for a server address; as tall as its content

    def _update(self) -> None:
        on = self.server.isChecked()
        self.url.setEnabled(on)
        self.test_button.setEnabled(on)

    def chosen_url(self) -> str | None:
        return self.url.text().strip() or None if self.server.isChecked() else None

    def test(self) -> bool:
        url = self.chosen_url()
        if not url:
            self.result.setText("请填写数据库地址。")
            return False
        ok, text = check_server(url)
        self.result.setText(text)
        return ok

    def _save(self) -> None:
        if self.server.isChecked() and not self.chosen_url():
            self.result.setText("请填写数据库地址，或选择“本机数据文件夹”。")
            return
        save_db_url(self.chosen_url(), self.settings)
        self.accept()

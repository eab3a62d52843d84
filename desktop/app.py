"""Starts the desktop app: QApplication, fonts, Chinese translations, exception hook, main window."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from desktop.logs import install_excepthook, log, setup_logging


def run_gui(data_dir: Path, db_url: str | None = None, quit_when_ready: bool = False,
            no_err_windows: bool = False, debug: bool = False) -> int:
    """Run the window until it closes; returns the process exit status."""
    started = time.perf_counter()
    from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop import __version__
    from desktop.ui.app_fonts import choose_ui_font, register_bundled_fonts

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("NoticeDesk")
    app.setApplicationDisplayName("要点台账")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("NoticeDesk")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))

    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)

    app.setFont(choose_ui_font(register_bundled_fonts()))

    log_path = setup_logging(data_dir, debug)

    def notify(text: str) -> None:
        if no_err_windows:
            sys.stderr.write(text + "\n")
        else:
            QMessageBox.critical(None, "要点台账", text)

    install_excepthook(log_path, notify, show_traceback=debug)

    from desktop.storage.ledger import Ledger, LedgerError
    from desktop.ui.main_window import MainWindow

    try:
        ledger = Ledger(data_dir=data_dir, db_url=db_url)
    except LedgerError as exc:
        notify(str(exc))
        return 2

    window = MainWindow(ledger)
    window.show()
    log.info("main window shown in %.0f ms", (time.perf_counter() - started) * 1000)
    if quit_when_ready:
        # singleShot(0) runs once the event loop is idle, i.e. after the first paint was queued.
        QTimer.singleShot(0, app.quit)
    status = app.exec()
    ledger.close()
    return status

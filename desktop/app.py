"""Starts the desktop app: QApplication, fonts, Chinese translations, exception hook, main window.

The window is on screen in about half a second: an up-to-date ledger is read without SQLAlchemy
(storage/quickread.py), SQLAlchemy is loaded in the background once the window is up, and the
digest of what is due opens a moment after the window has painted.
"""
from __future__ import annotations

import os
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
    from PySide6.QtGui import QIcon

    from desktop.resources import resource

    app.setWindowIcon(QIcon(str(resource("icons", "noticedesk-256.png"))))

    log_path = setup_logging(data_dir, debug)

    def notify(text: str) -> None:
        if no_err_windows:
            sys.stderr.write(text + "\n")
        else:
            QMessageBox.critical(None, "要点台账", text)

    install_excepthook(log_path, notify, show_traceback=debug)

    from desktop.settings import Settings
    from desktop.storage.ledger import Ledger, LedgerError
    from desktop.ui.legacy_settings import take_over
    from desktop.ui.main_window import MainWindow

    settings = Settings.in_data_dir(data_dir)  # the one settings file (desktop/settings.py)
    take_over(settings, native=True)  # once: what an older version kept through QSettings
    from_settings = False
    if db_url is None:  # 工具 → 台账位置: an office server chosen in the app, used from the next start
        from desktop.ui.server_settings_dialog import saved_db_url

        db_url = saved_db_url(settings)
        from_settings = db_url is not None
    ledger = None
    if db_url is not None:
        try:
            ledger = Ledger(data_dir=data_dir, db_url=db_url)
        except LedgerError as exc:
            if not from_settings:
                notify(str(exc))
                return 2
            # A server chosen in the settings is unreachable: open this PC's ledger rather than
            # leave the clerk with a program that cannot start.
            notify(f"{exc}\n\n本次改为打开本机台账。可在“工具 → 台账位置”中检查服务器设置。")
            db_url = None
    instance_lock = None
    if ledger is None:
        try:  # one window per data folder (storage/lock.py); a stale lock is taken over
            from desktop.storage.lock import acquire

            instance_lock = acquire(data_dir)
            ledger = Ledger(data_dir=data_dir)
        except LedgerError as exc:
            if instance_lock is not None:
                instance_lock.release()
            notify(str(exc))
            return 2

    window = MainWindow(ledger, settings=settings)
    window.show()
    if db_url is not None and not quit_when_ready:
        window.watch_server()  # other clerks' saves appear within ~10 s while idle
    _timing("window_shown")
    log.info("main window shown in %.0f ms", (time.perf_counter() - started) * 1000)
    # What is due (one digest window, the status-bar count): a moment after the window has painted,
    # read through the start-up reader (no SQLAlchemy); bench/bench_tracking.py measures its cost.
    QTimer.singleShot(250, window.tracking.start)
    if quit_when_ready:
        # singleShot(0) runs once the event loop is idle, i.e. after the first paint was queued.
        QTimer.singleShot(0, lambda: (_timing("ready"), app.quit()))
    else:
        # The window was filled without SQLAlchemy (storage/quickread.py); import it in the
        # background once the window has painted, so the clerk's first edit does not wait for it.
        import threading

        QTimer.singleShot(300, lambda: threading.Thread(target=ledger.warm_up, name="ledger-warm-up",
                                                        daemon=True).start())
        if db_url is None:  # today's automatic backup, stdlib sqlite3 in its own thread (storage/backup.py)
            from desktop.storage.backup import start_daily_backup

            QTimer.singleShot(2000, lambda: start_daily_backup(data_dir))
    status = app.exec()
    ledger.close()
    if instance_lock is not None:
        instance_lock.release()
    return status


def _timing(event: str) -> None:
    """Start-up milestones for bench/bench_startup.py (wall-clock, so the bench can subtract its spawn time)."""
    if os.environ.get("NOTICEDESK_TIMING"):
        sys.stderr.write(f"timing {event} {time.time():.4f}\n")
        sys.stderr.flush()

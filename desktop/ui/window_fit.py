"""Top-level windows and dialogs sized to the screen they open on, and their size remembered.

Township PCs are mostly 1366×768 laptops with a taskbar: a window taller than the space the taskbar
leaves hides its 确定 / 取消 buttons. ``fit_to_screen(widget, w, h)`` gives a window its remembered size
(else ``w``×``h``), never more than the screen's available geometry less the window manager's frame;
when the window shows it is moved, if need be, so that its frame lies inside the available geometry;
when it hides its size is remembered as ``WINDOW_SIZE.of(key)`` (key: the object name, else the class
name) in the settings of the first widget up the parent chain that has a ``desktop.settings.Settings``
``settings`` attribute (the main window's), so nothing is remembered for a window without one.
``keep_on_screen(widget)`` only does the showing part (the main window restores its own geometry).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from desktop.logs import log
from desktop.settings import WINDOW_SIZE, Settings

#: the window manager's frame before the window has one to measure: borders and a title bar
#: (Windows 10/11: 8 px borders, ~31 px title bar; most Linux themes less)
FRAME_W, FRAME_H = 16, 40
# the window's properties that hold its state
_KEY, _PENDING, _PREFERRED = "windowFitKey", "windowFitPending", "windowFitPreferred"
_SETTLING, _WATCHED = "windowFitSettling", "windowFitWatched"


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The available geometry (without taskbar) of the screen ``widget`` is on, else the primary one."""
    screen = None
    if widget is not None:
        parent = widget.parentWidget()
        screen = widget.screen() if widget.isVisible() or parent is None else parent.window().screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def frame_size(widget: QWidget) -> QSize:
    """What the frame adds to the window's size: measured once shown, never less than the estimate."""
    if widget.isVisible():
        outer, inner = widget.frameGeometry(), widget.geometry()
        return QSize(max(FRAME_W, outer.width() - inner.width()), max(FRAME_H, outer.height() - inner.height()))
    return QSize(FRAME_W, FRAME_H)


def max_size(widget: QWidget) -> QSize:
    """The largest size (without frame) ``widget`` may have on its screen."""
    avail, frame = available_geometry(widget), frame_size(widget)
    return QSize(max(200, avail.width() - frame.width()), max(150, avail.height() - frame.height()))


def settings_for(widget: QWidget) -> Settings | None:
    """The settings of ``widget`` or of the nearest parent that keeps one (the main window's)."""
    w: QWidget | None = widget
    while w is not None:
        s = getattr(w, "settings", None)
        if isinstance(s, Settings):
            return s
        w = w.parentWidget()
    return None


def size_key(widget: QWidget) -> str:
    return widget.objectName() or type(widget).__name__


def fit_to_screen(widget: QWidget, preferred_w: int | None = None, preferred_h: int | None = None, *,
                  key: str | None = None, remember: bool = True) -> None:
    """Size the window ``widget``: the remembered size, else ``preferred_w``×``preferred_h`` (either None:
    that side from its size hint when it first shows, for dialogs as big as their content), at most what
    the screen's available geometry leaves; keep it on screen when shown and remember its size when hidden."""
    widget.setProperty(_KEY, (key or size_key(widget)) if remember else "")
    widget.setProperty(_PENDING, preferred_w is None or preferred_h is None)
    widget.setProperty(_PREFERRED, QSize(preferred_w or 0, preferred_h or 0))
    _watch(widget)
    if not widget.property(_PENDING):
        _apply_size(widget, QSize(preferred_w, preferred_h))


def keep_on_screen(widget: QWidget) -> None:
    """Whenever ``widget`` shows: no larger than its screen's available geometry, and inside it."""
    _watch(widget)


def _apply_size(widget: QWidget, preferred: QSize) -> None:
    size = preferred
    key, store = widget.property(_KEY), settings_for(widget)
    if key and store is not None:
        w, h = store.get(WINDOW_SIZE.of(key))
        if w > 0 and h > 0:
            size = QSize(w, h)
    widget.resize(size.boundedTo(max_size(widget)))


def clamp_to_screen(widget: QWidget, move: bool = True) -> None:
    """Shrink and move the (shown) window ``widget`` so that it lies inside the available geometry, its
    frame included (estimated until the window manager has framed it). Maximised, minimised and
    full-screen windows are the window manager's business."""
    if widget.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen
                               | Qt.WindowState.WindowMinimized):
        return
    limit = max_size(widget)
    if widget.width() > limit.width() or widget.height() > limit.height():
        widget.resize(widget.size().boundedTo(limit))
    if not move or not widget.isVisible():
        return
    avail, outer, inner = available_geometry(widget), widget.frameGeometry(), widget.geometry()
    framed = outer != inner
    # the frame's parts: as measured, else the estimate (title bar on top)
    left, top = inner.x() - outer.x(), inner.y() - outer.y()
    right, bottom = outer.right() - inner.right(), outer.bottom() - inner.bottom()
    if not framed:
        left, right, bottom = FRAME_W // 2, FRAME_W // 2, FRAME_W // 2
        top = FRAME_H - bottom
    x = max(avail.x() + left, min(inner.x(), avail.right() - right - inner.width() + 1))
    y = max(avail.y() + top, min(inner.y(), avail.bottom() - bottom - inner.height() + 1))
    if (x, y) != (inner.x(), inner.y()):
        # move() places the frame; before the window has one, Qt places the client area there
        widget.move(x - (inner.x() - outer.x()), y - (inner.y() - outer.y()))


class _Watcher(QObject):
    """One event filter for every fitted window (its state in the window's properties, so that nothing
    depends on a Python wrapper that PySide may have let go): keeps the window on screen when it shows
    and stores its size when it hides."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        try:
            kind = event.type()
            if kind == QEvent.Type.Show and not event.spontaneous() and isinstance(obj, QWidget):
                _shown(obj)
            elif kind == QEvent.Type.Move and isinstance(obj, QWidget) and obj.property(_SETTLING):
                QTimer.singleShot(0, obj, lambda w=obj: _settle(w))  # e.g. the window manager framed it
            elif kind == QEvent.Type.Hide and not event.spontaneous() and isinstance(obj, QWidget):
                obj.setProperty(_SETTLING, False)
                _save(obj)
        except Exception:  # a window that cannot be measured must still open
            log.exception("window_fit: %s", type(obj).__name__)
        return False


def _shown(w: QWidget) -> None:
    if w.property(_PENDING):
        w.setProperty(_PENDING, False)
        preferred, hint = w.property(_PREFERRED), w.sizeHint().expandedTo(w.minimumSizeHint())
        width = preferred.width() or hint.width()
        height = preferred.height() or (w.heightForWidth(width) if w.hasHeightForWidth() else -1)
        _apply_size(w, QSize(width, max(height, w.minimumSizeHint().height()) if height > 0 else hint.height()))
    clamp_to_screen(w, move=False)  # where it goes is Qt's and the window manager's call first
    # once placed and framed, pulled inside the available geometry if need be
    w.setProperty(_SETTLING, True)
    for ms in (0, 300, 1000):
        QTimer.singleShot(ms, w, lambda: _settle(w))
    QTimer.singleShot(2000, w, lambda: w.setProperty(_SETTLING, False))


def _settle(w: QWidget) -> None:
    if w.property(_SETTLING) and w.isVisible() and w.frameGeometry() != w.geometry():  # framed: margins known
        w.setProperty(_SETTLING, False)
        clamp_to_screen(w)


def _save(w: QWidget) -> None:
    key, store = w.property(_KEY), settings_for(w)
    if not key or store is None or w.windowState() & (Qt.WindowState.WindowMaximized
                                                      | Qt.WindowState.WindowFullScreen
                                                      | Qt.WindowState.WindowMinimized):
        return
    store.set(WINDOW_SIZE.of(key), (w.width(), w.height()))


_watcher: _Watcher | None = None


def _watch(widget: QWidget) -> None:
    global _watcher
    if _watcher is None:
        _watcher = _Watcher()
    if not widget.property(_WATCHED):
        widget.setProperty(_WATCHED, True)
        widget.installEventFilter(_watcher)

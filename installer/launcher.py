"""Entry point of the frozen NoticeDesk program: the same command line as ``python -m desktop``.

On Windows the program is built as a console program so that commands print; when it was started
from a shortcut (it is the only process on its console) and no command was given, the console
window is hidden so the clerk sees only the app.
"""
import sys


def _hide_own_console() -> None:
    import ctypes

    kernel32 = ctypes.windll.kernel32
    processes = (ctypes.c_uint * 2)()
    if kernel32.GetConsoleProcessList(processes, 2) == 1:  # nobody else shares it: not a terminal
        window = kernel32.GetConsoleWindow()
        if window:
            ctypes.windll.user32.ShowWindow(window, 0)


if __name__ == "__main__":
    if sys.platform == "win32" and not any(not a.startswith("-") for a in sys.argv[1:]):
        _hide_own_console()
    from desktop.cli import main

    sys.exit(main(sys.argv[1:]))

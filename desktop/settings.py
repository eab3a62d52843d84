"""Every setting of the program declared once (key, type, default, meaning) and the one file that keeps them.

The store is ``noticedesk.ini`` in the data folder on this PC (``Settings.in_data_dir``), for a server ledger
too: what is kept here belongs to the clerk at this PC (window sizes, columns, the last export folder, the
name in the progress log, the office's name) or is needed before any ledger is open (``server/db_url``, the
server to connect to), so it must not live on the server, and a file in the data folder travels with a
portable install and is read and written the same way by the command line (``export --office``), the
documents and the window — no Qt here. (Before issue 19 some of it was in Qt's native store — the
registry on Windows — where the command line could not see it; ``ui/legacy_settings`` takes those values
over once.)

The file is an INI file, ``[section] name = value`` for a key ``section/name``; values are written by
type: bool ``true``/``false``, int, str (JSON-quoted when it would not survive as is), list / dict as
JSON, bytes (window geometry) as ``@Base64(...)``, a window size as ``420x260``. A value that cannot be
read as its declared type (a hand-edited file, one written by an older version) gives the default.

Use: ``store.get(EXPORT_LAST_DIR)`` / ``store.set(EXPORT_LAST_DIR, path)``; a key that is not declared
raises ``KeyError`` (a bug, not a setting). Window sizes are one declared family, ``WINDOW_SIZE.of(name)``.
Every ``set`` is written at once (atomically), merged over what another process (the command line) wrote
meanwhile; ``get`` rereads the file when it changed on disk. A file that cannot be written (a read-only
folder) is logged and the value kept for this session: a setting never stops the program.
"""
from __future__ import annotations

import base64
import configparser
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.logs import log

SETTINGS_FILE = "noticedesk.ini"
FORMAT = 1  # meta/format of a file this module wrote (0: written by QSettings before issue 19)
KINDS = ("bool", "int", "str", "list", "dict", "bytes", "size")


@dataclass(frozen=True)
class Setting:
    """One declared setting: ``key`` (``section/name``), ``kind`` (one of ``KINDS``), default, meaning."""

    key: str
    kind: str
    default: Any
    meaning: str

    def of(self, name: str) -> Setting:
        """A member of a family declared as ``section/*`` (e.g. one window's remembered size)."""
        if not self.key.endswith("/*"):
            raise KeyError(f"{self.key} is not a family of settings")
        if not name or "/" in name:
            raise KeyError(f"bad name {name!r} in {self.key}")
        return Setting(self.key[:-1] + name, self.kind, self.default, self.meaning)


_DECLARED: dict[str, Setting] = {}


def _declare(key: str, kind: str, default: Any, meaning: str) -> Setting:
    assert kind in KINDS and key.count("/") == 1 and key not in _DECLARED, key
    s = Setting(key, kind, default, meaning)
    _DECLARED[key] = s
    return s


# --- every setting of the program --------------------------------------------------------------------
SETTINGS_FORMAT = _declare("meta/format", "int", 0, "该文件的格式：1 = 本模块所写；0 = 旧版（QSettings）所写，首次启动时转换")
SERVER_DB_URL = _declare("server/db_url", "str", "", "单位数据库服务器的地址（空 = 用本机数据文件夹里的台账），下次启动生效")
WINDOW_GEOMETRY = _declare("window/geometry", "bytes", b"", "主窗口的位置和大小（QMainWindow.saveGeometry）")
WINDOW_STATE = _declare("window/state", "bytes", b"", "主窗口停靠栏和工具栏的布局（QMainWindow.saveState）")
WINDOW_LAST_NOTICE = _declare("window/lastNotice", "int", 0, "上次关闭时选中的通知（0 = 无）")
WINDOW_SIZE = _declare("windowSize/*", "size", (0, 0), "各对话框记住的大小（按窗口名；(0, 0) = 未记住）")
TASK_COLUMNS = _declare("taskView/columns", "dict", {}, "任务表的显示 / 隐藏列和拖动过的列宽（按列标题）")
TASK_HEADER_LEGACY = _declare("taskView/header2", "bytes", b"", "旧版本保存的表头状态：只读一次，取其中隐藏的列")
EXPORT_KIND = _declare("export/kind", "str", "", "导出公文上次选的文档（空 = 任务分解表）")
EXPORT_FORMAT = _declare("export/format", "str", "pdf", "导出公文上次选的格式：pdf、docx 或 xlsx")
EXPORT_COLUMNS = _declare("export/columns", "list", [], "导出公文上次勾选的可选列（owner、completion、remark）")
EXPORT_LAST_DIR = _declare("export/lastDir", "str", "", "上次导出保存到的文件夹")
REPORT_OFFICE = _declare("report/office", "str", "", "本单位名称：落实情况报告的署名和导出文件的作者（命令行 export --office 也写它）")
DIGEST_HIDE_ON_START = _declare("digest/hideOnStart", "bool", False, "启动时不显示到期提醒")
TRACKING_WHO = _declare("tracking/who", "str", "", "进度记录上次填写的记录人")


def declared() -> dict[str, Setting]:
    """All declared settings by key (a family under its ``section/*`` key)."""
    return dict(_DECLARED)


def lookup(key: str | Setting) -> Setting:
    """The declaration of ``key`` (a member of a family included); ``KeyError`` when it is not declared."""
    if isinstance(key, Setting):
        key = key.key
    if key in _DECLARED and not key.endswith("/*"):
        return _DECLARED[key]
    section, _, name = key.partition("/")
    family = _DECLARED.get(section + "/*")
    if family is None or not name or "/" in name or name == "*":
        raise KeyError(f"setting {key!r} is not declared in desktop/settings.py")
    return family.of(name)


# --- values as text --------------------------------------------------------------------------------------
def encode(setting: Setting, value: Any) -> str:
    """``value`` as written in the file (``TypeError`` / ``ValueError`` when it is not of the declared kind)."""
    kind = setting.kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise TypeError(f"{setting.key}: bool expected, got {value!r}")
        return "true" if value else "false"
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{setting.key}: int expected, got {value!r}")
        return str(value)
    if kind == "str":
        if not isinstance(value, str):
            raise TypeError(f"{setting.key}: str expected, got {value!r}")
        plain = value == value.strip() and value[:1] not in ('"', "@", ";", "#", "[") \
            and not any(c in value for c in "\r\n\x00")
        return value if plain else json.dumps(value, ensure_ascii=False)
    if kind == "list":
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"{setting.key}: list of str expected, got {value!r}")
        return json.dumps(list(value), ensure_ascii=False)
    if kind == "dict":
        if not isinstance(value, dict):
            raise TypeError(f"{setting.key}: dict expected, got {value!r}")
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if kind == "bytes":
        if not isinstance(value, (bytes, bytearray)):
            raise TypeError(f"{setting.key}: bytes expected, got {value!r}")
        return "@Base64(" + base64.b64encode(bytes(value)).decode("ascii") + ")"
    w, h = value  # size
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (w, h)):
        raise TypeError(f"{setting.key}: (width, height) expected, got {value!r}")
    return f"{w}x{h}"


def decode(setting: Setting, text: str) -> Any:
    """The value written as ``text`` (``ValueError`` when it is not one of the declared kind)."""
    kind = setting.kind
    if kind == "bool":
        low = text.strip().lower()
        if low in ("true", "1", "yes", "on"):
            return True
        if low in ("false", "0", "no", "off", ""):
            return False
        raise ValueError(text)
    if kind == "int":
        return int(text.strip())
    if kind == "str":
        return _unquote(text)
    if kind in ("list", "dict"):
        text = _unquote(text) if text.startswith('"') else text
        if kind == "list" and not text.strip().startswith("["):  # "a,b" or QSettings' "a, b"
            return [p.strip() for p in text.split(",") if p.strip()]
        value = json.loads(text)
        if not isinstance(value, list if kind == "list" else dict):
            raise ValueError(text)
        return [str(v) for v in value] if kind == "list" else value
    if kind == "bytes":
        text = text.strip()
        if not (text.startswith("@Base64(") and text.endswith(")")):
            raise ValueError(text)  # e.g. QSettings' @ByteArray(...): taken over by ui/legacy_settings
        return base64.b64decode(text[8:-1], validate=True)
    w, _, h = text.strip().partition("x")  # size
    return int(w), int(h)


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            value = json.loads(text)
            if isinstance(value, str):
                return value
        except ValueError:
            pass
        return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")  # as QSettings quoted it
    return text


# --- the store -----------------------------------------------------------------------------------------
class Settings:
    """The settings file ``path`` (None: kept in memory only, e.g. a window in a test that wants none)."""

    def __init__(self, path: Path | str | None) -> None:
        self.path = Path(path) if path is not None else None
        self._parser = _new_parser()
        self._stamp: tuple[int, int, int] | None = None
        self._reload(force=True)

    @classmethod
    def in_data_dir(cls, data_dir: Path | str) -> Settings:
        """The program's store: ``noticedesk.ini`` in the data folder ``data_dir``."""
        return cls(settings_path(data_dir))

    # typed access
    def get(self, key: Setting | str) -> Any:
        """The stored value of ``key``, else its declared default; ``KeyError`` when it is not declared."""
        setting = lookup(key)
        self._reload()
        section, name = setting.key.split("/")
        text = self._parser.get(section, name, fallback=None)
        if text is None:
            return _copy(setting.default)
        try:
            return decode(setting, text)
        except (ValueError, TypeError):
            return _copy(setting.default)

    def set(self, key: Setting | str, value: Any) -> None:
        """Store ``value`` (of the declared kind) for ``key`` and write the file."""
        setting = lookup(key)
        text = encode(setting, value)
        self._reload()
        section, name = setting.key.split("/")
        if not self._parser.has_section(section):
            self._parser.add_section(section)
        if self._parser.get(section, name, fallback=None) == text:
            return
        self._parser.set(section, name, text)
        self._write()

    def remove(self, key: Setting | str) -> None:
        """Forget the stored value of ``key`` (its default is read again)."""
        setting = lookup(key)
        self._reload()
        section, name = setting.key.split("/")
        if self._parser.has_option(section, name):
            self._parser.remove_option(section, name)
            self._write()

    def contains(self, key: Setting | str) -> bool:
        """Whether a value is stored for ``key`` (not just its default)."""
        section, name = lookup(key).key.split("/")
        self._reload()
        return self._parser.has_option(section, name)

    def names_in(self, family: Setting) -> list[str]:
        """The members of ``family`` (``section/*``) that have a stored value."""
        section = family.key.split("/")[0]
        self._reload()
        return list(self._parser.options(section)) if self._parser.has_section(section) else []

    # the file
    def _reload(self, force: bool = False) -> None:
        if self.path is None:
            return
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)  # every write is a new file (os.replace)
        except OSError:
            stamp = None
        if not force and stamp == self._stamp:
            return
        parser = _new_parser()
        if stamp is not None:
            try:
                with open(self.path, encoding="utf-8-sig") as f:
                    parser.read_file(f)
            except (OSError, UnicodeDecodeError, configparser.Error) as e:
                parser = _new_parser()  # unreadable: the defaults, and it is rewritten on the next set …
                self._keep_unreadable(e)  # … so what it held is kept beside it first
        self._parser, self._stamp = parser, stamp

    def _keep_unreadable(self, error: Exception) -> None:
        """A copy of an unreadable settings file, ``noticedesk.ini.unreadable`` (the newest one), for whoever
        wants to read what it held (an office name typed long ago); logged."""
        assert self.path is not None
        copy = self.path.with_name(self.path.name + ".unreadable")
        try:
            copy.write_bytes(self.path.read_bytes())
            log.warning("settings file %s unreadable (%s): defaults used, a copy kept as %s", self.path, error, copy)
        except OSError as e:
            log.warning("settings file %s unreadable (%s), and no copy could be kept: %s", self.path, error, e)

    def _write(self) -> None:
        if self.path is None:
            return
        meta = SETTINGS_FORMAT.key.split("/")
        if not self._parser.has_section(meta[0]):
            self._parser.add_section(meta[0])
        self._parser.set(meta[0], meta[1], str(FORMAT))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".noticedesk-ini-", dir=self.path.parent)
        except OSError as e:  # a read-only folder: kept for this session; the program must still start
            log.warning("settings not written to %s: %s", self.path, e)
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                self._parser.write(f, space_around_delimiters=False)
            os.replace(tmp, self.path)
        except OSError as e:
            Path(tmp).unlink(missing_ok=True)
            log.warning("settings not written to %s: %s", self.path, e)
            return
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        st = self.path.stat()
        self._stamp = (st.st_mtime_ns, st.st_size, st.st_ino)


def settings_path(data_dir: Path | str) -> Path:
    """Where the settings of data folder ``data_dir`` are kept."""
    return Path(data_dir) / SETTINGS_FILE


def _new_parser() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False, delimiters=("=",),
                                       comment_prefixes=(";", "#"), default_section="\x00none")
    parser.optionxform = str  # keys are case-sensitive (lastNotice)
    return parser


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else value

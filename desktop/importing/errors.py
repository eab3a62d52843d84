"""The one error the importer raises: NoticeReadError, whose message is a single Chinese sentence.

Every reader and the parser turn whatever goes wrong (a corrupt zip, an unknown encoding, a PDF
without a text layer …) into this error, so callers catch exactly one thing and can show
``str(err)`` to the clerk as it is.
"""
from __future__ import annotations

RESAVE_DOCX = "请在 WPS/Word 中打开后另存为 .docx 再导入。"


class NoticeReadError(Exception):
    """A notice could not be read; ``str()`` says what is wrong and what to do, in one sentence."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


"""LibreOffice for the tests: lay .docx files out (convert to PDF) in one ``soffice`` call, on the bundled fonts.

The PDFs under test are made with the bundled fonts (no system fonts, ``conftest``); LibreOffice is given the
same ones under the official names the .docx uses (仿宋_GB2312 → AR PL SungtiL GB, 黑体 → WenQuanYi Micro Hei …)
through its own fontconfig file, so both lay the text out with the same glyph widths, as Word does on a PC
that has the official fonts.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from desktop.documents import fonts
from desktop.resources import BUNDLED_FONTS, resource

FAMILIES = {"hei": "WenQuanYi Micro Hei", "song": "AR PL SungtiL GB", "kai": "AR PL KaitiM GB"}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def need_soffice() -> str:
    """The LibreOffice program for a test that needs it: missing on CI (which installs it) fails the test,
    missing elsewhere skips it with the package to install."""
    import pytest

    exe = soffice()
    if not exe:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    return exe


def fontconfig_file(folder: Path) -> Path:
    """A fontconfig file: the system's, plus the bundled fonts under every name the .docx may use."""
    font_dir = resource("fonts", BUNDLED_FONTS["song"]).parent
    aliases = []
    for role in fonts.ROLES.values():
        family = FAMILIES[role.bundled]
        for alt in role.chain:
            for name in alt:
                aliases.append(f'  <alias binding="same"><family>{name}</family>'
                               f"<prefer><family>{family}</family></prefer></alias>")
    system = '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' if Path("/etc/fonts/fonts.conf").exists() \
        else ""
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n' + system
            + f"  <dir>{font_dir}</dir>\n  <cachedir>{folder / 'fc-cache'}</cachedir>\n" + "\n".join(aliases)
            + "\n</fontconfig>\n")
    path = folder / "fonts.conf"
    path.write_text(text, encoding="utf-8")
    return path


def convert(docx_files: list[Path], out_dir: Path, work: Path, timeout: float = 900) -> dict[str, Path]:
    """Each .docx laid out by LibreOffice as a PDF in ``out_dir`` (one soffice process for all): name → PDF."""
    exe = soffice()
    assert exe, "LibreOffice (soffice) is not installed"
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(work)), SAL_USE_VCLPLUGIN="svp")
    profile = (work / "lo-profile").as_uri()
    subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                    "--outdir", str(out_dir), *map(str, docx_files)], check=True, capture_output=True, env=env,
                   timeout=timeout)
    return {p.stem: out_dir / f"{p.stem}.pdf" for p in docx_files}

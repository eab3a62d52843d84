""".xls workbooks (python-calamine) with merged cells, a WPS .et in the same format, and .doc/.wps through
LibreOffice when it is installed (the clear message otherwise)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from desktop.importing import NoticeReadError, parse_path
from tests.conftest import CORPUS
from tests.documents.libreoffice import need_soffice
from tests.importing.builders import corpus_blocks, make_docx

HEADER = ["序号", "任务名称", "具体内容", "牵头单位", "责任单位", "完成时限"]
ROWS = [
    [1, "深化主动公开", "（1）做好财政预决算公开", "县财政局", "县级各部门", "9月底前"],
    [None, None, "（2）做好惠民资金公开", "县财政局", "县民政局、县农业农村局等县级部门", "每季度"],
    [2, "加强政策解读", "（3）落实解读三同步", "县政府办", "县发展和改革局牵头，县司法局配合", "全年"],
    [None, None, "（4）开展在线访谈", "县融媒体中心", "各乡镇人民政府、街道办事处", "长期坚持"],
]


def _xls(path):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("分解表")
    ws.write_merge(0, 0, 0, 5, "2024年某县政务公开工作要点任务分解表")
    ws.write(1, 0, "填报单位：县政府办公室")
    for c, v in enumerate(HEADER):
        ws.write(2, c, v)
    for r, row in enumerate(ROWS, 3):
        for c, v in enumerate(row):
            if v is not None and c >= 2:  # 序号 and 任务名称 are written by the merges below
                ws.write(r, c, v)
    ws.write_merge(3, 4, 0, 0, 1)  # 序号 and 任务名称 merged over the two rows of each task
    ws.write_merge(3, 4, 1, 1, "深化主动公开")
    ws.write_merge(5, 6, 0, 0, 2)
    ws.write_merge(5, 6, 1, 1, "加强政策解读")
    hidden = wb.add_sheet("说明")
    hidden.write(0, 0, "不是任务")
    hidden.visibility = 1
    wb.save(str(path))
    return path


EXPECTED = [
    ("深化主动公开", "做好财政预决算公开", ["县财政局"], ["县级各部门"], "9月底前"),
    ("深化主动公开", "做好惠民资金公开", ["县财政局"], ["县民政局", "县农业农村局"], "每季度"),
    ("加强政策解读", "落实解读三同步", ["县政府办", "县发展和改革局"], ["县司法局"], "全年"),
    ("加强政策解读", "开展在线访谈", ["县融媒体中心"], ["各乡镇人民政府", "街道办事处"], "长期坚持"),
]


@pytest.mark.parametrize("name", ["分解表.xls", "分解表.et", "改了扩展名.xlsx"])
def test_xls_with_merged_cells(tmp_path, name):
    path = _xls(tmp_path / name)
    parsed = parse_path(path)
    assert parsed.title == "2024年某县政务公开工作要点任务分解表" and parsed.year == 2024
    assert [(t.title, t.text, t.lead_units, t.units, t.deadline) for t in parsed.tasks] == EXPECTED
    assert "不是任务" not in parsed.source_text  # the hidden sheet


def test_xls_sheet_choice_and_damage(tmp_path):
    from desktop.importing import read_document

    path = _xls(tmp_path / "分解表.xls")
    assert "不是任务" in read_document(path, sheet="说明").blocks[0].rows[0][0]
    with pytest.raises(NoticeReadError, match="没有名为“其他”的工作表"):
        read_document(path, sheet="其他")
    broken = tmp_path / "坏.xls"
    data = path.read_bytes()
    broken.write_bytes(data[:512] + b"\0" * (len(data) - 512))
    with pytest.raises(NoticeReadError) as err:
        parse_path(broken)
    assert str(err.value).startswith("无法读取文件")



@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_doc_and_wps_through_libreoffice(tmp_path, suffix):
    name = "000_songming_2021"
    docx_path = make_docx(corpus_blocks(CORPUS / f"{name}.txt"), tmp_path / f"{name}.docx", textbox=False)
    subprocess.run([need_soffice(), "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(docx_path)],
                   check=True, capture_output=True, timeout=240)
    old = tmp_path / f"{name}.doc"
    if suffix != ".doc":
        old = old.rename(tmp_path / f"{name}{suffix}")  # WPS writes its .wps in Word's binary format
    parsed = parse_path(old)
    reference = parse_path(CORPUS / f"{name}.txt")
    assert [(t.title, t.lead_units, t.units) for t in parsed.tasks] == \
        [(t.title, t.lead_units, t.units) for t in reference.tasks]


def test_et_of_its_own_format_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "表.et"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(NoticeReadError, match="另存为 .xlsx"):
        parse_path(path)

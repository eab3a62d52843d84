"""OFD (GB/T 33190): the real samples of ../shared/samples/ofd give what their README says, a 公文 made
here reads like its text, and hostile .ofd files are refused in Chinese with exit 2 and nothing stored."""
from __future__ import annotations

import json
import re
import zipfile

import pytest

from desktop.cli import main
from desktop.importing import NoticeReadError, parse_path, read_document
from desktop.importing.model import Table
from tests.conftest import SHARED
from tests.importing.builders import make_ofd

SAMPLES = SHARED / "samples" / "ofd"


def _paras(doc) -> list[str]:
    return [b for b in doc.blocks if isinstance(b, str) and b.strip()]


def _tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_pifu_gongwen():
    path = SAMPLES / "pifu_luqiao_2011.ofd"
    doc = read_document(path)
    paras = _paras(doc)
    assert "区中医院：" in paras  # 主送, on a line of its own right after the title
    assert paras.index("区中医院：") == paras.index("关于同意张阿三同志辞职的批复") + 1
    assert not any(re.fullmatch(r"[—-]\s*\d+\s*[—-]", p) for p in paras)  # page numbers are not text
    parsed = parse_path(path)
    assert parsed.doc_number == "路卫发〔2011〕76号"
    assert parsed.title == "关于同意张阿三同志辞职的批复"
    assert parsed.issuer == "测试符路桥区卫生局办公室" and str(parsed.date) == "2011-03-10"  # top of page 2
    assert "— 1 —" not in parsed.source_text and "— 2 —" not in parsed.source_text


def test_pifu_recipients():
    """A 主送 line naming one unit (区中医院：) under the title is the recipients."""
    assert parse_path(SAMPLES / "pifu_luqiao_2011.ofd").recipients == "区中医院"


def test_shouwen_form_pairs_labels_and_values():
    doc = read_document(SAMPLES / "shouwen_chuli_2020.ofd")
    (form,) = _tables(doc)
    pairs = {}
    for row in form.rows:
        cells = [re.sub(r"\s+", "", c) for c in row]
        for a, b in zip(cells, cells[1:], strict=False):
            pairs.setdefault(a, b)
    assert pairs["来文文号"] == "府办专督〔2020〕24号"
    assert pairs["公文标题"] == "市委主要领导同志调研后续落实事项的通知"
    assert pairs["来文单位"] == "市人民政府办公室" and pairs["收文登记人"] == "陈小明"
    assert parse_path(SAMPLES / "shouwen_chuli_2020.ofd").doc_number == "府办专督〔2020〕24号"


def test_long_text_every_line_in_order_once():
    import ofdkit

    path = SAMPLES / "long_text_nalai.ofd"
    doc = read_document(path)
    assert not _tables(doc)
    got = re.sub(r"\s", "", "".join(_paras(doc)))
    with ofdkit.open(path) as d:  # every run of every page, in reading order
        expected = re.sub(r"\s", "", d.text())
    assert got == expected and got.startswith("拿来主义鲁迅") and got.count("拿来主义") == expected.count("拿来主义")


def test_invoice_items_are_table_rows():
    doc = read_document(SAMPLES / "invoice_list_999.ofd")
    rows = [[re.sub(r"\s+", "", c) for c in r] for t in _tables(doc) for r in t.rows]
    items = [r for r in rows if r and r[0].isdigit() and "*餐饮服务*餐费" in r]
    assert len(items) >= 90
    assert all("100.00" in r and "6%" in r and "6.00" in r for r in items)
    numbers = [int(r[0]) for r in items]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_helloworld_entity():
    doc = read_document(SAMPLES / "helloworld.ofd")
    assert _paras(doc) == ["你好呀，OFD Reader&Writer！"]


GONGWEN = [
    (77, 75, 5.6, "某政办发〔2023〕8号"),
    (30, 95, 7.8, "某县人民政府办公室关于做好"),
    (30, 106, 7.8, "2023年政务公开重点工作的通知"),
    (30, 122, 5.6, "各乡镇人民政府，县级各部门："),
    (41, 133, 5.6, "现将有关事项通知如下。"),
    (41, 144, 5.6, "一、加强政策解读。落实解读三同步。（县政府办负责落实）"),
    (41, 155, 5.6, "二、做好预决算公开。（牵头单位：县财政局；责任单位：县级各部门）"),
    (120, 200, 5.6, "某县人民政府办公室"),
    (124, 211, 5.6, "2023"), (138, 211, 5.6, "年"), (147, 211, 5.6, "7"), (153, 211, 5.6, "月12"), (170, 211, 5.6, "日"),
    (98, 280, 5.0, "— 1 —"),
]


def test_gongwen_with_template_and_spaced_date(tmp_path):
    path = tmp_path / "公文.ofd"
    path.write_bytes(make_ofd([GONGWEN], template=[(45, 50, 12.0, "某县人民政府办公室文件")]))
    doc = read_document(path)
    assert doc.kind == "ofd" and _paras(doc)[0] == "某县人民政府办公室文件"  # the template page's text
    assert "2023 年 7 月12 日" in _paras(doc)
    parsed = parse_path(path)
    assert parsed.doc_number == "某政办发〔2023〕8号"
    assert parsed.title == "某县人民政府办公室关于做好2023年政务公开重点工作的通知"
    assert parsed.recipients == "各乡镇人民政府，县级各部门"
    assert parsed.issuer == "某县人民政府办公室" and str(parsed.date) == "2023-07-12"
    assert [(t.title, t.lead_units, t.units) for t in parsed.tasks] == [
        ("加强政策解读", ["县政府办"], []), ("做好预决算公开", ["县财政局"], ["县级各部门"])]
    assert "— 1 —" not in parsed.source_text


def _bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        with z.open("Doc_0/Pages/Page_0/Content.xml", "w", force_zip64=True) as f:
            block = b" " * (1 << 20)
            for _ in range(260):
                f.write(block)


def _hostile(kind: str, path, secret) -> None:
    if kind == "not a zip":
        path.write_bytes(b"%OFD\x00" + bytes(range(256)) * 20)
    elif kind == "zip bomb":
        _bomb(path)
    elif kind == "xxe":
        page = (f'<?xml version="1.0"?><!DOCTYPE ofd:Page [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
                '<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="2">'
                '<ofd:TextObject ID="3" Boundary="20 20 100 10" Size="5"><ofd:TextCode X="0" Y="5">&x;</ofd:TextCode>'
                '</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>')
        path.write_bytes(make_ofd([GONGWEN], page_xml=page))
    elif kind == "5000 pages":
        path.write_bytes(make_ofd([GONGWEN], pages_claimed=5000))
    elif kind == "too many runs":
        path.write_bytes(make_ofd([[(10 + (n % 40) * 4, 10 + (n // 40) * 0.01, 4.0, "字") for n in range(25_000)]]))
    elif kind == "one huge run":
        path.write_bytes(make_ofd([[(10, 20, 4.0, "一、任务（县财政局负责）" * 5000)]]))
    elif kind == "runs off the page":
        path.write_bytes(make_ofd([GONGWEN[:3] + [(5000 + n, 90_000, 5.0, "隐藏的任务（县财政局负责落实）") for n in range(60)]]))


HOSTILE = ["not a zip", "zip bomb", "xxe", "5000 pages", "too many runs", "one huge run", "runs off the page"]


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_ofd_refused_exit_2_nothing_stored(kind, tmp_path, data_dir, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密口令XYZZY", encoding="utf-8")
    path = tmp_path / "来文.ofd"
    _hostile(kind, path, secret)
    with pytest.raises(NoticeReadError) as err:
        parse_path(path)
    msg = str(err.value)
    assert msg.startswith("无法读取文件") and msg.endswith("。") and "\n" not in msg and "XYZZY" not in msg
    code = main(["--data-dir", str(data_dir), "import", str(path)])
    out, errout = capsys.readouterr()
    assert code == 2 and errout.strip() == msg and "XYZZY" not in out + errout
    main(["--data-dir", str(data_dir), "notices", "--json"])
    assert json.loads(capsys.readouterr().out)["notices"] == []


def test_ofd_named_docx_is_read_as_ofd(tmp_path):
    path = tmp_path / "公文.docx"  # what a clerk renames: the content decides
    path.write_bytes(make_ofd([GONGWEN]))
    assert parse_path(path).doc_number == "某政办发〔2023〕8号"

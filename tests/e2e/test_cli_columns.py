"""`parse`/`import` … `--columns R1,R2,… [--header-row N] [--table K] [--remember]` and the refusal of a
notice the ledger already holds (`import --as-new`), end to end through the command line (cli.md).

Ledger-backed cases run on the SQLite file of ``--data-dir`` and on the PostgreSQL server (``--db-url``,
a fresh migrated schema each; ``-m "not postgresql"`` deselects those)."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from desktop.domain import section_path
from desktop.storage.ledger import Ledger
from desktop.storage.paths import DB_FILE_NAME
from tests.e2e.test_cli import has_chinese, run
from tests.importing.test_shapes import PROVINCIAL
from tests.storage.conftest import pg_admin, pg_url  # noqa: F401  (fixtures for the server cases)

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
ROLE_WORDS = "序号 分组 任务名称 具体内容 牵头单位 责任单位 配合单位 完成时限 忽略"


@pytest.fixture(params=ENGINES)
def where(request, data_dir) -> list[str]:
    """The ledger options of a command: the data folder, plus a migrated server schema for PostgreSQL."""
    if request.param == "sqlite":
        return ["--data-dir", str(data_dir)]
    from desktop.storage import migrations

    url = request.getfixturevalue("pg_url")
    migrations.migrate(url)
    return ["--data-dir", str(data_dir), "--db-url", url]


def ledger_of(where: list[str]) -> Ledger:
    db_url = where[where.index("--db-url") + 1] if "--db-url" in where else None
    return Ledger(Path(where[1]), db_url=db_url)


def parse_json(capsys, path: Path, *argv: str) -> dict:
    code, out, err = run(capsys, "parse", str(path), "--json", *argv)
    assert code == 0, err
    return json.loads(out)


def refused(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 2 and has_chinese(err) and "Traceback" not in err, (code, out, err)
    assert len(err.strip().splitlines()) == 1, err
    return err


def rows_of(tasks: list[dict]) -> list[tuple]:
    return [(t["section"], t["title"], t["text"][:15], t["lead_units"], t["units"], t["deadline"]) for t in tasks]


def gold_rows(corpus_dir: Path, stem: str) -> list[tuple]:
    gold = json.loads((corpus_dir / f"{stem}.gold.json").read_text(encoding="utf-8"))
    return [(g["section"], g["title"], g["text_start"], g["lead_units"], g["units"], g["deadline"])
            for g in gold["tasks"]]


def without_lines(src: Path, dst: Path, start: int, stop: int, expected: list[str]) -> Path:
    """A copy of ``src`` without lines start..stop-1 (0-based), which must be ``expected`` (blank lines dropped)."""
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    assert [x.strip() for x in lines[start:stop] if x.strip()] == expected
    dst.write_text("".join(lines[:start] + lines[stop:]), encoding="utf-8")
    return dst


# --- the corpus notices: --columns with and without a header row ---------------------------------

def test_columns_on_the_chizhou_table_with_and_without_its_header(data_dir, corpus_dir, tmp_path, capsys):
    src = corpus_dir / "106_chizhou-xfj-zwgk-renwu.txt"
    gold = gold_rows(corpus_dir, "106_chizhou-xfj-zwgk-renwu")
    columns = ["--columns", "序号,分组,具体内容,责任单位,完成时限", "--data-dir", str(data_dir)]
    got = parse_json(capsys, src, *columns)
    assert rows_of(got["tasks"]) == gold
    assert all("按文书指定的列" in " ".join(t["evidence"]) for t in got["tasks"])
    assert rows_of(parse_json(capsys, src, *columns, "--header-row", "1")["tasks"]) == gold
    # The header lines dropped: the clerk's columns read the rows all the same.
    bare = without_lines(src, tmp_path / "106-无表头.txt", 0, 8, ["工作任务", "|", "具体要求", "|", "责任科室", "|",
                                                                  "时限要求", "|"])
    assert rows_of(parse_json(capsys, bare, *columns)["tasks"]) == gold
    # A mapping that differs from the parser's own is followed: 责任科室 ignored, the group column as 忽略.
    other = parse_json(capsys, src, "--columns", "序号,忽略,具体内容,忽略,完成时限", "--data-dir", str(data_dir))
    assert [(t["section"], t["units"], t["deadline"]) for t in other["tasks"]] == [(None, [], g[5]) for g in gold]
    assert [t["text"][:15] for t in other["tasks"]] == [g[2] for g in gold]
    assert not (data_dir / DB_FILE_NAME).exists()  # parse created no ledger


def test_columns_on_the_dazhu_table_with_and_without_its_header(data_dir, corpus_dir, tmp_path, capsys):
    src = corpus_dir / "101_dazhu-2016-minsheng-shishi.txt"
    gold = gold_rows(corpus_dir, "101_dazhu-2016-minsheng-shishi")
    columns = ["--columns", "序号,具体内容,责任单位,完成时限"]
    got = parse_json(capsys, src, *columns)
    assert rows_of(got["tasks"]) == gold
    assert (got["title"], got["doc_number"], got["year"]) == (
        "大竹县人民政府办公室关于对2016年民生实事进行重点督办的通知", "竹府办〔2016〕20号", 2016)
    bare = without_lines(src, tmp_path / "101-无表头.txt", 33, 41, ["序号", "民生实事", "责任单位", "完成时限"])
    again = parse_json(capsys, bare, *columns)
    assert rows_of(again["tasks"]) == gold and again["doc_number"] == "竹府办〔2016〕20号"
    # 责任单位 read as 牵头单位: the same names, now as lead units.
    lead = parse_json(capsys, src, "--columns", "序号,具体内容,牵头单位,完成时限")
    assert [(t["lead_units"], t["units"]) for t in lead["tasks"]] == [(g[4], []) for g in gold]


# --- a multi-level workbook ----------------------------------------------------------------------

# the same multi-level table as the parser's shape tests
CHIP_TITLE = "某省2024年推动芯片产业发展重点任务分工方案"
CHIP_COLUMNS = "序号,分组,任务名称,具体内容,牵头单位,配合单位,完成时限"
GROUP_1, GROUP_2 = "推动芯片全链发展。聚力推动设计、制造、封测协同", "壮大数字产业。培育软件和信息服务业"
CHIP_TASKS = [
    (f"{GROUP_1} > 强化设计能力", "强化设计能力", PROVINCIAL[0][3], ["省工业和信息化厅"], ["省科技厅", "省发展改革委"],
     "2024年12月底前"),
    (f"{GROUP_1} > 强化设计能力", "强化设计能力", PROVINCIAL[1][3], ["省科技厅"], [], "2024年6月底前"),
    (f"{GROUP_1} > 提升制造水平", "提升制造水平", PROVINCIAL[2][3], ["省发展改革委"], ["省工业和信息化厅"], "持续推进"),
    (f"{GROUP_2} > 发展软件产业", "发展软件产业", PROVINCIAL[3][3], ["省工业和信息化厅"], ["省科技厅"], "2024年底前"),
    (f"{GROUP_2} > 发展软件产业", "发展软件产业", PROVINCIAL[4][3], ["省工业和信息化厅"], [], "长期坚持"),
]


def chip_workbook(path: Path, title: bool = True, header: bool = True) -> Path:
    """The provincial table: a merged title row, the header 序号/重点任务/工作举措/具体任务/牵头单位/配合单位/完成时限,
    重点任务 and 工作举措 merged down over their rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([CHIP_TITLE])
        ws.merge_cells("A1:G1")
    if header:
        ws.append(["序号", "重点任务", "工作举措", "具体任务", "牵头单位", "配合单位", "完成时限"])
    first = 1 + title + header
    for row in PROVINCIAL:
        ws.append(list(row))
    for col, (a, b) in (("B", (0, 2)), ("C", (0, 1)), ("B", (3, 4)), ("C", (3, 4))):
        ws.merge_cells(f"{col}{first + a}:{col}{first + b}")
    wb.save(path)
    return path


def chip_rows(tasks: list[dict]) -> list[tuple]:
    return [(t["section"], t["title"], t["text"], t["lead_units"], t["units"], t["deadline"]) for t in tasks]


def test_columns_on_a_multi_level_workbook(data_dir, tmp_path, capsys):
    full = chip_workbook(tmp_path / "分工方案.xlsx")
    got = parse_json(capsys, full, "--columns", CHIP_COLUMNS)
    assert got["title"] == CHIP_TITLE and chip_rows(got["tasks"]) == CHIP_TASKS
    # The grid's first row is the header (the title row was lifted off above it): --header-row 1 says so.
    assert chip_rows(parse_json(capsys, full, "--columns", CHIP_COLUMNS, "--header-row", "1")["tasks"]) == CHIP_TASKS
    # --header-row 2: the first task row is taken for the header and the four below are read.
    assert [t["text"] for t in parse_json(capsys, full, "--columns", CHIP_COLUMNS, "--header-row", "2")["tasks"]] \
        == [r[3] for r in PROVINCIAL[1:]]
    # 工作举措 ignored and 配合单位 ignored: no task name from it, no partner units.
    plain = parse_json(capsys, full, "--columns", "序号,分组,忽略,具体内容,牵头单位,忽略,完成时限")
    assert [(t["section"], t["text"], t["units"]) for t in plain["tasks"]] == [
        (section_path(s)[0], text, []) for s, _t, text, _l, _u, _d in CHIP_TASKS]
    # The header row dropped, the title kept: the parser finds the title above the clerk's columns.
    untitled_header = chip_workbook(tmp_path / "无表头.xlsx", header=False)
    again = parse_json(capsys, untitled_header, "--columns", CHIP_COLUMNS)
    assert again["title"] == CHIP_TITLE and chip_rows(again["tasks"]) == CHIP_TASKS
    # Neither title nor header: --header-row 0 reads every row as a task row.
    bare = chip_workbook(tmp_path / "只有任务.xlsx", title=False, header=False)
    assert chip_rows(parse_json(capsys, bare, "--columns", CHIP_COLUMNS, "--header-row", "0")["tasks"]) == CHIP_TASKS


# --- a table whose labels mislead the parser ----------------------------------------------------

MISLEADING = "序号\t工作事项\t具体任务\t责任单位\t完成时限\n"
CORRECT = "序号,具体内容,任务名称,责任单位,完成时限"
ROWS_A = [("对行政规范性文件进行全面清理，并向社会公布现行有效规范性文件目录。", "文件清理", "县司法局", "6月底前"),
          ("围绕重大政策开展多种形式的解读，提升政策解读质量。", "政策解读", "县政府办", "全年"),
          ("规范办理政府信息公开申请，按时答复申请人。", "依申请公开", "县政府办", "持续推进")]
ROWS_B = [("编制发布政府信息公开工作年度报告，确保数据准确。", "年度报告", "县政务服务中心", "1月底前"),
          ("做好政府信息公开行政复议答复和行政诉讼答辩工作。", "复议诉讼", "县司法局", "持续推进")]


def misleading_table(rows: list[tuple]) -> str:
    return MISLEADING + "".join(f"{n}\t" + "\t".join(r) + "\n" for n, r in enumerate(rows, 1))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def notice_a(tmp_path: Path) -> Path:
    return write(tmp_path / "甲.txt", "某县2024年政务公开重点工作分工\n" + misleading_table(ROWS_A))


def notice_b(tmp_path: Path) -> Path:
    """Another notice whose table has the same header labels (spaced differently)."""
    text = ("某县政务服务中心2024年政务公开工作任务清单\n" + misleading_table(ROWS_B)).replace("工作事项", "工作 事项", 1)
    return write(tmp_path / "乙.txt", text)


def two_tables(tmp_path: Path) -> Path:
    return write(tmp_path / "两表.txt", (
        "某县人民政府办公室关于印发2024年政务公开两项任务清单的通知\n各乡镇人民政府，县级各部门：\n"
        "现将任务清单印发给你们，请认真落实。\n附件1\n主动公开任务清单\n序号\t工作任务\t责任单位\t完成时限\n"
        "1\t做好预决算信息公开，按规定时限公开预决算报告。\t县财政局\t6月底前\n"
        "2\t做好重大建设项目信息公开，及时公开批准和实施情况。\t县发改局\t全年\n"
        "附件2\n依申请公开任务清单\n") + misleading_table(ROWS_B))


def read_as_meant(rows: list[tuple]) -> list[tuple]:
    """The tasks of a misleading table as the clerk means it: the long text is the task, the short one its name."""
    return [(text, name, [], [unit], deadline) for text, name, unit, deadline in rows]


def meant(tasks: list[dict]) -> list[tuple]:
    return [(t["text"], t["title"], t["lead_units"], t["units"], t["deadline"]) for t in tasks]


def test_a_misread_column_is_corrected_by_columns(data_dir, tmp_path, capsys):
    src = notice_a(tmp_path)
    own = parse_json(capsys, src)
    # The premise: on its own the parser takes the column labelled 具体任务 (short names) for the body.
    assert [t["text"] for t in own["tasks"]] == [r[1] for r in ROWS_A], "the table no longer misleads the parser"
    fixed = parse_json(capsys, src, "--columns", CORRECT)
    assert meant(fixed["tasks"]) == read_as_meant(ROWS_A)
    assert all(any("按文书指定的列" in e for e in t["evidence"]) for t in fixed["tasks"])


def test_remember_then_a_table_with_the_same_labels_is_read_so(where, tmp_path, capsys):
    a, b = notice_a(tmp_path), notice_b(tmp_path)
    code, out, err = run(capsys, "parse", str(a), "--columns", CORRECT, "--remember", *where)
    assert code == 0, err
    assert "已记住列设置：表头为“序号|工作事项|具体任务|责任单位|完成时限”的表格" in out
    with ledger_of(where) as led:
        assert led.column_maps() == [(["序号", "工作事项", "具体任务", "责任单位", "完成时限"],
                                      ["seq", "content", "title", "units", "deadline"])]

    got = parse_json(capsys, b, *where)  # no --columns: the remembered setting applies
    assert meant(got["tasks"]) == read_as_meant(ROWS_B)
    notes = [w for w in got["warnings"] if w.startswith("已按记住的列设置读取第 1 个表格（")]
    assert len(notes) == 1 and "工作事项：具体内容" in notes[0] and "具体任务：任务名称" in notes[0]
    code, out, _ = run(capsys, "parse", str(b), *where)  # the text output says so too
    assert code == 0 and "注意：已按记住的列设置读取第 1 个表格" in out

    # --columns of the clerk still wins over the remembered setting.
    own = parse_json(capsys, b, "--columns", "序号,具体内容,忽略,责任单位,完成时限", *where)
    assert not any("记住" in w for w in own["warnings"])
    assert [t["title"] for t in own["tasks"]] != [r[1] for r in ROWS_B]

    # import applies it as well, and the stored tasks are the corrected ones.
    code, out, err = run(capsys, "import", str(b), *where)
    assert code == 0, err
    assert "注意：已按记住的列设置读取第 1 个表格" in out
    nid = int(out.strip().splitlines()[-1])
    code, out, _ = run(capsys, "tasks", str(nid), "--json", *where)
    assert [(t["text"], t["title"], t["units"]) for t in json.loads(out)["tasks"]] == [
        (text, name, [unit]) for text, name, unit, _d in ROWS_B]

    # In a notice of two tables the remembered labels are found in the second table.
    two = parse_json(capsys, two_tables(tmp_path), *where)
    assert meant(two["tasks"]) == read_as_meant(ROWS_B)
    (note,) = [w for w in two["warnings"] if "记住" in w]
    assert note.startswith("已按记住的列设置读取第 2 个表格（") and "第 1 个表格的 2 项任务未列入" in note
    first = parse_json(capsys, two_tables(tmp_path), "--table", "1", *where)
    assert [t["units"] for t in first["tasks"]] == [["县财政局"], ["县发改局"]]
    assert not any("记住" in w for w in first["warnings"])


def test_remember_on_import_is_stored_with_the_notice(where, tmp_path, capsys):
    code, out, err = run(capsys, "import", str(notice_a(tmp_path)), "--columns", CORRECT, "--remember", *where)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[-2].startswith("已记住列设置：") and lines[-1].isdigit()
    code, out, _ = run(capsys, "tasks", lines[-1], "--json", *where)
    assert [(t["text"], t["title"]) for t in json.loads(out)["tasks"]] == [(r[0], r[1]) for r in ROWS_A]
    with ledger_of(where) as led:
        assert led.remembered_columns(["序号", "工作事项", "具体任务", "责任单位", "完成时限"]) == [
            "seq", "content", "title", "units", "deadline"]


def test_parse_looks_up_only_an_existing_ledger(data_dir, tmp_path, capsys):
    with Ledger(tmp_path / "other") as led:  # a setting in another folder's ledger does not apply here
        led.remember_columns(["序号", "工作事项", "具体任务", "责任单位", "完成时限"],
                             ["seq", "content", "title", "units", "deadline"])
    got = parse_json(capsys, notice_b(tmp_path), "--data-dir", str(data_dir))
    assert not any("记住" in w for w in got["warnings"])
    assert list(data_dir.iterdir()) == []  # nothing created
    applied = parse_json(capsys, notice_b(tmp_path), "--data-dir", str(tmp_path / "other"))
    assert meant(applied["tasks"]) == read_as_meant(ROWS_B)


def test_table_picks_one_table_of_two(data_dir, tmp_path, capsys):
    src = two_tables(tmp_path)
    both = parse_json(capsys, src)
    assert len(both["tasks"]) == 4
    second = parse_json(capsys, src, "--table", "2", "--columns", CORRECT)
    assert meant(second["tasks"]) == read_as_meant(ROWS_B)
    first = parse_json(capsys, src, "--table", "1", "--columns", "序号,具体内容,牵头单位,完成时限")
    assert [(t["text"][:9], t["lead_units"], t["units"]) for t in first["tasks"]] == [
        ("做好预决算信息公开", ["县财政局"], []), ("做好重大建设项目信", ["县发改局"], [])]
    code, out, _ = run(capsys, "parse", str(src), "--table", "2")
    assert code == 0 and "表格 1：3 行，未读取" in out and "表格 2：3 行，第 1 行是表头，读出 2 项任务" in out


@pytest.mark.parametrize("argv, needle", [
    (["--columns", "序号,内容,责任单位,完成时限"], f"“内容”不是列的用途。可用的有：{ROLE_WORDS}"),
    (["--columns", "序号,,具体内容"], "--columns 的第 2 项是空的"),
    (["--table", "0", "--columns", CORRECT], "表格从 1 数起"),
    (["--table", "3", "--columns", CORRECT], "这份通知只有 2 个表格，没有第 3 个"),
    (["--table", "abc"], "命令行参数有误"),
    (["--header-row", "-1", "--columns", CORRECT], "--header-row -1 不对"),
    (["--table", "2", "--header-row", "9", "--columns", CORRECT], "第 2 个表格只有 3 行，没有第 9 行"),
    (["--table", "2", "--columns", CORRECT, "--header-row", "0", "--remember"], "--remember 要按表头的文字记住列设置"),
])
@pytest.mark.parametrize("command", ["parse", "import"])
def test_bad_table_options_exit_2_in_chinese_and_write_nothing(where, tmp_path, capsys, command, argv, needle):
    err = refused(capsys, command, str(two_tables(tmp_path)), *argv, *where)
    assert needle in err
    if "--db-url" not in where:
        assert not (Path(where[1]) / DB_FILE_NAME).exists()
    else:
        with ledger_of(where) as led:
            assert led.notices() == [] and led.column_maps() == []


def test_table_options_on_a_notice_without_tables(data_dir, corpus_dir, capsys):
    err = refused(capsys, "parse", str(corpus_dir / "000_songming_2021.txt"), "--columns", CORRECT)
    assert "没有表格" in err
    err = refused(capsys, "import", str(corpus_dir / "000_songming_2021.txt"), "--remember")
    assert "没有可以记住的列设置" in err
    assert not (data_dir / DB_FILE_NAME).exists()


# --- duplicates ----------------------------------------------------------------------------------

def notices(capsys, where) -> list[dict]:
    code, out, err = run(capsys, "notices", "--json", *where)
    assert code == 0, err
    return json.loads(out)["notices"]


def imported(capsys, path: Path, *argv: str) -> int:
    code, out, err = run(capsys, "import", str(path), *argv)
    assert code == 0, err
    return int(out.strip().splitlines()[-1])


def test_a_notice_already_in_the_ledger_is_refused_unless_as_new(where, corpus_dir, tmp_path, capsys):
    dazhu = corpus_dir / "101_dazhu-2016-minsheng-shishi.txt"
    title = "大竹县人民政府办公室关于对2016年民生实事进行重点督办的通知"
    first = imported(capsys, dazhu, *where)
    before = notices(capsys, where)
    text = dazhu.read_text(encoding="utf-8")
    assert text.count("竹府办〔2016〕20号") == 1
    same_file = tmp_path / "另存的副本.txt"
    same_file.write_bytes(dazhu.read_bytes())
    same_number = write(tmp_path / "改了标题.txt", text.replace(title, title.replace("民生实事", "民生实事项目"), 1))
    same_title_year = write(tmp_path / "改了文号.txt", text.replace("竹府办〔2016〕20号", "竹府办〔2016〕21号"))
    # each copy repeats the notice by one rule only
    assert parse_json(capsys, same_number)["title"] != title
    assert parse_json(capsys, same_number)["doc_number"] == "竹府办〔2016〕20号"
    assert (parse_json(capsys, same_title_year)["title"], parse_json(capsys, same_title_year)["year"]) == (title, 2016)
    for path in (dazhu, same_file, same_number, same_title_year):
        err = refused(capsys, "import", str(path), *where)
        assert f"台账中已有这份通知（编号 {first}：{title}）。如确需再导入一份，请加 --as-new。" in err, path.name
        # --remember is not carried out when the import is refused
        err = refused(capsys, "import", str(path), "--columns", "序号,具体内容,责任单位,完成时限", "--remember", *where)
        assert f"编号 {first}" in err
    assert notices(capsys, where) == before
    with ledger_of(where) as led:
        assert led.column_maps() == []

    again = imported(capsys, same_title_year, "--as-new", *where)
    assert again != first
    stored = {n["id"]: n for n in notices(capsys, where)}
    assert set(stored) == {first, again} and stored[again]["doc_number"] == "竹府办〔2016〕21号"
    assert stored[again]["task_count"] == stored[first]["task_count"]
    # another year's notice of the same name is another notice
    other_year = write(tmp_path / "2017.txt", text.replace("竹府办〔2016〕20号", "竹府办〔2017〕8号")
                       .replace("2016年2月26日", "2017年2月20日").replace("2016年", "2017年"))
    assert imported(capsys, other_year, *where) not in (first, again)


def test_a_notice_without_title_or_number_is_known_by_its_content(where, corpus_dir, tmp_path, capsys):
    chizhou = corpus_dir / "106_chizhou-xfj-zwgk-renwu.txt"
    first = imported(capsys, chizhou, *where)
    copy = tmp_path / "chizhou-copy.txt"
    copy.write_bytes(chizhou.read_bytes())
    err = refused(capsys, "import", str(copy), *where)
    assert f"台账中已有这份通知（编号 {first}：（无标题通知））" in err
    # A different file of the same kind (no title, no 文号, no year) is a notice of its own.
    changed = write(tmp_path / "chizhou-changed.txt",
                    chizhou.read_text(encoding="utf-8").replace("年底前", "11月底前", 1))
    second = imported(capsys, changed, *where)
    assert second != first and len(notices(capsys, where)) == 2
    assert imported(capsys, copy, "--as-new", *where) not in (first, second)
    assert len(notices(capsys, where)) == 3

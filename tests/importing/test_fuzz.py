"""Hypothesis: parse_pasted on arbitrary text raises nothing but NoticeReadError, and never fails inside."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.importing import INTERNAL, NoticeReadError, parse_pasted, to_json_dict

FRAGMENTS = [
    "一、", "（一）", "(二)", "1.", "（1）", "①", "一是", "二是", "牵头单位：", "责任单位:", "完成时限：", "县发改局",
    "县政府办", "各乡镇人民政府、街道办事处", "等县级部门", "（县财政局牵头，县审计局配合）", "(县融媒体中心负责落实)",
    "9月底前", "2023年", "6月底前", "全年", "长期坚持", "每季度", "\t", "\n", "\n\n", "。", "，", "：", "|", " | ",
    "序号", "任务名称", "具体内容", "责任单位", "完成时限", "关于印发", "的通知", "〔2023〕15号", "乐府办发",
    "某县人民政府办公室", "2023年6月20日", "附件：", "區(qū)", "政務公開", "(", ")", "（", "）", "欢迎访问",
]


def _check(text: str) -> None:
    try:
        parsed = parse_pasted(text)
    except NoticeReadError as exc:
        assert str(exc) != INTERNAL, text
        assert not text.strip() or "没有可解析" in str(exc)
        return
    data = to_json_dict(parsed)
    for t in data["tasks"]:
        start, end = t["source_span"]
        assert 0 <= start <= end <= len(parsed.source_text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    _check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60))
def test_notice_like_fragments(parts):
    _check("".join(parts))

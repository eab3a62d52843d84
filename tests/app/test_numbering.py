"""序号 derived from the tree follows the official style at every depth."""
from desktop.numbering import chinese_numeral, number_for


def test_chinese_numerals():
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 19, 20, 21, 99, 100, 105, 110, 123)] == [
        "一", "九", "十", "十一", "十九", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十", "一百二十三"]


def test_number_per_depth():
    assert number_for(1, 3) == "三、"
    assert number_for(2, 12) == "（十二）"
    assert number_for(3, 4) == "4."
    assert number_for(4, 2) == "（2）"
    assert number_for(5, 1) == "①"
    assert number_for(5, 25) == "25)"

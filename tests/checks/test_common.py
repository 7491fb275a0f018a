"""cardshop_auditor.checks._common: bilingual reasons, law names, home-page matching."""
import copy
import json
import pickle

from cardshop_auditor.checks._common import art, is_home, localise, say


def test_text_is_a_plain_string_with_both_languages():
    text = say({"zh": "找到 {n} 条", "en": "{n} found"}, n=3)
    assert isinstance(text, str)
    assert (text.zh, text.en) == ("找到 3 条", "3 found")
    assert text == "找到 3 条 / 3 found"
    assert json.dumps({"r": text}, ensure_ascii=False) == '{"r": "找到 3 条 / 3 found"}'
    for clone in (pickle.loads(pickle.dumps(text)), copy.deepcopy(text)):
        assert (clone.zh, clone.en) == ("找到 3 条", "3 found")
    assert (localise(text, "zh"), localise(text, "en")) == ("找到 3 条", "3 found")
    assert localise("plain", "en") == "plain"


def test_art_spells_basis_like_the_law_files():
    assert art("电子商务法", "十五") == "电子商务法 第十五条"


def test_is_home():
    site = {"site": {"start_url": "http://a.cn", "final_url": "https://a.cn/"}}
    assert is_home(site, "https://a.cn/index.html")
    assert is_home(site, "http://A.cn/#footer")
    assert is_home(site, "https://a.cn/about") is False
    assert is_home({}, "https://a.cn/") is None

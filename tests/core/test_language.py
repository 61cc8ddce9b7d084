"""Which language ShopOps speaks, and that its Chinese catalogue is the one read."""

from __future__ import annotations

import pytest

from shopsheet.core.language import (CHINESE, ENGLISH, _, current, language_of, ngettext, speaking,
                                     system_language, use)


@pytest.mark.parametrize("word, language", [
    ("zh-CN", CHINESE), ("zh", CHINESE), ("zh_CN.UTF-8", CHINESE), ("中文", CHINESE),
    ("Chinese", CHINESE), ("zh_TW", CHINESE), ("en", ENGLISH), ("en_GB.UTF-8", ENGLISH),
    ("English", ENGLISH), ("C.UTF-8", ENGLISH), ("fr_FR", None), ("", None), (None, None)])
def test_how_people_write_a_language(word, language):
    assert language_of(word) == language


def test_the_system_language_comes_from_shopops_lang_then_the_locale():
    assert system_language({"SHOPOPS_LANG": "zh-CN", "LANG": "en_US.UTF-8"}) == CHINESE
    assert system_language({"LANG": "zh_CN.UTF-8"}) == CHINESE
    assert system_language({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == ENGLISH
    assert system_language({}, "Chinese (Simplified)_China") == CHINESE  # Windows
    assert system_language({}, None) == ENGLISH
    assert system_language({"LANG": "de_DE.UTF-8"}) == ENGLISH  # neither: English


def test_speaking_lasts_for_its_block_and_use_sets_the_default():
    use(ENGLISH)
    with speaking("zh-CN"):
        assert current() == CHINESE
        with speaking(None):  # says nothing: goes on as before
            assert current() == CHINESE
        with speaking("en"):
            assert current() == ENGLISH
    assert current() == ENGLISH
    use("中文")
    try:
        assert current() == CHINESE
    finally:
        use(ENGLISH)


def test_sentences_come_from_the_compiled_catalogue():
    with speaking(CHINESE):
        assert _("a whole number") == "整数"
        assert ngettext("Validation: {n} problem found", "Validation: {n} problems found",
                        3).format(n=3) == "校验：发现 3 个问题"
        assert _("a sentence no one wrote") == "a sentence no one wrote"
    assert _("a whole number") == "a whole number"
    assert ngettext("Validation: {n} problem found", "Validation: {n} problems found",
                    1).format(n=1) == "Validation: 1 problem found"

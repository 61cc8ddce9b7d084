"""The domain's words are defined once, in `core/words.py`: every group is made of the word
constants, and no module outside it compares, assigns or returns a status, reason, channel or
other drop-down word as a bare string. A back end's own word that happens to be spelled like
one of ours (Shopify's financial status "refunded") says so on its line: `# their word`."""

from __future__ import annotations

import ast
from pathlib import Path

from shopsheet.core import words

ROOT = Path(words.__file__).resolve().parent.parent
VOCABULARY = set(words.ORDER_STATUSES + words.LEDGER_REASONS + words.PO_STATUSES
                 + words.RETURN_STATUSES + words.PRODUCT_STATUSES + words.PROMOTION_STATUSES
                 + words.LISTING_STATUSES + words.CHANNELS + words.REORDER_FLAGS)
VALUE_KEYS = {"status", "reason", "channel", "flag", "reorder_flag"}


def _strings(node: ast.AST) -> list[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [c for e in node.elts for c in _strings(e)]
    return []


def word_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """Bare domain words used as values: compared, tested with isin/eq/ne/fillna, set as a
    status/reason/channel, or returned."""
    found = []
    for node in ast.walk(tree):
        used: list[ast.Constant] = []
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if isinstance(node.ops[0], (ast.In, ast.NotIn)) and isinstance(node.comparators[0],
                                                                         ast.Name):
                sides = sides[1:]  # `"received" in frame`: a column, not a word
            used = [c for side in sides for c in _strings(side)]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("isin", "eq", "ne", "fillna"):
            used = [c for a in node.args for c in _strings(a)]
        elif isinstance(node, ast.Dict):
            used = [c for k, v in zip(node.keys, node.values)
                    if isinstance(k, ast.Constant) and k.value in VALUE_KEYS for c in _strings(v)]
        elif isinstance(node, ast.Return) and node.value is not None:
            used = _strings(node.value)
        elif isinstance(node, ast.Assign) and isinstance(node.value, (ast.Constant, ast.IfExp)):
            targets = [t.slice for t in node.targets if isinstance(t, ast.Subscript)]
            targets += [t for t in node.targets if isinstance(t, ast.Name)]
            if any(isinstance(t, ast.Constant) and t.value in VALUE_KEYS or
                   isinstance(t, ast.Name) and t.id in VALUE_KEYS for t in targets):
                value = node.value
                used = _strings(value) if isinstance(value, ast.Constant) else \
                    _strings(value.body) + _strings(value.orelse)
        found += [(c.lineno, c.value) for c in used if c.value in VOCABULARY]
    return found


def test_no_domain_word_is_spelled_out_outside_the_vocabulary():
    spelled = []
    for path in sorted(ROOT.rglob("*.py")):
        if path.name == "words.py" and path.parent.name == "core":
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for line, word in word_literals(ast.parse(text)):
            if "# their word" in lines[line - 1]:
                continue
            spelled.append(f"{path.relative_to(ROOT)}:{line}: {word!r}")
    assert spelled == []


def test_the_search_finds_a_word_spelled_out():
    code = ('x = orders[orders["status"] == "paid"]\n'
            'y = frame["reason"].isin(("sale", "cancel"))\n'
            'z = {"status": "draft"}\n'
            'frame["status"] = "refunded"\n'
            'if "received" in got: pass\n')
    assert sorted(word_literals(ast.parse(code))) == [(1, "paid"), (2, "cancel"), (2, "sale"),
                                                      (3, "draft"), (4, "refunded")]


def test_the_groups_are_made_of_the_words():
    S = words.Status
    assert words.SOLD == (S.PAID, S.SHIPPED, S.DELIVERED)
    assert words.PAID == (S.PAID, S.SHIPPED, S.DELIVERED, S.REFUNDED)
    assert set(words.UNDONE) | set(words.OPEN_ORDER) | set(words.SENT) == \
        set(words.ORDER_STATUSES)
    assert words.TO_SHIP in words.OPEN_ORDER and words.TO_SHIP in words.SOLD
    assert set(words.STATUS_RANK) == set(words.ORDER_STATUSES)
    assert set(words.STATUS_WORDS.values()) == set(words.ORDER_STATUSES)
    assert set(words.CHANNEL_WORDS.values()) == set(words.CHANNELS)
    assert set(words.OPEN_PO) | {words.POStatus.RECEIVED, words.POStatus.CANCELLED} == \
        set(words.PO_STATUSES)
    assert words.status_of(" 已 发货 ") == S.SHIPPED and words.status_of("lost") is None
    assert words.channel_of("RED") == (words.Channel.XIAOHONGSHU, True)
    assert words.channel_of("抖音") == (words.Channel.OTHER, False)

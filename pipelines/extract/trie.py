"""Turn a list of literal names into one compact regular expression.

A plain alternation of a few hundred aliases makes Python's regex engine try
every alternative at every position; a prefix tree lets it give up after one
character almost everywhere, which keeps entity lookup cheap on long articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_regex(words: Iterable[str]) -> str:
    root: dict = {}
    for word in words:
        if not word:
            continue
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(root) if root else r"(?!x)x"


def _node_pattern(node: dict) -> str:
    terminal = "" in node
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch != ""]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # The optional group is greedy, so the longest alias is tried first and the
    # shorter one is only used when the longer one does not fit.
    return f"(?:{body})?" if terminal else body

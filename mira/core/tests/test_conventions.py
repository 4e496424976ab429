"""Conventions of the code base that a test can check (docs/DEVELOPING.md)."""

import ast
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parents[2]


def _source_files():
    for path in sorted(APP_ROOT.rglob("*.py")):
        parts = set(path.relative_to(APP_ROOT).parts)
        if not parts & {"tests", "migrations"}:
            yield path


def test_prefetches_give_their_queryset():
    # A bare lookup makes django-scopes build its centre filter once per row of the result.
    bare = []
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_prefetch = isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "prefetch_related"
            if is_prefetch and any(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in node.args):
                bare.append(f"{path.relative_to(APP_ROOT.parent)}:{node.lineno}")
    assert bare == [], "use Prefetch(lookup, queryset=Model.objects...) instead of a bare lookup"

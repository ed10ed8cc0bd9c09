"""The storage wall: only `core/storage/` imports sqlite3 or holds SQL; analysis and text are pure."""

from __future__ import annotations

import ast
import re
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "natoread" / "core"
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE FROM|CREATE|PRAGMA)\s+[a-z_(*]", re.IGNORECASE)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _strings(path: Path) -> list[str]:
    """String literals that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def _outside_storage() -> list[Path]:
    return [p for p in CORE.rglob("*.py") if "storage" not in p.relative_to(CORE).parts]


def test_only_the_storage_package_imports_sqlite3() -> None:
    offenders = [p.name for p in _outside_storage() if "sqlite3" in _imports(p)]
    assert offenders == []
    assert "sqlite3" in _imports(CORE / "storage" / "connection.py")  # the check can see it


def test_no_sql_outside_the_storage_package() -> None:
    offenders = [
        f"{p.relative_to(CORE)}: {text[:40]!r}"
        for p in _outside_storage()
        for text in _strings(p)
        if SQL.match(text)
    ]
    assert offenders == []
    assert any(SQL.match(t) for t in _strings(CORE / "storage" / "stories.py"))


def test_analysis_and_text_never_import_storage() -> None:
    pure = [*CORE.joinpath("analysis").rglob("*.py"), *CORE.joinpath("text").rglob("*.py")]
    offenders = [
        p.name
        for p in pure
        if any(
            n.startswith(("natoread.core.storage", "natoread.core.polling")) for n in _imports(p)
        )
    ]
    assert offenders == []

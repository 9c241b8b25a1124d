"""The size bars of DESIGN.md §2 and issue 17, kept by a test: no module of the apps over 500 lines
(a module that grows becomes a package split by sub-domain) and no function or method over 40 lines.
Migrations are generated and stay out; so do tests for the function bar."""

import ast
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "asnportal",
    "workforce",
    "recruitment",
    "training",
    "performance",
    "feedback",
    "reports",
    "api",
    "benchmarks",
)
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 40


def _modules(*, skip: tuple[str, ...] = ("migrations",)) -> list[Path]:
    paths = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if not any(part in skip for part in path.relative_to(ROOT).parts):
                paths.append(path)
    return paths


def long_module(label: str, source: str) -> list[str]:
    """`label (N lines)` if the source has more physical lines than the bar."""
    lines = len(source.splitlines())
    return [f"{label} ({lines} lines)"] if lines > MAX_MODULE_LINES else []


def long_functions(label: str, source: str) -> list[str]:
    """`label:function (N lines)` for every function or method (nested ones too) over the bar,
    counted from its `def` line to its last line, its docstring left out (documentation is welcome)."""
    out = []
    for node in ast.walk(ast.parse(source, filename=label)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = node.end_lineno - node.lineno + 1 - _docstring_lines(node)
            if lines > MAX_FUNCTION_LINES:
                out.append(f"{label}:{node.name} ({lines} lines)")
    return out


def _docstring_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    first = node.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return first.end_lineno - first.lineno + 1
    return 0


def test_the_checks_catch_an_offender_at_one_line_over_the_bar():
    body = "".join(f"x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES - 1))  # 39 lines under the def
    source = (
        f"def fits():\n{textwrap.indent(body, '    ')}\n\n"
        f"class C:\n    async def grows(self):\n{textwrap.indent(body, '        ')}        pass\n"
    )
    assert long_functions("m.py", source) == [f"m.py:grows ({MAX_FUNCTION_LINES + 1} lines)"]
    documented = f'def fits():\n    """One\n    two\n    three."""\n{textwrap.indent(body, "    ")}'
    assert long_functions("m.py", documented) == []
    assert long_module("m.py", "x = 1\n" * MAX_MODULE_LINES) == []
    assert long_module("m.py", "x = 1\n" * (MAX_MODULE_LINES + 1)) == [f"m.py ({MAX_MODULE_LINES + 1} lines)"]


def test_the_guard_sees_the_apps_and_not_their_migrations():
    modules = {p.relative_to(ROOT).as_posix() for p in _modules()}
    assert {"performance/selectors/__init__.py", "asnportal/settings.py", "api/v1/training.py"} <= modules
    assert not any("/migrations/" in m for m in modules)


def test_no_module_over_500_lines():
    offenders = [o for p in _modules() for o in long_module(str(p.relative_to(ROOT)), p.read_text("utf-8"))]
    assert not offenders, f"modules over {MAX_MODULE_LINES} lines (split by sub-domain):\n" + "\n".join(
        offenders
    )


def test_no_function_over_40_lines():
    offenders = [
        o
        for p in _modules(skip=("migrations", "tests"))
        for o in long_functions(str(p.relative_to(ROOT)), p.read_text("utf-8"))
    ]
    assert not offenders, (
        f"functions over {MAX_FUNCTION_LINES} lines (split into named steps):\n" + "\n".join(offenders)
    )

"""Project rules that are cheap to check: core stays UI-free, every command is documented."""

import ast

from conftest import REPO

from core.cli import build_parser
from core.commands import COMMANDS


def test_core_never_imports_streamlit():
    for path in (REPO / "core").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n.split(".")[0] == "streamlit" for n in names), path


def test_every_command_has_help_and_is_in_the_readme():
    readme = (REPO / "README.md").read_text()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(COMMANDS)
    for name, command in sub.choices.items():
        assert command.description, name
        assert f"python -m core {name}" in readme or f"core {name}" in readme, name

"""The command line as a whole: a cache it cannot use is one clear message, never a trace;
`--help` starts without importing the commands."""

import argparse
import subprocess
import sys

import pytest
from conftest import REPO

from core.cli import command_module
from core.commands import COMMANDS


def test_a_cache_path_that_cannot_be_created_is_a_clear_error(cli):
    result = cli("--db", "/proc/no/such/dir/x.db", "report", "org/model")
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("error: cannot read or write")


def test_a_file_that_is_not_sqlite_is_a_clear_error(cli, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    result = cli("--db", junk, "report", "org/model")
    assert result.code == 1 and "is not a database" in result.err
    assert "Traceback" not in result.err


def test_help_lists_every_command_without_importing_one(tmp_path):
    code = (
        "import sys\n"
        "from core.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'numpy', 'pyarrow') if m in sys.modules]\n"
        "commands = [m for m in sys.modules if m.startswith('core.commands.')]\n"
        "print(heavy, commands, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stderr.strip() == "[] []"
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_registers_the_help_line_the_listing_shows(name):
    sub = argparse.ArgumentParser().add_subparsers()
    command_module(name).register(sub)
    (action,) = sub._choices_actions
    assert action.help == COMMANDS[name]

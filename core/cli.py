"""`python -m core`: a thin command line over the core package.

Exit codes: 0 success, 1 a remote source or the cache failed, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sqlite3
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from types import ModuleType
from urllib.parse import urlsplit

from core.commands import COMMANDS
from core.errors import InputError, SyncLensError
from core.redaction import RedactingStream, install_log_redaction


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser, or with `only` the one command about to run, the others listed with
    their one-line help (`only=""`: none, for `--help`). Only the modules parsed are imported,
    so `--help` and each command start without paying for the others' dependencies."""
    parser = argparse.ArgumentParser(
        prog="python -m core",
        description="SyncLens: how a model family's GitHub repository and its Hugging Face "
        "repositories move together, or drift apart.",
        epilog="Tokens (HF_TOKEN, GITHUB_TOKEN, ANTHROPIC_API_KEY) are read from the "
        "environment or .streamlit/secrets.toml and never printed.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=os.environ.get("SYNCLENS_DB"),
        help="SQLite cache file (default: $SYNCLENS_DB or cache/synclens.db)",
    )
    parser.add_argument(
        "--github-url",
        metavar="URL",
        type=_server_url,
        help="a GitHub Enterprise server, e.g. https://ghe.example.com (API at URL/api/v3; "
        "also $GITHUB_API_URL); clones may go through $SYNCLENS_GIT_MIRROR, the Hub through "
        "$HF_ENDPOINT",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, summary in COMMANDS.items():
        if only is None or name == only:
            command_module(name).register(sub)
        else:
            sub.add_parser(name, help=summary)
    return parser


@contextmanager
def _github_server(url: str | None) -> Iterator[None]:
    """`--github-url` for the command's duration: settings are read from the environment
    everywhere (links, clients, git subprocesses), so it is set there and then restored."""
    before = os.environ.get("SYNCLENS_GITHUB_URL")
    if url:
        os.environ["SYNCLENS_GITHUB_URL"] = url
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SYNCLENS_GITHUB_URL", None)
        else:
            os.environ["SYNCLENS_GITHUB_URL"] = before


def _server_url(text: str) -> str:
    """`--github-url`: an http(s) URL of a server, kept without its trailing slash."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL of a server")
    return text.rstrip("/")


def command_module(name: str) -> ModuleType:
    """The module of a command (`label-eval` is `core.commands.label_eval`)."""
    return importlib.import_module(f"core.commands.{name.replace('-', '_')}")


def _command_name(argv: list[str]) -> str | None:
    """The first word that is not a global option or its value."""
    rest = iter(argv)
    for word in rest:
        if word in ("--db", "--github-url"):
            next(rest, None)
        elif not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; whatever it prints, logs or fails with leaves without secrets."""
    install_log_redaction()
    with redacted_output():
        return _run(list(sys.argv[1:] if argv is None else argv))


@contextmanager
def redacted_output() -> Iterator[None]:
    """stdout and stderr pass through `core.redaction` while the command runs."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = RedactingStream(out), RedactingStream(err)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with suppress(BrokenPipeError, ValueError):
                stream.flush()
        sys.stdout, sys.stderr = out, err


def _run(argv: list[str]) -> int:
    if any("\x00" in word for word in argv):  # no shell can pass one; an in-process caller can
        print("error: an argument contains a NUL character; nothing was run.", file=sys.stderr)
        return 2
    parser = build_parser(_command_name(argv) or "")
    args = parser.parse_args(argv)
    try:
        with _github_server(args.github_url):
            return int(args.func(args) or 0)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except SyncLensError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except sqlite3.Error as err:
        print(
            f"error: the cache database failed ({err}); check --db / SYNCLENS_DB points"
            " to a writable SQLite file.",
            file=sys.stderr,
        )
        return 1
    except BrokenPipeError:
        return 0
    except OSError as err:
        where = f" {err.filename}" if err.filename else ""
        print(f"error: cannot read or write{where}: {err.strerror or err}.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the cache keeps what was complete before this run.", file=sys.stderr)
        return 130
    except Exception:  # a bug: show it, through the redacting stream, and say so
        traceback.print_exc(file=sys.stderr)
        print("error: an internal error stopped the command (above).", file=sys.stderr)
        return 1

"""Command-line entry point: argparse only; each command lives in ``daicho.commands``."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from daicho import __version__, commands
from daicho.argparse_ja import VERSION_HELP, Parser
from daicho.errors import DaichoError


def _modules() -> dict[str, str]:
    """Command name → module (``import_`` serves ``import``)."""
    return {m.name.rstrip("_"): m.name for m in pkgutil.iter_modules(commands.__path__)}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that command is imported (half of a run's time otherwise
    goes into importing MkDocs, openpyxl and the rest for commands that will not run)."""
    parser = Parser(prog="daicho", description="個人情報保護の台帳を検査・公開するツール")
    parser.add_argument("--version", action="version", version=f"daicho {__version__}", help=VERSION_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in sorted(_modules().items()):
        if only is None or name == only:
            importlib.import_module(f"daicho.commands.{module}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    try:
        # Inside the try: a command may read the schemas to list its choices (`new`).
        parser = build_parser(first if first in _modules() else None)
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        return int(args.func(args))
    except DaichoError as exc:  # input daicho cannot work with (a schema, rules.yaml, a form): say where
        print(f"daicho: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `daicho … | head`: the reader left; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug in daicho, not in the records: say so without a traceback
        if os.environ.get("DAICHO_DEBUG"):
            raise
        print(f"daicho: 内部エラー（{type(exc).__name__}）。DAICHO_DEBUG=1 で詳細を表示します", file=sys.stderr)
        return 3

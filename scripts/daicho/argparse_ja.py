"""argparse in Japanese: its own words ("usage:", "show this help message and exit", "error:",
"the following arguments are required") as a clerk reads them.

argparse looks every one of its strings up through ``gettext`` (the module's ``_`` and
``ngettext``) at the moment it uses it. :class:`Parser` answers those look-ups from
``MESSAGES`` while one of its methods runs, and leaves argparse as it was afterwards, so other
users of argparse in the same process (pytest, say) are untouched. A string not listed stays
as argparse wrote it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, NoReturn, TypeVar

VERSION_HELP = "バージョンを表示して終了する"
# argparse's message ids (Python 3.11–3.13) → Japanese. Only those a user can meet.
MESSAGES = {
    "usage: ": "使い方: ",
    "positional arguments": "引数",
    "options": "オプション",
    "optional arguments": "オプション",
    "show this help message and exit": "この説明を表示して終了する",
    "show program's version number and exit": VERSION_HELP,
    "%(prog)s: error: %(message)s\n": "%(prog)s: エラー: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "引数 %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "次の引数を指定してください: %s",
    "one of the arguments %s is required": "次の引数のどれかを指定してください: %s",
    "unrecognized arguments: %s": "解釈できない引数があります: %s",
    "not allowed with argument %s": "引数 %s と同時には指定できません",
    "ignored explicit argument %r": "値 %r は指定できません",
    "expected one argument": "値を1つ指定してください",
    "expected at most one argument": "値は1つまでです",
    "expected at least one argument": "値を1つ以上指定してください",
    "ambiguous option: %(option)s could match %(matches)s": "オプション %(option)s があいまいです（候補: %(matches)s）",
    "unexpected option string: %s": "想定していないオプションです: %s",
    "invalid %(type)s value: %(value)r": "値 %(value)r は正しくありません",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r は選べません（選べるのは %(choices)s）",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "コマンド %(parser_name)r はありません（選べるのは %(choices)s）",
}
PLURAL = {"expected %s argument": "値を %s 個指定してください"}

F = TypeVar("F", bound=Callable[..., Any])


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return PLURAL.get(singular) or (singular if n == 1 else plural)


@contextmanager
def japanese() -> Iterator[None]:
    """argparse answers in Japanese inside the block (nested blocks are fine)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _in_japanese(method: F) -> F:
    @wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with japanese():
            return method(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Japanese; its subcommands' parsers are Parsers too.
    (``action="version"`` takes its default help before any look-up: pass ``help=VERSION_HELP``.)"""

    __init__ = _in_japanese(argparse.ArgumentParser.__init__)
    add_argument = _in_japanese(argparse.ArgumentParser.add_argument)
    parse_args = _in_japanese(argparse.ArgumentParser.parse_args)
    parse_known_args = _in_japanese(argparse.ArgumentParser.parse_known_args)
    format_usage = _in_japanese(argparse.ArgumentParser.format_usage)
    format_help = _in_japanese(argparse.ArgumentParser.format_help)

    @_in_japanese
    def error(self, message: str) -> NoReturn:
        super().error(message)

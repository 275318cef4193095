"""The yamllint pre-commit hook, safe for any encoding.

yamllint decodes every file as UTF-8 (or by its BOM) and dies with a traceback on anything else
— a Shift_JIS file saved by a spreadsheet, say. This entry reports such a file the way
``daicho validate`` does (``file:line:col`` of the first byte that is not UTF-8, the code
E-YAML-ENCODING, nothing of the content), and runs yamllint on the others.

    python -c "…; from daicho.yamllint_hook import main; raise SystemExit(main())" OPTIONS -- FILES

Everything before ``--`` goes to yamllint as options. This module imports nothing of daicho, so
the hook environment needs yamllint alone.
"""

from __future__ import annotations

import sys


def encoding_error(path: str) -> str | None:
    """The error line for a file that is not UTF-8 (a UTF-8 BOM is fine), else None."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        return f"{path}:1:1: エラー[E-FILE-READ] ファイルを読めません（{exc.strerror}）"
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return (f"{path}:{line}:{col}: エラー[E-YAML-ENCODING] 文字コードが UTF-8 ではありません"
                "（Shift_JIS など別の文字コードで保存されています）。UTF-8 で保存し直してください")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    options, files = (args[:args.index("--")], args[args.index("--") + 1:]) if "--" in args else ([], args)
    found = {f: encoding_error(f) for f in files}
    errors = [line for line in found.values() if line]
    for line in errors:
        print(line)
    readable = [f for f, error in found.items() if error is None]
    status = 1 if errors else 0
    if readable:
        from yamllint import cli

        try:
            cli.run([*options, *readable])
        except SystemExit as exc:  # yamllint ends by exiting with its status
            status = max(status, exc.code if isinstance(exc.code, int) else 1)
    return status


if __name__ == "__main__":
    raise SystemExit(main())

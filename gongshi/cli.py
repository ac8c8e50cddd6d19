"""The ``gongshi`` command: ``build`` a site, ``check`` its content only, or ``serve`` a preview
that rebuilds on every save (:mod:`gongshi.serve`; Ctrl+C ends it with 0).

Exit codes: 0 success (content warnings, ``path:line: warning: …``, are printed and fail only
with ``--strict``); 1 problems in the content (each printed as ``path:line: error: …``);
2 a usage, settings or output-folder error; 3 the build itself failed (theme, Pelican) or an
internal error; 130 interrupted by Ctrl+C (SIGINT), 143 stopped by SIGTERM (128 + the signal,
as a shell reports a process killed by it); 141 its output's reader went away before all of it
was written (``gongshi check | head``: 128 + SIGPIPE, the code a shell's own tools end with
then). Every failure is a message, never a traceback;
``GONGSHI_DEBUG=1`` shows the traceback of an internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import NoReturn

from .authoring import new
from .errors import ContentError, GongshiError, Problem, Terminated
from .outputs.templating import zh_date
from .publish import deploy
from .publish.run import build, load_settings
from .reporting import FORMATS, render, warn
from .serve.command import serve
from .settings import from_pelican, impose_on_pelican
from .site.index import SiteIndex
from .site.load import load_site


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongshi", description="议事协商公示网站生成器")
    parser.add_argument(
        "--settings",
        type=Path,
        default=Path("pelicanconf.py"),
        help="设置文件（默认 pelicanconf.py）",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="检查内容并生成网站")
    build_cmd.add_argument("--content", type=Path, help="内容目录（默认 content/）")
    build_cmd.add_argument("--output", type=Path, help="输出目录（默认 output/）")
    build_cmd.add_argument("--site-url", help="网站完整地址，如 https://gongshi.example.org")
    build_cmd.add_argument(
        "--cache",
        action="store_true",
        help="使用输出目录旁的 .gongshi-cache/ 缓存：没有变化时保留原输出，搜索索引没变时不重建（缓存随时可删）",
    )
    check_cmd = commands.add_parser("check", help="只检查内容，不生成网站")
    check_cmd.add_argument("--content", type=Path, help="内容目录（默认 content/）")
    new_cmd = commands.add_parser("new", help="新建一个内容文件（议事会、协商结果……）")
    new.add_arguments(new_cmd)
    new_cmd.set_defaults(format="text")
    check_cmd.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="问题的输出格式：text（默认）、json（每行一个问题）、github（GitHub 标注）、"
        "gitlab（GitLab 代码质量报告）",
    )
    build_cmd.set_defaults(format="text")
    serve_cmd = commands.add_parser("serve", help="边改边看：在本机预览网站，保存后自动刷新")
    serve_cmd.add_argument(
        "--port", type=int, default=8000, help="端口（默认 8000；0 为任选空闲端口）"
    )
    for cmd in (build_cmd, check_cmd, serve_cmd):
        cmd.add_argument("--now", help="固定“现在”，如 '2025-06-15 10:00'（决定即将召开、已逾期）")
    for cmd in (build_cmd, check_cmd):
        cmd.add_argument("--strict", action="store_true", help="有警告也算失败（退出码 1）")
    deploy.register(commands)
    parser.set_defaults(format="text")  # how problems are printed; only check offers others
    return parser


def _report(problems: Sequence[Problem], form: str = "text") -> None:
    """Every problem and warning in ``form`` (text: one line each, then how many, on stderr)."""
    out, err = render(problems, form)
    print(out, end="")
    print(err, end="", file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    content: Path | None = args.content
    overrides: dict[str, object] = {"PATH": str(content.resolve())} if content else {}
    if args.now is not None:
        overrides["GONGSHI_NOW"] = args.now
    if args.strict:
        overrides["GONGSHI_STRICT"] = True
    settings = load_settings(args.settings, overrides)
    impose_on_pelican(settings)
    index = load_site(Path(settings["PATH"]), from_pelican(settings))
    _report(index.warnings, args.format)
    done = sys.stdout if args.format == "text" else sys.stderr  # stdout: the report alone
    print(f"内容检查通过：{counted(index)}。", file=done)
    print(next_change_line(index.next_change()), file=done)
    return 0


def counted(index: SiteIndex) -> str:
    """``18 场议事会、13 项协商结果 …``: each type's count with its measure word and short name."""
    codes = index.codes
    return "、".join(
        f"{n} {codes.label('item_type', t, 'counter')}{codes.label('item_type', t, 'short')}"
        for t, n in index.counts().items()
    )


INTERRUPTED = 130  # 128 + SIGINT
TERMINATED = 143  # 128 + SIGTERM
READER_GONE = 141  # 128 + SIGPIPE


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated`, so cleanups run as they do for Ctrl+C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _build(args: argparse.Namespace) -> int:
    result = build(
        args.settings,
        content=args.content,
        output=args.output,
        now=args.now,
        site_url=args.site_url,
        strict=args.strict,
        cache=args.cache,
    )
    _report(result.content_warnings)
    for warning in result.warnings:
        warn(warning)
    output = args.output or Path("output")
    if result.unchanged:
        print(f"内容、主题和设置都没有变化：{output}/ 保持原样（{result.pages} 个页面）")
    else:
        print(
            f"已生成 {result.pages} 个页面（共 {result.files} 个文件），用时 {result.seconds:.1f} 秒 → {output}/"
        )
    print(next_change_line(result.next_change))
    return 0


def next_change_line(change: tuple[datetime, str] | None) -> str:
    """The one line ``build`` and ``check`` end with: when the pages would next say something
    else (a meeting starts, an application deadline or a deadline passes), so the site is
    rebuilt by then (docs/deploy.md); the time in the site's zone."""
    if change is None:
        return "下一次状态变化：无（没有待召开的议事会或未到期的办理时限）"
    moment, what = change
    return f"下一次状态变化：{zh_date(moment)}（{what}）；届时请重新生成"


def _serve(args: argparse.Namespace) -> int:
    return serve(args.settings, args.port, args.now)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _build,
    "check": _check,
    "deploy": deploy.run,
    "new": new.run,
    "serve": _serve,
}


def _run(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command](args)
    except ContentError as error:
        _report(error.problems, args.format)
        if not any(p.is_error for p in error.problems):
            print("有警告且要求严格检查（--strict 或 GONGSHI_STRICT），视为失败。", file=sys.stderr)
        if args.command == "build":
            print("网站未生成；原有输出目录保持不变。", file=sys.stderr)
        return error.exit_code
    except GongshiError as error:
        print(f"错误：{error}", file=sys.stderr)
        return error.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    command = None
    with _sigterm_raises():
        try:
            args = _parser().parse_args(argv)
            command = args.command
            return _run(args)
        except (KeyboardInterrupt, Terminated) as stop:
            what = "构建被中断；原有输出目录保持不变。" if command == "build" else "已中断。"
            print(what, file=sys.stderr)
            return INTERRUPTED if isinstance(stop, KeyboardInterrupt) else TERMINATED
        except BrokenPipeError:
            return _reader_gone()
        except Exception as exc:
            if os.environ.get("GONGSHI_DEBUG", "") not in ("", "0"):
                raise
            print(
                f"内部错误：{type(exc).__name__}: {' '.join(str(exc).split())} "
                "请报告此问题（设置 GONGSHI_DEBUG=1 可查看详细信息）",
                file=sys.stderr,
            )
            return 3


def run() -> NoReturn:
    """The console script (and ``python -m gongshi.cli``): :func:`main`, then the process ends at
    once with its code. A build is done when :func:`main` returns — its files closed, its
    workers and threads waited for — and what is left is only freeing its objects one by one,
    which the system does at once for the whole process: at 10,000 items 0.25–0.35 s of a 4 s
    rebuild (``atexit`` is not run: nothing of Gongshi's registers there)."""
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = _reader_gone()
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def _reader_gone() -> int:
    """The reader of stdout went away (``gongshi check | head``): what is left to write there
    goes nowhere (the interpreter's own last flush would fail again), and the code says so."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return READER_GONE


if __name__ == "__main__":
    run()

"""A broken settings file or a setting of the wrong type: one Chinese line, exit 2, no traceback.

And the last resort: any other exception is one line asking for a report (exit 3), unless
``GONGSHI_DEBUG=1`` asks for the traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import COMPLETE, ROOT, run_cli

from gongshi import cli

BASE = (COMPLETE / "pelicanconf.py").read_text(encoding="utf-8") + (
    f"THEME = {str(ROOT / 'themes' / 'gongshi')!r}\nPATH = {str(COMPLETE / 'content')!r}\n"
)
LINE = BASE.count("\n") + 1  # the line the test's addition is written on


def settings_with(tmp_path: Path, addition: str) -> Path:
    settings = tmp_path / "conf.py"
    settings.write_text(BASE + addition + "\n", encoding="utf-8")
    return settings


@pytest.mark.parametrize(
    ("addition", "message"),
    [
        ("1 / 0", "设置文件 {conf} 第 {line} 行出错：ZeroDivisionError: division by zero"),
        ("import gongshi_no_such_module",
         "设置文件 {conf} 第 {line} 行出错：ModuleNotFoundError: No module named 'gongshi_no_such_module'"),
        ("SITENAME = (", "设置文件 {conf} 第 {line} 行出错：SyntaxError: '(' was never closed"),
        ("raise RuntimeError('坏了\\n第二行')", "设置文件 {conf} 第 {line} 行出错：RuntimeError: 坏了 第二行"),
        ("import sys; sys.exit(0)", "设置文件 {conf} 第 {line} 行出错：SystemExit: 0"),
        ("GONGSHI_TIMEZONE = 8", "GONGSHI_TIMEZONE 应为文本（时区名，如 'Asia/Shanghai'），实际为整数 8"),
        ("GONGSHI_CODES = 'x'", "GONGSHI_CODES 应为字典，形如 {{'代码表': {{'代码': '标签'}}}}，实际为文本 'x'"),
        ("GONGSHI_CODES = {'meeting_format': ['hybrid']}",
         "GONGSHI_CODES 应为字典，形如 {{'代码表': {{'代码': '标签'}}}}，实际为 {{'meeting_format': ['hybrid']}}"),
        ("GONGSHI_PAGE_SIZE = '30'", "GONGSHI_PAGE_SIZE 应为正整数，实际为文本 '30'"),
        ("GONGSHI_HOME_ITEMS = True", "GONGSHI_HOME_ITEMS 应为正整数，实际为真假值 True"),
        ("GONGSHI_FEED_LIMIT = 2.5", "GONGSHI_FEED_LIMIT 应为正整数，实际为小数 2.5"),
        ("GONGSHI_PUBLISHER = 5", "GONGSHI_PUBLISHER 应为文本，实际为整数 5"),
        ("GONGSHI_NOW = []", "GONGSHI_NOW 应为空值 None、文本 'YYYY-MM-DD HH:MM' 或 datetime，实际为列表 []"),
        ("SITEURL = 5", "SITEURL 应为文本（网站地址），实际为整数 5"),
        ("SITEURL = 'www.example.org'",
         "SITEURL 应为网站的完整地址，如 https://gongshi.example.org（站点地图等需要）"),
        ("THEME = 'no/such/theme'",
         "设置文件 {conf} 中的 THEME = 'no/such/theme'：找不到这个主题文件夹（相对路径从设置文件所在的文件夹算起）"),
        ("TIMEZONE = None", "TIMEZONE 应为文本（时区名），实际为空值 None"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_bad_settings_file_is_one_line_and_exit_2(
    tmp_path: Path, addition: str, message: str, command: str
) -> None:
    settings = settings_with(tmp_path, addition)
    output = ["--output", str(tmp_path / "output")] if command == "build" else []

    code, out, err = run_cli("--settings", str(settings), command, *output)

    assert (code, out) == (2, "")
    assert err == "错误：" + message.format(conf=settings, line=LINE) + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conf.py"]  # nothing written


def test_an_unexpected_error_is_one_line_asking_for_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("意外\n情况")

    monkeypatch.setattr(cli, "build", broken)
    monkeypatch.delenv("GONGSHI_DEBUG", raising=False)
    arguments = ("--settings", str(COMPLETE / "pelicanconf.py"), "build")

    assert run_cli(*arguments) == (
        3,
        "",
        "内部错误：RuntimeError: 意外 情况 请报告此问题（设置 GONGSHI_DEBUG=1 可查看详细信息）\n",
    )
    monkeypatch.setenv("GONGSHI_DEBUG", "1")
    with pytest.raises(RuntimeError, match="意外"):
        run_cli(*arguments)

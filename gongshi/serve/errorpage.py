"""The page the preview shows instead of the site while the content has problems.

Every problem, in Chinese: where (file and line), which field, what is wrong, what to write
instead when Gongshi can tell, and its category — the same problems the terminal lists. The page
reloads by itself once the editor's save brings the site back.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..errors import Problem, summary
from ..reporting import suggestion

_STYLE = """
body{margin:0;font:16px/1.6 system-ui,"Noto Sans CJK SC",sans-serif;color:#1a1a1a;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;color:#a4000f;margin:.5rem 0}
ol{padding-left:1.5rem}li{margin:0 0 1rem;padding:.5rem .75rem;border-left:4px solid #a4000f;background:#fdf2f2}
li.warning{border-color:#8a5a00;background:#fdf7e8}
.where{font-weight:700;overflow-wrap:anywhere}dl{margin:.25rem 0 0;display:grid;grid-template-columns:auto 1fr;gap:0 .75rem}
dt{color:#444}dd{margin:0;overflow-wrap:anywhere}code{font-family:ui-monospace,monospace}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fdf2f2;padding:.75rem}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<main id="gongshi-problems">\n<h1>{escape(title)}</h1>\n{body}</main>\n</body>\n</html>\n'
    )


def _item(problem: Problem) -> str:
    label = "错误" if problem.is_error else "警告"
    rows = [("字段", f"<code>{escape(problem.field)}</code>"), ("问题", escape(problem.message))]
    fix = suggestion(problem)
    if fix is not None:
        rows.append(("建议", f"改为 <code>{escape(fix)}</code>"))
    rows.append(("类别", f"<code>{escape(problem.category)}</code>"))
    cells = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    return (
        f'<li class="{escape(problem.severity)}"><p class="where">{label}：'
        f"<code>{escape(problem.path)}</code> 第 {problem.line} 行</p><dl>{cells}</dl></li>\n"
    )


def problems_page(problems: Sequence[Problem]) -> str:
    """Every problem of a failed rebuild, listed."""
    intro = (
        f"<p>{escape(summary(problems))}预览中的网站没有更新。请按下面的说明改正，保存文件后本页会"
        "自动刷新；终端里也列出了同样的问题。</p>\n"
    )
    items = "".join(_item(p) for p in problems)
    return _page("内容有问题，网站没有更新", f"{intro}<ol>\n{items}</ol>\n")


def failure_page(message: str) -> str:
    """A settings, theme or build failure: its one message."""
    intro = (
        "<p>预览中的网站没有更新。请按下面的说明改正设置文件或主题，保存后本页会自动刷新。</p>\n"
    )
    return _page("设置或主题有误，网站没有更新", f"{intro}<pre>{escape(message)}</pre>\n")

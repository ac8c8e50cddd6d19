"""What the board's pages show of a :class:`gongshi.site.board.Board`: its charts as inline SVG
and its figures in words. Nothing here computes a figure; it only draws and words them."""

from __future__ import annotations

from markupsafe import Markup

from ..content.codes import Codes
from ..site.board import Board
from .charts import Bar, bars


def percent(rate: float | None) -> str:
    """A share as a resident reads it: ``75%``, ``66.7%``; ``—`` when there is nothing to rate."""
    if rate is None:
        return "—"
    return f"{round(rate * 100, 1):g}%"


def days(value: float | None) -> str:
    """Days as a figure: ``12``, ``12.5``; ``—`` when there is none."""
    return "—" if value is None else f"{value:g}"


def charts(board: Board, codes: Codes, prefix: str) -> dict[str, Markup]:
    """Every chart of a board, by name; ``prefix`` keeps their ids unique on a page."""
    where = board.place.name if board.place else "全站"
    held = [
        Bar(
            t.month.label,
            t.held,
            f"{t.held} 场",
            partial=t.month.current,
        )
        for t in board.trend
    ]
    found = {
        "held": bars(
            f"{prefix}-chart-held",
            f"{where}每月召开的议事协商会（{board.first.label}至{board.last.label}）",
            held,
        ),
    }
    counted = [(s, n) for s, n in board.outcomes.by_status]
    if board.outcomes.agreed:
        found["status"] = bars(
            f"{prefix}-chart-status",
            f"{where}统计期内达成的协商结果，按办理状态",
            [Bar(codes.label("outcome_status", s), n, f"{n} 项") for s, n in counted],
        )
    if board.projects.active:
        found["progress"] = bars(
            f"{prefix}-chart-progress",
            f"{where}在推进的民心项目的进度",
            [Bar(p.title, p.progress or 0, f"{p.progress or 0}%") for p in board.projects.active],
            scale=100,
            stacked=True,
            track=True,
        )
    return found

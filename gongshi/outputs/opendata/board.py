"""The public ledger board as open data: ``/data/board.json``, its JSON Schema and one CSV per
table of the board (``/data/board-<table>.csv``), for an office to paste into its report.

Every value is read from the portal's :class:`gongshi.site.board.Board`, the one the ``/board/``
page shows (taken from the page plan, so it is computed once). References are the open data's
link objects (:func:`declarations.link`); CSV goes through the one spreadsheet writer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...content.codes import Codes
from ...content.fields import Ref
from ...content.models import bodies
from ...settings import GongshiSettings
from ...site import urls
from ...site.board import Board, Cell, Month, Overdue
from ..reuse import KeyedFiles, key_of
from .declarations import link
from .schemas import DRAFT, Row, _Schemas, rows
from .spreadsheet import Cell as SheetCell
from .spreadsheet import Writer

if TYPE_CHECKING:
    from ...site.build import Build


# -- the schema ---------------------------------------------------------------------------------
def _obj(title: str, properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    found = {
        "title": title,
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    return found | ({"description": description} if description else {})


def _count(title: str, description: str = "") -> dict[str, Any]:
    found = {"title": title, "type": "integer", "minimum": 0}
    return found | ({"description": description} if description else {})


def _nullable(schema: dict[str, Any], title: str, description: str = "") -> dict[str, Any]:
    found = {"title": title, "anyOf": [schema, {"type": "null"}]}
    return found | ({"description": description} if description else {})


def _list(title: str, items: dict[str, Any], description: str = "") -> dict[str, Any]:
    found = {"title": title, "type": "array", "items": items}
    return found | ({"description": description} if description else {})


MONTH = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}
DAY = {"type": "string", "format": "date"}
TEXT = {"type": "string", "minLength": 1}


def _month(title: str, description: str = "") -> dict[str, Any]:
    found = {"title": title, **MONTH}
    return found | ({"description": description} if description else {})


def _coded(codes: Codes, list_name: str, title: str, extra: dict[str, Any]) -> dict[str, Any]:
    labels = "、".join(f"{c}（{label}）" for c, label in codes[list_name].labels.items())
    return _obj(
        title,
        {
            "code": {"title": "代码", "type": "string", "enum": codes[list_name].codes()},
            "label": {"title": "名称", **TEXT},
            "count": _count("数量"),
            **extra,
        },
        f"取值：{labels}",
    )


def board_schema(codes: Codes, site_url: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``/data/board.json``."""
    s = _Schemas(codes, site_url)
    place, meeting = s.kind(Ref("place")), s.kind(Ref("meeting"))
    outcome, project = s.kind(Ref("outcome")), s.kind(Ref("project"))
    lead = _nullable(TEXT, "主责单位")
    meeting_fact = _obj(
        "议事会",
        {
            "meeting": {"title": "议事会", **meeting},
            "day": {"title": "召开日期", **DAY},
            "lead_days": _count("公示提前天数"),
        },
    )
    body = {
        "site_name": {"title": "网站名称", **TEXT},
        "site_url": {"title": "网站地址", "type": "string", "format": "uri"},
        "publisher": _nullable(TEXT, "发布单位"),
        "generated": {
            "title": "生成时间",
            "type": "string",
            "format": "date-time",
            "description": "统计截至这一时间；是否逾期也以它为准",
        },
        "schema": {"title": "JSON Schema", "type": "string", "format": "uri"},
        "documentation": {"title": "说明", "type": "string", "format": "uri"},
        "rules": _obj(
            "统计规则",
            {
                "monthly_minimum": _count("每月最少场数", "每个社区、村每月至少召开的议事会场数"),
                "notice_days": _count("最少公示天数", "公示日期至少提前开会的天数"),
                "months": _count("统计月数"),
            },
            "设置 GONGSHI_BOARD_MONTHLY_MINIMUM、GONGSHI_BOARD_NOTICE_DAYS、GONGSHI_BOARD_MONTHS",
        ),
        "months": _list(
            "统计期的月份",
            _month("月份"),
            "从早到晚，写作 2026-11；最后一个是生成时间所在的月份，尚未结束",
        ),
        "meetings": _obj(
            "议事会是否按月召开",
            {
                "held": _count("召开场数", "统计期内已召开的议事会"),
                "community_months": _count("已结束的“社区·月”数", "本月不计"),
                "community_months_met": _count("其中达到最少次数的"),
                "late": _list("公示不足的议事会", meeting_fact),
                "without_record": _list("没有会议记录的已召开议事会", meeting_fact),
                "not_updated": _list(
                    "会期已过、还没有改为“已召开”的议事会",
                    meeting_fact,
                    "统计期内开始时间已过而状态仍为待召开的，不计入召开场数",
                ),
                "communities": _list(
                    "各社区、村",
                    _obj(
                        "社区、村",
                        {
                            "place": {"title": "社区、村", **place},
                            "jurisdiction": {"title": "所属街道、镇", **place},
                            "missed": _list("未达到最少次数的月份", MONTH),
                            "months": _list(
                                "逐月",
                                _obj(
                                    "一个月",
                                    {
                                        "month": _month("月份"),
                                        "held": _count("召开场数"),
                                        "met": _nullable(
                                            {"type": "boolean"},
                                            "是否达到最少次数",
                                            "null：本月尚未结束，还没有达到",
                                        ),
                                        "late_notices": _count("公示不足的场数"),
                                        "without_record": _count("没有会议记录的场数"),
                                        "shortest_lead_days": _nullable(
                                            {"type": "integer", "minimum": 0},
                                            "最短公示提前天数",
                                            "当月未召开时为 null",
                                        ),
                                    },
                                ),
                            ),
                        },
                    ),
                ),
            },
        ),
        "outcomes": _obj(
            "协商结果是否办结",
            {
                "agreed": _count("统计期内达成的项数"),
                "by_route": _list("按办理途径", _coded(codes, "outcome_route", "办理途径", {})),
                "by_status": _list("按办理状态", _coded(codes, "outcome_status", "办理状态", {})),
                "on_time": _count("按时办结", "办理时限在统计期内且已到的"),
                "late_done": _count("逾期办结"),
                "late_open": _count("到期未办结"),
                "closed": _count("已关闭（不计入按时办结率）"),
                "on_time_rate": _nullable(
                    {"type": "number", "minimum": 0, "maximum": 1},
                    "按时办结率",
                    "按时办结 ÷（按时办结 + 逾期办结 + 到期未办结），0–1；没有到期的时为 null",
                ),
                "days_to_done": _obj(
                    "从议事会到办结的天数",
                    {
                        "count": _count("项数", "办结日期在统计期内的"),
                        "median": _nullable({"type": "number"}, "中位数"),
                        "p90": _nullable({"type": "integer", "minimum": 0}, "90 分位", "最近秩法"),
                    },
                ),
                "overdue": _list(
                    "逾期未办结的协商结果",
                    _obj(
                        "逾期的协商结果",
                        {
                            "outcome": {"title": "协商结果", **outcome},
                            "lead": lead,
                            "deadline": {"title": "办理时限", **DAY},
                            "days_overdue": _count("逾期天数"),
                        },
                    ),
                    "逾期最久的在前",
                ),
            },
        ),
        "projects": _obj(
            "民心项目挂图推进",
            {
                "total": _count("项目数"),
                "by_status": _list(
                    "按项目状态",
                    _coded(
                        codes,
                        "project_status",
                        "项目状态",
                        {"budget": {"title": "预算合计（元）", "type": "number", "minimum": 0}},
                    ),
                ),
                "by_category": _list(
                    "按类别（七有五性）", _coded(codes, "project_category", "类别", {})
                ),
                "budget_total": {"title": "预算合计（元）", "type": "number", "minimum": 0},
                "without_budget": _count("未填写预算的项目数"),
                "active": _list(
                    "在推进的项目（已立项、实施中）",
                    _obj(
                        "项目",
                        {
                            "project": {"title": "民心项目", **project},
                            "status": {
                                "title": "项目状态",
                                "type": "string",
                                "enum": codes["project_status"].codes(),
                            },
                            "progress": {
                                "title": "进度（%）",
                                "type": "integer",
                                "minimum": 0,
                                "maximum": 100,
                            },
                            "due": _nullable(DAY, "计划完成日期"),
                        },
                    ),
                    "进度高的在前",
                ),
                "past_due": _list(
                    "过了计划完成日期仍未完成的项目",
                    _obj(
                        "逾期的项目",
                        {
                            "project": {"title": "民心项目", **project},
                            "lead": lead,
                            "due": {"title": "计划完成日期", **DAY},
                            "days_overdue": _count("逾期天数"),
                        },
                    ),
                ),
            },
        ),
        "trend": _list(
            "逐月",
            _obj(
                "一个月",
                {
                    "month": _month("月份"),
                    "held": _count("召开场数"),
                    "communities_met": _count("达到最少次数的社区、村数"),
                    "communities": _count("社区、村总数"),
                    "late_notices": _count("公示不足的场数"),
                    "outcomes_agreed": _count("达成的协商结果"),
                    "outcomes_done": _count("办结的协商结果"),
                },
            ),
        ),
    }
    return {
        "$schema": DRAFT,
        "$id": site_url + urls.BOARD_SCHEMA,
        "title": "公开台账（board.json）",
        "description": f"全站公开台账的每一项数字。说明见 {site_url}{urls.DATA}",
        "type": "object",
        "properties": body,
        "required": list(body),
        "additionalProperties": False,
        "$defs": s.defs,
    }


# -- the data -----------------------------------------------------------------------------------
def _lead_days(build: Build, facts: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "meeting": link(build, "meeting", f.meeting.id),
            "day": f.day.isoformat(),
            "lead_days": f.lead_days,
        }
        for f in facts
    ]


def _cell(month: Month, cell: Cell) -> dict[str, Any]:
    return {
        "month": month.key,
        "held": cell.held,
        "met": cell.met,
        "late_notices": cell.late_notices,
        "without_record": cell.without_record,
        "shortest_lead_days": cell.shortest_lead,
    }


def _coded_rows(codes: Codes, list_name: str, pairs: Sequence[tuple[str, int]]) -> list[Any]:
    return [{"code": c, "label": codes.label(list_name, c), "count": n} for c, n in pairs]


def _number(value: float) -> int | float:
    """Yuan as JSON: whole yuan as an integer (720000), fen kept (3500.5)."""
    return int(value) if float(value).is_integer() else round(value, 2)


def board_data(board: Board, build: Build) -> dict[str, Any]:
    codes = build.settings.codes
    mk, oc, pj = board.meetings, board.outcomes, board.projects
    return {
        "site_name": build.settings.site_name,
        "site_url": build.absolute(urls.HOME),
        "publisher": build.settings.publisher or None,
        "generated": board.now.astimezone(build.settings.timezone).isoformat(),
        "schema": build.absolute(urls.BOARD_SCHEMA),
        "documentation": build.absolute(urls.DATA),
        "rules": {
            "monthly_minimum": board.rules.monthly_minimum,
            "notice_days": board.rules.notice_days,
            "months": board.rules.months,
        },
        "months": [m.key for m in board.months],
        "meetings": {
            "held": len(mk.held),
            "community_months": mk.judged,
            "community_months_met": mk.met,
            "late": _lead_days(build, mk.late),
            "without_record": _lead_days(build, mk.without_record),
            "not_updated": _lead_days(build, mk.not_updated),
            "communities": [
                {
                    "place": link(build, "place", r.place.id),
                    "jurisdiction": link(build, "place", r.place.parent or r.place.id),
                    "missed": [m.key for m in r.missed(board.months)],
                    "months": [_cell(m, c) for m, c in zip(board.months, r.cells, strict=True)],
                }
                for r in mk.rows
            ],
        },
        "outcomes": {
            "agreed": oc.agreed,
            "by_route": _coded_rows(codes, "outcome_route", oc.by_route),
            "by_status": _coded_rows(codes, "outcome_status", oc.by_status),
            "on_time": oc.on_time,
            "late_done": oc.late_done,
            "late_open": oc.late - oc.late_done,
            "closed": oc.closed,
            "on_time_rate": None if oc.rate is None else round(oc.rate, 4),
            "days_to_done": {
                "count": len(oc.days_to_done),
                "median": oc.median_days,
                "p90": oc.p90_days,
            },
            "overdue": [_overdue(build, "outcome", o) for o in oc.overdue],
        },
        "projects": {
            "total": pj.total,
            "by_status": [
                {**row, "budget": _number(budget)}
                for row, (_, budget) in zip(
                    _coded_rows(codes, "project_status", pj.by_status),
                    pj.budget_by_status,
                    strict=True,
                )
            ],
            "by_category": _coded_rows(codes, "project_category", pj.by_category),
            "budget_total": _number(pj.budget_total),
            "without_budget": pj.without_budget,
            "active": [
                {
                    "project": link(build, "project", p.id),
                    "status": p.status,
                    "progress": p.progress or 0,
                    "due": p.due.isoformat() if p.due else None,
                }
                for p in pj.active
            ],
            "past_due": [_overdue(build, "project", o) for o in pj.past_due],
        },
        "trend": [
            {
                "month": t.month.key,
                "held": t.held,
                "communities_met": t.communities_met,
                "communities": board.communities,
                "late_notices": t.late_notices,
                "outcomes_agreed": t.agreed,
                "outcomes_done": t.done,
            }
            for t in board.trend
        ],
    }


def _overdue(build: Build, kind: str, o: Overdue) -> dict[str, Any]:
    item: Any = o.item
    day = item.deadline if kind == "outcome" else item.due
    return {
        kind: link(build, kind, item.id),
        "lead": item.lead,
        "deadline" if kind == "outcome" else "due": day.isoformat(),
        "days_overdue": o.days,
    }


# -- the CSV tables -----------------------------------------------------------------------------
MET_WORDS = {True: "是", False: "否", None: "本月未结束"}


@dataclass(frozen=True)
class Table:
    name: str  # board-<name>.csv
    title: str
    columns: tuple[tuple[str, str], ...]  # (header, what it holds)
    # the rows, computed: Gongshi's code, which is in every page's env (publish/cache.pages_env),
    # and shown by no page, so the /data/board/ page is taken over like any other
    rows: Callable[[Board, Build], Iterator[Sequence[SheetCell]]] = field(
        metadata={"digest": False}
    )

    @property
    def path(self) -> str:
        return urls.board_csv(self.name)


def _meeting_rows(board: Board, build: Build) -> Iterator[Sequence[SheetCell]]:
    places = build.index.places
    for r in board.meetings.rows:
        parent = places[r.place.parent].name if r.place.parent else ""
        for m, c in zip(board.months, r.cells, strict=True):
            lead: SheetCell = "" if c.shortest_lead is None else c.shortest_lead
            yield (r.place.name, parent, m.key, c.held, MET_WORDS[c.met], c.late_notices,
                   c.without_record, lead)  # fmt: skip


def _outcome_rows(board: Board, build: Build) -> Iterator[Sequence[SheetCell]]:
    codes, oc = build.settings.codes, board.outcomes
    yield ("统计期内达成", "合计", oc.agreed)
    for code, n in oc.by_route:
        yield ("办理途径", codes.label("outcome_route", code), n)
    for code, n in oc.by_status:
        yield ("办理状态", codes.label("outcome_status", code), n)
    yield ("办理时限", "按时办结", oc.on_time)
    yield ("办理时限", "逾期办结", oc.late_done)
    yield ("办理时限", "到期未办结", oc.late - oc.late_done)
    yield ("办理时限", "已关闭（不计入）", oc.closed)
    yield ("办理时限", "按时办结率（%）", "" if oc.rate is None else round(oc.rate * 100, 1))
    yield ("办结天数", "项数", len(oc.days_to_done))
    yield ("办结天数", "中位数", "" if oc.median_days is None else oc.median_days)
    yield ("办结天数", "90 分位", "" if oc.p90_days is None else oc.p90_days)
    yield ("逾期", "现在逾期未办结", len(oc.overdue))


def _overdue_rows(board: Board, build: Build) -> Iterator[Sequence[SheetCell]]:
    codes = build.settings.codes
    for kind, found in (("outcome", board.outcomes.overdue), ("project", board.projects.past_due)):
        for o in found:
            item: Any = o.item
            day = item.deadline if kind == "outcome" else item.due
            yield (codes.label("item_type", kind), item.title, build.absolute(item.url),
                   item.lead or "", day.isoformat(), o.days)  # fmt: skip


def _project_rows(board: Board, build: Build) -> Iterator[Sequence[SheetCell]]:
    codes = build.settings.codes
    for p in board.projects.active:
        budget: SheetCell = "" if p.budget is None else p.budget
        yield (p.title, build.absolute(p.url), codes.label("project_status", p.status),
               p.progress or 0, p.due.isoformat() if p.due else "", budget)  # fmt: skip


def _trend_rows(board: Board, build: Build) -> Iterator[Sequence[SheetCell]]:
    for t in board.trend:
        yield (t.month.key, t.held, t.communities_met, board.communities, t.late_notices,
               t.agreed, t.done)  # fmt: skip


TABLES: tuple[Table, ...] = (
    Table("meetings", "各社区、村逐月召开议事会的情况（每个社区、村每月一行）", (
        ("社区、村", "名称"), ("所属街道、镇", "名称"), ("月份", "如 2026-11"),
        ("召开场数", "当月已召开的议事会"), ("是否达到最少次数", "是、否或本月未结束"),
        ("公示不足的场数", "公示提前天数少于规定的"), ("没有会议记录的场数", "已召开而无记录的"),
        ("最短公示提前天数", "当月未召开时为空"),
    ), _meeting_rows),
    Table("outcomes", "协商结果办理情况汇总", (
        ("指标", "统计的方面"), ("分类", "办理途径、办理状态或情况"), ("数值", "项数、百分比或天数"),
    ), _outcome_rows),
    Table("overdue", "逾期未办结的协商结果和民心项目", (
        ("类型", "协商结果或民心项目"), ("标题", ""), ("网址", "本站页面"), ("主责单位", ""),
        ("时限", "办理时限或计划完成日期"), ("逾期天数", ""),
    ), _overdue_rows),
    Table("projects", "在推进的民心项目（已立项、实施中）", (
        ("项目", "标题"), ("网址", "本站页面"), ("状态", ""), ("进度（%）", ""),
        ("计划完成日期", ""), ("预算（元）", "未填写时为空"),
    ), _project_rows),
    Table("trend", "逐月数字", (
        ("月份", "如 2026-11"), ("召开场数", ""), ("达到最少次数的社区、村数", ""),
        ("社区、村总数", ""), ("公示不足的场数", ""), ("达成的协商结果", ""), ("办结的协商结果", ""),
    ), _trend_rows),
)  # fmt: skip


def csv_bytes(table: Table, board: Board, build: Build) -> bytes:
    writer = Writer()
    writer.row(header for header, _ in table.columns)
    for row in table.rows(board, build):
        writer.row(row)
    return writer.bytes()


def paths() -> tuple[str, ...]:
    """Every file this module writes."""
    return (urls.BOARD_JSON, urls.BOARD_SCHEMA, *(t.path for t in TABLES))


@dataclass(frozen=True)
class BoardDoc:
    """What the ``/data/`` page documents of the board's files."""

    fields: tuple[Row, ...]
    tables: tuple[Table, ...]


def board_catalogue(settings: GongshiSettings) -> BoardDoc:
    schema = board_schema(settings.codes, settings.site_url)
    return BoardDoc(tuple(rows(schema, schema["$defs"])), TABLES)


def portal_board(build: Build) -> Board:
    """The portal's board, as the page plan computed it for ``/board/``."""
    page = next(p for p in build.pages if p.url == urls.BOARD)
    found: Board = page.context["board"]
    return found


def write(build: Build, output: Path, files: KeyedFiles | None = None) -> None:
    """``board.json``, its schema and the board's CSV files, through ``files`` (each taken
    over when it says what it said). In a build where only bodies changed, they are taken over
    without being made: the board is made of what the index is made of less the bodies —
    whether a meeting has its record is in that (``outputs/changes.py``) — and of "now" within
    its steady span, and only ``board.json`` states "now" itself (when it was generated)."""
    from .writer import dumps  # noqa: PLC0415 (the writer needs the Build; the plan needs us)

    @functools.cache
    def made() -> dict[str, bytes]:
        board = portal_board(build)
        schema = board_schema(build.settings.codes, build.site_url)
        return {
            urls.BOARD_SCHEMA: dumps(schema).encode("utf-8"),
            urls.BOARD_JSON: dumps(board_data(board, build)).encode("utf-8"),
            **{t.path: csv_bytes(t, board, build) for t in TABLES},
        }

    keyed = files if files is not None else KeyedFiles(output, None)
    for path in (urls.BOARD_SCHEMA, urls.BOARD_JSON, *(t.path for t in TABLES)):
        keyed.write(
            urls.save_as(path),
            functools.partial(lambda p: key_of(made()[p]), path),
            functools.partial(lambda p: made()[p], path),
            (bodies.NOW,) if path == urls.BOARD_JSON else (),
        )

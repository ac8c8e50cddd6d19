"""The labelled query set (tests/search/queries.yaml) run in Chromium through the search page, as
scripts/search_eval.py runs it: precision at 1 at least 0.95, no false hits for words no page
holds, every page a query must find found."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from .conftest import PHONE

pytestmark = pytest.mark.browser

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "search_eval.py"


def _search_eval():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("search_eval", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses reads a module's annotations through it
    spec.loader.exec_module(module)
    return module


def test_the_query_set_finds_the_right_page_first_and_nothing_false(
    browser: Browser, bundled_url: str, search_site_url: str
) -> None:
    search_eval = _search_eval()
    queries = search_eval.load_queries()
    assert len(queries) >= 60
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    outcomes = search_eval.run(page, {"bundled": bundled_url, "search": search_site_url}, queries)
    context.close()
    figures = search_eval.figures(outcomes)
    report = search_eval.report(outcomes)
    print(report)
    assert figures.queries == len(queries)
    assert figures.precision_at_1 >= 0.95, report
    assert figures.false_hits == 0, report
    assert figures.missing == 0, report

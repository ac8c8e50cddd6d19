"""The search index a build writes: item pages only, Chinese, a fixed order, failures fatal.

What residents find is tested in a browser (tests/browser/test_search.py).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import COMPLETE, COMPLETE_NOW, build_complete, complete_build, run_cli, tree
from hypothesis import given
from hypothesis import strategies as st

from gongshi.content.models import ITEM_TYPES
from gongshi.outputs.search import bundle as search_bundle
from gongshi.outputs.search import indexing as search


def test_the_index_covers_exactly_the_published_items(complete_site: Path) -> None:
    entry = json.loads((complete_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["zh-cn"]  # from <html lang="zh-CN">
    published = 7 + 8 + 5 + 2  # meetings, outcomes, projects, cases (`gongshi check`); no draft
    assert entry["languages"]["zh-cn"]["page_count"] == published
    build = complete_build()
    item_pages = sorted(f"{item.url.lstrip('/')}index.html" for item in build.index.all_items())
    assert search.searchable(build) == item_pages  # the plan says which pages; nothing globs
    assert len(item_pages) == published
    meta = search_bundle.read(
        complete_site / "pagefind" / f"pagefind.{entry['languages']['zh-cn']['hash']}.pf_meta"
    )
    assert [name for name, _ in meta[search_bundle.META_FILTERS]] == [
        "内容类型",
        "所属区域",
        "状态",
    ]


def test_filter_values_are_written_in_one_order(complete_site: Path) -> None:
    for path in sorted((complete_site / "pagefind" / "filter").iterdir()):
        name, values = search_bundle.read(path)
        assert [value for value, _ in values] == sorted(value for value, _ in values), name
        data, digest = search_bundle.pack([name, values])
        assert path.name == f"zh-cn_{digest[:7]}.pf_filter" and path.read_bytes() == data


def test_pagefind_reads_chinese_one_character_per_word_and_the_pages_are_untouched() -> None:
    html = '<h1 title="盲文标识">盲文标识 5+N 议事</h1><data value="民心项目" data-pagefind-filter="内容类型[value]"></data>'
    assert search.for_indexing(html) == (
        '<h1 title="盲文标识">盲\u200b文\u200b标\u200b识 5+N 议\u200b事</h1>'
        '<data value="民心项目" data-pagefind-filter="内容类型[value]"></data>'
    )


def _restored(html: str) -> str:
    """What the search page does with a fragment's text (``search.js``, ``pageText``), done to
    the indexed copy's HTML: each body put back where its mark is."""
    parts = html.split(search.BODY_MARK)
    if len(parts) % 2 == 0:
        return html
    k = (len(parts) - 1) // 2
    return parts[0] + "".join(parts[k + i] + parts[i] for i in range(1, k + 1))


_BLOCKS = st.sampled_from(
    [
        "<h2>相关案例</h2>",
        "<p>发布于 2025年3月7日 · 标签：电梯</p>",
        '<div class="search-data" hidden><p>m1 2025-03-07</p></div>',
        '<section aria-labelledby="x"><h2 id="x">议题</h2></section>',
        '<section class="body" aria-label="正文"><p>正文一</p></section>',
        '<section class="body record" aria-label="会议记录"><h2>会议记录</h2><p>记录</p></section>',
        "<p>说明</p>",
        '<section class="body" aria-label="正文"><p>粘贴\u2063进来</p></section>',
    ]
)


@given(st.lists(_BLOCKS, max_size=8))
def test_the_indexed_copy_has_the_bodies_last_and_the_search_page_puts_them_back(
    blocks: list[str],
) -> None:
    inside = "\n".join(blocks)
    html = f'<main><article class="item" data-pagefind-body><h1>题</h1>{inside}</article></main>'
    copy = search.bodies_last(html)
    bodies = [b.replace(search.BODY_MARK, "") for b in blocks if 'class="body' in b]
    start = len('<main><article class="item" data-pagefind-body>')
    assert copy[:start] == html[:start] and copy.endswith("</article></main>")
    article = copy[start : -len("</article></main>")]  # what Pagefind's text is made of
    assert _restored(article) == f"<h1>题</h1>{inside}".replace(search.BODY_MARK, "")
    if bodies:  # every body after everything else, in order
        assert article.endswith("".join(search.BODY_MARK + b for b in bodies))
        assert article.count(search.BODY_MARK) == 2 * len(bodies)
    else:  # no body: as it is
        assert copy == html
    assert search.bodies_last(inside) == inside  # no indexed article: as it is


def test_a_failed_indexing_fails_the_build_and_keeps_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    build_complete(output)
    before = tree(output)
    failing = [sys.executable, "-c", "import sys; sys.exit('Error: Pagefind could not index')"]
    monkeypatch.setattr(search, "command", lambda site, bundle: failing)
    code, _, err = run_cli(
        "--settings", str(COMPLETE / "pelicanconf.py"), "build", "--content",
        str(COMPLETE / "content"), "--output", str(output), "--now", COMPLETE_NOW,
    )  # fmt: skip
    assert code == 3, err
    assert "Pagefind 建立搜索索引失败" in err and "Error: Pagefind could not index" in err
    assert tree(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]  # no staging left


def test_a_portal_with_nothing_published_builds_and_says_so(tmp_path: Path, read_page) -> None:
    content = tmp_path / "content"
    for cls in ITEM_TYPES:
        (content / cls.folder).mkdir(parents=True)
    shutil.copy(COMPLETE / "content" / "places.yaml", content / "places.yaml")
    assert build_complete(tmp_path / "out", content=content) == 0
    page = read_page(tmp_path / "out", "/search/")
    assert "本站还没有发布内容" in page and "/pagefind/" not in page
    assert not (tmp_path / "out" / "pagefind").exists()

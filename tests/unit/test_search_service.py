"""outputs/search/service: a warm Pagefind service indexes a folder as the command line does (the
merged bundles are the same bytes), and is given up for the command line whenever it cannot —
gone, stopped, or nothing to index —, never leaving a process behind."""

from __future__ import annotations

import hashlib
import os
import signal
from pathlib import Path

import pytest

from gongshi.errors import BuildError
from gongshi.outputs.search import indexing
from gongshi.outputs.search.merge import merge

TEXTS = ["楼道扶手补装修缮 协商", "电动自行车充电 停车 café", "加装电梯 协商结果42"]


def site(root: Path) -> Path:
    for number, text in enumerate(TEXTS):
        path = root / "items" / f"p{number}" / "index.html"
        path.parent.mkdir(parents=True)
        html = (
            '<!doctype html><html lang="zh-CN"><head><title>页面</title></head><body>'
            f'<main data-pagefind-body><h1 data-pagefind-meta="title">事项 {number}</h1>'
            f'<p data-pagefind-filter="类型">{("会议", "结果", "项目")[number]}</p>'
            f"<p>{text}</p></main></body></html>"
        )
        path.write_text(indexing.for_indexing(html), encoding="utf-8")
    return root


def files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def merged(bundle: Path, out: Path) -> dict[str, str]:
    merge([bundle], out, finished=True)
    return files(out)


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def service_pid(runs: indexing.Runs) -> int:
    pid = runs._service.pid if runs._service is not None else None
    assert pid is not None
    return pid


def test_a_warm_service_indexes_what_the_command_line_does(tmp_path: Path) -> None:
    pages = site(tmp_path / "site")
    runs = indexing.Runs()
    runs.warm()
    pid = service_pid(runs)
    try:
        indexing.index(pages, tmp_path / "served", runs)
        indexing.index(pages, tmp_path / "again", runs)  # the same service, a second time
        assert runs.served == 2
    finally:
        runs.close()
    assert not running(pid)
    indexing.index(pages, tmp_path / "command")  # no runs: the command line
    expected = merged(tmp_path / "command", tmp_path / "m-command")
    assert merged(tmp_path / "served", tmp_path / "m-served") == expected
    assert merged(tmp_path / "again", tmp_path / "m-again") == expected


def test_a_service_gone_is_given_up_for_the_command_line(tmp_path: Path) -> None:
    pages = site(tmp_path / "site")
    runs = indexing.Runs()
    runs.warm()
    pid = service_pid(runs)
    os.kill(pid, signal.SIGKILL)
    try:
        indexing.index(pages, tmp_path / "bundle", runs)
        assert runs.served == 0
    finally:
        runs.close()
    indexing.index(pages, tmp_path / "command")
    assert merged(tmp_path / "bundle", tmp_path / "a") == merged(
        tmp_path / "command", tmp_path / "b"
    )


def test_nothing_to_index_is_the_command_lines_error(tmp_path: Path) -> None:
    """The service would write an empty bundle; the command line refuses, and says so."""
    (tmp_path / "empty").mkdir()
    runs = indexing.Runs()
    runs.warm()
    try:
        with pytest.raises(BuildError, match="Pagefind 建立搜索索引失败"):
            indexing.index(tmp_path / "empty", tmp_path / "bundle", runs)
        assert runs.served == 0
    finally:
        runs.close()


def test_a_stopped_indexer_ends_its_service_and_indexes_no_more(tmp_path: Path) -> None:
    pages = site(tmp_path / "site")
    runs = indexing.Runs()
    runs.warm()
    pid = service_pid(runs)
    runs.stop()
    assert not running(pid)
    runs.warm()  # a stopped indexer starts nothing
    assert runs._service is None
    with pytest.raises(BuildError, match="搜索索引已停止"):
        indexing.index(pages, tmp_path / "bundle", runs)
    assert not (tmp_path / "bundle").exists()


def test_a_busy_service_leaves_the_run_to_the_command_line(tmp_path: Path) -> None:
    pages = site(tmp_path / "site")
    runs = indexing.Runs()
    runs.warm()
    service = runs._service
    assert service is not None
    try:
        with service._lock:  # another thread's indexing under way
            indexing.index(pages, tmp_path / "bundle", runs)
        assert runs.served == 0 and service.alive
        indexing.index(pages, tmp_path / "served", runs)
        assert runs.served == 1
    finally:
        runs.close()
    assert merged(tmp_path / "bundle", tmp_path / "a") == merged(
        tmp_path / "served", tmp_path / "b"
    )

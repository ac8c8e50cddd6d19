"""The build's manifest of file hashes, and ``gongshi deploy --dry-run``'s plan from two of them."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import tracemalloc
from pathlib import Path

import pytest
from conftest import COMPLETE, build_complete, run_cli, tree
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.publish import manifest, serving
from gongshi.publish.deploy import plan
from gongshi.publish.guards import MARKER
from gongshi.publish.manifest import MANIFEST, Entry, read


def entry(text: str, path: str = "index.html") -> Entry:
    data = text.encode()
    return Entry(
        hashlib.sha256(data).hexdigest(),
        len(data),
        serving.content_type(path),
        serving.cache_control(path),
    )


# -- the manifest ----------------------------------------------------------------------------------


def test_the_manifest_lists_every_file_with_its_hash(complete_site: Path) -> None:
    files = read(complete_site / MANIFEST)
    written = {n: d for n, d in tree(complete_site).items() if n not in (MARKER, MANIFEST)}
    assert sorted(files) == sorted(written)
    assert any(name.startswith("pagefind/") for name in files)  # the search bundle too
    for name, data in written.items():
        assert files[name].sha256 == hashlib.sha256(data).hexdigest(), name
        assert files[name].size == len(data)
        assert files[name].type == serving.content_type(name)
        assert files[name].cache == serving.cache_control(name)
    assert files["calendar/meetings.ics"].type == "text/calendar; charset=utf-8"


def test_identical_builds_write_byte_identical_manifests(
    complete_site: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    build_complete(again)
    first = (complete_site / MANIFEST).read_bytes()
    assert (again / MANIFEST).read_bytes() == first
    data = json.loads(first)
    assert data["format"] == "gongshi-manifest/1"
    assert list(data["files"]) == sorted(data["files"])  # paths sorted, no times in it


def test_files_linked_from_the_previous_output_are_not_hashed_again(
    complete_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incremental build that hard-links unchanged files pays for hashing only the rest."""
    staging = tmp_path / "staging"
    shutil.copytree(complete_site, staging, copy_function=os.link)
    (staging / "index.html").unlink()  # rewritten: a new file, not the previous one's inode
    (staging / "index.html").write_bytes((complete_site / "index.html").read_bytes() + b"\n")
    shutil.copyfile(complete_site / "robots.txt", staging / "robots.txt.new")
    (staging / "robots.txt").unlink()
    (staging / "robots.txt.new").rename(staging / "robots.txt")  # a copy: same bytes, new inode
    hashed: list[str] = []
    real = manifest._sha256

    def counting(path: Path) -> str:
        hashed.append(path.relative_to(staging).as_posix())
        return real(path)

    monkeypatch.setattr(manifest, "_sha256", counting)
    reused = manifest.scan(staging, complete_site)
    assert sorted(hashed) == ["index.html", "robots.txt"]
    monkeypatch.setattr(manifest, "_sha256", real)
    assert reused == manifest.scan(staging)  # the same manifest as hashing everything
    assert reused["index.html"] != read(complete_site / MANIFEST)["index.html"]
    assert manifest.scan(staging, tmp_path / "nowhere") == reused  # no previous: hash all


def test_a_cached_rebuild_hashes_only_files_that_are_not_the_very_files_hashed_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache keeps each listed file's inode, size and modification time with its entry:
    a rebuild reads only the files that differ (written anew, or changed in place since), and
    its manifest is the one hashing every file gives."""
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    output = tmp_path / "out" / "output"

    def cached() -> None:
        code, _, err = run_cli(
            "--settings", str(COMPLETE / "pelicanconf.py"), "build", "--content", str(content),
            "--output", str(output), "--now", "2025-06-15 10:00", "--cache",
        )  # fmt: skip
        assert code == 0, err

    cached()
    hashed: list[str] = []
    real = manifest._sha256

    def counting(path: Path) -> str:
        hashed.append(path.as_posix().split("/", len(output.parts))[-1])
        return real(path)

    compared: list[str] = []
    same_file = manifest._same_file

    def comparing(info: manifest.Stat, other: str) -> bool:
        compared.append(other)
        return same_file(info, other)

    monkeypatch.setattr(manifest, "_sha256", counting)
    monkeypatch.setattr(manifest, "_same_file", comparing)
    edited = content / "meetings" / "2025-05-20-tongjianhu-noise.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n会后补记一句。\n", "utf-8")
    about = output / "about" / "index.html"
    with about.open("a", encoding="utf-8") as handle:  # in place: the same inode, changed
        handle.write("<!-- 手改 -->")
    cached()
    listed = read(output / MANIFEST)
    ours = [path for path in listed if not path.startswith(("pagefind/", "theme/"))]
    made = [path for path in hashed if not path.startswith(("pagefind/", "theme/"))]
    assert "about/index.html" in made  # changed in place
    assert "meetings/2025-05-20-tongjianhu-noise/index.html" in made  # shows the edit
    assert len(made) < len(ours) / 4  # Pelican's and Pagefind's folders are written anew
    # what the cache kept is not looked up in the output replaced either
    looked_up = [
        p for p in compared if not p.split("/output/", 1)[1].startswith(("pagefind/", "theme/"))
    ]
    assert len(looked_up) < len(ours) / 4
    monkeypatch.setattr(manifest, "_sha256", real)
    assert listed == manifest.scan(output)  # hashing every file gives the same
    assert listed["about/index.html"].sha256 == real(about)


# -- the plan --------------------------------------------------------------------------------------


def test_the_plan_uploads_what_is_new_or_changed_and_deletes_what_vanished() -> None:
    previous = {
        "index.html": entry("home"),
        "meetings/a/index.html": entry("a"),
        "meetings/b/index.html": entry("b"),
        "data/meetings.csv": entry("x", "data/meetings.csv"),
    }
    new = {
        "index.html": entry("home, changed"),  # other bytes
        "meetings/a/index.html": entry("a"),  # the same
        "meetings/c/index.html": entry("c"),  # new
        "data/meetings.csv": Entry(  # the same bytes, served with other headers
            previous["data/meetings.csv"].sha256, 1, "text/csv; charset=utf-8", "no-cache"
        ),
    }
    the_plan = plan(new, previous)
    assert the_plan.added == ("meetings/c/index.html",)
    assert the_plan.changed == ("data/meetings.csv", "index.html")
    assert the_plan.deleted == ("meetings/b/index.html",)
    assert the_plan.unchanged == ("meetings/a/index.html",)


def test_without_a_previous_manifest_everything_is_uploaded() -> None:
    new = {"index.html": entry("home"), "robots.txt": entry("r", "robots.txt")}
    the_plan = plan(new, None)
    assert the_plan.added == ("index.html", "robots.txt") and the_plan.deleted == ()


def test_what_pages_link_to_is_uploaded_before_the_pages() -> None:
    paths = [
        "index.html",
        "data/meetings.json",
        "theme/css/site.css",
        "pagefind/fragment/zh_1.pf_fragment",
    ]
    the_plan = plan({p: entry(p, p) for p in paths}, {})
    order = [path for _, group in the_plan.groups() for path in group]
    assert order == [
        "pagefind/fragment/zh_1.pf_fragment",
        "theme/css/site.css",
        "data/meetings.json",
        "index.html",
    ]


# -- the command, on two real builds ---------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def two_builds(complete_site: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The complete site's manifest as deployed, and a build after an edit and a deletion."""
    previous = tmp_path / "previous.json"
    shutil.copyfile(complete_site / MANIFEST, previous)
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    _edit(content / "cases/yuquan-elevator-story.md", "\n---\n", "\n---\n新增的一段。\n\n")
    (content / "cases/tongjianhu-night-construction.md").unlink()
    output = tmp_path / "output"
    assert build_complete(output, content=content) == 0
    return previous, output


def test_deploy_dry_run_prints_the_plan(two_builds: tuple[Path, Path]) -> None:
    previous, output = two_builds
    the_plan = plan(read(output / MANIFEST), read(previous))
    assert "cases/tongjianhu-night-construction/index.html" in the_plan.deleted
    assert "cases/yuquan-elevator-story/index.html" in the_plan.changed
    assert "theme/css/site.css" in the_plan.unchanged
    assert the_plan.added and all(p.startswith("pagefind/") for p in the_plan.added)  # new chunks
    code, out, err = run_cli(
        "deploy", "--dry-run", "--output", str(output), "--previous", str(previous),
        "--remote", "oss:portal",
    )  # fmt: skip
    assert (code, err) == (0, "")
    added, changed = len(the_plan.added), len(the_plan.changed)
    assert out.startswith(
        f"部署计划（对比 {previous}）：上传 {added + changed} 个文件（新增 {added}、改动 {changed}），"
        f"删除 {len(the_plan.deleted)} 个，不变 {len(the_plan.unchanged)} 个。\n"
    )
    assert "  ~ cases/yuquan-elevator-story/index.html\n" in out
    assert "  - cases/tongjianhu-night-construction/index.html\n" in out
    assert "--header-upload 'Content-Type: text/html; charset=utf-8'" in out
    assert f"rclone copyto {output}/{MANIFEST} oss:portal/{MANIFEST}" in out
    assert out.index("rclone copyto") < out.index("rclone delete oss:portal")  # deletions last
    assert not (Path.cwd() / "deploy-lists").exists()  # a dry run writes nothing


def test_a_deploy_with_nothing_changed_has_nothing_to_do(complete_site: Path) -> None:
    manifest = str(complete_site / MANIFEST)
    code, out, _ = run_cli(
        "deploy", "--dry-run", "--output", str(complete_site), "--previous", manifest
    )
    unchanged = len(read(complete_site / MANIFEST))
    assert (code, out) == (
        0,
        f"部署计划（对比 {manifest}）：上传 0 个文件（新增 0、改动 0），删除 0 个，"
        f"不变 {unchanged} 个。\n没有变化，无需部署。\n",
    )


def test_deploy_lists_are_rclone_file_lists(two_builds: tuple[Path, Path], tmp_path: Path) -> None:
    previous, output = two_builds
    lists = tmp_path / "lists"
    code, out, _ = run_cli(
        "deploy", "--output", str(output), "--previous", str(previous), "--lists", str(lists)
    )
    assert code == 0
    the_plan = plan(read(output / MANIFEST), read(previous))
    groups = list(the_plan.groups())
    for number, (_, paths) in enumerate(groups, 1):
        listed = (lists / f"upload-{number}.txt").read_text(encoding="utf-8").splitlines()
        assert listed == list(paths)
        assert f"--files-from-raw {lists}/upload-{number}.txt" in out
    assert sorted(p.name for p in lists.iterdir()) == sorted(
        [*(f"upload-{n}.txt" for n in range(1, len(groups) + 1)), "delete.txt"]
    )
    deleted = (lists / "delete.txt").read_text(encoding="utf-8").splitlines()
    assert deleted == list(the_plan.deleted)


def test_deploy_says_what_is_wrong_in_one_line(tmp_path: Path, complete_site: Path) -> None:
    code, _, err = run_cli("deploy", "--output", str(complete_site))
    assert code == 2 and err.count("\n") == 1
    assert "请加 --dry-run 查看计划" in err
    code, _, err = run_cli("deploy", "--dry-run", "--output", str(tmp_path))
    assert code == 2 and err == (
        f"错误：找不到清单文件 {tmp_path}/{MANIFEST}"
        f"（输出目录由 gongshi build 生成时才有 {MANIFEST}）\n"
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"files": {}}', encoding="utf-8")
    code, _, err = run_cli(
        "deploy", "--dry-run", "--output", str(complete_site), "--previous", str(bad)
    )
    assert code == 2 and "不是 Gongshi 的文件清单" in err and "Traceback" not in err


# -- the plan carried out by rclone, into a local "bucket" -------------------------------------------


def _rclone() -> str:
    found = shutil.which("rclone")
    if found is None:
        reason = "rclone is not installed (Debian's rclone; scripts/test.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason + ": in CI this test must run")
        pytest.skip(reason)
    return found


def _carry_out(printed: str, tmp_path: Path) -> None:
    """Run the rclone lines a plan printed, in order, as an operator would."""
    env = {**os.environ, "RCLONE_CONFIG": str(tmp_path / "rclone.conf")}
    commands = [line.strip() for line in printed.splitlines() if line.startswith("  rclone ")]
    assert commands
    for command in commands:
        result = subprocess.run(
            shlex.split(command), capture_output=True, text=True, env=env, check=False
        )
        assert result.returncode == 0, (command, result.stderr)


def _files(root: Path) -> dict[str, bytes]:
    return {n: d for n, d in tree(root).items() if n != MARKER}


@pytest.mark.rclone
def test_the_printed_rclone_lines_make_the_bucket_the_new_output(
    complete_site: Path, two_builds: tuple[Path, Path], tmp_path: Path
) -> None:
    _rclone()
    bucket = tmp_path / "bucket"
    _, output = two_builds
    # the first deploy: no previous manifest, everything goes up
    code, out, _ = run_cli(
        "deploy", "--output", str(complete_site), "--lists", str(tmp_path / "l1"),
        "--remote", str(bucket),
    )  # fmt: skip
    assert code == 0
    _carry_out(out, tmp_path)
    assert _files(bucket) == _files(complete_site)  # the manifest included, the marker not
    # the next: compared with the manifest the bucket holds; only changes travel
    previous = tmp_path / "previous.json"
    shutil.copyfile(bucket / MANIFEST, previous)
    code, out, _ = run_cli(
        "deploy", "--output", str(output), "--lists", str(tmp_path / "l2"),
        "--remote", str(bucket), "--previous", str(previous),
    )  # fmt: skip
    assert code == 0
    before = {p: p.stat().st_mtime_ns for p in bucket.rglob("*") if p.is_file()}
    _carry_out(out, tmp_path)
    assert _files(bucket) == _files(output)
    the_plan = plan(read(output / MANIFEST), read(previous))
    untouched = [
        p for p in the_plan.unchanged if (bucket / p).stat().st_mtime_ns == before[bucket / p]
    ]
    assert untouched == list(the_plan.unchanged)  # what did not change was not uploaded again


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=30),
        st.tuples(
            st.text(max_size=70), st.integers(0, 2**40), st.text(max_size=40), st.text(max_size=40)
        ),
        max_size=8,
    )
)
def test_the_manifest_text_is_what_the_json_module_writes(
    listed: dict[str, tuple[str, int, str, str]],
) -> None:
    """The manifest is written line by line (the json module encodes in Python once indented):
    the same text as ``json.dumps`` with the same options, for any names and values."""
    files = {name: manifest.Entry(*values) for name, values in listed.items()}
    data = {
        "format": manifest.FORMAT,
        "files": {
            name: {"sha256": e.sha256, "size": e.size, "type": e.type, "cache": e.cache}
            for name, e in files.items()
        },
    }
    expected = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    assert manifest.dumps(files) == expected


@pytest.mark.parametrize("count", [0, 1, 3000])
def test_the_manifest_file_is_written_in_pieces_as_the_json_module_would(
    tmp_path: Path, count: int
) -> None:
    """The manifest file holds what :func:`manifest.dumps` gives (``json.dumps``'s text), for
    an output of no file, one, or many — written piece by piece, never joined into one string
    and encoded whole (40 MB at 50,000 items, twice over: the build's peak memory)."""
    output = tmp_path / "output"
    for n in range(count):
        page = output / f"p{n}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<p>第{n}页</p>", encoding="utf-8")
    output.mkdir(exist_ok=True)
    _, hashed = manifest.write(output)
    expected = manifest.dumps(manifest.scan(output))
    assert (output / MANIFEST).read_text(encoding="utf-8") == expected
    found = manifest.listing(output, [])
    tracemalloc.start()
    try:
        manifest.write(output, None, found, hashed)  # every entry as kept: nothing hashed
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (output / MANIFEST).read_text(encoding="utf-8") == expected
    if count > 1:
        assert peak < len(expected.encode())  # the listing and its entries, never the text

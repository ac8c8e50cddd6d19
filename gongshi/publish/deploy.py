"""``gongshi deploy --dry-run``: what a deploy to an object store would upload and delete.

A district or city portal is served from an S3-compatible object store (the major Chinese clouds'
object storage speaks S3) with a CDN in front. Uploading 30,000 files at every daily rebuild would
be slow and costly, and most of them did not change: each build writes a manifest
(:mod:`gongshi.publish.manifest`), and the plan compares it with the previous one — the one the
last deploy left in the bucket (fetched first, e.g. ``rclone copyto remote:site/.gongshi-manifest.json
previous.json``) or any local copy. No previous manifest: everything is uploaded.

The transfer itself is left to existing software, rclone: Gongshi holds no cloud credentials and
speaks no cloud API. ``--lists DIR`` writes the plan as rclone file lists, one per set of headers
(an object store serves the Content-Type and Cache-Control stored with each object, and rclone's
``--header-upload`` applies to a whole run), and the plan prints the rclone lines that carry it
out, in a safe order: files new pages need first (Pagefind chunks, theme, attachments), then data,
feeds and calendars, then the pages, then the manifest, and deletions last, so a reader never
follows a link to a file not yet uploaded.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import GongshiError
from .manifest import MANIFEST, Entry, read
from .serving import ASSET, IMMUTABLE

# upload order: what pages link to, before the pages
_ORDER = {IMMUTABLE: 0, ASSET: 1}
_PAGE = "text/html"


class DeployError(GongshiError):
    exit_code = 2


@dataclass(frozen=True)
class Plan:
    """What changed between two manifests, each list sorted by path."""

    added: tuple[str, ...]
    changed: tuple[str, ...]  # other bytes, or other headers
    deleted: tuple[str, ...]
    unchanged: tuple[str, ...]
    files: dict[str, Entry]  # the new manifest

    @property
    def uploads(self) -> tuple[str, ...]:
        return tuple(sorted((*self.added, *self.changed)))

    def groups(self) -> Iterator[tuple[tuple[str, str], tuple[str, ...]]]:
        """The uploads by (Content-Type, Cache-Control), in upload order."""
        by_headers: dict[tuple[str, str], list[str]] = {}
        for path in self.uploads:
            entry = self.files[path]
            by_headers.setdefault((entry.type, entry.cache), []).append(path)

        def rank(headers: tuple[str, str]) -> tuple[int, str, str]:
            kind, cache = headers
            return (_ORDER.get(cache, 3 if kind.startswith(_PAGE) else 2), kind, cache)

        for headers in sorted(by_headers, key=rank):
            yield headers, tuple(by_headers[headers])


def plan(new: dict[str, Entry], previous: dict[str, Entry] | None) -> Plan:
    """Upload what is new or changed, delete what vanished; ``previous`` None: upload all."""
    old = previous or {}
    added = tuple(sorted(p for p in new if p not in old))
    changed = tuple(sorted(p for p in new if p in old and old[p] != new[p]))
    unchanged = tuple(sorted(p for p in new if p in old and old[p] == new[p]))
    deleted = tuple(sorted(p for p in old if p not in new))
    return Plan(added, changed, deleted, unchanged, new)


def _list_name(number: int) -> str:
    return f"upload-{number}.txt"


def write_lists(the_plan: Plan, folder: Path) -> None:
    """The plan as rclone ``--files-from-raw`` lists: one upload list per set of headers, and
    ``delete.txt``. Every list is written, an empty one too, so old lists never linger."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("upload-*.txt"):
        stale.unlink()
    for number, (_, paths) in enumerate(the_plan.groups(), 1):
        (folder / _list_name(number)).write_text("".join(p + "\n" for p in paths), "utf-8")
    (folder / "delete.txt").write_text("".join(p + "\n" for p in the_plan.deleted), "utf-8")


def describe(the_plan: Plan, output: Path, previous: Path | None, remote: str, lists: Path) -> str:
    """The plan, for a person: counts, each file, and the rclone lines that carry it out."""
    since = f"对比 {previous}" if previous else "没有上一次的清单：全部上传"
    lines = [
        f"部署计划（{since}）：上传 {len(the_plan.uploads)} 个文件"
        f"（新增 {len(the_plan.added)}、改动 {len(the_plan.changed)}），"
        f"删除 {len(the_plan.deleted)} 个，不变 {len(the_plan.unchanged)} 个。"
    ]
    added = set(the_plan.added)
    q = shlex.quote
    commands = []
    for number, ((kind, cache), paths) in enumerate(the_plan.groups(), 1):
        lines.append(f"上传（Content-Type: {kind}；Cache-Control: {cache}）：")
        lines += [f"  {'+' if p in added else '~'} {p}" for p in paths]
        commands.append(
            f"rclone copy {q(str(output))} {q(remote)} --files-from-raw "
            f"{q(str(lists / _list_name(number)))} --ignore-times "
            f"--header-upload {q('Content-Type: ' + kind)} "
            f"--header-upload {q('Cache-Control: ' + cache)}"
        )
    commands.append(
        f"rclone copyto {q(str(output / MANIFEST))} {q(remote.rstrip('/') + '/' + MANIFEST)} "
        f"--ignore-times --header-upload {q('Cache-Control: no-cache')}"
    )
    if the_plan.deleted:
        lines.append("删除：")
        lines += [f"  - {p}" for p in the_plan.deleted]
        commands.append(
            f"rclone delete {q(remote)} --files-from-raw {q(str(lists / 'delete.txt'))}"
        )
    if not the_plan.uploads and not the_plan.deleted:
        return lines[0] + "\n没有变化，无需部署。"
    lines.append(f"最后上传清单 {MANIFEST}，下一次部署据此比较。")
    lines.append(f"用 rclone 执行（先用 --lists {lists} 写出清单；依次运行）：")
    lines += [f"  {c}" for c in commands]
    return "\n".join(lines)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``deploy`` subcommand of ``gongshi``."""
    cmd = commands.add_parser("deploy", help="对比文件清单，列出部署到对象存储时要上传和删除的文件")
    cmd.add_argument(
        "--output", type=Path, default=Path("output"), help="生成的网站（默认 output/）"
    )
    cmd.add_argument(
        "--previous", type=Path, help=f"上一次部署的清单（{MANIFEST}）；不给则全部上传"
    )
    cmd.add_argument("--dry-run", action="store_true", help="只列出计划（Gongshi 自己从不上传）")
    cmd.add_argument("--lists", type=Path, help="把计划写成 rclone 的文件清单，放在此目录")
    cmd.add_argument("--remote", default="remote:site", help="rclone 的目标，如 oss:my-bucket")


def run(args: argparse.Namespace) -> int:
    if not args.dry_run and args.lists is None:
        raise DeployError(
            "gongshi deploy 只列出计划，不直接上传：请加 --dry-run 查看计划，"
            "或加 --lists 目录 写出 rclone 清单（见 docs/deploy.md）"
        )
    output: Path = args.output
    new = read(output / MANIFEST)
    previous = read(args.previous) if args.previous else None
    the_plan = plan(new, previous)
    lists: Path = args.lists or Path("deploy-lists")
    if args.lists is not None:
        write_lists(the_plan, lists)
    print(describe(the_plan, output, args.previous, args.remote, lists))
    return 0

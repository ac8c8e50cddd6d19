"""Running a build: Pelican into a temporary folder, then swapping it in for the output.

A failed build (bad content, a theme error, any warning from Pelican) removes its temporary
folder and leaves the previous output exactly as it was.
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.settings import get_settings_from_file, read_settings

from .errors import BuildError, ConfigError, GongshiError
from .settings import DEFAULTS


@dataclass(frozen=True)
class BuildResult:
    pages: int  # HTML files written
    files: int  # every file written
    seconds: float


class _Collector(logging.Handler):
    """Keeps Pelican's warnings and errors: in a Gongshi build every one of them is fatal."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def load_settings(settings_file: Path, overrides: dict[str, Any]) -> dict[str, Any]:
    if not settings_file.is_file():
        raise ConfigError(
            f"找不到设置文件 {settings_file}（请在项目根目录运行，或用 --settings 指定）"
        )
    try:
        raw = get_settings_from_file(str(settings_file))
        # Pelican wants its own TIMEZONE; Gongshi's is the one that counts, so both agree.
        zone = raw.get("TIMEZONE") or raw.get("GONGSHI_TIMEZONE") or DEFAULTS["GONGSHI_TIMEZONE"]
        settings: dict[str, Any] = read_settings(
            str(settings_file), override={"TIMEZONE": zone, **overrides}
        )
    except (ValueError, SyntaxError, ImportError, NameError) as exc:
        raise ConfigError(f"设置文件 {settings_file} 有误：{exc}") from exc
    return settings


def _run_pelican(settings: dict[str, Any]) -> None:
    collector = _Collector()
    logger = logging.getLogger("pelican")
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Pelican's own summary counts articles
            Pelican(settings).run()
    except GongshiError:
        raise
    except Exception as exc:  # a theme or Pelican failure: report it as a build error
        raise BuildError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
    if collector.records:
        messages = "\n".join(f"  {r.levelname}: {r.getMessage()}" for r in collector.records)
        raise BuildError(f"Pelican 报告了问题，构建中止：\n{messages}")


def _swap_in(built: Path, output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise ConfigError(f"输出位置 {output} 已存在且不是目录")
    old = None
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        old.rmdir()
        output.rename(old)
    built.rename(output)
    if old is not None:
        shutil.rmtree(old)


def build(
    settings_file: Path,
    *,
    content: Path | None = None,
    output: Path | None = None,
    now: str | None = None,
    site_url: str | None = None,
) -> BuildResult:
    started = time.perf_counter()
    overrides: dict[str, Any] = {}
    if content is not None:
        overrides["PATH"] = str(content.resolve())
    if now is not None:
        overrides["GONGSHI_NOW"] = now
    if site_url is not None:
        overrides["SITEURL"] = site_url
    settings = load_settings(settings_file, overrides)
    final = (output or Path(settings["OUTPUT_PATH"])).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    try:
        settings["OUTPUT_PATH"] = str(staging)
        _run_pelican(settings)
        files = [p for p in staging.rglob("*") if p.is_file()]
        pages = sum(1 for p in files if p.suffix == ".html")
        _swap_in(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(pages, len(files), time.perf_counter() - started)

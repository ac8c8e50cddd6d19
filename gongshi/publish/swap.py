"""Putting a finished build in place of the output folder in one step.

``renameat2(…, RENAME_EXCHANGE)`` swaps two directory entries atomically: a web server serving
``output/`` sees the old site until the call and the new one after it, never no site or half a
site, and ``output`` stays a real directory (no symbolic link for the server to follow). Python
has no binding for it, so it is called from libc through ctypes. Where the kernel or file system
refuses it, two renames are the fallback (with a warning): ``output`` is then missing for the
instant between them.

SIGINT and SIGTERM are blocked while the entries move, so a stop request cannot cut the swap in
half; it is delivered right after.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 1 << 1
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}
NOT_ATOMIC = (
    "输出目录所在的文件系统不支持原子交换，新旧网站改用两次重命名替换（其间有一瞬没有网站）"
)


def exchange(a: Path, b: Path) -> bool:
    """Swap the entries ``a`` and ``b`` atomically; False if the system cannot (OSError else)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


@contextlib.contextmanager
def signals_blocked() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back (in the main thread, where Python handles them) meanwhile."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def swap_in(built: Path, output: Path, aside: Path) -> tuple[Path | None, bool]:
    """Put ``built`` at ``output``; return where the old tree now is, and whether it was atomic.

    The first build renames; later ones exchange, leaving the old tree at ``built``'s name, or,
    on the fallback, move the old tree to ``aside`` first. Call it inside
    :func:`signals_blocked`.
    """
    if not output.exists():
        built.rename(output)
        return None, True
    if exchange(built, output):
        return built, True
    output.rename(aside)
    try:
        built.rename(output)
    except OSError:
        aside.rename(output)  # put the old site back before reporting
        raise
    return aside, False

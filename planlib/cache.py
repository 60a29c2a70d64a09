"""The one disk cache: files kept under a hash of what made them, reused when asked again.

Every cache is a folder of :func:`location` (under :func:`planlib.config.cache_dir`: the
checkout's ``build/``, ``$PLANLIB_HOME/cache`` or the user's cache directory; never inside the
installed package). An entry is one file named by :func:`key` of everything that went into it,
written whole (:func:`planlib.files.atomic_path`), so two processes making the same entry at once
both succeed and a reader never sees half of one. A cache that cannot be written (read-only
disk, full disk) is no error: :func:`get_or_make` then just makes the content each time.

Users: drawn charts (:func:`planlib.charts.render_reusing`, folder ``render-cache``) and the Vega
script bundle of the HTML report (same folder).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from . import config
from .files import atomic_write_bytes


def location(name: str, root: str | os.PathLike | None = None) -> Path:
    """The folder of the cache ``name`` (not created here).

    Examples:
        >>> location("render-cache", "/srv/cache").as_posix()
        '/srv/cache/render-cache'
    """
    return Path(root if root is not None else config.cache_dir()) / name


def key(*parts: object, length: int = 32) -> str:
    """A stable hash of ``parts`` (JSON, keys sorted; anything else by ``str``).

    Examples:
        >>> key({"b": 1, "a": [1, 2]}, "png") == key({"a": [1, 2], "b": 1}, "png")
        True
        >>> key("x") == key("y"), len(key("x"))
        (False, 32)
    """
    text = json.dumps(list(parts), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def get(folder: str | os.PathLike, name: str) -> bytes | None:
    """The entry ``name`` of ``folder``, or None when there is none (or it cannot be read)."""
    try:
        return (Path(folder) / name).read_bytes()
    except OSError:
        return None


def put(folder: str | os.PathLike, name: str, content: bytes, keep: int | None = None) -> bool:
    """Store ``content`` as the entry ``name`` (written whole), then :func:`prune` to ``keep``.

    Returns False, and leaves everything as it was, when the cache cannot be written.

    Examples:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> put(folder, "a.txt", b"one"), get(folder, "a.txt"), get(folder, "b.txt")
        (True, b'one', None)
        >>> put(Path("/proc/no-cache-here"), "a.txt", b"one")
        False
    """
    try:
        atomic_write_bytes(Path(folder) / name, content)
        if keep is not None:
            prune(folder, keep)
    except OSError:
        return False
    return True


def prune(folder: str | os.PathLike, keep: int) -> int:
    """Remove all but the ``keep`` newest entries of ``folder`` (by modification time).

    Returns how many were removed. Files being written (``.*.tmp``) are left alone.

    Examples:
        >>> import tempfile, time
        >>> folder = Path(tempfile.mkdtemp())
        >>> for i in range(4):
        ...     _ = put(folder, f"{i}.bin", b"x"); os.utime(folder / f"{i}.bin", (i, i))
        >>> prune(folder, 2), sorted(p.name for p in folder.iterdir())
        (2, ['2.bin', '3.bin'])
    """
    entries = []
    for path in Path(folder).iterdir():
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            entries.append((path.stat().st_mtime, path.name, path))
        except OSError:  # removed by another process meanwhile
            continue
    entries.sort()
    old = entries[:max(len(entries) - keep, 0)]
    for _, _, path in old:
        path.unlink(missing_ok=True)
    return len(old)


def get_or_make(folder: str | os.PathLike, name: str, make: Callable[[], bytes],
                keep: int | None = None) -> bytes:
    """The entry ``name`` of ``folder``; made with ``make()`` and stored first when missing.

    Examples:
        >>> import tempfile
        >>> folder, calls = Path(tempfile.mkdtemp()), []
        >>> make = lambda: calls.append(1) or b"made"
        >>> get_or_make(folder, "k", make), get_or_make(folder, "k", make), len(calls)
        (b'made', b'made', 1)
    """
    content = get(folder, name)
    if content is None:
        content = make()
        put(folder, name, content, keep)
    return content

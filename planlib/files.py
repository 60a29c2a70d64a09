"""Files written whole or not at all: write beside the target, then rename over it.

A reader never sees half a file: it opens either the old file or the new one. Renaming within one
folder is atomic on POSIX and Windows file systems (``os.replace``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed over ``path`` when the block ends without error.

    On an error the temporary file is removed and ``path`` is left as it was.

    Examples:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "a.txt"
        >>> with atomic_path(target) as tmp:
        ...     _ = tmp.write_text("whole")
        >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
        ('whole', ['a.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole (see :func:`atomic_path`).

    Examples:
        >>> import tempfile
        >>> p = atomic_write_bytes(Path(tempfile.mkdtemp()) / "b.bin", b"xyz")
        >>> p.read_bytes()
        b'xyz'
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path

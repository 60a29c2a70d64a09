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


def swap_folder(new: str | os.PathLike, out: str | os.PathLike) -> None:
    """Put the finished folder ``new`` in the place of ``out``; ``new`` then holds the old one.

    One ``renameat2(RENAME_EXCHANGE)`` where the system has it (Linux), so no reader ever finds
    ``out`` missing; elsewhere two renames within one folder. When ``out`` does not exist, ``new``
    is renamed to it and is gone afterwards.

    Examples:
        >>> import tempfile
        >>> base = Path(tempfile.mkdtemp())
        >>> for name, text in (("out", "old"), ("new", "new")):
        ...     (base / name).mkdir(); _ = (base / name / "f").write_text(text)
        >>> swap_folder(base / "new", base / "out")
        >>> (base / "out" / "f").read_text(), (base / "new" / "f").read_text()
        ('new', 'old')
    """
    new, out = Path(new), Path(out)
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        return
    aside = new.with_name(new.name + ".old")
    os.rename(out, aside)
    try:
        os.rename(new, out)
    except OSError:
        os.rename(aside, out)
        raise
    os.rename(aside, new)


def _exchange(a: Path, b: Path) -> bool:
    """``renameat2(a, b, RENAME_EXCHANGE)``; False where the system or file system lacks it."""
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(b))


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (it may belong to another user).

    Examples:
        >>> process_alive(os.getpid())
        True
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, but not ours to signal
        return True
    return True

"""Writing documents: atomically, so a failed run never leaves a half-written file.

The text goes to a temporary file in the target's own directory, is flushed to
disk, and replaces the target with one ``os.replace`` (atomic on POSIX and
Windows); on any failure the temporary file is removed and the old target is
untouched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from symfisher.errors import OutputFileError


def _mode(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets 0o666 minus the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically; create its directory.

    Raises:
        OutputFileError: when the directory cannot be created or written.
    """
    return write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`write_atomic`).

    Raises:
        OutputFileError: when the directory cannot be created or written.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputFileError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode(target))
        os.replace(temporary, target)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputFileError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    return target

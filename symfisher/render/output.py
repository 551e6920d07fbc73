"""Writing documents: atomically, all or nothing, and only ever to the file the user named.

A regular file is written to a temporary file in the target's own directory,
flushed to disk, and put in place with one ``os.replace`` (atomic on POSIX and
Windows); on any failure the temporary file is removed and the old target is
untouched. Several files that belong together (a document and its figures) are
put in place together by :func:`write_all`: if one cannot be, those already
replaced are put back, so a failed run leaves nothing new and changes nothing.

The target decides how it is written (see :func:`output_target`):

- a symbolic link is followed: its final target is replaced atomically, the link stays;
- a character device or a named pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is
  written through, never replaced by a regular file; a block device or socket is refused;
- an existing directory, or a path ending in ``/``, means "into that directory",
  with the default file name.

Temporary names are short (``.symfisher-XXXXXXXX.tmp``), so that a legal
254-character file name works.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from symfisher.errors import OutputFileError

#: Nodes written through as a stream; any other kind that is not a regular file or directory is refused.
STREAM_KINDS = {stat.S_IFCHR: "a character device", stat.S_IFIFO: "a named pipe"}
REFUSED_KINDS = {stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


@dataclass(frozen=True)
class Target:
    """Where an output goes.

    Attributes:
        named: the path as the user named it (messages; figures go beside it, where relative links look).
        path: the file actually written: ``named`` with symbolic links followed.
        stream: a character device or named pipe, written through (no figures beside it).
    """

    named: Path
    path: Path
    stream: bool = False


def output_target(path: str | Path, default_name: str) -> Target:
    """The target of ``-o PATH``: a directory (existing, or written with a trailing ``/``) gets ``default_name``.

    Raises:
        OutputFileError: an empty path, a directory where a file is needed, a block device or socket.
    """
    text = os.fspath(path)
    if not text:
        raise OutputFileError("-o '': give a file name, a directory, or - for the terminal")
    named = Path(text)
    if text.endswith(("/", os.sep)) or named.is_dir():
        named = named / default_name
    return _resolve(named)


def _resolve(named: Path) -> Target:
    try:
        # stat follows links as the kernel does, also /dev/stdout's "magic" link to a pipe
        mode = named.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputFileError(f"cannot write {named}: {exc.strerror or exc}") from None
    kind = None if mode is None else stat.S_IFMT(mode)
    if kind == stat.S_IFDIR:
        raise OutputFileError(f"cannot write {named}: it is a directory")
    if kind in REFUSED_KINDS:
        raise OutputFileError(f"cannot write {named}: it is {REFUSED_KINDS[kind]}")
    if kind in STREAM_KINDS:
        return Target(named, named, stream=True)
    # a regular file (or none yet) is replaced by rename: that must happen at the link's final target
    return Target(named, Path(os.path.realpath(named)) if named.is_symlink() else named)


def _mode(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets 0o666 minus the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | Path | Target, text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically; create its directory.

    Raises:
        OutputFileError: when the directory cannot be created or written.
    """
    return write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: str | Path | Target, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`write_all`); the path as named is returned.

    Raises:
        OutputFileError: when the directory cannot be created or written.
    """
    target = path if isinstance(path, Target) else file_target(path)
    write_all([(target, data)])
    return target.named


def file_target(path: str | Path) -> Target:
    """The target of a file path (no default name: a directory is refused).

    Raises:
        OutputFileError: an empty path, a directory, a block device or socket.
    """
    if not os.fspath(path):
        raise OutputFileError("cannot write '': no file name")
    return _resolve(Path(path))


def write_all(files: list[tuple[Target, bytes]]) -> None:
    """Put several files in place together: all of them, or (on any failure) none, with old files kept.

    Every regular file is first written to a temporary file beside it; then each is
    renamed into place, the file it replaces kept under a temporary name until all
    are in; a failure puts the old files back and removes the new ones. Streams
    (devices, pipes) cannot be taken back: they are written last, once the rest is in.
    Directories created for the files are removed again on failure.

    Raises:
        OutputFileError: naming the file that could not be written.
    """
    created: list[Path] = []
    current = files[0][0] if files else None            # the file being written, for the error message
    staged: list[tuple[Target, str]] = []
    replaced: list[tuple[Target, str | None]] = []     # (target, its old content's temporary name or None)
    try:
        for target, data in files:
            current = target
            if not target.stream:
                created += _make_parents(target)
                staged.append((target, _stage(target, data)))
        for target, temporary in staged:
            current = target
            backup = _keep_old(target.path)
            try:
                os.replace(temporary, target.path)
            except BaseException:
                if backup:
                    os.unlink(backup)
                raise
            replaced.append((target, backup))
        for target, data in files:
            if target.stream:
                current = target
                with open(target.path, "wb") as handle:
                    handle.write(data)
    except BaseException as exc:
        for target, backup in reversed(replaced):
            if backup:
                _quietly(os.replace, backup, target.path)
            else:
                _quietly(os.unlink, target.path)
        replaced = []                      # a backup that could not be put back is the only copy left: keep it
        for _, temporary in staged:
            _quietly(os.unlink, temporary)
        for directory in reversed(created):
            _quietly(os.rmdir, directory)
        if isinstance(exc, OSError):
            raise OutputFileError(f"cannot write {current.named}: {exc.strerror or exc}") from None
        raise
    finally:
        for _, backup in replaced:
            if backup:
                _quietly(os.unlink, backup)


def _make_parents(target: Target) -> list[Path]:
    """Create the missing directories above ``target``; the ones created, outermost first."""
    missing = []
    parent = target.path.parent
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    for directory in reversed(missing):
        directory.mkdir()
    return list(reversed(missing))


def _stage(target: Target, data: bytes) -> str:
    """``data`` in a temporary file beside ``target``, flushed to disk; its name."""
    fd, temporary = tempfile.mkstemp(prefix=".symfisher-", suffix=".tmp", dir=target.path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode(target.path))
    except BaseException:
        _quietly(os.unlink, temporary)
        raise
    return temporary


def _keep_old(path: Path) -> str | None:
    """A hard link to the file about to be replaced (to put it back on failure), or None if there is none."""
    if not path.is_file():
        return None
    fd, backup = tempfile.mkstemp(prefix=".symfisher-", suffix=".old", dir=path.parent)
    os.close(fd)
    os.unlink(backup)
    try:
        os.link(path, backup)
    except OSError:
        # no hard links on this file system: a copy does as well
        import shutil
        shutil.copy2(path, backup)
    return backup


def _quietly(function, *args) -> None:
    try:
        function(*args)
    except OSError:
        pass

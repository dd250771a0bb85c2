"""Writing files so that a reader sees the old file or the new one, never a
part; the lock that serialises writers of one folder; and recognising the
temporary files and folders a killed writer left behind."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import time
from pathlib import Path

STALE_AFTER = 3600  # seconds: a temporary file or folder this old is left over, whoever made it
TEMP_FILE = re.compile(r"\..+\.planc-(\d+)-[^.]+\.tmp")  # write_atomic's: .NAME.planc-PID-RANDOM.tmp
OLD_TEMP_FILE = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")  # write_atomic's before it named the writer


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target (following a symlink to
    the real file), flush it to disk, then rename it over the target. An
    existing file keeps its permissions; a new one gets the umask's. The
    temporary file's name holds the writer's process id (`TEMP_FILE`), so
    one left by a killed process is recognised and cleaned (`clean_stale`)."""
    real = Path(os.path.realpath(path))
    real.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = os.stat(real).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.planc-{os.getpid()}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def new_file_mode(existing: Path) -> int:
    """The permissions a file written over `existing` gets: its own, or the umask's for a new file."""
    try:
        return os.stat(existing).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs here. Where that cannot be asked
    safely (Windows: os.kill would end it), every process counts as alive."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a pid we can ask about: assume alive
    except OSError:
        return True
    return True


def is_stale(path: Path, pid: int | None, now: float | None = None) -> bool:
    """Left over: its writer (`pid`) is gone, or it is older than STALE_AFTER."""
    try:
        age = (now or time.time()) - os.lstat(path).st_mtime
    except OSError:
        return False
    return age > STALE_AFTER or (pid is not None and not pid_alive(pid))


def clean_stale_temp_files(folder: Path, legacy: bool = True) -> list[Path]:
    """Remove write_atomic's temporary files in `folder` that are left over; the
    removed ones. `legacy`: also those named before they held the writer's pid."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        ours = TEMP_FILE.fullmatch(entry.name)
        pid = int(ours.group(1)) if ours else None
        if not ours and not (legacy and OLD_TEMP_FILE.fullmatch(entry.name)):
            continue
        if entry.is_file(follow_symlinks=False) and is_stale(Path(entry.path), pid):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def folder_lock(path: Path):
    """An exclusive lock on the file `path`, held for the `with` block; a
    second writer waits. fcntl.flock on POSIX, msvcrt.locking on Windows;
    where neither exists, no lock (writers are then not serialised). The
    file is removed when the lock is released, so it is only there while a
    writer is: a waiter that then holds a removed file's lock tries again."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            _lock(fd)
            if _same_file(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the holder removed it meanwhile: lock the next one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)  # closing releases the lock


def _same_file(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        _lock_windows(fd)
    else:
        fcntl.flock(fd, fcntl.LOCK_EX)


def _lock_windows(fd: int) -> None:
    if sys.platform != "win32":  # neither fcntl nor msvcrt: no lock
        return
    import msvcrt

    while True:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return
        except OSError:
            time.sleep(0.1)

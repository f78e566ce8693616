"""Exclusive file locks between fpgaflow processes (and threads): the build directory's lock
and the stage store's locks, taken on every build before its first tool starts.

On POSIX this is ``flock(2)`` on a lock file opened for each acquisition, so two threads of
one process exclude each other as two processes do, and the lock goes with the process when
it dies. The ``filelock`` package does the same, but importing it (with logging, secrets and more) costs
about 10 ms, a tenth of a small build's whole overhead; elsewhere it is used instead.
The lock files are left in place: removing one another process holds or is about to open
would let two holders in.
"""

from __future__ import annotations

import os

try:
    import fcntl
except ImportError:        # not POSIX
    fcntl = None


class Busy(Exception):
    """``acquire(timeout=0)`` found the lock held."""


class FileLock:
    def __init__(self, path: str | os.PathLike) -> None:
        self.path = os.fspath(path)
        self._fd: int | None = None
        self._other = None

    def acquire(self, timeout: float | None = None) -> None:
        """Wait for the lock (``timeout=None``) or take it only if free (``timeout=0``,
        else ``Busy``)."""
        if fcntl is None:
            return self._fallback(timeout)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (fcntl.LOCK_NB if timeout == 0 else 0))
        except BlockingIOError:
            os.close(fd)
            raise Busy(self.path) from None
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._other is not None:
            self._other.release()
            self._other = None
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)            # closing the only descriptor releases the flock

    def _fallback(self, timeout: float | None) -> None:
        import filelock
        lock = filelock.FileLock(self.path)
        try:
            lock.acquire(timeout=-1 if timeout is None else timeout)
        except filelock.Timeout:
            raise Busy(self.path) from None
        self._other = lock

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

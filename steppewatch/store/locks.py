"""A cross-process exclusive lock on a file (one writer at a time).

The holder writes its pid and since when it holds the lock into the file, so that a process that has to
wait can say for whom ("waiting for another ingest (pid 4242) since 14:05").
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock: its process id and since when (None: not known, e.g. an older version)."""

    pid: int | None
    since: dt.datetime | None

    def described(self) -> str:
        """" (pid 4242) since 14:05", or what of it is known."""
        return (f" (pid {self.pid})" if self.pid is not None else "") + \
            (f" since {self.since:%H:%M}" if self.since is not None else "")

    @classmethod
    def parse(cls, text: str) -> LockHolder:
        parts = text.split()
        try:
            pid = int(parts[0]) if parts else None
        except ValueError:
            pid = None
        try:
            since = dt.datetime.fromisoformat(parts[1]) if len(parts) > 1 else None
        except ValueError:
            since = None
        return cls(pid, since)


@contextmanager
def file_lock(path: Path, on_wait: Callable[[LockHolder], None] | None = None) -> Iterator[None]:
    """Hold an exclusive flock on ``path`` (created if missing) for the duration of the block. When another
    process holds it, ``on_wait`` is told who, once, before this one waits."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                handle.seek(0)
                on_wait(LockHolder.parse(handle.read(200)))
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()} {dt.datetime.now().isoformat(timespec='seconds')}\n")
            handle.flush()
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)

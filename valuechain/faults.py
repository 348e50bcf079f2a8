"""A test hook that simulates ``kill -9`` at a named point of a shard job, and atomic file writes.

``VALUECHAIN_FAULT=<point>`` in the environment of a run makes every process that reaches that point
end at once with ``os._exit(137)`` (no clean-up, no ``finally``, like SIGKILL). The points:

- ``shard:ingested``: the shard job has written reviews.jsonl and rejected.csv, not its tables;
- ``shard:outputs``: all five outputs written, the cache not yet saved;
- ``cache:staged``: the new cache is complete in its temporary folder, the old one still in place;
- ``cache:swapped``: the old cache moved aside, the new one not yet in its place;
- ``write:temp``: a table written to its temporary file, not yet renamed to the output name.

Unset (always, outside tests) it costs one dictionary look-up per point.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

ENV = "VALUECHAIN_FAULT"
POINTS = ("shard:ingested", "shard:outputs", "cache:staged", "cache:swapped", "write:temp")


def point(name: str) -> None:
    """End the process here, as ``kill -9`` would, when ``VALUECHAIN_FAULT`` names this point."""
    if os.environ.get(ENV) == name:
        os._exit(137)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary name beside ``path`` to write to; renamed to ``path`` only when the block succeeds.

    So ``path`` is either absent, its old content, or complete: never half-written (a reader, or a
    hard link of the shard cache, never sees a partial file). The temporary file is removed on error.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        try:
            yield tmp
        except OSError as e:
            if e.filename is None:  # a failed write or close does not say which file (disk full?)
                raise OSError(e.errno, e.strerror or str(e), str(path)) from e
            raise
        point("write:temp")
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()

"""Clean and extract on a Dask cluster; the store stays with the one writer in this process.

``python -m steppewatch ingest PATH... --dask local:N`` (a ``distributed.LocalCluster`` of N
single-threaded worker processes) or ``--dask tcp://HOST:PORT`` (an existing scheduler). The input
is cut into partitions of a few dozen documents; each partition is one task that runs the pure
``pipeline.outcome_of`` (clean + extract, no store access) on a worker, and its Outcomes come back
to ``pipeline.ingest_documents``, which stores them in input order, in batches, exactly as without a
cluster. At most ``window`` partitions are in flight or waiting for an earlier one, so memory stays
bounded whatever the input size.

Only imported when ``--dask`` is given: dask and distributed are optional
(``requirements-distributed.txt``); nothing else in Steppe Watch imports them.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from distributed import Client, Future

T = TypeVar("T")
R = TypeVar("R")

PARTITION_ITEMS = 40  # documents per task: ~0.4 s of work, so task overhead stays small
WINDOW_PER_WORKER = 3  # partitions in flight (or done, waiting for an earlier one) per worker thread


class DaskUnavailable(RuntimeError):
    """dask/distributed are not installed."""


class ClusterError(RuntimeError):
    """The cluster cannot run the tasks at all (e.g. its scheduler or workers lack this code):
    no document is to blame, so the run stops instead of logging every document as failed."""


def apply_partition(func: Callable[[T], R], items: list[T]) -> list[R]:
    """The task a worker runs: ``func`` on each item of one partition (``func`` never raises)."""
    return [func(item) for item in items]


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


class DaskMapper:
    """A ``pipeline.Mapper`` on a Dask client: results in input order, bounded in flight."""

    def __init__(self, client: Client, partition_items: int = PARTITION_ITEMS, window: int | None = None) -> None:
        self.client = client
        self.partition_items = max(1, partition_items)
        threads = sum(client.nthreads().values()) or 1
        self.window = max(2, window or WINDOW_PER_WORKER * threads)

    def __call__(self, func: Callable[[T], R], items: Iterable[T],
                 on_error: Callable[[T, BaseException], R]) -> Iterator[R]:
        from distributed import as_completed

        parts = enumerate(_chunks(items, self.partition_items))
        pending: dict[Future, tuple[int, list[T]]] = {}
        done: dict[int, list[R]] = {}  # finished partitions waiting for an earlier one
        queue = as_completed()
        next_index = 0

        def fill() -> None:
            while len(pending) + len(done) < self.window:
                part = next(parts, None)
                if part is None:
                    return
                future = self.client.submit(apply_partition, func, part[1], pure=False)
                pending[future] = part
                queue.add(future)

        try:
            fill()
            while pending:
                future = next(queue)
                index, part = pending.pop(future)
                done[index] = self._results(future, func, part, on_error)
                while next_index in done:
                    yield from done.pop(next_index)
                    next_index += 1
                fill()
        finally:
            if pending:  # interrupted (the writer failed, Ctrl-C): nothing more is computed
                with contextlib.suppress(Exception):
                    self.client.cancel(list(pending))

    def _results(self, future: Future, func: Callable[[T], R], part: list[T],
                 on_error: Callable[[T, BaseException], R]) -> list[R]:
        """The partition's results. If it failed as a whole (``func`` never raises: its worker died,
        or the cluster cannot run it), each item alone, one after the other, so that only an item
        that kills a worker fails (side by side, an item sharing the dying worker could be blamed
        too); if every item fails without killing a worker, the cluster is at fault: ClusterError."""
        try:
            return list(future.result())
        except Exception:
            pass
        results: list[R] = []
        errors: list[BaseException] = []
        for item in part:
            try:
                results.append(self.client.submit(apply_partition, func, [item], pure=False).result()[0])
            except Exception as error:
                errors.append(error)
                results.append(on_error(item, error))
        from distributed import KilledWorker

        if len(errors) == len(part) and not any(isinstance(e, KilledWorker) for e in errors):
            raise ClusterError(f"the Dask cluster cannot run the ingest: {errors[0]}") from errors[0]
        return results


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:  # optional dependency
        raise DaskUnavailable("--dask needs dask and distributed: pip install -r requirements-distributed.txt") from exc
    return distributed


@contextlib.contextmanager
def dask_mapper(spec: str, partition_items: int = PARTITION_ITEMS,
                window: int | None = None) -> Iterator[DaskMapper]:
    """A DaskMapper on ``local:N`` (a LocalCluster of N single-threaded worker processes, closed on
    exit) or on the scheduler at ``tcp://HOST:PORT`` (its workers need this code and its requirements;
    the store is only written here)."""
    distributed = _import_distributed()
    import dask

    if spec.startswith("local:"):
        try:
            n = int(spec.removeprefix("local:"))
        except ValueError:
            raise ValueError(f"--dask local:N needs a number of workers, not {spec!r}") from None
        if n < 1:
            raise ValueError("--dask local:N needs at least one worker")
        # a document that kills its worker is retried once, not three times, before it is reported
        with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
            cluster = distributed.LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, silence_logs=logging.ERROR,
                dashboard_address=None,  # no dashboard; its HTTP routes on a free local port, not 8787
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
            client = distributed.Client(cluster)
    elif "://" in spec:
        cluster = None
        client = distributed.Client(spec, timeout="30s")
    else:
        raise ValueError(f"--dask takes local:N or a scheduler address such as tcp://HOST:8786, not {spec!r}")
    try:
        yield DaskMapper(client, partition_items, window)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

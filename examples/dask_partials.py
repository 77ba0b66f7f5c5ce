#!/usr/bin/env python3
"""The annual report computed on a Dask cluster, identical to one process.

Each task loads the data set (once per worker process) and computes the
partial aggregate of one chunk of its rows; the client merges the partials,
which travel as their serialized tellus.v1.PartialAggregate, and builds the
report. Partials of any split of the rows merge into exactly the partial of
all of them, so the report equals the one a single process builds. A
regional or national body aggregates many councils the same way, one
partial per council.

    python3 examples/dask_partials.py cases.csv interactions.csv \\
        --period 2023/24 --as-of 2024-06-30 --chunks 8 --workers 2

Starts a local cluster of worker processes on the loopback interface
(Debian: python3-distributed); --scheduler ADDRESS uses a running one, whose
workers can read the same files and import tellus and this file.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from typing import List, Optional, Sequence, Tuple

import tellus

Chunk = Tuple[range, range]  # rows of the cases, rows of the interactions


@functools.lru_cache(maxsize=4)
def load(cases: str, interactions: str) -> tellus.Dataset:
    """The data set, loaded once per worker process."""
    return tellus.Dataset.from_csv(cases=cases, interactions=interactions)


def chunks(n_cases: int, n_interactions: int, count: int) -> List[Chunk]:
    """Splits both tables into ``count`` contiguous, nearly equal chunks."""
    def edges(n: int) -> List[int]:
        return [n * i // count for i in range(count + 1)]

    c, i = edges(n_cases), edges(n_interactions)
    return [(range(c[k], c[k + 1]), range(i[k], i[k + 1])) for k in range(count)]


def partial_of_chunk(
    cases: str, interactions: str, chunk: Chunk, period: str, as_of: str
) -> tellus.Partial:
    """A task: the partial aggregate of one chunk of the rows."""
    ds = load(cases, interactions)
    return ds.partial(period=period, as_of=as_of, cases=chunk[0],
                      interactions=chunk[1])


def report_on_cluster(
    client,
    cases: str,
    interactions: str,
    *,
    period: str,
    as_of: str,
    n_chunks: int,
    **report_settings,
) -> tellus.Report:
    """Computes the partials of ``n_chunks`` chunks on the cluster of
    ``client``, merges them and builds the report."""
    ds = load(cases, interactions)  # for the row counts
    futures = [
        client.submit(partial_of_chunk, cases, interactions, chunk, period,
                      as_of, pure=False)
        for chunk in chunks(ds.case_count, ds.interaction_count, n_chunks)
    ]
    partials = client.gather(futures)
    return tellus.merge_partials(partials).report(**report_settings)


def main(argv: Optional[Sequence[str]] = None) -> int:
    from dask.distributed import Client, LocalCluster

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases")
    parser.add_argument("interactions")
    parser.add_argument("--period", default="2023/24")
    parser.add_argument("--as-of", default="2024-06-30")
    parser.add_argument("--chunks", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", help="address of a running scheduler")
    args = parser.parse_args(argv)

    if args.scheduler:
        cluster = None
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(processes=True, n_workers=args.workers,
                               threads_per_worker=1, host="127.0.0.1",
                               dashboard_address=None)
        client = Client(cluster)
    try:
        distributed = report_on_cluster(
            client, args.cases, args.interactions, period=args.period,
            as_of=args.as_of, n_chunks=args.chunks)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    single = load(args.cases, args.interactions).report(
        period=args.period, as_of=args.as_of)
    same = distributed == single
    print(f"{args.chunks} chunks on {args.workers} workers: "
          f"complaints_received {distributed.metric('complaints_received')}, "
          f"upheld_rate {distributed.metric('upheld_rate')}; "
          f"{'identical to' if same else 'DIFFERENT from'} the single-process "
          "report")
    return 0 if same else 1


if __name__ == "__main__":
    # The workers run the tasks of this file by name (dask_partials.*, not
    # __main__.*, whose cache could not travel): local workers start with
    # this process's sys.path, so run main() from the module they import.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import dask_partials

    sys.exit(dask_partials.main())

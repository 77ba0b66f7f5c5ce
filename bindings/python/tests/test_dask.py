"""Partial aggregates over chunks of a data set on a local Dask cluster of
worker processes merge into the same report as a single process."""

import importlib
import os
import subprocess
import sys

import pytest

import tellus
from conftest import AS_OF, PERIOD

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def example(source_dir):
    """The example, importable by name here and in the workers (which start
    with this process's sys.path)."""
    examples = str(source_dir / "examples")
    if examples not in sys.path:
        sys.path.insert(0, examples)
    return importlib.import_module("dask_partials")


@pytest.fixture(scope="module")
def client(example):
    cluster = distributed.LocalCluster(
        processes=True, n_workers=2, threads_per_worker=1, host="127.0.0.1",
        dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_chunks_on_the_cluster_merge_to_the_single_process_report(
        client, example, synthetic_csv, report):
    cases, interactions = map(str, synthetic_csv)
    for n_chunks in (2, 5):
        distributed_report = example.report_on_cluster(
            client, cases, interactions, period=PERIOD, as_of=AS_OF,
            n_chunks=n_chunks, homes=28000)
        assert distributed_report == report
        assert distributed_report.to_bytes() == report.to_bytes()
    # The work really ran in the worker processes.
    pids = client.run(os.getpid)
    assert len(pids) == 2 and os.getpid() not in pids.values()


def test_partials_travel_between_processes(client, dataset):
    p = dataset.partial(PERIOD, AS_OF, cases=range(0, 100))
    back = client.submit(lambda x: x, p, pure=False).result()
    assert back == p and back is not p


def test_the_example_script(source_dir, synthetic_csv):
    out = subprocess.run(
        [sys.executable, str(source_dir / "examples" / "dask_partials.py"),
         *map(str, synthetic_csv), "--period", PERIOD, "--as-of", AS_OF,
         "--chunks", "4", "--workers", "2"],
        capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert "identical to the single-process report" in out.stdout

"""Fixtures of the Python tests.

The tests run against the package staged in a CMake build tree; ctest sets
the environment (see bindings/python/CMakeLists.txt):
  PYTHONPATH         <build>/python, where the package is staged
  TELLUS_BUILD_DIR   the build tree (libtellus.so.0, generated modules)
  TELLUS_SOURCE_DIR  the checkout (examples, fixtures, proto/)
  TELLUS_CLI         the tellus program
  TELLUS_EXAMPLE_C, TELLUS_EXAMPLE_CPP  the example programs
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402

SOURCE_DIR = Path(
    os.environ.get("TELLUS_SOURCE_DIR", Path(__file__).resolve().parents[3])
)
PERIOD = "2023/24"
AS_OF = "2024-06-30"


def env_path(name: str) -> Path:
    value = os.environ.get(name)
    if not value:
        pytest.skip(f"{name} is not set (run the tests through ctest)")
    return Path(value)


@pytest.fixture(scope="session")
def source_dir() -> Path:
    return SOURCE_DIR


@pytest.fixture(scope="session")
def messy() -> tuple:
    """The messy CSV pair of tests/data: 5 of 16 cases and 6 of 10
    interactions accepted."""
    d = SOURCE_DIR / "tests" / "data" / "messy"
    return d / "cases.csv", d / "interactions.csv"


@pytest.fixture(scope="session")
def synthetic_csv(tmp_path_factory) -> tuple:
    """A synthetic data set of 1500 cases and 6000 interactions (plus a few
    bad rows) over five years."""
    return synthetic.write(tmp_path_factory.mktemp("synthetic"))


@pytest.fixture(scope="session")
def dataset(synthetic_csv):
    import tellus

    cases, interactions = synthetic_csv
    return tellus.Dataset.from_csv(cases=cases, interactions=interactions)


@pytest.fixture(scope="session")
def report(dataset):
    return dataset.report(period=PERIOD, as_of=AS_OF, homes=28000, threads=2)

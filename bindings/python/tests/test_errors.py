"""One exception hierarchy carrying the library's messages; threads."""

import concurrent.futures

import pytest

import tellus
from conftest import AS_OF, PERIOD
from tellus import errors


def test_hierarchy():
    expected = {
        tellus.InvalidArgumentError: (-1, ValueError),
        tellus.MalformedError: (-2, ValueError),
        tellus.NotFoundError: (-3, FileNotFoundError),
        tellus.FileAccessError: (-4, OSError),
        tellus.FailedPreconditionError: (-5, ValueError),
        tellus.UnsupportedError: (-6, NotImplementedError),
        tellus.OutOfMemoryError: (-7, MemoryError),
        tellus.InternalError: (-8, Exception),
    }
    for cls, (status, builtin) in expected.items():
        assert issubclass(cls, tellus.Error) and issubclass(cls, builtin)
        e = errors.error_for_status(status, "the library's message")
        assert type(e) is cls and e.status == status
        assert str(e) == e.message == "the library's message"
    unknown = errors.error_for_status(-99, "new")
    assert type(unknown) is tellus.Error and unknown.status == -99


def test_library_messages_reach_python(dataset):
    with pytest.raises(tellus.Error) as e:
        dataset.report(period="2023/24", as_of="2024-01-01")
    assert e.value.status == -1
    assert "a report is only final once its period has ended" in str(e.value)


def test_threads_share_a_dataset_and_keep_their_own_errors(dataset, report):
    def work(k):
        if k % 3 == 0:
            with pytest.raises(tellus.InvalidArgumentError, match=f"20{k:02d}/99"):
                dataset.report(period=f"20{k:02d}/99", as_of=AS_OF)
            return None
        return dataset.report(period=PERIOD, as_of=AS_OF, homes=28000, threads=1)

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, range(12)))
    for k, r in enumerate(results):
        assert (r is None) if k % 3 == 0 else (r == report)


def test_version_and_library():
    assert tellus.library_version == tellus.__version__
    assert tellus.library_path

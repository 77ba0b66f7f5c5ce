"""Partial aggregates: compute, merge, serialize, pickle, report."""

import pickle

import pytest

import tellus
from conftest import AS_OF, PERIOD
from tellus.v1 import aggregate_pb2


def split(dataset, parts):
    """Partials of `parts` contiguous slices of both tables."""
    n, m = dataset.case_count, dataset.interaction_count
    return [
        dataset.partial(PERIOD, AS_OF,
                        cases=range(n * k // parts, n * (k + 1) // parts),
                        interactions=slice(m * k // parts, m * (k + 1) // parts))
        for k in range(parts)
    ]


def test_any_split_merges_to_the_whole(dataset, report):
    whole = dataset.partial(PERIOD, AS_OF, threads=1)
    assert whole == dataset.partial(PERIOD, AS_OF, threads=3)
    for parts in (1, 2, 7):
        merged = tellus.merge_partials(split(dataset, parts))
        assert merged == whole
        assert merged.report(homes=28000) == report
    a, b = split(dataset, 2)
    assert a != whole
    assert a + b == whole == b.merge(a)
    assert tellus.report_from_partial(a.merge(b), homes=28000) == report
    # Merging makes a new partial; the operands stay as they were.
    assert a != whole and b != whole


def test_cases_only_and_interactions_only(dataset):
    whole = dataset.partial(PERIOD, AS_OF)
    cases = dataset.partial(PERIOD, AS_OF, cases=slice(None), interactions=range(0))
    interactions = dataset.partial(PERIOD, AS_OF, cases=range(0),
                                   interactions=range(dataset.interaction_count))
    assert cases.merge(interactions) == whole


def test_serialize_and_pickle(dataset):
    p = split(dataset, 3)[1]
    data = p.to_bytes()
    assert tellus.Partial.from_bytes(data) == p
    message = p.message
    assert isinstance(message, aggregate_pb2.PartialAggregate)
    assert message.format_version == 1
    assert message.settings.period == PERIOD
    assert message.settings.as_of == "2024-06-30T22:59:59+00:00"
    assert tellus.Partial.from_message(message) == p
    assert p.settings.region == "england-and-wales"
    again = pickle.loads(pickle.dumps(p))
    assert again == p and again is not p
    assert PERIOD in repr(p)


def test_mismatched_settings_do_not_merge(dataset):
    june = dataset.partial(PERIOD, AS_OF, cases=range(0, 10))
    july = dataset.partial(PERIOD, "2024-07-31", cases=range(10, 20))
    with pytest.raises(tellus.FailedPreconditionError, match="different settings"):
        june.merge(july)
    scotland = dataset.partial(PERIOD, AS_OF, cases=range(10, 20), region="scotland")
    with pytest.raises(tellus.FailedPreconditionError):
        june + scotland
    with pytest.raises(TypeError):
        june.merge("not a partial")
    assert june.__add__(3) is NotImplemented


def test_partial_errors(dataset):
    p = dataset.partial(PERIOD, AS_OF, cases=range(0, 10))
    with pytest.raises(tellus.InvalidArgumentError, match="2022/23"):
        p.report(period="2022/23")
    with pytest.raises(tellus.InvalidArgumentError, match="cases"):
        dataset.partial(PERIOD, AS_OF, cases=range(0, dataset.case_count + 1))
    with pytest.raises(tellus.InvalidArgumentError, match="contiguous"):
        dataset.partial(PERIOD, AS_OF, cases=range(0, 10, 2))
    with pytest.raises(TypeError):
        dataset.partial(PERIOD, AS_OF, cases=[1, 2, 3])
    with pytest.raises(tellus.MalformedError, match="PartialAggregate"):
        tellus.Partial.from_bytes(p.to_bytes()[:-1])
    with pytest.raises(tellus.InvalidArgumentError, match="format version 2"):
        tellus.Partial.from_bytes(b"\x08\x02")
    with pytest.raises(tellus.InvalidArgumentError, match="no partial"):
        tellus.merge_partials([])
    with pytest.raises(tellus.InvalidArgumentError, match="before the end"):
        dataset.partial(PERIOD, "2024-01-01")

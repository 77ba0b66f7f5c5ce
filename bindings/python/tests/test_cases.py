"""Validating and folding a case."""

import datetime

import pytest

import tellus
from tellus.v1 import case_pb2, state_pb2


def complaint(ref="C1", response_day=12):
    """Received 2 May 2023, acknowledged 3 May, upheld at stage 1."""
    c = case_pb2.Case(ref=ref, type=case_pb2.CASE_TYPE_COMPLAINT,
                      directorate="Housing", service="Repairs")
    c.received.date.year, c.received.date.month, c.received.date.day = 2023, 5, 2
    ack = c.events.add()
    ack.when.date.year, ack.when.date.month, ack.when.date.day = 2023, 5, 3
    ack.acknowledged.stage = case_pb2.STAGE_1
    resp = c.events.add()
    resp.when.date.year, resp.when.date.month = 2023, 5
    resp.when.date.day = response_day
    resp.responded.stage = case_pb2.STAGE_1
    resp.responded.outcome = case_pb2.OUTCOME_UPHELD
    return c


def test_fold_a_complaint():
    folded = tellus.fold_case(complaint())
    assert isinstance(folded, state_pb2.FoldedCase)
    assert folded.ref == "C1"
    assert folded.status == state_pb2.CASE_STATUS_STAGE_1_RESPONDED
    assert folded.status_text == "responded at stage 1"
    s1 = folded.stage1
    assert (s1.acknowledgement_due.year, s1.acknowledgement_due.month,
            s1.acknowledgement_due.day) == (2023, 5, 10)
    assert (s1.response_due.month, s1.response_due.day) == (5, 18)
    assert s1.acknowledged_on_time and s1.responded_on_time
    assert s1.outcome == case_pb2.OUTCOME_UPHELD
    assert not folded.HasField("stage2") and not folded.HasField("as_of")
    assert not folded.HasField("remedy_pence")


def test_fold_as_of_a_date_and_from_bytes():
    early = tellus.fold_case(complaint().SerializeToString(),
                             as_of=datetime.date(2023, 5, 5))
    assert early.status == state_pb2.CASE_STATUS_AWAITING_STAGE_1
    assert not early.stage1.HasField("responded")
    assert not early.stage1.HasField("responded_on_time")
    assert early.HasField("as_of")
    late = tellus.fold_case(complaint(response_day=31))
    assert not late.stage1.responded_on_time


def test_policy_and_calendar_change_the_due_dates():
    fast = {"stage1": {"acknowledge_days": 1, "respond_days": 2,
                       "max_extension_days": 0}}
    folded = tellus.fold_case(complaint(), policy=fast,
                              calendar=tellus.Calendar("scotland"))
    assert folded.stage1.acknowledgement_due.day == 3
    assert not folded.stage1.responded_on_time


def test_invalid_case_names_case_event_and_rule():
    bad = complaint(ref="CMP-2023-0412")
    bad.events[1].when.date.month = 4  # response before the receipt
    with pytest.raises(tellus.InvalidArgumentError) as e:
        tellus.fold_case(bad)
    assert "CMP-2023-0412" in str(e.value)
    assert "2023-04-12" in str(e.value)
    assert e.value.status == -1


def test_garbage_and_truncated_bytes():
    data = complaint().SerializeToString()
    with pytest.raises(tellus.MalformedError, match="tellus.v1.Case"):
        tellus.fold_case(data[:-3])
    with pytest.raises(tellus.MalformedError):
        tellus.fold_case(b"\x0a\xff\xff\xff\xff\x0f")
    with pytest.raises(tellus.InvalidArgumentError, match="as-of"):
        tellus.fold_case(data, as_of="soon")

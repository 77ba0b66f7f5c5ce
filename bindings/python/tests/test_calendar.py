"""Working days, bank holidays and due dates through the C ABI."""

import datetime

import pytest

import tellus
from tellus.v1 import policy_pb2

D = datetime.date


def test_working_days_of_england_and_wales():
    assert tellus.add_working_days(D(2023, 5, 5), 1) == D(2023, 5, 9)  # coronation
    assert tellus.add_working_days("2023-05-09", -1) == D(2023, 5, 5)
    assert tellus.add_working_days(D(2023, 5, 6), 0) == D(2023, 5, 6)
    assert not tellus.is_working_day(D(2023, 5, 8))
    assert tellus.is_working_day("2023-05-09")
    assert tellus.is_holiday(D(2023, 5, 8))
    assert not tellus.is_holiday(D(2023, 5, 6))  # a Saturday is no holiday
    assert tellus.working_days_between(D(2023, 5, 5), D(2023, 5, 12)) == 4
    assert tellus.working_days_between(D(2023, 5, 12), D(2023, 5, 5)) == 0


def test_regions_and_holiday_lists():
    scotland = tellus.Calendar("scotland")
    assert scotland.is_holiday(D(2023, 11, 30))  # St Andrew's Day
    assert not tellus.is_holiday(D(2023, 11, 30))
    assert tellus.is_holiday(D(2023, 11, 30), calendar=scotland)
    holidays = tellus.Calendar().holidays(2023)
    assert len(holidays) == 9
    assert holidays[0] == tellus.Holiday(D(2023, 1, 2), holidays[0].name)
    assert D(2023, 5, 8) in [h.date for h in holidays]
    assert all(isinstance(h.name, str) and h.name for h in holidays)
    assert repr(scotland) == "tellus.Calendar('scotland')"


def test_govuk_json_extends_or_replaces_the_rules():
    doc = (
        '{"england-and-wales": {"division": "england-and-wales", "events": '
        '[{"title": "Tellus Day", "date": "2031-06-04", "notes": "", '
        '"bunting": true}]}}'
    )
    extended = tellus.Calendar(govuk_json=doc)
    assert extended.is_holiday("2031-06-04")
    assert extended.is_holiday("2031-05-05")  # early May kept
    replaced = tellus.Calendar(govuk_json=doc.encode(), merge="replace")
    assert not replaced.is_holiday("2031-05-05")
    with pytest.raises(tellus.InvalidArgumentError):
        tellus.Calendar(govuk_json="{not json")
    with pytest.raises(tellus.InvalidArgumentError, match="scotland"):
        tellus.Calendar("scotland", govuk_json=doc)
    with pytest.raises(tellus.InvalidArgumentError, match="merge"):
        tellus.Calendar(govuk_json=doc, merge="sideways")


def test_due_dates():
    # Received 2 May 2023: acknowledgement due 10 May (8 May is the
    # coronation); acknowledged on 3 May, response due 18 May.
    assert tellus.acknowledgement_due(D(2023, 5, 2)) == D(2023, 5, 10)
    assert tellus.response_due(D(2023, 5, 2), D(2023, 5, 3)) == D(2023, 5, 18)
    assert tellus.response_due(D(2023, 5, 2)) == D(2023, 5, 24)
    assert tellus.acknowledgement_due(D(2023, 5, 2), stage=2) == D(2023, 5, 10)
    assert tellus.responded_on_time("2023-07-18", "2023-07-28", "2023-08-01")
    assert not tellus.responded_on_time("2023-07-18", "2023-07-28")
    cal = tellus.Calendar()
    assert cal.acknowledgement_due("2023-05-02") == D(2023, 5, 10)
    assert cal.response_due("2023-05-02", "2023-05-03") == D(2023, 5, 18)
    assert cal.responded_on_time("2023-07-18", "2023-07-18")


def test_policies_as_messages_or_dicts():
    fast = {"stage1": {"acknowledge_days": 1, "respond_days": 5,
                       "max_extension_days": 5}}
    assert tellus.acknowledgement_due("2023-05-02", policy=fast) == D(2023, 5, 3)
    message = policy_pb2.TimescalePolicy()
    message.stage1.acknowledge_days = 2
    message.stage1.respond_days = 5
    assert tellus.acknowledgement_due("2023-05-02", policy=message) == D(2023, 5, 4)
    with pytest.raises(tellus.InvalidArgumentError):
        tellus.acknowledgement_due(
            "2023-05-02", policy={"stage1": {"acknowledge_days": -1}}
        )
    with pytest.raises(TypeError):
        tellus.acknowledgement_due("2023-05-02", policy=5)


def test_bad_dates_and_arguments():
    with pytest.raises(tellus.InvalidArgumentError, match="2023-02-30"):
        tellus.add_working_days("2023-02-30", 1)
    with pytest.raises(ValueError):  # InvalidArgumentError is a ValueError
        tellus.add_working_days(D(2023, 5, 5), 10**6)
    with pytest.raises(tellus.InvalidArgumentError, match="outside years"):
        tellus.add_working_days(D(9999, 12, 30), 10)
    with pytest.raises(TypeError, match="time zone"):
        tellus.is_working_day(datetime.datetime(2023, 5, 8, 12))
    with pytest.raises(TypeError):
        tellus.is_working_day(20230508)
    with pytest.raises(tellus.InvalidArgumentError, match="stage 3"):
        tellus.acknowledgement_due("2023-05-02", stage=3)
    with pytest.raises(tellus.InvalidArgumentError, match="atlantis"):
        tellus.Calendar("atlantis")
    with pytest.raises(tellus.InvalidArgumentError, match="year 0"):
        tellus.Calendar().holidays(0)

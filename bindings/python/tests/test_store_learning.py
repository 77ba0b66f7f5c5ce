"""Done when, from Python: from one store, the directorate digest, a team's
compliments, the overdue restriction reviews and the Ombudsman figures, on
the learning fixture (tests/data/learning), checked against the values
worked out by hand from METRICS.md (tests/learning_report_test.cc and
tests/cli_learning_store_test.cc show the working) and against the same
records read as a data directory. Then restrictions' versions, question
sets and an action marked done later."""

import datetime
from fractions import Fraction

import pytest

import tellus
from tellus.v1 import case_pb2, common_pb2, question_set_pb2


@pytest.fixture
def fixture_dir(source_dir):
    return source_dir / "tests" / "data" / "learning"


@pytest.fixture
def store(tmp_path, fixture_dir):
    with tellus.Store(tmp_path / "council.tellus") as s:
        summary = s.import_data_dir(fixture_dir)
        assert summary.cases.added == 9
        assert summary.restrictions.added == 5
        yield s


def test_the_directorate_digest(store):
    text = store.digest("Housing", "2024-01", format="markdown")
    assert "# Housing: customer feedback digest, January 2024" in text
    assert "Records as of 2024-01-31 23:59 GMT" in text
    assert "- Received: 0" in text
    # L1's action 4: target 2023-06-01, done only after T; 244 days.
    assert ("| L1 #4 | Audit open jobs | Repairs Manager | 2023-06-01 | "
            "overdue by 244 days |") in text
    assert "Retrain the repairs desk" not in text  # due on the day itself
    assert "2024-01-10 L3: LGSCO, upheld" in text
    assert store.digest("Housing", datetime.date(2024, 1, 15)) == \
        store.digest("Housing", "2024-01")
    early = store.digest("Housing", "2024-01", as_of="2024-01-05")
    assert "LGSCO" not in early
    with pytest.raises(tellus.NotFoundError, match="Parks"):
        store.digest("Parks", "2024-01")
    with pytest.raises(ValueError):
        store.digest("Housing", "January")
    with pytest.raises(ValueError):
        store.digest("Housing", "2024-01", format="html")


def test_the_compliments_about_one_team(store):
    text = store.compliments(team="Repairs North", period="2023/24")
    assert "2 compliments received from 2023-04-01 to 2024-03-31." in text
    assert "2023-05-05  K1" in text and "2023-08-05  K2" in text
    assert "K3" not in text
    assert "Council values shown: caring 2, listening 1." in text
    assert "1 compliment received" in store.compliments(staff="S-7",
                                                        period="2022/23")
    with pytest.raises(tellus.InvalidArgumentError, match="team"):
        store.compliments(period="2023/24")


def test_the_overdue_restriction_reviews(store):
    text = store.restrictions_in_force("2024-06-30")
    assert "3 restrictions in force; 2 reviews overdue." in text
    assert text.index("RS3  CUST-3") < text.index("RS1  CUST-1")
    assert "overdue by 487 days" in text and "overdue by 177 days" in text
    assert [r.id for r in store.restrictions()] == [
        "RS1", "RS2", "RS3", "RS4", "RS5"]


def test_the_ombudsman_and_learning_figures(store, fixture_dir):
    report = store.report(period="2023/24", as_of="2024-06-30")
    # Due in 2023/24: R1, R2, R4; complied on time: R1.
    assert report.metric("ombudsman_recommendations_complied") == Fraction(1, 3)
    assert report.metric("ombudsman_recommendations_overdue") == 2
    # Figures at T are the same in the previous period's column.
    assert report.metric("ombudsman_recommendations_overdue",
                         previous=True) == 2
    assert report.metric("ombudsman_decisions_lgsco_upheld") == 1
    assert report.metric("lessons_actions_overdue") == 2
    assert report.metric("restrictions_active") == 3
    assert report.metric("restrictions_active", previous=True) == 2
    assert report.metric("restriction_reviews_overdue") == 2
    assert report.metric("restriction_reviews_overdue", previous=True) == 2
    # The same as the data directory's.
    with tellus.Dataset.from_data_dir(fixture_dir) as ds:
        assert report.to_dict() == ds.report(
            period="2023/24", as_of="2024-06-30").to_dict()


def test_restrictions_are_versioned(store):
    rs3 = store.restrictions()[2]
    review = rs3.reviews.add()
    review.date.CopyFrom(common_pb2.Date(year=2024, month=3, day=10))
    review.outcome = 1  # REVIEW_OUTCOME_CONTINUED
    review.next_review.CopyFrom(common_pb2.Date(year=2024, month=9, day=10))
    counts = store.add_restrictions([rs3])
    assert (counts.added, counts.extended, counts.present) == (0, 1, 0)
    assert store.add_restrictions([rs3]).present == 1
    assert "1 review overdue" in store.restrictions_in_force("2024-06-30")
    rs3.customer = "CUST-99"
    with pytest.raises(tellus.FailedPreconditionError, match="CUST-3"):
        store.add_restrictions([rs3])
    rs3.reason = ""
    with pytest.raises(tellus.InvalidArgumentError, match="gives no reason"):
        store.add_restrictions([rs3])
    assert len(store.subject_access("CUST-3").restrictions) == 2


def test_question_sets_are_written_once(store):
    form = question_set_pb2.QuestionSet(id="lessons-learnt", version=1)
    form.questions.add(id="what_went_wrong", text="What went wrong?",
                       required=True)
    assert store.put_question_set(form) is True
    assert store.put_question_set(form) is False
    form.title = "Lessons Learnt"
    with pytest.raises(tellus.FailedPreconditionError,
                       match="already held with other content"):
        store.put_question_set(form)
    # A lesson against the held form must answer its required question.
    lesson = case_pb2.Event()
    lesson.when.date.CopyFrom(common_pb2.Date(year=2023, month=6, day=1))
    lesson.lesson_learnt.question_set_id = "lessons-learnt"
    lesson.lesson_learnt.question_set_version = 1
    with pytest.raises(tellus.InvalidArgumentError,
                       match="leaves the required question"):
        store.append_event("L1", lesson)


def test_an_action_marked_done_later(store):
    done = case_pb2.Event()
    done.when.date.CopyFrom(common_pb2.Date(year=2024, month=3, day=1))
    done.lesson_action_done.lesson = 1
    done.lesson_action_done.action = 2
    store.append_event("L1", done)
    with pytest.raises(tellus.InvalidArgumentError, match="done again"):
        store.append_event("L1", done)
    report = store.report(period="2023/24", as_of="2024-06-30")
    assert report.metric("lessons_actions_overdue") == 1
    assert "Retrain the repairs desk" not in store.digest("Housing", "2024-06")

// Test helper: builds v1::Case and v1::Interaction messages tersely.
#ifndef TELLUS_TESTS_CASE_BUILDER_H_
#define TELLUS_TESTS_CASE_BUILDER_H_

#include <random>
#include <string>

#include "absl/time/time.h"
#include "tellus/dates.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/interaction.pb.h"

namespace tellus {

inline v1::When On(int y, int m, int d) {
  v1::When w;
  *w.mutable_date() = ToProto(absl::CivilDay(y, m, d));
  return w;
}

// An instant given in UTC, e.g. AtUtc(2024, 3, 31, 23, 30).
inline v1::When AtUtc(int y, int m, int d, int hh, int mm) {
  return ToProto(EventTime::At(absl::FromCivil(
      absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone())));
}

class CaseBuilder {
 public:
  explicit CaseBuilder(std::string ref = "CMP-1",
                       v1::CaseType type = v1::CASE_TYPE_COMPLAINT) {
    c_.set_ref(std::move(ref));
    c_.set_type(type);
    c_.set_directorate("Housing");
    *c_.mutable_received() = On(2023, 5, 2);
  }
  CaseBuilder& Received(int y, int m, int d) {
    *c_.mutable_received() = On(y, m, d);
    return *this;
  }
  CaseBuilder& ReceivedAt(const v1::When& when) {
    *c_.mutable_received() = when;
    return *this;
  }
  CaseBuilder& In(std::string directorate, std::string service) {
    c_.set_directorate(std::move(directorate));
    c_.set_service(std::move(service));
    return *this;
  }
  CaseBuilder& Ack(v1::Stage s, int y, int m, int d) {
    Add(y, m, d).mutable_acknowledged()->set_stage(s);
    return *this;
  }
  CaseBuilder& Extend(v1::Stage s, int y, int m, int d) {
    Add(y, m, d).mutable_extension_agreed()->set_stage(s);
    return *this;
  }
  CaseBuilder& Respond(v1::Stage s, int y, int m, int d,
                       v1::Outcome o = v1::OUTCOME_UPHELD) {
    v1::Event& e = Add(y, m, d);
    e.mutable_responded()->set_stage(s);
    e.mutable_responded()->set_outcome(o);
    return *this;
  }
  CaseBuilder& Escalate(int y, int m, int d) {
    Add(y, m, d).mutable_escalation_requested();
    return *this;
  }
  CaseBuilder& Withdraw(int y, int m, int d) {
    Add(y, m, d).mutable_withdrawn();
    return *this;
  }
  CaseBuilder& Lesson(int y, int m, int d) {
    Add(y, m, d).mutable_lesson_learnt();
    return *this;
  }
  CaseBuilder& Refer(v1::OmbudsmanBody b, int y, int m, int d) {
    Add(y, m, d).mutable_ombudsman_referral()->set_body(b);
    return *this;
  }
  CaseBuilder& Decide(v1::OmbudsmanDecision dec, int y, int m, int d) {
    Add(y, m, d).mutable_ombudsman_decided()->set_decision(dec);
    return *this;
  }
  CaseBuilder& Remedy(int64_t pence) {
    c_.add_events()->mutable_remedy()->set_pence(pence);
    return *this;
  }
  const v1::Case& get() const { return c_; }

 private:
  v1::Event& Add(int y, int m, int d) {
    v1::Event& e = *c_.add_events();
    *e.mutable_when() = On(y, m, d);
    return e;
  }
  v1::Case c_;
};

inline v1::Interaction MakeInteraction(std::string id, const v1::When& at,
                                       v1::InteractionKind kind,
                                       std::string directorate = "Housing",
                                       std::string service = "Repairs",
                                       std::string case_ref = "") {
  v1::Interaction i;
  i.set_id(std::move(id));
  *i.mutable_at() = at;
  i.set_kind(kind);
  i.set_channel(v1::CHANNEL_PHONE);
  i.set_directorate(std::move(directorate));
  i.set_service(std::move(service));
  i.set_case_ref(std::move(case_ref));
  return i;
}

// A random valid complaint history from 2022 to 2024: every prefix of it
// (in date order) is valid too.
inline v1::Case RandomHistory(std::mt19937_64& rng, int n) {
  auto chance = [&](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
  };
  auto gap = [&](int max) {
    return std::uniform_int_distribution<int>(0, max)(rng);
  };
  absl::CivilDay day(2022, 1, 1);
  day += gap(700);
  CaseBuilder b("R-" + std::to_string(n));
  b.Received(day.year(), day.month(), day.day());
  auto at = [&](int max) {
    day += gap(max);
    return day;
  };
  auto outcome = [&] {
    return static_cast<v1::Outcome>(
        std::uniform_int_distribution<int>(1, 3)(rng));
  };
  const absl::CivilDay received = day;
  bool pending = true;
  absl::CivilDay extended_to = received;
  if (chance(80)) {
    auto d = at(8);
    b.Ack(v1::STAGE_1, d.year(), d.month(), d.day());
  }
  if (chance(20)) {
    auto d = received + 15 + gap(20);
    extended_to = d;
    b.Extend(v1::STAGE_1, d.year(), d.month(), d.day());
  }
  if (chance(85)) {
    auto d = at(25);
    b.Respond(v1::STAGE_1, d.year(), d.month(), d.day(), outcome());
    pending = false;
    if (chance(30)) {
      auto e = at(30);
      b.Escalate(e.year(), e.month(), e.day());
      pending = true;
      if (chance(70)) {
        auto a = at(6);
        b.Ack(v1::STAGE_2, a.year(), a.month(), a.day());
      }
      if (chance(70)) {
        auto r = at(40);
        b.Respond(v1::STAGE_2, r.year(), r.month(), r.day(), outcome());
        pending = false;
      }
    }
  }
  if (pending && chance(25)) {
    // Nothing but lessons and the Ombudsman may follow a withdrawal.
    if (day < extended_to) day = extended_to;
    auto w = at(10);
    b.Withdraw(w.year(), w.month(), w.day());
  }
  if (chance(30)) {
    auto l = at(20);
    b.Lesson(l.year(), l.month(), l.day());
  }
  if (chance(10)) {
    auto r = at(90);
    const bool hos = chance(50);
    b.Refer(hos ? v1::OMBUDSMAN_BODY_HOS : v1::OMBUDSMAN_BODY_LGSCO, r.year(),
            r.month(), r.day());
    if (chance(60)) {
      auto dd = at(120);
      b.Decide(hos ? v1::OMBUDSMAN_DECISION_MALADMINISTRATION
                   : v1::OMBUDSMAN_DECISION_UPHELD_SATISFACTORY_REMEDY,
               dd.year(), dd.month(), dd.day());
    }
  }
  if (chance(10)) b.Remedy(gap(50000));
  return b.get();
}

}  // namespace tellus

#endif  // TELLUS_TESTS_CASE_BUILDER_H_

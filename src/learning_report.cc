#include "learning_report.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tellus/report.h"

namespace tellus::learning_report {
namespace {

v1::Value Count(int64_t n, const Suppression& s) {
  v1::Value v;
  if (s.on && n >= 1 && n <= s.threshold) {
    v.mutable_suppressed()->set_shown_as(absl::StrCat("<", s.threshold + 1));
  } else {
    v.set_count(n);
  }
  return v;
}

v1::Value Ratio(int64_t numerator, int64_t denominator, const Suppression& s) {
  v1::Value v;
  const auto hides = [&](int64_t n) {
    return s.on && n >= 1 && n <= s.threshold;
  };
  if (hides(numerator) || hides(denominator)) {
    v.mutable_suppressed()->set_shown_as(absl::StrCat("<", s.threshold + 1));
  } else {
    v.mutable_ratio()->set_numerator(numerator);
    v.mutable_ratio()->set_denominator(denominator);
  }
  return v;
}

v1::Change ChangeOf(const v1::Value& now, const v1::Value& before) {
  v1::Change c;
  if (now.has_count() && before.has_count() && before.count() != 0) {
    c.set_relative(static_cast<double>(now.count() - before.count()) /
                   static_cast<double>(before.count()));
  } else if (now.has_ratio() && before.has_ratio() &&
             now.ratio().denominator() != 0 &&
             before.ratio().denominator() != 0) {
    const double a = static_cast<double>(now.ratio().numerator()) /
                     static_cast<double>(now.ratio().denominator());
    const double b = static_cast<double>(before.ratio().numerator()) /
                     static_cast<double>(before.ratio().denominator());
    c.set_percentage_points(100.0 * (a - b));
    if (b != 0) c.set_relative((a - b) / b);
  }
  return c;
}

void AddMetric(absl::string_view key, v1::Value current, v1::Value previous,
               google::protobuf::RepeatedPtrField<v1::Metric>& out) {
  v1::Metric& m = *out.Add();
  m.set_key(std::string(key));
  *m.mutable_change() = ChangeOf(current, previous);
  *m.mutable_current() = std::move(current);
  *m.mutable_previous() = std::move(previous);
}

// Theme counts of one directorate, or of all ("" filter off).
struct ThemeSums {
  int64_t current = 0, previous = 0;
  int64_t by_type[3] = {0, 0, 0};  // complaint, compliment, enquiry
};

void AddThemes(const std::map<std::string, ThemeSums>& themes,
               const Suppression& s,
               google::protobuf::RepeatedPtrField<v1::ThemeCount>& out) {
  std::vector<std::pair<std::string, ThemeSums>> sorted(themes.begin(),
                                                        themes.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) {
                     return a.second.current > b.second.current;
                   });
  for (const auto& [theme, sums] : sorted) {
    v1::ThemeCount& t = *out.Add();
    t.set_theme(theme);
    *t.mutable_current() = Count(sums.current, s);
    *t.mutable_previous() = Count(sums.previous, s);
    *t.mutable_complaints() = Count(sums.by_type[0], s);
    *t.mutable_compliments() = Count(sums.by_type[1], s);
    *t.mutable_enquiries() = Count(sums.by_type[2], s);
  }
}

}  // namespace

const std::vector<Figure>& AddedFigures() {
  static const auto* const figures = new std::vector<Figure>{
      {"ombudsman_recommendations_complied",
       "ombudsman_recommendations_complied_on_time",
       "ombudsman_recommendations_due"},
      {"ombudsman_recommendations_overdue",
       "ombudsman_recommendations_overdue"},
      {"lessons_recorded", "lessons_recorded"},
      {"remedies_apology", "remedies_apology"},
      {"remedies_action", "remedies_action"},
      {"remedies_policy_change", "remedies_policy_change"},
      {"remedies_other", "remedies_other"},
      {"compliments_route_contact_centre", "compliments_route_contact_centre"},
      {"compliments_route_direct_to_service",
       "compliments_route_direct_to_service"},
      {"compliments_route_councillor", "compliments_route_councillor"},
      {"compliments_route_mp", "compliments_route_mp"},
      {"compliments_route_chief_executive",
       "compliments_route_chief_executive"},
      {"compliments_route_social_media", "compliments_route_social_media"},
      {"compliments_route_other", "compliments_route_other"},
      {"compliments_route_not_known", "compliments_route_not_known"},
  };
  return *figures;
}

const std::vector<absl::string_view>& DirectorateKeys() {
  static const auto* const keys = [] {
    auto* k = new std::vector<absl::string_view>{
        "lessons_recorded", "lessons_actions_overdue",
        "remedy_pence",     "remedies_apology",
        "remedies_action",  "remedies_policy_change",
        "remedies_other",   "compliments"};
    for (const Figure& f : AddedFigures()) {
      if (absl::StartsWith(f.key, "compliments_route_")) k->push_back(f.key);
    }
    k->push_back("ombudsman_recommendations_complied");
    k->push_back("ombudsman_recommendations_overdue");
    return k;
  }();
  return *keys;
}

v1::Value TotalValue(const LearningPartial& partial, const Figure& figure,
                     int period) {
  const Suppression none;
  const int64_t n = partial.Total(figure.numerator, period);
  if (figure.denominator.empty()) return Count(n, none);
  return Ratio(n, partial.Total(figure.denominator, period), none);
}

void Fill(const PartialAggregate& merged, const Suppression& s,
          v1::AnnualReport& report) {
  const LearningPartial& partial = merged.learning();
  v1::LearningReport& out = *report.mutable_learning();

  // Directorates: the report's, and every directorate a lesson names.
  std::set<std::string> directorates;
  for (const v1::DirectorateReport& d : report.by_directorate()) {
    directorates.insert(d.directorate());
  }
  for (const auto& [key, values] : partial.counts()) {
    if (!key.second.empty()) directorates.insert(key.second);
  }
  // Money and compliments come from the main counters, by directorate.
  std::map<std::string, std::array<Counters, 2>> main;
  for (size_t cell = 0; cell < merged.cell_count(); ++cell) {
    const std::string& d = merged.cell_name(cell).first;
    if (d.empty()) continue;
    auto& sums = main[d];
    for (int p = 0; p < 2; ++p) {
      for (int i = 0; i < kCounterCount; ++i) {
        sums[p][i] += merged.counters(cell, p)[i];
      }
    }
  }

  // Themes: "theme:<type>:<theme>".
  std::map<std::string, ThemeSums> all_themes;
  std::map<std::string, std::map<std::string, ThemeSums>> themes_of;
  for (const auto& [key, values] : partial.counts()) {
    absl::string_view rest = key.first;
    if (!absl::ConsumePrefix(&rest, "theme:")) continue;
    const size_t colon = rest.find(':');
    if (colon == absl::string_view::npos) continue;
    const absl::string_view type = rest.substr(0, colon);
    const std::string theme(rest.substr(colon + 1));
    const int t = type == "complaint" ? 0 : type == "compliment" ? 1 : 2;
    for (ThemeSums* sums :
         {&all_themes[theme], &themes_of[key.second][theme]}) {
      sums->current += values[0];
      sums->previous += values[1];
      sums->by_type[t] += values[0];
    }
  }

  for (const std::string& name : directorates) {
    v1::DirectorateLearning& d = *out.add_by_directorate();
    d.set_directorate(name);
    const auto& sums = main[name];
    for (absl::string_view key : DirectorateKeys()) {
      v1::Value now, before;
      if (key == "remedy_pence") {
        now.set_count(sums[0][kRemedyPence]);  // money: never suppressed
        before.set_count(sums[1][kRemedyPence]);
      } else if (key == "compliments") {
        now = Count(sums[0][kCompliments], s);
        before = Count(sums[1][kCompliments], s);
      } else if (key == "ombudsman_recommendations_complied") {
        now = Ratio(
            partial.Get("ombudsman_recommendations_complied_on_time", name, 0),
            partial.Get("ombudsman_recommendations_due", name, 0), s);
        before = Ratio(
            partial.Get("ombudsman_recommendations_complied_on_time", name, 1),
            partial.Get("ombudsman_recommendations_due", name, 1), s);
      } else {
        now = Count(partial.Get(key, name, 0), s);
        before = Count(partial.Get(key, name, 1), s);
      }
      AddMetric(key, std::move(now), std::move(before), *d.mutable_metrics());
    }
    AddThemes(themes_of[name], s, *d.mutable_themes());
  }
  AddThemes(all_themes, Suppression(), *out.mutable_themes());

  // Council values shown by compliments: "value:<value>".
  std::map<std::string, std::array<int64_t, 2>> values;
  for (const auto& [key, counts] : partial.counts()) {
    absl::string_view rest = key.first;
    if (!absl::ConsumePrefix(&rest, "value:")) continue;
    auto& v = values[std::string(rest)];
    v[0] += counts[0];
    v[1] += counts[1];
  }
  std::vector<std::pair<std::string, std::array<int64_t, 2>>> sorted(
      values.begin(), values.end());
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const auto& a, const auto& b) { return a.second[0] > b.second[0]; });
  for (const auto& [value, counts] : sorted) {
    v1::LabelledValue& lv = *out.add_compliment_values();
    lv.set_label(value);
    lv.mutable_current()->set_count(counts[0]);
    lv.mutable_previous()->set_count(counts[1]);
  }
}

}  // namespace tellus::learning_report

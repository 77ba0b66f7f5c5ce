#include "tellus/dataset.h"

#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tellus/dates.h"
#include "tellus/fields.h"

namespace tellus {
namespace {

TEST(CellDictionaryTest, EachPairHasOneCode) {
  CellDictionary cells;
  const uint32_t housing_repairs = cells.Intern("Housing", "Repairs");
  const uint32_t housing = cells.Intern("Housing", "");
  EXPECT_NE(housing_repairs, housing);
  EXPECT_NE(housing_repairs, CellDictionary::kNoDirectorate);
  EXPECT_EQ(cells.Intern("Housing", "Repairs"), housing_repairs);
  EXPECT_EQ(cells.Intern("Housing", ""), housing);
  // The pair, not the concatenation, names a cell.
  EXPECT_NE(cells.Intern("HousingR", "epairs"), housing_repairs);
  EXPECT_EQ(cells.Intern("", "Repairs"), CellDictionary::kNoDirectorate);
  EXPECT_EQ(cells.directorate(housing_repairs), "Housing");
  EXPECT_EQ(cells.service(housing_repairs), "Repairs");
}

// Links left pending in a block (read before its builder held the cases)
// and resolved after: the same columns as links made as the rows came.
TEST(InteractionBlockTest, PendingLinksResolveAsIfMadeAtOnce) {
  DatasetBuilder builder;
  for (const char* ref : {"C-1", "C-2", "C-3"}) {
    v1::Case c;
    c.set_ref(ref);
    c.set_type(v1::CASE_TYPE_COMPLAINT);
    c.set_directorate("Housing");
    *c.mutable_received()->mutable_date() = ToProto(absl::CivilDay(2023, 5, 2));
    ASSERT_TRUE(builder.AddCase(c).ok());
  }
  const absl::CivilDay day(2023, 6, 1);
  const char* refs[] = {"C-2", "", "C-9", "C-1", "C-3", "", "C-2"};
  InteractionBlock at_once, later;
  for (size_t i = 0; i < std::size(refs); ++i) {
    const auto kind = static_cast<v1::InteractionKind>(1 + i % 5);
    // Row 3 is linked at once in both, as a row read after the cases is.
    const bool known = i == 3;
    at_once.Add(day, "Housing", "", kind, refs[i],
                *refs[i] ? builder.FindCase(refs[i]) : std::nullopt);
    later.Add(day, "Housing", "", kind, refs[i],
              known ? builder.FindCase(refs[i]) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<uint32_t>>> seen;
  later.ResolvePending(builder,
                       [&](absl::string_view ref, std::optional<uint32_t> row) {
                         seen.emplace_back(std::string(ref), row);
                       });
  const std::vector<std::pair<std::string, std::optional<uint32_t>>> want = {
      {"C-2", 1u}, {"C-9", std::nullopt}, {"C-3", 2u}, {"C-2", 1u}};
  EXPECT_EQ(seen, want);

  DatasetBuilder a = builder, b = builder;
  a.AppendInteractions(at_once);
  b.AppendInteractions(later);
  const Dataset x = std::move(a).Build();
  const Dataset y = std::move(b).Build();
  EXPECT_EQ(x.interactions().linked_row, y.interactions().linked_row);
  EXPECT_EQ(x.interactions().linked_case, y.interactions().linked_case);
  EXPECT_EQ(x.interactions().linked_kind, y.interactions().linked_kind);
  EXPECT_EQ(x.interactions().linked_row, (std::vector<uint32_t>{0, 3, 4, 6}));
  EXPECT_EQ(x.unlinked_interactions(), 1);
  EXPECT_EQ(y.unlinked_interactions(), 1);
}

// Names alike in length and in their first and last eight bytes share an
// entry of the memo of recent lookups; each must still get its own code,
// in any order of lookups.
TEST(CellDictionaryTest, NamesAlikeAtBothEndsKeepTheirOwnCodes) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (char d = 'A'; d <= 'H'; ++d) {
    for (char s = 'a'; s <= 'h'; ++s) {
      pairs.emplace_back(std::string("Director") + d + "ate Services",
                         std::string("Repairs ") + s + " and Maintenance");
    }
  }
  pairs.emplace_back("ab", "c");
  pairs.emplace_back("a", "bc");
  pairs.emplace_back("abc", "");
  CellDictionary cells;
  std::vector<uint32_t> codes;
  for (const auto& [d, s] : pairs) codes.push_back(cells.Intern(d, s));
  EXPECT_EQ(cells.size(), pairs.size() + 1);  // and cell 0
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    const size_t k = rng() % pairs.size();
    ASSERT_EQ(cells.Intern(pairs[k].first, pairs[k].second), codes[k]) << k;
    ASSERT_EQ(cells.directorate(codes[k]), pairs[k].first);
    ASSERT_EQ(cells.service(codes[k]), pairs[k].second);
  }
}

// SeenDay must agree with SeenBy for every event and every as-of time: it
// only skips reading seen_from where the days alone decide.
TEST(EventColumnTest, SeenDayAgreesWithSeenByAroundTheClockChanges) {
  // Days around the spring and autumn changes of 2024 and an ordinary day.
  const absl::CivilDay days[] = {
      absl::CivilDay(2024, 3, 30),  absl::CivilDay(2024, 3, 31),
      absl::CivilDay(2024, 4, 1),   absl::CivilDay(2024, 10, 26),
      absl::CivilDay(2024, 10, 27), absl::CivilDay(2024, 10, 28),
      absl::CivilDay(2024, 6, 15)};
  EventColumn column;
  std::vector<EventTime> events;
  std::mt19937_64 rng(5);
  for (const absl::CivilDay day : days) {
    events.push_back(EventTime::OnDate(day));
    for (int i = 0; i < 40; ++i) {
      // Any second of the London day, and either side of its edges.
      const absl::Time start = StartOfLondonDay(day);
      const int64_t span =
          absl::ToInt64Seconds(StartOfLondonDay(day + 1) - start) + 7200;
      events.push_back(EventTime::At(
          start + absl::Seconds(static_cast<int64_t>(rng() % span) - 3600)));
    }
  }
  for (const EventTime& e : events) column.Append(e);
  column.Append(std::nullopt);

  size_t seen = 0, unseen = 0;
  for (int i = 0; i < 4000; ++i) {
    const EventTime& around = events[rng() % events.size()];
    const absl::Time as_of =
        around.SeenFrom() +
        absl::Seconds(static_cast<int64_t>(rng() % 7201) - 3600);
    const int64_t as_of_seconds = absl::ToUnixSeconds(as_of);
    const int32_t as_of_day = DayNumber(LondonDate(as_of));
    for (size_t row = 0; row < column.day.size(); ++row) {
      const int32_t expected =
          column.SeenBy(row, as_of_seconds) ? column.day[row] : kNoDay;
      ASSERT_EQ(column.SeenDay(row, as_of_day, as_of_seconds), expected)
          << "row " << row << ", as of " << absl::FormatTime(as_of);
      (expected == kNoDay ? unseen : seen) += 1;
    }
  }
  EXPECT_GT(seen, 1000u);  // both answers are exercised
  EXPECT_GT(unseen, 1000u);
}

TEST(EventColumnTest, AnAbsentEventIsNeverSeen) {
  EventColumn column;
  column.Append(std::nullopt);
  EXPECT_EQ(column.SeenDay(0, DayNumber(absl::CivilDay(2100, 1, 1)),
                           absl::ToUnixSeconds(absl::InfiniteFuture())),
            kNoDay);
}

TEST(EventColumnTest, ADateIsSeenFromTheStartOfItsLondonDay) {
  EventColumn column;
  column.Append(EventTime::OnDate(absl::CivilDay(2024, 7, 1)));
  const absl::Time start = StartOfLondonDay(absl::CivilDay(2024, 7, 1));
  const int32_t day = DayNumber(absl::CivilDay(2024, 7, 1));
  // 2024-06-30T23:00:00Z is midnight in London (BST).
  EXPECT_EQ(start, absl::FromUnixSeconds(1719788400));
  EXPECT_EQ(column.SeenDay(0, day, absl::ToUnixSeconds(start)), day);
  EXPECT_EQ(column.SeenDay(0, day - 1, absl::ToUnixSeconds(start) - 1), kNoDay);
}

}  // namespace
}  // namespace tellus

// LinkBatch: links looked up a batch at a time land as one at a time would.
#include "../src/link_batch.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "case_builder.h"
#include "gtest/gtest.h"
#include "tellus/dataset.h"

namespace tellus {
namespace {

// Builders holding `cases` complaints CMP-0 .. CMP-<cases - 1>.
DatasetBuilder WithCases(int cases) {
  DatasetBuilder builder;
  for (int i = 0; i < cases; ++i) {
    EXPECT_TRUE(
        builder.AddCase(CaseBuilder(absl::StrCat("CMP-", i)).get()).ok());
  }
  return builder;
}

TEST(LinkBatchTest, BatchedLinksEqualLinksMadeOneAtATime) {
  constexpr int kCases = 3000;
  DatasetBuilder one_at_a_time = WithCases(kCases);
  DatasetBuilder batched = WithCases(kCases);
  LinkBatch links;
  auto resolve = [&] {
    links.Resolve(batched,
                  [&](uint32_t row, v1::InteractionKind kind,
                      absl::string_view ref, std::optional<uint32_t> case_row) {
                    batched.LinkInteraction(row, kind, ref, case_row);
                  });
  };
  std::mt19937_64 rng(7);
  const absl::CivilDay day(2023, 6, 1);
  int full = 0;
  for (int row = 0; row < 10000; ++row) {
    // Most rows name no case; some a known case, some an unknown one.
    std::string ref;
    switch (rng() % 4) {
      case 0:
        ref = absl::StrCat("CMP-", rng() % kCases);
        break;
      case 1:
        ref = absl::StrCat("CMP-", kCases + rng() % 100);  // unknown
        break;
      default:
        break;
    }
    const auto kind = static_cast<v1::InteractionKind>(1 + rng() % 5);
    one_at_a_time.AddInteraction(day, "Housing", "", kind, ref);
    batched.AddInteraction(day, "Housing", "", kind, "", std::nullopt);
    if (!ref.empty() && links.Add(static_cast<uint32_t>(row), kind, ref)) {
      ++full;
      resolve();
    }
  }
  resolve();
  EXPECT_GT(full, 10);  // the batch filled many times
  EXPECT_TRUE(links.empty());

  const Dataset want = std::move(one_at_a_time).Build();
  const Dataset got = std::move(batched).Build();
  const InteractionTable& w = want.interactions();
  const InteractionTable& g = got.interactions();
  EXPECT_EQ(g.linked_row, w.linked_row);
  EXPECT_EQ(g.linked_case, w.linked_case);
  EXPECT_EQ(g.linked_kind, w.linked_kind);
  EXPECT_EQ(got.unlinked_interactions(), want.unlinked_interactions());
  EXPECT_GT(want.unlinked_interactions(), 0);
  EXPECT_GT(w.linked_row.size(), 1000u);
}

TEST(LinkBatchTest, ResolvesAgainstABuilderWithoutCases) {
  DatasetBuilder builder;
  LinkBatch links;
  builder.AddInteraction(absl::CivilDay(2023, 6, 1), "", "",
                         v1::INTERACTION_KIND_FOLLOW_UP, "", std::nullopt);
  EXPECT_FALSE(links.Add(0, v1::INTERACTION_KIND_FOLLOW_UP, "CMP-1"));
  int calls = 0;
  links.Resolve(builder,
                [&](uint32_t row, v1::InteractionKind kind,
                    absl::string_view ref, std::optional<uint32_t> case_row) {
                  ++calls;
                  EXPECT_EQ(row, 0u);
                  EXPECT_EQ(kind, v1::INTERACTION_KIND_FOLLOW_UP);
                  EXPECT_EQ(ref, "CMP-1");
                  EXPECT_EQ(case_row, std::nullopt);
                });
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace tellus

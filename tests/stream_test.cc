// The streamed report (interactions aggregated a chunk at a time) is the
// in-memory one, whatever the chunk size.
#include "tellus/stream.h"

#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tellus/generator.h"
#include "tellus/import.h"
#include "tellus/report.h"

namespace tellus {
namespace {

v1::ReportSettings Request(const std::string& period,
                           const std::string& as_of) {
  v1::ReportSettings r;
  r.set_period(period);
  r.set_as_of(as_of);
  r.set_homes(30000);
  return r;
}

class StreamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(
        (std::filesystem::temp_directory_path() /
         ("tellus_stream_test_" +
          std::to_string(::testing::UnitTest::GetInstance()->random_seed())))
            .string());
    GeneratorOptions options;
    options.contact_volume = 0.01;  // all cases, a few thousand contacts
    ASSERT_TRUE(GenerateToDirectory(options, *dir_).ok());
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    std::filesystem::remove_all(*dir_, ignored);
    delete dir_;
  }

  static std::string InMemory(const v1::ReportSettings& request) {
    DatasetSink sink;
    Importer importer(sink, nullptr);
    EXPECT_TRUE(importer.ImportCases(*dir_ + "/cases.csv").ok());
    EXPECT_TRUE(importer.ImportInteractions(*dir_ + "/interactions.csv").ok());
    const Dataset data = std::move(sink).Build();
    auto report = BuildReport(data, request, 1);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? report->SerializeAsString() : "";
  }

  static std::string Streamed(const v1::ReportSettings& request,
                              size_t chunk_rows) {
    auto settings = ResolveSettings(request, absl::Now());
    EXPECT_TRUE(settings.ok());
    AggregatingSink sink(*settings, chunk_rows);
    Importer importer(sink, nullptr);
    EXPECT_TRUE(importer.ImportCases(*dir_ + "/cases.csv").ok());
    EXPECT_TRUE(importer.ImportInteractions(*dir_ + "/interactions.csv").ok());
    EXPECT_GT(sink.interactions(), 10000);
    auto report = BuildReport(std::move(sink).Finish(), request);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? report->SerializeAsString() : "";
  }

  static std::string* dir_;
};

std::string* StreamTest::dir_ = nullptr;

TEST_F(StreamTest, AnyChunkSizeGivesTheInMemoryReport) {
  for (const auto& request :
       {Request("2023/24", "2024-06-30"), Request("2022/23", "2023-05-31"),
        Request("2023-05-10..2023-08-20", "2024-01-01")}) {
    const std::string expected = InMemory(request);
    ASSERT_FALSE(expected.empty());
    // Chunks of a few rows for one request only: they are slow in a debug
    // build, and a chunk boundary is a chunk boundary.
    std::vector<size_t> chunks = {977, 20000,
                                  AggregatingSink::kDefaultChunkRows};
    if (request.period() == "2023/24") chunks.push_back(3);
    for (size_t chunk : chunks) {
      EXPECT_EQ(Streamed(request, chunk), expected)
          << request.period() << ", chunks of " << chunk;
    }
  }
}

TEST(AggregatingSinkTest, RefusesACaseAfterInteractions) {
  auto settings =
      ResolveSettings(Request("2023/24", "2024-06-30"), absl::Now());
  ASSERT_TRUE(settings.ok());
  AggregatingSink sink(*settings);
  v1::Interaction i;
  i.set_id("I1");
  i.set_kind(v1::INTERACTION_KIND_CONTACT);
  v1::Interaction scratch;
  InteractionRow row;
  row.id = "I1";
  row.at = EventTime::OnDate(absl::CivilDay(2023, 6, 1));
  row.kind = v1::INTERACTION_KIND_CONTACT;
  ASSERT_TRUE(sink.OnInteractionRow(row, scratch).ok());
  v1::Case c;
  c.set_ref("C1");
  EXPECT_EQ(sink.OnCase(c, CaseState{}).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tellus

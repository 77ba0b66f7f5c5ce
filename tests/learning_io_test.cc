// Restrictions in data directories: written, read back and validated by
// LoadDataDir; and the learning fixture's committed files.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "learning_fixture.h"
#include "tellus/proto_io.h"
#include "tellus/restriction_check.h"

namespace tellus {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class LearningIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::path(::testing::TempDir()) /
            ::testing::UnitTest::GetInstance()->current_test_info()->name())
               .string();
    fs::remove_all(dir_);
    fixture_ = MakeLearningFixture();
    ASSERT_TRUE(WriteDataDir(dir_, fixture_.cases, {}).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir_;
  LearningFixture fixture_;
};

TEST_F(LearningIoTest, ADirectoryWithoutRestrictionsHasNone) {
  auto data = LoadDataDir(dir_);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_TRUE(data->learning().restrictions.empty());
  // The learning records of the cases come through.
  EXPECT_EQ(data->learning().lessons.size(), 6u);
  EXPECT_EQ(data->learning().actions.size(), 6u);
  EXPECT_EQ(data->learning().recommendations.size(), 4u);
}

TEST_F(LearningIoTest, RestrictionsInEitherForm) {
  for (StreamFormat format :
       {StreamFormat::kDelimited, StreamFormat::kJsonLines}) {
    ASSERT_TRUE(WriteRestrictions(dir_, fixture_.restrictions, format).ok());
    auto files = FindDataDirFiles(dir_);
    ASSERT_TRUE(files.ok());
    EXPECT_THAT(
        files->restrictions,
        HasSubstr(format == StreamFormat::kJsonLines ? "restrictions.jsonl"
                                                     : "restrictions.binpb"));
    auto data = LoadDataDir(dir_);
    ASSERT_TRUE(data.ok()) << data.status();
    ASSERT_EQ(data->learning().restrictions.size(), 5u);
    EXPECT_EQ(data->learning().restrictions[0].arrangement(),
              "email only, to the Housing Officer");
  }
  // Writing one form removed the other.
  EXPECT_FALSE(fs::exists(fs::path(dir_) / "restrictions.binpb"));
}

TEST_F(LearningIoTest, AnInvalidOrRepeatedRestrictionFailsTheRead) {
  std::vector<v1::Restriction> bad = fixture_.restrictions;
  bad[1].set_id("RS1");
  ASSERT_TRUE(WriteRestrictions(dir_, bad).ok());
  auto data = LoadDataDir(dir_);
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(std::string(data.status().message()),
              HasSubstr("restrictions.binpb: record 2: restriction RS1: the "
                        "id is already used"));

  bad = fixture_.restrictions;
  *bad[2].mutable_review() = Day(2020, 1, 1);
  ASSERT_TRUE(WriteRestrictions(dir_, bad).ok());
  data = LoadDataDir(dir_);
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(std::string(data.status().message()),
              HasSubstr("record 3: restriction RS3: review date 2020-01-01 "
                        "precedes the start 2022-09-01"));
}

TEST_F(LearningIoTest, BothFormsAtOnceIsAnError) {
  ASSERT_TRUE(WriteRestrictions(dir_, fixture_.restrictions).ok());
  std::ofstream(fs::path(dir_) / "restrictions.jsonl") << "\n";
  auto data = LoadDataDir(dir_);
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(std::string(data.status().message()),
              HasSubstr("holds both restrictions.binpb and "
                        "restrictions.jsonl"));
}

}  // namespace
}  // namespace tellus

namespace tellus {
namespace {

// tests/data/learning is the learning fixture as a data directory of JSON
// Lines, for the tests that cannot build it in C++ (the Python bindings' and
// the store's end-to-end tests). With TELLUS_WRITE_LEARNING_FIXTURE=1 this
// test writes it again from MakeLearningFixture().
TEST(LearningFixtureFilesTest, AreTheLearningFixture) {
  const std::string dir = TELLUS_TEST_DATA_DIR "/learning";
  const LearningFixture f = MakeLearningFixture();
  if (std::getenv("TELLUS_WRITE_LEARNING_FIXTURE") != nullptr) {
    ProtoStreamSinkOptions options;
    options.format = StreamFormat::kJsonLines;
    ASSERT_TRUE(WriteDataDir(dir, f.cases, {}, options).ok());
    ASSERT_TRUE(
        WriteRestrictions(dir, f.restrictions, StreamFormat::kJsonLines).ok());
  }
  std::vector<v1::Case> cases;
  ASSERT_TRUE(ForEachCase(dir + "/cases.jsonl", [&](const v1::Case& c) {
                cases.push_back(c);
                return absl::OkStatus();
              }).ok());
  ASSERT_EQ(cases.size(), f.cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(cases[i],
                                                                   f.cases[i]))
        << f.cases[i].ref();
  }
  absl::StatusOr<std::vector<v1::Restriction>> restrictions =
      ReadRestrictions(dir + "/restrictions.jsonl");
  ASSERT_TRUE(restrictions.ok()) << restrictions.status();
  ASSERT_EQ(restrictions->size(), f.restrictions.size());
  for (size_t i = 0; i < restrictions->size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
        (*restrictions)[i], f.restrictions[i]))
        << f.restrictions[i].id();
  }
}

}  // namespace
}  // namespace tellus

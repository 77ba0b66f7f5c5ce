#include "tellus/proto_io.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "case_builder.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tellus/csv_reader.h"
#include "tellus/import.h"

namespace tellus {
namespace {

namespace fs = std::filesystem;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using v1::STAGE_1;
using v1::STAGE_2;

// Gives each test a fresh, empty directory, removed afterwards.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) /
            ("proto_io_test_" + std::to_string(::getpid()));
    const fs::path dir =
        root_ / (std::string(info->test_suite_name()) + "." + info->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    dir_ = dir.string();
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

  fs::path root_;
  std::string dir_;
};

using ProtoIoDelimitedTest = TempDirTest;
using ProtoIoJsonLinesTest = TempDirTest;
using ProtoIoRoundTripTest = TempDirTest;
using ProtoIoDataDirTest = TempDirTest;
using ProtoStreamSinkTest = TempDirTest;
using ProtoIoForEachTest = TempDirTest;

std::string Join(const std::string& dir, absl::string_view name) {
  return (fs::path(dir) / std::string(name)).string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::vector<std::string> FileNames(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

// Cases that use every kind of event, both forms of When, attributes and a
// source.
std::vector<v1::Case> SampleCases() {
  std::vector<v1::Case> cases;
  v1::Case c1 = CaseBuilder("C1")
                    .In("Housing", "Repairs")
                    .ReceivedAt(AtUtc(2023, 5, 2, 8, 30))
                    .Ack(STAGE_1, 2023, 5, 3)
                    .Extend(STAGE_1, 2023, 5, 30)
                    .Respond(STAGE_1, 2023, 5, 25, v1::OUTCOME_NOT_UPHELD)
                    .Escalate(2023, 6, 1)
                    .Ack(STAGE_2, 2023, 6, 2)
                    .Respond(STAGE_2, 2023, 6, 20, v1::OUTCOME_PARTLY_UPHELD)
                    .Remedy(15050)
                    .Lesson(2023, 7, 1)
                    .Refer(v1::OMBUDSMAN_BODY_HOS, 2023, 8, 1)
                    .Decide(v1::OMBUDSMAN_DECISION_SERVICE_FAILURE, 2023, 12, 1)
                    .get();
  c1.set_channel(v1::CHANNEL_EMAIL);
  c1.set_customer("CUST-1");
  c1.mutable_source()->set_file("cases.csv");
  c1.mutable_source()->set_line(2);
  v1::Attribute* a = c1.add_attributes();
  a->set_name("Ward");
  a->set_value("North, \"upper\"\nsecond line");
  cases.push_back(c1);

  v1::Case c2 =
      CaseBuilder("C2", v1::CASE_TYPE_COMPLIMENT).In("Environment", "").get();
  c2.set_team("Crew 4");
  c2.set_staff("A. Smith");
  cases.push_back(c2);

  cases.push_back(
      CaseBuilder("C3").Received(2023, 9, 1).Withdraw(2023, 9, 3).get());
  return cases;
}

std::vector<v1::Interaction> SampleInteractions() {
  std::vector<v1::Interaction> out;
  out.push_back(MakeInteraction("I1", AtUtc(2023, 5, 2, 8, 0),
                                v1::INTERACTION_KIND_COMPLAINT, "Housing",
                                "Repairs", "C1"));
  out.push_back(MakeInteraction("I2", On(2023, 5, 3),
                                v1::INTERACTION_KIND_CONTACT, "", ""));
  v1::Interaction i3 =
      MakeInteraction("I3", AtUtc(2023, 10, 29, 1, 30),
                      v1::INTERACTION_KIND_FOLLOW_UP, "Housing", "", "C404");
  i3.mutable_source()->set_file("interactions.csv");
  i3.mutable_source()->set_line(4);
  v1::Attribute* a = i3.add_attributes();
  a->set_name("Source System");
  a->set_value("CRM");
  out.push_back(i3);
  return out;
}

template <typename M>
void ExpectSame(const std::vector<M>& expected, const std::vector<M>& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    std::string diff;
    MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differencer.Compare(expected[i], actual[i]))
        << "message " << i << ": " << diff;
    EXPECT_TRUE(MessageDifferencer::Equals(expected[i], actual[i]));
  }
}

template <typename M>
absl::Status WriteDelimited(const std::string& path,
                            const std::vector<M>& messages) {
  auto writer = DelimitedWriter::Create(path);
  if (!writer.ok()) return writer.status();
  for (const M& m : messages) {
    if (absl::Status s = writer->Write(m); !s.ok()) return s;
  }
  return writer->Close();
}

template <typename M>
absl::StatusOr<std::vector<M>> ReadDelimited(DelimitedReader reader) {
  std::vector<M> out;
  M m;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(m);
    if (!more.ok()) return more.status();
    if (!*more) return out;
    out.push_back(m);
  }
}

template <typename M>
absl::StatusOr<std::vector<M>> ReadDelimited(const std::string& path) {
  auto reader = DelimitedReader::Open(path);
  if (!reader.ok()) return reader.status();
  return ReadDelimited<M>(*std::move(reader));
}

template <typename M>
absl::Status WriteJsonLines(const std::string& path,
                            const std::vector<M>& messages) {
  auto writer = JsonLinesWriter::Create(path);
  if (!writer.ok()) return writer.status();
  for (const M& m : messages) {
    if (absl::Status s = writer->Write(m); !s.ok()) return s;
  }
  return writer->Close();
}

template <typename M>
absl::StatusOr<std::vector<M>> ReadJsonLines(JsonLinesReader reader) {
  std::vector<M> out;
  M m;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(m);
    if (!more.ok()) return more.status();
    if (!*more) return out;
    out.push_back(m);
  }
}

template <typename M>
absl::StatusOr<std::vector<M>> ReadJsonLines(const std::string& path) {
  auto reader = JsonLinesReader::Open(path);
  if (!reader.ok()) return reader.status();
  return ReadJsonLines<M>(*std::move(reader));
}

// --- Delimited streams -----------------------------------------------------

TEST_F(ProtoIoDelimitedTest, RoundTripsCasesAndInteractions) {
  const std::string dir = dir_;
  const auto cases = SampleCases();
  const auto interactions = SampleInteractions();
  ASSERT_TRUE(WriteDelimited(Join(dir, "c.binpb"), cases).ok());
  ASSERT_TRUE(WriteDelimited(Join(dir, "i.binpb"), interactions).ok());

  auto cases_back = ReadDelimited<v1::Case>(Join(dir, "c.binpb"));
  ASSERT_TRUE(cases_back.ok()) << cases_back.status();
  ExpectSame(cases, *cases_back);
  auto interactions_back = ReadDelimited<v1::Interaction>(Join(dir, "i.binpb"));
  ASSERT_TRUE(interactions_back.ok()) << interactions_back.status();
  ExpectSame(interactions, *interactions_back);
}

TEST_F(ProtoIoDelimitedTest, EmptyStreamHasNoMessages) {
  const std::string dir = dir_;
  ASSERT_TRUE(
      WriteDelimited(Join(dir, "c.binpb"), std::vector<v1::Case>{}).ok());
  EXPECT_EQ(fs::file_size(Join(dir, "c.binpb")), 0u);
  auto back = ReadDelimited<v1::Case>(Join(dir, "c.binpb"));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_THAT(*back, IsEmpty());
}

TEST_F(ProtoIoDelimitedTest, ReadsAndWritesProtobufsOwnFraming) {
  const auto cases = SampleCases();
  // Written by protobuf's utility, read by DelimitedReader.
  std::ostringstream theirs;
  for (const v1::Case& c : cases) {
    ASSERT_TRUE(
        google::protobuf::util::SerializeDelimitedToOstream(c, &theirs));
  }
  auto back = ReadDelimited<v1::Case>(
      DelimitedReader::FromString(theirs.str(), "theirs"));
  ASSERT_TRUE(back.ok()) << back.status();
  ExpectSame(cases, *back);

  // Written by DelimitedWriter: the same bytes, and protobuf reads them.
  const std::string path = Join(dir_, "ours.binpb");
  ASSERT_TRUE(WriteDelimited(path, cases).ok());
  const std::string ours = ReadFile(path);
  EXPECT_EQ(ours, theirs.str());
  google::protobuf::io::ArrayInputStream in(ours.data(),
                                            static_cast<int>(ours.size()));
  for (const v1::Case& c : cases) {
    v1::Case m;
    bool clean_eof = false;
    ASSERT_TRUE(google::protobuf::util::ParseDelimitedFromZeroCopyStream(
        &m, &in, &clean_eof));
    EXPECT_TRUE(MessageDifferencer::Equals(c, m));
  }
  v1::Case m;
  bool clean_eof = false;
  EXPECT_FALSE(google::protobuf::util::ParseDelimitedFromZeroCopyStream(
      &m, &in, &clean_eof));
  EXPECT_TRUE(clean_eof);
}

TEST_F(ProtoIoDelimitedTest, ManyMessagesAcrossBlocks) {
  const std::string path = Join(dir_, "many.binpb");
  std::vector<v1::Interaction> many;
  for (int i = 0; i < 20000; ++i) {
    v1::Interaction m = MakeInteraction(
        "ID-" + std::to_string(i), AtUtc(2023, 1 + i % 12, 1 + i % 28, 9, 0),
        v1::INTERACTION_KIND_CONTACT);
    // Now and then a record larger than the reader's block.
    if (i % 5000 == 7) m.set_customer(std::string(300000, 'x'));
    many.push_back(std::move(m));
  }
  ASSERT_TRUE(WriteDelimited(path, many).ok());
  auto back = ReadDelimited<v1::Interaction>(path);
  ASSERT_TRUE(back.ok()) << back.status();
  ExpectSame(many, *back);
}

TEST_F(ProtoIoDelimitedTest, TruncatedStreamNamesFileAndRecord) {
  const std::string dir = dir_;
  const std::string path = Join(dir, "cases.binpb");
  const auto cases = SampleCases();
  ASSERT_TRUE(WriteDelimited(path, cases).ok());
  const std::string full = ReadFile(path);
  const size_t first = cases[0].ByteSizeLong() + 2;  // 2-byte size prefix
  ASSERT_GT(cases[0].ByteSizeLong(), 127u);
  const size_t second = cases[1].ByteSizeLong() + 1;

  // Cut in the middle of the second message.
  WriteFile(path, full.substr(0, first + second / 2));
  auto reader = DelimitedReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  v1::Case c;
  auto more = reader->Next(c);
  ASSERT_TRUE(more.ok()) << more.status();
  EXPECT_TRUE(*more);
  more = reader->Next(c);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(more.status().message(), HasSubstr(path));
  EXPECT_THAT(more.status().message(), HasSubstr("record 2"));
  EXPECT_THAT(more.status().message(), HasSubstr("truncated"));
  EXPECT_THAT(more.status().message(),
              HasSubstr("byte offset " + std::to_string(first)));
  // The error sticks.
  EXPECT_EQ(reader->Next(c).status(), more.status());

  // Cut inside the first message's two-byte size prefix.
  WriteFile(path, full.substr(0, 1));
  auto cut_prefix = ReadDelimited<v1::Case>(path);
  ASSERT_FALSE(cut_prefix.ok());
  EXPECT_THAT(cut_prefix.status().message(), HasSubstr("record 1"));
  EXPECT_THAT(cut_prefix.status().message(), HasSubstr("size prefix"));
}

TEST_F(ProtoIoDelimitedTest, GarbageIsAClearError) {
  // A plausible size, then bytes that are no Case (a field of wire type 7).
  auto bad = ReadDelimited<v1::Case>(DelimitedReader::FromString(
      std::string("\x05\xff\xff\xff\xff\xff", 6), "garbage.binpb"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(bad.status().message(), HasSubstr("garbage.binpb: record 1"));
  EXPECT_THAT(bad.status().message(), HasSubstr("not a valid tellus.v1.Case"));

  // Text: the first byte reads as a size the rest cannot fill.
  auto text = ReadDelimited<v1::Case>(DelimitedReader::FromString(
      "case_ref,type,received\nC1,complaint,2023-05-02\n", "cases.csv"));
  ASSERT_FALSE(text.ok());
  EXPECT_THAT(text.status().message(), HasSubstr("cases.csv: record 1"));
  EXPECT_THAT(text.status().message(),
              HasSubstr("not a delimited stream of tellus.v1.Case"));

  // A size prefix beyond the limit is refused before anything is allocated.
  auto huge = ReadDelimited<v1::Case>(DelimitedReader::FromString(
      std::string("\xff\xff\xff\xff\x0f", 5), "huge.binpb"));
  ASSERT_FALSE(huge.ok());
  EXPECT_THAT(huge.status().message(), HasSubstr("more than the limit"));
  // And a malformed prefix (more than ten continuation bytes).
  auto endless = ReadDelimited<v1::Case>(
      DelimitedReader::FromString(std::string(12, '\x80'), "endless.binpb"));
  ASSERT_FALSE(endless.ok());
  EXPECT_THAT(endless.status().message(), HasSubstr("size prefix"));
}

TEST_F(ProtoIoDelimitedTest, RespectsTheMessageSizeLimit) {
  const std::string path = Join(dir_, "c.binpb");
  ASSERT_TRUE(WriteDelimited(path, SampleCases()).ok());
  StreamReadOptions options;
  options.max_message_bytes = 16;
  auto reader = DelimitedReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  auto back = ReadDelimited<v1::Case>(*std::move(reader));
  ASSERT_FALSE(back.ok());
  EXPECT_THAT(back.status().message(), HasSubstr("limit of 16"));
}

// Random bytes, and valid streams with random damage: every read ends in
// messages or an error, never a crash (the asan preset checks the memory).
TEST_F(ProtoIoDelimitedTest, RandomDamageNeverCrashes) {
  std::mt19937 random(20240601);
  std::ostringstream valid;
  for (const v1::Case& c : SampleCases()) {
    google::protobuf::util::SerializeDelimitedToOstream(c, &valid);
  }
  const std::string good = valid.str();
  // Damaged strings make protobuf log about invalid UTF-8; the reader's
  // status is what matters here.
  google::protobuf::LogHandler* log = google::protobuf::SetLogHandler(nullptr);
  int errors = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bytes;
    if (round % 2 == 0) {
      bytes.resize(random() % 64);
      for (char& b : bytes) b = static_cast<char>(random());
    } else {
      bytes = good;
      for (int flips = 1 + random() % 4; flips > 0; --flips) {
        bytes[random() % bytes.size()] = static_cast<char>(random());
      }
      bytes.resize(random() % (bytes.size() + 1));
    }
    auto read = ReadDelimited<v1::Case>(
        DelimitedReader::FromString(bytes, "random.binpb"));
    if (!read.ok()) {
      ++errors;
      EXPECT_THAT(read.status().message(), HasSubstr("random.binpb: record"));
    }
  }
  google::protobuf::SetLogHandler(log);
  EXPECT_GT(errors, 1000);
}

TEST_F(ProtoIoDelimitedTest, MissingFileIsNotFound) {
  auto reader = DelimitedReader::Open(Join(dir_, "absent.binpb"));
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(reader.status().message(), HasSubstr("absent.binpb"));
}

TEST_F(ProtoIoDelimitedTest, CloseReportsWriteErrors) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  auto writer = DelimitedWriter::Create("/dev/full");
  ASSERT_TRUE(writer.ok()) << writer.status();
  // Buffered: the error shows when the buffer is written, at the latest in
  // Close().
  absl::Status status;
  for (int i = 0; i < 10 && status.ok(); ++i) {
    status = writer->Write(SampleCases()[0]);
  }
  if (status.ok()) status = writer->Close();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("/dev/full"));
  EXPECT_FALSE(writer->Write(SampleCases()[0]).ok());
}

// --- JSON Lines ------------------------------------------------------------

TEST_F(ProtoIoJsonLinesTest, RoundTripsWithProtoFieldNames) {
  const std::string dir = dir_;
  const auto cases = SampleCases();
  const auto interactions = SampleInteractions();
  ASSERT_TRUE(WriteJsonLines(Join(dir, "c.jsonl"), cases).ok());
  ASSERT_TRUE(WriteJsonLines(Join(dir, "i.jsonl"), interactions).ok());

  auto cases_back = ReadJsonLines<v1::Case>(Join(dir, "c.jsonl"));
  ASSERT_TRUE(cases_back.ok()) << cases_back.status();
  ExpectSame(cases, *cases_back);
  auto interactions_back = ReadJsonLines<v1::Interaction>(Join(dir, "i.jsonl"));
  ASSERT_TRUE(interactions_back.ok()) << interactions_back.status();
  ExpectSame(interactions, *interactions_back);

  // One object a line, names as in the .proto, enums by name.
  const std::string text = ReadFile(Join(dir, "i.jsonl"));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  EXPECT_THAT(text, HasSubstr("\"case_ref\":\"C1\""));
  EXPECT_THAT(text, HasSubstr("\"kind\":\"INTERACTION_KIND_FOLLOW_UP\""));
  EXPECT_THAT(text, HasSubstr("\"at\":\"2023-10-29T01:30:00Z\""));
  EXPECT_THAT(text, Not(HasSubstr("caseRef")));
  // The quoted newline stays inside its line.
  const std::string case_text = ReadFile(Join(dir, "c.jsonl"));
  EXPECT_EQ(std::count(case_text.begin(), case_text.end(), '\n'), 3);
}

TEST_F(ProtoIoJsonLinesTest, SkipsBlankLinesAndAcceptsCrlf) {
  const std::string text =
      "\n{\"id\":\"I1\",\"kind\":\"INTERACTION_KIND_CONTACT\"}\r\n"
      "   \r\n"
      "{\"id\":\"I2\",\"kind\":\"INTERACTION_KIND_ENQUIRY\"}";  // no last LF
  auto reader = JsonLinesReader::FromString(text, "i.jsonl");
  v1::Interaction m;
  auto more = reader.Next(m);
  ASSERT_TRUE(more.ok() && *more) << more.status();
  EXPECT_EQ(m.id(), "I1");
  EXPECT_EQ(reader.line(), 2);
  more = reader.Next(m);
  ASSERT_TRUE(more.ok() && *more) << more.status();
  EXPECT_EQ(m.id(), "I2");
  EXPECT_EQ(m.kind(), v1::INTERACTION_KIND_ENQUIRY);
  EXPECT_EQ(reader.line(), 4);
  more = reader.Next(m);
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(*more);

  // A leading byte-order mark is not JSON, and is skipped.
  auto bom = ReadJsonLines<v1::Interaction>(JsonLinesReader::FromString(
      "\xEF\xBB\xBF{\"id\":\"I1\"}\n", "bom.jsonl"));
  ASSERT_TRUE(bom.ok()) << bom.status();
  ASSERT_EQ(bom->size(), 1u);
  EXPECT_EQ((*bom)[0].id(), "I1");
}

TEST_F(ProtoIoJsonLinesTest, ErrorsNameTheLine) {
  const std::string text =
      "{\"id\":\"I1\"}\n"
      "{\"id\":\"I2\",\"kind\":\"INTERACTION_KIND_NONSENSE\"}\n";
  auto read = ReadJsonLines<v1::Interaction>(
      JsonLinesReader::FromString(text, "interactions.jsonl"));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("interactions.jsonl: line 2"));
  EXPECT_THAT(read.status().message(), HasSubstr("tellus.v1.Interaction"));

  auto broken = ReadJsonLines<v1::Interaction>(
      JsonLinesReader::FromString("{\"id\":\"I1\"}\n\n{\"id\":", "x.jsonl"));
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(broken.status().message(), HasSubstr("x.jsonl: line 3"));

  StreamReadOptions long_lines;
  long_lines.max_message_bytes = 8;
  auto too_long = ReadJsonLines<v1::Interaction>(
      JsonLinesReader::FromString("{\"id\":\"I1\"}\n", "x.jsonl", long_lines));
  ASSERT_FALSE(too_long.ok());
  EXPECT_THAT(too_long.status().message(), HasSubstr("line 1 is longer"));
}

TEST_F(ProtoIoJsonLinesTest, UnknownFieldsAreErrorsUnlessAskedToIgnore) {
  const std::string text = "{\"id\":\"I1\",\"mood\":\"cheerful\"}\n";
  auto refused = ReadJsonLines<v1::Interaction>(
      JsonLinesReader::FromString(text, "i.jsonl"));
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("i.jsonl: line 1"));
  EXPECT_THAT(refused.status().message(), HasSubstr("mood"));

  StreamReadOptions lenient;
  lenient.ignore_unknown_json_fields = true;
  auto read = ReadJsonLines<v1::Interaction>(
      JsonLinesReader::FromString(text, "i.jsonl", lenient));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ((*read)[0].id(), "I1");
}

// --- CSV -> protobuf -> JSON -> protobuf ------------------------------------

// Keeps what an import accepts.
class KeepingSink : public ImportSink {
 public:
  absl::Status OnCase(const v1::Case& c, const CaseState&) override {
    cases.push_back(c);
    return absl::OkStatus();
  }
  absl::Status OnInteraction(const v1::Interaction& i,
                             const EventTime&) override {
    interactions.push_back(i);
    return absl::OkStatus();
  }
  std::vector<v1::Case> cases;
  std::vector<v1::Interaction> interactions;
};

// A byte-order mark, CRLF, a header in odd case and spacing, unknown
// columns (one quoted with a comma and a newline), date-times with and
// without offsets, D/M/YYYY dates, money with a pound sign and a comma, an
// Ombudsman referral and decision, a lesson, a rejected row.
constexpr absl::string_view kMessyCases =
    "\xEF\xBB\xBF"
    " Case_Ref ,TYPE,Received,Directorate,Service,Channel,Customer,"
    "s1_acknowledged,s1_responded,s1_outcome,s2_requested,s2_acknowledged,"
    "s2_responded,s2_outcome,ombudsman,ombudsman_received,ombudsman_decision,"
    "ombudsman_decided,lessons_learnt,remedy_amount,team,staff,Notes,Ward\r\n"
    "CMP-1, Complaint ,2023-05-02T09:30:00+01:00,Housing,Repairs,Email,"
    "CUST-9,3/5/2023,2023-05-12,Partly Upheld,2023-05-20,22/05/2023,"
    "2023-06-15T16:45Z,not-upheld,LGSCO,2023-08-01,"
    "upheld satisfactory remedy,2023-11-30,2023-07-01,\"£1,250.00\",,,"
    "\"Leak, again\r\nsecond line\",North\r\n"
    "CMP-2,complaint,31/02/2023,Housing,,,,,,,,,,,,,,,,,,,bad date,\r\n"
    "\r\n"
    "CPL-1,compliment,2023-06-01 14:05,Environment,Waste,phone,,,,,,,,,,,,,,,"
    "Crew 4,A. Smith,,South\r\n";

constexpr absl::string_view kMessyInteractions =
    "interaction_id,at,channel,directorate,service,kind,customer,case_ref,"
    "Source System\n"
    "I-1,2023-05-02T09:00:00+01:00,phone,Housing,Repairs,complaint,CUST-9,"
    "CMP-1,CRM\n"
    "I-2,2023-05-03 10:15,Web,,,Contact,,,\n"
    "I-3,not a time,phone,,,contact,,,\n"
    "I-4,2023-10-29T01:30:00,email,Housing,,follow up,,CMP-404,\n";

TEST_F(ProtoIoRoundTripTest, CsvToProtobufToJsonToProtobufLosesNothing) {
  KeepingSink sink;
  RejectList rejects;
  Importer importer(sink, &rejects);
  CsvReader cases_csv = CsvReader::FromString(std::string(kMessyCases));
  ASSERT_TRUE(importer.ImportCases(cases_csv, "cases.csv").ok());
  CsvReader interactions_csv =
      CsvReader::FromString(std::string(kMessyInteractions));
  ASSERT_TRUE(
      importer.ImportInteractions(interactions_csv, "interactions.csv").ok());
  ASSERT_EQ(importer.summary().cases.accepted, 2)
      << FormatSummary(importer.summary());
  ASSERT_EQ(importer.summary().interactions.accepted, 3);
  ASSERT_EQ(rejects.rejects().size(), 2u);
  EXPECT_EQ(rejects.rejects()[0].column, "received");  // as FORMATS.md names it

  // What the import made of the messy bits, so that the round trip below
  // carries them.
  const v1::Case& cmp1 = sink.cases[0];
  EXPECT_EQ(cmp1.received().at().seconds(), 1683016200);  // 08:30Z
  ASSERT_EQ(cmp1.attributes_size(), 2);
  EXPECT_EQ(cmp1.attributes(0).name(), "Notes");
  EXPECT_EQ(cmp1.attributes(0).value(), "Leak, again\r\nsecond line");
  EXPECT_EQ(cmp1.source().file(), "cases.csv");
  EXPECT_EQ(cmp1.source().line(), 2);
  bool has_remedy = false;
  for (const v1::Event& e : cmp1.events()) {
    if (e.has_remedy()) has_remedy = e.remedy().pence() == 125000;
  }
  EXPECT_TRUE(has_remedy);
  EXPECT_EQ(sink.cases[1].source().line(), 6);  // after a quoted CRLF + blank
  EXPECT_EQ(sink.cases[1].team(), "Crew 4");
  EXPECT_EQ(sink.interactions[2].source().line(), 5);

  // CSV -> protobuf (delimited) -> JSON Lines -> protobuf.
  const std::string dir = dir_;
  ASSERT_TRUE(WriteDelimited(Join(dir, "c.binpb"), sink.cases).ok());
  ASSERT_TRUE(WriteDelimited(Join(dir, "i.binpb"), sink.interactions).ok());
  auto cases1 = ReadDelimited<v1::Case>(Join(dir, "c.binpb"));
  auto interactions1 = ReadDelimited<v1::Interaction>(Join(dir, "i.binpb"));
  ASSERT_TRUE(cases1.ok() && interactions1.ok());
  ASSERT_TRUE(WriteJsonLines(Join(dir, "c.jsonl"), *cases1).ok());
  ASSERT_TRUE(WriteJsonLines(Join(dir, "i.jsonl"), *interactions1).ok());
  auto cases2 = ReadJsonLines<v1::Case>(Join(dir, "c.jsonl"));
  auto interactions2 = ReadJsonLines<v1::Interaction>(Join(dir, "i.jsonl"));
  ASSERT_TRUE(cases2.ok()) << cases2.status();
  ASSERT_TRUE(interactions2.ok()) << interactions2.status();
  ExpectSame(sink.cases, *cases2);
  ExpectSame(sink.interactions, *interactions2);

  // And the data directory of the same import loads into the same data set.
  auto sink_dir = ProtoStreamSink::Create(Join(dir, "data"));
  ASSERT_TRUE(sink_dir.ok()) << sink_dir.status();
  for (const v1::Case& c : *cases2) ASSERT_TRUE(sink_dir->WriteCase(c).ok());
  for (const v1::Interaction& i : *interactions2) {
    ASSERT_TRUE(sink_dir->WriteInteraction(i).ok());
  }
  ASSERT_TRUE(sink_dir->Commit().ok());
  auto data = LoadDataDir(Join(dir, "data"));
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->cases().size(), 2u);
  EXPECT_EQ(data->interactions().size(), 3u);
  EXPECT_EQ(data->unlinked_interactions(), 1);
}

// --- Data directories ------------------------------------------------------

TEST_F(ProtoIoDataDirTest, WriteAndLoad) {
  const std::string dir = dir_;
  ASSERT_TRUE(WriteDataDir(dir, SampleCases(), SampleInteractions()).ok());
  EXPECT_THAT(FileNames(dir),
              UnorderedElementsAre("cases.binpb", "interactions.binpb"));
  auto data = LoadDataDir(dir);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->cases().size(), 3u);
  ASSERT_EQ(data->interactions().size(), 3u);
  EXPECT_EQ(data->interactions().CaseOf(0), 0);  // I1 -> C1
  EXPECT_EQ(data->unlinked_interactions(), 1);   // I3 -> C404

  // The streaming readers see the same records.
  std::vector<std::string> refs;
  ASSERT_TRUE(ForEachCase(Join(dir, "cases.binpb"), [&](const v1::Case& c) {
                refs.push_back(c.ref());
                return absl::OkStatus();
              }).ok());
  EXPECT_THAT(refs, ::testing::ElementsAre("C1", "C2", "C3"));
}

TEST_F(ProtoIoDataDirTest, JsonLinesForm) {
  const std::string dir = dir_;
  ProtoStreamSinkOptions options;
  options.format = StreamFormat::kJsonLines;
  ASSERT_TRUE(
      WriteDataDir(dir, SampleCases(), SampleInteractions(), options).ok());
  EXPECT_THAT(FileNames(dir),
              UnorderedElementsAre("cases.jsonl", "interactions.jsonl"));
  auto data = LoadDataDir(dir);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->cases().size(), 3u);
  EXPECT_EQ(data->interactions().size(), 3u);

  // Writing the binary form replaces the JSON one.
  ASSERT_TRUE(WriteDataDir(dir, SampleCases(), {}).ok());
  EXPECT_THAT(FileNames(dir),
              UnorderedElementsAre("cases.binpb", "interactions.binpb"));
  data = LoadDataDir(dir);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->interactions().size(), 0u);
}

TEST_F(ProtoIoDataDirTest, InvalidCaseNamesFileRecordAndCase) {
  const std::string dir = dir_;
  auto cases = SampleCases();
  // C9: a response before receipt.
  cases.insert(cases.begin() + 1, CaseBuilder("C9")
                                      .Received(2023, 5, 10)
                                      .Respond(STAGE_1, 2023, 5, 2)
                                      .get());
  ASSERT_TRUE(WriteDataDir(dir, cases, SampleInteractions()).ok());
  auto data = LoadDataDir(dir);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(data.status().message(),
              HasSubstr(Join(dir, "cases.binpb") + ": record 2: case C9"));
  EXPECT_THAT(data.status().message(), HasSubstr("2023-05-02"));

  // The same in JSON Lines names the line.
  const std::string json_dir = Join(dir, "json");
  ProtoStreamSinkOptions options;
  options.format = StreamFormat::kJsonLines;
  ASSERT_TRUE(WriteDataDir(json_dir, cases, {}, options).ok());
  data = LoadDataDir(json_dir);
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(data.status().message(),
              HasSubstr(Join(json_dir, "cases.jsonl") + ": line 2: case C9"));
}

TEST_F(ProtoIoDataDirTest, BadInteractionsNameTheRecord) {
  const std::string dir = dir_;
  auto interactions = SampleInteractions();
  interactions.push_back(interactions[0]);  // I1 again
  ASSERT_TRUE(WriteDataDir(dir, SampleCases(), interactions).ok());
  auto data = LoadDataDir(dir);
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(data.status().message(),
              HasSubstr("interactions.binpb: record 4: interaction I1: the "
                        "id is already used"));

  interactions = SampleInteractions();
  interactions[1].clear_at();
  ASSERT_TRUE(WriteDataDir(dir, SampleCases(), interactions).ok());
  data = LoadDataDir(dir);
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(data.status().message(),
              HasSubstr("interactions.binpb: record 2: interaction I2"));

  interactions = SampleInteractions();
  interactions[2].clear_id();
  ASSERT_TRUE(WriteDataDir(dir, SampleCases(), interactions).ok());
  data = LoadDataDir(dir);
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(data.status().message(),
              HasSubstr("record 3: interaction without an id"));

  auto cases = SampleCases();
  cases.push_back(cases[0]);
  ASSERT_TRUE(WriteDataDir(dir, cases, {}).ok());
  data = LoadDataDir(dir);
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(data.status().message(), HasSubstr("record 4: case C1"));
}

TEST_F(ProtoIoDataDirTest, CorruptFileNamesTheFile) {
  const std::string dir = dir_;
  ASSERT_TRUE(WriteDataDir(dir, SampleCases(), SampleInteractions()).ok());
  const std::string path = Join(dir, "interactions.binpb");
  const std::string bytes = ReadFile(path);
  WriteFile(path, bytes.substr(0, bytes.size() - 3));
  auto data = LoadDataDir(dir);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(data.status().message(), HasSubstr(path + ": record 3"));
}

TEST_F(ProtoIoDataDirTest, MissingOrAmbiguousDirectories) {
  const std::string dir = dir_;
  auto missing = LoadDataDir(Join(dir, "nowhere"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(),
              HasSubstr(Join(dir, "nowhere") + ": no such data directory"));

  auto empty = LoadDataDir(dir);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(empty.status().message(), HasSubstr("holds no cases.binpb"));

  WriteFile(Join(dir, "afile"), "x");
  auto file = LoadDataDir(Join(dir, "afile"));
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(file.status().message(), HasSubstr("not a data directory"));

  // Cases alone are a data set without interactions.
  ASSERT_TRUE(WriteDataDir(dir, SampleCases(), {}).ok());
  fs::remove(Join(dir, "interactions.binpb"));
  auto cases_only = LoadDataDir(dir);
  ASSERT_TRUE(cases_only.ok()) << cases_only.status();
  EXPECT_EQ(cases_only->interactions().size(), 0u);

  // Both forms of one file: which is meant?
  WriteFile(Join(dir, "cases.jsonl"), "");
  auto both = LoadDataDir(dir);
  ASSERT_FALSE(both.ok());
  EXPECT_THAT(both.status().message(),
              HasSubstr("holds both cases.binpb and cases.jsonl"));
}

TEST_F(ProtoStreamSinkTest, NothingUnderTheFinalNamesUntilCommit) {
  const std::string dir = Join(dir_, "out");  // created by the sink
  auto sink = ProtoStreamSink::Create(dir);
  ASSERT_TRUE(sink.ok()) << sink.status();
  for (const v1::Case& c : SampleCases()) {
    ASSERT_TRUE(sink->WriteCase(c).ok());
  }
  for (const v1::Interaction& i : SampleInteractions()) {
    ASSERT_TRUE(sink->WriteInteraction(i).ok());
  }
  EXPECT_FALSE(fs::exists(Join(dir, "cases.binpb")));
  EXPECT_FALSE(fs::exists(Join(dir, "interactions.binpb")));
  for (const std::string& name : FileNames(dir)) {
    EXPECT_EQ(name[0], '.') << name;  // only hidden temporary files
  }
  EXPECT_EQ(FileNames(dir).size(), 2u);
  EXPECT_FALSE(LoadDataDir(dir).ok());

  ASSERT_TRUE(sink->Commit().ok());
  EXPECT_THAT(FileNames(dir),
              UnorderedElementsAre("cases.binpb", "interactions.binpb"));
  EXPECT_EQ(sink->cases_written(), 3);
  EXPECT_EQ(sink->interactions_written(), 3);
  EXPECT_FALSE(sink->WriteCase(SampleCases()[0]).ok());  // committed
  EXPECT_FALSE(sink->Commit().ok());
  EXPECT_TRUE(LoadDataDir(dir).ok());
}

TEST_F(ProtoStreamSinkTest, WithoutCommitTheDirectoryIsUnchanged) {
  const std::string dir = dir_;
  ASSERT_TRUE(WriteDataDir(dir, SampleCases(), SampleInteractions()).ok());
  const std::string before = ReadFile(Join(dir, "cases.binpb"));
  {
    auto sink = ProtoStreamSink::Create(dir);
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE(sink->WriteCase(SampleCases()[2]).ok());
    // Destroyed without Commit(), as a failed --strict import is.
  }
  EXPECT_THAT(FileNames(dir),
              UnorderedElementsAre("cases.binpb", "interactions.binpb"));
  EXPECT_EQ(ReadFile(Join(dir, "cases.binpb")), before);

  auto sink = ProtoStreamSink::Create(dir);
  ASSERT_TRUE(sink.ok());
  sink->Abort();
  EXPECT_EQ(FileNames(dir).size(), 2u);
  EXPECT_FALSE(sink->Commit().ok());
}

TEST_F(ProtoStreamSinkTest, StrictImportThatMeetsARejectWritesNothing) {
  const std::string dir = Join(dir_, "data");
  {
    auto sink = ProtoStreamSink::Create(dir);
    ASSERT_TRUE(sink.ok());
    RejectList rejects;
    Importer importer(*sink, &rejects);
    CsvReader csv = CsvReader::FromString(std::string(kMessyCases));
    ASSERT_TRUE(importer.ImportCases(csv, "cases.csv").ok());
    ASSERT_EQ(importer.summary().cases.rejected, 1);
    // --strict: a reject means no Commit().
  }
  EXPECT_THAT(FileNames(dir), IsEmpty());

  // Without --strict the accepted rows are committed.
  auto sink = ProtoStreamSink::Create(dir);
  ASSERT_TRUE(sink.ok());
  Importer importer(*sink, nullptr);
  CsvReader csv = CsvReader::FromString(std::string(kMessyCases));
  ASSERT_TRUE(importer.ImportCases(csv, "cases.csv").ok());
  ASSERT_TRUE(sink->Commit().ok());
  auto data = LoadDataDir(dir);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->cases().size(), 2u);
}

TEST_F(ProtoIoForEachTest, CallbackErrorsKeepTheirCodeAndGainTheRecord) {
  const std::string dir = dir_;
  ASSERT_TRUE(WriteDataDir(dir, SampleCases(), SampleInteractions()).ok());
  int seen = 0;
  absl::Status status = ForEachInteraction(
      Join(dir, "interactions.binpb"), [&](const v1::Interaction& i) {
        ++seen;
        return i.id() == "I2" ? absl::AbortedError("stop at I2")
                              : absl::OkStatus();
      });
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(status.message(),
            Join(dir, "interactions.binpb") + ": record 2: stop at I2");

  absl::Status missing =
      ForEachCase(Join(dir, "none.jsonl"),
                  [](const v1::Case&) { return absl::OkStatus(); });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
}

TEST(ProtoIoFormatTest, FormatOfPath) {
  EXPECT_EQ(FormatOfPath("a/cases.jsonl"), StreamFormat::kJsonLines);
  EXPECT_EQ(FormatOfPath("a/cases.binpb"), StreamFormat::kDelimited);
  EXPECT_EQ(FormatOfPath("cases"), StreamFormat::kDelimited);
}

}  // namespace
}  // namespace tellus

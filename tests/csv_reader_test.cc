#include "tellus/csv_reader.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tellus {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A record copied out of the reader, so it outlives the next call.
struct Row {
  int64_t line;
  std::vector<std::string> fields;
  std::string raw;
  std::string error;
  int error_field;
  bool blank;
};

struct ReadAll {
  std::vector<Row> rows;
  absl::Status status;
  int64_t blank_lines = 0;
  int64_t lines_read = 0;
};

ReadAll Read(CsvReader reader) {
  ReadAll all;
  CsvRecord record;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(record);
    if (!more.ok()) {
      all.status = more.status();
      break;
    }
    if (!*more) break;
    Row row{record.line,
            {record.fields.begin(), record.fields.end()},
            std::string(record.raw),
            std::string(record.error),
            record.error_field,
            record.blank};
    all.rows.push_back(std::move(row));
  }
  all.blank_lines = reader.blank_lines();
  all.lines_read = reader.lines_read();
  return all;
}

// Block sizes from one byte (every record straddles blocks) to the default.
class CsvReaderTest : public ::testing::TestWithParam<size_t> {
 protected:
  ReadAll ReadString(std::string data, bool blanks = false) {
    CsvReaderOptions options;
    options.block_size = GetParam();
    options.return_blank_lines = blanks;
    return Read(CsvReader::FromString(std::move(data), options));
  }
};

INSTANTIATE_TEST_SUITE_P(BlockSizes, CsvReaderTest,
                         ::testing::Values(1, 2, 3, 5, 16, 1 << 20));

TEST_P(CsvReaderTest, SimpleRecords) {
  ReadAll all = ReadString("a,b,c\n1,2,3\n4,,6\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 3);
  EXPECT_THAT(all.rows[0].fields, ElementsAre("a", "b", "c"));
  EXPECT_EQ(all.rows[0].line, 1);
  EXPECT_THAT(all.rows[1].fields, ElementsAre("1", "2", "3"));
  EXPECT_EQ(all.rows[1].line, 2);
  EXPECT_THAT(all.rows[2].fields, ElementsAre("4", "", "6"));
  EXPECT_EQ(all.rows[2].raw, "4,,6");
  EXPECT_EQ(all.lines_read, 3);
}

TEST_P(CsvReaderTest, LastLineWithoutNewline) {
  ReadAll all = ReadString("a,b\n1,2");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 2);
  EXPECT_THAT(all.rows[1].fields, ElementsAre("1", "2"));
  EXPECT_EQ(all.rows[1].raw, "1,2");
}

TEST_P(CsvReaderTest, EmptyFieldsAtEdges) {
  ReadAll all = ReadString(",a,\n,\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 2);
  EXPECT_THAT(all.rows[0].fields, ElementsAre("", "a", ""));
  EXPECT_THAT(all.rows[1].fields, ElementsAre("", ""));
}

TEST_P(CsvReaderTest, QuotedCommas) {
  ReadAll all = ReadString("h1,h2\n\"Smith, J\",x\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 2);
  EXPECT_THAT(all.rows[1].fields, ElementsAre("Smith, J", "x"));
  EXPECT_EQ(all.rows[1].raw, "\"Smith, J\",x");
  EXPECT_THAT(all.rows[1].error, IsEmpty());
}

TEST_P(CsvReaderTest, DoubledQuotes) {
  ReadAll all =
      ReadString("a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n\"\",\"x\"\"\"\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 3);
  EXPECT_THAT(all.rows[1].fields, ElementsAre("say \"hi\"", "\""));
  EXPECT_THAT(all.rows[2].fields, ElementsAre("", "x\""));
  EXPECT_EQ(all.rows[2].raw, "\"\",\"x\"\"\"");
}

TEST_P(CsvReaderTest, QuotedNewlinesShiftLineNumbers) {
  ReadAll all = ReadString(
      "id,note\n"
      "1,\"two\nlines\"\n"
      "2,\"three\n\nlines\"\n"
      "3,plain\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 4);
  EXPECT_EQ(all.rows[1].line, 2);
  EXPECT_THAT(all.rows[1].fields, ElementsAre("1", "two\nlines"));
  EXPECT_EQ(all.rows[1].raw, "1,\"two\nlines\"");
  EXPECT_EQ(all.rows[2].line, 4);
  EXPECT_THAT(all.rows[2].fields, ElementsAre("2", "three\n\nlines"));
  EXPECT_EQ(all.rows[3].line, 7);
  EXPECT_THAT(all.rows[3].fields, ElementsAre("3", "plain"));
  EXPECT_EQ(all.lines_read, 7);
}

TEST_P(CsvReaderTest, ByteOrderMarkIgnored) {
  ReadAll all = ReadString(
      "\xEF\xBB\xBF"
      "case_ref,type\nA,b\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 2);
  EXPECT_THAT(all.rows[0].fields, ElementsAre("case_ref", "type"));
  EXPECT_EQ(all.rows[0].raw, "case_ref,type");
  EXPECT_EQ(all.rows[0].line, 1);
}

TEST_P(CsvReaderTest, ByteOrderMarkOnlyAtStart) {
  ReadAll all = ReadString(
      "a\n\xEF\xBB\xBF"
      "b\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 2);
  EXPECT_THAT(all.rows[1].fields, ElementsAre("\xEF\xBB\xBF"
                                              "b"));
}

TEST_P(CsvReaderTest, PartialByteOrderMarkIsData) {
  ReadAll all = ReadString("\xEF\xBB");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 1);
  EXPECT_THAT(all.rows[0].fields, ElementsAre("\xEF\xBB"));
}

TEST_P(CsvReaderTest, CrLfLineEnds) {
  ReadAll all = ReadString("a,b\r\n1,2\r\n\"x\",\"y\"\r\n3,4\r\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 4);
  EXPECT_THAT(all.rows[0].fields, ElementsAre("a", "b"));
  EXPECT_THAT(all.rows[1].fields, ElementsAre("1", "2"));
  EXPECT_EQ(all.rows[1].raw, "1,2");
  EXPECT_THAT(all.rows[2].fields, ElementsAre("x", "y"));
  EXPECT_EQ(all.rows[2].raw, "\"x\",\"y\"");
  EXPECT_EQ(all.rows[3].line, 4);
}

TEST_P(CsvReaderTest, CrInsideQuotesIsData) {
  ReadAll all = ReadString("a,b\r\n\"one\r\ntwo\r\",x\r\nnext,y\r\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 3);
  EXPECT_THAT(all.rows[1].fields, ElementsAre("one\r\ntwo\r", "x"));
  EXPECT_EQ(all.rows[1].raw, "\"one\r\ntwo\r\",x");
  EXPECT_EQ(all.rows[2].line, 4);
}

TEST_P(CsvReaderTest, BareCrIsData) {
  ReadAll all = ReadString("a\rb,c\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 1);
  EXPECT_THAT(all.rows[0].fields, ElementsAre("a\rb", "c"));
}

TEST_P(CsvReaderTest, CrAtEndOfFileEndsTheLine) {
  ReadAll all = ReadString("a,b\r\n1,2\r");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 2);
  EXPECT_THAT(all.rows[1].fields, ElementsAre("1", "2"));
  EXPECT_EQ(all.rows[1].raw, "1,2");
}

TEST_P(CsvReaderTest, BlankLinesSkippedButCounted) {
  ReadAll all = ReadString("a,b\n\n   \n1,2\r\n  \r\n\n3,4\n\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 3);
  EXPECT_EQ(all.rows[0].line, 1);
  EXPECT_EQ(all.rows[1].line, 4);
  EXPECT_THAT(all.rows[1].fields, ElementsAre("1", "2"));
  EXPECT_EQ(all.rows[2].line, 7);
  EXPECT_EQ(all.blank_lines, 5);
  EXPECT_EQ(all.lines_read, 8);
}

TEST_P(CsvReaderTest, BlankLinesReturnedOnRequest) {
  ReadAll all = ReadString("a\n  \nb\n", /*blanks=*/true);
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 3);
  EXPECT_FALSE(all.rows[0].blank);
  EXPECT_TRUE(all.rows[1].blank);
  EXPECT_EQ(all.rows[1].line, 2);
  EXPECT_EQ(all.rows[1].raw, "  ");
  EXPECT_THAT(all.rows[1].fields, IsEmpty());
  EXPECT_EQ(all.rows[2].line, 3);
}

TEST_P(CsvReaderTest, QuotedEmptyOrCommaLineIsNotBlank) {
  ReadAll all = ReadString("a\n\"\"\n,\n \" \" \n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 4);
  EXPECT_THAT(all.rows[1].fields, ElementsAre(""));
  EXPECT_THAT(all.rows[2].fields, ElementsAre("", ""));
  EXPECT_THAT(all.rows[3].fields, ElementsAre(" "));
}

TEST_P(CsvReaderTest, HeaderOnly) {
  ReadAll all = ReadString("case_ref,type,received\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 1);
  EXPECT_THAT(all.rows[0].fields, ElementsAre("case_ref", "type", "received"));
}

TEST_P(CsvReaderTest, EmptyInput) {
  ReadAll all = ReadString("");
  ASSERT_TRUE(all.status.ok()) << all.status;
  EXPECT_THAT(all.rows, IsEmpty());
  all = ReadString("\xEF\xBB\xBF");
  ASSERT_TRUE(all.status.ok()) << all.status;
  EXPECT_THAT(all.rows, IsEmpty());
}

// A quoted field never closed makes the rest of the input one malformed
// record (a row to reject), not an error for the whole file.
TEST_P(CsvReaderTest, UnterminatedQuoteIsOneMalformedRecordToTheEnd) {
  ReadAll all = ReadString("a,b\n1,2\n3,\"open\nstill open\r\nand more\r\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 3);
  EXPECT_EQ(all.rows[2].line, 3);
  EXPECT_EQ(all.rows[2].error,
            "the quoted field opened on line 3 is not closed before the end "
            "of the file");
  EXPECT_EQ(all.rows[2].error_field, 1);
  EXPECT_EQ(all.rows[2].raw, "3,\"open\nstill open\r\nand more");
  EXPECT_THAT(all.rows[2].fields,
              ElementsAre("3", "open\nstill open\r\nand more"));
  EXPECT_EQ(all.lines_read, 5);
}

TEST_P(CsvReaderTest, UnterminatedQuoteOnLaterLineOfRecord) {
  ReadAll all = ReadString("a,b\n\"x\ny\",\"open\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 2);
  EXPECT_EQ(all.rows[1].line, 2);
  EXPECT_EQ(all.rows[1].error,
            "the quoted field opened on line 3 is not closed before the end "
            "of the file");
  EXPECT_THAT(all.rows[1].fields, ElementsAre("x\ny", "open"));
  EXPECT_EQ(all.rows[1].raw, "\"x\ny\",\"open");
}

TEST_P(CsvReaderTest, ErrorIsSticky) {
  CsvReaderOptions options;
  options.block_size = GetParam();
  std::istringstream in("a,b\n");
  in.setstate(std::ios::badbit);  // a failed read
  CsvReader reader = CsvReader::FromStream(in, options);
  CsvRecord record;
  EXPECT_FALSE(reader.Next(record).ok());
  EXPECT_FALSE(reader.Next(record).ok());
}

TEST_P(CsvReaderTest, QuoteInsideUnquotedFieldIsARecordError) {
  ReadAll all = ReadString("a,b,c\n1,ab\"c,3\n4,\"5\",6\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 3);
  EXPECT_EQ(all.rows[1].error, "a quote inside an unquoted field");
  EXPECT_EQ(all.rows[1].error_field, 1);
  EXPECT_THAT(all.rows[1].fields, ElementsAre("1", "ab\"c", "3"));
  EXPECT_EQ(all.rows[1].raw, "1,ab\"c,3");
  // The next record is unaffected.
  EXPECT_THAT(all.rows[2].error, IsEmpty());
  EXPECT_EQ(all.rows[2].line, 3);
  EXPECT_THAT(all.rows[2].fields, ElementsAre("4", "5", "6"));
}

TEST_P(CsvReaderTest, StrayQuoteDoesNotSwallowTheFile) {
  // After the fault quotes are literal, so the record ends at its own line.
  ReadAll all = ReadString("a,b\nx\"y,\"z\n1,2\n3,4\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 4);
  EXPECT_FALSE(all.rows[1].error.empty());
  EXPECT_THAT(all.rows[1].fields, ElementsAre("x\"y", "\"z"));
  EXPECT_EQ(all.rows[2].line, 3);
  EXPECT_THAT(all.rows[2].fields, ElementsAre("1", "2"));
  EXPECT_THAT(all.rows[3].fields, ElementsAre("3", "4"));
}

TEST_P(CsvReaderTest, TextAfterClosingQuoteIsARecordError) {
  ReadAll all = ReadString("a,b\n\"ab\"c,d\n1,2\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 3);
  EXPECT_EQ(all.rows[1].error,
            "text after the closing quote of a quoted field");
  EXPECT_EQ(all.rows[1].error_field, 0);
  EXPECT_THAT(all.rows[1].fields, ElementsAre("\"ab\"c", "d"));
  EXPECT_THAT(all.rows[2].fields, ElementsAre("1", "2"));
}

TEST_P(CsvReaderTest, FaultAfterQuotedNewlineKeepsLineNumbers) {
  ReadAll all = ReadString("a,b\n\"x\ny\"z,\"w\n1,2\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 3);
  EXPECT_EQ(all.rows[1].line, 2);
  EXPECT_EQ(all.rows[1].error_field, 0);
  EXPECT_EQ(all.rows[1].raw, "\"x\ny\"z,\"w");
  EXPECT_THAT(all.rows[1].fields, ElementsAre("\"x\ny\"z", "\"w"));
  EXPECT_EQ(all.rows[2].line, 4);
  EXPECT_THAT(all.rows[2].fields, ElementsAre("1", "2"));
}

TEST_P(CsvReaderTest, SpacesAroundQuotedFieldsAreDropped) {
  ReadAll all = ReadString("a,b,c\n1, \"x,y\" ,  \"z\"  \r\n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 2);
  EXPECT_THAT(all.rows[1].error, IsEmpty());
  EXPECT_THAT(all.rows[1].fields, ElementsAre("1", "x,y", "z"));
  EXPECT_EQ(all.rows[1].raw, "1, \"x,y\" ,  \"z\"  ");
}

TEST_P(CsvReaderTest, UnquotedSpacesKept) {
  ReadAll all = ReadString(" a , b \n");
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 1);
  EXPECT_THAT(all.rows[0].fields, ElementsAre(" a ", " b "));
}

TEST_P(CsvReaderTest, FromStream) {
  std::istringstream in("a,b\n\"1\n2\",3\n");
  CsvReaderOptions options;
  options.block_size = GetParam();
  ReadAll all = Read(CsvReader::FromStream(in, options));
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 2);
  EXPECT_THAT(all.rows[1].fields, ElementsAre("1\n2", "3"));
}

TEST(CsvReaderLimitsTest, RecordLongerThanLimitIsAnError) {
  CsvReaderOptions options;
  options.block_size = 16;
  options.max_record_bytes = 64;
  ReadAll all = Read(CsvReader::FromString(
      "a\n\"" + std::string(100, 'x') + "\"\nb\n", options));
  ASSERT_EQ(all.rows.size(), 1);
  EXPECT_THAT(all.status.message(), HasSubstr("line 2"));
  EXPECT_THAT(all.status.message(), HasSubstr("longer than 64 bytes"));
}

TEST(CsvReaderLimitsTest, RecordLongerThanBlockGrowsTheBuffer) {
  CsvReaderOptions options;
  options.block_size = 16;
  const std::string big(1000, 'y');
  ReadAll all = Read(CsvReader::FromString(
      "a,b\n" + big + ",\"" + big + "\"\"\"\nz,w\n", options));
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), 3);
  EXPECT_THAT(all.rows[1].fields, ElementsAre(big, big + "\""));
  EXPECT_THAT(all.rows[2].fields, ElementsAre("z", "w"));
}

// A real file several default blocks long, with quoted fields and CRLF,
// checked against the text it was written from.
TEST(CsvReaderFileTest, LargeFileAcrossBlocks) {
  const std::string path =
      (std::filesystem::path(::testing::TempDir()) / "csv_reader_large.csv")
          .string();
  std::string text = "\xEF\xBB\xBFid,note,n\r\n";
  std::vector<std::vector<std::string>> expected;
  std::vector<int64_t> lines;
  int64_t line = 2;
  for (int i = 0; i < 100000; ++i) {
    std::string id = "ID-" + std::to_string(i);
    std::string note = (i % 7 == 0)   ? "multi\r\nline, \"quoted\""
                       : (i % 5 == 0) ? "comma, here"
                                      : "plain note " + std::to_string(i * 31);
    std::string n = std::to_string(i % 997);
    expected.push_back({id, note, n});
    lines.push_back(line);
    std::string record;
    AppendCsvRecord(record, {id, note, n});
    record.insert(record.size() - 1, "\r");  // CRLF line ends
    text += record;
    line += 1 + (i % 7 == 0 ? 1 : 0);
    if (i % 1000 == 0) {
      text += "   \r\n";
      ++line;
    }
  }
  ASSERT_GT(text.size(), size_t{2} << 20);
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  absl::StatusOr<CsvReader> reader = CsvReader::OpenFile(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  ReadAll all = Read(std::move(*reader));
  std::remove(path.c_str());
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), expected.size() + 1);
  EXPECT_THAT(all.rows[0].fields, ElementsAre("id", "note", "n"));
  for (size_t i = 0; i < expected.size(); ++i) {
    const Row& row = all.rows[i + 1];
    ASSERT_EQ(row.fields, expected[i]) << "record " << i;
    ASSERT_EQ(row.line, lines[i]) << "record " << i;
    ASSERT_TRUE(row.error.empty());
  }
  EXPECT_EQ(all.blank_lines, 100);
}

TEST(CsvReaderFileTest, MissingFile) {
  absl::StatusOr<CsvReader> reader =
      CsvReader::OpenFile("/nonexistent/tellus/none.csv");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(reader.status().message(), HasSubstr("none.csv"));
}

TEST(CsvHeaderTest, FindsColumnsIgnoringCaseAndSpaces) {
  std::vector<absl::string_view> names = {" Case_Ref", "TYPE ", "received",
                                          "My Column"};
  absl::StatusOr<CsvHeader> header = CsvHeader::Create(names);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->size(), 4);
  EXPECT_EQ(header->FindColumn("case_ref"), 0);
  EXPECT_EQ(header->FindColumn("type"), 1);
  EXPECT_EQ(header->FindColumn(" Received "), 2);
  EXPECT_EQ(header->FindColumn("my column"), 3);
  EXPECT_EQ(header->FindColumn("channel"), std::nullopt);
  EXPECT_EQ(header->name(0), "Case_Ref");
  EXPECT_EQ(header->name(3), "My Column");
}

// FORMATS.md keeps unknown columns whatever they are called, so a name
// given twice (or two blank names, as spreadsheets export empty trailing
// columns) is not the header's error: the importer refuses a column it reads
// only when that one is named twice.
TEST(CsvHeaderTest, DuplicateNamesAreKeptAndReported) {
  std::vector<absl::string_view> names = {"case_ref", "type", " Case_Ref "};
  absl::StatusOr<CsvHeader> header = CsvHeader::Create(names);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->size(), 3);
  EXPECT_EQ(header->FindColumn("case_ref"), 0);
  EXPECT_TRUE(header->IsDuplicated("CASE_REF "));
  EXPECT_FALSE(header->IsDuplicated("type"));
  EXPECT_FALSE(header->IsDuplicated("channel"));
  EXPECT_EQ(header->name(2), "Case_Ref");
}

TEST(CsvHeaderTest, TwoEmptyNamesAreDuplicates) {
  std::vector<absl::string_view> names = {"a", "", " "};
  absl::StatusOr<CsvHeader> header = CsvHeader::Create(names);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_TRUE(header->IsDuplicated(""));
  EXPECT_FALSE(header->IsDuplicated("a"));
}

TEST(CsvWriterTest, QuotesOnlyWhenNeeded) {
  std::string out;
  AppendCsvField(out, "plain text");
  EXPECT_EQ(out, "plain text");
  out.clear();
  AppendCsvField(out, "a,b");
  EXPECT_EQ(out, "\"a,b\"");
  out.clear();
  AppendCsvField(out, "say \"hi\"");
  EXPECT_EQ(out, "\"say \"\"hi\"\"\"");
  out.clear();
  AppendCsvField(out, "two\nlines");
  EXPECT_EQ(out, "\"two\nlines\"");
  out.clear();
  AppendCsvField(out, "cr\r");
  EXPECT_EQ(out, "\"cr\r\"");
}

TEST(CsvWriterTest, RecordsRoundTrip) {
  const std::vector<std::vector<absl::string_view>> records = {
      {"file", "line", "column", "reason", "record"},
      {"cases.csv", "12", "", "bad, \"value\"", "A,\"b\nc\",d"},
      {""},
      {"  "},
      {"", ""},
      {" x ", "\r"},
  };
  std::string text;
  for (const auto& r : records) AppendCsvRecord(text, r);
  EXPECT_THAT(text, HasSubstr("\"\"\n\"  \"\n,\n"));
  ReadAll all = Read(CsvReader::FromString(text));
  ASSERT_TRUE(all.status.ok()) << all.status;
  ASSERT_EQ(all.rows.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_THAT(all.rows[i].fields, ::testing::ElementsAreArray(
                                        records[i].begin(), records[i].end()))
        << "record " << i;
    EXPECT_THAT(all.rows[i].error, IsEmpty());
  }
}

}  // namespace
}  // namespace tellus

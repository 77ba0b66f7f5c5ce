// The threaded load (ImportOptions::threads): an interactions file read on
// several threads into a DatasetSink gives the data set, the rejects (in
// their order, with their lines) and the summary of a one-thread import,
// whatever the file holds and wherever its parts are cut.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tellus/dataset.h"
#include "tellus/import.h"

namespace tellus {
namespace {

const char kCases[] =
    "case_ref,type,received,directorate,service\n"
    "C-1,complaint,2023-05-02,Housing,Repairs\n"
    "C-2,enquiry,2023-05-03,Highways,Potholes\n"
    "C-3,compliment,2023-05-04,Housing,Lettings\n"
    "C-2,enquiry,2023-05-03,Highways,Potholes\n";

const char kHeader[] =
    "interaction_id,at,channel,directorate,service,kind,customer,case_ref,"
    "notes\n";

class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    char name[] = "/tmp/tellus_parallel_import_XXXXXX";
    const int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = name;
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Everything an import leaves: the data set, the rejects, the summary and
// the status.
struct Outcome {
  absl::Status status;
  Dataset data;
  std::vector<Reject> rejects;
  ImportSummary summary;
};

// A DatasetSink the importer cannot see is one: every row comes through the
// sink's calls, one at a time in file order, as before threaded loads.
class OneRowAtATime : public ImportSink {
 public:
  absl::Status OnCase(const v1::Case& c, const CaseState& state) override {
    return inner.OnCase(c, state);
  }
  absl::Status OnInteraction(const v1::Interaction& i,
                             const EventTime& at) override {
    return inner.OnInteraction(i, at);
  }
  absl::Status OnInteractionRow(const InteractionRow& row,
                                v1::Interaction& scratch) override {
    return inner.OnInteractionRow(row, scratch);
  }
  DatasetSink inner;
};

// How the two files are imported.
enum class Calls {
  kOneThenTheOther,  // ImportCases, then ImportInteractions
  kTogether,         // ImportCasesAndInteractions
};

// The import on `threads` threads, or (0) one row at a time.
Outcome Load(const std::string& cases, const std::string& interactions,
             int threads, Calls calls = Calls::kOneThenTheOther) {
  Outcome out;
  OneRowAtATime sink;
  RejectList rejects;
  ImportOptions options;
  options.threads = threads;
  Importer importer(threads == 0 ? static_cast<ImportSink&>(sink) : sink.inner,
                    &rejects, options);
  if (calls == Calls::kTogether) {
    out.status = importer.ImportCasesAndInteractions(
        cases, interactions, "cases.csv", "interactions.csv");
  } else {
    out.status = importer.ImportCases(cases, "cases.csv");
    if (out.status.ok()) {
      out.status =
          importer.ImportInteractions(interactions, "interactions.csv");
    }
  }
  out.data = std::move(sink.inner).Build();
  out.rejects = rejects.rejects();
  out.summary = importer.summary();
  return out;
}

void ExpectSameFile(const FileSummary& a, const FileSummary& b) {
  EXPECT_EQ(a.file, b.file);
  EXPECT_EQ(a.read, b.read);
  EXPECT_EQ(a.accepted, b.accepted);
  EXPECT_EQ(a.rejected, b.rejected);
  EXPECT_EQ(a.rejected_by_rule, b.rejected_by_rule);
}

// `got` is `want` in every respect an import can differ in.
void ExpectSame(const Outcome& want, const Outcome& got) {
  EXPECT_EQ(want.status, got.status);
  ExpectSameFile(want.summary.cases, got.summary.cases);
  ExpectSameFile(want.summary.interactions, got.summary.interactions);
  EXPECT_EQ(want.summary.unlinked_interactions,
            got.summary.unlinked_interactions);
  ASSERT_EQ(want.rejects.size(), got.rejects.size());
  for (size_t i = 0; i < want.rejects.size(); ++i) {
    const Reject& a = want.rejects[i];
    const Reject& b = got.rejects[i];
    EXPECT_EQ(a.file, b.file) << i;
    EXPECT_EQ(a.line, b.line) << i;
    EXPECT_EQ(a.column, b.column) << i;
    EXPECT_EQ(a.rule, b.rule) << i;
    EXPECT_EQ(a.reason, b.reason) << i;
    EXPECT_EQ(a.record, b.record) << i;
  }
  const InteractionTable& x = want.data.interactions();
  const InteractionTable& y = got.data.interactions();
  EXPECT_EQ(x.day, y.day);
  EXPECT_EQ(x.cell, y.cell);
  EXPECT_EQ(x.linked_row, y.linked_row);
  EXPECT_EQ(x.linked_case, y.linked_case);
  EXPECT_EQ(x.linked_kind, y.linked_kind);
  EXPECT_EQ(want.data.unlinked_interactions(),
            got.data.unlinked_interactions());
  ASSERT_EQ(want.data.cells().size(), got.data.cells().size());
  for (uint32_t c = 0; c < want.data.cells().size(); ++c) {
    EXPECT_EQ(want.data.cells().directorate(c),
              got.data.cells().directorate(c));
    EXPECT_EQ(want.data.cells().service(c), got.data.cells().service(c));
  }
  EXPECT_EQ(want.data.cases().ref, got.data.cases().ref);
}

// The file imported one row at a time and on 1 to 8 threads: all the same.
void ExpectSameOnAnyThreads(const std::string& interactions) {
  TempFile cases(kCases);
  TempFile file(interactions);
  const Outcome want = Load(cases.path(), file.path(), 0);
  for (int threads = 1; threads <= 8; ++threads) {
    SCOPED_TRACE(absl::StrCat(threads, " threads"));
    ExpectSame(want, Load(cases.path(), file.path(), threads));
    // The interactions' later parts read while the cases are, their links
    // made after.
    SCOPED_TRACE("both files in one call");
    ExpectSame(want,
               Load(cases.path(), file.path(), threads, Calls::kTogether));
  }
}

std::string Good(int id, absl::string_view case_ref = "",
                 absl::string_view notes = "") {
  static const char* kDirectorates[] = {"Housing", "Highways", "",
                                        "Adult Social Care"};
  static const char* kServices[] = {"Repairs", "Potholes", "", "Blue Badges"};
  return absl::StrFormat(
      "I%06d,2023-%02d-%02dT10:%02d:00,web,%s,%s,contact,C%d,%s,%s\n", id,
      1 + id % 12, 1 + id % 28, id % 60, kDirectorates[id % 4],
      kServices[(id / 4) % 4], id % 97, case_ref, notes);
}

std::string Rows(int from, int to) {
  std::string out;
  for (int i = from; i < to; ++i) out += Good(i, i % 5 == 0 ? "C-1" : "");
  return out;
}

TEST(ParallelImportTest, PlainFile) {
  ExpectSameOnAnyThreads(absl::StrCat(kHeader, Rows(1, 2000)));
}

TEST(ParallelImportTest, TheFigures) {
  TempFile cases(kCases);
  TempFile file(absl::StrCat(kHeader, Rows(1, 1000)));
  const Outcome got = Load(cases.path(), file.path(), 4);
  EXPECT_TRUE(got.status.ok());
  EXPECT_EQ(got.summary.interactions.read, 999);
  EXPECT_EQ(got.summary.interactions.accepted, 999);
  EXPECT_EQ(got.data.interactions().size(), 999u);
  EXPECT_EQ(got.data.interactions().linked_row.size(), 199u);
}

TEST(ParallelImportTest, TinyFiles) {
  ExpectSameOnAnyThreads("");
  ExpectSameOnAnyThreads(kHeader);
  ExpectSameOnAnyThreads(std::string(kHeader).substr(0, sizeof(kHeader) - 2));
  ExpectSameOnAnyThreads(absl::StrCat(kHeader, Good(1)));
  ExpectSameOnAnyThreads(absl::StrCat(kHeader, Rows(1, 4)));
  // No LF after the last row.
  std::string rows = Rows(1, 4);
  rows.pop_back();
  ExpectSameOnAnyThreads(absl::StrCat(kHeader, rows));
}

TEST(ParallelImportTest, MissingColumnFailsTheFile) {
  ExpectSameOnAnyThreads("interaction_id,at,kind\nI1,2023-01-01T10:00,web\n");
}

// A file that cannot be read, or whose header fails, fails both files' one
// call as it fails the calls one after the other: the cases are in (and
// their rejects written) before an interactions file fails.
TEST(ParallelImportTest, FileErrorsAsOneThenTheOther) {
  TempFile cases(kCases);
  TempFile bad_cases("case_ref,type\nC-9,complaint\n");
  TempFile interactions(absl::StrCat(kHeader, Rows(1, 500)));
  const std::string missing = "no-such-interactions.csv";
  for (int threads = 1; threads <= 4; ++threads) {
    SCOPED_TRACE(absl::StrCat(threads, " threads"));
    for (const auto& [c, i] :
         {std::pair(cases.path(), missing),
          std::pair(bad_cases.path(), interactions.path()),
          std::pair(std::string("no-such-cases.csv"), interactions.path())}) {
      SCOPED_TRACE(c + " " + i);
      const Outcome want = Load(c, i, 0);
      EXPECT_FALSE(want.status.ok());
      ExpectSame(want, Load(c, i, threads, Calls::kTogether));
    }
  }
}

TEST(ParallelImportTest, BomBlankLinesAndCrlf) {
  std::string text = absl::StrCat("\xEF\xBB\xBF", kHeader);
  for (int i = 1; i < 600; ++i) {
    std::string row = Good(i);
    if (i % 3 == 0) row.insert(row.size() - 1, "\r");
    text += row;
    if (i % 7 == 0) text += "\n";
    if (i % 11 == 0) text += "   \r\n";
  }
  ExpectSameOnAnyThreads(text);
}

// Quoted fields holding newlines (LF and CRLF) everywhere, so that the
// parts are often cut inside one.
TEST(ParallelImportTest, QuotedNewlinesAcrossCuts) {
  std::string text = kHeader;
  for (int i = 1; i < 800; ++i) {
    switch (i % 4) {
      case 0:
        text += Good(i, "", "\"first line\nsecond line\"");
        break;
      case 1:
        text += Good(i, "C-2", "\"a\r\nb, \"\"c\"\"\r\n\r\nd\"");
        break;
      case 2:
        text += Good(i, "", "\"\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\"");
        break;
      default:
        text += Good(i);
    }
  }
  ExpectSameOnAnyThreads(text);
}

// One long quoted field holding many lines that look like rows.
TEST(ParallelImportTest, RowsInsideAQuotedField) {
  std::string text = absl::StrCat(kHeader, Rows(1, 50));
  text += Good(50, "", absl::StrCat("\"", Rows(1000, 1400), "\""));
  text += Rows(51, 100);
  ExpectSameOnAnyThreads(text);
}

TEST(ParallelImportTest, DuplicatesAcrossParts) {
  std::string text = kHeader;
  text += Good(7);
  text += "I000008,not a time,web,,,contact,,,\n";  // rejected, id used
  text += Rows(10, 1500);
  text += Good(7);          // a duplicate of an accepted row
  text += Good(8);          // of a rejected row
  text += Good(10, "C-3");  // of a row two parts back
  text += Rows(1500, 1600);
  text += Good(1599);  // of the row before
  text += "I000008,,web,,,contact,,,\n";
  ExpectSameOnAnyThreads(text);
}

TEST(ParallelImportTest, UnclosedQuoteInALatePart) {
  std::string text = absl::StrCat(kHeader, Rows(1, 900));
  text += "I000900,2023-01-01T10:00,web,Housing,\"Repairs,contact,,,\n";
  text += Rows(901, 1000);
  ExpectSameOnAnyThreads(text);
  // And near the start.
  ExpectSameOnAnyThreads(
      absl::StrCat(kHeader, Rows(1, 3), "I9,\"2023\n", Rows(10, 900)));
}

TEST(ParallelImportTest, MalformedRows) {
  std::string text = kHeader;
  for (int i = 1; i < 700; ++i) {
    switch (i % 9) {
      case 0:
        text +=
            absl::StrCat("I", i, ",2023-01-01T10:00,web,ab\"c,,contact,,,\n");
        break;
      case 1:
        text +=
            absl::StrCat("I", i, ",\"2023-01-01T10:00\"x,web,,,contact,,,\n");
        break;
      case 2:
        text += absl::StrCat("I", i, ",2023-01-01T10:00,web\n");
        break;
      case 3:
        text += absl::StrCat("I", i, ",2023-01-01T10:00,fax,,,contact,,,\n");
        break;
      case 4:
        text += absl::StrCat(",2023-01-01T10:00,web,,,contact,,,\n");
        break;
      case 5:
        text +=
            absl::StrCat("I", i, ",2023-01-01T10:00,web,\xff,,contact,,,\n");
        break;
      default:
        text += Good(i, i % 2 ? "C-9" : "C-3");
    }
  }
  ExpectSameOnAnyThreads(text);
}

// Ids of every shape: numbered in several widths and prefixes, out of
// order, and not numbered at all.
TEST(ParallelImportTest, IdsOfAnyShape) {
  std::string text = kHeader;
  std::mt19937 random(7);
  for (int i = 0; i < 3000; ++i) {
    std::string id;
    switch (random() % 5) {
      case 0:
        id = absl::StrCat(random() % 4000);
        break;
      case 1:
        id = absl::StrFormat("X-%08d", random() % 100000000);
        break;
      case 2:
        id = absl::StrCat("uuid-", random() % 3000, "-z");
        break;
      case 3:
        id = absl::StrFormat("P%d-%04d", random() % 40, random() % 200);
        break;
      default:
        id = absl::StrCat(i);
    }
    text += absl::StrCat(id, ",2023-01-01T10:00,web,Housing,,contact,,,\n");
  }
  ExpectSameOnAnyThreads(text);
}

// Random files of every kind of row, line end and quote.
TEST(ParallelImportTest, RandomFiles) {
  std::mt19937 random(2024);
  for (int round = 0; round < 40; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    std::string text = random() % 4 == 0 ? "\xEF\xBB\xBF" : "";
    text += kHeader;
    const int rows = static_cast<int>(random() % 400);
    const bool crlf = random() % 2 == 0;
    // Half the files with few duplicate ids, so that most parts join.
    const bool unique = round % 2 == 0;
    for (int i = 0; i < rows; ++i) {
      std::string row;
      const int id = unique && random() % 50 != 0
                         ? i
                         : static_cast<int>(random() % (rows + 10));
      switch (random() % 12) {
        case 0:
          row = "\n";
          break;
        case 1:
          row = "  \n";
          break;
        case 2:
          row = Good(id, "", "\"x\ny\"");
          break;
        case 3:
          row = Good(id, "C-2", "\"x\r\n,\"\"y\"\"\n\"");
          break;
        case 4:
          row = absl::StrCat("I", id, ",2023-02-30T10:00,web,,,contact,,,\n");
          break;
        case 5:
          row = absl::StrCat("I", id, ",2023-01-01T10:00,web,a\"b,,,,,\n");
          break;
        case 6:
          row = absl::StrCat("I", id, ",2023-01-01\n");
          break;
        case 7:
          if (random() % 8 == 0) {
            row = absl::StrCat("I", id, ",\"2023-01-01T10:00,web,,,\n");
            break;
          }
          [[fallthrough]];
        default:
          row = Good(id, random() % 3 == 0 ? "C-1" : "");
      }
      if (crlf && row.back() == '\n' && random() % 2 == 0) {
        row.insert(row.size() - 1, "\r");
      }
      text += row;
    }
    if (random() % 3 == 0 && !text.empty()) text.pop_back();
    ExpectSameOnAnyThreads(text);
  }
}

// The threads also count the interactions whose case is unknown when the
// cases were imported by another importer.
TEST(ParallelImportTest, CasesFromAnotherImporter) {
  TempFile cases(kCases);
  TempFile file(absl::StrCat(kHeader, Rows(1, 500)));
  auto load = [&](int threads) {
    Outcome out;
    OneRowAtATime sink;
    Importer first(sink.inner, nullptr);
    EXPECT_TRUE(first.ImportCases(cases.path()).ok());
    ImportOptions options;
    options.threads = threads;
    Importer second(threads == 0 ? static_cast<ImportSink&>(sink) : sink.inner,
                    nullptr, options);
    out.status = second.ImportInteractions(file.path(), "interactions.csv");
    out.summary = second.summary();
    out.data = std::move(sink.inner).Build();
    return out;
  };
  const Outcome want = load(0);
  EXPECT_EQ(want.summary.unlinked_interactions, 99);
  EXPECT_EQ(want.data.interactions().linked_row.size(), 99u);
  for (int threads : {1, 3}) ExpectSame(want, load(threads));
}

// A second interactions file: its ids are checked against the first's.
TEST(ParallelImportTest, TwoFiles) {
  TempFile cases(kCases);
  TempFile a(absl::StrCat(kHeader, Rows(1, 300)));
  TempFile b(absl::StrCat(kHeader, Rows(290, 600)));
  TempFile c(absl::StrCat(kHeader, Rows(1000, 1300)));
  for (const TempFile* second : {&b, &c}) {
    auto load = [&](int threads) {
      Outcome out;
      OneRowAtATime sink;
      RejectList rejects;
      ImportOptions options;
      options.threads = threads;
      Importer importer(
          threads == 0 ? static_cast<ImportSink&>(sink) : sink.inner, &rejects,
          options);
      EXPECT_TRUE(importer.ImportCases(cases.path(), "cases.csv").ok());
      EXPECT_TRUE(importer.ImportInteractions(a.path(), "a.csv").ok());
      out.status = importer.ImportInteractions(second->path(), "b.csv");
      out.summary = importer.summary();
      out.rejects = rejects.rejects();
      out.data = std::move(sink.inner).Build();
      return out;
    };
    const Outcome want = load(0);
    for (int threads : {1, 2, 5}) ExpectSame(want, load(threads));
  }
}

TEST(ParallelImportTest, ProgressCountsAsOneThreadDoes) {
  TempFile cases(kCases);
  TempFile file(absl::StrCat(kHeader, Rows(1, 600'000)));
  auto progress = [&](int threads) {
    std::vector<int64_t> calls;
    DatasetSink sink;
    ImportOptions options;
    options.threads = threads;
    options.progress = [&](absl::string_view, int64_t rows) {
      calls.push_back(rows);
    };
    Importer importer(sink, nullptr, options);
    EXPECT_TRUE(importer.ImportInteractions(file.path()).ok());
    return calls;
  };
  EXPECT_EQ(progress(1), progress(3));
  EXPECT_EQ(progress(1), progress(2));
  EXPECT_EQ(progress(1).size(), 2u);
}

}  // namespace
}  // namespace tellus

// Tests of the embedded default data set. The published figures are
// recomputed here from the written CSV files by plain counting, with
// nothing from the library but the generator itself.
#include "tellus/generator.h"

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace tellus {
namespace {

namespace fs = std::filesystem;

// A fresh, empty directory under the test's temporary directory, private
// to this process (ctest runs the tests in parallel processes).
std::string FreshDir(const std::string& name) {
  const fs::path dir =
      fs::path(::testing::TempDir()) /
      absl::StrCat("generator_", name, "_", static_cast<int64_t>(getpid()));
  fs::remove_all(dir);
  return dir.string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

uint64_t Fnv1a(absl::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// ---------------------------------------------------------------------------
// A small CSV reader: RFC 4180 quoting within a line (the generator never
// writes a line break inside a field).

std::vector<std::string> SplitCsvLine(absl::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  return fields;
}

struct Table {
  std::map<std::string, size_t> columns;
  std::vector<std::vector<std::string>> rows;
};

Table ReadCsv(const std::string& path) {
  Table table;
  std::ifstream in(path);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    std::vector<std::string> fields = SplitCsvLine(line);
    if (header) {
      for (size_t i = 0; i < fields.size(); ++i) table.columns[fields[i]] = i;
      header = false;
      continue;
    }
    EXPECT_EQ(fields.size(), table.columns.size()) << line;
    table.rows.push_back(std::move(fields));
  }
  return table;
}

// A case row by column name.
class Row {
 public:
  Row(const Table& t, const std::vector<std::string>& f) : t_(t), f_(f) {}
  const std::string& operator[](const std::string& column) const {
    return f_.at(t_.columns.at(column));
  }

 private:
  const Table& t_;
  const std::vector<std::string>& f_;
};

// The civil date of "YYYY-MM-DD", "D/M/YYYY" or "YYYY-MM-DDTHH:MM:SS" (a
// London local time); nullopt when empty. Fails the test on anything else.
std::optional<absl::CivilDay> Day(const std::string& text) {
  if (text.empty()) return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (text.find('/') != std::string::npos) {
    std::vector<std::string> parts = absl::StrSplit(text, '/');
    EXPECT_EQ(parts.size(), 3u) << text;
    EXPECT_TRUE(parts.size() == 3 && absl::SimpleAtoi(parts[0], &d) &&
                absl::SimpleAtoi(parts[1], &m) &&
                absl::SimpleAtoi(parts[2], &y))
        << text;
  } else {
    EXPECT_TRUE(text.size() == 10 || (text.size() == 19 && text[10] == 'T'))
        << text;
    EXPECT_TRUE(absl::SimpleAtoi(text.substr(0, 4), &y) &&
                absl::SimpleAtoi(text.substr(5, 2), &m) &&
                absl::SimpleAtoi(text.substr(8, 2), &d))
        << text;
  }
  const absl::CivilDay day(y, m, d);
  EXPECT_TRUE(day.year() == y && day.month() == m && day.day() == d) << text;
  return day;
}

// ---------------------------------------------------------------------------
// The figures of METRICS.md, counted straight from the rows.

struct FinancialYear {
  absl::CivilDay start, end;
  bool Contains(std::optional<absl::CivilDay> d) const {
    return d && *d >= start && *d <= end;
  }
};
const FinancialYear kFy2223{absl::CivilDay(2022, 4, 1),
                            absl::CivilDay(2023, 3, 31)};
const FinancialYear kFy2324{absl::CivilDay(2023, 4, 1),
                            absl::CivilDay(2024, 3, 31)};

struct Figures {
  int64_t complaints = 0, compliments = 0, enquiries = 0;
  int64_t stage2_received = 0, ombudsman = 0, lessons = 0;
  int64_t resolved = 0, upheld = 0;
  friend bool operator==(const Figures&, const Figures&) = default;
};

std::ostream& operator<<(std::ostream& os, const Figures& f) {
  return os << "complaints " << f.complaints << ", compliments "
            << f.compliments << ", enquiries " << f.enquiries << ", stage 2 "
            << f.stage2_received << ", ombudsman " << f.ombudsman
            << ", lessons " << f.lessons << ", upheld " << f.upheld << "/"
            << f.resolved;
}

// Figures of `fy` as of the end of London day `as_of`: an event dated D is
// seen when D <= as_of.
Figures Count(const Table& cases, const FinancialYear& fy,
              absl::CivilDay as_of) {
  Figures f;
  auto seen = [as_of](std::optional<absl::CivilDay> d) {
    return d && *d <= as_of ? d : std::nullopt;
  };
  for (const auto& fields : cases.rows) {
    const Row row(cases, fields);
    const auto received = seen(Day(row["received"]));
    if (!received) continue;
    const std::string& type = row["type"];
    if (type == "compliment") f.compliments += fy.Contains(received);
    if (type == "enquiry") f.enquiries += fy.Contains(received);
    if (type != "complaint") continue;
    f.complaints += fy.Contains(received);
    const auto escalated = seen(Day(row["s2_requested"]));
    f.stage2_received += fy.Contains(escalated);
    f.ombudsman += fy.Contains(seen(Day(row["ombudsman_received"])));
    if (fy.Contains(received) && seen(Day(row["lessons_learnt"]))) {
      ++f.lessons;
    }
    if (seen(Day(row["withdrawn"]))) continue;  // never resolved
    const char* stage = escalated ? "s2_" : "s1_";
    const auto final_response =
        seen(Day(row[absl::StrCat(stage, "responded")]));
    if (!fy.Contains(final_response)) continue;
    ++f.resolved;
    const std::string& outcome = row[absl::StrCat(stage, "outcome")];
    f.upheld += outcome == "upheld" || outcome == "partly_upheld";
  }
  return f;
}

// Half-up rounding of 100 * n / d to `decimals` places, as a scaled integer.
int64_t RoundedPercent(int64_t n, int64_t d, int decimals) {
  int64_t scale = 100;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  return (2 * n * scale + d) / (2 * d);
}

// ---------------------------------------------------------------------------

// One small data set shared by the tests of a process, made when first
// needed: every case, and 2% of the contacts not tied to a case.
struct SmallDataSet {
  GenerationSummary summary;
  Table cases;
};
SmallDataSet*& SmallSlot() {
  static SmallDataSet* data = nullptr;
  return data;
}
const SmallDataSet& Small() {
  static const SmallDataSet* const data = [] {
    auto* d = new SmallDataSet;
    GeneratorOptions options;
    options.contact_volume = 0.02;
    const absl::Status status =
        GenerateToDirectory(options, FreshDir("small"), &d->summary);
    EXPECT_TRUE(status.ok()) << status;
    d->cases = ReadCsv(d->summary.cases_path);
    SmallSlot() = d;
    return d;
  }();
  return *data;
}

// Removes the small data set's files when the tests are done.
class RemoveSmallDataSet : public ::testing::Environment {
 public:
  void TearDown() override {
    if (SmallSlot() != nullptr) {
      fs::remove_all(fs::path(SmallSlot()->summary.cases_path).parent_path());
    }
  }
};
::testing::Environment* const remove_small_data_set =
    ::testing::AddGlobalTestEnvironment(new RemoveSmallDataSet);

TEST(GeneratorTest, ListsTheDefaultProfile) {
  absl::StatusOr<std::vector<GeneratorProfile>> profiles = ListProfiles();
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  ASSERT_EQ(profiles->size(), 1u);
  EXPECT_EQ((*profiles)[0].name, GeneratorOptions().profile);
  EXPECT_EQ((*profiles)[0].default_period, "2023/24");
  EXPECT_EQ((*profiles)[0].default_as_of, absl::CivilDay(2024, 6, 30));
}

TEST(GeneratorTest, UnknownProfileFails) {
  GeneratorOptions options;
  options.profile = "barsetshire-1857";
  const absl::Status status =
      GenerateToDirectory(options, FreshDir("unknown_profile"));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(status.message().find("barsetshire-1857"), std::string::npos);
  EXPECT_NE(status.message().find("sandwell-2023-24"), std::string::npos);
  EXPECT_EQ(FindProfile("barsetshire-1857").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(GeneratorTest, BadVolumeFails) {
  GeneratorOptions options;
  for (double volume : {0.0, -1.0, 1.5}) {
    options.contact_volume = volume;
    EXPECT_EQ(GenerateToDirectory(options, FreshDir("bad_volume")).code(),
              absl::StatusCode::kInvalidArgument)
        << volume;
  }
}

TEST(GeneratorTest, UnwritableDirectoryFails) {
  // A directory cannot be made where a file is (whoever runs the test).
  const std::string file = FreshDir("a_file");
  std::ofstream(file) << "not a directory\n";
  const absl::Status status =
      GenerateToDirectory(GeneratorOptions(), file + "/data");
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("cannot create directory"), std::string::npos)
      << status;
  EXPECT_FALSE(GenerateToDirectory(GeneratorOptions(), file).ok());
  fs::remove(file);
}

TEST(GeneratorTest, SameSeedSameBytesOtherSeedOtherBytes) {
  GeneratorOptions options;
  options.contact_volume = 0.02;
  const std::string again = FreshDir("again");
  ASSERT_TRUE(GenerateToDirectory(options, again).ok());
  EXPECT_TRUE(ReadFile(again + "/cases.csv") ==
              ReadFile(Small().summary.cases_path));
  EXPECT_TRUE(ReadFile(again + "/interactions.csv") ==
              ReadFile(Small().summary.interactions_path));
  EXPECT_FALSE(fs::exists(again + "/cases.csv.partial"));

  options.seed = 7;
  const std::string other = FreshDir("other_seed");
  ASSERT_TRUE(GenerateToDirectory(options, other).ok());
  EXPECT_FALSE(ReadFile(other + "/cases.csv") ==
               ReadFile(Small().summary.cases_path));
  EXPECT_FALSE(ReadFile(other + "/interactions.csv") ==
               ReadFile(Small().summary.interactions_path));
  // Another seed still gives the published figures.
  const Table cases = ReadCsv(other + "/cases.csv");
  const Figures f = Count(cases, kFy2324, absl::CivilDay(2024, 6, 30));
  EXPECT_EQ(f.complaints, 3730);
  EXPECT_EQ(f.stage2_received, 228);
  EXPECT_EQ(RoundedPercent(f.upheld, f.resolved, 0), 45);
  fs::remove_all(again);
  fs::remove_all(other);
}

// The exact bytes of the default data set, so that a change of platform,
// compiler or standard library that changed them is caught. A deliberate
// change of the generator updates these digests (FNV-1a, 64 bits).
TEST(GeneratorTest, GoldenDigest) {
  const std::string cases = ReadFile(Small().summary.cases_path);
  const std::string interactions = ReadFile(Small().summary.interactions_path);
  EXPECT_EQ(Small().summary.cases_bytes, static_cast<int64_t>(cases.size()));
  EXPECT_EQ(Small().summary.interactions_bytes,
            static_cast<int64_t>(interactions.size()));
  EXPECT_EQ(Fnv1a(cases), 17971642839780021270ULL);
  EXPECT_EQ(Fnv1a(interactions), 4385464729927424818ULL);
}

TEST(GeneratorTest, PublishedFigures2023To24) {
  const Figures f = Count(Small().cases, kFy2324, absl::CivilDay(2024, 6, 30));
  SCOPED_TRACE(::testing::Message() << f);
  EXPECT_EQ(f.complaints, 3730);
  EXPECT_EQ(f.compliments, 383);
  EXPECT_EQ(f.enquiries, 12912);
  EXPECT_EQ(f.ombudsman, 117);
  EXPECT_EQ(RoundedPercent(f.upheld, f.resolved, 0), 45);
  EXPECT_EQ(RoundedPercent(f.lessons, f.complaints, 0), 30);
  EXPECT_EQ(RoundedPercent(f.stage2_received, f.complaints, 1), 61);
  // The nearest whole numbers to the published rates.
  EXPECT_EQ(f.lessons, 1119);
  EXPECT_EQ(f.stage2_received, 228);
  EXPECT_EQ(f.upheld, (45 * f.resolved + 50) / 100);
}

TEST(GeneratorTest, PublishedFigures2022To23) {
  const Figures f = Count(Small().cases, kFy2223, absl::CivilDay(2024, 6, 30));
  SCOPED_TRACE(::testing::Message() << f);
  EXPECT_EQ(f.complaints, 3196);
  EXPECT_EQ(f.compliments, 383);
  EXPECT_EQ(f.enquiries, 11840);  // not published: the profile's choice
  EXPECT_EQ(f.ombudsman, 133);
  EXPECT_EQ(RoundedPercent(f.upheld, f.resolved, 0), 48);
  EXPECT_EQ(RoundedPercent(f.lessons, f.complaints, 0), 22);
  EXPECT_EQ(RoundedPercent(f.stage2_received, f.complaints, 1), 58);
  EXPECT_EQ(f.lessons, 703);
  EXPECT_EQ(f.stage2_received, 185);
  EXPECT_EQ(f.upheld, (48 * f.resolved + 50) / 100);
}

TEST(GeneratorTest, FiguresDoNotDependOnAsOfAfterTheYear) {
  for (const FinancialYear& fy : {kFy2223, kFy2324}) {
    const Figures at_year_end =
        Count(Small().cases, fy, absl::CivilDay(2024, 3, 31));
    EXPECT_EQ(at_year_end,
              Count(Small().cases, fy, absl::CivilDay(2024, 4, 1)));
    EXPECT_EQ(at_year_end,
              Count(Small().cases, fy, absl::CivilDay(2024, 6, 30)));
    EXPECT_EQ(at_year_end,
              Count(Small().cases, fy, absl::CivilDay(2030, 1, 1)));
  }
}

// FORMATS.md's rules for a case row, checked on every row.
TEST(GeneratorTest, EveryCaseRowIsValid) {
  const std::vector<std::string> complaint_only = {
      "s1_acknowledged",    "s1_extended_to",    "s1_responded",
      "s1_outcome",         "s2_requested",      "s2_acknowledged",
      "s2_extended_to",     "s2_responded",      "s2_outcome",
      "withdrawn",          "ombudsman",         "ombudsman_received",
      "ombudsman_decision", "ombudsman_decided", "lessons_learnt",
      "remedy_amount"};
  const std::set<std::string> outcomes = {"upheld", "partly_upheld",
                                          "not_upheld"};
  const std::set<std::string> channels = {
      "phone", "email", "web", "letter", "in_person", "social_media", "other"};
  const std::set<std::string> lgsco = {
      "premature",  "closed_after_initial_enquiries",
      "upheld",     "upheld_satisfactory_remedy",
      "not_upheld", "withdrawn"};
  const std::set<std::string> hos = {"no_maladministration",
                                     "service_failure",
                                     "maladministration",
                                     "severe_maladministration",
                                     "redress",
                                     "outside_jurisdiction",
                                     "withdrawn"};
  std::set<std::string> refs;
  std::map<std::string, int> seen;  // how often each kind of history occurs
  for (const auto& fields : Small().cases.rows) {
    const Row row(Small().cases, fields);
    const std::string& ref = row["case_ref"];
    SCOPED_TRACE(ref);
    EXPECT_TRUE(refs.insert(ref).second) << "duplicate";
    EXPECT_FALSE(row["directorate"].empty());
    EXPECT_TRUE(channels.count(row["channel"]));
    const auto r = Day(row["received"]);
    ASSERT_TRUE(r.has_value());
    EXPECT_GE(*r, absl::CivilDay(2019, 4, 1));
    EXPECT_LE(*r, absl::CivilDay(2024, 6, 30));
    const std::string& type = row["type"];
    if (type != "complaint") {
      EXPECT_TRUE(type == "compliment" || type == "enquiry") << type;
      for (const std::string& column : complaint_only) {
        EXPECT_EQ(row[column], "") << column;
      }
      if (type == "compliment") {
        EXPECT_FALSE(row["team"].empty());
        seen["compliment with staff"] += !row["staff"].empty();
      }
      continue;
    }
    EXPECT_EQ(row["team"], "");
    EXPECT_EQ(row["staff"], "");
    const auto s1_ack = Day(row["s1_acknowledged"]);
    const auto s1_ext = Day(row["s1_extended_to"]);
    const auto s1_resp = Day(row["s1_responded"]);
    const auto s2_req = Day(row["s2_requested"]);
    const auto s2_ack = Day(row["s2_acknowledged"]);
    const auto s2_ext = Day(row["s2_extended_to"]);
    const auto s2_resp = Day(row["s2_responded"]);
    const auto withdrawn = Day(row["withdrawn"]);
    const auto omb = Day(row["ombudsman_received"]);
    const auto decided = Day(row["ombudsman_decided"]);
    const auto lesson = Day(row["lessons_learnt"]);
    // Nothing before receipt, nothing after the extract.
    for (const auto& d : {s1_ack, s1_ext, s1_resp, s2_req, s2_ack, s2_ext,
                          s2_resp, withdrawn, omb, decided, lesson}) {
      if (!d) continue;
      EXPECT_GE(*d, *r);
      EXPECT_LE(*d, absl::CivilDay(2024, 6, 30));
    }
    // An outcome exactly when there is a response.
    EXPECT_EQ(s1_resp.has_value(), !row["s1_outcome"].empty());
    EXPECT_EQ(s2_resp.has_value(), !row["s2_outcome"].empty());
    if (s1_resp) {
      EXPECT_TRUE(outcomes.count(row["s1_outcome"]));
    }
    if (s2_resp) {
      EXPECT_TRUE(outcomes.count(row["s2_outcome"]));
    }
    if (s1_ack && s1_resp) {
      EXPECT_GE(*s1_resp, *s1_ack);
    }
    // Stage 2 only after a stage 1 response and from the escalation.
    if (s2_req || s2_ack || s2_ext || s2_resp) {
      ASSERT_TRUE(s1_resp.has_value());
      ASSERT_TRUE(s2_req.has_value());
      EXPECT_GE(*s2_req, *s1_resp);
      for (const auto& d : {s2_ack, s2_ext, s2_resp}) {
        if (d) {
          EXPECT_GE(*d, *s2_req);
        }
      }
      if (s2_ack && s2_resp) {
        EXPECT_GE(*s2_resp, *s2_ack);
      }
    }
    // Ombudsman columns in pairs, decisions from the body's own list.
    const std::string& body = row["ombudsman"];
    const std::string& decision = row["ombudsman_decision"];
    EXPECT_EQ(body.empty(), !omb.has_value());
    EXPECT_EQ(decision.empty(), !decided.has_value());
    if (!decision.empty()) {
      ASSERT_TRUE(omb.has_value());
      EXPECT_GE(*decided, *omb);
      EXPECT_TRUE(body == "lgsco" ? lgsco.count(decision) : hos.count(decision))
          << body << " " << decision;
    }
    if (!body.empty()) {
      EXPECT_TRUE(body == "lgsco" || body == "hos") << body;
      // The Housing Ombudsman hears complaints about the landlord.
      if (body == "hos") {
        EXPECT_EQ(row["directorate"], "Housing");
      }
      ++seen[body];
    }
    // A withdrawal while something is pending, and nothing but Ombudsman
    // and lessons after it.
    if (withdrawn) {
      for (const auto& d :
           {s1_ack, s1_ext, s1_resp, s2_req, s2_ack, s2_ext, s2_resp}) {
        if (d) {
          EXPECT_LE(*d, *withdrawn);
        }
      }
      EXPECT_TRUE(!s1_resp || (s2_req && !s2_resp));
      ++seen[s2_req ? "withdrawn at stage 2" : "withdrawn at stage 1"];
    }
    if (!row["remedy_amount"].empty()) {
      double pounds = -1;
      EXPECT_TRUE(absl::SimpleAtod(row["remedy_amount"], &pounds));
      EXPECT_GT(pounds, 0);
      ++seen["remedy"];
    }
    seen["extended"] += s1_ext || s2_ext;
    seen["date-time received"] += row["received"].size() == 19;
    seen["D/M/YYYY dates"] += row["received"].find('/') != std::string::npos;
    seen["never acknowledged"] += s1_resp && !s1_ack;
    seen["lesson"] += lesson.has_value();
  }
  // Every kind of history is represented.
  for (const char* kind :
       {"compliment with staff", "lgsco", "hos", "withdrawn at stage 1",
        "withdrawn at stage 2", "remedy", "extended", "date-time received",
        "D/M/YYYY dates", "never acknowledged", "lesson"}) {
    EXPECT_GT(seen[kind], 10) << kind;
  }
}

TEST(GeneratorTest, InteractionsAreWellFormedAndLinked) {
  const Table interactions = ReadCsv(Small().summary.interactions_path);
  ASSERT_EQ(interactions.columns.size(), 8u);
  EXPECT_EQ(static_cast<int64_t>(interactions.rows.size()),
            Small().summary.interactions);
  std::map<std::string, const std::vector<std::string>*> cases;
  for (const auto& fields : Small().cases.rows) {
    cases[fields[Small().cases.columns.at("case_ref")]] = &fields;
  }
  const std::set<std::string> kinds = {"contact", "enquiry", "complaint",
                                       "compliment", "follow_up"};
  std::set<std::string> ids;
  std::map<std::string, int> counts;
  std::string previous_at;
  for (const auto& fields : interactions.rows) {
    const Row row(interactions, fields);
    EXPECT_TRUE(ids.insert(row["interaction_id"]).second);
    const std::string& at = row["at"];
    ASSERT_EQ(at.size(), 19u) << at;
    EXPECT_EQ(at[10], 'T');
    EXPECT_GE(at, previous_at);  // in time order
    previous_at = at;
    const auto day = Day(at);
    EXPECT_GE(*day, absl::CivilDay(2022, 4, 1));
    EXPECT_LE(*day, absl::CivilDay(2024, 6, 30));
    const std::string& kind = row["kind"];
    EXPECT_TRUE(kinds.count(kind)) << kind;
    counts[kind]++;
    counts["with directorate"] += !row["directorate"].empty();
    const std::string& ref = row["case_ref"];
    if (ref.empty()) {
      EXPECT_TRUE(kind == "contact" || kind == "enquiry") << kind;
      continue;
    }
    auto it = cases.find(ref);
    if (it == cases.end()) {
      EXPECT_EQ(ref.substr(0, 3), "OH-") << ref;
      counts["unlinked"]++;
      continue;
    }
    const Row c(Small().cases, *it->second);
    if (kind != "follow_up") {
      EXPECT_EQ(kind, c["type"]);
      EXPECT_EQ(*day, *Day(c["received"]));
      continue;
    }
    if (c["type"] != "complaint") {
      counts["follow_up of another type"]++;
      continue;
    }
    // METRICS.md's split: chasing while a stage awaits its response, or
    // within 28 days after the latest response.
    const auto received = Day(c["received"]);
    const auto s1_resp = Day(c["s1_responded"]);
    const auto s2_req = Day(c["s2_requested"]);
    const auto s2_resp = Day(c["s2_responded"]);
    const auto withdrawn = Day(c["withdrawn"]);
    EXPECT_GE(*day, *received);
    const bool after_withdrawal = withdrawn && *day > *withdrawn;
    const bool awaiting_s1 = !s1_resp || *day < *s1_resp;
    const bool awaiting_s2 =
        s2_req && *day >= *s2_req && (!s2_resp || *day < *s2_resp);
    if (!after_withdrawal && (awaiting_s1 || awaiting_s2)) {
      counts["chasing"]++;
      continue;
    }
    std::optional<absl::CivilDay> latest;
    for (const auto& d : {s1_resp, s2_resp}) {
      if (d && *d <= *day) latest = d;
    }
    if (latest && *day - *latest <= 28) {
      counts["after response"]++;
    } else {
      counts["neither"]++;
    }
  }
  for (const char* what : {"contact", "enquiry", "complaint", "compliment",
                           "follow_up", "unlinked", "follow_up of another type",
                           "chasing", "after response", "neither"}) {
    EXPECT_GT(counts[what], 10) << what;
  }
  EXPECT_GT(counts["with directorate"],
            static_cast<int>(interactions.rows.size()) * 85 / 100);
  EXPECT_GT(counts["chasing"], counts["neither"]);
  EXPECT_GT(counts["after response"], counts["neither"]);
}

// The whole data set: 1.5 million contacts a year. Its cases are the small
// data set's, whatever the contact volume.
TEST(GeneratorTest, FullVolumeHasThePublishedInteractionCounts) {
  const std::string dir = FreshDir("full");
  GenerationSummary summary;
  const absl::Status status =
      GenerateToDirectory(GeneratorOptions(), dir, &summary);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(ReadFile(summary.cases_path) ==
              ReadFile(Small().summary.cases_path));

  // Rows by the financial year of at's London date (its first ten
  // characters, after interaction_id), read in large blocks: the file is
  // some 260 MB.
  std::map<std::string, int64_t> per_year;
  int64_t rows = -1;  // the header is not a row
  std::ifstream in(summary.interactions_path, std::ios::binary);
  std::vector<char> block(1 << 22);
  std::string line;
  auto count = [&](const std::string& l) {
    ++rows;
    if (rows == 0) return;
    const size_t comma = l.find(',');
    ASSERT_NE(comma, std::string::npos);
    const std::string date = l.substr(comma + 1, 10);
    ++per_year[date < "2022-04-01"    ? "before"
               : date <= "2023-03-31" ? "2022/23"
               : date <= "2024-03-31" ? "2023/24"
                                      : "after"];
  };
  while (in.read(block.data(), static_cast<std::streamsize>(block.size())) ||
         in.gcount() > 0) {
    const char* p = block.data();
    const char* end = p + in.gcount();
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
      if (nl == nullptr) {
        line.append(p, end);
        break;
      }
      line.append(p, nl);
      count(line);
      line.clear();
      p = nl + 1;
    }
  }
  EXPECT_TRUE(line.empty());
  EXPECT_EQ(rows, summary.interactions);
  EXPECT_EQ(per_year["2023/24"], 1515355);
  EXPECT_EQ(per_year["2022/23"], 1452108);  // not published: the choice
  EXPECT_EQ(per_year["before"], 0);
  EXPECT_GT(per_year["after"], 300000);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tellus

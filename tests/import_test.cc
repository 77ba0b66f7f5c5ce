// cases.csv and interactions.csv import: every rule of FORMATS.md, each kind
// of bad row with its exact reason, and the counts that always add up.
#include "tellus/import.h"

#include <fstream>
#include <map>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tellus {
namespace {

using ::testing::HasSubstr;

// Collects accepted cases and interactions as messages.
class KeepAll : public ImportSink {
 public:
  absl::Status OnCase(const v1::Case& c, const CaseState& s) override {
    cases.push_back(c);
    states.push_back(s);
    return absl::OkStatus();
  }
  absl::Status OnInteraction(const v1::Interaction& i,
                             const EventTime&) override {
    interactions.push_back(i);
    return absl::OkStatus();
  }
  std::vector<v1::Case> cases;
  std::vector<CaseState> states;
  std::vector<v1::Interaction> interactions;
};

const char kCaseHeader[] =
    "case_ref,type,received,directorate,service,channel,customer,"
    "s1_acknowledged,s1_extended_to,s1_responded,s1_outcome,s2_requested,"
    "s2_acknowledged,s2_extended_to,s2_responded,s2_outcome,withdrawn,"
    "ombudsman,ombudsman_received,ombudsman_decision,ombudsman_decided,"
    "lessons_learnt,remedy_amount,team,staff\n";

// One complaint row from named values; unnamed columns are empty.
std::string Row(std::map<std::string, std::string> v) {
  static const char* kColumns[] = {"case_ref",
                                   "type",
                                   "received",
                                   "directorate",
                                   "service",
                                   "channel",
                                   "customer",
                                   "s1_acknowledged",
                                   "s1_extended_to",
                                   "s1_responded",
                                   "s1_outcome",
                                   "s2_requested",
                                   "s2_acknowledged",
                                   "s2_extended_to",
                                   "s2_responded",
                                   "s2_outcome",
                                   "withdrawn",
                                   "ombudsman",
                                   "ombudsman_received",
                                   "ombudsman_decision",
                                   "ombudsman_decided",
                                   "lessons_learnt",
                                   "remedy_amount",
                                   "team",
                                   "staff"};
  if (!v.count("case_ref")) v["case_ref"] = "C-1";
  if (!v.count("type")) v["type"] = "complaint";
  if (!v.count("received")) v["received"] = "2023-05-02";
  if (!v.count("directorate")) v["directorate"] = "Housing";
  std::string out;
  for (const char* c : kColumns) {
    if (!out.empty()) out += ",";
    out += v[c];
  }
  return out + "\n";
}

struct Result {
  absl::Status status;
  ImportSummary summary;
  std::vector<Reject> rejects;
  KeepAll kept;
};

Result ImportCasesText(const std::string& text) {
  Result r;
  RejectList rejects;
  Importer importer(r.kept, &rejects);
  CsvReader reader = CsvReader::FromString(text);
  r.status = importer.ImportCases(reader, "cases.csv");
  r.summary = importer.summary();
  r.rejects = rejects.rejects();
  return r;
}

// The one reject of a single-row file.
Reject OnlyReject(const std::string& row) {
  Result r = ImportCasesText(std::string(kCaseHeader) + row);
  EXPECT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.rejects.size(), 1u) << row;
  EXPECT_EQ(r.summary.cases.read, 1);
  EXPECT_EQ(r.summary.cases.rejected, 1);
  return r.rejects.empty() ? Reject{} : r.rejects[0];
}

void ExpectAccepted(const std::string& row) {
  Result r = ImportCasesText(std::string(kCaseHeader) + row);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.summary.cases.accepted, 1)
      << row << (r.rejects.empty() ? "" : r.rejects[0].reason);
}

TEST(ImportCasesTest, AGoodComplaintBecomesACaseWithEvents) {
  Result r = ImportCasesText(
      std::string(kCaseHeader) +
      Row({{"s1_acknowledged", "3/5/2023"},
           {"s1_responded", "2023-05-12"},
           {"s1_outcome", "Partly Upheld"},
           {"s2_requested", "2023-05-20"},
           {"s2_responded", "2023-06-10"},
           {"s2_outcome", "not-upheld"},
           {"lessons_learnt", "2023-06-20"},
           {"ombudsman", "LGSCO"},
           {"ombudsman_received", "2023-08-01"},
           {"ombudsman_decision", "Closed After Initial Enquiries"},
           {"ombudsman_decided", "2023-09-01"},
           {"remedy_amount", "\"£1,250.50\""},
           {"channel", "In Person"}}));
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.kept.cases.size(), 1u);
  const CaseState& s = r.kept.states[0];
  EXPECT_EQ(s.stage1.outcome, v1::OUTCOME_PARTLY_UPHELD);
  EXPECT_EQ(s.stage2.outcome, v1::OUTCOME_NOT_UPHELD);
  EXPECT_EQ(s.stage1.acknowledged->date, absl::CivilDay(2023, 5, 3));
  EXPECT_EQ(s.ombudsman_decision,
            v1::OMBUDSMAN_DECISION_CLOSED_AFTER_INITIAL_ENQUIRIES);
  EXPECT_EQ(s.remedy_pence, 125050);
  EXPECT_EQ(r.kept.cases[0].channel(), v1::CHANNEL_IN_PERSON);
  EXPECT_EQ(r.kept.cases[0].source().file(), "cases.csv");
  EXPECT_EQ(r.kept.cases[0].source().line(), 2);
}

TEST(ImportCasesTest, HeaderMatchingIsCaseInsensitiveInAnyOrderWithUnknowns) {
  Result r = ImportCasesText(
      "\xEF\xBB\xBF Directorate ,CASE_REF,Notes,Received,Type\r\n"
      "Housing,C-9,\"a, b\",2023-05-02,Enquiry\r\n");
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.kept.cases.size(), 1u);
  const v1::Case& c = r.kept.cases[0];
  EXPECT_EQ(c.ref(), "C-9");
  EXPECT_EQ(c.type(), v1::CASE_TYPE_ENQUIRY);
  ASSERT_EQ(c.attributes_size(), 1);
  EXPECT_EQ(c.attributes(0).name(), "Notes");
  EXPECT_EQ(c.attributes(0).value(), "a, b");
}

TEST(ImportCasesTest, AMissingRequiredColumnFailsTheFileBeforeAnyRow) {
  Result r = ImportCasesText("case_ref,type,directorate\nC-1,complaint,H\n");
  EXPECT_FALSE(r.status.ok());
  EXPECT_THAT(std::string(r.status.message()),
              HasSubstr("the header has no 'received' column"));
  EXPECT_EQ(r.summary.cases.read, 0);
  EXPECT_TRUE(r.kept.cases.empty());
}

// Rows are read by the header's names: a header that is not well-formed CSV
// (a stray quote, a quote never closed) fails the file before any row.
TEST(ImportCasesTest, AMalformedHeaderFailsTheFile) {
  for (const char* text :
       {"case_ref,ty\"pe,received,directorate\nA,complaint,2023-05-02,H\n",
        "case_ref,type,received,\"directorate\nA,complaint,2023-05-02,H\n"}) {
    Result r = ImportCasesText(text);
    EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(r.status.message()),
                HasSubstr("the header row (line 1) is not well-formed CSV"));
    EXPECT_EQ(r.summary.cases.read, 0);
  }
}

TEST(ImportCasesTest, AFileWithOnlyAHeader) {
  Result r = ImportCasesText(kCaseHeader);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.summary.cases.read, 0);
  EXPECT_EQ(r.summary.cases.accepted, 0);
}

TEST(ImportCasesTest, AnEmptyFileIsAnError) {
  EXPECT_FALSE(ImportCasesText("").status.ok());
}

TEST(ImportCasesTest, MissingRequiredValues) {
  for (const char* column : {"case_ref", "type", "received", "directorate"}) {
    const Reject r = OnlyReject(Row({{column, "  "}}));
    EXPECT_EQ(r.column, column);
    EXPECT_EQ(r.rule, "missing_value");
    EXPECT_EQ(r.reason, std::string(column) + " is required but empty");
  }
}

TEST(ImportCasesTest, BadValuesInAnyKnownColumn) {
  struct Case {
    const char* column;
    const char* value;
    const char* reason_part;
  };
  for (const Case& c : std::vector<Case>{
           {"received", "31/02/2023", "'31/02/2023' is not a calendar date"},
           {"received", "2023-13-01", "2023-13-01"},
           {"received", "05/31/2023", "05/31/2023"},
           {"type", "grumble", "'grumble'"},
           {"channel", "fax", "'fax' is not a channel"},
           {"s1_acknowledged", "soon", "'soon'"},
           {"remedy_amount", "£12.345", "'£12.345' is not an amount of money"},
           {"remedy_amount", "-5", "'-5'"},
           {"ombudsman", "mayor", "'mayor'"},
       }) {
    const Reject r = OnlyReject(Row({{c.column, c.value}}));
    EXPECT_EQ(r.column, c.column) << c.value;
    EXPECT_EQ(r.rule, "bad_value") << c.value;
    EXPECT_THAT(r.reason, HasSubstr(c.reason_part));
    EXPECT_THAT(r.reason, HasSubstr(std::string(c.column) + ": "));
  }
  const Reject outcome = OnlyReject(
      Row({{"s1_responded", "2023-05-10"}, {"s1_outcome", "sort of"}}));
  EXPECT_EQ(outcome.column, "s1_outcome");
  EXPECT_EQ(outcome.rule, "bad_value");
}

TEST(ImportCasesTest, AnOmbudsmanDecisionFromTheOtherBodysListIsABadValue) {
  const Reject r = OnlyReject(Row({{"ombudsman", "hos"},
                                   {"ombudsman_received", "2023-06-01"},
                                   {"ombudsman_decision", "not upheld"},
                                   {"ombudsman_decided", "2023-09-01"}}));
  EXPECT_EQ(r.column, "ombudsman_decision");
  EXPECT_EQ(r.rule, "bad_value");
  EXPECT_EQ(r.reason,
            "ombudsman_decision: 'not upheld' is a LGSCO decision, but the "
            "complaint went to the Housing Ombudsman");
  ExpectAccepted(Row({{"ombudsman", "hos"},
                      {"ombudsman_received", "2023-06-01"},
                      {"ombudsman_decision", "withdrawn"},
                      {"ombudsman_decided", "2023-09-01"}}));
}

TEST(ImportCasesTest, WithXPairs) {
  Reject r = OnlyReject(Row({{"s1_responded", "2023-05-10"}}));
  EXPECT_EQ(r.column, "s1_outcome");
  EXPECT_EQ(r.reason, "s1_outcome is required with s1_responded");
  r = OnlyReject(Row({{"s1_outcome", "upheld"}}));
  EXPECT_EQ(r.column, "s1_outcome");
  EXPECT_EQ(r.reason, "s1_outcome is given without s1_responded");
  r = OnlyReject(Row({{"ombudsman", "lgsco"}}));
  EXPECT_EQ(r.column, "ombudsman_received");
  r = OnlyReject(Row({{"ombudsman_received", "2023-06-01"}}));
  EXPECT_EQ(r.reason, "ombudsman_received is given without ombudsman");
  r = OnlyReject(Row({{"ombudsman", "lgsco"},
                      {"ombudsman_received", "2023-06-01"},
                      {"ombudsman_decision", "upheld"}}));
  EXPECT_EQ(r.column, "ombudsman_decided");
  r = OnlyReject(Row({{"s1_responded", "2023-05-10"},
                      {"s1_outcome", "upheld"},
                      {"s2_requested", "2023-05-12"},
                      {"s2_responded", "2023-06-01"}}));
  EXPECT_EQ(r.column, "s2_outcome");
}

TEST(ImportCasesTest, ADecisionWithoutAReferral) {
  const Reject r = OnlyReject(Row(
      {{"ombudsman_decision", "upheld"}, {"ombudsman_decided", "2023-09-01"}}));
  EXPECT_EQ(r.rule, "invalid_history");
  EXPECT_EQ(r.column, "");
  EXPECT_THAT(r.reason, HasSubstr("has no Ombudsman referral before it"));
}

TEST(ImportCasesTest, HistoriesTheStateMachineRefuses) {
  struct Case {
    std::map<std::string, std::string> values;
    const char* reason;
  };
  for (const Case& c : std::vector<Case>{
           {{{"s2_requested", "2023-05-20"}},
            "case C-1: escalation request on 2023-05-20 has no stage 1 "
            "response before it"},
           {{{"s1_acknowledged", "2023-05-01"}},
            "case C-1: stage 1 acknowledgement on 2023-05-01 precedes the "
            "receipt on 2023-05-02"},
           {{{"withdrawn", "2023-04-30"}},
            "case C-1: withdrawal on 2023-04-30 precedes the receipt on "
            "2023-05-02"},
           {{{"lessons_learnt", "2023-05-01"}},
            "case C-1: Lessons Learnt record on 2023-05-01 precedes the "
            "receipt on 2023-05-02"},
           {{{"s1_extended_to", "2023-05-01"}},
            "case C-1: stage 1 extension on 2023-05-01 precedes the receipt "
            "on 2023-05-02"},
           {{{"s1_acknowledged", "2023-05-10"},
             {"s1_responded", "2023-05-09"},
             {"s1_outcome", "upheld"}},
            "case C-1: stage 1 acknowledgement on 2023-05-10 comes after the "
            "stage 1 response on 2023-05-09 (no response before its "
            "acknowledgement)"},
           {{{"s1_responded", "2023-05-09"},
             {"s1_outcome", "upheld"},
             {"s2_requested", "2023-05-08"}},
            "case C-1: escalation request on 2023-05-08 precedes the stage 1 "
            "response on 2023-05-09"},
           {{{"s1_responded", "2023-05-09"},
             {"s1_outcome", "upheld"},
             {"s2_requested", "2023-05-12"},
             {"s2_acknowledged", "2023-05-11"}},
            "case C-1: stage 2 acknowledgement on 2023-05-11 precedes the "
            "escalation request on 2023-05-12"},
           {{{"s1_responded", "2023-05-09"},
             {"s1_outcome", "upheld"},
             {"s2_acknowledged", "2023-05-11"}},
            "case C-1: stage 2 acknowledgement on 2023-05-11 has no escalation "
            "request before it"},
           {{{"withdrawn", "2023-05-05"},
             {"s1_responded", "2023-05-09"},
             {"s1_outcome", "upheld"}},
            "case C-1: stage 1 response (upheld) on 2023-05-09 comes after the "
            "withdrawal on 2023-05-05"},
           {{{"s1_responded", "2023-05-09"},
             {"s1_outcome", "upheld"},
             {"withdrawn", "2023-05-09"}},
            "case C-1: withdrawal on 2023-05-09 leaves nothing pending: the "
            "stage 1 response on 2023-05-09 answered the complaint"},
           {{{"ombudsman", "lgsco"},
             {"ombudsman_received", "2023-09-01"},
             {"ombudsman_decision", "upheld"},
             {"ombudsman_decided", "2023-08-01"}},
            "case C-1: Ombudsman decision 'upheld' on "
            "2023-08-01 precedes the Ombudsman referral on 2023-09-01"},
       }) {
    const Reject r = OnlyReject(Row(c.values));
    EXPECT_EQ(r.rule, "invalid_history");
    EXPECT_EQ(r.column, "");
    EXPECT_EQ(r.reason, c.reason);
  }
}

TEST(ImportCasesTest, ValidEdgeHistories) {
  // A withdrawal pending at stage 2, on the day of the escalation request.
  ExpectAccepted(Row({{"s1_responded", "2023-05-09"},
                      {"s1_outcome", "upheld"},
                      {"s2_requested", "2023-05-12"},
                      {"withdrawn", "2023-05-12"}}));
  // Lessons and the Ombudsman may follow a withdrawal.
  ExpectAccepted(Row({{"withdrawn", "2023-05-05"},
                      {"lessons_learnt", "2023-06-01"},
                      {"ombudsman", "lgsco"},
                      {"ombudsman_received", "2023-07-01"}}));
  // Everything on the day of receipt.
  ExpectAccepted(Row({{"s1_acknowledged", "2023-05-02"},
                      {"s1_responded", "2023-05-02"},
                      {"s1_outcome", "upheld"}}));
  // A date-time received, events as dates.
  ExpectAccepted(Row({{"received", "2023-05-02 09:30"},
                      {"s1_responded", "2023-05-02"},
                      {"s1_outcome", "upheld"}}));
}

TEST(ImportCasesTest, ComplimentsAndEnquiriesCarryOnlyTheirColumns) {
  Reject r = OnlyReject(
      Row({{"type", "Compliment"}, {"s1_acknowledged", "2023-05-03"}}));
  EXPECT_EQ(r.column, "s1_acknowledged");
  EXPECT_EQ(r.rule, "not_for_type");
  EXPECT_EQ(r.reason,
            "a compliment carries no s1_acknowledged (only complaints do)");
  r = OnlyReject(Row({{"type", "enquiry"}, {"remedy_amount", "10"}}));
  EXPECT_EQ(r.column, "remedy_amount");
  EXPECT_EQ(r.reason,
            "an enquiry carries no remedy_amount (only complaints do)");
  r = OnlyReject(Row({{"type", "enquiry"}, {"lessons_learnt", "2023-06-01"}}));
  EXPECT_EQ(r.column, "lessons_learnt");
  ExpectAccepted(Row({{"type", "compliment"},
                      {"team", "Repairs Team"},
                      {"staff", "J. Smith"},
                      {"channel", "letter"},
                      {"customer", "X1"},
                      {"service", "Repairs"}}));
}

TEST(ImportCasesTest, DuplicateRefsWhetherTheEarlierRowWasAcceptedOrNot) {
  Result r = ImportCasesText(
      std::string(kCaseHeader) + Row({{"case_ref", "A"}}) +  // accepted
      Row({{"case_ref", " A "}}) +                           // duplicate
      Row({{"case_ref", "B"}, {"received", "bad"}}) +        // rejected
      Row({{"case_ref", "B"}}) +                             // duplicate
      Row({{"case_ref", "C"}}));                             // accepted
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.summary.cases.read, 5);
  EXPECT_EQ(r.summary.cases.accepted, 2);
  EXPECT_EQ(r.summary.cases.rejected, 3);
  ASSERT_EQ(r.rejects.size(), 3u);
  EXPECT_EQ(r.rejects[0].line, 3);
  EXPECT_EQ(r.rejects[0].rule, "duplicate_case_ref");
  EXPECT_EQ(r.rejects[0].column, "case_ref");
  EXPECT_EQ(r.rejects[0].reason,
            "case_ref A is already used by an earlier row");
  EXPECT_EQ(r.rejects[2].line, 5);
  EXPECT_EQ(r.rejects[2].rule, "duplicate_case_ref");
  EXPECT_EQ(r.summary.cases.rejected_by_rule.at("duplicate_case_ref"), 2);
}

TEST(ImportCasesTest, WrongNumberOfFields) {
  const Reject r = OnlyReject("C-1,complaint,2023-05-02,Housing\n");
  EXPECT_EQ(r.rule, "wrong_field_count");
  EXPECT_EQ(r.column, "");
  EXPECT_EQ(r.reason, "wrong number of fields: 4 where the header has 25");
  EXPECT_EQ(r.record, "C-1,complaint,2023-05-02,Housing");
}

TEST(ImportCasesTest, QuotedNewlinesGiveEditorLineNumbersAndExactRecords) {
  const std::string quoted =
      Row({{"case_ref", "A"}, {"team", "\"line 1\nline 2\""}});
  Result r = ImportCasesText(std::string(kCaseHeader) + quoted + "\n   \n" +
                             Row({{"case_ref", "B"}, {"type", "bad"}}));
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.summary.cases.read, 2);  // the blank lines are not rows
  ASSERT_EQ(r.rejects.size(), 1u);
  // Header 1, A on 2-3, blank 4 and 5, B on 6.
  EXPECT_EQ(r.rejects[0].line, 6);
  EXPECT_EQ(r.kept.cases[0].team(), "line 1\nline 2");
  EXPECT_EQ(r.kept.cases[0].source().line(), 2);
  EXPECT_EQ(r.rejects[0].record + "\n",
            Row({{"case_ref", "B"}, {"type", "bad"}}));
}

// A quote never closed is a bad row like any other malformed record: it is
// rejected (from the line it starts on to the end of the file), and the rows
// before it stand.
TEST(ImportCasesTest, AQuoteNeverClosedRejectsTheRestOfTheFileAsOneRow) {
  Result r = ImportCasesText(
      std::string(kCaseHeader) + Row({{"case_ref", "A"}}) +
      Row({{"case_ref", "B"}, {"team", "\"open"}}) + Row({{"case_ref", "C"}}));
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.summary.cases.read, 2);
  EXPECT_EQ(r.summary.cases.accepted, 1);
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 3);
  EXPECT_EQ(r.rejects[0].rule, "malformed_csv");
  EXPECT_EQ(r.rejects[0].column, "team");
  EXPECT_THAT(r.rejects[0].reason, HasSubstr("not closed"));
}

TEST(ImportCasesTest, NotUtf8) {
  const Reject r = OnlyReject(Row({{"team", "caf\xE9"}}));
  EXPECT_EQ(r.rule, "not_utf8");
  EXPECT_EQ(r.column, "team");
}

// FORMATS.md: unknown columns are kept as attributes, "never validated,
// never an error" -- not even for bytes that are not UTF-8 (the attribute
// then holds U+FFFD for them, as a protobuf string must be UTF-8).
TEST(ImportCasesTest, UnknownColumnsAreNeverValidated) {
  Result r = ImportCasesText(
      "case_ref,type,received,directorate,Notes\n"
      "A,complaint,2023-05-02,Housing,\"caf\xE9 \"\"au\"\" lait\"\n"
      "B,complaint,2023-05-02,Housing\xE9,fine\n");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.summary.cases.accepted, 1);
  ASSERT_EQ(r.kept.cases.size(), 1u);
  ASSERT_EQ(r.kept.cases[0].attributes_size(), 1);
  EXPECT_EQ(r.kept.cases[0].attributes(0).name(), "Notes");
  EXPECT_EQ(r.kept.cases[0].attributes(0).value(),
            "caf\xEF\xBF\xBD \"au\" lait");
  // A known column is still checked.
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].rule, "not_utf8");
  EXPECT_EQ(r.rejects[0].column, "directorate");
}

TEST(ImportInteractionsTest, UnknownColumnsAreNeverValidated) {
  KeepAll kept;
  RejectList rejects;
  Importer importer(kept, &rejects);
  CsvReader reader = CsvReader::FromString(
      "interaction_id,at,channel,kind,note\n"
      "I1,2023-06-05T10:00,phone,contact,\xC3(\xE2\x82\xAC\n"
      "I2,2023-06-05T10:00,phone,cont\xE9"
      "ct,x\n");
  ASSERT_TRUE(importer.ImportInteractions(reader, "interactions.csv").ok());
  EXPECT_EQ(importer.summary().interactions.accepted, 1);
  ASSERT_EQ(kept.interactions.size(), 1u);
  ASSERT_EQ(kept.interactions[0].attributes_size(), 1);
  EXPECT_EQ(kept.interactions[0].attributes(0).value(),
            "\xEF\xBF\xBD(\xE2\x82\xAC");
  ASSERT_EQ(rejects.rejects().size(), 1u);
  EXPECT_EQ(rejects.rejects()[0].column, "kind");
}

// Spreadsheets export blank names for empty trailing columns: unknown
// columns, so several of them are no error. A column the import reads,
// named twice, is an error for the whole file (which one holds the value?).
TEST(ImportCasesTest, UnknownColumnsMayShareANameKnownOnesMayNot) {
  Result r = ImportCasesText(
      "case_ref,type,received,directorate,,,Note,NOTE\n"
      "A,complaint,2023-05-02,Housing,,,x,y\n");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.summary.cases.accepted, 1);
  ASSERT_EQ(r.kept.cases.size(), 1u);
  EXPECT_EQ(r.kept.cases[0].attributes_size(), 2);

  r = ImportCasesText(
      "case_ref,type,received,directorate, Received\n"
      "A,complaint,2023-05-02,Housing,2023-05-03\n");
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status.message()),
              HasSubstr("names the 'received' column more than once"));
  EXPECT_EQ(r.summary.cases.read, 0);

  KeepAll kept;
  Importer importer(kept, nullptr);
  CsvReader reader = CsvReader::FromString(
      "interaction_id,at,channel,kind,,\nI1,2023-06-05T10:00,phone,contact,,"
      "\n");
  ASSERT_TRUE(importer.ImportInteractions(reader, "interactions.csv").ok());
  EXPECT_EQ(importer.summary().interactions.accepted, 1);
  CsvReader twice = CsvReader::FromString(
      "interaction_id,at,channel,kind,KIND\nI1,2023-06-05T10:00,phone,contact,"
      "contact\n");
  EXPECT_THAT(
      std::string(importer.ImportInteractions(twice, "i.csv").message()),
      HasSubstr("names the 'kind' column more than once"));
}

TEST(ImportCasesTest, TheBstEdge) {
  Result r = ImportCasesText(std::string(kCaseHeader) +
                             Row({{"received", "2024-03-31T23:30:00Z"}}));
  ASSERT_EQ(r.kept.states.size(), 1u);
  EXPECT_EQ(r.kept.states[0].received.date, absl::CivilDay(2024, 4, 1));
}

TEST(ImportCasesTest, AcceptedPlusRejectedIsRead) {
  std::string text = kCaseHeader;
  for (int i = 0; i < 200; ++i) {
    std::map<std::string, std::string> v = {
        {"case_ref", "R" + std::to_string(i % 170)}};
    if (i % 7 == 0) v["received"] = "2023-02-30";
    if (i % 11 == 0) v["s2_requested"] = "2023-06-01";
    text += Row(v);
  }
  text += "short,row\n";
  Result r = ImportCasesText(text);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.summary.cases.read, 201);
  EXPECT_EQ(r.summary.cases.accepted + r.summary.cases.rejected, 201);
  EXPECT_EQ(static_cast<int64_t>(r.rejects.size()), r.summary.cases.rejected);
  int64_t by_rule = 0;
  for (const auto& [rule, n] : r.summary.cases.rejected_by_rule) by_rule += n;
  EXPECT_EQ(by_rule, r.summary.cases.rejected);
}

const char kInteractionHeader[] =
    "interaction_id,at,channel,directorate,service,kind,customer,case_ref\n";

TEST(ImportInteractionsTest, RowsAndRules) {
  KeepAll kept;
  RejectList rejects;
  Importer importer(kept, &rejects);
  CsvReader cases = CsvReader::FromString(std::string(kCaseHeader) +
                                          Row({{"case_ref", "C-1"}}));
  ASSERT_TRUE(importer.ImportCases(cases, "cases.csv").ok());
  CsvReader reader = CsvReader::FromString(
      std::string(kInteractionHeader) +
      "I1,2023-06-05T10:00:00,phone,Housing,Repairs,Follow Up,,C-1\n"
      "I2,2023-06-05 10:00,email,,,contact,,\n"
      "I3,2023-06-05T10:00:00+01:00,web,Housing,,enquiry,,C-404\n"
      "I1,2023-06-06T10:00:00,phone,Housing,,contact,,\n"
      "I4,2023-06-31T10:00:00,phone,Housing,,contact,,\n"
      "I5,2023-06-05T10:00:00,fax,Housing,,contact,,\n"
      "I6,2023-06-05T10:00:00,phone,Housing,,visit,,\n"
      ",2023-06-05T10:00:00,phone,Housing,,contact,,\n"
      "I7,2023-06-05T10:00:00,,Housing,,contact,,\n");
  ASSERT_TRUE(importer.ImportInteractions(reader, "interactions.csv").ok());
  const ImportSummary& s = importer.summary();
  EXPECT_EQ(s.interactions.read, 9);
  EXPECT_EQ(s.interactions.accepted, 3);
  EXPECT_EQ(s.interactions.rejected, 6);
  EXPECT_EQ(s.unlinked_interactions, 1);  // I3 names C-404, kept
  ASSERT_EQ(kept.interactions.size(), 3u);
  EXPECT_EQ(kept.interactions[0].kind(), v1::INTERACTION_KIND_FOLLOW_UP);
  EXPECT_EQ(kept.interactions[2].case_ref(), "C-404");
  const auto& r = rejects.rejects();
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[0].rule, "duplicate_interaction_id");
  EXPECT_EQ(r[0].line, 5);
  EXPECT_EQ(r[1].column, "at");
  EXPECT_EQ(r[2].column, "channel");
  EXPECT_EQ(r[3].column, "kind");
  EXPECT_EQ(r[4].column, "interaction_id");
  EXPECT_EQ(r[4].rule, "missing_value");
  EXPECT_EQ(r[5].column, "channel");
  EXPECT_EQ(r[5].rule, "missing_value");
}

TEST(ImportInteractionsTest, MissingRequiredColumn) {
  KeepAll kept;
  Importer importer(kept, nullptr);
  CsvReader reader =
      CsvReader::FromString("interaction_id,at,kind\nI1,2023-06-05,contact\n");
  absl::Status s = importer.ImportInteractions(reader, "interactions.csv");
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("the header has no 'channel' column"));
}

TEST(RejectsCsvWriterTest, WritesTheFormatsMdHeaderAndQuotesRecords) {
  std::ostringstream out;
  RejectsCsvWriter writer(&out);
  ASSERT_TRUE(writer
                  .OnReject({"cases.csv", 7, "received", "bad_value",
                             "received: '31/02/2023' is not a calendar date",
                             "C-1,complaint,\"31/02/2023\"\nmore"})
                  .ok());
  EXPECT_EQ(out.str(),
            "file,line,column,reason,record\n"
            "cases.csv,7,received,received: '31/02/2023' is not a calendar "
            "date,\"C-1,complaint,\"\"31/02/2023\"\"\nmore\"\n");
}

TEST(ImportFilesTest, TheMessyExport) {
  KeepAll kept;
  RejectList rejects;
  Importer importer(kept, &rejects);
  const std::string dir = TELLUS_TEST_DATA_DIR "/messy/";
  ASSERT_TRUE(importer.ImportCases(dir + "cases.csv", "cases.csv").ok());
  ASSERT_TRUE(
      importer.ImportInteractions(dir + "interactions.csv", "interactions.csv")
          .ok());
  const ImportSummary& s = importer.summary();
  EXPECT_EQ(s.cases.read, 16);
  EXPECT_EQ(s.cases.accepted, 5);
  EXPECT_EQ(s.cases.rejected, 11);
  EXPECT_EQ(s.interactions.read, 10);
  EXPECT_EQ(s.interactions.accepted, 6);
  EXPECT_EQ(s.unlinked_interactions, 2);
  EXPECT_EQ(rejects.rejects()[0].line, 6);  // after a three-line record
  EXPECT_THAT(FormatSummary(s),
              HasSubstr("16 rows read, 5 accepted, 11 rejected"));
}

TEST(ImportFilesTest, AMissingFile) {
  KeepAll kept;
  Importer importer(kept, nullptr);
  absl::Status s = importer.ImportCases("/nonexistent/cases.csv");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.message()), HasSubstr("cannot be read"));
}

}  // namespace
}  // namespace tellus

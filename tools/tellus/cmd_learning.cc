// tellus digest, compliments and restrictions: listings from the learning
// records for the people who act on them.
//
//   tellus digest --directorate Housing --month 2024-01 --data DIR
//   tellus compliments --staff S-7 --period 2023/24 --data DIR
//   tellus restrictions --on 2024-06-30 --data DIR
//   tellus digest --directorate Housing --month 2024-01 --store DB
#include <cstdio>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "commands.h"
#include "input.h"
#include "tellus/aggregate.h"
#include "tellus/case.h"
#include "tellus/dates.h"
#include "tellus/import.h"
#include "tellus/learning_lists.h"
#include "tellus/period.h"
#include "tellus/proto_io.h"
#include "tellus/restriction_check.h"
#include "tellus/status_macros.h"
#include "tellus/store.h"

namespace tellus::cli {
namespace {

struct Records {
  std::vector<v1::Case> cases;
  std::vector<v1::Restriction> restrictions;
};

struct LearningInput {
  std::string data_dir;            // a data directory
  std::string store;               // a store
  std::vector<std::string> cases;  // cases.csv exports or protobuf streams
  std::string restrictions;        // a restrictions file
  std::string format = "text";
};

void AddLearningInput(CLI::App& cmd, LearningInput& in, bool with_cases) {
  cmd.add_option("--data", in.data_dir,
                 "a folder written by `tellus import --out` (with "
                 "restrictions.binpb when it holds restrictions)");
  cmd.add_option("--store", in.store,
                 "a store written by `tellus import --store` (its cases and "
                 "the latest version of each restriction)");
  if (with_cases) {
    cmd.add_option("--cases", in.cases,
                   "cases.csv exports, or case streams (.binpb, .jsonl)");
  }
  cmd.add_option("--restrictions", in.restrictions,
                 "a restrictions file (.binpb or .jsonl)");
  cmd.add_option("--format", in.format, "text or markdown")
      ->check(CLI::IsMember({"text", "markdown"}))
      ->capture_default_str();
}

// Keeps accepted cases as messages.
class CaseCollector : public ImportSink {
 public:
  explicit CaseCollector(std::vector<v1::Case>& out) : out_(out) {}
  absl::Status OnCase(const v1::Case& c, const CaseState&) override {
    out_.push_back(c);
    return absl::OkStatus();
  }
  absl::Status OnInteraction(const v1::Interaction&,
                             const EventTime&) override {
    return absl::OkStatus();
  }

 private:
  std::vector<v1::Case>& out_;
};

absl::Status ReadCaseStream(const std::string& path,
                            std::vector<v1::Case>& out) {
  return ForEachCase(path, [&](const v1::Case& c) -> absl::Status {
    TELLUS_RETURN_IF_ERROR(FoldCase(c).status());
    out.push_back(c);
    return absl::OkStatus();
  });
}

// The store's cases (each with its whole history) and restrictions.
absl::Status LoadFromStore(const std::string& path, bool need_cases,
                           Records& records) {
  TELLUS_ASSIGN_OR_RETURN(Store store, OpenExistingStore(path));
  if (need_cases) {
    TELLUS_ASSIGN_OR_RETURN(records.cases, store.Cases());
  }
  TELLUS_ASSIGN_OR_RETURN(records.restrictions, store.Restrictions());
  return absl::OkStatus();
}

absl::StatusOr<Records> LoadRecords(const LearningInput& in, bool need_cases) {
  Records records;
  if ((!in.data_dir.empty()) + (!in.cases.empty()) + (!in.store.empty()) > 1) {
    return absl::InvalidArgumentError("give one of --data, --store or --cases");
  }
  if (!in.store.empty()) {
    TELLUS_RETURN_IF_ERROR(LoadFromStore(in.store, need_cases, records));
  } else if (!in.data_dir.empty()) {
    TELLUS_ASSIGN_OR_RETURN(DataDirFiles files, FindDataDirFiles(in.data_dir));
    if (need_cases) {
      TELLUS_RETURN_IF_ERROR(ReadCaseStream(files.cases, records.cases));
    }
    if (!files.restrictions.empty() && in.restrictions.empty()) {
      TELLUS_ASSIGN_OR_RETURN(records.restrictions,
                              ReadRestrictions(files.restrictions));
    }
  } else if (need_cases) {
    if (in.cases.empty()) {
      return absl::InvalidArgumentError(
          "no input: give --data DIR, --store DB or --cases FILE");
    }
    CaseCollector collector(records.cases);
    RejectList rejects;
    Importer importer(collector, &rejects);
    bool imported = false;
    for (const std::string& path : in.cases) {
      if (absl::EndsWith(path, ".binpb") || absl::EndsWith(path, ".jsonl")) {
        TELLUS_RETURN_IF_ERROR(ReadCaseStream(path, records.cases));
      } else {
        TELLUS_RETURN_IF_ERROR(importer.ImportCases(path));
        imported = true;
      }
    }
    if (imported) {
      std::fputs(FormatSummary(importer.summary()).c_str(), stderr);
      if (!rejects.rejects().empty()) {
        std::fputs(
            "Rejected rows are left out; `tellus validate` lists each one "
            "with its reason.\n",
            stderr);
      }
    }
  }
  if (!in.restrictions.empty()) {
    TELLUS_ASSIGN_OR_RETURN(records.restrictions,
                            ReadRestrictions(in.restrictions));
  }
  return records;
}

void Print(const std::string& out) {
  std::fwrite(out.data(), 1, out.size(), stdout);
}

// An as-of given as a date means the end of that London day.
absl::StatusOr<absl::Time> ParseAsOfDate(const std::string& text,
                                         absl::Time otherwise) {
  if (text.empty()) return otherwise;
  return ParseAsOf(text);
}

// --- digest ------------------------------------------------------------------

struct DigestOptions {
  LearningInput input;
  std::string directorate;
  std::string month;  // YYYY-MM
  std::string as_of;  // YYYY-MM-DD; default: the end of the month
};

absl::Status RunDigest(const DigestOptions& o) {
  absl::CivilMonth month;
  if (!absl::ParseCivilTime(o.month, &month)) {
    return absl::InvalidArgumentError(
        absl::StrCat("month '", o.month, "' is not of the form YYYY-MM"));
  }
  DigestRequest request;
  request.directorate = o.directorate;
  request.month = month;
  const absl::CivilDay last = absl::CivilDay(month + 1) - 1;
  TELLUS_ASSIGN_OR_RETURN(request.as_of,
                          ParseAsOfDate(o.as_of, EndOfLondonDay(last)));
  TELLUS_ASSIGN_OR_RETURN(Records records, LoadRecords(o.input, true));
  TELLUS_ASSIGN_OR_RETURN(Digest digest, BuildDigest(records.cases, request));
  TELLUS_ASSIGN_OR_RETURN(std::string out,
                          RenderDigest(digest, o.input.format));
  Print(out);
  return absl::OkStatus();
}

// --- compliments -------------------------------------------------------------

struct ComplimentsOptions {
  LearningInput input;
  std::string staff;
  std::string team;
  std::string period;
  int financial_year_start_month = 4;
};

absl::Status RunCompliments(const ComplimentsOptions& o) {
  ComplimentQuery query;
  query.staff = o.staff;
  query.team = o.team;
  TELLUS_ASSIGN_OR_RETURN(query.period,
                          ParsePeriod(o.period, o.financial_year_start_month));
  TELLUS_ASSIGN_OR_RETURN(Records records, LoadRecords(o.input, true));
  TELLUS_ASSIGN_OR_RETURN(std::vector<ComplimentEntry> entries,
                          ListCompliments(records.cases, query));
  TELLUS_ASSIGN_OR_RETURN(std::string out,
                          RenderCompliments(entries, query, o.input.format));
  Print(out);
  return absl::OkStatus();
}

// --- restrictions ------------------------------------------------------------

struct RestrictionsOptions {
  LearningInput input;
  std::string on;  // YYYY-MM-DD; default: today in London
};

absl::Status RunRestrictions(const RestrictionsOptions& o) {
  absl::CivilDay day = LondonDate(absl::Now());
  if (!o.on.empty()) {
    TELLUS_ASSIGN_OR_RETURN(day, ParseIsoDate(o.on));
  }
  if (o.input.data_dir.empty() && o.input.store.empty() &&
      o.input.restrictions.empty()) {
    return absl::InvalidArgumentError(
        "no input: give --data DIR, --store DB or --restrictions FILE");
  }
  TELLUS_ASSIGN_OR_RETURN(Records records, LoadRecords(o.input, false));
  const std::vector<RestrictionStatus> statuses =
      RestrictionsInForce(records.restrictions, day);
  TELLUS_ASSIGN_OR_RETURN(std::string out,
                          RenderRestrictions(statuses, day, o.input.format));
  Print(out);
  return absl::OkStatus();
}

}  // namespace

void AddLearningCommands(CLI::App& app) {
  {
    auto o = std::make_shared<DigestOptions>();
    CLI::App* cmd = app.add_subcommand(
        "digest",
        "A directorate's month for its management team: complaints, "
        "responses on time, lessons and their actions, overdue actions, "
        "compliments and Ombudsman decisions");
    cmd->add_option("--directorate", o->directorate, "the directorate")
        ->required();
    cmd->add_option("--month", o->month, "the month, YYYY-MM")->required();
    cmd->add_option("--as-of", o->as_of,
                    "records as of the end of this day, YYYY-MM-DD; default: "
                    "the end of the month");
    AddLearningInput(*cmd, o->input, true);
    cmd->callback([o] {
      if (absl::Status s = RunDigest(*o); !s.ok()) Fail("digest", s);
    });
  }
  {
    auto o = std::make_shared<ComplimentsOptions>();
    CLI::App* cmd = app.add_subcommand(
        "compliments",
        "The compliments about one officer or team, for a 1-2-1 or an "
        "appraisal");
    cmd->add_option("--staff", o->staff, "the officer's staff id");
    cmd->add_option("--team", o->team, "the team");
    cmd->add_option("--period", o->period,
                    "2023/24 (financial year), 2023 (calendar year) or "
                    "2023-04-01..2023-06-30")
        ->required();
    cmd->add_option("--financial-year-start-month",
                    o->financial_year_start_month,
                    "first month of the financial year")
        ->check(CLI::Range(1, 12))
        ->capture_default_str();
    AddLearningInput(*cmd, o->input, true);
    cmd->callback([o] {
      if (absl::Status s = RunCompliments(*o); !s.ok()) Fail("compliments", s);
    });
  }
  {
    auto o = std::make_shared<RestrictionsOptions>();
    CLI::App* cmd = app.add_subcommand(
        "restrictions",
        "Contact restrictions in force on a day, overdue reviews first");
    cmd->add_option("--on", o->on, "the day, YYYY-MM-DD; default: today");
    AddLearningInput(*cmd, o->input, false);
    cmd->callback([o] {
      if (absl::Status s = RunRestrictions(*o); !s.ok()) {
        Fail("restrictions", s);
      }
    });
  }
}

}  // namespace tellus::cli

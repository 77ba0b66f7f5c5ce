// The C ABI of tellus.h: thin wrappers around the C++ API. Each entry point
// checks its pointers, converts bytes to messages and back, and turns every
// absl::Status and every C++ exception into a status code and the calling
// thread's last error message.
#include <climits>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tellus/aggregate.h"
#include "tellus/calendar.h"
#include "tellus/case.h"
#include "tellus/csv_reader.h"
#include "tellus/dataset.h"
#include "tellus/dates.h"
#include "tellus/import.h"
#include "tellus/learning_lists.h"
#include "tellus/period.h"
#include "tellus/proto_io.h"
#include "tellus/render.h"
#include "tellus/render_html.h"
#include "tellus/report.h"
#include "tellus/status_macros.h"
#include "tellus/store.h"
#include "tellus/tellus.h"
#include "tellus/timescales.h"
#include "tellus/v1/aggregate.pb.h"
#include "tellus/v1/calendar.pb.h"
#include "tellus/v1/case.pb.h"
#include "tellus/v1/import.pb.h"
#include "tellus/v1/interaction.pb.h"
#include "tellus/v1/policy.pb.h"
#include "tellus/v1/question_set.pb.h"
#include "tellus/v1/report.pb.h"
#include "tellus/v1/restriction.pb.h"
#include "tellus/v1/state.pb.h"
#include "tellus/v1/store.pb.h"

namespace tellus {
namespace {

// ---------------------------------------------------------------------------
// Handles

// The objects behind the handles of tellus.h. The C structs stay incomplete
// (declared, never defined) so that the library's debug information, and
// with it the ABI baseline, shows them as the opaque types they are: a
// change in these structs is no change of the ABI.
struct CalendarHandle {
  Calendar calendar;
};

struct DatasetHandle {
  Dataset data;
  v1::ImportSummary summary;
  v1::RejectList rejects;
};

struct PartialHandle {
  PartialAggregate partial;
};

struct StoreHandle {
  Store store;
};

CalendarHandle* Unwrap(tellus_calendar* p) {
  return reinterpret_cast<CalendarHandle*>(p);
}
const CalendarHandle* Unwrap(const tellus_calendar* p) {
  return reinterpret_cast<const CalendarHandle*>(p);
}
tellus_calendar* Wrap(CalendarHandle* p) {
  return reinterpret_cast<tellus_calendar*>(p);
}
DatasetHandle* Unwrap(tellus_dataset* p) {
  return reinterpret_cast<DatasetHandle*>(p);
}
const DatasetHandle* Unwrap(const tellus_dataset* p) {
  return reinterpret_cast<const DatasetHandle*>(p);
}
tellus_dataset* Wrap(DatasetHandle* p) {
  return reinterpret_cast<tellus_dataset*>(p);
}
PartialHandle* Unwrap(tellus_partial* p) {
  return reinterpret_cast<PartialHandle*>(p);
}
const PartialHandle* Unwrap(const tellus_partial* p) {
  return reinterpret_cast<const PartialHandle*>(p);
}
tellus_partial* Wrap(PartialHandle* p) {
  return reinterpret_cast<tellus_partial*>(p);
}
StoreHandle* Unwrap(tellus_store* p) {
  return reinterpret_cast<StoreHandle*>(p);
}
tellus_store* Wrap(StoreHandle* p) {
  return reinterpret_cast<tellus_store*>(p);
}

// ---------------------------------------------------------------------------
// Errors

struct LastError {
  std::string message;
  // Set instead of `message` when storing the message itself failed.
  const char* fallback = nullptr;
};

LastError& ThreadError() {
  thread_local LastError error;
  return error;
}

void ClearError() {
  LastError& e = ThreadError();
  e.message.clear();
  e.fallback = nullptr;
}

int SetError(int code, absl::string_view message) noexcept {
  LastError& e = ThreadError();
  try {
    e.message.assign(message.data(), message.size());
    e.fallback = nullptr;
  } catch (...) {
    e.message.clear();
    e.fallback = "out of memory while recording an error";
  }
  return code;
}

int StatusCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return TELLUS_OK;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kAlreadyExists:
      return TELLUS_E_INVALID_ARGUMENT;
    case absl::StatusCode::kDataLoss:
      return TELLUS_E_MALFORMED;
    case absl::StatusCode::kNotFound:
      return TELLUS_E_NOT_FOUND;
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnavailable:
      return TELLUS_E_IO;
    case absl::StatusCode::kFailedPrecondition:
      return TELLUS_E_FAILED_PRECONDITION;
    case absl::StatusCode::kUnimplemented:
      return TELLUS_E_UNSUPPORTED;
    case absl::StatusCode::kResourceExhausted:
      return TELLUS_E_NO_MEMORY;
    case absl::StatusCode::kAborted:  // a store busy with another writer
      return TELLUS_E_BUSY;
    default:
      return TELLUS_E_INTERNAL;
  }
}

int Fail(const absl::Status& status) {
  return SetError(StatusCode(status.code()), status.message());
}

int InvalidArgument(absl::string_view message) {
  return SetError(TELLUS_E_INVALID_ARGUMENT, message);
}

// Runs the body of an entry point: clears the thread's error, and turns any
// exception into a status so that none crosses the C boundary.
template <typename Body>
int Guard(Body&& body) noexcept {
  try {
    ClearError();
    return body();
  } catch (const std::bad_alloc&) {
    return SetError(TELLUS_E_NO_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return SetError(TELLUS_E_INTERNAL,
                    absl::StrCat("internal error: ", e.what()));
  } catch (...) {
    return SetError(TELLUS_E_INTERNAL, "internal error: unknown exception");
  }
}

// ---------------------------------------------------------------------------
// Arguments

// Fails unless `p` is non-NULL; `what` names the parameter.
#define TELLUS_C_REQUIRE(p, what)                                \
  do {                                                           \
    if ((p) == nullptr) return InvalidArgument(what " is NULL"); \
  } while (false)

// Parses `size` bytes at `data` as a message M; NULL with size 0 is the
// empty message. `what` says what the bytes are for, in messages.
template <typename M>
int ParseMessage(const void* data, size_t size, absl::string_view what,
                 M& out) {
  if (data == nullptr && size != 0) {
    return InvalidArgument(
        absl::StrCat(what, " is NULL but its size is ", size, " bytes"));
  }
  if (size > static_cast<size_t>(INT_MAX)) {
    return InvalidArgument(
        absl::StrCat(what, " is ", size, " bytes, more than a message can be"));
  }
  if (size == 0) {
    out.Clear();
    return TELLUS_OK;
  }
  if (!out.ParseFromArray(data, static_cast<int>(size))) {
    return SetError(
        TELLUS_E_MALFORMED,
        absl::StrCat(what, ": ", size, " bytes are not a serialized ",
                     out.GetTypeName(), " (truncated or another message)"));
  }
  return TELLUS_OK;
}

// Copies `bytes` into a buffer for the caller, followed by a NUL byte.
int ReturnBuffer(const std::string& bytes, void** out, size_t* out_size) {
  char* buffer = static_cast<char*>(std::malloc(bytes.size() + 1));
  if (buffer == nullptr) return SetError(TELLUS_E_NO_MEMORY, "out of memory");
  std::memcpy(buffer, bytes.data(), bytes.size());
  buffer[bytes.size()] = '\0';
  *out = buffer;
  if (out_size != nullptr) *out_size = bytes.size();
  return TELLUS_OK;
}

int ReturnMessage(const google::protobuf::MessageLite& message, void** out,
                  size_t* out_size) {
  std::string bytes;
  if (!message.SerializeToString(&bytes)) {
    return SetError(TELLUS_E_INTERNAL,
                    absl::StrCat("cannot serialize a ", message.GetTypeName(),
                                 " (larger than 2 GiB?)"));
  }
  return ReturnBuffer(bytes, out, out_size);
}

// A yyyymmdd date: a real calendar date in years 1..9999.
absl::StatusOr<absl::CivilDay> DateArg(int32_t date, absl::string_view what) {
  const int32_t y = date / 10000, m = date / 100 % 100, d = date % 100;
  const absl::CivilDay day(y, m, d);
  if (date <= 0 || y < 1 || y > 9999 || day.year() != y || day.month() != m ||
      day.day() != d) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " ", date, " is not a date: expected yyyymmdd, e.g. 20240229"));
  }
  return day;
}

absl::StatusOr<std::optional<absl::CivilDay>> OptionalDateArg(
    int32_t date, absl::string_view what) {
  if (date == 0) return std::nullopt;
  TELLUS_ASSIGN_OR_RETURN(absl::CivilDay day, DateArg(date, what));
  return day;
}

absl::StatusOr<int32_t> DateResult(absl::CivilDay day) {
  if (day.year() < 1 || day.year() > 9999) {
    return absl::OutOfRangeError(absl::StrCat("the result ", FormatDate(day),
                                              " is outside years 1 to 9999"));
  }
  return static_cast<int32_t>(day.year() * 10000 + day.month() * 100 +
                              day.day());
}

const Calendar& CalendarArg(const tellus_calendar* calendar) {
  static const Calendar* const kDefault =
      new Calendar(Calendar::ForRegion(Region::kEnglandAndWales));
  return calendar == nullptr ? *kDefault : Unwrap(calendar)->calendar;
}

absl::StatusOr<v1::Stage> StageArg(int stage) {
  if (stage != TELLUS_STAGE_1 && stage != TELLUS_STAGE_2) {
    return absl::InvalidArgumentError(
        absl::StrCat("stage ", stage,
                     " is neither TELLUS_STAGE_1 (1) nor TELLUS_STAGE_2 (2)"));
  }
  return static_cast<v1::Stage>(stage);
}

// The timescale policy in `bytes` (none: the Code's defaults).
int PolicyArg(const void* bytes, size_t size, TimescalePolicy& out) {
  v1::TimescalePolicy proto;
  if (int rc = ParseMessage(bytes, size, "policy", proto); rc != TELLUS_OK) {
    return rc;
  }
  absl::StatusOr<TimescalePolicy> policy = PolicyFromProto(proto);
  if (!policy.ok()) return Fail(policy.status());
  out = *policy;
  return TELLUS_OK;
}

int ThreadsArg(int threads) {
  if (threads < 0 || threads > 1024) {
    return InvalidArgument(
        absl::StrCat("threads ", threads, " must be 0 (one per core) to 1024"));
  }
  return TELLUS_OK;
}

// ---------------------------------------------------------------------------
// Conversions to messages

v1::FileSummary FileSummaryMessage(const FileSummary& f) {
  v1::FileSummary out;
  out.set_file(f.file);
  out.set_read(f.read);
  out.set_accepted(f.accepted);
  out.set_rejected(f.rejected);
  for (const auto& [rule, count] : f.rejected_by_rule) {
    (*out.mutable_rejected_by_rule())[rule] = count;
  }
  return out;
}

v1::ImportSummary SummaryMessage(const ImportSummary& s) {
  v1::ImportSummary out;
  *out.mutable_cases() = FileSummaryMessage(s.cases);
  *out.mutable_interactions() = FileSummaryMessage(s.interactions);
  out.set_unlinked_interactions(s.unlinked_interactions);
  return out;
}

void AddReject(const Reject& r, v1::RejectList& out) {
  v1::Reject& m = *out.add_rejects();
  m.set_file(r.file);
  m.set_line(r.line);
  m.set_column(r.column);
  m.set_rule(r.rule);
  m.set_reason(r.reason);
  m.set_record(r.record);
}

v1::CaseStatus StatusMessage(CaseStatus status) {
  switch (status) {
    case CaseStatus::kRecorded:
      return v1::CASE_STATUS_RECORDED;
    case CaseStatus::kAwaitingStage1:
      return v1::CASE_STATUS_AWAITING_STAGE_1;
    case CaseStatus::kStage1Responded:
      return v1::CASE_STATUS_STAGE_1_RESPONDED;
    case CaseStatus::kAwaitingStage2:
      return v1::CASE_STATUS_AWAITING_STAGE_2;
    case CaseStatus::kStage2Responded:
      return v1::CASE_STATUS_STAGE_2_RESPONDED;
    case CaseStatus::kWithdrawn:
      return v1::CASE_STATUS_WITHDRAWN;
  }
  return v1::CASE_STATUS_UNSPECIFIED;
}

void FillStage(const StageState& st, v1::FoldedStage& out) {
  if (st.acknowledged) *out.mutable_acknowledged() = ToProto(*st.acknowledged);
  if (st.extended_to) *out.mutable_extended_to() = ToProto(*st.extended_to);
  if (st.responded) *out.mutable_responded() = ToProto(*st.responded);
  out.set_outcome(st.outcome);
}

void FillDeadlines(absl::CivilDay ack_due, absl::CivilDay response_due,
                   std::optional<bool> ack_on_time,
                   std::optional<bool> response_on_time, v1::FoldedStage& out) {
  *out.mutable_acknowledgement_due() = ToProto(ack_due);
  *out.mutable_response_due() = ToProto(response_due);
  if (ack_on_time) out.set_acknowledged_on_time(*ack_on_time);
  if (response_on_time) out.set_responded_on_time(*response_on_time);
}

v1::FoldedCase FoldedMessage(const CaseState& s, const Calendar& calendar,
                             const TimescalePolicy& policy) {
  v1::FoldedCase out;
  out.set_ref(s.ref);
  out.set_type(s.type);
  out.set_status(StatusMessage(s.status()));
  out.set_status_text(std::string(CaseStatusName(s.status())));
  *out.mutable_received() = ToProto(s.received);
  FillStage(s.stage1, *out.mutable_stage1());
  if (s.escalation_requested) {
    FillStage(s.stage2, *out.mutable_stage2());
    *out.mutable_escalation_requested() = ToProto(*s.escalation_requested);
  }
  if (s.withdrawn) *out.mutable_withdrawn() = ToProto(*s.withdrawn);
  out.set_ombudsman_body(s.ombudsman_body);
  if (s.ombudsman_referred) {
    *out.mutable_ombudsman_referred() = ToProto(*s.ombudsman_referred);
  }
  out.set_ombudsman_decision(s.ombudsman_decision);
  if (s.ombudsman_decided) {
    *out.mutable_ombudsman_decided() = ToProto(*s.ombudsman_decided);
  }
  for (const EventTime& lesson : s.lessons)
    *out.add_lessons() = ToProto(lesson);
  if (s.remedy_pence) out.set_remedy_pence(*s.remedy_pence);
  if (s.type == v1::CASE_TYPE_COMPLAINT) {
    const CaseDeadlines d = Deadlines(s, calendar, policy);
    FillDeadlines(d.stage1_ack_due, d.stage1_response_due, d.stage1_ack_on_time,
                  d.stage1_response_on_time, *out.mutable_stage1());
    if (d.stage2_ack_due && d.stage2_response_due) {
      FillDeadlines(*d.stage2_ack_due, *d.stage2_response_due,
                    d.stage2_ack_on_time, d.stage2_response_on_time,
                    *out.mutable_stage2());
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Data sets and settings

int NewDataset(Dataset data, const ImportSummary& summary,
               const RejectList& rejects, tellus_dataset** out) {
  auto handle = std::make_unique<DatasetHandle>(
      DatasetHandle{std::move(data), SummaryMessage(summary), {}});
  for (const Reject& r : rejects.rejects()) AddReject(r, handle->rejects);
  *out = Wrap(handle.release());
  return TELLUS_OK;
}

// Imports CSV through `import_cases` and `import_interactions`, which import
// one file each into the importer they are given.
template <typename ImportCases, typename ImportInteractions>
int ImportCsv(ImportCases import_cases, ImportInteractions import_interactions,
              tellus_dataset** out) {
  DatasetSink sink;
  RejectList rejects;
  Importer importer(sink, &rejects);
  if (absl::Status s = import_cases(importer); !s.ok()) return Fail(s);
  if (absl::Status s = import_interactions(importer); !s.ok()) return Fail(s);
  return NewDataset(std::move(sink).Build(), importer.summary(), rejects, out);
}

int SettingsArg(const void* bytes, size_t size, v1::ReportSettings& out) {
  return ParseMessage(bytes, size, "settings", out);
}

int ResolveArg(const void* bytes, size_t size, AggregationSettings& out) {
  v1::ReportSettings request;
  if (int rc = SettingsArg(bytes, size, request); rc != TELLUS_OK) return rc;
  absl::StatusOr<AggregationSettings> settings =
      ResolveSettings(request, absl::Now());
  if (!settings.ok()) return Fail(settings.status());
  out = *std::move(settings);
  return TELLUS_OK;
}

}  // namespace
}  // namespace tellus

using tellus::Fail;
using tellus::Guard;
using tellus::InvalidArgument;

// ---------------------------------------------------------------------------
// Versions, errors, buffers

const char* tellus_last_error(void) {
  const tellus::LastError& e = tellus::ThreadError();
  return e.fallback != nullptr ? e.fallback : e.message.c_str();
}

const char* tellus_status_string(int status) {
  switch (status) {
    case TELLUS_OK:
      return "ok";
    case TELLUS_E_INVALID_ARGUMENT:
      return "invalid argument";
    case TELLUS_E_MALFORMED:
      return "malformed data";
    case TELLUS_E_NOT_FOUND:
      return "not found";
    case TELLUS_E_IO:
      return "input/output error";
    case TELLUS_E_FAILED_PRECONDITION:
      return "failed precondition";
    case TELLUS_E_UNSUPPORTED:
      return "unsupported";
    case TELLUS_E_NO_MEMORY:
      return "out of memory";
    case TELLUS_E_INTERNAL:
      return "internal error";
    case TELLUS_E_BUSY:
      return "busy";
    default:
      return "unknown status";
  }
}

void tellus_buffer_free(void* buffer) { std::free(buffer); }

// ---------------------------------------------------------------------------
// Calendar

int tellus_calendar_new(tellus_calendar** out, const char* region) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    tellus::Region r = tellus::Region::kEnglandAndWales;
    if (region != nullptr && region[0] != '\0') {
      absl::StatusOr<tellus::Region> parsed = tellus::ParseRegion(region);
      if (!parsed.ok()) return Fail(parsed.status());
      r = *parsed;
    }
    *out = tellus::Wrap(
        new tellus::CalendarHandle{tellus::Calendar::ForRegion(r)});
    return TELLUS_OK;
  });
}

int tellus_calendar_from_govuk_json(tellus_calendar** out, const char* json,
                                    size_t json_size, const char* region,
                                    int merge) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(json, "json");
    if (merge != TELLUS_HOLIDAYS_REPLACE && merge != TELLUS_HOLIDAYS_EXTEND) {
      return InvalidArgument(absl::StrCat(
          "merge ", merge,
          " is neither TELLUS_HOLIDAYS_REPLACE (0) nor TELLUS_HOLIDAYS_EXTEND "
          "(1)"));
    }
    tellus::Region r = tellus::Region::kEnglandAndWales;
    if (region != nullptr && region[0] != '\0') {
      absl::StatusOr<tellus::Region> parsed = tellus::ParseRegion(region);
      if (!parsed.ok()) return Fail(parsed.status());
      r = *parsed;
    }
    absl::StatusOr<tellus::Calendar> calendar = tellus::Calendar::FromGovUkJson(
        absl::string_view(json, json_size), r,
        merge == TELLUS_HOLIDAYS_REPLACE ? tellus::HolidayMerge::kReplace
                                         : tellus::HolidayMerge::kExtend);
    if (!calendar.ok()) return Fail(calendar.status());
    *out = tellus::Wrap(new tellus::CalendarHandle{*std::move(calendar)});
    return TELLUS_OK;
  });
}

void tellus_calendar_free(tellus_calendar* calendar) {
  delete tellus::Unwrap(calendar);
}

int tellus_is_working_day(int* out, const tellus_calendar* calendar,
                          int32_t date) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    absl::StatusOr<absl::CivilDay> day = tellus::DateArg(date, "date");
    if (!day.ok()) return Fail(day.status());
    *out = tellus::CalendarArg(calendar).IsWorkingDay(*day) ? 1 : 0;
    return TELLUS_OK;
  });
}

int tellus_is_holiday(int* out, const tellus_calendar* calendar, int32_t date) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    absl::StatusOr<absl::CivilDay> day = tellus::DateArg(date, "date");
    if (!day.ok()) return Fail(day.status());
    *out = tellus::CalendarArg(calendar).IsHoliday(*day) ? 1 : 0;
    return TELLUS_OK;
  });
}

int tellus_add_working_days(int32_t* out, const tellus_calendar* calendar,
                            int32_t date, int32_t n) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    absl::StatusOr<absl::CivilDay> day = tellus::DateArg(date, "date");
    if (!day.ok()) return Fail(day.status());
    // Bounds the work and keeps the result near years 1..9999.
    if (n < -100000 || n > 100000) {
      return InvalidArgument(
          absl::StrCat("n ", n, " working days is outside -100000..100000"));
    }
    absl::StatusOr<int32_t> result = tellus::DateResult(
        tellus::CalendarArg(calendar).AddWorkingDays(*day, n));
    if (!result.ok()) return Fail(result.status());
    *out = *result;
    return TELLUS_OK;
  });
}

int tellus_working_days_between(int32_t* out, const tellus_calendar* calendar,
                                int32_t from, int32_t to) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    absl::StatusOr<absl::CivilDay> a = tellus::DateArg(from, "from");
    if (!a.ok()) return Fail(a.status());
    absl::StatusOr<absl::CivilDay> b = tellus::DateArg(to, "to");
    if (!b.ok()) return Fail(b.status());
    *out = tellus::CalendarArg(calendar).WorkingDaysBetween(*a, *b);
    return TELLUS_OK;
  });
}

int tellus_calendar_holidays(void** out, size_t* out_size,
                             const tellus_calendar* calendar, int32_t year) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    if (year < 1 || year > 9999) {
      return InvalidArgument(
          absl::StrCat("year ", year, " is outside 1..9999"));
    }
    tellus::v1::HolidayList list;
    for (const tellus::Holiday& h :
         tellus::CalendarArg(calendar).HolidaysInYear(year)) {
      tellus::v1::Holiday& m = *list.add_holidays();
      *m.mutable_date() = tellus::ToProto(h.date);
      m.set_name(h.name);
    }
    return tellus::ReturnMessage(list, out, out_size);
  });
}

// ---------------------------------------------------------------------------
// Due dates

int tellus_acknowledgement_due(int32_t* out, const tellus_calendar* calendar,
                               const void* policy, size_t policy_size,
                               int stage, int32_t start) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    tellus::TimescalePolicy p;
    if (int rc = tellus::PolicyArg(policy, policy_size, p); rc != TELLUS_OK) {
      return rc;
    }
    absl::StatusOr<tellus::v1::Stage> s = tellus::StageArg(stage);
    if (!s.ok()) return Fail(s.status());
    absl::StatusOr<absl::CivilDay> day = tellus::DateArg(start, "start");
    if (!day.ok()) return Fail(day.status());
    absl::StatusOr<int32_t> due = tellus::DateResult(
        tellus::AcknowledgementDue(tellus::CalendarArg(calendar), p, *s, *day));
    if (!due.ok()) return Fail(due.status());
    *out = *due;
    return TELLUS_OK;
  });
}

int tellus_response_due(int32_t* out, const tellus_calendar* calendar,
                        const void* policy, size_t policy_size, int stage,
                        int32_t start, int32_t acknowledged) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    tellus::TimescalePolicy p;
    if (int rc = tellus::PolicyArg(policy, policy_size, p); rc != TELLUS_OK) {
      return rc;
    }
    absl::StatusOr<tellus::v1::Stage> s = tellus::StageArg(stage);
    if (!s.ok()) return Fail(s.status());
    absl::StatusOr<absl::CivilDay> day = tellus::DateArg(start, "start");
    if (!day.ok()) return Fail(day.status());
    absl::StatusOr<std::optional<absl::CivilDay>> ack =
        tellus::OptionalDateArg(acknowledged, "acknowledged");
    if (!ack.ok()) return Fail(ack.status());
    absl::StatusOr<int32_t> due = tellus::DateResult(
        tellus::ResponseDue(tellus::CalendarArg(calendar), p, *s, *day, *ack));
    if (!due.ok()) return Fail(due.status());
    *out = *due;
    return TELLUS_OK;
  });
}

int tellus_responded_on_time(int* out, const tellus_calendar* calendar,
                             const void* policy, size_t policy_size, int stage,
                             int32_t due, int32_t responded,
                             int32_t extended_to) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    tellus::TimescalePolicy p;
    if (int rc = tellus::PolicyArg(policy, policy_size, p); rc != TELLUS_OK) {
      return rc;
    }
    absl::StatusOr<tellus::v1::Stage> s = tellus::StageArg(stage);
    if (!s.ok()) return Fail(s.status());
    absl::StatusOr<absl::CivilDay> due_day = tellus::DateArg(due, "due");
    if (!due_day.ok()) return Fail(due_day.status());
    absl::StatusOr<absl::CivilDay> resp =
        tellus::DateArg(responded, "responded");
    if (!resp.ok()) return Fail(resp.status());
    absl::StatusOr<std::optional<absl::CivilDay>> ext =
        tellus::OptionalDateArg(extended_to, "extended_to");
    if (!ext.ok()) return Fail(ext.status());
    *out = tellus::RespondedOnTime(tellus::CalendarArg(calendar), p, *s,
                                   *due_day, *resp, *ext)
               ? 1
               : 0;
    return TELLUS_OK;
  });
}

// ---------------------------------------------------------------------------
// Cases

int tellus_case_fold(void** out, size_t* out_size, const void* case_bytes,
                     size_t case_size, const tellus_calendar* calendar,
                     const void* policy, size_t policy_size,
                     const char* as_of) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(case_bytes, "case_bytes");
    tellus::v1::Case c;
    if (int rc = tellus::ParseMessage(case_bytes, case_size, "case", c);
        rc != TELLUS_OK) {
      return rc;
    }
    tellus::TimescalePolicy p;
    if (int rc = tellus::PolicyArg(policy, policy_size, p); rc != TELLUS_OK) {
      return rc;
    }
    std::optional<absl::Time> when;
    if (as_of != nullptr && as_of[0] != '\0') {
      absl::StatusOr<absl::Time> t = tellus::ParseAsOf(as_of);
      if (!t.ok()) return Fail(t.status());
      when = *t;
    }
    absl::StatusOr<tellus::CaseState> state = tellus::FoldCase(c);
    if (!state.ok()) return Fail(state.status());
    if (when) *state = tellus::SeenAt(*state, *when);
    tellus::v1::FoldedCase folded =
        tellus::FoldedMessage(*state, tellus::CalendarArg(calendar), p);
    if (when) folded.mutable_as_of()->set_seconds(absl::ToUnixSeconds(*when));
    return tellus::ReturnMessage(folded, out, out_size);
  });
}

// ---------------------------------------------------------------------------
// Data sets

int tellus_dataset_from_csv(tellus_dataset** out, const char* cases_path,
                            const char* interactions_path) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(cases_path, "cases_path");
    return tellus::ImportCsv(
        [&](tellus::Importer& importer) {
          return importer.ImportCases(cases_path);
        },
        [&](tellus::Importer& importer) {
          return interactions_path == nullptr
                     ? absl::OkStatus()
                     : importer.ImportInteractions(interactions_path);
        },
        out);
  });
}

int tellus_dataset_from_csv_buffers(tellus_dataset** out, const char* cases_csv,
                                    size_t cases_size,
                                    const char* interactions_csv,
                                    size_t interactions_size) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(cases_csv, "cases_csv");
    if (interactions_csv == nullptr && interactions_size != 0) {
      return InvalidArgument(
          absl::StrCat("interactions_csv is NULL but its size is ",
                       interactions_size, " bytes"));
    }
    return tellus::ImportCsv(
        [&](tellus::Importer& importer) {
          tellus::CsvReader reader =
              tellus::CsvReader::FromString(std::string(cases_csv, cases_size));
          return importer.ImportCases(reader, "<cases>");
        },
        [&](tellus::Importer& importer) {
          if (interactions_csv == nullptr) return absl::OkStatus();
          tellus::CsvReader reader = tellus::CsvReader::FromString(
              std::string(interactions_csv, interactions_size));
          return importer.ImportInteractions(reader, "<interactions>");
        },
        out);
  });
}

int tellus_dataset_from_buffers(tellus_dataset** out, const void* cases,
                                size_t cases_size, const void* interactions,
                                size_t interactions_size) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    tellus::v1::CaseList case_list;
    if (int rc = tellus::ParseMessage(cases, cases_size, "cases", case_list);
        rc != TELLUS_OK) {
      return rc;
    }
    tellus::v1::InteractionList interaction_list;
    if (int rc = tellus::ParseMessage(interactions, interactions_size,
                                      "interactions", interaction_list);
        rc != TELLUS_OK) {
      return rc;
    }
    tellus::DatasetBuilder builder;
    builder.Reserve(case_list.cases_size(),
                    interaction_list.interactions_size());
    for (const tellus::v1::Case& c : case_list.cases()) {
      if (absl::Status s = builder.AddCase(c); !s.ok()) return Fail(s);
    }
    // The rules of a data directory: an interaction needs an id used once.
    absl::flat_hash_set<absl::string_view> ids;
    for (const tellus::v1::Interaction& i : interaction_list.interactions()) {
      if (i.id().empty()) {
        return InvalidArgument("interaction without an id");
      }
      if (!ids.insert(i.id()).second) {
        return InvalidArgument(
            absl::StrCat("interaction ", i.id(),
                         ": the id is already used by an earlier "
                         "record"));
      }
      if (absl::Status s = builder.AddInteraction(i); !s.ok()) return Fail(s);
    }
    tellus::Dataset data = std::move(builder).Build();
    tellus::ImportSummary summary;
    summary.cases.read = summary.cases.accepted = case_list.cases_size();
    summary.interactions.read = summary.interactions.accepted =
        interaction_list.interactions_size();
    summary.unlinked_interactions = data.unlinked_interactions();
    return tellus::NewDataset(std::move(data), summary, tellus::RejectList(),
                              out);
  });
}

int tellus_dataset_from_data_dir(tellus_dataset** out, const char* dir) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(dir, "dir");
    absl::StatusOr<tellus::DataDirFiles> files = tellus::FindDataDirFiles(dir);
    if (!files.ok()) return Fail(files.status());
    absl::StatusOr<tellus::Dataset> data = tellus::LoadDataDir(dir);
    if (!data.ok()) return Fail(data.status());
    // Protobuf input is all or nothing: what was read was accepted.
    tellus::ImportSummary summary;
    summary.cases.file = files->cases;
    summary.cases.read = summary.cases.accepted =
        static_cast<int64_t>(data->cases().size());
    summary.interactions.file = files->interactions;
    summary.interactions.read = summary.interactions.accepted =
        static_cast<int64_t>(data->interactions().size());
    summary.unlinked_interactions = data->unlinked_interactions();
    return tellus::NewDataset(*std::move(data), summary, tellus::RejectList(),
                              out);
  });
}

void tellus_dataset_free(tellus_dataset* dataset) {
  delete tellus::Unwrap(dataset);
}

int tellus_dataset_size(size_t* out_cases, size_t* out_interactions,
                        const tellus_dataset* dataset) {
  return Guard([&] {
    TELLUS_C_REQUIRE(dataset, "dataset");
    if (out_cases != nullptr)
      *out_cases = tellus::Unwrap(dataset)->data.cases().size();
    if (out_interactions != nullptr) {
      *out_interactions = tellus::Unwrap(dataset)->data.interactions().size();
    }
    return TELLUS_OK;
  });
}

int tellus_dataset_summary(void** out, size_t* out_size,
                           const tellus_dataset* dataset) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(dataset, "dataset");
    return tellus::ReturnMessage(tellus::Unwrap(dataset)->summary, out,
                                 out_size);
  });
}

int tellus_dataset_rejects(void** out, size_t* out_size,
                           const tellus_dataset* dataset) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(dataset, "dataset");
    return tellus::ReturnMessage(tellus::Unwrap(dataset)->rejects, out,
                                 out_size);
  });
}

// ---------------------------------------------------------------------------
// Reports

int tellus_report_build(void** out, size_t* out_size,
                        const tellus_dataset* dataset, const void* settings,
                        size_t settings_size, int threads) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(dataset, "dataset");
    if (int rc = tellus::ThreadsArg(threads); rc != TELLUS_OK) return rc;
    tellus::v1::ReportSettings request;
    if (int rc = tellus::SettingsArg(settings, settings_size, request);
        rc != TELLUS_OK) {
      return rc;
    }
    // Serialized and dropped: built on an arena (report.h).
    google::protobuf::Arena arena;
    absl::StatusOr<tellus::v1::AnnualReport*> report = tellus::BuildReport(
        tellus::Unwrap(dataset)->data, request, arena, threads);
    if (!report.ok()) return Fail(report.status());
    return tellus::ReturnMessage(**report, out, out_size);
  });
}

int tellus_report_render(char** out, size_t* out_size, const void* report,
                         size_t report_size, int format) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(report, "report");
    tellus::v1::AnnualReport r;
    if (int rc = tellus::ParseMessage(report, report_size, "report", r);
        rc != TELLUS_OK) {
      return rc;
    }
    std::string text;
    switch (format) {
      case TELLUS_FORMAT_JSON: {
        absl::StatusOr<std::string> json = tellus::RenderJson(r);
        if (!json.ok()) return Fail(json.status());
        text = *std::move(json);
        break;
      }
      case TELLUS_FORMAT_TEXT:
        text = tellus::RenderText(r);
        break;
      case TELLUS_FORMAT_MARKDOWN:
        text = tellus::RenderMarkdown(r);
        break;
      case TELLUS_FORMAT_HTML:
        text = tellus::RenderHtml(r, tellus::HtmlOptions());
        break;
      default:
        return InvalidArgument(absl::StrCat(
            "format ", format,
            " is not TELLUS_FORMAT_JSON (1), TELLUS_FORMAT_TEXT (2), "
            "TELLUS_FORMAT_MARKDOWN (3) or TELLUS_FORMAT_HTML (4)"));
    }
    void* buffer = nullptr;
    if (int rc = tellus::ReturnBuffer(text, &buffer, out_size);
        rc != TELLUS_OK) {
      return rc;
    }
    *out = static_cast<char*>(buffer);
    return TELLUS_OK;
  });
}

// ---------------------------------------------------------------------------
// Partial aggregates

int tellus_partial_compute(tellus_partial** out, const tellus_dataset* dataset,
                           const void* settings, size_t settings_size,
                           int threads) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(dataset, "dataset");
    if (int rc = tellus::ThreadsArg(threads); rc != TELLUS_OK) return rc;
    tellus::AggregationSettings s;
    if (int rc = tellus::ResolveArg(settings, settings_size, s);
        rc != TELLUS_OK) {
      return rc;
    }
    absl::StatusOr<tellus::PartialAggregate> partial =
        tellus::Aggregate(tellus::Unwrap(dataset)->data, s, threads);
    if (!partial.ok()) return Fail(partial.status());
    *out = tellus::Wrap(new tellus::PartialHandle{*std::move(partial)});
    return TELLUS_OK;
  });
}

int tellus_partial_compute_rows(tellus_partial** out,
                                const tellus_dataset* dataset,
                                const void* settings, size_t settings_size,
                                size_t case_begin, size_t case_end,
                                size_t interaction_begin,
                                size_t interaction_end) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(dataset, "dataset");
    const size_t n_cases = tellus::Unwrap(dataset)->data.cases().size();
    const size_t n_interactions =
        tellus::Unwrap(dataset)->data.interactions().size();
    if (case_begin > case_end || case_end > n_cases) {
      return InvalidArgument(absl::StrCat("cases [", case_begin, ", ", case_end,
                                          ") is not a range of the data set's ",
                                          n_cases, " cases"));
    }
    if (interaction_begin > interaction_end ||
        interaction_end > n_interactions) {
      return InvalidArgument(absl::StrCat("interactions [", interaction_begin,
                                          ", ", interaction_end,
                                          ") is not a range of the data set's ",
                                          n_interactions, " interactions"));
    }
    tellus::AggregationSettings s;
    if (int rc = tellus::ResolveArg(settings, settings_size, s);
        rc != TELLUS_OK) {
      return rc;
    }
    tellus::PartialAggregate partial(s);
    partial.AddCases(tellus::Unwrap(dataset)->data, case_begin, case_end);
    partial.AddInteractions(tellus::Unwrap(dataset)->data, interaction_begin,
                            interaction_end);
    *out = tellus::Wrap(new tellus::PartialHandle{std::move(partial)});
    return TELLUS_OK;
  });
}

int tellus_partial_merge(tellus_partial* into, const tellus_partial* other) {
  return Guard([&] {
    TELLUS_C_REQUIRE(into, "into");
    TELLUS_C_REQUIRE(other, "other");
    if (into == other) {
      // Merge reads `other` while it grows `into`: add a copy instead.
      const tellus::PartialAggregate copy = tellus::Unwrap(other)->partial;
      if (absl::Status s = tellus::Unwrap(into)->partial.Merge(copy); !s.ok())
        return Fail(s);
      return TELLUS_OK;
    }
    if (absl::Status s =
            tellus::Unwrap(into)->partial.Merge(tellus::Unwrap(other)->partial);
        !s.ok()) {
      return Fail(s);
    }
    return TELLUS_OK;
  });
}

int tellus_partial_equal(int* out, const tellus_partial* a,
                         const tellus_partial* b) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(a, "a");
    TELLUS_C_REQUIRE(b, "b");
    *out = tellus::Unwrap(a)->partial == tellus::Unwrap(b)->partial ? 1 : 0;
    return TELLUS_OK;
  });
}

int tellus_partial_serialize(void** out, size_t* out_size,
                             const tellus_partial* partial) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(partial, "partial");
    return tellus::ReturnMessage(tellus::Unwrap(partial)->partial.ToProto(),
                                 out, out_size);
  });
}

int tellus_partial_deserialize(tellus_partial** out, const void* bytes,
                               size_t size) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(bytes, "bytes");
    tellus::v1::PartialAggregate proto;
    if (int rc = tellus::ParseMessage(bytes, size, "partial", proto);
        rc != TELLUS_OK) {
      return rc;
    }
    absl::StatusOr<tellus::PartialAggregate> partial =
        tellus::PartialAggregate::FromProto(proto);
    if (!partial.ok()) return Fail(partial.status());
    *out = tellus::Wrap(new tellus::PartialHandle{*std::move(partial)});
    return TELLUS_OK;
  });
}

int tellus_partial_report(void** out, size_t* out_size,
                          const tellus_partial* partial, const void* settings,
                          size_t settings_size) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(partial, "partial");
    tellus::v1::ReportSettings request;
    if (int rc = tellus::SettingsArg(settings, settings_size, request);
        rc != TELLUS_OK) {
      return rc;
    }
    google::protobuf::Arena arena;
    absl::StatusOr<tellus::v1::AnnualReport*> report =
        tellus::BuildReport(tellus::Unwrap(partial)->partial, request, arena);
    if (!report.ok()) return Fail(report.status());
    return tellus::ReturnMessage(**report, out, out_size);
  });
}

void tellus_partial_free(tellus_partial* partial) {
  delete tellus::Unwrap(partial);
}

// ---------------------------------------------------------------------------
// The store

namespace tellus {
namespace {

v1::StoreImportCounts CountsMessage(const StoreImportCounts& c) {
  v1::StoreImportCounts out;
  out.set_added(c.added);
  out.set_present(c.present);
  out.set_extended(c.extended);
  out.set_events_appended(c.events_appended);
  out.set_conflicting(c.conflicting);
  return out;
}

int ReturnImport(const absl::StatusOr<StoreImportSummary>& summary,
                 const RejectList& rejects, void** out, size_t* out_size) {
  if (!summary.ok()) return Fail(summary.status());
  v1::StoreImportSummary message;
  *message.mutable_rows() = SummaryMessage(summary->rows);
  *message.mutable_cases() = CountsMessage(summary->cases);
  *message.mutable_interactions() = CountsMessage(summary->interactions);
  *message.mutable_restrictions() = CountsMessage(summary->restrictions);
  message.set_import_id(summary->import_id);
  message.set_cases_sha256(summary->cases_sha256);
  message.set_interactions_sha256(summary->interactions_sha256);
  if (summary->same_content_as) {
    message.set_same_content_as(*summary->same_content_as);
    message.mutable_same_content_at()->set_seconds(
        absl::ToUnixSeconds(summary->same_content_at.value_or(absl::Now())));
  }
  for (const Reject& r : rejects.rejects()) {
    AddReject(r, *message.mutable_rejects());
  }
  message.set_text(FormatStoreImportSummary(*summary));
  return ReturnMessage(message, out, out_size);
}

std::optional<absl::CivilDay> DayOf(const v1::CaseQuery& q,
                                    const v1::Date& (v1::CaseQuery::*get)()
                                        const,
                                    bool (v1::CaseQuery::*has)() const) {
  if (!(q.*has)()) return std::nullopt;
  return FromProto((q.*get)());
}

absl::StatusOr<CaseStatus> StatusOf(v1::CaseStatus status) {
  switch (status) {
    case v1::CASE_STATUS_RECORDED:
      return CaseStatus::kRecorded;
    case v1::CASE_STATUS_AWAITING_STAGE_1:
      return CaseStatus::kAwaitingStage1;
    case v1::CASE_STATUS_STAGE_1_RESPONDED:
      return CaseStatus::kStage1Responded;
    case v1::CASE_STATUS_AWAITING_STAGE_2:
      return CaseStatus::kAwaitingStage2;
    case v1::CASE_STATUS_STAGE_2_RESPONDED:
      return CaseStatus::kStage2Responded;
    case v1::CASE_STATUS_WITHDRAWN:
      return CaseStatus::kWithdrawn;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("query: status ", status, " is not a case status"));
  }
}

absl::StatusOr<CaseFilter> FilterOf(const v1::CaseQuery& q) {
  CaseFilter f;
  f.directorate = q.directorate();
  if (q.type() != v1::CASE_TYPE_UNSPECIFIED) f.type = q.type();
  f.customer = q.customer();
  f.received_from = DayOf(q, &v1::CaseQuery::received_from,
                          &v1::CaseQuery::has_received_from);
  f.received_to =
      DayOf(q, &v1::CaseQuery::received_to, &v1::CaseQuery::has_received_to);
  f.on = DayOf(q, &v1::CaseQuery::on, &v1::CaseQuery::has_on);
  for (const std::optional<absl::CivilDay>* day :
       {&f.received_from, &f.received_to, &f.on}) {
    if (*day && ((*day)->year() < 1 || (*day)->year() > 9999)) {
      return absl::InvalidArgumentError("query: a date outside years 1..9999");
    }
  }
  if (q.status() != v1::CASE_STATUS_UNSPECIFIED) {
    TELLUS_ASSIGN_OR_RETURN(f.status, StatusOf(q.status()));
  }
  f.overdue_only = q.overdue_only();
  if (q.overdue_stage() != v1::STAGE_UNSPECIFIED) {
    TELLUS_ASSIGN_OR_RETURN(f.overdue_stage, StageArg(q.overdue_stage()));
  }
  if (!q.region().empty()) {
    TELLUS_ASSIGN_OR_RETURN(Region region, ParseRegion(q.region()));
    f.calendar = Calendar::ForRegion(region);
  }
  if (q.has_policy()) {
    TELLUS_ASSIGN_OR_RETURN(f.policy, PolicyFromProto(q.policy()));
  }
  return f;
}

// "text" or "markdown" for the listings' TELLUS_FORMAT_* code.
absl::StatusOr<std::string> ListingFormat(int format) {
  switch (format) {
    case TELLUS_FORMAT_TEXT:
      return std::string("text");
    case TELLUS_FORMAT_MARKDOWN:
      return std::string("markdown");
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "format ", format,
          " is not TELLUS_FORMAT_TEXT (2) or TELLUS_FORMAT_MARKDOWN (3)"));
  }
}

// Hands rendered text to the caller as a NUL-terminated buffer.
int ReturnText(const absl::StatusOr<std::string>& text, char** out,
               size_t* out_size) {
  if (!text.ok()) return Fail(text.status());
  void* buffer = nullptr;
  if (int rc = ReturnBuffer(*text, &buffer, out_size); rc != TELLUS_OK) {
    return rc;
  }
  *out = static_cast<char*>(buffer);
  return TELLUS_OK;
}

absl::StatusOr<std::string> StoreDigest(Store& store, const char* directorate,
                                        int32_t month, int32_t as_of,
                                        int format) {
  TELLUS_ASSIGN_OR_RETURN(std::string words, ListingFormat(format));
  const int32_t y = month / 100, m = month % 100;
  if (month <= 0 || y < 1 || y > 9999 || m < 1 || m > 12) {
    return absl::InvalidArgumentError(absl::StrCat(
        "month ", month, " is not a month: expected yyyymm, e.g. 202401"));
  }
  DigestRequest request;
  request.directorate = directorate;
  request.month = absl::CivilMonth(y, m);
  absl::CivilDay day = absl::CivilDay(request.month + 1) - 1;
  if (as_of != 0) {
    TELLUS_ASSIGN_OR_RETURN(day, DateArg(as_of, "as_of"));
  }
  request.as_of = EndOfLondonDay(day);
  TELLUS_ASSIGN_OR_RETURN(std::vector<v1::Case> cases, store.Cases());
  TELLUS_ASSIGN_OR_RETURN(Digest digest, BuildDigest(cases, request));
  return RenderDigest(digest, words);
}

absl::StatusOr<std::string> StoreCompliments(Store& store, const char* staff,
                                             const char* team,
                                             const char* period, int format) {
  TELLUS_ASSIGN_OR_RETURN(std::string words, ListingFormat(format));
  ComplimentQuery query;
  query.staff = staff ? staff : "";
  query.team = team ? team : "";
  TELLUS_ASSIGN_OR_RETURN(query.period, ParsePeriod(period));
  TELLUS_ASSIGN_OR_RETURN(std::vector<v1::Case> cases, store.Cases());
  TELLUS_ASSIGN_OR_RETURN(std::vector<ComplimentEntry> entries,
                          ListCompliments(cases, query));
  return RenderCompliments(entries, query, words);
}

absl::StatusOr<std::string> StoreRestrictionsInForce(Store& store, int32_t on,
                                                     int format) {
  TELLUS_ASSIGN_OR_RETURN(std::string words, ListingFormat(format));
  TELLUS_ASSIGN_OR_RETURN(absl::CivilDay day, DateArg(on, "on"));
  TELLUS_ASSIGN_OR_RETURN(std::vector<v1::Restriction> restrictions,
                          store.Restrictions());
  return RenderRestrictions(RestrictionsInForce(restrictions, day), day, words);
}

}  // namespace
}  // namespace tellus

int tellus_store_open(tellus_store** out, const char* path, int create,
                      int busy_timeout_ms) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(path, "path");
    tellus::StoreOptions options;
    options.create = create != 0;
    if (busy_timeout_ms >= 0) {
      options.busy_timeout = absl::Milliseconds(busy_timeout_ms);
    }
    absl::StatusOr<tellus::Store> store = tellus::Store::Open(path, options);
    if (!store.ok()) return Fail(store.status());
    *out = tellus::Wrap(new tellus::StoreHandle{*std::move(store)});
    return TELLUS_OK;
  });
}

void tellus_store_free(tellus_store* store) { delete tellus::Unwrap(store); }

int tellus_store_import_csv(void** out, size_t* out_size, tellus_store* store,
                            const char* cases_path,
                            const char* interactions_path, int strict) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(store, "store");
    TELLUS_C_REQUIRE(cases_path, "cases_path");
    tellus::RejectList rejects;
    tellus::StoreImportOptions options;
    options.rejects = &rejects;
    options.strict = strict != 0;
    return tellus::ReturnImport(
        tellus::Unwrap(store)->store.ImportCsv(
            cases_path, interactions_path ? interactions_path : "", options),
        rejects, out, out_size);
  });
}

int tellus_store_import_data_dir(void** out, size_t* out_size,
                                 tellus_store* store, const char* dir,
                                 int strict) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(store, "store");
    TELLUS_C_REQUIRE(dir, "dir");
    tellus::RejectList rejects;
    tellus::StoreImportOptions options;
    options.rejects = &rejects;
    options.strict = strict != 0;
    return tellus::ReturnImport(
        tellus::Unwrap(store)->store.ImportDataDir(dir, options), rejects, out,
        out_size);
  });
}

int tellus_store_add_case(tellus_store* store, const void* case_bytes,
                          size_t case_size) {
  return Guard([&] {
    TELLUS_C_REQUIRE(store, "store");
    TELLUS_C_REQUIRE(case_bytes, "case_bytes");
    tellus::v1::Case c;
    if (int rc = tellus::ParseMessage(case_bytes, case_size, "case", c);
        rc != TELLUS_OK) {
      return rc;
    }
    absl::Status status = tellus::Unwrap(store)->store.AddCase(c);
    return status.ok() ? TELLUS_OK : Fail(status);
  });
}

int tellus_store_append_event(tellus_store* store, const char* ref,
                              const void* event_bytes, size_t event_size) {
  return Guard([&] {
    TELLUS_C_REQUIRE(store, "store");
    TELLUS_C_REQUIRE(ref, "ref");
    TELLUS_C_REQUIRE(event_bytes, "event_bytes");
    tellus::v1::Event e;
    if (int rc = tellus::ParseMessage(event_bytes, event_size, "event", e);
        rc != TELLUS_OK) {
      return rc;
    }
    absl::Status status = tellus::Unwrap(store)->store.AppendEvent(ref, e);
    return status.ok() ? TELLUS_OK : Fail(status);
  });
}

int tellus_store_add_interaction(tellus_store* store,
                                 const void* interaction_bytes,
                                 size_t interaction_size) {
  return Guard([&] {
    TELLUS_C_REQUIRE(store, "store");
    TELLUS_C_REQUIRE(interaction_bytes, "interaction_bytes");
    tellus::v1::Interaction i;
    if (int rc = tellus::ParseMessage(interaction_bytes, interaction_size,
                                      "interaction", i);
        rc != TELLUS_OK) {
      return rc;
    }
    absl::Status status = tellus::Unwrap(store)->store.AddInteraction(i);
    return status.ok() ? TELLUS_OK : Fail(status);
  });
}

int tellus_store_get_case(void** out, size_t* out_size, tellus_store* store,
                          const char* ref) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(store, "store");
    TELLUS_C_REQUIRE(ref, "ref");
    absl::StatusOr<tellus::v1::Case> c =
        tellus::Unwrap(store)->store.GetCase(ref);
    if (!c.ok()) return Fail(c.status());
    return tellus::ReturnMessage(*c, out, out_size);
  });
}

int tellus_store_list_cases(void** out, size_t* out_size, tellus_store* store,
                            const void* query, size_t query_size) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(store, "store");
    tellus::v1::CaseQuery q;
    if (int rc = tellus::ParseMessage(query, query_size, "query", q);
        rc != TELLUS_OK) {
      return rc;
    }
    absl::StatusOr<tellus::CaseFilter> filter = tellus::FilterOf(q);
    if (!filter.ok()) return Fail(filter.status());
    absl::StatusOr<std::vector<tellus::ListedCase>> cases =
        tellus::Unwrap(store)->store.ListCases(*filter);
    if (!cases.ok()) return Fail(cases.status());
    tellus::v1::CaseListing listing;
    for (tellus::ListedCase& c : *cases) {
      tellus::v1::ListedCase& m = *listing.add_cases();
      *m.mutable_record() = std::move(c.record);
      *m.mutable_state() =
          tellus::FoldedMessage(c.state, filter->calendar, filter->policy);
      for (const tellus::OverdueStep& step : c.overdue) {
        tellus::v1::OverdueStep& o = *m.add_overdue();
        o.set_stage(step.stage);
        o.set_acknowledgement(step.acknowledgement);
        *o.mutable_due() = tellus::ToProto(step.due);
        o.set_working_days_late(step.working_days_late);
        o.set_text(tellus::DescribeOverdue(step));
      }
    }
    return tellus::ReturnMessage(listing, out, out_size);
  });
}

int tellus_store_load_dataset(tellus_dataset** out, tellus_store* store) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(store, "store");
    tellus::Store& s = tellus::Unwrap(store)->store;
    absl::StatusOr<tellus::Dataset> data = s.LoadDataset();
    if (!data.ok()) return Fail(data.status());
    tellus::ImportSummary summary;
    summary.cases.file = summary.interactions.file = s.path();
    summary.cases.read = summary.cases.accepted =
        static_cast<int64_t>(data->cases().size());
    summary.interactions.read = summary.interactions.accepted =
        static_cast<int64_t>(data->interactions().size());
    summary.unlinked_interactions = data->unlinked_interactions();
    return tellus::NewDataset(*std::move(data), summary, tellus::RejectList(),
                              out);
  });
}

int tellus_store_export(tellus_store* store, const char* dir) {
  return Guard([&] {
    TELLUS_C_REQUIRE(store, "store");
    TELLUS_C_REQUIRE(dir, "dir");
    absl::Status status = tellus::Unwrap(store)->store.ExportTo(dir);
    return status.ok() ? TELLUS_OK : Fail(status);
  });
}

int tellus_store_anonymise(void** out, size_t* out_size, tellus_store* store,
                           int32_t closed_before, int dry_run) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(store, "store");
    absl::StatusOr<absl::CivilDay> day =
        tellus::DateArg(closed_before, "closed_before");
    if (!day.ok()) return Fail(day.status());
    tellus::RetentionRequest request;
    request.closed_before = *day;
    request.dry_run = dry_run != 0;
    absl::StatusOr<tellus::RetentionSummary> summary =
        tellus::Unwrap(store)->store.Anonymise(request);
    if (!summary.ok()) return Fail(summary.status());
    tellus::v1::RetentionSummary message;
    for (const std::string& ref : summary->cases) message.add_cases(ref);
    for (const std::string& id : summary->restrictions) {
      message.add_restrictions(id);
    }
    message.set_fields_cleared(summary->fields_cleared);
    message.set_interactions(summary->interactions);
    message.set_dry_run(request.dry_run);
    return tellus::ReturnMessage(message, out, out_size);
  });
}

int tellus_store_subject_access(void** out, size_t* out_size,
                                tellus_store* store, const char* customer) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(store, "store");
    TELLUS_C_REQUIRE(customer, "customer");
    absl::StatusOr<tellus::v1::SubjectAccessExport> data =
        tellus::Unwrap(store)->store.SubjectAccess(customer);
    if (!data.ok()) return Fail(data.status());
    return tellus::ReturnMessage(*data, out, out_size);
  });
}

int tellus_store_check(tellus_store* store) {
  return Guard([&] {
    TELLUS_C_REQUIRE(store, "store");
    absl::Status status = tellus::Unwrap(store)->store.CheckIntegrity();
    return status.ok() ? TELLUS_OK : Fail(status);
  });
}

int tellus_store_add_restrictions(void** out, size_t* out_size,
                                  tellus_store* store, const void* restrictions,
                                  size_t restrictions_size) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(store, "store");
    tellus::v1::RestrictionList list;
    if (int rc = tellus::ParseMessage(restrictions, restrictions_size,
                                      "restrictions", list);
        rc != TELLUS_OK) {
      return rc;
    }
    absl::StatusOr<tellus::StoreImportCounts> counts =
        tellus::Unwrap(store)->store.AddRestrictions(
            std::vector<tellus::v1::Restriction>(list.restrictions().begin(),
                                                 list.restrictions().end()));
    if (!counts.ok()) return Fail(counts.status());
    return tellus::ReturnMessage(tellus::CountsMessage(*counts), out, out_size);
  });
}

int tellus_store_get_restrictions(void** out, size_t* out_size,
                                  tellus_store* store) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(out_size, "out_size");
    TELLUS_C_REQUIRE(store, "store");
    absl::StatusOr<std::vector<tellus::v1::Restriction>> held =
        tellus::Unwrap(store)->store.Restrictions();
    if (!held.ok()) return Fail(held.status());
    tellus::v1::RestrictionList list;
    for (tellus::v1::Restriction& r : *held) {
      *list.add_restrictions() = std::move(r);
    }
    return tellus::ReturnMessage(list, out, out_size);
  });
}

int tellus_store_put_question_set(int* added, tellus_store* store,
                                  const void* question_set,
                                  size_t question_set_size) {
  return Guard([&] {
    TELLUS_C_REQUIRE(added, "added");
    TELLUS_C_REQUIRE(store, "store");
    TELLUS_C_REQUIRE(question_set, "question_set");
    tellus::v1::QuestionSet set;
    if (int rc = tellus::ParseMessage(question_set, question_set_size,
                                      "question set", set);
        rc != TELLUS_OK) {
      return rc;
    }
    absl::StatusOr<bool> put = tellus::Unwrap(store)->store.PutQuestionSet(set);
    if (!put.ok()) return Fail(put.status());
    *added = *put ? 1 : 0;
    return TELLUS_OK;
  });
}

int tellus_store_digest(char** out, size_t* out_size, tellus_store* store,
                        const char* directorate, int32_t month, int32_t as_of,
                        int format) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(store, "store");
    TELLUS_C_REQUIRE(directorate, "directorate");
    return tellus::ReturnText(
        tellus::StoreDigest(tellus::Unwrap(store)->store, directorate, month,
                            as_of, format),
        out, out_size);
  });
}

int tellus_store_compliments(char** out, size_t* out_size, tellus_store* store,
                             const char* staff, const char* team,
                             const char* period, int format) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(store, "store");
    TELLUS_C_REQUIRE(period, "period");
    return tellus::ReturnText(
        tellus::StoreCompliments(tellus::Unwrap(store)->store, staff, team,
                                 period, format),
        out, out_size);
  });
}

int tellus_store_restrictions_in_force(char** out, size_t* out_size,
                                       tellus_store* store, int32_t on,
                                       int format) {
  return Guard([&] {
    TELLUS_C_REQUIRE(out, "out");
    TELLUS_C_REQUIRE(store, "store");
    return tellus::ReturnText(tellus::StoreRestrictionsInForce(
                                  tellus::Unwrap(store)->store, on, format),
                              out, out_size);
  });
}

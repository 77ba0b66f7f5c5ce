#include "tellus/import.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <thread>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/arena.h"
#include "id_set.h"
#include "link_batch.h"
#include "tellus/fields.h"
#include "tellus/status_macros.h"

namespace tellus {
namespace {

constexpr int kProgressEvery = 1 << 18;

RowError Error(absl::string_view column, absl::string_view rule,
               std::string reason) {
  return RowError{std::string(column), std::string(rule), std::move(reason)};
}

absl::Status MissingColumn(absl::string_view file_kind,
                           absl::string_view column, const CsvHeader& header) {
  std::vector<std::string> names;
  for (size_t i = 0; i < header.size(); ++i) names.push_back(header.name(i));
  return absl::InvalidArgumentError(absl::StrCat(
      file_kind, ": the header has no '", column,
      "' column, which is required (the header is: ", absl::StrJoin(names, ","),
      ")"));
}

int Find(const CsvHeader& header, absl::string_view name) {
  return header.FindColumn(name).value_or(-1);
}

// The trimmed value of a column, or "" when the column is absent.
inline absl::string_view Value(absl::Span<const absl::string_view> fields,
                               int col) {
  return col < 0 ? absl::string_view() : TrimSpaces(fields[col]);
}

// Whether every byte is ASCII, eight at a time: exports are almost all
// ASCII, and then no field needs the full UTF-8 check.
inline bool IsAscii(absl::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t high = 0;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    high |= word;
  }
  for (; n > 0; ++p, --n) high |= static_cast<unsigned char>(*p);
  return (high & 0x8080808080808080ULL) == 0;
}

// Known columns only: FORMATS.md never validates an unknown column.
std::optional<RowError> CheckUtf8(absl::Span<const absl::string_view> fields,
                                  const std::vector<std::string>& names,
                                  const std::vector<int>& known) {
  for (int i : known) {
    if (!IsAscii(fields[i]) && !IsValidUtf8(fields[i])) {
      return Error(names[i], "not_utf8",
                   absl::StrCat(names[i],
                                " is not valid UTF-8 text (save the "
                                "export as UTF-8)"));
    }
  }
  return std::nullopt;
}

// An unknown column's value as an attribute: kept as it is, but a protobuf
// string holds UTF-8, so a byte that is not (the column is never validated)
// becomes U+FFFD.
std::string AttributeValue(absl::string_view value) {
  if (IsAscii(value) || IsValidUtf8(value)) return std::string(value);
  std::string out;
  out.reserve(value.size() + 8);
  size_t i = 0;
  while (i < value.size()) {
    // The longest valid sequence at i: 1 to 4 bytes.
    size_t len = 0;
    for (size_t n = 1; n <= 4 && i + n <= value.size(); ++n) {
      if (IsValidUtf8(value.substr(i, n))) {
        len = n;
        break;
      }
    }
    if (len == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      out.append(value.data() + i, len);
      i += len;
    }
  }
  return out;
}

// Fails when a column the file's rows are read by is named twice: which of
// the two holds the value would be a guess.
absl::Status CheckNotDuplicated(absl::string_view file_kind,
                                absl::string_view column,
                                const CsvHeader& header) {
  if (!header.IsDuplicated(column)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(file_kind, ": the header names the '", column,
                   "' column more than once"));
}

std::vector<std::string> Names(const CsvHeader& header) {
  std::vector<std::string> names;
  for (size_t i = 0; i < header.size(); ++i) names.push_back(header.name(i));
  return names;
}

// Prefixes a parser's message with the column: "s1_responded: '31/02/2023'
// is not a date ...".
RowError BadValue(absl::string_view column, const absl::Status& status) {
  return Error(column, "bad_value",
               absl::StrCat(column, ": ", status.message()));
}

}  // namespace

// --- Rejects -------------------------------------------------------------

RejectsCsvWriter::RejectsCsvWriter(std::ostream* out) : out_(out) {
  *out_ << "file,line,column,reason,record\n";
}

absl::Status RejectsCsvWriter::OnReject(const Reject& r) {
  buffer_.clear();
  const std::string line = absl::StrCat(r.line);
  const absl::string_view fields[] = {r.file, line, r.column, r.reason,
                                      r.record};
  AppendCsvRecord(buffer_, fields);
  out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  if (!*out_) return absl::DataLossError("cannot write the rejects file");
  return absl::OkStatus();
}

absl::Status DatasetSink::OnCase(const v1::Case& c, const CaseState& state) {
  return builder_.AddCase(c, state);
}

absl::Status DatasetSink::OnInteraction(const v1::Interaction& i,
                                        const EventTime& at) {
  builder_.AddInteraction(at.date, i.directorate(), i.service(), i.kind(),
                          i.case_ref());
  return absl::OkStatus();
}

absl::Status DatasetSink::OnInteractionRow(const InteractionRow& row,
                                           v1::Interaction&) {
  builder_.AddInteraction(row.at.date, row.directorate, row.service, row.kind,
                          row.case_ref);
  return absl::OkStatus();
}

absl::Status ImportSink::OnInteractionRow(const InteractionRow& row,
                                          v1::Interaction& scratch) {
  row.ToProto(scratch);
  return OnInteraction(scratch, row.at);
}

void InteractionRow::ToProto(v1::Interaction& out) const {
  out.Clear();
  out.set_id(std::string(id));
  *out.mutable_at() = tellus::ToProto(at);
  out.set_channel(channel);
  out.set_directorate(std::string(directorate));
  out.set_service(std::string(service));
  out.set_kind(kind);
  out.set_customer(std::string(customer));
  out.set_case_ref(std::string(case_ref));
  for (const auto& [name, value] : attributes) {
    v1::Attribute& a = *out.add_attributes();
    a.set_name(std::string(name));
    a.set_value(std::string(value));
  }
  if (!file.empty() || line != 0) {
    out.mutable_source()->set_file(std::string(file));
    out.mutable_source()->set_line(line);
  }
}

// --- cases.csv rows ------------------------------------------------------

absl::StatusOr<CaseRowParser> CaseRowParser::Create(const CsvHeader& header) {
  CaseRowParser p;
  p.names_ = Names(header);
  struct Column {
    absl::string_view name;
    int* index;
    bool required;
  };
  const Column columns[] = {
      {"case_ref", &p.ref_, true},
      {"type", &p.type_, true},
      {"received", &p.received_, true},
      {"directorate", &p.directorate_, true},
      {"service", &p.service_, false},
      {"channel", &p.channel_, false},
      {"customer", &p.customer_, false},
      {"s1_acknowledged", &p.s1_ack_, false},
      {"s1_extended_to", &p.s1_ext_, false},
      {"s1_responded", &p.s1_resp_, false},
      {"s1_outcome", &p.s1_outcome_, false},
      {"s2_requested", &p.s2_req_, false},
      {"s2_acknowledged", &p.s2_ack_, false},
      {"s2_extended_to", &p.s2_ext_, false},
      {"s2_responded", &p.s2_resp_, false},
      {"s2_outcome", &p.s2_outcome_, false},
      {"withdrawn", &p.withdrawn_, false},
      {"ombudsman", &p.ombudsman_, false},
      {"ombudsman_received", &p.ombudsman_received_, false},
      {"ombudsman_decision", &p.decision_, false},
      {"ombudsman_decided", &p.decided_, false},
      {"lessons_learnt", &p.lessons_, false},
      {"remedy_amount", &p.remedy_, false},
      {"team", &p.team_, false},
      {"staff", &p.staff_, false},
  };
  std::vector<bool> known(header.size(), false);
  for (const Column& c : columns) {
    *c.index = Find(header, c.name);
    if (*c.index < 0 && c.required) {
      return MissingColumn("cases file", c.name, header);
    }
    TELLUS_RETURN_IF_ERROR(CheckNotDuplicated("cases file", c.name, header));
    if (*c.index >= 0) {
      known[*c.index] = true;
      p.known_.push_back(*c.index);
      // Rejects name a known column as FORMATS.md does, whatever its case
      // or spacing in the file's header.
      p.names_[*c.index] = std::string(c.name);
    }
  }
  for (size_t i = 0; i < header.size(); ++i) {
    if (!known[i]) p.unknown_.push_back(static_cast<int>(i));
  }
  return p;
}

std::optional<RowError> CaseRowParser::Parse(
    absl::Span<const absl::string_view> fields, v1::Case& out,
    CaseState& state) const {
  out.Clear();
  if (auto bad = CheckUtf8(fields, names_, known_)) return bad;
  auto name = [&](int col) -> const std::string& { return names_[col]; };
  auto value = [&](int col) { return Value(fields, col); };

  for (int col : {ref_, type_, received_, directorate_}) {
    if (value(col).empty()) {
      return Error(name(col), "missing_value",
                   absl::StrCat(name(col), " is required but empty"));
    }
  }

  // Values, each checked against its column's form.
  auto type = ParseCaseType(value(type_));
  if (!type.ok()) return BadValue(name(type_), type.status());
  auto received = ParseDateOrDateTime(value(received_));
  if (!received.ok()) return BadValue(name(received_), received.status());

  struct DatedColumn {
    int col;
    std::optional<EventTime> time;
  };
  DatedColumn dated[] = {
      {s1_ack_, {}},  {s1_ext_, {}},    {s1_resp_, {}},
      {s2_req_, {}},  {s2_ack_, {}},    {s2_ext_, {}},
      {s2_resp_, {}}, {withdrawn_, {}}, {ombudsman_received_, {}},
      {decided_, {}}, {lessons_, {}}};
  for (DatedColumn& d : dated) {
    if (value(d.col).empty()) continue;
    auto t = ParseDateOrDateTime(value(d.col));
    if (!t.ok()) return BadValue(name(d.col), t.status());
    d.time = *t;
  }
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  if (!value(channel_).empty()) {
    auto c = ParseChannel(value(channel_));
    if (!c.ok()) return BadValue(name(channel_), c.status());
    channel = *c;
  }
  v1::Outcome outcome1 = v1::OUTCOME_UNSPECIFIED;
  v1::Outcome outcome2 = v1::OUTCOME_UNSPECIFIED;
  for (auto [col, outcome] :
       {std::pair{s1_outcome_, &outcome1}, std::pair{s2_outcome_, &outcome2}}) {
    if (value(col).empty()) continue;
    auto o = ParseOutcome(value(col));
    if (!o.ok()) return BadValue(name(col), o.status());
    *outcome = *o;
  }
  v1::OmbudsmanBody body = v1::OMBUDSMAN_BODY_UNSPECIFIED;
  if (!value(ombudsman_).empty()) {
    auto b = ParseOmbudsmanBody(value(ombudsman_));
    if (!b.ok()) return BadValue(name(ombudsman_), b.status());
    body = *b;
  }
  v1::OmbudsmanDecision decision = v1::OMBUDSMAN_DECISION_UNSPECIFIED;
  if (!value(decision_).empty()) {
    auto d = ParseOmbudsmanDecision(value(decision_));
    if (!d.ok()) return BadValue(name(decision_), d.status());
    decision = *d;
    const bool lgsco = decision >= v1::OMBUDSMAN_DECISION_PREMATURE &&
                       decision <= v1::OMBUDSMAN_DECISION_NOT_UPHELD;
    const bool hos = decision >= v1::OMBUDSMAN_DECISION_NO_MALADMINISTRATION &&
                     decision <= v1::OMBUDSMAN_DECISION_OUTSIDE_JURISDICTION;
    if ((body == v1::OMBUDSMAN_BODY_LGSCO && hos) ||
        (body == v1::OMBUDSMAN_BODY_HOS && lgsco)) {
      return Error(
          name(decision_), "bad_value",
          absl::StrCat(name(decision_), ": '", value(decision_), "' is a ",
                       lgsco ? "LGSCO" : "Housing Ombudsman",
                       " decision, but the complaint went to the ",
                       body == v1::OMBUDSMAN_BODY_LGSCO ? "LGSCO"
                                                        : "Housing Ombudsman"));
    }
  }
  std::optional<int64_t> remedy;
  if (!value(remedy_).empty()) {
    auto pence = ParseMoneyPence(value(remedy_));
    if (!pence.ok()) return BadValue(name(remedy_), pence.status());
    remedy = *pence;
  }

  // A compliment or an enquiry carries no complaint columns.
  if (*type != v1::CASE_TYPE_COMPLAINT) {
    for (int col :
         {s1_ack_, s1_ext_, s1_resp_, s1_outcome_, s2_req_, s2_ack_, s2_ext_,
          s2_resp_, s2_outcome_, withdrawn_, ombudsman_, ombudsman_received_,
          decision_, decided_, lessons_, remedy_}) {
      if (!value(col).empty()) {
        return Error(
            name(col), "not_for_type",
            absl::StrCat(
                *type == v1::CASE_TYPE_ENQUIRY ? "an enquiry" : "a compliment",
                " carries no ", name(col), " (only complaints do)"));
      }
    }
  }

  // "with X": present when X is present, absent when X is absent.
  struct Pair {
    int dependent;
    absl::string_view dependent_name;
    int anchor;
    absl::string_view anchor_name;
  };
  for (const Pair& p :
       {Pair{s1_outcome_, "s1_outcome", s1_resp_, "s1_responded"},
        Pair{s2_outcome_, "s2_outcome", s2_resp_, "s2_responded"},
        Pair{ombudsman_received_, "ombudsman_received", ombudsman_,
             "ombudsman"},
        Pair{decided_, "ombudsman_decided", decision_, "ombudsman_decision"}}) {
    const bool has_dependent = !value(p.dependent).empty();
    const bool has_anchor = !value(p.anchor).empty();
    if (has_anchor && !has_dependent) {
      return Error(
          p.dependent_name, "missing_value",
          absl::StrCat(p.dependent_name, " is required with ", p.anchor_name));
    }
    if (has_dependent && !has_anchor) {
      return Error(
          name(p.dependent), "unexpected_value",
          absl::StrCat(p.dependent_name, " is given without ", p.anchor_name));
    }
  }

  // The case and its events, for the state machine.
  out.set_ref(std::string(value(ref_)));
  out.set_type(*type);
  *out.mutable_received() = ToProto(*received);
  out.set_directorate(std::string(value(directorate_)));
  out.set_service(std::string(value(service_)));
  out.set_channel(channel);
  out.set_customer(std::string(value(customer_)));
  out.set_team(std::string(value(team_)));
  out.set_staff(std::string(value(staff_)));
  auto add = [&](const std::optional<EventTime>& t) -> v1::Event* {
    if (!t) return nullptr;
    v1::Event* e = out.add_events();
    *e->mutable_when() = ToProto(*t);
    return e;
  };
  const auto& [s1_ack, s1_ext, s1_resp, s2_req, s2_ack, s2_ext, s2_resp,
               withdrawn, referred, decided, lesson] = dated;
  if (auto* e = add(s1_ack.time)) {
    e->mutable_acknowledged()->set_stage(v1::STAGE_1);
  }
  if (auto* e = add(s1_ext.time)) {
    e->mutable_extension_agreed()->set_stage(v1::STAGE_1);
  }
  if (auto* e = add(s1_resp.time)) {
    e->mutable_responded()->set_stage(v1::STAGE_1);
    e->mutable_responded()->set_outcome(outcome1);
  }
  if (auto* e = add(s2_req.time)) e->mutable_escalation_requested();
  if (auto* e = add(s2_ack.time)) {
    e->mutable_acknowledged()->set_stage(v1::STAGE_2);
  }
  if (auto* e = add(s2_ext.time)) {
    e->mutable_extension_agreed()->set_stage(v1::STAGE_2);
  }
  if (auto* e = add(s2_resp.time)) {
    e->mutable_responded()->set_stage(v1::STAGE_2);
    e->mutable_responded()->set_outcome(outcome2);
  }
  if (auto* e = add(withdrawn.time)) e->mutable_withdrawn();
  if (auto* e = add(lesson.time)) e->mutable_lesson_learnt();
  if (auto* e = add(referred.time)) {
    e->mutable_ombudsman_referral()->set_body(body);
  }
  if (auto* e = add(decided.time)) {
    e->mutable_ombudsman_decided()->set_decision(decision);
  }
  if (remedy) out.add_events()->mutable_remedy()->set_pence(*remedy);
  for (int col : unknown_) {
    if (value(col).empty()) continue;
    v1::Attribute& a = *out.add_attributes();
    a.set_name(name(col));
    a.set_value(AttributeValue(value(col)));
  }

  auto folded = FoldCase(out);
  if (!folded.ok()) {
    return Error("", "invalid_history", std::string(folded.status().message()));
  }
  state = *std::move(folded);
  return std::nullopt;
}

// --- interactions.csv rows -----------------------------------------------

absl::StatusOr<InteractionRowParser> InteractionRowParser::Create(
    const CsvHeader& header) {
  InteractionRowParser p;
  p.names_ = Names(header);
  struct Column {
    absl::string_view name;
    int* index;
    bool required;
  };
  const Column columns[] = {
      {"interaction_id", &p.id_, true},
      {"at", &p.at_, true},
      {"channel", &p.channel_, true},
      {"directorate", &p.directorate_, false},
      {"service", &p.service_, false},
      {"kind", &p.kind_, true},
      {"customer", &p.customer_, false},
      {"case_ref", &p.case_ref_, false},
  };
  std::vector<bool> known(header.size(), false);
  for (const Column& c : columns) {
    *c.index = Find(header, c.name);
    if (*c.index < 0 && c.required) {
      return MissingColumn("interactions file", c.name, header);
    }
    TELLUS_RETURN_IF_ERROR(
        CheckNotDuplicated("interactions file", c.name, header));
    if (*c.index >= 0) {
      known[*c.index] = true;
      p.known_.push_back(*c.index);
      // Rejects name a known column as FORMATS.md does, whatever its case
      // or spacing in the file's header.
      p.names_[*c.index] = std::string(c.name);
    }
  }
  for (size_t i = 0; i < header.size(); ++i) {
    if (!known[i]) p.unknown_.push_back(static_cast<int>(i));
  }
  return p;
}

std::optional<RowError> InteractionRowParser::ParseValues(
    absl::Span<const absl::string_view> fields, InteractionRow& row,
    bool ascii) const {
  if (!ascii) {
    if (auto bad = CheckUtf8(fields, names_, known_)) return bad;
  }
  auto value = [&](int col) { return Value(fields, col); };
  row.id = value(id_);
  const absl::string_view at = value(at_);
  const absl::string_view channel = value(channel_);
  const absl::string_view kind = value(kind_);
  for (auto [col, v] : {std::pair{id_, row.id}, std::pair{at_, at},
                        std::pair{channel_, channel}, std::pair{kind_, kind}}) {
    if (v.empty()) {
      return Error(names_[col], "missing_value",
                   absl::StrCat(names_[col], " is required but empty"));
    }
  }
  auto time = ParseDateOrDateTime(at);
  if (!time.ok()) return BadValue(names_[at_], time.status());
  auto parsed_channel = ParseChannel(channel);
  if (!parsed_channel.ok()) {
    return BadValue(names_[channel_], parsed_channel.status());
  }
  auto parsed_kind = ParseInteractionKind(kind);
  if (!parsed_kind.ok()) return BadValue(names_[kind_], parsed_kind.status());

  row.at = *time;
  row.channel = *parsed_channel;
  row.directorate = value(directorate_);
  row.service = value(service_);
  row.kind = *parsed_kind;
  row.customer = value(customer_);
  row.case_ref = value(case_ref_);
  row.attributes = {};
  return std::nullopt;
}

std::optional<RowError> InteractionRowParser::Parse(const CsvRecord& record,
                                                    InteractionRow& row) {
  // The fields are the record's text less quotes and separators: when that
  // is all ASCII, so is every field, and one pass over it checks them all.
  const absl::Span<const absl::string_view> fields = record.fields;
  if (auto bad = ParseValues(fields, row, IsAscii(record.raw))) return bad;
  attributes_.clear();
  if (ABSL_PREDICT_FALSE(!repaired_values_.empty())) repaired_values_.clear();
  for (int col : unknown_) {
    absl::string_view v = Value(fields, col);
    if (v.empty()) continue;
    if (!IsAscii(v) && !IsValidUtf8(v)) {
      v = repaired_values_.emplace_back(AttributeValue(v));
    }
    attributes_.emplace_back(names_[col], v);
  }
  row.attributes = attributes_;
  return std::nullopt;
}

std::optional<RowError> InteractionRowParser::Parse(
    absl::Span<const absl::string_view> fields, v1::Interaction& out,
    EventTime& at) const {
  InteractionRow row;
  if (auto bad = ParseValues(fields, row, /*ascii=*/false)) return bad;
  at = row.at;
  row.ToProto(out);
  for (int col : unknown_) {
    const absl::string_view v = Value(fields, col);
    if (v.empty()) continue;
    v1::Attribute& a = *out.add_attributes();
    a.set_name(names_[col]);
    a.set_value(AttributeValue(v));
  }
  return std::nullopt;
}

// --- The importer --------------------------------------------------------

Importer::Importer(ImportSink& sink, RejectSink* rejects, ImportOptions options)
    : sink_(sink),
      builder_(sink.dataset_builder()),
      rejects_(rejects),
      options_(std::move(options)),
      case_refs_seen_(std::make_unique<IdSet>()),
      interaction_ids_seen_(std::make_unique<IdSet>()) {}

Importer::~Importer() = default;

absl::Status Importer::RejectRow(FileSummary& file, const CsvRecord& record,
                                 RowError error) {
  return RejectRow(file, record.line, record.raw, std::move(error));
}

absl::Status Importer::RejectRow(FileSummary& file, int64_t line,
                                 absl::string_view record, RowError error) {
  ++file.rejected;
  ++file.rejected_by_rule[error.rule];
  if (rejects_ == nullptr) return absl::OkStatus();
  Reject r;
  r.file = file.file;
  r.line = line;
  r.column = std::move(error.column);
  r.rule = std::move(error.rule);
  r.reason = std::move(error.reason);
  r.record = std::string(record);
  return rejects_->OnReject(r);
}

namespace {

// Reads the header of a file; fails on an empty file.
absl::StatusOr<CsvHeader> ReadHeader(CsvReader& reader,
                                     absl::string_view file) {
  CsvRecord record;
  TELLUS_ASSIGN_OR_RETURN(bool more, reader.Next(record));
  if (!more) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": the file is empty (expected a header row)"));
  }
  if (!record.error.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": the header row (line ", record.line,
                     ") is not well-formed CSV: ", record.error));
  }
  for (absl::string_view name : record.fields) {
    if (!IsValidUtf8(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ": the header row is not valid UTF-8"));
    }
  }
  auto header = CsvHeader::Create(record.fields);
  if (!header.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": ", header.status().message()));
  }
  return header;
}

// The structural checks every row gets before its values are read.
std::optional<RowError> CheckShape(const CsvRecord& record,
                                   const CsvHeader& header) {
  if (!record.error.empty()) {
    const std::string column =
        record.error_field >= 0 &&
                static_cast<size_t>(record.error_field) < header.size()
            ? header.name(record.error_field)
            : "";
    return RowError{column, "malformed_csv", std::string(record.error)};
  }
  if (record.fields.size() != header.size()) {
    return RowError{
        "", "wrong_field_count",
        absl::StrCat("wrong number of fields: ", record.fields.size(),
                     " where the header has ", header.size())};
  }
  return std::nullopt;
}

RowError DuplicateRef(absl::string_view ref) {
  return RowError{
      "case_ref", "duplicate_case_ref",
      absl::StrCat("case_ref ", ref, " is already used by an earlier row")};
}

RowError DuplicateId(absl::string_view id) {
  return RowError{"interaction_id", "duplicate_interaction_id",
                  absl::StrCat("interaction_id ", id,
                               " is already used by an earlier row")};
}

// More threads than this read no faster (and each holds a part's columns).
constexpr int kMaxThreads = 64;

// Cuts the rows of a file (from `data`, where a record starts) into
// `parts` parts, the first of about `first_share` of the bytes and the
// others of about the same size, each beginning just after an LF:
// the offsets where the parts begin, then the file's size. With
// `count_quotes`, only after an LF with an even number of quotes between
// `data` and it (outside any quoted field, if the quotes are well formed).
// Where no such LF follows a cut, the part begins at the end (and is
// empty).
absl::StatusOr<std::vector<int64_t>> SplitAtLines(const std::string& path,
                                                  int64_t data, int parts,
                                                  bool count_quotes,
                                                  double first_share) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot be read (", std::strerror(errno), ")"));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot be read (", std::strerror(errno), ")"));
  }
  const int64_t size = std::max<int64_t>(st.st_size, data);
  std::vector<int64_t> starts = {data};
  std::vector<char> buffer(size_t{1} << 20);
  int64_t pos = data;  // bytes before `pos` are scanned
  bool odd = false;    // an odd number of quotes before `pos`
  for (int k = 1; k < parts; ++k) {
    // Part 0 takes first_share of the bytes, the others equal shares of
    // the rest.
    const double share =
        first_share + (1 - first_share) * (k - 1) / (parts - 1);
    const int64_t cut =
        data + static_cast<int64_t>(static_cast<double>(size - data) * share) -
        1;
    int64_t start = size;
    if (pos < cut) pos = count_quotes ? pos : cut;
    while (pos < size) {
      const ssize_t got = ::pread(fd, buffer.data(),
                                  static_cast<size_t>(std::min<int64_t>(
                                      static_cast<int64_t>(buffer.size()),
                                      pos < cut ? cut - pos : size - pos)),
                                  pos);
      if (got <= 0) break;
      const char* p = buffer.data();
      const char* e = p + got;
      if (pos < cut) {  // only counting quotes before the cut
        odd ^= std::count(p, e, '"') % 2 != 0;
        pos += got;
        continue;
      }
      const char* lf = nullptr;
      for (const char* q = p; q < e; ++q) {
        if (*q == '"') {
          odd = count_quotes && !odd;
        } else if (*q == '\n' && !odd) {
          lf = q;
          break;
        }
      }
      if (lf != nullptr) {
        start = pos + (lf - p) + 1;
        pos = start;
        break;
      }
      pos += got;
    }
    starts.push_back(std::max(start, starts.back()));
  }
  ::close(fd);
  starts.push_back(size);
  return starts;
}

absl::StatusOr<CsvReader> Open(const std::string& path) {
  auto reader = CsvReader::OpenFile(path);
  if (!reader.ok()) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot be read (",
                                            reader.status().message(), ")"));
  }
  return reader;
}

absl::StatusOr<CsvReader> OpenAt(const std::string& path,
                                 const Importer::Position& at) {
  auto reader = CsvReader::OpenFileAt(path, at.offset, at.line);
  if (!reader.ok()) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot be read (",
                                            reader.status().message(), ")"));
  }
  return reader;
}

}  // namespace

int Importer::Threads() const {
  if (sink_.dataset_builder() == nullptr) return 1;
  int threads = options_.threads;
  if (threads <= 0) {
    threads =
        std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }
  return std::min(threads, kMaxThreads);
}

absl::Status Importer::ImportCases(const std::string& path,
                                   const std::string& display_name) {
  const std::string& name = display_name.empty() ? path : display_name;
  if (const int threads = Threads(); threads > 1) {
    return ImportCasesInParallel(path, name, threads);
  }
  TELLUS_ASSIGN_OR_RETURN(CsvReader reader, Open(path));
  return ImportCases(reader, name);
}

absl::Status Importer::ImportInteractions(const std::string& path,
                                          const std::string& display_name) {
  const std::string& name = display_name.empty() ? path : display_name;
  if (const int threads = Threads(); threads > 1) {
    return ImportInteractionsInParallel(path, name, *sink_.dataset_builder(),
                                        threads);
  }
  TELLUS_ASSIGN_OR_RETURN(CsvReader reader, Open(path));
  return ImportInteractions(reader, name);
}

absl::Status Importer::ImportCases(CsvReader& reader,
                                   const std::string& display_name) {
  FileSummary& file = summary_.cases;
  file.file = display_name;
  TELLUS_ASSIGN_OR_RETURN(CsvHeader header, ReadHeader(reader, display_name));
  auto parser = CaseRowParser::Create(header);
  if (!parser.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(display_name, ": ", parser.status().message()));
  }
  return CaseRows(reader, header, *parser, display_name,
                  std::numeric_limits<int64_t>::max(), nullptr);
}

absl::Status Importer::AcceptCase(const v1::Case& c, const CaseState& state) {
  if (builder_ == nullptr) {
    TELLUS_RETURN_IF_ERROR(sink_.OnCase(c, state));
    case_refs_accepted_.insert(c.ref());
    return absl::OkStatus();
  }
  // The builder's row is the record of the case (no set of references
  // beside it): AcceptedHere.
  const uint32_t row = static_cast<uint32_t>(builder_->cases());
  TELLUS_RETURN_IF_ERROR(sink_.OnCase(c, state));
  if (!own_case_rows_.empty() && own_case_rows_.back().second == row) {
    ++own_case_rows_.back().second;
  } else {
    own_case_rows_.emplace_back(row, row + 1);
  }
  return absl::OkStatus();
}

bool Importer::AcceptedHere(absl::string_view ref,
                            std::optional<uint32_t> case_row) const {
  if (builder_ == nullptr) return case_refs_accepted_.contains(ref);
  if (!case_row) return false;
  for (const auto& [first, end] : own_case_rows_) {
    if (*case_row >= first && *case_row < end) return true;
  }
  return false;
}

absl::Status Importer::CaseRows(CsvReader& reader, const CsvHeader& header,
                                const CaseRowParser& parser,
                                const std::string& display_name, int64_t stop,
                                Position* next) {
  FileSummary& file = summary_.cases;
  CsvRecord record;
  v1::Case c;
  CaseState state;
  while (true) {
    auto more = reader.Next(record);
    if (!more.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(display_name, ": ", more.status().message()));
    }
    if (!*more) {
      if (next != nullptr) *next = {reader.offset(), reader.lines_read() + 1};
      break;
    }
    if (record.offset >= stop) {
      *next = {record.offset, record.line};
      break;
    }
    ++file.read;
    if (options_.progress && file.read % kProgressEvery == 0) {
      options_.progress(display_name, file.read);
    }
    if (auto bad = CheckShape(record, header)) {
      TELLUS_RETURN_IF_ERROR(RejectRow(file, record, *std::move(bad)));
      continue;
    }
    // A reference is used by any row that names it, accepted or not.
    const absl::string_view ref =
        TrimSpaces(record.fields[parser.ref_column()]);
    if (!ref.empty() && !case_refs_seen_->Insert(ref)) {
      TELLUS_RETURN_IF_ERROR(RejectRow(file, record, DuplicateRef(ref)));
      continue;
    }
    if (auto bad = parser.Parse(record.fields, c, state)) {
      TELLUS_RETURN_IF_ERROR(RejectRow(file, record, *std::move(bad)));
      continue;
    }
    c.mutable_source()->set_file(display_name);
    c.mutable_source()->set_line(record.line);
    TELLUS_RETURN_IF_ERROR(AcceptCase(c, state));
    ++file.accepted;
  }
  return absl::OkStatus();
}

absl::Status Importer::ImportInteractions(CsvReader& reader,
                                          const std::string& display_name) {
  FileSummary& file = summary_.interactions;
  file.file = display_name;
  TELLUS_ASSIGN_OR_RETURN(CsvHeader header, ReadHeader(reader, display_name));
  auto parser = InteractionRowParser::Create(header);
  if (!parser.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(display_name, ": ", parser.status().message()));
  }
  return InteractionRows(reader, header, *parser, display_name,
                         std::numeric_limits<int64_t>::max(), nullptr);
}

absl::Status Importer::InteractionRows(CsvReader& reader,
                                       const CsvHeader& header,
                                       InteractionRowParser& parser,
                                       const std::string& display_name,
                                       int64_t stop, Position* next) {
  LinkBatch links;
  absl::Status status =
      InteractionRows(reader, header, parser, display_name, stop, next, links);
  ResolveLinks(links);  // the last rows' links, also after a failure
  return status;
}

void Importer::ResolveLinks(LinkBatch& links) {
  if (links.empty()) return;
  links.Resolve(*builder_,
                [&](uint32_t row, v1::InteractionKind kind,
                    absl::string_view ref, std::optional<uint32_t> case_row) {
                  if (!AcceptedHere(ref, case_row))
                    ++summary_.unlinked_interactions;
                  builder_->LinkInteraction(row, kind, ref, case_row);
                });
}

absl::Status Importer::InteractionRows(CsvReader& reader,
                                       const CsvHeader& header,
                                       InteractionRowParser& parser,
                                       const std::string& display_name,
                                       int64_t stop, Position* next,
                                       LinkBatch& links) {
  FileSummary& file = summary_.interactions;
  CsvRecord record;
  InteractionRow row;
  v1::Interaction scratch;  // for sinks that take messages
  while (true) {
    auto more = reader.Next(record);
    if (!more.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(display_name, ": ", more.status().message()));
    }
    if (!*more) {
      if (next != nullptr) *next = {reader.offset(), reader.lines_read() + 1};
      break;
    }
    if (record.offset >= stop) {
      *next = {record.offset, record.line};
      break;
    }
    ++file.read;
    if (options_.progress && file.read % kProgressEvery == 0) {
      options_.progress(display_name, file.read);
    }
    if (auto bad = CheckShape(record, header)) {
      TELLUS_RETURN_IF_ERROR(RejectRow(file, record, *std::move(bad)));
      continue;
    }
    const absl::string_view id = TrimSpaces(record.fields[parser.id_column()]);
    if (!id.empty() && !interaction_ids_seen_->Insert(id)) {
      TELLUS_RETURN_IF_ERROR(RejectRow(file, record, DuplicateId(id)));
      continue;
    }
    if (auto bad = parser.Parse(record, row)) {
      TELLUS_RETURN_IF_ERROR(RejectRow(file, record, *std::move(bad)));
      continue;
    }
    if (builder_ != nullptr) {  // straight into the columns
      const uint32_t added = static_cast<uint32_t>(builder_->interactions());
      builder_->AddInteraction(row.at.date, row.directorate, row.service,
                               row.kind, /*case_ref=*/"", std::nullopt);
      if (!row.case_ref.empty() && links.Add(added, row.kind, row.case_ref)) {
        ResolveLinks(links);
      }
      ++file.accepted;
      continue;
    }
    row.file = display_name;
    row.line = record.line;
    if (!row.case_ref.empty() && !AcceptedHere(row.case_ref, std::nullopt)) {
      ++summary_.unlinked_interactions;
    }
    TELLUS_RETURN_IF_ERROR(sink_.OnInteractionRow(row, scratch));
    ++file.accepted;
  }
  return absl::OkStatus();
}

// One part of a file read on its own thread: where it began and ended, with
// line numbers counted from 1 at `start`.
struct ChunkBounds {
  int64_t start = 0;  // where the worker began (just after an LF)
  int64_t stop = 0;   // where the next part begins
  // The first record at or after `start`, and the first one not taken (at
  // or after `stop`, or one left to a one-thread read: see `unusual`).
  Importer::Position first, next;
  // The part ended before `stop` at a record read on its own would not
  // make the same: a quote never closed, a read error, a record too long.
  bool unusual = false;
  int64_t read = 0;
};

// A rejected row of a part, its line counted from the part's start.
struct PendingReject {
  int64_t line;
  RowError error;
  std::string record;
};

// Calls `on_record(record)` for each record of the part, filling `bounds`.
template <typename OnRecord>
void ReadChunk(const std::string& path, ChunkBounds& bounds,
               OnRecord on_record) {
  auto reader = CsvReader::OpenFileAt(path, bounds.start, 1);
  if (!reader.ok()) {
    bounds.first = bounds.next = {bounds.start, 1};
    bounds.unusual = true;
    return;
  }
  CsvRecord record;
  bool first = true;
  Importer::Position at;
  while (true) {
    auto more = reader->Next(record);
    if (!more.ok() || !*more) {
      at = {reader->offset(), reader->lines_read() + 1};
      bounds.unusual = !more.ok();
      break;
    }
    if (record.offset >= bounds.stop || record.unclosed_quote) {
      at = {record.offset, record.line};
      bounds.unusual = record.offset < bounds.stop;
      break;
    }
    if (first) {
      bounds.first = {record.offset, record.line};
      first = false;
    }
    ++bounds.read;
    on_record(record);
  }
  if (first) bounds.first = at;
  bounds.next = at;
}

// Calls `progress` as a one-thread read would have between `before` rows
// and `after`.
void ReportProgress(const ImportOptions& options, absl::string_view file,
                    int64_t before, int64_t after) {
  if (!options.progress) return;
  for (int64_t n = (before / kProgressEvery + 1) * kProgressEvery; n <= after;
       n += kProgressEvery) {
    options.progress(file, n);
  }
}

// What a worker of ImportInteractionsInParallel makes of its part of the
// file: the rows it accepted, the rows it rejected and the new ids.
struct InteractionChunk {
  ChunkBounds bounds;
  int64_t accepted = 0;
  int64_t unlinked = 0;
  std::vector<PendingReject> rejects;
  IdLog ids;
  InteractionBlock block;
};

// The same for ImportCasesInParallel: its accepted cases are kept whole.
struct CaseChunk {
  ChunkBounds bounds;
  // The part's messages, freed at once (and made without a lock or a free
  // across threads).
  std::unique_ptr<google::protobuf::Arena> arena =
      std::make_unique<google::protobuf::Arena>();
  struct Accepted {
    int64_t line;
    v1::Case* c;  // on `arena`
    CaseState state;
  };
  std::vector<Accepted> accepted;
  std::vector<PendingReject> rejects;
  IdLog refs;  // new references, in order
};

void Importer::ReadInteractionChunk(const std::string& path,
                                    const CsvHeader& header,
                                    InteractionRowParser parser,
                                    const DatasetBuilder* builder,
                                    InteractionChunk& chunk) const {
  IdSet seen;
  InteractionRow row;
  LinkBatch links;
  auto resolve = [&] {
    if (links.empty()) return;
    links.Resolve(*builder,
                  [&](uint32_t row, v1::InteractionKind kind,
                      absl::string_view ref, std::optional<uint32_t> case_row) {
                    if (!AcceptedHere(ref, case_row)) ++chunk.unlinked;
                    chunk.block.Link(row, kind, ref, case_row);
                  });
  };
  ReadChunk(path, chunk.bounds, [&](const CsvRecord& record) {
    auto reject = [&](RowError error) {
      chunk.rejects.push_back(PendingReject{record.line, std::move(error),
                                            std::string(record.raw)});
    };
    if (auto bad = CheckShape(record, header)) return reject(*std::move(bad));
    const absl::string_view id = TrimSpaces(record.fields[parser.id_column()]);
    if (!id.empty()) {
      if (!seen.Insert(id)) return reject(DuplicateId(id));
      chunk.ids.Add(id);
    }
    if (auto bad = parser.Parse(record, row)) return reject(*std::move(bad));
    if (builder == nullptr) {  // links resolved when the chunk is merged
      chunk.block.Add(row.at.date, row.directorate, row.service, row.kind,
                      row.case_ref, std::nullopt);
      ++chunk.accepted;
      return;
    }
    const uint32_t added = static_cast<uint32_t>(chunk.block.size());
    chunk.block.Add(row.at.date, row.directorate, row.service, row.kind,
                    /*case_ref=*/"", std::nullopt);
    if (!row.case_ref.empty() && links.Add(added, row.kind, row.case_ref)) {
      resolve();
    }
    ++chunk.accepted;
  });
  resolve();
}

void Importer::ReadCaseChunk(const std::string& path, const CsvHeader& header,
                             const CaseRowParser& parser,
                             CaseChunk& chunk) const {
  IdSet seen;
  v1::Case* c = nullptr;
  CaseState state;
  ReadChunk(path, chunk.bounds, [&](const CsvRecord& record) {
    auto reject = [&](RowError error) {
      chunk.rejects.push_back(PendingReject{record.line, std::move(error),
                                            std::string(record.raw)});
    };
    if (auto bad = CheckShape(record, header)) return reject(*std::move(bad));
    const absl::string_view ref =
        TrimSpaces(record.fields[parser.ref_column()]);
    if (!ref.empty()) {
      if (!seen.Insert(ref)) return reject(DuplicateRef(ref));
      chunk.refs.Add(ref);
    }
    if (c == nullptr) {
      c = google::protobuf::Arena::CreateMessage<v1::Case>(chunk.arena.get());
    }
    if (auto bad = parser.Parse(record.fields, *c, state)) {
      return reject(*std::move(bad));  // `c` is used again
    }
    chunk.accepted.push_back(
        CaseChunk::Accepted{record.line, c, std::move(state)});
    c = nullptr;
  });
}

namespace {

// Why ReadInParallel stopped taking parts.
enum class PartsEnd {
  kDone,       // all of the file
  kMisplaced,  // a part began inside a record: its cut is worth moving
  kInOrder,    // the rest must be read on one thread
};

// The parallel read cases and interactions share. From `at` (the first
// record after the header; `reader` is there) to the end of the file, cut
// in `threads` parts: part 0 is read on this thread by `in_order(reader,
// stop, &next)` (the one-thread import itself, up to the record at or after
// `stop`), parts 1.. each by `read_part(chunk)` on a thread of its own.
// Then, in file order, part k is taken (`merge(chunk, lines)`, `lines` to
// add to its line numbers) if it began where part k-1 ended and
// `conflicts(chunk)` finds none of its ids used by an earlier row. What no
// part could give is read by `in_order` again: after a part that began
// inside a record (a cut in a quoted field), the rest is cut again where
// the quotes before each cut are even in number; after any other fault, or
// a second misplaced part, it is read on this thread. Part 0 is
// `first_share` of the bytes (by default as large as the others).
template <typename Chunk, typename InOrder, typename ReadPart,
          typename Conflicts, typename Merge>
absl::Status ReadInParallel(const std::string& path, CsvReader& reader,
                            Importer::Position at, int threads,
                            InOrder in_order, ReadPart read_part,
                            Conflicts conflicts, Merge merge,
                            double first_share = 0) {
  if (first_share <= 0) first_share = 1.0 / threads;
  std::optional<CsvReader> rest;
  for (int round = 0; round < 2; ++round) {
    CsvReader& part0 = round == 0 ? reader : *rest;
    TELLUS_ASSIGN_OR_RETURN(
        std::vector<int64_t> starts,
        SplitAtLines(path, at.offset, threads, /*count_quotes=*/round > 0,
                     first_share));
    std::vector<Chunk> chunks(starts.size() - 1);
    std::vector<std::thread> workers;
    for (size_t k = 1; k < chunks.size(); ++k) {
      chunks[k].bounds.start = starts[k];
      chunks[k].bounds.stop = starts[k + 1];
      workers.emplace_back([&read_part, &chunks, k] { read_part(chunks[k]); });
    }
    absl::Status status = in_order(part0, starts[1], &at);
    for (std::thread& worker : workers) worker.join();
    TELLUS_RETURN_IF_ERROR(status);

    PartsEnd end = PartsEnd::kDone;
    for (size_t k = 1; k < chunks.size(); ++k) {
      Chunk& chunk = chunks[k];
      const ChunkBounds& bounds = chunk.bounds;
      if (bounds.first.offset != at.offset) {
        end = PartsEnd::kMisplaced;
        break;
      }
      if (conflicts(chunk)) {
        end = PartsEnd::kInOrder;
        break;
      }
      const int64_t lines = at.line - bounds.first.line;
      TELLUS_RETURN_IF_ERROR(merge(chunk, lines));
      at = {bounds.next.offset, bounds.next.line + lines};
      const bool unusual = bounds.unusual;
      chunk = Chunk();  // frees its memory
      if (unusual) {
        end = PartsEnd::kInOrder;
        break;
      }
    }
    if (end == PartsEnd::kDone) return absl::OkStatus();
    TELLUS_ASSIGN_OR_RETURN(rest, OpenAt(path, at));
    if (end == PartsEnd::kInOrder) break;
  }
  return in_order(*rest, std::numeric_limits<int64_t>::max(), nullptr);
}

}  // namespace

absl::Status Importer::ImportCasesInParallel(const std::string& path,
                                             const std::string& display_name,
                                             int threads) {
  FileSummary& file = summary_.cases;
  file.file = display_name;
  TELLUS_ASSIGN_OR_RETURN(CsvReader reader, Open(path));
  TELLUS_ASSIGN_OR_RETURN(CsvHeader header, ReadHeader(reader, display_name));
  auto parser = CaseRowParser::Create(header);
  if (!parser.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(display_name, ": ", parser.status().message()));
  }
  auto in_order = [&](CsvReader& r, int64_t stop, Position* next) {
    return CaseRows(r, header, *parser, display_name, stop, next);
  };
  auto read_part = [&](CaseChunk& chunk) {
    ReadCaseChunk(path, header, *parser, chunk);
  };
  auto conflicts = [&](const CaseChunk& chunk) {
    return case_refs_seen_->ContainsAny(chunk.refs);
  };
  auto merge = [&](CaseChunk& chunk, int64_t lines) -> absl::Status {
    case_refs_seen_->InsertAll(chunk.refs);
    const int64_t read_before = file.read;
    file.read += chunk.bounds.read;
    // Rejects and cases go to different sinks, each in file order.
    for (PendingReject& r : chunk.rejects) {
      TELLUS_RETURN_IF_ERROR(
          RejectRow(file, r.line + lines, r.record, std::move(r.error)));
    }
    for (CaseChunk::Accepted& a : chunk.accepted) {
      a.c->mutable_source()->set_file(display_name);
      a.c->mutable_source()->set_line(a.line + lines);
      TELLUS_RETURN_IF_ERROR(AcceptCase(*a.c, a.state));
      ++file.accepted;
    }
    ReportProgress(options_, display_name, read_before, file.read);
    return absl::OkStatus();
  };
  const Position data = {reader.offset(), reader.lines_read() + 1};
  return ReadInParallel<CaseChunk>(path, reader, data, threads, in_order,
                                   read_part, conflicts, merge);
}

absl::Status Importer::ImportInteractionsInParallel(
    const std::string& path, const std::string& display_name,
    DatasetBuilder& builder, int threads, const CasesFirst* cases_first) {
  // With cases to import first, an interactions file that cannot be read
  // fails after them, as when one is imported after the other.
  auto import_cases = [&]() -> absl::Status {
    if (cases_first == nullptr) return absl::OkStatus();
    TELLUS_ASSIGN_OR_RETURN(CsvReader cases, Open(cases_first->path));
    return ImportCases(cases, cases_first->name);
  };
  // (A file that opens is named in the summary, as the one-thread import
  // names it.)
  auto fail = [&](absl::Status status, bool opened = true) {
    TELLUS_RETURN_IF_ERROR(import_cases());
    if (opened) summary_.interactions.file = display_name;
    return status;
  };
  FileSummary& file = summary_.interactions;
  auto reader = Open(path);
  if (!reader.ok()) return fail(reader.status(), /*opened=*/false);
  auto header = ReadHeader(*reader, display_name);
  if (!header.ok()) return fail(header.status());
  auto parser = InteractionRowParser::Create(*header);
  if (!parser.ok()) {
    return fail(absl::InvalidArgumentError(
        absl::StrCat(display_name, ": ", parser.status().message())));
  }
  // The cases are imported on this thread before its part of the
  // interactions, while the other parts are read; their rows' links wait
  // for the cases (`deferred`).
  const bool deferred = cases_first != nullptr;
  bool cases_imported = !deferred;
  auto in_order = [&](CsvReader& r, int64_t stop,
                      Position* next) -> absl::Status {
    if (!cases_imported) {
      cases_imported = true;
      TELLUS_RETURN_IF_ERROR(import_cases());
      file.file = display_name;
    }
    return InteractionRows(r, *header, *parser, display_name, stop, next);
  };
  if (!deferred) file.file = display_name;
  // The parts' threads each copy this parser, which nothing parses with:
  // a parser keeps scratch space, which the in-order part writes to while
  // they copy.
  const InteractionRowParser for_parts = *parser;
  auto read_part = [&](InteractionChunk& chunk) {
    ReadInteractionChunk(path, *header, for_parts,
                         deferred ? nullptr : &builder, chunk);
  };
  auto conflicts = [&](const InteractionChunk& chunk) {
    return interaction_ids_seen_->ContainsAny(chunk.ids);
  };
  auto merge = [&](InteractionChunk& chunk, int64_t lines) -> absl::Status {
    if (deferred) {
      chunk.block.ResolvePending(
          builder, [&](absl::string_view ref, std::optional<uint32_t> row) {
            if (!AcceptedHere(ref, row)) ++chunk.unlinked;
          });
    }
    interaction_ids_seen_->InsertAll(chunk.ids);
    const int64_t read_before = file.read;
    file.read += chunk.bounds.read;
    for (PendingReject& r : chunk.rejects) {
      TELLUS_RETURN_IF_ERROR(
          RejectRow(file, r.line + lines, r.record, std::move(r.error)));
    }
    file.accepted += chunk.accepted;
    summary_.unlinked_interactions += chunk.unlinked;
    builder.AppendInteractions(chunk.block);
    ReportProgress(options_, display_name, read_before, file.read);
    return absl::OkStatus();
  };
  double first_share = 0;  // equal parts
  if (deferred) {
    // This thread's part is made smaller by about what the cases cost: a
    // case row costs about six times an interaction row, byte for byte.
    struct stat cases_stat, interactions_stat;
    if (::stat(cases_first->path.c_str(), &cases_stat) == 0 &&
        ::stat(path.c_str(), &interactions_stat) == 0 &&
        interactions_stat.st_size > 0) {
      const double cases_cost = 6.0 * static_cast<double>(cases_stat.st_size) /
                                static_cast<double>(interactions_stat.st_size);
      const double per_thread = 1.0 / (threads - 1);
      first_share = std::clamp((per_thread - cases_cost) / (1 + per_thread),
                               0.05, 1.0 / threads);
    }
  }
  const Position data = {reader->offset(), reader->lines_read() + 1};
  return ReadInParallel<InteractionChunk>(path, *reader, data, threads,
                                          in_order, read_part, conflicts, merge,
                                          first_share);
}

absl::Status Importer::ImportCasesAndInteractions(
    const std::string& cases_path, const std::string& interactions_path,
    const std::string& cases_name, const std::string& interactions_name) {
  const int threads = Threads();
  if (threads <= 1 || builder_ == nullptr) {
    TELLUS_RETURN_IF_ERROR(ImportCases(cases_path, cases_name));
    return ImportInteractions(interactions_path, interactions_name);
  }
  const CasesFirst cases = {cases_path,
                            cases_name.empty() ? cases_path : cases_name};
  return ImportInteractionsInParallel(
      interactions_path,
      interactions_name.empty() ? interactions_path : interactions_name,
      *builder_, threads, &cases);
}

std::string FormatSummary(const ImportSummary& s) {
  std::string out;
  for (const FileSummary* f : {&s.cases, &s.interactions}) {
    if (f->file.empty()) continue;
    absl::StrAppend(&out, f->file, ": ", f->read, " rows read, ", f->accepted,
                    " accepted, ", f->rejected, " rejected");
    if (!f->rejected_by_rule.empty()) {
      std::vector<std::string> parts;
      for (const auto& [rule, n] : f->rejected_by_rule) {
        parts.push_back(absl::StrCat(rule, " ", n));
      }
      absl::StrAppend(&out, " (", absl::StrJoin(parts, ", "), ")");
    }
    absl::StrAppend(&out, "\n");
  }
  if (!s.interactions.file.empty()) {
    absl::StrAppend(&out, s.unlinked_interactions,
                    " interactions name a case_ref that no accepted case has "
                    "(kept, counted as unlinked)\n");
  }
  return out;
}

}  // namespace tellus

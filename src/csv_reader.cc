#include "tellus/csv_reader.h"

#include <fcntl.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <istream>
#include <utility>

#include "absl/base/optimization.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "tellus/status_macros.h"

// Why a hand-written scanner: the import must read 1.5 million interaction
// rows at several million rows per second end to end. General CSV libraries
// (libcsv, for one) call back per field and copy every byte through a state
// machine. Here almost every line of an export holds no quote at all, so the
// reader finds each line's commas and its end in one pass 16 bytes at a
// time, checks with memchr (vectorised in libc) that no quote comes first,
// hands out views into its own block buffer without copying, and falls back
// to a byte-level state machine only for records that contain a quote.
// benchmarks/csv_benchmark.cc measures both against libcsv.

namespace tellus {
namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr absl::string_view kQuoteInUnquoted =
    "a quote inside an unquoted field";
constexpr absl::string_view kTextAfterQuote =
    "text after the closing quote of a quoted field";

// Where the bytes come from.
class Source {
 public:
  virtual ~Source() = default;
  // Reads up to `n` bytes into `dst`; returns how many (0 only at the end).
  virtual absl::StatusOr<size_t> Read(char* dst, size_t n) = 0;
};

class FileSource final : public Source {
 public:
  FileSource(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FileSource() override { ::close(fd_); }

  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    while (true) {
      const ssize_t got = ::read(fd_, dst, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno == EINTR) continue;
      const int error = errno;
      return absl::Status(
          absl::ErrnoToStatusCode(error),
          absl::StrCat("cannot read ", path_, ": ", std::strerror(error)));
    }
  }

 private:
  int fd_;
  std::string path_;
};

class StringSource final : public Source {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}

  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    const size_t count = std::min(n, data_.size() - pos_);
    std::memcpy(dst, data_.data() + pos_, count);
    pos_ += count;
    return count;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

class StreamSource final : public Source {
 public:
  explicit StreamSource(std::istream& in) : in_(in) {}

  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    if (!in_.good()) {
      if (in_.bad()) return absl::DataLossError("cannot read the CSV stream");
      return 0;
    }
    in_.read(dst, static_cast<std::streamsize>(n));
    if (in_.bad()) return absl::DataLossError("cannot read the CSV stream");
    return static_cast<size_t>(in_.gcount());
  }

 private:
  std::istream& in_;
};

enum class Parse { kRecord, kNeedMore };

}  // namespace

struct CsvReader::State {
  std::unique_ptr<Source> source;
  CsvReaderOptions options;

  // Bytes [begin, end) of `buf` are read and not yet consumed; `begin` is the
  // start of the next record.
  std::unique_ptr<char[]> buf;
  size_t capacity = 0;
  size_t begin = 0;
  size_t end = 0;
  int64_t input_offset = 0;  // the input offset of buf[0]
  bool eof = false;
  bool started = false;  // the byte-order mark has been dealt with

  // Unescaped values of quoted fields that held `""`. As large as `buf`, so
  // it never reallocates while views into it are handed out.
  std::unique_ptr<char[]> scratch;

  // Offset of the first quote at or after the point it was searched from, or
  // `end` when there is none before `end`; searched again when a record
  // starts past it, and forgotten when the buffer moves or grows. Lets the
  // fast path rule out quotes with one memchr per quote, not one per line.
  size_t next_quote = 0;
  bool quote_known = false;

  int64_t line = 1;  // the line `begin` is on
  int64_t lines_read = 0;
  int64_t blank_lines = 0;
  absl::Status error;  // sticky once set

  // The error of a record whose quote is never closed (CsvRecord::error).
  std::string error_text;

  void Allocate(size_t new_capacity) {
    // Not value-initialised: the bytes are always written before read.
    std::unique_ptr<char[]> new_buf(new char[new_capacity]);
    if (end > begin) {
      std::memcpy(new_buf.get(), buf.get() + begin, end - begin);
    }
    end -= begin;
    input_offset += static_cast<int64_t>(begin);
    begin = 0;
    buf = std::move(new_buf);
    scratch.reset(new char[new_capacity]);
    capacity = new_capacity;
    quote_known = false;
  }

  // Reads more input after the unconsumed bytes, moving them to the front of
  // the buffer and growing it when one record fills it. Sets `eof` when the
  // source has no more.
  absl::Status Refill() {
    if (begin > 0) {
      std::memmove(buf.get(), buf.get() + begin, end - begin);
      end -= begin;
      input_offset += static_cast<int64_t>(begin);
      begin = 0;
      quote_known = false;
    }
    if (end == capacity) {
      const size_t limit = std::max(options.max_record_bytes, capacity);
      if (capacity >= limit) {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", line, ": a record longer than ", limit,
                         " bytes (is a quote not closed?)"));
      }
      Allocate(std::min(limit, capacity * 2));
    }
    absl::StatusOr<size_t> got = source->Read(buf.get() + end, capacity - end);
    if (!got.ok()) return got.status();
    if (*got == 0) {
      eof = true;
    } else {
      end += *got;
      quote_known = false;
    }
    return absl::OkStatus();
  }

  size_t NextQuote() {
    if (!quote_known || next_quote < begin) {
      const void* q = std::memchr(buf.get() + begin, '"', end - begin);
      next_quote = q ? static_cast<const char*>(q) - buf.get() : end;
      quote_known = true;
    }
    return next_quote;
  }

  Parse ParseRecord(CsvRecord& out);
  Parse ParseQuoted(CsvRecord& out);
  Parse UnclosedQuote(CsvRecord& out, const char* s);
  absl::StatusOr<bool> Next(CsvRecord& out);
};

// The common case: the record is one line holding no quote. One pass finds
// the commas and the line end together, 16 bytes at a time with SSE2 (part
// of every x86-64; elsewhere, and for the last bytes, one at a time).
Parse CsvReader::State::ParseRecord(CsvRecord& out) {
  char* const base = buf.get();
  const char* const p = base + begin;
  const char* const e = base + end;
  out.fields.clear();
  const char* field = p;
  const char* q = p;
  const char* nl = nullptr;
#if defined(__SSE2__)
  const __m128i commas = _mm_set1_epi8(',');
  const __m128i newlines = _mm_set1_epi8('\n');
  while (nl == nullptr && e - q >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    uint32_t hits = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(
        _mm_cmpeq_epi8(bytes, commas), _mm_cmpeq_epi8(bytes, newlines))));
    while (hits != 0) {
      const char* hit = q + __builtin_ctz(hits);
      if (*hit == '\n') {
        nl = hit;
        break;
      }
      out.fields.emplace_back(field, hit - field);
      field = hit + 1;
      hits &= hits - 1;
    }
    q += 16;
  }
#endif
  for (; nl == nullptr && q < e; ++q) {
    if (*q == '\n') {
      nl = q;
    } else if (*q == ',') {
      out.fields.emplace_back(field, q - field);
      field = q + 1;
    }
  }
  if (nl == nullptr) {
    if (!eof) return Parse::kNeedMore;
    nl = e;
  }
  if (NextQuote() < static_cast<size_t>(nl - base)) return ParseQuoted(out);

  const char* line_end = nl;
  if (line_end > p && line_end[-1] == '\r') --line_end;
  out.line = line;
  out.offset = input_offset + static_cast<int64_t>(begin);
  out.unclosed_quote = false;
  out.raw = absl::string_view(p, line_end - p);
  out.error = {};
  out.error_field = -1;
  lines_read = line;
  line += 1;
  begin = nl < e ? nl - base + 1 : end;
  out.blank = false;
  if (ABSL_PREDICT_FALSE(out.fields.empty())) {
    const char* s = p;
    while (s < line_end && *s == ' ') ++s;
    if (s == line_end) {
      out.blank = true;
      return Parse::kRecord;
    }
  }
  out.fields.emplace_back(field, line_end - field);
  return Parse::kRecord;
}

// A record with a quote somewhere: a byte-level state machine that may run
// over several lines. Consumes nothing unless it returns kRecord, so that
// after kNeedMore the record is parsed again from its start.
Parse CsvReader::State::ParseQuoted(CsvRecord& out) {
  char* const base = buf.get();
  const char* const p = base + begin;
  const char* const e = base + end;
  char* sp = scratch.get();
  out.fields.clear();
  out.error = {};
  out.error_field = -1;
  out.blank = false;
  bool literal = false;  // after a fault, quotes are ordinary characters

  const char* q = p;     // start of the current field
  const char* line_end;  // end of the record's text
  const char* next;      // where the next record starts
  while (true) {
    const char* s = q;
    while (s < e && *s == ' ') ++s;
    if (!literal && s < e && *s == '"') {
      // A quoted field.
      const char* v = s + 1;
      const char* segment = v;
      char* value_start = sp;
      bool copied = false;
      const char* close;
      while (true) {
        const char* quote =
            static_cast<const char*>(std::memchr(v, '"', e - v));
        if (quote == nullptr || (quote + 1 == e && !eof)) {
          if (!eof) return Parse::kNeedMore;
          return UnclosedQuote(out, s);
        }
        if (quote + 1 < e && quote[1] == '"') {
          std::memcpy(sp, segment, quote + 1 - segment);
          sp += quote + 1 - segment;
          copied = true;
          v = quote + 2;
          segment = v;
          continue;
        }
        close = quote;
        break;
      }
      absl::string_view value;
      if (copied) {
        std::memcpy(sp, segment, close - segment);
        sp += close - segment;
        value = absl::string_view(value_start, sp - value_start);
      } else {
        value = absl::string_view(segment, close - segment);
      }
      const char* t = close + 1;
      while (t < e && *t == ' ') ++t;
      if (t == e) {
        if (!eof) return Parse::kNeedMore;
        out.fields.push_back(value);
        line_end = next = e;
        break;
      }
      if (*t == ',') {
        out.fields.push_back(value);
        q = t + 1;
        continue;
      }
      if (*t == '\n') {
        out.fields.push_back(value);
        line_end = t;
        next = t + 1;
        break;
      }
      if (*t == '\r') {
        if (t + 1 == e && !eof) return Parse::kNeedMore;
        if (t + 1 == e || t[1] == '\n') {
          out.fields.push_back(value);
          line_end = t;
          next = t + 1 == e ? e : t + 2;
          break;
        }
      }
      // Text after the closing quote: the field is taken as written, up to
      // the next comma or line end.
      out.error = kTextAfterQuote;
      out.error_field = static_cast<int>(out.fields.size());
      literal = true;
      s = t;
    } else {
      s = q;
    }
    // An unquoted field (or the rest of a faulty one) from `s`.
    const char* r = s;
    while (r < e && *r != ',' && *r != '\n') {
      if (*r == '"' && !literal) {
        out.error = kQuoteInUnquoted;
        out.error_field = static_cast<int>(out.fields.size());
        literal = true;
      }
      ++r;
    }
    if (r == e && !eof) return Parse::kNeedMore;
    if (r < e && *r == ',') {
      out.fields.emplace_back(q, r - q);
      q = r + 1;
      continue;
    }
    line_end = r;
    next = r < e ? r + 1 : e;
    if (line_end > q && line_end[-1] == '\r') --line_end;
    out.fields.emplace_back(q, line_end - q);
    break;
  }

  out.line = line;
  out.offset = input_offset + static_cast<int64_t>(begin);
  out.unclosed_quote = false;
  out.raw = absl::string_view(p, line_end - p);
  lines_read = line + std::count(p, line_end, '\n');
  line = lines_read + 1;
  begin = next - base;
  return Parse::kRecord;
}

// A quoted field at `s` still open at the end of the input: the record runs
// to the end, a malformed one (its rows are rejected, the file goes on to
// its end as it would after any other fault).
Parse CsvReader::State::UnclosedQuote(CsvRecord& out, const char* s) {
  char* const base = buf.get();
  const char* const p = base + begin;
  const char* const e = base + end;
  const char* line_end = e;
  if (line_end > s && line_end[-1] == '\n') --line_end;
  if (line_end > s && line_end[-1] == '\r') --line_end;
  error_text = absl::StrCat("the quoted field opened on line ",
                            line + std::count(p, s, '\n'),
                            " is not closed before the end of the file");
  out.error = error_text;
  out.error_field = static_cast<int>(out.fields.size());
  out.fields.emplace_back(s + 1, line_end - (s + 1));
  out.line = line;
  out.offset = input_offset + static_cast<int64_t>(begin);
  out.unclosed_quote = true;
  out.raw = absl::string_view(p, line_end - p);
  lines_read = line + std::count(p, line_end, '\n');
  line = lines_read + 1;
  begin = end;
  return Parse::kRecord;
}

absl::StatusOr<bool> CsvReader::State::Next(CsvRecord& out) {
  if (!error.ok()) return error;
  if (!started) {
    while (!eof && end - begin < 3) {
      error = Refill();
      if (!error.ok()) return error;
    }
    if (end - begin >= 3 && std::memcmp(buf.get() + begin, kBom, 3) == 0) {
      begin += 3;
    }
    started = true;
  }
  while (true) {
    if (begin == end) {
      if (eof) return false;
      error = Refill();
      if (!error.ok()) return error;
      continue;
    }
    switch (ParseRecord(out)) {
      case Parse::kRecord:
        if (ABSL_PREDICT_FALSE(out.blank)) {
          ++blank_lines;
          if (!options.return_blank_lines) continue;
        }
        return true;
      case Parse::kNeedMore:
        error = Refill();
        if (!error.ok()) return error;
        continue;
    }
  }
}

CsvReader::CsvReader(std::unique_ptr<State> state) : state_(std::move(state)) {
  const size_t capacity = std::max<size_t>(state_->options.block_size, 4);
  state_->Allocate(capacity);
}
CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;
CsvReader::~CsvReader() = default;

namespace {

// A descriptor for reading `path`, or the error that names it.
absl::StatusOr<int> OpenForReading(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    return absl::Status(
        absl::ErrnoToStatusCode(error),
        absl::StrCat("cannot open ", path, ": ", std::strerror(error)));
  }
  return fd;
}

}  // namespace

absl::StatusOr<CsvReader> CsvReader::OpenFile(const std::string& path,
                                              const CsvReaderOptions& options) {
  TELLUS_ASSIGN_OR_RETURN(const int fd, OpenForReading(path));
  auto state = std::make_unique<State>();
  state->source = std::make_unique<FileSource>(fd, path);
  state->options = options;
  return CsvReader(std::move(state));
}

absl::StatusOr<CsvReader> CsvReader::OpenFileAt(
    const std::string& path, int64_t offset, int64_t first_line,
    const CsvReaderOptions& options) {
  TELLUS_ASSIGN_OR_RETURN(const int fd, OpenForReading(path));
  if (::lseek(fd, static_cast<off_t>(offset), SEEK_SET) < 0) {
    const int error = errno;
    ::close(fd);
    return absl::Status(
        absl::ErrnoToStatusCode(error),
        absl::StrCat("cannot seek in ", path, ": ", std::strerror(error)));
  }
  auto state = std::make_unique<State>();
  state->source = std::make_unique<FileSource>(fd, path);
  state->options = options;
  state->started = true;  // mid-file: no byte-order mark
  state->input_offset = offset;
  state->line = first_line;
  state->lines_read = first_line - 1;
  return CsvReader(std::move(state));
}

CsvReader CsvReader::FromString(std::string data,
                                const CsvReaderOptions& options) {
  auto state = std::make_unique<State>();
  state->options = options;
  // No block larger than the whole text.
  state->options.block_size = std::min(options.block_size, data.size() + 1);
  state->source = std::make_unique<StringSource>(std::move(data));
  return CsvReader(std::move(state));
}

CsvReader CsvReader::FromStream(std::istream& in,
                                const CsvReaderOptions& options) {
  auto state = std::make_unique<State>();
  state->source = std::make_unique<StreamSource>(in);
  state->options = options;
  return CsvReader(std::move(state));
}

absl::StatusOr<bool> CsvReader::Next(CsvRecord& out) {
  return state_->Next(out);
}

int64_t CsvReader::lines_read() const { return state_->lines_read; }
int64_t CsvReader::blank_lines() const { return state_->blank_lines; }
int64_t CsvReader::offset() const {
  return state_->input_offset + static_cast<int64_t>(state_->begin);
}

absl::StatusOr<CsvHeader> CsvHeader::Create(
    absl::Span<const absl::string_view> names) {
  CsvHeader header;
  header.names_.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    absl::string_view name = names[i];
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    header.names_.emplace_back(name);
    std::string folded = absl::AsciiStrToLower(name);
    if (!header.index_.try_emplace(folded, static_cast<int>(i)).second) {
      header.duplicated_.insert(std::move(folded));
    }
  }
  return header;
}

namespace {

std::string FoldName(absl::string_view name) {
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  return absl::AsciiStrToLower(name);
}

}  // namespace

std::optional<int> CsvHeader::FindColumn(absl::string_view name) const {
  auto it = index_.find(FoldName(name));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

bool CsvHeader::IsDuplicated(absl::string_view name) const {
  return duplicated_.contains(FoldName(name));
}

void AppendCsvField(std::string& out, absl::string_view value) {
  if (value.find_first_of(",\"\r\n") == absl::string_view::npos) {
    out.append(value.data(), value.size());
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void AppendCsvRecord(std::string& out,
                     absl::Span<const absl::string_view> fields) {
  if (fields.size() == 1 &&
      fields[0].find_first_not_of(' ') == absl::string_view::npos) {
    out.push_back('"');
    out.append(fields[0].data(), fields[0].size());
    out.append("\"\n");
    return;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendCsvField(out, fields[i]);
  }
  out.push_back('\n');
}

}  // namespace tellus

#include "tellus/proto_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <system_error>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "google/protobuf/util/json_util.h"
#include "tellus/status_macros.h"

namespace tellus {
namespace {

namespace fs = std::filesystem;
namespace pb = google::protobuf;

// Big enough that a 1.5-million-row stream costs a few hundred system
// calls, small enough not to matter beside the data.
constexpr int kBlockBytes = 256 << 10;

std::string ErrnoText(int error) {
  return std::error_code(error, std::generic_category()).message();
}

absl::Status IoError(int error, absl::string_view path,
                     absl::string_view what) {
  absl::StatusCode code = absl::ErrnoToStatusCode(error);
  if (code == absl::StatusCode::kOk) code = absl::StatusCode::kUnknown;
  return absl::Status(
      code, absl::StrCat(path, ": ", what, " (", ErrnoText(error), ")"));
}

// Puts `prefix` in front of a status's message, keeping its code.
absl::Status Prefixed(const absl::Status& status, absl::string_view prefix) {
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

std::string ProtobufMessage(const pb::util::Status& status) {
  const auto message = status.message();
  return std::string(message.data(), message.size());
}

// --- Files out -------------------------------------------------------------

// A file written through a buffered protobuf stream; the first error sticks.
class OutputFile {
 public:
  static absl::StatusOr<std::unique_ptr<OutputFile>> Create(
      const std::string& path, const StreamWriteOptions& options) {
    const int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) return IoError(errno, path, "cannot be created");
    return std::unique_ptr<OutputFile>(new OutputFile(path, fd, options));
  }

  pb::io::ZeroCopyOutputStream* stream() { return &stream_; }
  const std::string& path() const { return path_; }
  bool closed() const { return closed_; }

  // The status after the stream refused a write.
  absl::Status WriteFailed(absl::string_view what) {
    if (error_.ok()) {
      const int error = stream_.GetErrno();
      error_ = error != 0
                   ? IoError(error, path_, "cannot be written")
                   : absl::InternalError(absl::StrCat(path_, ": ", what));
    }
    return error_;
  }

  absl::Status Append(absl::string_view bytes) {
    while (!bytes.empty()) {
      void* data;
      int size;
      if (!stream_.Next(&data, &size)) return WriteFailed("write failed");
      const size_t n = std::min(bytes.size(), static_cast<size_t>(size));
      std::memcpy(data, bytes.data(), n);
      bytes.remove_prefix(n);
      if (n < static_cast<size_t>(size)) {
        stream_.BackUp(size - static_cast<int>(n));
      }
    }
    return absl::OkStatus();
  }

  absl::Status Close() {
    if (closed_) return error_;
    closed_ = true;
    if (!stream_.Flush()) WriteFailed("flush failed").IgnoreError();
    if (error_.ok() && sync_ && ::fsync(fd_) != 0) {
      error_ = IoError(errno, path_, "cannot be synced to disk");
    }
    // Closed here, so not again on delete (which would be a CHECK failure).
    stream_.SetCloseOnDelete(false);
    if (!stream_.Close() && error_.ok()) {
      error_ = IoError(stream_.GetErrno(), path_, "cannot be closed");
    }
    return error_;
  }

  const absl::Status& error() const { return error_; }

 private:
  OutputFile(std::string path, int fd, const StreamWriteOptions& options)
      : path_(std::move(path)),
        fd_(fd),
        sync_(options.sync),
        stream_(fd, kBlockBytes) {
    // An unclosed writer (an error path) still releases its descriptor.
    stream_.SetCloseOnDelete(true);
  }

  std::string path_;
  int fd_;
  bool sync_;
  bool closed_ = false;
  absl::Status error_;
  pb::io::FileOutputStream stream_;
};

// --- Files in --------------------------------------------------------------

// Reads a string of any size; protobuf's ArrayInputStream stops at 2 GiB.
class StringInputStream : public pb::io::ZeroCopyInputStream {
 public:
  explicit StringInputStream(absl::string_view data) : data_(data) {}

  bool Next(const void** data, int* size) override {
    if (position_ == data_.size()) return false;
    const size_t n = std::min(data_.size() - position_, kChunk);
    *data = data_.data() + position_;
    *size = static_cast<int>(n);
    position_ += n;
    return true;
  }
  void BackUp(int count) override { position_ -= static_cast<size_t>(count); }
  bool Skip(int count) override {
    const size_t n =
        std::min(data_.size() - position_, static_cast<size_t>(count));
    position_ += n;
    return n == static_cast<size_t>(count);
  }
  int64_t ByteCount() const override { return static_cast<int64_t>(position_); }

 private:
  static constexpr size_t kChunk = size_t{1} << 30;
  absl::string_view data_;
  size_t position_ = 0;
};

// A file or an in-memory string read through a protobuf stream.
class InputSource {
 public:
  static absl::StatusOr<std::unique_ptr<InputSource>> Open(
      const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return IoError(errno, path, "cannot be opened");
    struct stat st;
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd);
      return absl::FailedPreconditionError(
          absl::StrCat(path, ": is a directory, not a file"));
    }
    auto source = std::unique_ptr<InputSource>(new InputSource(path));
    source->file_ = std::make_unique<pb::io::FileInputStream>(fd, kBlockBytes);
    source->file_->SetCloseOnDelete(true);
    return source;
  }

  static std::unique_ptr<InputSource> FromString(std::string data,
                                                 std::string name) {
    auto source =
        std::unique_ptr<InputSource>(new InputSource(std::move(name)));
    source->data_ = std::move(data);
    // The string lives on the heap with the source and never moves again.
    source->array_ = std::make_unique<StringInputStream>(source->data_);
    return source;
  }

  pb::io::ZeroCopyInputStream* stream() {
    return file_ ? static_cast<pb::io::ZeroCopyInputStream*>(file_.get())
                 : array_.get();
  }
  // A read error, as opposed to the end of the input, when a read stopped.
  absl::Status ReadError() const {
    if (file_ && file_->GetErrno() != 0) {
      return IoError(file_->GetErrno(), name_, "cannot be read");
    }
    return absl::OkStatus();
  }
  const std::string& name() const { return name_; }

 private:
  explicit InputSource(std::string name) : name_(std::move(name)) {}

  std::string name_;
  std::string data_;
  std::unique_ptr<pb::io::FileInputStream> file_;
  std::unique_ptr<StringInputStream> array_;
};

}  // namespace

StreamFormat FormatOfPath(absl::string_view path) {
  return absl::EndsWith(path, ".jsonl") ? StreamFormat::kJsonLines
                                        : StreamFormat::kDelimited;
}

// --- DelimitedWriter -------------------------------------------------------

struct DelimitedWriter::State {
  std::unique_ptr<OutputFile> file;
  int64_t written = 0;
};

DelimitedWriter::DelimitedWriter(std::unique_ptr<State> state)
    : state_(std::move(state)) {}
DelimitedWriter::DelimitedWriter(DelimitedWriter&&) noexcept = default;
DelimitedWriter& DelimitedWriter::operator=(DelimitedWriter&&) noexcept =
    default;
DelimitedWriter::~DelimitedWriter() = default;

absl::StatusOr<DelimitedWriter> DelimitedWriter::Create(
    const std::string& path, const StreamWriteOptions& options) {
  auto state = std::make_unique<State>();
  TELLUS_ASSIGN_OR_RETURN(state->file, OutputFile::Create(path, options));
  return DelimitedWriter(std::move(state));
}

absl::Status DelimitedWriter::Write(const pb::MessageLite& message) {
  OutputFile& file = *state_->file;
  if (file.closed()) {
    return absl::FailedPreconditionError(
        absl::StrCat(file.path(), ": written to after Close()"));
  }
  if (!file.error().ok()) return file.error();
  if (!pb::util::SerializeDelimitedToZeroCopyStream(message, file.stream())) {
    // Without an errno the message itself could not be serialized: the only
    // such case is a message of 2 GiB or more.
    return file.WriteFailed(absl::StrCat(
        "record ", state_->written + 1, " (", message.GetTypeName(),
        ") cannot be serialized: it is too large"));
  }
  ++state_->written;
  return absl::OkStatus();
}

absl::Status DelimitedWriter::Close() { return state_->file->Close(); }

int64_t DelimitedWriter::messages_written() const { return state_->written; }

const std::string& DelimitedWriter::path() const {
  return state_->file->path();
}

// --- DelimitedReader -------------------------------------------------------

struct DelimitedReader::State {
  std::unique_ptr<InputSource> source;
  StreamReadOptions options;
  int64_t records = 0;
  int64_t offset = 0;  // byte offset of the next record
  bool done = false;
  absl::Status error;
  std::string buffer;  // a record split across the source's blocks

  absl::Status Fail(absl::Status status) {
    error = std::move(status);
    return error;
  }
  absl::Status Corrupt(std::string what) {
    return Fail(absl::DataLossError(
        absl::StrCat(source->name(), ": record ", records + 1,
                     " at byte offset ", offset, ": ", what)));
  }
};

DelimitedReader::DelimitedReader(std::unique_ptr<State> state)
    : state_(std::move(state)) {}
DelimitedReader::DelimitedReader(DelimitedReader&&) noexcept = default;
DelimitedReader& DelimitedReader::operator=(DelimitedReader&&) noexcept =
    default;
DelimitedReader::~DelimitedReader() = default;

absl::StatusOr<DelimitedReader> DelimitedReader::Open(
    const std::string& path, const StreamReadOptions& options) {
  auto state = std::make_unique<State>();
  TELLUS_ASSIGN_OR_RETURN(state->source, InputSource::Open(path));
  state->options = options;
  return DelimitedReader(std::move(state));
}

DelimitedReader DelimitedReader::FromString(std::string data, std::string name,
                                            const StreamReadOptions& options) {
  auto state = std::make_unique<State>();
  state->source = InputSource::FromString(std::move(data), std::move(name));
  state->options = options;
  return DelimitedReader(std::move(state));
}

// The framing is SerializeDelimitedToOstream's, read here rather than with
// ParseDelimitedFromZeroCopyStream because that neither bounds the size
// prefix nor tells a cut-off stream from a corrupt one. A CodedInputStream
// per record also keeps streams past 2 GiB readable (its positions are int).
absl::StatusOr<bool> DelimitedReader::Next(pb::MessageLite& message) {
  State& s = *state_;
  if (!s.error.ok()) return s.error;
  if (s.done) return false;

  pb::io::CodedInputStream coded(s.source->stream());
  const void* data = nullptr;
  int available = 0;
  // No byte left: the clean end (ReadVarint64 alone cannot tell it from a
  // malformed prefix, which it also refuses without consuming anything).
  if (!coded.GetDirectBufferPointer(&data, &available)) {
    TELLUS_RETURN_IF_ERROR(s.Fail(s.source->ReadError()));
    s.done = true;
    return false;
  }
  uint64_t size = 0;
  if (!coded.ReadVarint64(&size)) {
    TELLUS_RETURN_IF_ERROR(s.Fail(s.source->ReadError()));
    return s.Corrupt(absl::StrCat(
        "the size prefix is cut short or malformed: the file is truncated or "
        "not a delimited stream of ",
        message.GetTypeName()));
  }
  const int prefix_bytes = coded.CurrentPosition();
  if (size > s.options.max_message_bytes) {
    return s.Corrupt(absl::StrCat(
        "the size prefix says ", size, " bytes, more than the limit of ",
        s.options.max_message_bytes, ": the file is corrupt or not a ",
        "delimited stream of ", message.GetTypeName()));
  }
  const int n = static_cast<int>(size);
  bool parsed;
  if (coded.GetDirectBufferPointer(&data, &available) && available >= n) {
    // The common case: the whole record is in the current block.
    parsed = message.ParseFromArray(data, n);
    coded.Skip(n);
  } else {
    s.buffer.clear();
    if (!coded.ReadString(&s.buffer, n)) {
      TELLUS_RETURN_IF_ERROR(s.Fail(s.source->ReadError()));
      return s.Corrupt(absl::StrCat("the record should be ", n,
                                    " bytes but the stream ends after ",
                                    s.buffer.size(),
                                    " of them: the file is truncated or not a "
                                    "delimited stream of ",
                                    message.GetTypeName()));
    }
    parsed = message.ParseFromString(s.buffer);
  }
  if (!parsed) {
    return s.Corrupt(absl::StrCat("its ", n, " bytes are not a valid ",
                                  message.GetTypeName(),
                                  ": the file is corrupt"));
  }
  s.offset += prefix_bytes + n;
  ++s.records;
  return true;
}

int64_t DelimitedReader::records_read() const { return state_->records; }

const std::string& DelimitedReader::name() const {
  return state_->source->name();
}

// --- JsonLinesWriter -------------------------------------------------------

struct JsonLinesWriter::State {
  std::unique_ptr<OutputFile> file;
  pb::util::JsonPrintOptions print;
  int64_t written = 0;
  std::string line;
};

JsonLinesWriter::JsonLinesWriter(std::unique_ptr<State> state)
    : state_(std::move(state)) {}
JsonLinesWriter::JsonLinesWriter(JsonLinesWriter&&) noexcept = default;
JsonLinesWriter& JsonLinesWriter::operator=(JsonLinesWriter&&) noexcept =
    default;
JsonLinesWriter::~JsonLinesWriter() = default;

absl::StatusOr<JsonLinesWriter> JsonLinesWriter::Create(
    const std::string& path, const StreamWriteOptions& options) {
  auto state = std::make_unique<State>();
  TELLUS_ASSIGN_OR_RETURN(state->file, OutputFile::Create(path, options));
  state->print.preserve_proto_field_names = true;
  return JsonLinesWriter(std::move(state));
}

absl::Status JsonLinesWriter::Write(const pb::Message& message) {
  State& s = *state_;
  if (s.file->closed()) {
    return absl::FailedPreconditionError(
        absl::StrCat(s.file->path(), ": written to after Close()"));
  }
  if (!s.file->error().ok()) return s.file->error();
  s.line.clear();  // MessageToJsonString appends
  const pb::util::Status printed =
      pb::util::MessageToJsonString(message, &s.line, s.print);
  if (!printed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        s.file->path(), ": line ", s.written + 1, " (", message.GetTypeName(),
        ") cannot be written as JSON: ", ProtobufMessage(printed)));
  }
  s.line.push_back('\n');
  TELLUS_RETURN_IF_ERROR(s.file->Append(s.line));
  ++s.written;
  return absl::OkStatus();
}

absl::Status JsonLinesWriter::Close() { return state_->file->Close(); }

int64_t JsonLinesWriter::messages_written() const { return state_->written; }

const std::string& JsonLinesWriter::path() const {
  return state_->file->path();
}

// --- JsonLinesReader -------------------------------------------------------

struct JsonLinesReader::State {
  std::unique_ptr<InputSource> source;
  StreamReadOptions options;
  pb::util::JsonParseOptions parse;
  int64_t line = 0;
  bool done = false;
  absl::Status error;
  std::string text;

  absl::Status Fail(absl::Status status) {
    error = std::move(status);
    return error;
  }

  // Reads the next line into `text`, without its LF. False at the end.
  absl::StatusOr<bool> ReadLine() {
    text.clear();
    pb::io::ZeroCopyInputStream* in = source->stream();
    const void* data;
    int size;
    while (in->Next(&data, &size)) {
      const char* begin = static_cast<const char*>(data);
      const void* lf = std::memchr(begin, '\n', size);
      const size_t n = lf == nullptr ? static_cast<size_t>(size)
                                     : static_cast<const char*>(lf) - begin;
      if (text.size() + n > options.max_message_bytes) {
        return Fail(absl::DataLossError(
            absl::StrCat(source->name(), ": line ", line + 1,
                         " is longer than the limit of ",
                         options.max_message_bytes, " bytes")));
      }
      text.append(begin, n);
      if (lf != nullptr) {
        in->BackUp(size - static_cast<int>(n) - 1);
        return true;
      }
    }
    TELLUS_RETURN_IF_ERROR(Fail(source->ReadError()));
    return !text.empty();  // a last line without its LF
  }
};

JsonLinesReader::JsonLinesReader(std::unique_ptr<State> state)
    : state_(std::move(state)) {}
JsonLinesReader::JsonLinesReader(JsonLinesReader&&) noexcept = default;
JsonLinesReader& JsonLinesReader::operator=(JsonLinesReader&&) noexcept =
    default;
JsonLinesReader::~JsonLinesReader() = default;

absl::StatusOr<JsonLinesReader> JsonLinesReader::Open(
    const std::string& path, const StreamReadOptions& options) {
  auto state = std::make_unique<State>();
  TELLUS_ASSIGN_OR_RETURN(state->source, InputSource::Open(path));
  state->options = options;
  state->parse.ignore_unknown_fields = options.ignore_unknown_json_fields;
  return JsonLinesReader(std::move(state));
}

JsonLinesReader JsonLinesReader::FromString(std::string data, std::string name,
                                            const StreamReadOptions& options) {
  auto state = std::make_unique<State>();
  state->source = InputSource::FromString(std::move(data), std::move(name));
  state->options = options;
  state->parse.ignore_unknown_fields = options.ignore_unknown_json_fields;
  return JsonLinesReader(std::move(state));
}

absl::StatusOr<bool> JsonLinesReader::Next(pb::Message& message) {
  State& s = *state_;
  if (!s.error.ok()) return s.error;
  if (s.done) return false;
  while (true) {
    TELLUS_ASSIGN_OR_RETURN(bool more, s.ReadLine());
    if (!more) {
      s.done = true;
      return false;
    }
    ++s.line;
    absl::string_view text = s.text;
    if (absl::EndsWith(text, "\r")) text.remove_suffix(1);
    // A byte-order mark, as some Windows tools write, is no JSON.
    if (s.line == 1) absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
    if (absl::StripAsciiWhitespace(text).empty()) continue;
    message.Clear();
    const pb::util::Status parsed = pb::util::JsonStringToMessage(
        pb::StringPiece(text.data(), text.size()), &message, s.parse);
    if (!parsed.ok()) {
      return s.Fail(absl::InvalidArgumentError(
          absl::StrCat(s.source->name(), ": line ", s.line, ": not a ",
                       message.GetTypeName(), " in the proto3 JSON mapping (",
                       ProtobufMessage(parsed), ")")));
    }
    return true;
  }
}

int64_t JsonLinesReader::line() const { return state_->line; }

const std::string& JsonLinesReader::name() const {
  return state_->source->name();
}

// --- Streaming readers -----------------------------------------------------

namespace {

template <typename M>
absl::Status ForEachMessage(const std::string& path,
                            absl::FunctionRef<absl::Status(const M&)> fn,
                            const StreamReadOptions& options) {
  M message;
  if (FormatOfPath(path) == StreamFormat::kJsonLines) {
    TELLUS_ASSIGN_OR_RETURN(JsonLinesReader reader,
                            JsonLinesReader::Open(path, options));
    while (true) {
      TELLUS_ASSIGN_OR_RETURN(bool more, reader.Next(message));
      if (!more) return absl::OkStatus();
      const absl::Status status = fn(message);
      if (!status.ok()) {
        return Prefixed(status,
                        absl::StrCat(path, ": line ", reader.line(), ": "));
      }
    }
  }
  TELLUS_ASSIGN_OR_RETURN(DelimitedReader reader,
                          DelimitedReader::Open(path, options));
  while (true) {
    TELLUS_ASSIGN_OR_RETURN(bool more, reader.Next(message));
    if (!more) return absl::OkStatus();
    const absl::Status status = fn(message);
    if (!status.ok()) {
      return Prefixed(
          status, absl::StrCat(path, ": record ", reader.records_read(), ": "));
    }
  }
}

}  // namespace

absl::Status ForEachCase(const std::string& path,
                         absl::FunctionRef<absl::Status(const v1::Case&)> fn,
                         const StreamReadOptions& options) {
  return ForEachMessage<v1::Case>(path, fn, options);
}

absl::Status ForEachInteraction(
    const std::string& path,
    absl::FunctionRef<absl::Status(const v1::Interaction&)> fn,
    const StreamReadOptions& options) {
  return ForEachMessage<v1::Interaction>(path, fn, options);
}

absl::Status ForEachRestriction(
    const std::string& path,
    absl::FunctionRef<absl::Status(const v1::Restriction&)> fn,
    const StreamReadOptions& options) {
  return ForEachMessage<v1::Restriction>(path, fn, options);
}

// --- ProtoStreamSink -------------------------------------------------------

namespace {

std::string JoinPath(const std::string& dir, absl::string_view name) {
  return (fs::path(dir) / fs::path(std::string(name))).string();
}

// A fresh hidden name beside `name` in `dir`, created empty with O_EXCL so
// that two imports into one directory never share a temporary file.
absl::StatusOr<std::string> CreateTempFile(const std::string& dir,
                                           absl::string_view name) {
  static thread_local std::mt19937_64 random(std::random_device{}());
  for (int attempt = 0; attempt < 16; ++attempt) {
    char suffix[17];
    std::snprintf(suffix, sizeof suffix, "%016llx",
                  static_cast<unsigned long long>(random()));
    std::string path = JoinPath(dir, absl::StrCat(".", name, ".tmp-", suffix));
    const int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return path;
    }
    if (errno != EEXIST) {
      return IoError(errno, path, "cannot create a temporary file");
    }
  }
  return absl::AlreadyExistsError(
      absl::StrCat(dir, ": cannot find a free temporary file name"));
}

// One file of the data directory while it is being written.
struct PendingFile {
  std::string final_path;
  std::string temp_path;  // empty once renamed or removed
  std::optional<DelimitedWriter> delimited;
  std::optional<JsonLinesWriter> json;

  absl::Status Write(const pb::Message& message) {
    return delimited ? delimited->Write(message) : json->Write(message);
  }
  absl::Status Close() {
    return delimited ? delimited->Close() : json->Close();
  }
  void Remove() {
    delimited.reset();
    json.reset();
    if (!temp_path.empty()) ::unlink(temp_path.c_str());
    temp_path.clear();
  }
};

absl::StatusOr<PendingFile> StartFile(const std::string& dir,
                                      absl::string_view name,
                                      const ProtoStreamSinkOptions& options) {
  PendingFile file;
  file.final_path = JoinPath(dir, name);
  TELLUS_ASSIGN_OR_RETURN(file.temp_path, CreateTempFile(dir, name));
  StreamWriteOptions write;
  write.sync = options.sync;
  if (options.format == StreamFormat::kDelimited) {
    auto writer = DelimitedWriter::Create(file.temp_path, write);
    if (!writer.ok()) {
      file.Remove();
      return writer.status();
    }
    file.delimited.emplace(*std::move(writer));
  } else {
    auto writer = JsonLinesWriter::Create(file.temp_path, write);
    if (!writer.ok()) {
      file.Remove();
      return writer.status();
    }
    file.json.emplace(*std::move(writer));
  }
  return file;
}

absl::Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError(errno, dir, "cannot be opened to sync");
  const int result = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (result != 0) return IoError(error, dir, "cannot be synced to disk");
  return absl::OkStatus();
}

}  // namespace

struct ProtoStreamSink::State {
  std::string dir;
  ProtoStreamSinkOptions options;
  PendingFile cases;
  PendingFile interactions;
  int64_t cases_written = 0;
  int64_t interactions_written = 0;
  bool finished = false;  // committed or aborted

  absl::Status CheckOpen() const {
    if (finished) {
      return absl::FailedPreconditionError(
          absl::StrCat(dir,
                       ": the data directory was already committed or "
                       "abandoned"));
    }
    return absl::OkStatus();
  }
};

ProtoStreamSink::ProtoStreamSink(std::unique_ptr<State> state)
    : state_(std::move(state)) {}
ProtoStreamSink::ProtoStreamSink(ProtoStreamSink&&) noexcept = default;
ProtoStreamSink& ProtoStreamSink::operator=(ProtoStreamSink&& other) noexcept {
  if (this != &other) {
    Abort();
    state_ = std::move(other.state_);
  }
  return *this;
}
ProtoStreamSink::~ProtoStreamSink() { Abort(); }

absl::StatusOr<ProtoStreamSink> ProtoStreamSink::Create(
    const std::string& dir, const ProtoStreamSinkOptions& options) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return absl::Status(
        absl::ErrnoToStatusCode(ec.value()),
        absl::StrCat(dir, ": cannot create the data directory (", ec.message(),
                     ")"));
  }
  if (!fs::is_directory(dir, ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, ": is not a directory"));
  }
  const bool json = options.format == StreamFormat::kJsonLines;
  auto state = std::make_unique<State>();
  state->dir = dir;
  state->options = options;
  TELLUS_ASSIGN_OR_RETURN(
      state->cases,
      StartFile(dir, json ? kCasesJsonLinesFile : kCasesDelimitedFile,
                options));
  auto interactions = StartFile(
      dir, json ? kInteractionsJsonLinesFile : kInteractionsDelimitedFile,
      options);
  if (!interactions.ok()) {
    state->cases.Remove();
    return interactions.status();
  }
  state->interactions = *std::move(interactions);
  return ProtoStreamSink(std::move(state));
}

absl::Status ProtoStreamSink::OnCase(const v1::Case& c, const CaseState&) {
  return WriteCase(c);
}

absl::Status ProtoStreamSink::OnInteraction(const v1::Interaction& interaction,
                                            const EventTime&) {
  return WriteInteraction(interaction);
}

absl::Status ProtoStreamSink::WriteCase(const v1::Case& c) {
  TELLUS_RETURN_IF_ERROR(state_->CheckOpen());
  TELLUS_RETURN_IF_ERROR(state_->cases.Write(c));
  ++state_->cases_written;
  return absl::OkStatus();
}

absl::Status ProtoStreamSink::WriteInteraction(
    const v1::Interaction& interaction) {
  TELLUS_RETURN_IF_ERROR(state_->CheckOpen());
  TELLUS_RETURN_IF_ERROR(state_->interactions.Write(interaction));
  ++state_->interactions_written;
  return absl::OkStatus();
}

absl::Status ProtoStreamSink::Commit() {
  State& s = *state_;
  TELLUS_RETURN_IF_ERROR(s.CheckOpen());
  // Everything written and on disk before any final name changes.
  for (PendingFile* file : {&s.cases, &s.interactions}) {
    const absl::Status closed = file->Close();
    if (!closed.ok()) {
      Abort();
      return closed;
    }
  }
  for (PendingFile* file : {&s.cases, &s.interactions}) {
    if (::rename(file->temp_path.c_str(), file->final_path.c_str()) != 0) {
      const absl::Status status =
          IoError(errno, file->final_path, "cannot be put in place");
      Abort();
      return status;
    }
    file->temp_path.clear();
    file->Remove();
  }
  // A directory holds one form; the other form's files are stale now.
  const bool json = s.options.format == StreamFormat::kJsonLines;
  for (absl::string_view stale :
       {json ? kCasesDelimitedFile : kCasesJsonLinesFile,
        json ? kInteractionsDelimitedFile : kInteractionsJsonLinesFile}) {
    const std::string path = JoinPath(s.dir, stale);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      s.finished = true;
      return IoError(errno, path, "is out of date but cannot be removed");
    }
  }
  s.finished = true;
  if (s.options.sync) TELLUS_RETURN_IF_ERROR(SyncDirectory(s.dir));
  return absl::OkStatus();
}

void ProtoStreamSink::Abort() {
  if (state_ == nullptr) return;
  state_->cases.Remove();
  state_->interactions.Remove();
  state_->finished = true;
}

int64_t ProtoStreamSink::cases_written() const { return state_->cases_written; }

int64_t ProtoStreamSink::interactions_written() const {
  return state_->interactions_written;
}

const std::string& ProtoStreamSink::dir() const { return state_->dir; }

absl::Status WriteDataDir(const std::string& dir,
                          absl::Span<const v1::Case> cases,
                          absl::Span<const v1::Interaction> interactions,
                          const ProtoStreamSinkOptions& options) {
  TELLUS_ASSIGN_OR_RETURN(ProtoStreamSink sink,
                          ProtoStreamSink::Create(dir, options));
  for (const v1::Case& c : cases) TELLUS_RETURN_IF_ERROR(sink.WriteCase(c));
  for (const v1::Interaction& i : interactions) {
    TELLUS_RETURN_IF_ERROR(sink.WriteInteraction(i));
  }
  return sink.Commit();
}

// --- Loading a data directory ----------------------------------------------

namespace {

// Which of a file's two forms the directory holds: "" for neither.
absl::StatusOr<std::string> FindOneOf(const std::string& dir,
                                      absl::string_view delimited,
                                      absl::string_view json) {
  std::error_code ec;
  const std::string a = JoinPath(dir, delimited);
  const std::string b = JoinPath(dir, json);
  const bool has_a = fs::exists(a, ec);
  const bool has_b = fs::exists(b, ec);
  if (has_a && has_b) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, ": holds both ", delimited, " and ", json,
                     "; remove the one that is out of date"));
  }
  return has_a ? a : has_b ? b : std::string();
}

// FNV-1a, independent of absl::Hash: the second half of a 128-bit id key
// (as the CSV importer keys interaction ids).
uint64_t Fnv1a(absl::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

absl::StatusOr<DataDirFiles> FindDataDirFiles(const std::string& dir) {
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (!fs::exists(status)) {
    return absl::NotFoundError(
        absl::StrCat(dir, ": no such data directory (`tellus import --out ",
                     dir, "` writes one)"));
  }
  if (!fs::is_directory(status)) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, ": is not a data directory but a file"));
  }
  DataDirFiles files;
  TELLUS_ASSIGN_OR_RETURN(
      files.cases, FindOneOf(dir, kCasesDelimitedFile, kCasesJsonLinesFile));
  if (files.cases.empty()) {
    return absl::NotFoundError(absl::StrCat(
        dir, ": holds no ", kCasesDelimitedFile, " or ", kCasesJsonLinesFile));
  }
  TELLUS_ASSIGN_OR_RETURN(
      files.interactions,
      FindOneOf(dir, kInteractionsDelimitedFile, kInteractionsJsonLinesFile));
  TELLUS_ASSIGN_OR_RETURN(
      files.restrictions,
      FindOneOf(dir, kRestrictionsDelimitedFile, kRestrictionsJsonLinesFile));
  return files;
}

absl::Status WriteRestrictions(const std::string& dir,
                               absl::Span<const v1::Restriction> restrictions,
                               StreamFormat format) {
  const bool json = format == StreamFormat::kJsonLines;
  const std::string path = JoinPath(
      dir, json ? kRestrictionsJsonLinesFile : kRestrictionsDelimitedFile);
  const std::string other = JoinPath(
      dir, json ? kRestrictionsDelimitedFile : kRestrictionsJsonLinesFile);
  TELLUS_ASSIGN_OR_RETURN(
      std::string temporary,
      CreateTempFile(
          dir, json ? kRestrictionsJsonLinesFile : kRestrictionsDelimitedFile));
  absl::Status written = [&]() -> absl::Status {
    StreamWriteOptions options;
    options.sync = true;
    if (json) {
      TELLUS_ASSIGN_OR_RETURN(JsonLinesWriter w,
                              JsonLinesWriter::Create(temporary, options));
      for (const v1::Restriction& r : restrictions) {
        TELLUS_RETURN_IF_ERROR(w.Write(r));
      }
      return w.Close();
    }
    TELLUS_ASSIGN_OR_RETURN(DelimitedWriter w,
                            DelimitedWriter::Create(temporary, options));
    for (const v1::Restriction& r : restrictions) {
      TELLUS_RETURN_IF_ERROR(w.Write(r));
    }
    return w.Close();
  }();
  std::error_code ec;
  if (written.ok()) {
    fs::rename(temporary, path, ec);
    if (ec) {
      written = absl::DataLossError(absl::StrCat(
          path, ": cannot be moved into place (", ec.message(), ")"));
    }
  }
  if (!written.ok()) {
    fs::remove(temporary, ec);
    return written;
  }
  fs::remove(other, ec);
  return absl::OkStatus();
}

absl::StatusOr<Dataset> LoadDataDir(const std::string& dir,
                                    const StreamReadOptions& options) {
  TELLUS_ASSIGN_OR_RETURN(DataDirFiles files, FindDataDirFiles(dir));
  DatasetBuilder builder;
  TELLUS_RETURN_IF_ERROR(ForEachCase(
      files.cases, [&](const v1::Case& c) { return builder.AddCase(c); },
      options));
  if (!files.interactions.empty()) {
    absl::flat_hash_set<std::pair<uint64_t, uint64_t>> ids;
    TELLUS_RETURN_IF_ERROR(ForEachInteraction(
        files.interactions,
        [&](const v1::Interaction& i) -> absl::Status {
          if (i.id().empty()) {
            return absl::InvalidArgumentError("interaction without an id");
          }
          if (!ids.emplace(absl::HashOf(i.id()), Fnv1a(i.id())).second) {
            return absl::InvalidArgumentError(
                absl::StrCat("interaction ", i.id(),
                             ": the id is already used by an earlier record"));
          }
          return builder.AddInteraction(i);
        },
        options));
  }
  if (!files.restrictions.empty()) {
    TELLUS_RETURN_IF_ERROR(ForEachRestriction(
        files.restrictions,
        [&](const v1::Restriction& r) { return builder.AddRestriction(r); },
        options));
  }
  return std::move(builder).Build();
}

}  // namespace tellus

/*
 * tellus.h: the C ABI of libtellus.
 *
 * This header is the stable boundary of tellus: the CRM, the housing system,
 * the Python package and any other language reach the library through it. It
 * is plain C99, needs no other header of tellus, and is the only thing
 * libtellus.so exports (every symbol is named tellus_*; everything else in the
 * library is hidden).
 *
 *   // settings: a serialized tellus.v1.ReportSettings { period: "2023/24",
 *   // as_of: "2024-06-30" }, settings_size bytes long.
 *   tellus_dataset* ds = NULL;
 *   void* report = NULL;
 *   size_t report_size = 0;
 *   char* json = NULL;
 *   if (tellus_dataset_from_csv(&ds, "cases.csv", "interactions.csv") != 0 ||
 *       tellus_report_build(&report, &report_size, ds, settings,
 *                           settings_size, 0) != 0 ||
 *       tellus_report_render(&json, NULL, report, report_size,
 *                            TELLUS_FORMAT_JSON) != 0) {
 *     fprintf(stderr, "tellus: %s\n", tellus_last_error());
 *   }
 *   tellus_buffer_free(json);
 *   tellus_buffer_free(report);
 *   tellus_dataset_free(ds);
 *
 * Versioning
 *   TELLUS_VERSION_MAJOR/MINOR/PATCH and TELLUS_VERSION_NUMBER
 *   (major * 10000 + minor * 100 + patch) are the version of this header;
 *   tellus_version() and tellus_version_number() are the version of the
 *   library actually loaded. A caller that depends on a feature checks
 *   tellus_version_number() at run time. The shared library's SONAME carries
 *   the major version: within one major version a function is never removed
 *   and its signature never changes (a changed behaviour gets a new function,
 *   tellus_x_v2), so a program built against an older header keeps working.
 *   The build checks the exported functions against a committed ABI baseline
 *   (abi/libtellus.abi), so a removed or changed function fails the tests.
 *
 * Handles
 *   Every object is an opaque handle (tellus_calendar, tellus_dataset,
 *   tellus_partial, tellus_store) created by a tellus_*_new / _from_* /
 *   _open / compute function and destroyed by the matching tellus_*_free,
 *   which accepts NULL.
 *   No struct of domain data crosses this boundary: cases, settings, reports
 *   and partial aggregates cross as serialized protobuf bytes of the
 *   tellus.v1 schema (proto/tellus/v1) as a pointer and a size, so the
 *   schema grows without breaking the ABI. A NULL pointer with size 0 is
 *   the empty message. Dates cross as int32_t yyyymmdd (20240229); 0 means
 *   "no date" where a function says so. No Abseil, protobuf or C++ type ever
 *   appears in this header.
 *
 * Status codes
 *   Every function that can fail returns an int status: TELLUS_OK (0) or a
 *   negative TELLUS_E_* code. Results come back through out-parameters, which
 *   are listed first and are written only on success. After a failure,
 *   tellus_last_error() returns a message for the calling thread that names
 *   what was wrong (the file and line, the case, the event and the rule); it
 *   stays until the thread's next call of a function that returns a status
 *   (a successful call clears it). Bad input of any kind (NULL handles or
 *   buffers, truncated or garbage bytes, missing files, wrong periods) is a
 *   status and a message, never a crash, and no C++ exception ever crosses
 *   the boundary.
 *
 * Ownership
 *   Memory the library returns (serialized bytes, text) belongs to the
 *   caller, who frees it with tellus_buffer_free, never with free(). Every
 *   returned buffer is followed by a NUL byte that its size does not count,
 *   so text can be used as a C string. Handles are freed with their own
 *   tellus_*_free. Memory the caller passes in is only borrowed for the
 *   duration of the call. Strings the library keeps (tellus_version(),
 *   tellus_last_error(), tellus_status_string()) are not freed.
 *
 * Threads
 *   Every function may be called from any thread; the error message is per
 *   thread. Calendars, data sets and partial aggregates do not change once
 *   created, so calls that only read a handle may run on many threads at
 *   once, on the same handle:
 *     - functions without a handle: versions, errors, tellus_buffer_free,
 *       tellus_calendar_new / _from_govuk_json, tellus_case_fold,
 *       tellus_dataset_from_*, tellus_report_render,
 *       tellus_partial_deserialize, and the calendar and due-date functions
 *       with a NULL calendar;
 *     - readers of a calendar: tellus_is_working_day, tellus_is_holiday,
 *       tellus_add_working_days, tellus_working_days_between,
 *       tellus_calendar_holidays, the due dates, tellus_case_fold;
 *     - readers of a data set: tellus_dataset_size / _summary / _rejects,
 *       tellus_report_build, tellus_partial_compute / _compute_rows;
 *     - readers of a partial: tellus_partial_serialize, tellus_partial_equal,
 *       tellus_partial_report, and the `other` of tellus_partial_merge.
 *   Two calls need their handle to themselves: tellus_partial_merge, which
 *   changes its `into` partial, and tellus_*_free, after which the handle is
 *   gone. A store handle is one connection to the store's file: use it from
 *   one thread at a time, and open one handle per thread (any number of
 *   handles, in any processes, may read one store while one writes).
 */
#ifndef TELLUS_TELLUS_H_
#define TELLUS_TELLUS_H_

#include <stddef.h>
#include <stdint.h>

/* Marks the functions libtellus.so exports; the library is built with hidden
 * visibility. Defining TELLUS_API first (e.g. empty, to feed this header to a
 * C parser) overrides it. */
#ifndef TELLUS_API
#if defined(__GNUC__) || defined(__clang__)
#define TELLUS_API __attribute__((visibility("default")))
#else
#define TELLUS_API
#endif
#endif

/* The version of this header. The build checks that it is the version of the
 * CMake project. */
#define TELLUS_VERSION_MAJOR 0
#define TELLUS_VERSION_MINOR 1
#define TELLUS_VERSION_PATCH 0

/* clang-format off */
#define TELLUS_VERSION_NUMBER                                        \
  (TELLUS_VERSION_MAJOR * 10000 + TELLUS_VERSION_MINOR * 100 +       \
   TELLUS_VERSION_PATCH)

#define TELLUS_STRINGIFY_INNER_(x) #x
#define TELLUS_STRINGIFY_(x) TELLUS_STRINGIFY_INNER_(x)
/* "0.1.0" */
#define TELLUS_VERSION_STRING                     \
  TELLUS_STRINGIFY_(TELLUS_VERSION_MAJOR)         \
  "." TELLUS_STRINGIFY_(TELLUS_VERSION_MINOR)     \
  "." TELLUS_STRINGIFY_(TELLUS_VERSION_PATCH)
/* clang-format on */

/* Status codes. The values are part of the ABI and never change; new codes
 * may be added, so treat any other negative value as a failure too. */
#define TELLUS_OK 0
/* A NULL or malformed argument, or input that breaks a rule: a bad date or
 * period, an as-of before the period ends, a case whose events the state
 * machine refuses, a row range outside the data set. */
#define TELLUS_E_INVALID_ARGUMENT (-1)
/* Bytes that are not a serialized message of the expected type (garbage,
 * truncated), or a stream or file whose content is corrupt. */
#define TELLUS_E_MALFORMED (-2)
/* A file or directory that does not exist. */
#define TELLUS_E_NOT_FOUND (-3)
/* A file that exists but cannot be read or written. */
#define TELLUS_E_IO (-4)
/* An operation that cannot run on what it was given: merging partial
 * aggregates computed under different settings, reading a directory as a
 * file. */
#define TELLUS_E_FAILED_PRECONDITION (-5)
/* Something this build of the library does not provide. */
#define TELLUS_E_UNSUPPORTED (-6)
/* Memory ran out. */
#define TELLUS_E_NO_MEMORY (-7)
/* A bug in tellus: please report it with the message. */
#define TELLUS_E_INTERNAL (-8)
/* A store another process is writing to, beyond the busy timeout: nothing
 * was changed; try again when that process has finished. */
#define TELLUS_E_BUSY (-9)

/* Output formats of tellus_report_render. */
#define TELLUS_FORMAT_JSON 1     /* FORMATS.md's report contract */
#define TELLUS_FORMAT_TEXT 2     /* plain text for people */
#define TELLUS_FORMAT_MARKDOWN 3 /* Markdown */
/* The published report: one self-contained HTML page with SVG charts. */
#define TELLUS_FORMAT_HTML 4

/* How tellus_calendar_from_govuk_json combines the file with the rules. */
/* Each year the file lists replaces that year's holidays; other years keep
 * the rules. */
#define TELLUS_HOLIDAYS_REPLACE 0
/* The file's holidays are added to the rules and built-in one-off days. */
#define TELLUS_HOLIDAYS_EXTEND 1

/* Stages of the complaints procedure (tellus.v1.Stage). */
#define TELLUS_STAGE_1 1
#define TELLUS_STAGE_2 2

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Versions, errors, buffers
 * ------------------------------------------------------------------------ */

/* The version of the loaded library, "MAJOR.MINOR.PATCH"; a static string,
 * not to be freed. */
TELLUS_API const char* tellus_version(void);

/* The version of the loaded library as major * 10000 + minor * 100 + patch:
 * equal to TELLUS_VERSION_NUMBER when header and library agree. */
TELLUS_API int tellus_version_number(void);

/* The message of the calling thread's last failed call, or "" when its last
 * call succeeded. Owned by the library; valid until the thread's next call
 * of a function that returns a status. Never NULL. */
TELLUS_API const char* tellus_last_error(void);

/* A short description of a status code ("not found"); a static string. Any
 * unknown code gives "unknown status". */
TELLUS_API const char* tellus_status_string(int status);

/* Frees a buffer the library returned. NULL is ignored. */
TELLUS_API void tellus_buffer_free(void* buffer);

/* ------------------------------------------------------------------------
 * Calendar: working days and bank holidays
 * ------------------------------------------------------------------------ */

/* An immutable bank holiday calendar of one UK region. Functions that take
 * a `const tellus_calendar*` accept NULL for England and Wales's built-in
 * calendar. Safe to share between threads. */
typedef struct tellus_calendar tellus_calendar;

/* The built-in calendar of `region`: "england-and-wales" (also when NULL or
 * ""), "scotland" or "northern-ireland" (any case; spaces, hyphens and
 * underscores alike). Free it with tellus_calendar_free. */
TELLUS_API int tellus_calendar_new(tellus_calendar** out, const char* region);

/* The built-in calendar of `region` combined with that region's division of
 * a GOV.UK bank-holidays.json document (`json`, `json_size` bytes), by
 * `merge`: TELLUS_HOLIDAYS_REPLACE or TELLUS_HOLIDAYS_EXTEND. */
TELLUS_API int tellus_calendar_from_govuk_json(tellus_calendar** out,
                                               const char* json,
                                               size_t json_size,
                                               const char* region, int merge);

/* Frees a calendar; NULL is ignored. */
TELLUS_API void tellus_calendar_free(tellus_calendar* calendar);

/* *out = 1 when `date` (yyyymmdd) is a working day (Monday to Friday and not
 * a bank holiday), else 0. */
TELLUS_API int tellus_is_working_day(int* out, const tellus_calendar* calendar,
                                     int32_t date);

/* *out = 1 when `date` is a bank holiday (a substitute day is; the weekend
 * day a holiday fell on is not), else 0. */
TELLUS_API int tellus_is_holiday(int* out, const tellus_calendar* calendar,
                                 int32_t date);

/* *out = the n-th working day after `date` (`date` itself never counts);
 * n == 0 gives `date`, a negative n counts back. |n| <= 100000. */
TELLUS_API int tellus_add_working_days(int32_t* out,
                                       const tellus_calendar* calendar,
                                       int32_t date, int32_t n);

/* *out = the number of working days in (from, to]; 0 when to <= from. */
TELLUS_API int tellus_working_days_between(int32_t* out,
                                           const tellus_calendar* calendar,
                                           int32_t from, int32_t to);

/* The bank holidays of calendar year `year` (1..9999) as a serialized
 * tellus.v1.HolidayList, in date order. Free *out with tellus_buffer_free. */
TELLUS_API int tellus_calendar_holidays(void** out, size_t* out_size,
                                        const tellus_calendar* calendar,
                                        int32_t year);

/* ------------------------------------------------------------------------
 * Due dates (the Complaint Handling Code's timescales)
 *
 * `policy` is a serialized tellus.v1.TimescalePolicy (NULL and 0: the
 * Code's defaults, 5/10/10 working days at stage 1 and 5/20/20 at stage 2);
 * `stage` is TELLUS_STAGE_1 or TELLUS_STAGE_2; `start` is the receipt
 * (stage 1) or the escalation request (stage 2).
 * ------------------------------------------------------------------------ */

/* *out = the date the acknowledgement is due. */
TELLUS_API int tellus_acknowledgement_due(int32_t* out,
                                          const tellus_calendar* calendar,
                                          const void* policy,
                                          size_t policy_size, int stage,
                                          int32_t start);

/* *out = the date the response is due: the earlier of `acknowledged` (0: not
 * acknowledged) and the acknowledgement's due date, plus the response
 * days. */
TELLUS_API int tellus_response_due(int32_t* out,
                                   const tellus_calendar* calendar,
                                   const void* policy, size_t policy_size,
                                   int stage, int32_t start,
                                   int32_t acknowledged);

/* *out = 1 when a response on `responded` meets `due` (as
 * tellus_response_due gives it), or an agreed extension to `extended_to`
 * (0: none) within the policy's cap; else 0. */
TELLUS_API int tellus_responded_on_time(int* out,
                                        const tellus_calendar* calendar,
                                        const void* policy, size_t policy_size,
                                        int stage, int32_t due,
                                        int32_t responded, int32_t extended_to);

/* ------------------------------------------------------------------------
 * Cases
 * ------------------------------------------------------------------------ */

/* Validates a case (a serialized tellus.v1.Case: header and events) and
 * folds its events through the stage state machine. *out is a serialized
 * tellus.v1.FoldedCase: status, outcomes, and for a complaint each stage's
 * due dates and whether they were met. `as_of` ("YYYY-MM-DD": the end of
 * that London day, or an RFC 3339 date-time; NULL or "": every event) folds
 * only the events seen by then. `calendar` may be NULL (England and Wales);
 * `policy` as for the due dates. An invalid case fails with
 * TELLUS_E_INVALID_ARGUMENT and a message naming the case, the event, its
 * date and the rule broken. */
TELLUS_API int tellus_case_fold(void** out, size_t* out_size,
                                const void* case_bytes, size_t case_size,
                                const tellus_calendar* calendar,
                                const void* policy, size_t policy_size,
                                const char* as_of);

/* ------------------------------------------------------------------------
 * Data sets
 * ------------------------------------------------------------------------ */

/* Cases and interactions in columnar form, ready to aggregate, with the
 * summary and rejected rows of the import that made it. Immutable: any
 * number of threads may build reports and partials from one at once. */
typedef struct tellus_dataset tellus_dataset;

/* Imports CSV exports (FORMATS.md): `cases_path`, and `interactions_path`
 * unless NULL. Bad rows are rejected, not repaired: they are left out and
 * listed by tellus_dataset_rejects. A file-level fault (a missing file, a
 * missing required column) fails the call. */
TELLUS_API int tellus_dataset_from_csv(tellus_dataset** out,
                                       const char* cases_path,
                                       const char* interactions_path);

/* The same over CSV text in memory (`interactions_csv` may be NULL). */
TELLUS_API int tellus_dataset_from_csv_buffers(tellus_dataset** out,
                                               const char* cases_csv,
                                               size_t cases_size,
                                               const char* interactions_csv,
                                               size_t interactions_size);

/* Reads a data directory written by `tellus import --out DIR`
 * (length-delimited or JSON Lines protobuf streams). Protobuf input is the
 * canonical form: a record that does not parse or validate fails the call
 * with a message naming the file and the record. */
TELLUS_API int tellus_dataset_from_data_dir(tellus_dataset** out,
                                            const char* dir);

/* Builds a data set from a serialized tellus.v1.CaseList and a serialized
 * tellus.v1.InteractionList (either may be NULL and 0: none). Every case is
 * validated; an invalid case or interaction fails the call, naming it. */
TELLUS_API int tellus_dataset_from_buffers(tellus_dataset** out,
                                           const void* cases, size_t cases_size,
                                           const void* interactions,
                                           size_t interactions_size);

/* Frees a data set; NULL is ignored. */
TELLUS_API void tellus_dataset_free(tellus_dataset* dataset);

/* The number of cases and of interactions in the data set (rows of the
 * tables: the ranges of tellus_partial_compute_rows). Either out-parameter
 * may be NULL. */
TELLUS_API int tellus_dataset_size(size_t* out_cases, size_t* out_interactions,
                                   const tellus_dataset* dataset);

/* The import summary, a serialized tellus.v1.ImportSummary: rows read,
 * accepted and rejected by rule per file; unlinked interactions. */
TELLUS_API int tellus_dataset_summary(void** out, size_t* out_size,
                                      const tellus_dataset* dataset);

/* The rejected rows, a serialized tellus.v1.RejectList, each with its file,
 * line, column, rule and reason. */
TELLUS_API int tellus_dataset_rejects(void** out, size_t* out_size,
                                      const tellus_dataset* dataset);

/* ------------------------------------------------------------------------
 * Reports
 *
 * `settings` is a serialized tellus.v1.ReportSettings: the period
 * ("2023/24", "2023", "2023-04-01..2023-06-30"), the as-of time (empty: now;
 * it may not be before the end of the period), homes for CH01, publishing,
 * region and policy. `threads` is the number of threads to aggregate on
 * (0: one per core; at most 1024).
 * ------------------------------------------------------------------------ */

/* Builds the annual report of a data set: *out is a serialized
 * tellus.v1.AnnualReport. */
TELLUS_API int tellus_report_build(void** out, size_t* out_size,
                                   const tellus_dataset* dataset,
                                   const void* settings, size_t settings_size,
                                   int threads);

/* Renders a serialized tellus.v1.AnnualReport as TELLUS_FORMAT_JSON,
 * TELLUS_FORMAT_TEXT, TELLUS_FORMAT_MARKDOWN or TELLUS_FORMAT_HTML text (the
 * HTML page names the council of the report's settings). *out_size may be
 * NULL (the text is NUL-terminated). */
TELLUS_API int tellus_report_render(char** out, size_t* out_size,
                                    const void* report, size_t report_size,
                                    int format);

/* ------------------------------------------------------------------------
 * Partial aggregates
 *
 * A partial aggregate holds the counters the report needs from some rows of
 * a data set. Partials over any split of the rows, computed under the same
 * settings (period, as-of, financial year, policy, region), merge by
 * addition into exactly the partial of all of them: threads, councils and
 * cluster workers combine the same way. Serialized, a partial is a
 * tellus.v1.PartialAggregate. A partial may be read by several threads at
 * once; tellus_partial_merge needs its `into` partial to itself.
 * ------------------------------------------------------------------------ */

typedef struct tellus_partial tellus_partial;

/* The partial of the whole data set under `settings` (as for reports; the
 * as-of is resolved once and kept, so "now" means the time of this call). */
TELLUS_API int tellus_partial_compute(tellus_partial** out,
                                      const tellus_dataset* dataset,
                                      const void* settings,
                                      size_t settings_size, int threads);

/* The partial of cases [case_begin, case_end) and interactions
 * [interaction_begin, interaction_end) of the data set (interactions are
 * linked to their cases through the whole data set). Ranges must lie within
 * tellus_dataset_size. Computed on the calling thread. */
TELLUS_API int tellus_partial_compute_rows(
    tellus_partial** out, const tellus_dataset* dataset, const void* settings,
    size_t settings_size, size_t case_begin, size_t case_end,
    size_t interaction_begin, size_t interaction_end);

/* Adds `other` into `into`. Fails with TELLUS_E_FAILED_PRECONDITION, leaving
 * `into` unchanged, when they were computed under different settings. No
 * other thread may use `into` meanwhile. */
TELLUS_API int tellus_partial_merge(tellus_partial* into,
                                    const tellus_partial* other);

/* *out = 1 when the partials hold the same counters under the same settings
 * (in whatever order their cells were named), else 0. */
TELLUS_API int tellus_partial_equal(int* out, const tellus_partial* a,
                                    const tellus_partial* b);

/* Serializes a partial: *out is a tellus.v1.PartialAggregate. */
TELLUS_API int tellus_partial_serialize(void** out, size_t* out_size,
                                        const tellus_partial* partial);

/* Reads a serialized tellus.v1.PartialAggregate, checking its format
 * version, settings and counters. */
TELLUS_API int tellus_partial_deserialize(tellus_partial** out,
                                          const void* bytes, size_t size);

/* Builds the report from a partial over all the rows: *out is a serialized
 * tellus.v1.AnnualReport. Report-only settings (homes, landlord
 * directorates, publish, top services, council) come from `settings`; its
 * period, when set, must be the partial's. */
TELLUS_API int tellus_partial_report(void** out, size_t* out_size,
                                     const tellus_partial* partial,
                                     const void* settings,
                                     size_t settings_size);

/* Frees a partial; NULL is ignored. */
TELLUS_API void tellus_partial_free(tellus_partial* partial);

/* ------------------------------------------------------------------------
 * The store: an append-only case register in one SQLite file
 *
 * Cases with their event logs and interactions, kept for years: nothing is
 * updated in place (a correction is a new event), every import is one
 * transaction (all of it or none of it) and importing the same records
 * again adds nothing. Writes are on disk when the call returns. A writer
 * waits for another up to the busy timeout, then fails with TELLUS_E_BUSY.
 * A damaged file fails with TELLUS_E_MALFORMED and a message saying so.
 * ------------------------------------------------------------------------ */

typedef struct tellus_store tellus_store;

/* Opens the store at `path`, creating the file (and its schema) when it is
 * missing unless `create` is 0. `busy_timeout_ms` is how long a write waits
 * for another writer (negative: the default, 10 seconds). Fails with
 * TELLUS_E_NOT_FOUND for a missing store when `create` is 0, and with
 * TELLUS_E_FAILED_PRECONDITION for a file that is not a tellus store or was
 * written by a newer tellus. Free it with tellus_store_free. */
TELLUS_API int tellus_store_open(tellus_store** out, const char* path,
                                 int create, int busy_timeout_ms);

/* Closes a store; NULL is ignored. */
TELLUS_API void tellus_store_free(tellus_store* store);

/* Imports CSV exports (FORMATS.md): `cases_path`, and `interactions_path`
 * unless NULL, in one transaction. Bad rows are rejected; a record the
 * store holds identically is counted as present; a case held with the same
 * header gains the file's new events when the state machine accepts them;
 * anything else the store holds differently is a conflict, refused like a
 * rejected row. With `strict` non-zero any rejected row or conflict fails
 * the call (TELLUS_E_FAILED_PRECONDITION) and nothing is written. *out is a
 * serialized tellus.v1.StoreImportSummary, with the rejects. */
TELLUS_API int tellus_store_import_csv(void** out, size_t* out_size,
                                       tellus_store* store,
                                       const char* cases_path,
                                       const char* interactions_path,
                                       int strict);

/* The same for a data directory written by `tellus import --out DIR`. A
 * record that does not validate fails the whole import. */
TELLUS_API int tellus_store_import_data_dir(void** out, size_t* out_size,
                                            tellus_store* store,
                                            const char* dir, int strict);

/* Adds a new case (a serialized tellus.v1.Case, with its events), validated
 * by the state machine. A reference the store holds is
 * TELLUS_E_INVALID_ARGUMENT (append events to it instead). */
TELLUS_API int tellus_store_add_case(tellus_store* store,
                                     const void* case_bytes, size_t case_size);

/* Appends one event (a serialized tellus.v1.Event) to the case `ref`; the
 * stored history plus the event must be one the state machine accepts, or
 * the call fails with TELLUS_E_INVALID_ARGUMENT and the rule broken. */
TELLUS_API int tellus_store_append_event(tellus_store* store, const char* ref,
                                         const void* event_bytes,
                                         size_t event_size);

/* Adds a new interaction (a serialized tellus.v1.Interaction). */
TELLUS_API int tellus_store_add_interaction(tellus_store* store,
                                            const void* interaction_bytes,
                                            size_t interaction_size);

/* The case `ref` with its whole history: *out is a serialized
 * tellus.v1.Case. TELLUS_E_NOT_FOUND when the store does not hold it. */
TELLUS_API int tellus_store_get_case(void** out, size_t* out_size,
                                     tellus_store* store, const char* ref);

/* The cases a serialized tellus.v1.CaseQuery selects (NULL and 0: all), by
 * directorate, type, customer, date received, status, and what is overdue
 * on a day: *out is a serialized tellus.v1.CaseListing. */
TELLUS_API int tellus_store_list_cases(void** out, size_t* out_size,
                                       tellus_store* store, const void* query,
                                       size_t query_size);

/* Everything the store holds, from one snapshot, as a data set to report
 * on (its summary counts the cases and interactions loaded). */
TELLUS_API int tellus_store_load_dataset(tellus_dataset** out,
                                         tellus_store* store);

/* Writes everything to a data directory (length-delimited protobuf
 * streams), from one snapshot. */
TELLUS_API int tellus_store_export(tellus_store* store, const char* dir);

/* Anonymises cases closed before `closed_before` (yyyymmdd): blanks the
 * customer, staff, free text and unknown columns' values of the cases and
 * their interactions, in one transaction, each case in the audit table.
 * Report figures do not change. With `dry_run` non-zero nothing changes.
 * *out is a serialized tellus.v1.RetentionSummary. */
TELLUS_API int tellus_store_anonymise(void** out, size_t* out_size,
                                      tellus_store* store,
                                      int32_t closed_before, int dry_run);

/* Everything the store holds about the customer `customer`: *out is a
 * serialized tellus.v1.SubjectAccessExport. */
TELLUS_API int tellus_store_subject_access(void** out, size_t* out_size,
                                           tellus_store* store,
                                           const char* customer);

/* Checks the file's integrity: TELLUS_E_MALFORMED, listing the problems,
 * when it is damaged. */
TELLUS_API int tellus_store_check(tellus_store* store);

/* ------------------------------------------------------------------------
 * Learning records in the store: contact restrictions, question sets and
 * the listings for people
 * ------------------------------------------------------------------------ */

/* Adds contact restrictions, a serialized tellus.v1.RestrictionList, in one
 * transaction. Each is validated (a message naming the restriction and the
 * rule: TELLUS_E_INVALID_ARGUMENT) and its id given once. One the store
 * holds with the same content in any version adds nothing; one with other
 * content (a review, an end date) is stored as the restriction's next
 * version, which must keep the customer (TELLUS_E_FAILED_PRECONDITION
 * otherwise, and for a restriction anonymised under retention). Any
 * failure writes nothing. *out is a serialized tellus.v1.StoreImportCounts:
 * `added` new restrictions, `extended` held ones given a new version,
 * `present` already held. Restrictions are personal data: retention
 * (tellus_store_anonymise) and subject access cover them. */
TELLUS_API int tellus_store_add_restrictions(void** out, size_t* out_size,
                                             tellus_store* store,
                                             const void* restrictions,
                                             size_t restrictions_size);

/* The latest version of every restriction the store holds (the one in
 * force), by id: *out is a serialized tellus.v1.RestrictionList. */
TELLUS_API int tellus_store_get_restrictions(void** out, size_t* out_size,
                                             tellus_store* store);

/* Writes a question set, a serialized tellus.v1.QuestionSet (validated).
 * *added is 1 when it was added and 0 when the store held the same id and
 * version with the same content. Other content under a held id and version
 * fails with TELLUS_E_FAILED_PRECONDITION, naming the difference: a
 * revision takes the next version. Lessons naming a held set are checked
 * against it when they are written. */
TELLUS_API int tellus_store_put_question_set(int* added, tellus_store* store,
                                             const void* question_set,
                                             size_t question_set_size);

/* A directorate's month for its management team (complaints, responses on
 * time, lessons with their actions, overdue actions, compliments, Ombudsman
 * decisions), from the store's records as known at the end of the London
 * day `as_of` (yyyymmdd; 0: the month's last day). `month` is yyyymm.
 * `format` is TELLUS_FORMAT_TEXT or TELLUS_FORMAT_MARKDOWN; *out is
 * NUL-terminated text (*out_size may be NULL), freed with
 * tellus_buffer_free. */
TELLUS_API int tellus_store_digest(char** out, size_t* out_size,
                                   tellus_store* store, const char* directorate,
                                   int32_t month, int32_t as_of, int format);

/* The compliments received in `period` ("2023/24", "2023" or
 * "2023-04-01..2023-06-30"; financial years start in April) about the
 * officer `staff` and/or the team `team` (NULL or "" for any; at least one
 * is needed), as text or Markdown like tellus_store_digest. */
TELLUS_API int tellus_store_compliments(char** out, size_t* out_size,
                                        tellus_store* store, const char* staff,
                                        const char* team, const char* period,
                                        int format);

/* The contact restrictions in force on `on` (yyyymmdd), overdue reviews
 * first, as text or Markdown like tellus_store_digest. */
TELLUS_API int tellus_store_restrictions_in_force(char** out, size_t* out_size,
                                                  tellus_store* store,
                                                  int32_t on, int format);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TELLUS_TELLUS_H_ */

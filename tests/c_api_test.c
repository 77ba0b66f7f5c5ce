/* The C ABI of tellus.h, exercised from C: every function, and every error
 * path of each (NULL handles and buffers, truncated and garbage bytes,
 * missing files, wrong periods). The protobuf messages are encoded and
 * decoded by hand, as a C caller without a protobuf library would. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, pthreads */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tellus/tellus.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

/* Whether the last error is non-empty and contains `needle` (NULL: any). */
static int LastErrorHas(const char* needle) {
  const char* message = tellus_last_error();
  return message[0] != '\0' &&
         (needle == NULL || strstr(message, needle) != NULL);
}

/* Checks that `call` returns `status` and leaves a message containing
 * `needle` (NULL: any non-empty message). */
#define CHECK_FAILS(call, status, needle)                                    \
  do {                                                                       \
    int rc_ = (call);                                                        \
    if (rc_ != (status)) {                                                   \
      fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d\n", __FILE__, \
              __LINE__, #call, rc_, tellus_last_error(), (status));          \
      ++failures;                                                            \
    } else if (!LastErrorHas(needle)) {                                      \
      fprintf(stderr, "%s:%d: %s: message '%s' lacks '%s'\n", __FILE__,      \
              __LINE__, #call, tellus_last_error(),                          \
              (needle) == NULL ? "(any)" : (const char*)(needle));           \
      ++failures;                                                            \
    }                                                                        \
  } while (0)

#define CHECK_OK(call)                                                        \
  do {                                                                        \
    int rc_ = (call);                                                         \
    if (rc_ != TELLUS_OK) {                                                   \
      fprintf(stderr, "%s:%d: %s failed: %d %s\n", __FILE__, __LINE__, #call, \
              rc_, tellus_last_error());                                      \
      ++failures;                                                             \
    }                                                                         \
  } while (0)

/* ------------------------------------------------------------------------
 * A little protobuf wire format: enough to build the messages tellus takes
 * and to read a few fields of those it returns. */

typedef struct {
  unsigned char data[4096];
  size_t size;
} Buf;

static void PutByte(Buf* b, unsigned char c) {
  if (b->size < sizeof(b->data)) b->data[b->size++] = c;
}

static void PutVarint(Buf* b, unsigned long long v) {
  while (v >= 0x80) {
    PutByte(b, (unsigned char)(v | 0x80));
    v >>= 7;
  }
  PutByte(b, (unsigned char)v);
}

/* A varint field (int32, int64, enum, bool). */
static void PutInt(Buf* b, int field, long long v) {
  PutVarint(b, (unsigned long long)field << 3);
  PutVarint(b, (unsigned long long)v);
}

/* A length-delimited field (string, bytes, message). */
static void PutBytes(Buf* b, int field, const void* data, size_t size) {
  PutVarint(b, ((unsigned long long)field << 3) | 2);
  PutVarint(b, size);
  if (b->size + size <= sizeof(b->data)) {
    memcpy(b->data + b->size, data, size);
    b->size += size;
  }
}

static void PutString(Buf* b, int field, const char* s) {
  PutBytes(b, field, s, strlen(s));
}

static void PutMessage(Buf* b, int field, const Buf* m) {
  PutBytes(b, field, m->data, m->size);
}

/* tellus.v1.When { Date date = 1 { year = 1, month = 2, day = 3 } } */
static void PutDate(Buf* b, int field, int y, int m, int d) {
  Buf date = {{0}, 0}, when = {{0}, 0};
  PutInt(&date, 1, y);
  PutInt(&date, 2, m);
  PutInt(&date, 3, d);
  PutMessage(&when, 1, &date);
  PutMessage(b, field, &when);
}

/* ReportSettings { period = 1, as_of = 2, homes = 4 } */
static Buf Settings(const char* period, const char* as_of) {
  Buf b = {{0}, 0};
  PutString(&b, 1, period);
  if (as_of != NULL) PutString(&b, 2, as_of);
  return b;
}

/* An event of a case: Event { When when = 1; oneof kind { ... } }. */
static void PutEvent(Buf* c, int y, int m, int d, int kind_field,
                     const Buf* kind) {
  Buf event = {{0}, 0};
  PutDate(&event, 1, y, m, d);
  PutMessage(&event, kind_field, kind);
  PutMessage(c, 10, &event);
}

/* Case C1 of the report fixture: a complaint received 2023-05-02,
 * acknowledged on 3 May and upheld at stage 1 on 12 May (on time: the
 * coronation bank holiday on 8 May moves the dates). With `broken`, the
 * response predates the receipt. */
static Buf ComplaintCase(const char* ref, int broken) {
  Buf c = {{0}, 0}, ack = {{0}, 0}, resp = {{0}, 0};
  PutString(&c, 1, ref);
  PutInt(&c, 2, 1); /* CASE_TYPE_COMPLAINT */
  PutDate(&c, 3, 2023, 5, 2);
  PutString(&c, 4, "Housing");
  PutString(&c, 5, "Repairs");
  PutInt(&ack, 1, 1); /* Acknowledged { stage = STAGE_1 } */
  PutEvent(&c, 2023, 5, 3, 2, &ack);
  PutInt(&resp, 1, 1); /* Responded { stage = STAGE_1, outcome = UPHELD } */
  PutInt(&resp, 2, 1);
  if (broken) {
    PutEvent(&c, 2023, 4, 12, 4, &resp);
  } else {
    PutEvent(&c, 2023, 5, 12, 4, &resp);
  }
  return c;
}

static int GetVarint(const unsigned char** p, const unsigned char* end,
                     unsigned long long* v) {
  int shift = 0;
  *v = 0;
  while (*p < end && shift < 64) {
    unsigned char c = *(*p)++;
    *v |= (unsigned long long)(c & 0x7f) << shift;
    if ((c & 0x80) == 0) return 1;
    shift += 7;
  }
  return 0;
}

/* Finds the `index`-th occurrence of top-level field `field`: its varint
 * value, or its bytes. Returns 0 when absent. */
static int FindField(const void* msg, size_t size, int field, int index,
                     unsigned long long* value, const unsigned char** bytes,
                     size_t* bytes_size) {
  const unsigned char* p = (const unsigned char*)msg;
  const unsigned char* end = p + size;
  while (p < end) {
    unsigned long long key, v;
    if (!GetVarint(&p, end, &key)) return 0;
    switch (key & 7) {
      case 0:
        if (!GetVarint(&p, end, &v)) return 0;
        if ((int)(key >> 3) == field && index-- == 0) {
          if (value != NULL) *value = v;
          return 1;
        }
        break;
      case 1:
        p += 8;
        break;
      case 2:
        if (!GetVarint(&p, end, &v) || v > (unsigned long long)(end - p)) {
          return 0;
        }
        if ((int)(key >> 3) == field && index-- == 0) {
          if (bytes != NULL) *bytes = p;
          if (bytes_size != NULL) *bytes_size = (size_t)v;
          return 1;
        }
        p += v;
        break;
      case 5:
        p += 4;
        break;
      default:
        return 0;
    }
  }
  return 0;
}

static int CountField(const void* msg, size_t size, int field) {
  int n = 0;
  while (FindField(msg, size, field, n, NULL, NULL, NULL)) ++n;
  return n;
}

static long long VarintField(const void* msg, size_t size, int field) {
  unsigned long long v = 0;
  if (!FindField(msg, size, field, 0, &v, NULL, NULL)) return -1;
  return (long long)v;
}

/* ------------------------------------------------------------------------ */

static char data_dir[1024];
static char cases_csv[1200];
static char interactions_csv[1200];

static void TestVersion(void) {
  /* Header, library and CMake project agree. */
  CHECK(strcmp(tellus_version(), TELLUS_VERSION_STRING) == 0);
  CHECK(strcmp(tellus_version(), TELLUS_PROJECT_VERSION) == 0);
  CHECK(tellus_version_number() == TELLUS_VERSION_NUMBER);
}

/* Callers test the version number in #if. */
#if TELLUS_VERSION_NUMBER != TELLUS_VERSION_MAJOR * 10000 +   \
                                 TELLUS_VERSION_MINOR * 100 + \
                                 TELLUS_VERSION_PATCH
#error "TELLUS_VERSION_NUMBER is not major * 10000 + minor * 100 + patch"
#endif

static void TestErrorsAndBuffers(void) {
  int working = -1;
  CHECK(strcmp(tellus_status_string(TELLUS_OK), "ok") == 0);
  CHECK(strcmp(tellus_status_string(TELLUS_E_INVALID_ARGUMENT),
               "invalid argument") == 0);
  CHECK(strcmp(tellus_status_string(TELLUS_E_MALFORMED), "malformed data") ==
        0);
  CHECK(strcmp(tellus_status_string(TELLUS_E_NOT_FOUND), "not found") == 0);
  CHECK(strcmp(tellus_status_string(TELLUS_E_IO), "input/output error") == 0);
  CHECK(strcmp(tellus_status_string(TELLUS_E_FAILED_PRECONDITION),
               "failed precondition") == 0);
  CHECK(strcmp(tellus_status_string(TELLUS_E_UNSUPPORTED), "unsupported") == 0);
  CHECK(strcmp(tellus_status_string(TELLUS_E_NO_MEMORY), "out of memory") == 0);
  CHECK(strcmp(tellus_status_string(TELLUS_E_INTERNAL), "internal error") == 0);
  CHECK(strcmp(tellus_status_string(-999), "unknown status") == 0);
  CHECK(strcmp(tellus_status_string(1), "unknown status") == 0);

  /* A failure leaves a message; it survives calls that return no status and
   * the next call with a status clears it. */
  CHECK_FAILS(tellus_is_working_day(NULL, NULL, 20230509),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  tellus_buffer_free(NULL);
  tellus_calendar_free(NULL);
  tellus_dataset_free(NULL);
  tellus_partial_free(NULL);
  CHECK(strstr(tellus_last_error(), "out is NULL") != NULL);
  CHECK_OK(tellus_is_working_day(&working, NULL, 20230509));
  CHECK(tellus_last_error() != NULL && tellus_last_error()[0] == '\0');
}

static void TestCalendar(void) {
  tellus_calendar* ew = NULL;
  tellus_calendar* scotland = NULL;
  tellus_calendar* extended = NULL;
  tellus_calendar* untouched = (tellus_calendar*)&failures;
  int flag = -1;
  int32_t day = -1;
  void* bytes = NULL;
  size_t size = 0;
  const char json[] =
      "{\"england-and-wales\": {\"division\": \"england-and-wales\", "
      "\"events\": [{\"title\": \"Tellus Day\", \"date\": \"2031-06-04\", "
      "\"notes\": \"\", \"bunting\": true}]}}";
  const char not_json[] = "{\"england-and-wales\": [";

  CHECK_OK(tellus_calendar_new(&ew, NULL));
  CHECK_OK(tellus_calendar_new(&scotland, "Scotland"));
  CHECK_FAILS(tellus_calendar_new(&untouched, "atlantis"),
              TELLUS_E_INVALID_ARGUMENT, "atlantis");
  CHECK(untouched == (tellus_calendar*)&failures); /* not written on failure */
  CHECK_FAILS(tellus_calendar_new(NULL, NULL), TELLUS_E_INVALID_ARGUMENT,
              "out is NULL");

  /* Working days: the coronation bank holiday of 2023 (England and Wales
   * only), St Andrew's Day (Scotland only). */
  CHECK_OK(tellus_is_working_day(&flag, NULL, 20230508));
  CHECK(flag == 0);
  CHECK_OK(tellus_is_working_day(&flag, ew, 20230509));
  CHECK(flag == 1);
  CHECK_OK(tellus_is_working_day(&flag, ew, 20230506)); /* Saturday */
  CHECK(flag == 0);
  CHECK_OK(tellus_is_holiday(&flag, ew, 20230508));
  CHECK(flag == 1);
  CHECK_OK(tellus_is_holiday(&flag, ew, 20230506));
  CHECK(flag == 0);
  CHECK_OK(tellus_is_holiday(&flag, scotland, 20231130));
  CHECK(flag == 1);
  CHECK_OK(tellus_is_holiday(&flag, ew, 20231130));
  CHECK(flag == 0);
  CHECK_FAILS(tellus_is_working_day(&flag, ew, 20230230),
              TELLUS_E_INVALID_ARGUMENT, "20230230 is not a date");
  CHECK_FAILS(tellus_is_working_day(&flag, ew, 0), TELLUS_E_INVALID_ARGUMENT,
              "is not a date");
  CHECK_FAILS(tellus_is_working_day(&flag, ew, -20230101),
              TELLUS_E_INVALID_ARGUMENT, "is not a date");
  CHECK_FAILS(tellus_is_holiday(NULL, ew, 20230508), TELLUS_E_INVALID_ARGUMENT,
              "out is NULL");
  CHECK_FAILS(tellus_is_holiday(&flag, ew, 20231301), TELLUS_E_INVALID_ARGUMENT,
              "is not a date");

  CHECK_OK(tellus_add_working_days(&day, ew, 20230505, 1));
  CHECK(day == 20230509);
  CHECK_OK(tellus_add_working_days(&day, NULL, 20230509, -1));
  CHECK(day == 20230505);
  CHECK_OK(tellus_add_working_days(&day, ew, 20230506, 0));
  CHECK(day == 20230506);
  CHECK_FAILS(tellus_add_working_days(&day, ew, 20230505, 100001),
              TELLUS_E_INVALID_ARGUMENT, "100001");
  CHECK_FAILS(tellus_add_working_days(&day, ew, 99991230, 10),
              TELLUS_E_INVALID_ARGUMENT, "outside years 1 to 9999");
  CHECK_FAILS(tellus_add_working_days(&day, ew, 20231232, 1),
              TELLUS_E_INVALID_ARGUMENT, "is not a date");
  CHECK_FAILS(tellus_add_working_days(NULL, ew, 20230505, 1),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");

  CHECK_OK(tellus_working_days_between(&day, ew, 20230505, 20230512));
  CHECK(day == 4); /* 9, 10, 11, 12 May */
  CHECK_OK(tellus_working_days_between(&day, ew, 20230512, 20230505));
  CHECK(day == 0);
  CHECK_FAILS(tellus_working_days_between(&day, ew, 2023055, 20230512),
              TELLUS_E_INVALID_ARGUMENT, "from 2023055");
  CHECK_FAILS(tellus_working_days_between(&day, ew, 20230505, 20239999),
              TELLUS_E_INVALID_ARGUMENT, "to 20239999");
  CHECK_FAILS(tellus_working_days_between(NULL, ew, 20230505, 20230512),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");

  /* Eight bank holidays in England and Wales in 2022, with the Queen's
   * funeral and the jubilee changes: HolidayList { repeated holidays = 1 }. */
  CHECK_OK(tellus_calendar_holidays(&bytes, &size, ew, 2023));
  CHECK(CountField(bytes, size, 1) == 9); /* 8 + the coronation */
  tellus_buffer_free(bytes);
  bytes = NULL;
  CHECK_FAILS(tellus_calendar_holidays(&bytes, &size, ew, 0),
              TELLUS_E_INVALID_ARGUMENT, "year 0");
  CHECK_FAILS(tellus_calendar_holidays(&bytes, NULL, ew, 2023),
              TELLUS_E_INVALID_ARGUMENT, "out_size is NULL");
  CHECK_FAILS(tellus_calendar_holidays(NULL, &size, ew, 2023),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");

  /* GOV.UK JSON extends (or replaces) the rules. */
  CHECK_OK(tellus_calendar_from_govuk_json(&extended, json, strlen(json),
                                           "england-and-wales",
                                           TELLUS_HOLIDAYS_EXTEND));
  CHECK_OK(tellus_is_holiday(&flag, extended, 20310604));
  CHECK(flag == 1);
  CHECK_OK(tellus_is_holiday(&flag, extended, 20310505)); /* May Day kept */
  CHECK(flag == 1);
  tellus_calendar_free(extended);
  extended = NULL;
  CHECK_OK(tellus_calendar_from_govuk_json(&extended, json, strlen(json), NULL,
                                           TELLUS_HOLIDAYS_REPLACE));
  CHECK_OK(tellus_is_holiday(&flag, extended, 20310505)); /* 2031 replaced */
  CHECK(flag == 0);
  tellus_calendar_free(extended);
  extended = NULL;
  CHECK_FAILS(
      tellus_calendar_from_govuk_json(&extended, not_json, strlen(not_json),
                                      NULL, TELLUS_HOLIDAYS_EXTEND),
      TELLUS_E_INVALID_ARGUMENT, NULL);
  CHECK_FAILS(
      tellus_calendar_from_govuk_json(&extended, json, strlen(json), "scotland",
                                      TELLUS_HOLIDAYS_EXTEND),
      TELLUS_E_INVALID_ARGUMENT, "scotland");
  CHECK_FAILS(tellus_calendar_from_govuk_json(&extended, json, strlen(json),
                                              "mars", TELLUS_HOLIDAYS_EXTEND),
              TELLUS_E_INVALID_ARGUMENT, "mars");
  CHECK_FAILS(
      tellus_calendar_from_govuk_json(&extended, json, strlen(json), NULL, 7),
      TELLUS_E_INVALID_ARGUMENT, "merge 7");
  CHECK_FAILS(tellus_calendar_from_govuk_json(&extended, NULL, 10, NULL,
                                              TELLUS_HOLIDAYS_EXTEND),
              TELLUS_E_INVALID_ARGUMENT, "json is NULL");
  CHECK_FAILS(tellus_calendar_from_govuk_json(NULL, json, strlen(json), NULL,
                                              TELLUS_HOLIDAYS_EXTEND),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK(extended == NULL);

  tellus_calendar_free(scotland);
  tellus_calendar_free(ew);
}

static void TestDueDates(void) {
  int32_t due = 0;
  int on_time = -1;
  Buf policy = {{0}, 0}, stage = {{0}, 0};
  const unsigned char garbage[] = {0xff, 0xff, 0xff, 0xff};

  /* C1: received 2 May 2023; the acknowledgement is due on 10 May (8 May is
   * the coronation), and, acknowledged on 3 May, the response on 18 May. */
  CHECK_OK(tellus_acknowledgement_due(&due, NULL, NULL, 0, TELLUS_STAGE_1,
                                      20230502));
  CHECK(due == 20230510);
  CHECK_OK(tellus_response_due(&due, NULL, NULL, 0, TELLUS_STAGE_1, 20230502,
                               20230503));
  CHECK(due == 20230518);
  CHECK_OK(tellus_response_due(&due, NULL, NULL, 0, TELLUS_STAGE_1, 20230502,
                               0)); /* from the acknowledgement's due date */
  CHECK(due == 20230524);
  /* C3: due 18 July, answered 28 July within the extension to 1 August. */
  CHECK_OK(tellus_responded_on_time(&on_time, NULL, NULL, 0, TELLUS_STAGE_1,
                                    20230718, 20230728, 20230801));
  CHECK(on_time == 1);
  CHECK_OK(tellus_responded_on_time(&on_time, NULL, NULL, 0, TELLUS_STAGE_1,
                                    20230718, 20230728, 0));
  CHECK(on_time == 0);

  /* A policy of 1 acknowledgement day at stage 1:
   * TimescalePolicy { stage1 = 1 { acknowledge_days = 1, respond_days = 2,
   * max_extension_days = 3 } }. */
  PutInt(&stage, 1, 1);
  PutInt(&stage, 2, 10);
  PutInt(&stage, 3, 10);
  PutMessage(&policy, 1, &stage);
  CHECK_OK(tellus_acknowledgement_due(&due, NULL, policy.data, policy.size,
                                      TELLUS_STAGE_1, 20230502));
  CHECK(due == 20230503);
  /* Stage 2 keeps the Code's 5 days. */
  CHECK_OK(tellus_acknowledgement_due(&due, NULL, policy.data, policy.size,
                                      TELLUS_STAGE_2, 20230502));
  CHECK(due == 20230510);

  /* Errors: a negative number of days, garbage, truncated bytes, a NULL
   * policy with a size, a bad stage or date. */
  stage.size = 0;
  policy.size = 0;
  PutInt(&stage, 1, -1);
  PutMessage(&policy, 1, &stage);
  CHECK_FAILS(tellus_acknowledgement_due(&due, NULL, policy.data, policy.size,
                                         TELLUS_STAGE_1, 20230502),
              TELLUS_E_INVALID_ARGUMENT, NULL);
  CHECK_FAILS(tellus_acknowledgement_due(&due, NULL, garbage, sizeof garbage,
                                         TELLUS_STAGE_1, 20230502),
              TELLUS_E_MALFORMED, "tellus.v1.TimescalePolicy");
  CHECK_FAILS(tellus_response_due(&due, NULL, policy.data, policy.size - 1,
                                  TELLUS_STAGE_1, 20230502, 0),
              TELLUS_E_MALFORMED, "policy");
  CHECK_FAILS(tellus_responded_on_time(&on_time, NULL, NULL, 3, TELLUS_STAGE_1,
                                       20230718, 20230728, 0),
              TELLUS_E_INVALID_ARGUMENT, "policy is NULL");
  CHECK_FAILS(tellus_acknowledgement_due(&due, NULL, NULL, 0, 3, 20230502),
              TELLUS_E_INVALID_ARGUMENT, "stage 3");
  CHECK_FAILS(tellus_response_due(&due, NULL, NULL, 0, 0, 20230502, 0),
              TELLUS_E_INVALID_ARGUMENT, "stage 0");
  CHECK_FAILS(tellus_responded_on_time(&on_time, NULL, NULL, 0, -1, 20230718,
                                       20230728, 0),
              TELLUS_E_INVALID_ARGUMENT, "stage -1");
  CHECK_FAILS(
      tellus_acknowledgement_due(&due, NULL, NULL, 0, TELLUS_STAGE_1, 20230231),
      TELLUS_E_INVALID_ARGUMENT, "start 20230231");
  CHECK_FAILS(tellus_response_due(&due, NULL, NULL, 0, TELLUS_STAGE_1, 20230502,
                                  20230532),
              TELLUS_E_INVALID_ARGUMENT, "acknowledged 20230532");
  CHECK_FAILS(tellus_response_due(&due, NULL, NULL, 0, TELLUS_STAGE_1, 5, 0),
              TELLUS_E_INVALID_ARGUMENT, "start 5");
  CHECK_FAILS(tellus_responded_on_time(&on_time, NULL, NULL, 0, TELLUS_STAGE_1,
                                       1, 20230728, 0),
              TELLUS_E_INVALID_ARGUMENT, "due 1");
  CHECK_FAILS(tellus_responded_on_time(&on_time, NULL, NULL, 0, TELLUS_STAGE_1,
                                       20230718, 2, 0),
              TELLUS_E_INVALID_ARGUMENT, "responded 2");
  CHECK_FAILS(tellus_responded_on_time(&on_time, NULL, NULL, 0, TELLUS_STAGE_1,
                                       20230718, 20230728, 3),
              TELLUS_E_INVALID_ARGUMENT, "extended_to 3");
  CHECK_FAILS(
      tellus_acknowledgement_due(NULL, NULL, NULL, 0, TELLUS_STAGE_1, 20230502),
      TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK_FAILS(
      tellus_response_due(NULL, NULL, NULL, 0, TELLUS_STAGE_1, 20230502, 0),
      TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK_FAILS(tellus_responded_on_time(NULL, NULL, NULL, 0, TELLUS_STAGE_1,
                                       20230718, 20230728, 0),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
}

static void TestCaseFold(void) {
  Buf c = ComplaintCase("C1", 0);
  Buf broken = ComplaintCase("C1", 1);
  void* folded = NULL;
  size_t size = 0;
  const unsigned char* stage1 = NULL;
  size_t stage1_size = 0;
  const unsigned char garbage[] = {0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f};

  /* FoldedCase { status = 3, stage1 = 6 { responded_on_time = 8 } }. */
  CHECK_OK(
      tellus_case_fold(&folded, &size, c.data, c.size, NULL, NULL, 0, NULL));
  CHECK(VarintField(folded, size, 3) == 3); /* STAGE_1_RESPONDED */
  CHECK(FindField(folded, size, 6, 0, NULL, &stage1, &stage1_size));
  CHECK(VarintField(stage1, stage1_size, 7) == 1); /* acknowledged on time */
  CHECK(VarintField(stage1, stage1_size, 8) == 1); /* responded on time */
  CHECK(VarintField(stage1, stage1_size, 4) == 1); /* OUTCOME_UPHELD */
  CHECK(!FindField(folded, size, 16, 0, NULL, NULL, NULL)); /* no as_of */
  tellus_buffer_free(folded);
  folded = NULL;

  /* As of 5 May the response is not known yet. */
  CHECK_OK(tellus_case_fold(&folded, &size, c.data, c.size, NULL, NULL, 0,
                            "2023-05-05"));
  CHECK(VarintField(folded, size, 3) == 2); /* AWAITING_STAGE_1 */
  CHECK(FindField(folded, size, 16, 0, NULL, NULL, NULL));
  tellus_buffer_free(folded);
  folded = NULL;
  CHECK_OK(tellus_case_fold(&folded, &size, c.data, c.size, NULL, NULL, 0,
                            "2023-05-12T12:00:00+01:00"));
  CHECK(VarintField(folded, size, 3) == 3);
  tellus_buffer_free(folded);
  folded = NULL;

  CHECK_FAILS(tellus_case_fold(&folded, &size, broken.data, broken.size, NULL,
                               NULL, 0, NULL),
              TELLUS_E_INVALID_ARGUMENT, "C1");
  CHECK_FAILS(tellus_case_fold(&folded, &size, c.data, c.size, NULL, NULL, 0,
                               "yesterday"),
              TELLUS_E_INVALID_ARGUMENT, "as-of 'yesterday'");
  CHECK_FAILS(tellus_case_fold(&folded, &size, garbage, sizeof garbage, NULL,
                               NULL, 0, NULL),
              TELLUS_E_MALFORMED, "tellus.v1.Case");
  CHECK_FAILS(
      tellus_case_fold(&folded, &size, c.data, c.size - 3, NULL, NULL, 0, NULL),
      TELLUS_E_MALFORMED, "truncated");
  CHECK_FAILS(tellus_case_fold(&folded, &size, c.data, c.size, NULL, garbage,
                               sizeof garbage, NULL),
              TELLUS_E_MALFORMED, "policy");
  CHECK_FAILS(tellus_case_fold(&folded, &size, NULL, 0, NULL, NULL, 0, NULL),
              TELLUS_E_INVALID_ARGUMENT, "case_bytes is NULL");
  CHECK_FAILS(
      tellus_case_fold(&folded, NULL, c.data, c.size, NULL, NULL, 0, NULL),
      TELLUS_E_INVALID_ARGUMENT, "out_size is NULL");
  CHECK_FAILS(
      tellus_case_fold(NULL, &size, c.data, c.size, NULL, NULL, 0, NULL),
      TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  /* An empty message is a case without a reference. */
  CHECK_FAILS(tellus_case_fold(&folded, &size, c.data, 0, NULL, NULL, 0, NULL),
              TELLUS_E_INVALID_ARGUMENT, NULL);
  CHECK(folded == NULL);
}

/* Builds the report of `ds` for 2023/24 as of 30 June 2024. */
static int Report(const tellus_dataset* ds, void** out, size_t* size) {
  Buf settings = Settings("2023/24", "2024-06-30");
  return tellus_report_build(out, size, ds, settings.data, settings.size, 1);
}

static void TestDatasetFromCsv(void) {
  tellus_dataset* ds = NULL;
  tellus_dataset* untouched = (tellus_dataset*)&failures;
  size_t cases = 0, interactions = 0, size = 0;
  void* bytes = NULL;
  const unsigned char* cases_summary = NULL;
  size_t cases_summary_size = 0;

  CHECK_OK(tellus_dataset_from_csv(&ds, cases_csv, interactions_csv));
  CHECK_OK(tellus_dataset_size(&cases, &interactions, ds));
  CHECK(cases == 5);
  CHECK(interactions == 6);
  CHECK_OK(tellus_dataset_size(NULL, NULL, ds));

  /* ImportSummary { cases = 1 { read = 2, accepted = 3, rejected = 4 } } */
  CHECK_OK(tellus_dataset_summary(&bytes, &size, ds));
  CHECK(
      FindField(bytes, size, 1, 0, NULL, &cases_summary, &cases_summary_size));
  CHECK(VarintField(cases_summary, cases_summary_size, 2) == 16);
  CHECK(VarintField(cases_summary, cases_summary_size, 3) == 5);
  CHECK(VarintField(cases_summary, cases_summary_size, 4) == 11);
  tellus_buffer_free(bytes);
  bytes = NULL;

  /* RejectList { repeated Reject rejects = 1 }: 11 cases, 4 interactions. */
  CHECK_OK(tellus_dataset_rejects(&bytes, &size, ds));
  CHECK(CountField(bytes, size, 1) == 15);
  tellus_buffer_free(bytes);
  bytes = NULL;

  CHECK_FAILS(tellus_dataset_summary(&bytes, &size, NULL),
              TELLUS_E_INVALID_ARGUMENT, "dataset is NULL");
  CHECK_FAILS(tellus_dataset_summary(&bytes, NULL, ds),
              TELLUS_E_INVALID_ARGUMENT, "out_size is NULL");
  CHECK_FAILS(tellus_dataset_summary(NULL, &size, ds),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK_FAILS(tellus_dataset_rejects(&bytes, &size, NULL),
              TELLUS_E_INVALID_ARGUMENT, "dataset is NULL");
  CHECK_FAILS(tellus_dataset_rejects(&bytes, NULL, ds),
              TELLUS_E_INVALID_ARGUMENT, "out_size is NULL");
  CHECK_FAILS(tellus_dataset_rejects(NULL, &size, ds),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK_FAILS(tellus_dataset_size(&cases, &interactions, NULL),
              TELLUS_E_INVALID_ARGUMENT, "dataset is NULL");
  tellus_dataset_free(ds);
  ds = NULL;

  /* Cases only. */
  CHECK_OK(tellus_dataset_from_csv(&ds, cases_csv, NULL));
  CHECK_OK(tellus_dataset_size(&cases, &interactions, ds));
  CHECK(cases == 5 && interactions == 0);
  tellus_dataset_free(ds);
  ds = NULL;

  CHECK_FAILS(tellus_dataset_from_csv(&untouched, "no-such-cases.csv", NULL),
              TELLUS_E_NOT_FOUND, "no-such-cases.csv");
  CHECK(untouched == (tellus_dataset*)&failures);
  CHECK_FAILS(tellus_dataset_from_csv(&ds, cases_csv, "no-such-file.csv"),
              TELLUS_E_NOT_FOUND, "no-such-file.csv");
  CHECK_FAILS(tellus_dataset_from_csv(&ds, interactions_csv, NULL),
              TELLUS_E_INVALID_ARGUMENT, "column");
  CHECK_FAILS(tellus_dataset_from_csv(&ds, data_dir, NULL),
              TELLUS_E_FAILED_PRECONDITION, "Is a directory");
  CHECK_FAILS(tellus_dataset_from_csv(&ds, NULL, NULL),
              TELLUS_E_INVALID_ARGUMENT, "cases_path is NULL");
  CHECK_FAILS(tellus_dataset_from_csv(NULL, cases_csv, NULL),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK(ds == NULL);
}

static void TestDatasetFromCsvBuffers(void) {
  const char cases[] =
      "case_ref,type,received,directorate,service\n"
      "C1,complaint,2023-05-02,Housing,Repairs\n"
      "C2,complaint,2023-02-30,Housing,Repairs\n";
  const char interactions[] =
      "interaction_id,at,channel,directorate,service,kind,case_ref\n"
      "I1,2023-05-03T10:00:00,phone,Housing,Repairs,follow_up,C1\n";
  tellus_dataset* ds = NULL;
  size_t n_cases = 0, n_interactions = 0, size = 0;
  void* bytes = NULL;
  const unsigned char* reject = NULL;
  const unsigned char* text = NULL;
  size_t reject_size = 0, text_size = 0;

  CHECK_OK(tellus_dataset_from_csv_buffers(&ds, cases, strlen(cases),
                                           interactions, strlen(interactions)));
  CHECK_OK(tellus_dataset_size(&n_cases, &n_interactions, ds));
  CHECK(n_cases == 1 && n_interactions == 1);
  /* Reject { file = 1, line = 2 } */
  CHECK_OK(tellus_dataset_rejects(&bytes, &size, ds));
  CHECK(CountField(bytes, size, 1) == 1);
  CHECK(FindField(bytes, size, 1, 0, NULL, &reject, &reject_size));
  CHECK(VarintField(reject, reject_size, 2) == 3);
  CHECK(FindField(reject, reject_size, 1, 0, NULL, &text, &text_size));
  CHECK(text_size == 7 && memcmp(text, "<cases>", 7) == 0);
  tellus_buffer_free(bytes);
  tellus_dataset_free(ds);
  ds = NULL;

  CHECK_OK(tellus_dataset_from_csv_buffers(&ds, cases, strlen(cases), NULL, 0));
  tellus_dataset_free(ds);
  ds = NULL;
  CHECK_FAILS(
      tellus_dataset_from_csv_buffers(&ds, cases, strlen(cases), NULL, 5),
      TELLUS_E_INVALID_ARGUMENT, "interactions_csv is NULL");
  CHECK_FAILS(tellus_dataset_from_csv_buffers(&ds, "", 0, NULL, 0),
              TELLUS_E_INVALID_ARGUMENT, "<cases>");
  CHECK_FAILS(tellus_dataset_from_csv_buffers(&ds, "a,b\n\"open", 9, NULL, 0),
              TELLUS_E_INVALID_ARGUMENT, NULL);
  CHECK_FAILS(tellus_dataset_from_csv_buffers(&ds, NULL, 0, NULL, 0),
              TELLUS_E_INVALID_ARGUMENT, "cases_csv is NULL");
  CHECK_FAILS(
      tellus_dataset_from_csv_buffers(NULL, cases, strlen(cases), NULL, 0),
      TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK(ds == NULL);
}

static void TestDatasetFromBuffers(void) {
  Buf case_list = {{0}, 0}, bad_list = {{0}, 0}, dup_list = {{0}, 0};
  Buf interaction_list = {{0}, 0}, interaction = {{0}, 0};
  Buf bad_interactions = {{0}, 0}, no_kind = {{0}, 0};
  Buf c1 = ComplaintCase("C1", 0), broken = ComplaintCase("C9", 1);
  tellus_dataset* ds = NULL;
  size_t n_cases = 0, n_interactions = 0, size = 0;
  void* bytes = NULL;
  void* report = NULL;
  const unsigned char garbage[] = {0x0a, 0x80};

  PutMessage(&case_list, 1, &c1);
  /* Interaction { id = 1, at = 2, directorate = 4, kind = 6, case_ref = 8 } */
  PutString(&interaction, 1, "I1");
  PutDate(&interaction, 2, 2023, 5, 4);
  PutString(&interaction, 4, "Housing");
  PutInt(&interaction, 6, 5); /* FOLLOW_UP */
  PutString(&interaction, 8, "C1");
  PutMessage(&interaction_list, 1, &interaction);

  CHECK_OK(tellus_dataset_from_buffers(&ds, case_list.data, case_list.size,
                                       interaction_list.data,
                                       interaction_list.size));
  CHECK_OK(tellus_dataset_size(&n_cases, &n_interactions, ds));
  CHECK(n_cases == 1 && n_interactions == 1);
  CHECK_OK(tellus_dataset_summary(&bytes, &size, ds));
  CHECK(VarintField(bytes, size, 3) == -1); /* no unlinked interaction */
  tellus_buffer_free(bytes);
  bytes = NULL;
  CHECK_OK(tellus_dataset_rejects(&bytes, &size, ds));
  CHECK(size == 0);
  tellus_buffer_free(bytes);
  bytes = NULL;
  CHECK_OK(Report(ds, &report, &size));
  tellus_buffer_free(report);
  tellus_dataset_free(ds);
  ds = NULL;

  /* Empty inputs make an empty data set. */
  CHECK_OK(tellus_dataset_from_buffers(&ds, NULL, 0, NULL, 0));
  CHECK_OK(tellus_dataset_size(&n_cases, &n_interactions, ds));
  CHECK(n_cases == 0 && n_interactions == 0);
  tellus_dataset_free(ds);
  ds = NULL;

  PutMessage(&bad_list, 1, &c1);
  PutMessage(&bad_list, 1, &broken);
  CHECK_FAILS(
      tellus_dataset_from_buffers(&ds, bad_list.data, bad_list.size, NULL, 0),
      TELLUS_E_INVALID_ARGUMENT, "case C9");
  PutMessage(&dup_list, 1, &c1);
  PutMessage(&dup_list, 1, &c1);
  CHECK_FAILS(
      tellus_dataset_from_buffers(&ds, dup_list.data, dup_list.size, NULL, 0),
      TELLUS_E_INVALID_ARGUMENT, "already used");
  PutString(&no_kind, 1, "I2");
  PutDate(&no_kind, 2, 2023, 5, 4);
  PutMessage(&bad_interactions, 1, &no_kind);
  CHECK_FAILS(
      tellus_dataset_from_buffers(&ds, case_list.data, case_list.size,
                                  bad_interactions.data, bad_interactions.size),
      TELLUS_E_INVALID_ARGUMENT, "interaction I2");
  bad_interactions.size = 0;
  PutMessage(&bad_interactions, 1, &interaction);
  PutMessage(&bad_interactions, 1, &interaction);
  CHECK_FAILS(
      tellus_dataset_from_buffers(&ds, case_list.data, case_list.size,
                                  bad_interactions.data, bad_interactions.size),
      TELLUS_E_INVALID_ARGUMENT, "interaction I1: the id is already");
  bad_interactions.size = 0;
  no_kind.size = 0;
  PutInt(&no_kind, 6, 1);
  PutMessage(&bad_interactions, 1, &no_kind);
  CHECK_FAILS(
      tellus_dataset_from_buffers(&ds, case_list.data, case_list.size,
                                  bad_interactions.data, bad_interactions.size),
      TELLUS_E_INVALID_ARGUMENT, "interaction without an id");
  CHECK_FAILS(
      tellus_dataset_from_buffers(&ds, garbage, sizeof garbage, NULL, 0),
      TELLUS_E_MALFORMED, "tellus.v1.CaseList");
  CHECK_FAILS(tellus_dataset_from_buffers(&ds, case_list.data,
                                          case_list.size - 1, NULL, 0),
              TELLUS_E_MALFORMED, "cases");
  CHECK_FAILS(tellus_dataset_from_buffers(&ds, case_list.data, case_list.size,
                                          garbage, sizeof garbage),
              TELLUS_E_MALFORMED, "tellus.v1.InteractionList");
  CHECK_FAILS(tellus_dataset_from_buffers(&ds, NULL, 4, NULL, 0),
              TELLUS_E_INVALID_ARGUMENT, "cases is NULL");
  CHECK_FAILS(tellus_dataset_from_buffers(&ds, NULL, 0, NULL, 4),
              TELLUS_E_INVALID_ARGUMENT, "interactions is NULL");
  CHECK_FAILS(tellus_dataset_from_buffers(NULL, NULL, 0, NULL, 0),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK(ds == NULL);
}

/* Writes `size` bytes to `dir`/`name`. */
static int WriteFile(const char* dir, const char* name, const void* data,
                     size_t size) {
  char path[1200];
  FILE* f;
  int ok;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "wb");
  if (f == NULL) return 0;
  ok = fwrite(data, 1, size, f) == size;
  return fclose(f) == 0 && ok;
}

static void RemoveFile(const char* dir, const char* name) {
  char path[1200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  remove(path);
}

static void TestDatasetFromDataDir(void) {
  char dir[] = "/tmp/tellus_c_api_test_XXXXXX";
  Buf stream = {{0}, 0}, c1 = ComplaintCase("C1", 0);
  Buf broken = ComplaintCase("C9", 1);
  tellus_dataset* ds = NULL;
  size_t n_cases = 0, n_interactions = 0;

  if (mkdtemp(dir) == NULL) {
    fprintf(stderr, "cannot create a temporary directory\n");
    ++failures;
    return;
  }
  /* A length-delimited stream: each Case preceded by its size. */
  PutVarint(&stream, c1.size);
  memcpy(stream.data + stream.size, c1.data, c1.size);
  stream.size += c1.size;
  CHECK(WriteFile(dir, "cases.binpb", stream.data, stream.size));
  CHECK(WriteFile(dir, "interactions.binpb", "", 0));
  CHECK_OK(tellus_dataset_from_data_dir(&ds, dir));
  CHECK_OK(tellus_dataset_size(&n_cases, &n_interactions, ds));
  CHECK(n_cases == 1 && n_interactions == 0);
  tellus_dataset_free(ds);
  ds = NULL;

  /* A truncated stream, then an invalid case, fail the whole read. */
  CHECK(WriteFile(dir, "cases.binpb", stream.data, stream.size - 2));
  CHECK_FAILS(tellus_dataset_from_data_dir(&ds, dir), TELLUS_E_MALFORMED,
              "cases.binpb");
  stream.size = 0;
  PutVarint(&stream, broken.size);
  memcpy(stream.data + stream.size, broken.data, broken.size);
  stream.size += broken.size;
  CHECK(WriteFile(dir, "cases.binpb", stream.data, stream.size));
  CHECK_FAILS(tellus_dataset_from_data_dir(&ds, dir), TELLUS_E_INVALID_ARGUMENT,
              "C9");

  RemoveFile(dir, "cases.binpb");
  RemoveFile(dir, "interactions.binpb");
  CHECK_FAILS(tellus_dataset_from_data_dir(&ds, dir), TELLUS_E_NOT_FOUND, NULL);
  rmdir(dir);
  CHECK_FAILS(tellus_dataset_from_data_dir(&ds, dir), TELLUS_E_NOT_FOUND, NULL);
  CHECK_FAILS(tellus_dataset_from_data_dir(&ds, NULL),
              TELLUS_E_INVALID_ARGUMENT, "dir is NULL");
  CHECK_FAILS(tellus_dataset_from_data_dir(NULL, dir),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK(ds == NULL);
}

static void TestReport(const tellus_dataset* ds) {
  void* report = NULL;
  size_t size = 0, text_size = 0;
  char* text = NULL;
  Buf settings = Settings("2023/24", "2024-06-30");
  Buf early = Settings("2023/24", "2024-03-30");
  Buf bad_period = Settings("2023/25", NULL);
  Buf homes = Settings("2023/24", "2024-06-30");
  const unsigned char garbage[] = {0x12, 0x7f, 0x00};

  CHECK_OK(
      tellus_report_build(&report, &size, ds, settings.data, settings.size, 0));
  CHECK(size > 0);
  /* AnnualReport { repeated Metric metrics = 4 } */
  CHECK(CountField(report, size, 4) > 10);

  CHECK_OK(tellus_report_render(&text, &text_size, report, size,
                                TELLUS_FORMAT_JSON));
  CHECK(text_size == strlen(text));
  CHECK(strstr(text, "\"complaints_received\"") != NULL);
  CHECK(strstr(text, "\"2023/24\"") != NULL);
  tellus_buffer_free(text);
  text = NULL;
  CHECK_OK(tellus_report_render(&text, NULL, report, size, TELLUS_FORMAT_TEXT));
  CHECK(strstr(text, "2023/24") != NULL);
  tellus_buffer_free(text);
  text = NULL;
  CHECK_OK(tellus_report_render(&text, &text_size, report, size,
                                TELLUS_FORMAT_MARKDOWN));
  CHECK(text[0] == '#');
  tellus_buffer_free(text);
  text = NULL;
  CHECK_OK(tellus_report_render(&text, &text_size, report, size,
                                TELLUS_FORMAT_HTML));
  CHECK(strstr(text, "<html") != NULL && strstr(text, "<svg") != NULL);
  CHECK(text_size == strlen(text));
  tellus_buffer_free(text);
  text = NULL;

  CHECK_FAILS(tellus_report_render(&text, &text_size, report, size, 99),
              TELLUS_E_INVALID_ARGUMENT, "format 99");
  CHECK_FAILS(tellus_report_render(&text, &text_size, garbage, sizeof garbage,
                                   TELLUS_FORMAT_JSON),
              TELLUS_E_MALFORMED, "tellus.v1.AnnualReport");
  CHECK_FAILS(tellus_report_render(&text, &text_size, report, size / 2,
                                   TELLUS_FORMAT_JSON),
              TELLUS_E_MALFORMED, "report");
  CHECK_FAILS(
      tellus_report_render(&text, &text_size, NULL, 0, TELLUS_FORMAT_JSON),
      TELLUS_E_INVALID_ARGUMENT, "report is NULL");
  CHECK_FAILS(
      tellus_report_render(NULL, &text_size, report, size, TELLUS_FORMAT_JSON),
      TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK(text == NULL);
  tellus_buffer_free(report);
  report = NULL;

  /* CH01 with homes: ReportSettings { homes = 4 }. */
  PutInt(&homes, 4, 12000);
  CHECK_OK(tellus_report_build(&report, &size, ds, homes.data, homes.size, 1));
  tellus_buffer_free(report);
  report = NULL;
  homes = Settings("2023/24", "2024-06-30");
  PutInt(&homes, 4, -5);
  CHECK_FAILS(
      tellus_report_build(&report, &size, ds, homes.data, homes.size, 1),
      TELLUS_E_INVALID_ARGUMENT, "homes -5");

  CHECK_FAILS(
      tellus_report_build(&report, &size, ds, early.data, early.size, 1),
      TELLUS_E_INVALID_ARGUMENT, "before the end of the period");
  CHECK_FAILS(tellus_report_build(&report, &size, ds, bad_period.data,
                                  bad_period.size, 1),
              TELLUS_E_INVALID_ARGUMENT, "2023/25");
  CHECK_FAILS(tellus_report_build(&report, &size, ds, NULL, 0, 1),
              TELLUS_E_INVALID_ARGUMENT, "period");
  CHECK_FAILS(
      tellus_report_build(&report, &size, ds, garbage, sizeof garbage, 1),
      TELLUS_E_MALFORMED, "tellus.v1.ReportSettings");
  CHECK_FAILS(tellus_report_build(&report, &size, ds, settings.data,
                                  settings.size - 1, 1),
              TELLUS_E_MALFORMED, "settings");
  CHECK_FAILS(tellus_report_build(&report, &size, ds, NULL, 12, 1),
              TELLUS_E_INVALID_ARGUMENT, "settings is NULL");
  CHECK_FAILS(
      tellus_report_build(&report, &size, ds, settings.data, settings.size, -1),
      TELLUS_E_INVALID_ARGUMENT, "threads -1");
  CHECK_FAILS(tellus_report_build(&report, &size, ds, settings.data,
                                  settings.size, 5000),
              TELLUS_E_INVALID_ARGUMENT, "threads 5000");
  CHECK_FAILS(tellus_report_build(&report, &size, NULL, settings.data,
                                  settings.size, 1),
              TELLUS_E_INVALID_ARGUMENT, "dataset is NULL");
  CHECK_FAILS(
      tellus_report_build(&report, NULL, ds, settings.data, settings.size, 1),
      TELLUS_E_INVALID_ARGUMENT, "out_size is NULL");
  CHECK_FAILS(
      tellus_report_build(NULL, &size, ds, settings.data, settings.size, 1),
      TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK(report == NULL);
}

static void TestPartials(const tellus_dataset* ds) {
  Buf settings = Settings("2023/24", "2024-06-30");
  Buf other_as_of = Settings("2023/24", "2024-07-31");
  Buf other_period = Settings("2022/23", NULL);
  Buf publish = {{0}, 0};
  size_t n_cases = 0, n_interactions = 0, size = 0, report_size = 0;
  size_t merged_size = 0;
  tellus_partial* whole = NULL;
  tellus_partial* first = NULL;
  tellus_partial* second = NULL;
  tellus_partial* third = NULL;
  tellus_partial* later = NULL;
  tellus_partial* read = NULL;
  tellus_partial* untouched = (tellus_partial*)&failures;
  void* bytes = NULL;
  void* report = NULL;
  void* merged_report = NULL;
  int equal = -1;
  const unsigned char garbage[] = {0x22, 0x05, 0x01};

  CHECK_OK(tellus_dataset_size(&n_cases, &n_interactions, ds));
  CHECK_OK(tellus_partial_compute(&whole, ds, settings.data, settings.size, 2));

  /* Three slices of the rows merge into the partial of all of them. */
  CHECK_OK(tellus_partial_compute_rows(&first, ds, settings.data, settings.size,
                                       0, n_cases / 2, 0, 1));
  CHECK_OK(tellus_partial_compute_rows(&second, ds, settings.data,
                                       settings.size, n_cases / 2, n_cases, 1,
                                       n_interactions - 1));
  CHECK_OK(tellus_partial_compute_rows(&third, ds, settings.data, settings.size,
                                       n_cases, n_cases, n_interactions - 1,
                                       n_interactions));
  CHECK_OK(tellus_partial_equal(&equal, first, whole));
  CHECK(equal == 0);
  CHECK_OK(tellus_partial_merge(first, second));
  CHECK_OK(tellus_partial_merge(first, third));
  CHECK_OK(tellus_partial_equal(&equal, first, whole));
  CHECK(equal == 1);

  /* The report of the merged partial is the report of the data set. */
  CHECK_OK(Report(ds, &report, &report_size));
  CHECK_OK(tellus_partial_report(&merged_report, &merged_size, first,
                                 settings.data, settings.size));
  CHECK(merged_size == report_size &&
        memcmp(merged_report, report, report_size) == 0);
  tellus_buffer_free(merged_report);
  merged_report = NULL;
  /* Report-only settings may differ; no settings at all are fine too. */
  PutInt(&publish, 6, 1);
  CHECK_OK(tellus_partial_report(&merged_report, &merged_size, first,
                                 publish.data, publish.size));
  tellus_buffer_free(merged_report);
  merged_report = NULL;
  CHECK_OK(tellus_partial_report(&merged_report, &merged_size, first, NULL, 0));
  CHECK(merged_size == report_size);
  tellus_buffer_free(merged_report);
  merged_report = NULL;

  /* Serialized and read back. */
  CHECK_OK(tellus_partial_serialize(&bytes, &size, first));
  CHECK_OK(tellus_partial_deserialize(&read, bytes, size));
  CHECK_OK(tellus_partial_equal(&equal, read, whole));
  CHECK(equal == 1);
  CHECK_FAILS(tellus_partial_deserialize(&untouched, bytes, size - 1),
              TELLUS_E_MALFORMED, "tellus.v1.PartialAggregate");
  CHECK(untouched == (tellus_partial*)&failures);
  tellus_buffer_free(bytes);
  bytes = NULL;
  CHECK_FAILS(tellus_partial_deserialize(&read, garbage, sizeof garbage),
              TELLUS_E_MALFORMED, "partial");
  /* Well-formed bytes of a future format: PartialAggregate {
   * format_version = 2 }. */
  CHECK_FAILS(tellus_partial_deserialize(&read, "\x08\x02", 2),
              TELLUS_E_INVALID_ARGUMENT, "format version 2");
  CHECK_FAILS(tellus_partial_deserialize(&read, NULL, 0),
              TELLUS_E_INVALID_ARGUMENT, "bytes is NULL");
  CHECK_FAILS(tellus_partial_deserialize(NULL, settings.data, settings.size),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");

  /* Merging with itself doubles every counter. */
  CHECK_OK(tellus_partial_merge(read, read));
  CHECK_OK(tellus_partial_equal(&equal, read, whole));
  CHECK(equal == 0);

  /* Partials under different settings do not merge. */
  CHECK_OK(tellus_partial_compute(&later, ds, other_as_of.data,
                                  other_as_of.size, 1));
  CHECK_OK(tellus_partial_equal(&equal, later, whole));
  CHECK(equal == 0);
  CHECK_FAILS(tellus_partial_merge(whole, later), TELLUS_E_FAILED_PRECONDITION,
              "different settings");
  CHECK_OK(tellus_partial_equal(&equal, first, whole)); /* unchanged */
  CHECK(equal == 1);
  CHECK_FAILS(tellus_partial_report(&merged_report, &merged_size, whole,
                                    other_period.data, other_period.size),
              TELLUS_E_INVALID_ARGUMENT, "2022/23");

  /* Errors. */
  CHECK_FAILS(tellus_partial_compute_rows(&untouched, ds, settings.data,
                                          settings.size, 0, n_cases + 1, 0, 0),
              TELLUS_E_INVALID_ARGUMENT, "cases [0,");
  CHECK_FAILS(tellus_partial_compute_rows(&untouched, ds, settings.data,
                                          settings.size, 2, 1, 0, 0),
              TELLUS_E_INVALID_ARGUMENT, "cases [2, 1)");
  CHECK_FAILS(
      tellus_partial_compute_rows(&untouched, ds, settings.data, settings.size,
                                  0, 0, 0, n_interactions + 1),
      TELLUS_E_INVALID_ARGUMENT, "interactions [0,");
  CHECK_FAILS(tellus_partial_compute_rows(&untouched, ds, settings.data,
                                          settings.size, 0, 0, 1, 0),
              TELLUS_E_INVALID_ARGUMENT, "interactions [1, 0)");
  CHECK_FAILS(tellus_partial_compute_rows(&untouched, ds, garbage,
                                          sizeof garbage, 0, 0, 0, 0),
              TELLUS_E_MALFORMED, "settings");
  CHECK_FAILS(tellus_partial_compute_rows(&untouched, ds, other_period.data,
                                          other_period.size - 1, 0, 0, 0, 0),
              TELLUS_E_MALFORMED, "settings");
  CHECK_FAILS(tellus_partial_compute_rows(&untouched, ds, NULL, 0, 0, 0, 0, 0),
              TELLUS_E_INVALID_ARGUMENT, "period");
  CHECK_FAILS(tellus_partial_compute_rows(&untouched, NULL, settings.data,
                                          settings.size, 0, 0, 0, 0),
              TELLUS_E_INVALID_ARGUMENT, "dataset is NULL");
  CHECK_FAILS(tellus_partial_compute_rows(NULL, ds, settings.data,
                                          settings.size, 0, 0, 0, 0),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK_FAILS(
      tellus_partial_compute(&untouched, ds, settings.data, settings.size, -2),
      TELLUS_E_INVALID_ARGUMENT, "threads -2");
  CHECK_FAILS(tellus_partial_compute(&untouched, ds,
                                     "\x0a\x07"
                                     "2023/25",
                                     9, 1),
              TELLUS_E_INVALID_ARGUMENT, "2023/25");
  CHECK_FAILS(
      tellus_partial_compute(&untouched, ds, garbage, sizeof garbage, 1),
      TELLUS_E_MALFORMED, "settings");
  CHECK_FAILS(
      tellus_partial_compute(&untouched, NULL, settings.data, settings.size, 1),
      TELLUS_E_INVALID_ARGUMENT, "dataset is NULL");
  CHECK_FAILS(tellus_partial_compute(NULL, ds, settings.data, settings.size, 1),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK(untouched == (tellus_partial*)&failures);
  CHECK_FAILS(tellus_partial_merge(NULL, whole), TELLUS_E_INVALID_ARGUMENT,
              "into is NULL");
  CHECK_FAILS(tellus_partial_merge(whole, NULL), TELLUS_E_INVALID_ARGUMENT,
              "other is NULL");
  CHECK_FAILS(tellus_partial_equal(&equal, NULL, whole),
              TELLUS_E_INVALID_ARGUMENT, "a is NULL");
  CHECK_FAILS(tellus_partial_equal(&equal, whole, NULL),
              TELLUS_E_INVALID_ARGUMENT, "b is NULL");
  CHECK_FAILS(tellus_partial_equal(NULL, whole, whole),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK_FAILS(tellus_partial_serialize(&bytes, &size, NULL),
              TELLUS_E_INVALID_ARGUMENT, "partial is NULL");
  CHECK_FAILS(tellus_partial_serialize(&bytes, NULL, whole),
              TELLUS_E_INVALID_ARGUMENT, "out_size is NULL");
  CHECK_FAILS(tellus_partial_serialize(NULL, &size, whole),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK_FAILS(tellus_partial_report(&merged_report, &merged_size, whole,
                                    garbage, sizeof garbage),
              TELLUS_E_MALFORMED, "settings");
  CHECK_FAILS(tellus_partial_report(&merged_report, &merged_size, NULL,
                                    settings.data, settings.size),
              TELLUS_E_INVALID_ARGUMENT, "partial is NULL");
  CHECK_FAILS(tellus_partial_report(&merged_report, NULL, whole, settings.data,
                                    settings.size),
              TELLUS_E_INVALID_ARGUMENT, "out_size is NULL");
  CHECK_FAILS(tellus_partial_report(NULL, &merged_size, whole, settings.data,
                                    settings.size),
              TELLUS_E_INVALID_ARGUMENT, "out is NULL");
  CHECK(bytes == NULL && merged_report == NULL);

  tellus_buffer_free(report);
  tellus_partial_free(later);
  tellus_partial_free(read);
  tellus_partial_free(third);
  tellus_partial_free(second);
  tellus_partial_free(first);
  tellus_partial_free(whole);
}

/* Threads share one data set to build reports; each sees its own errors. */
typedef struct {
  const tellus_dataset* ds;
  const void* expected;
  size_t expected_size;
  int fail;
  int ok;
} ThreadWork;

static void* ReportThread(void* arg) {
  ThreadWork* w = (ThreadWork*)arg;
  int i;
  w->ok = 1;
  for (i = 0; i < 3; ++i) {
    void* report = NULL;
    size_t size = 0;
    if (w->fail) {
      Buf bad = Settings("2023/26", NULL);
      if (tellus_report_build(&report, &size, w->ds, bad.data, bad.size, 1) !=
              TELLUS_E_INVALID_ARGUMENT ||
          strstr(tellus_last_error(), "2023/26") == NULL) {
        w->ok = 0;
      }
    } else if (Report(w->ds, &report, &size) != TELLUS_OK ||
               size != w->expected_size ||
               memcmp(report, w->expected, size) != 0 ||
               tellus_last_error()[0] != '\0') {
      w->ok = 0;
    }
    tellus_buffer_free(report);
  }
  return NULL;
}

static void TestThreads(const tellus_dataset* ds) {
  enum { kThreads = 4 };
  pthread_t threads[kThreads];
  ThreadWork work[kThreads];
  void* expected = NULL;
  size_t expected_size = 0;
  int i;

  CHECK_OK(Report(ds, &expected, &expected_size));
  for (i = 0; i < kThreads; ++i) {
    work[i].ds = ds;
    work[i].expected = expected;
    work[i].expected_size = expected_size;
    work[i].fail = i == 0;
    work[i].ok = 0;
    CHECK(pthread_create(&threads[i], NULL, ReportThread, &work[i]) == 0);
  }
  for (i = 0; i < kThreads; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(work[i].ok);
  }
  tellus_buffer_free(expected);
}

/* The store's learning records and listings: the learning fixture
 * (tests/data/learning) imported into a new store, then its restrictions, a
 * question set, the digest, a team's compliments and the restrictions in
 * force, with their error paths. */
static void TestStoreLearning(void) {
  char dir[] = "/tmp/tellus_c_api_store_XXXXXX";
  char path[1200], fixture[1200];
  tellus_store* store = NULL;
  void* bytes = NULL;
  size_t size = 0;
  char* text = NULL;
  int added = -1;
  Buf set = {{0}, 0}, question = {{0}, 0};

  if (mkdtemp(dir) == NULL) {
    fprintf(stderr, "cannot create a temporary directory\n");
    ++failures;
    return;
  }
  snprintf(path, sizeof path, "%s/council.db", dir);
  snprintf(fixture, sizeof fixture, "%s/learning", TELLUS_TEST_DATA_DIR);
  CHECK_OK(tellus_store_open(&store, path, 1, -1));
  if (store == NULL) return;
  CHECK_OK(tellus_store_import_data_dir(&bytes, &size, store, fixture, 0));
  /* StoreImportSummary.restrictions (11) { added = 1 }: 5 new. */
  {
    const unsigned char* counts = NULL;
    size_t counts_size = 0;
    CHECK(FindField(bytes, size, 11, 0, NULL, &counts, &counts_size));
    CHECK(VarintField(counts, counts_size, 1) == 5);
  }
  tellus_buffer_free(bytes);

  /* The latest version of each: RestrictionList { restrictions = 1 }. */
  CHECK_OK(tellus_store_get_restrictions(&bytes, &size, store));
  CHECK(CountField(bytes, size, 1) == 5);
  /* The same again adds nothing: StoreImportCounts { present = 2 }. */
  {
    void* again = NULL;
    size_t again_size = 0;
    CHECK_OK(
        tellus_store_add_restrictions(&again, &again_size, store, bytes, size));
    CHECK(VarintField(again, again_size, 2) == 5);
    tellus_buffer_free(again);
  }
  tellus_buffer_free(bytes);
  CHECK_FAILS(tellus_store_add_restrictions(&bytes, &size, store, "\xff", 1),
              TELLUS_E_MALFORMED, "restrictions");

  /* QuestionSet { id = 1, version = 2, questions = 4 { id = 1, text = 2 } } */
  PutString(&set, 1, "lessons-learnt");
  PutInt(&set, 2, 1);
  PutString(&question, 1, "what_went_wrong");
  PutString(&question, 2, "What went wrong?");
  PutMessage(&set, 4, &question);
  CHECK_OK(tellus_store_put_question_set(&added, store, set.data, set.size));
  CHECK(added == 1);
  CHECK_OK(tellus_store_put_question_set(&added, store, set.data, set.size));
  CHECK(added == 0);
  PutString(&set, 3, "Lessons Learnt"); /* other content, same version */
  CHECK_FAILS(tellus_store_put_question_set(&added, store, set.data, set.size),
              TELLUS_E_FAILED_PRECONDITION, "already held with other content");

  CHECK_OK(tellus_store_digest(&text, &size, store, "Housing", 202401, 0,
                               TELLUS_FORMAT_TEXT));
  CHECK(text != NULL && strstr(text, "L1 #4   Audit open jobs") != NULL);
  CHECK(text != NULL && strlen(text) == size);
  tellus_buffer_free(text);
  text = NULL;
  CHECK_OK(tellus_store_compliments(&text, NULL, store, NULL, "Repairs North",
                                    "2023/24", TELLUS_FORMAT_MARKDOWN));
  CHECK(text != NULL && strstr(text, "2 compliments received") != NULL);
  tellus_buffer_free(text);
  text = NULL;
  CHECK_OK(tellus_store_restrictions_in_force(&text, &size, store, 20240630,
                                              TELLUS_FORMAT_TEXT));
  CHECK(text != NULL &&
        strstr(text, "3 restrictions in force; 2 reviews overdue.") != NULL);
  tellus_buffer_free(text);
  text = NULL;

  CHECK_FAILS(tellus_store_digest(&text, &size, store, "Housing", 202401, 0,
                                  TELLUS_FORMAT_JSON),
              TELLUS_E_INVALID_ARGUMENT, "TELLUS_FORMAT_TEXT");
  CHECK_FAILS(tellus_store_digest(&text, &size, store, "Housing", 2024, 0,
                                  TELLUS_FORMAT_TEXT),
              TELLUS_E_INVALID_ARGUMENT, "yyyymm");
  CHECK_FAILS(tellus_store_compliments(&text, &size, store, "", "", "2023/24",
                                       TELLUS_FORMAT_TEXT),
              TELLUS_E_INVALID_ARGUMENT, "team");
  CHECK_FAILS(tellus_store_restrictions_in_force(&text, &size, store, 0,
                                                 TELLUS_FORMAT_TEXT),
              TELLUS_E_INVALID_ARGUMENT, "yyyymmdd");
  CHECK_FAILS(tellus_store_restrictions_in_force(NULL, &size, store, 20240630,
                                                 TELLUS_FORMAT_TEXT),
              TELLUS_E_INVALID_ARGUMENT, "out");
  CHECK(text == NULL);

  tellus_store_free(store);
  RemoveFile(dir, "council.db");
  RemoveFile(dir, "council.db-wal");
  RemoveFile(dir, "council.db-shm");
  rmdir(dir);
}

int main(void) {
  tellus_dataset* messy = NULL;

  snprintf(data_dir, sizeof data_dir, "%s/messy", TELLUS_TEST_DATA_DIR);
  snprintf(cases_csv, sizeof cases_csv, "%s/cases.csv", data_dir);
  snprintf(interactions_csv, sizeof interactions_csv, "%s/interactions.csv",
           data_dir);

  TestVersion();
  TestErrorsAndBuffers();
  TestCalendar();
  TestDueDates();
  TestCaseFold();
  TestDatasetFromCsv();
  TestDatasetFromCsvBuffers();
  TestDatasetFromBuffers();
  TestDatasetFromDataDir();
  TestStoreLearning();

  CHECK_OK(tellus_dataset_from_csv(&messy, cases_csv, interactions_csv));
  if (messy != NULL) {
    TestReport(messy);
    TestPartials(messy);
    TestThreads(messy);
  }
  tellus_dataset_free(messy);

  if (failures != 0) {
    fprintf(stderr, "c_api_test: %d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api_test: tellus %s passed\n", tellus_version());
  return 0;
}

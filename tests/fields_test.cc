#include "tellus/fields.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tellus {
namespace {

using ::testing::HasSubstr;

absl::Time Utc(int y, int m, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, mi, s),
                         absl::UTCTimeZone());
}

TEST(TrimSpacesTest, TrimsOnlySpaces) {
  EXPECT_EQ(TrimSpaces("  a b  "), "a b");
  EXPECT_EQ(TrimSpaces("   "), "");
  EXPECT_EQ(TrimSpaces(""), "");
  EXPECT_EQ(TrimSpaces("\ta\t"), "\ta\t");
  EXPECT_EQ(TrimSpaces("x"), "x");
}

TEST(ParseDateTest, IsoForm) {
  EXPECT_EQ(ParseDate("2023-06-14").value(), absl::CivilDay(2023, 6, 14));
  EXPECT_EQ(ParseDate(" 2024-02-29 ").value(), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(ParseDate("2000-02-29").value(), absl::CivilDay(2000, 2, 29));
  EXPECT_EQ(ParseDate("0001-01-01").value(), absl::CivilDay(1, 1, 1));
  EXPECT_EQ(ParseDate("9999-12-31").value(), absl::CivilDay(9999, 12, 31));
}

TEST(ParseDateTest, DayMonthYearForm) {
  EXPECT_EQ(ParseDate("14/6/2023").value(), absl::CivilDay(2023, 6, 14));
  EXPECT_EQ(ParseDate("1/2/2023").value(), absl::CivilDay(2023, 2, 1));
  EXPECT_EQ(ParseDate("01/02/2023").value(), absl::CivilDay(2023, 2, 1));
  EXPECT_EQ(ParseDate("31/12/2023").value(), absl::CivilDay(2023, 12, 31));
  EXPECT_EQ(ParseDate("29/2/2024").value(), absl::CivilDay(2024, 2, 29));
}

TEST(ParseDateTest, NeverMonthFirst) {
  // 13 is not a month, so "6/13/2023" (US order) is an error, and "2/1/2023"
  // is the 2nd of January.
  EXPECT_FALSE(ParseDate("6/13/2023").ok());
  EXPECT_EQ(ParseDate("2/1/2023").value(), absl::CivilDay(2023, 1, 2));
}

TEST(ParseDateTest, ImpossibleDatesAreErrors) {
  for (const char* text :
       {"31/02/2023", "29/02/2023", "2023-13-01", "2023-00-10", "2023-01-00",
        "2023-04-31", "1900-02-29", "0/1/2023", "1/0/2023", "0000-01-01",
        "32/1/2023"}) {
    absl::StatusOr<absl::CivilDay> day = ParseDate(text);
    ASSERT_FALSE(day.ok()) << text;
    EXPECT_EQ(day.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(day.status().message(), HasSubstr(text));
    EXPECT_THAT(day.status().message(), HasSubstr("not a calendar date"))
        << text;
  }
}

TEST(ParseDateTest, MalformedDatesAreErrors) {
  for (const char* text :
       {"", "2023-6-14", "2023/06/14", "14/06/23", "14-06-2023", "123/1/2023",
        "1/123/2023", "14/06/02023", "2023-06-14x", "x2023-06-14",
        "2023-06-14T10:00", "14 June 2023", "//", "1//2023", "+1/1/2023",
        "2023-0a-14", "14/06/2023 "}) {
    absl::StatusOr<absl::CivilDay> day = ParseDate(text);
    if (std::string(text) == "14/06/2023 ") {
      EXPECT_TRUE(day.ok()) << "trailing spaces are trimmed";
      continue;
    }
    ASSERT_FALSE(day.ok()) << text;
    EXPECT_THAT(day.status().message(),
                HasSubstr("expected YYYY-MM-DD or D/M/YYYY"))
        << text;
  }
}

TEST(ParseDateOrDateTimeTest, DateOnly) {
  EventTime t = ParseDateOrDateTime("2023-06-14").value();
  EXPECT_EQ(t, EventTime::OnDate(absl::CivilDay(2023, 6, 14)));
  t = ParseDateOrDateTime("1/4/2024").value();
  EXPECT_EQ(t, EventTime::OnDate(absl::CivilDay(2024, 4, 1)));
  EXPECT_THAT(ParseDateOrDateTime("31/02/2023").status().message(),
              HasSubstr("not a calendar date"));
}

TEST(ParseDateOrDateTimeTest, LocalWinterAndSummer) {
  // GMT in winter, BST (UTC+1) in summer.
  EventTime t = ParseDateOrDateTime("2023-01-14T10:32:00").value();
  EXPECT_EQ(t.at, Utc(2023, 1, 14, 10, 32));
  EXPECT_EQ(t.date, absl::CivilDay(2023, 1, 14));
  t = ParseDateOrDateTime("2023-06-14T10:32:00").value();
  EXPECT_EQ(t.at, Utc(2023, 6, 14, 9, 32));
  EXPECT_EQ(t.date, absl::CivilDay(2023, 6, 14));
  // Just after midnight BST is still the previous day in UTC.
  t = ParseDateOrDateTime("2023-06-14 00:15").value();
  EXPECT_EQ(t.at, Utc(2023, 6, 13, 23, 15));
  EXPECT_EQ(t.date, absl::CivilDay(2023, 6, 14));
}

TEST(ParseDateOrDateTimeTest, Forms) {
  const absl::Time want = Utc(2023, 6, 14, 9, 32, 0);
  for (const char* text :
       {"2023-06-14T10:32", "2023-06-14T10:32:00", "2023-06-14 10:32",
        "2023-06-14 10:32:00", "  2023-06-14T10:32:00  ",
        "2023-06-14T09:32:00Z", "2023-06-14T09:32Z", "2023-06-14T10:32+01:00",
        "2023-06-14 11:32:00+02:00", "2023-06-14T04:02:00-05:30",
        "2023-06-14T09:32:00+00:00", "2023-06-14T09:32:00-00:00"}) {
    absl::StatusOr<EventTime> t = ParseDateOrDateTime(text);
    ASSERT_TRUE(t.ok()) << text << ": " << t.status();
    EXPECT_EQ(t->at, want) << text;
    EXPECT_EQ(t->date, absl::CivilDay(2023, 6, 14)) << text;
  }
  EXPECT_EQ(ParseDateOrDateTime("2023-06-14T10:32:59").value().at,
            Utc(2023, 6, 14, 9, 32, 59));
}

TEST(ParseDateOrDateTimeTest, SpringForwardGap) {
  // 2024-03-31: clocks go from 01:00 GMT to 02:00 BST. A time in the gap is
  // read as if the clocks had not changed yet.
  EXPECT_EQ(ParseDateOrDateTime("2024-03-31T01:30").value().at,
            Utc(2024, 3, 31, 1, 30));
  EXPECT_EQ(ParseDateOrDateTime("2024-03-31T00:59:59").value().at,
            Utc(2024, 3, 31, 0, 59, 59));
  EXPECT_EQ(ParseDateOrDateTime("2024-03-31T02:00").value().at,
            Utc(2024, 3, 31, 1, 0));
  EXPECT_EQ(ParseDateOrDateTime("2024-03-31T12:00").value().at,
            Utc(2024, 3, 31, 11, 0));
  EXPECT_EQ(ParseDateOrDateTime("2024-03-31T01:30").value().date,
            absl::CivilDay(2024, 3, 31));
}

TEST(ParseDateOrDateTimeTest, AutumnOverlap) {
  // 2024-10-27: clocks go back from 02:00 BST to 01:00 GMT; 01:30 happens
  // twice and is the first of the two.
  EXPECT_EQ(ParseDateOrDateTime("2024-10-27T01:30").value().at,
            Utc(2024, 10, 27, 0, 30));
  EXPECT_EQ(ParseDateOrDateTime("2024-10-27T00:30").value().at,
            Utc(2024, 10, 26, 23, 30));
  EXPECT_EQ(ParseDateOrDateTime("2024-10-27T00:30").value().date,
            absl::CivilDay(2024, 10, 27));
  EXPECT_EQ(ParseDateOrDateTime("2024-10-27T02:00").value().at,
            Utc(2024, 10, 27, 2, 0));
  EXPECT_EQ(ParseDateOrDateTime("2024-10-27T23:00").value().at,
            Utc(2024, 10, 27, 23, 0));
}

TEST(ParseDateOrDateTimeTest, LondonDateOfUtcTimes) {
  EventTime t = ParseDateOrDateTime("2024-03-31T23:30:00Z").value();
  EXPECT_EQ(t.at, Utc(2024, 3, 31, 23, 30));
  EXPECT_EQ(t.date, absl::CivilDay(2024, 4, 1));
  // Winter: UTC and London agree.
  t = ParseDateOrDateTime("2024-01-31T23:30:00Z").value();
  EXPECT_EQ(t.date, absl::CivilDay(2024, 1, 31));
  // On the change days themselves.
  t = ParseDateOrDateTime("2024-03-31T00:30:00Z").value();
  EXPECT_EQ(t.date, absl::CivilDay(2024, 3, 31));
  t = ParseDateOrDateTime("2024-03-30T23:30:00Z").value();
  EXPECT_EQ(t.date, absl::CivilDay(2024, 3, 30));
  t = ParseDateOrDateTime("2024-10-26T23:30:00Z").value();
  EXPECT_EQ(t.date, absl::CivilDay(2024, 10, 27));
  t = ParseDateOrDateTime("2024-10-27T23:30:00Z").value();
  EXPECT_EQ(t.date, absl::CivilDay(2024, 10, 27));
  // An offset far from London's moves the date.
  t = ParseDateOrDateTime("2024-07-01T08:00:00+09:00").value();
  EXPECT_EQ(t.at, Utc(2024, 6, 30, 23, 0));
  EXPECT_EQ(t.date, absl::CivilDay(2024, 7, 1));
  t = ParseDateOrDateTime("2024-07-01T07:00:00+09:00").value();
  EXPECT_EQ(t.date, absl::CivilDay(2024, 6, 30));
}

TEST(ParseDateOrDateTimeTest, FarFutureAndPast) {
  // Beyond the zone's table of transitions the clocks still change by rule.
  for (const char* text :
       {"4148-03-31T23:30:00Z", "4148-03-31T00:30:00Z", "2400-10-31T00:30Z",
        "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1800-06-01T12:00Z"}) {
    absl::StatusOr<EventTime> t = ParseDateOrDateTime(text);
    ASSERT_TRUE(t.ok()) << text;
    EXPECT_EQ(t->date, LondonDate(*t->at)) << text;
  }
  const std::pair<const char*, absl::CivilSecond> local[] = {
      {"4148-03-31T23:30:00", absl::CivilSecond(4148, 3, 31, 23, 30, 0)},
      {"4148-10-27T01:30", absl::CivilSecond(4148, 10, 27, 1, 30, 0)},
      {"9999-12-31T23:59:59", absl::CivilSecond(9999, 12, 31, 23, 59, 59)},
      {"1800-06-01T12:00", absl::CivilSecond(1800, 6, 1, 12, 0, 0)},
  };
  for (const auto& [text, civil] : local) {
    absl::StatusOr<EventTime> t = ParseDateOrDateTime(text);
    ASSERT_TRUE(t.ok()) << text;
    EXPECT_EQ(t->date, absl::CivilDay(civil)) << text;
    EXPECT_EQ(t->at, London().At(civil).pre) << text;
  }
}

// The per-day cache must agree with the time zone on every minute of a few
// years, in both directions, including both change days of each year.
TEST(ParseDateOrDateTimeTest, AgreesWithTimeZoneEveryQuarterHour) {
  const absl::TimeZone& london = London();
  for (absl::CivilMinute m(2023, 1, 1, 0, 0); m < absl::CivilMinute(2026, 1, 1);
       m += 15) {
    const std::string local = absl::FormatCivilTime(m);  // 2023-01-01T00:00
    absl::StatusOr<EventTime> t = ParseDateOrDateTime(local);
    ASSERT_TRUE(t.ok()) << local;
    ASSERT_EQ(t->at, london.At(absl::CivilSecond(m)).pre) << local;
    ASSERT_EQ(t->date, absl::CivilDay(m)) << local;

    const absl::Time instant = absl::FromCivil(m, absl::UTCTimeZone());
    absl::StatusOr<EventTime> u = ParseDateOrDateTime(local + ":00Z");
    ASSERT_TRUE(u.ok()) << local;
    ASSERT_EQ(u->at, instant) << local;
    ASSERT_EQ(u->date, LondonDate(instant)) << local << "Z";
  }
}

// The offset cache is shared: threads filling it at once must still agree
// with the time zone.
TEST(ParseDateOrDateTimeTest, ThreadsAgreeWithTimeZone) {
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([k, &wrong] {
      // Days far apart that share cache slots (1024 days apart).
      for (int i = 0; i < 4000; ++i) {
        const absl::CivilMinute m = absl::CivilMinute(2000 + k, 1, 1, 0, 0) +
                                    int64_t{i} * 1024 * 24 * 60 / 7 + i * 37;
        const std::string local = absl::FormatCivilTime(m);
        absl::StatusOr<EventTime> t = ParseDateOrDateTime(local);
        if (!t.ok() || t->at != London().At(absl::CivilSecond(m)).pre ||
            t->date != absl::CivilDay(m)) {
          ++wrong;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(ParseDateOrDateTimeTest, MalformedDateTimesAreErrors) {
  for (const char* text : {"2023-06-14T",
                           "2023-06-14T10",
                           "2023-06-14T10:3",
                           "2023-06-14T1:30",
                           "2023-06-14t10:30",
                           "2023-06-14T10:30z",
                           "2023-06-14T10:30:0",
                           "2023-06-14T10:30:00.000",
                           "2023-06-14T10:30:00+01",
                           "2023-06-14T10:30:00+0100",
                           "2023-06-14T10:30:00 Z",
                           "2023-06-14T10:30:00+01:00x",
                           "2023-06-14T10:30:00+1:00",
                           "14/06/2023 10:30",
                           "2023-06-14  10:30",
                           "2023-06-14T10-30",
                           "2023-06-14T10:30:00+24:00",
                           "2023-06-14T10:30:00+01:60",
                           "garbage",
                           "20230614T103000"}) {
    absl::StatusOr<EventTime> t = ParseDateOrDateTime(text);
    ASSERT_FALSE(t.ok()) << text;
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(t.status().message(), HasSubstr(text));
    EXPECT_THAT(t.status().message(), HasSubstr("YYYY-MM-DDTHH:MM")) << text;
  }
}

TEST(ParseDateOrDateTimeTest, ImpossibleTimesAreErrors) {
  for (const char* text : {"2023-06-14T24:00", "2023-06-14T10:60",
                           "2023-06-14T10:30:60", "2023-06-14T99:99"}) {
    absl::StatusOr<EventTime> t = ParseDateOrDateTime(text);
    ASSERT_FALSE(t.ok()) << text;
    EXPECT_THAT(t.status().message(), HasSubstr("not a time of day")) << text;
  }
  for (const char* text : {"2023-02-29T10:00", "2023-13-01T10:00Z"}) {
    absl::StatusOr<EventTime> t = ParseDateOrDateTime(text);
    ASSERT_FALSE(t.ok()) << text;
    EXPECT_THAT(t.status().message(), HasSubstr("not a calendar date")) << text;
  }
}

TEST(NormalizeEnumTest, SpacesHyphensUnderscoresAlike) {
  EXPECT_EQ(NormalizeEnum("Partly Upheld"), "partly_upheld");
  EXPECT_EQ(NormalizeEnum(" partly-upheld "), "partly_upheld");
  EXPECT_EQ(NormalizeEnum("PARTLY_UPHELD"), "partly_upheld");
  EXPECT_EQ(NormalizeEnum("Caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(EnumTest, CaseType) {
  EXPECT_EQ(ParseCaseType("complaint").value(), v1::CASE_TYPE_COMPLAINT);
  EXPECT_EQ(ParseCaseType("Compliment").value(), v1::CASE_TYPE_COMPLIMENT);
  EXPECT_EQ(ParseCaseType(" ENQUIRY ").value(), v1::CASE_TYPE_ENQUIRY);
  absl::StatusOr<v1::CaseType> bad = ParseCaseType("inquiry");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "'inquiry' is not a case type (expected one of: complaint, "
            "compliment, enquiry)");
}

TEST(EnumTest, Channel) {
  EXPECT_EQ(ParseChannel("phone").value(), v1::CHANNEL_PHONE);
  EXPECT_EQ(ParseChannel("Email").value(), v1::CHANNEL_EMAIL);
  EXPECT_EQ(ParseChannel("web").value(), v1::CHANNEL_WEB);
  EXPECT_EQ(ParseChannel("letter").value(), v1::CHANNEL_LETTER);
  EXPECT_EQ(ParseChannel("In Person").value(), v1::CHANNEL_IN_PERSON);
  EXPECT_EQ(ParseChannel("in-person").value(), v1::CHANNEL_IN_PERSON);
  EXPECT_EQ(ParseChannel("Social Media").value(), v1::CHANNEL_SOCIAL_MEDIA);
  EXPECT_EQ(ParseChannel("other").value(), v1::CHANNEL_OTHER);
  EXPECT_FALSE(ParseChannel("inperson").ok());
  EXPECT_FALSE(ParseChannel("in  person").ok());
  EXPECT_FALSE(ParseChannel("").ok());
  EXPECT_THAT(ParseChannel("fax").status().message(),
              HasSubstr("phone, email, web, letter, in_person, social_media, "
                        "other"));
}

TEST(EnumTest, Outcome) {
  EXPECT_EQ(ParseOutcome("Upheld").value(), v1::OUTCOME_UPHELD);
  EXPECT_EQ(ParseOutcome("Partly Upheld").value(), v1::OUTCOME_PARTLY_UPHELD);
  EXPECT_EQ(ParseOutcome("not-upheld").value(), v1::OUTCOME_NOT_UPHELD);
  EXPECT_THAT(ParseOutcome("partially upheld").status().message(),
              HasSubstr("upheld, partly_upheld, not_upheld"));
}

TEST(EnumTest, OmbudsmanBody) {
  EXPECT_EQ(ParseOmbudsmanBody("LGSCO").value(), v1::OMBUDSMAN_BODY_LGSCO);
  EXPECT_EQ(ParseOmbudsmanBody("hos").value(), v1::OMBUDSMAN_BODY_HOS);
  EXPECT_THAT(ParseOmbudsmanBody("lgo").status().message(),
              HasSubstr("lgsco, hos"));
}

TEST(EnumTest, OmbudsmanDecisionEveryValue) {
  const std::pair<const char*, v1::OmbudsmanDecision> cases[] = {
      {"premature", v1::OMBUDSMAN_DECISION_PREMATURE},
      {"Closed after initial enquiries",
       v1::OMBUDSMAN_DECISION_CLOSED_AFTER_INITIAL_ENQUIRIES},
      {"upheld", v1::OMBUDSMAN_DECISION_UPHELD},
      {"upheld_satisfactory_remedy",
       v1::OMBUDSMAN_DECISION_UPHELD_SATISFACTORY_REMEDY},
      {"Not Upheld", v1::OMBUDSMAN_DECISION_NOT_UPHELD},
      {"no maladministration", v1::OMBUDSMAN_DECISION_NO_MALADMINISTRATION},
      {"Service-Failure", v1::OMBUDSMAN_DECISION_SERVICE_FAILURE},
      {"maladministration", v1::OMBUDSMAN_DECISION_MALADMINISTRATION},
      {"severe maladministration",
       v1::OMBUDSMAN_DECISION_SEVERE_MALADMINISTRATION},
      {"redress", v1::OMBUDSMAN_DECISION_REDRESS},
      {"outside jurisdiction", v1::OMBUDSMAN_DECISION_OUTSIDE_JURISDICTION},
      {"Withdrawn", v1::OMBUDSMAN_DECISION_WITHDRAWN},
  };
  for (const auto& [text, want] : cases) {
    absl::StatusOr<v1::OmbudsmanDecision> got = ParseOmbudsmanDecision(text);
    ASSERT_TRUE(got.ok()) << text << ": " << got.status();
    EXPECT_EQ(*got, want) << text;
  }
  absl::StatusOr<v1::OmbudsmanDecision> bad = ParseOmbudsmanDecision("fault");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("'fault'"));
  EXPECT_THAT(bad.status().message(),
              HasSubstr("premature, closed_after_initial_enquiries, upheld, "
                        "upheld_satisfactory_remedy, not_upheld, "
                        "no_maladministration, service_failure, "
                        "maladministration, severe_maladministration, "
                        "redress, outside_jurisdiction, withdrawn"));
}

TEST(EnumTest, InteractionKind) {
  EXPECT_EQ(ParseInteractionKind("contact").value(),
            v1::INTERACTION_KIND_CONTACT);
  EXPECT_EQ(ParseInteractionKind("Enquiry").value(),
            v1::INTERACTION_KIND_ENQUIRY);
  EXPECT_EQ(ParseInteractionKind("complaint").value(),
            v1::INTERACTION_KIND_COMPLAINT);
  EXPECT_EQ(ParseInteractionKind("compliment").value(),
            v1::INTERACTION_KIND_COMPLIMENT);
  EXPECT_EQ(ParseInteractionKind("Follow Up").value(),
            v1::INTERACTION_KIND_FOLLOW_UP);
  EXPECT_EQ(ParseInteractionKind("follow-up").value(),
            v1::INTERACTION_KIND_FOLLOW_UP);
  EXPECT_FALSE(ParseInteractionKind("followup").ok());
  EXPECT_FALSE(ParseInteractionKind(std::string(100, 'a')).ok());
}

TEST(ParseMoneyPenceTest, ValidAmounts) {
  EXPECT_EQ(ParseMoneyPence("150").value(), 15000);
  EXPECT_EQ(ParseMoneyPence("150.5").value(), 15050);
  EXPECT_EQ(ParseMoneyPence("150.05").value(), 15005);
  EXPECT_EQ(ParseMoneyPence("£1,250.00").value(), 125000);
  EXPECT_EQ(ParseMoneyPence("£1250").value(), 125000);
  EXPECT_EQ(ParseMoneyPence(" £0.99 ").value(), 99);
  EXPECT_EQ(ParseMoneyPence("0").value(), 0);
  EXPECT_EQ(ParseMoneyPence("1,234,567.89").value(), 123456789);
  EXPECT_EQ(ParseMoneyPence("999,999").value(), 99999900);
}

TEST(ParseMoneyPenceTest, InvalidAmounts) {
  for (const char* text :
       {"£12.345", "12.",   ".5",       "",         "£",    "abc",
        "12a",     "1,25",  "12,50.00", "1250,000", ",100", "1,000,",
        "1,,000",  "1.2.3", "£ 5",      "5 £",      "$5",   "5p",
        "1e3",     "+5",    "12.3x",    "1,0000",   "1.-5", "99999999999999"}) {
    absl::StatusOr<int64_t> pence = ParseMoneyPence(text);
    ASSERT_FALSE(pence.ok()) << text << " gave " << *pence;
    EXPECT_THAT(pence.status().message(), HasSubstr(text));
  }
  EXPECT_THAT(ParseMoneyPence("£12.345").status().message(),
              HasSubstr("up to two decimals"));
}

TEST(ParseMoneyPenceTest, NegativeAmounts) {
  for (const char* text : {"-5", "-£5", "£-5", "-1,250.00", "-0.01"}) {
    absl::StatusOr<int64_t> pence = ParseMoneyPence(text);
    ASSERT_FALSE(pence.ok()) << text;
    EXPECT_THAT(pence.status().message(), HasSubstr("negative")) << text;
  }
}

TEST(IsValidUtf8Test, AcceptsWellFormed) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII text longer than eight bytes"));
  EXPECT_TRUE(
      IsValidUtf8("\xC2\xA3"
                  "1,250"));  // £
  EXPECT_TRUE(
      IsValidUtf8("Cr\xC3\xA8me br\xC3\xBBl\xC3\xA9"
                  "e"));
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC"));            // €
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80 smile"));  // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));        // U+10FFFF
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));            // U+D7FF
}

TEST(IsValidUtf8Test, RejectsMalformed) {
  for (const char* text : {
           "\x80",              // lone continuation
           "abc\xC3",           // truncated
           "\xC3(",             // bad continuation
           "\xC0\xAF",          // overlong '/'
           "\xC1\xBF",          // overlong
           "\xE0\x80\xAF",      // overlong
           "\xED\xA0\x80",      // surrogate U+D800
           "\xF0\x80\x80\xAF",  // overlong
           "\xF4\x90\x80\x80",  // above U+10FFFF
           "\xF5\x80\x80\x80",  // invalid lead byte
           "\xFF",
           "long ASCII prefix then \xE2\x82",
       }) {
    EXPECT_FALSE(IsValidUtf8(text)) << text;
  }
  // Latin-1, as a legacy export might hold.
  EXPECT_FALSE(
      IsValidUtf8("\xA3"
                  "150"));
}

}  // namespace
}  // namespace tellus

// formatdate and timeadd (cty's stdlib datetime.go).
#include "functions_test_support.hpp"

using namespace skiff::parser;
using namespace skiff::parser::testing;

namespace {
std::string date(const std::string& format, const std::string& time) {
  return call_ok("formatdate", {S(format), S(time)}).as_string();
}
}  // namespace

TEST_CASE("formatdate spells dates with cty's letters", "[functions]") {
  CHECK(date("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z") == "02 Jan 2018 23:12 UTC");
  CHECK(date("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z") == "Tuesday, 02-Jan-18 23:12:01 UTC");
  CHECK(date("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00") == "Tue, 02 Jan 2018 23:12:01 -0800");
  CHECK(date("MMM DD, YYYY", "2018-01-02T23:12:01Z") == "Jan 02, 2018");
  CHECK(date("HH:mmaa", "2018-01-02T23:12:01Z") == "11:12pm");
  CHECK(date("H:mm AA", "2018-01-02T00:05:01Z") == "12:05 AM");
  CHECK(date("M/D/YY h:m:s", "2009-03-05T04:07:09Z") == "3/5/09 4:7:9");
  CHECK(date("MMMM", "2018-09-02T23:12:01Z") == "September");
  CHECK(date("Z|ZZZZ|ZZZZZ", "2018-01-02T23:12:01+05:30") == "+05:30|+0530|+05:30");
  CHECK(date("Z ZZZ", "2018-01-02T23:12:01+00:00") == "Z UTC");
  CHECK(date("'Date:' YYYY-MM-DD 'o''clock' ''", "2020-02-29T10:00:00.123Z") == "Date: 2020-02-29 o'clock '");
  CHECK(date("EEEE", "2000-01-01T00:00:00Z") == "Saturday");
  CHECK(date("EEE", "1969-12-31T23:59:59Z") == "Wed");
}

TEST_CASE("formatdate errors", "[functions]") {
  CHECK(call_error("formatdate", {S("YYY"), S("2018-01-02T23:12:01Z")}) ==
        "Invalid value for \"format\" parameter: invalid date format verb \"YYY\": year must either be \"YY\" or "
        "\"YYYY\".");
  CHECK(call_error("formatdate", {S("QQ"), S("2018-01-02T23:12:01Z")}) ==
        "Invalid value for \"format\" parameter: invalid date format verb \"QQ\".");
  CHECK(call_error("formatdate", {S("'abc"), S("2018-01-02T23:12:01Z")}) ==
        "Invalid value for \"format\" parameter: unterminated literal '.");
  FunctionFailure bad_time = call_fail("formatdate", {S("YYYY"), S("2018-01-02")});
  CHECK(bad_time.argument == 1);
  CHECK(bad_time.message ==
        "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: missing required time introducer 'T'.");
  CHECK(call_error("formatdate", {S("YYYY"), S("18-01-02T23:12:01Z")}) ==
        "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cannot use \"18-01-02T23:12:01Z\" as "
        "year.");
  CHECK(call_error("formatdate", {S("YYYY"), S("2018-13-02T23:12:01Z")}) ==
        "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: month out of range.");
  CHECK(call_error("formatdate", {S("YYYY"), S("2019-02-29T23:12:01Z")}) ==
        "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: day out of range.");
  CHECK(call_error("formatdate", {S("YYYY"), S("2018-01-02T23:12:01")}) ==
        "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: end of string before UTC offset.");
  CHECK(call_error("formatdate", {S("YYYY"), S("2018-01-02T23:12:01Zjunk")}) ==
        "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: extra text: \"junk\".");
}

TEST_CASE("timeadd adds Go durations", "[functions]") {
  CHECK(call_ok("timeadd", {S("2017-11-22T00:00:00Z"), S("10m")}) == S("2017-11-22T00:10:00Z"));
  CHECK(call_ok("timeadd", {S("2017-11-22T00:00:00Z"), S("-1h")}) == S("2017-11-21T23:00:00Z"));
  CHECK(call_ok("timeadd", {S("2017-11-22T00:00:00Z"), S("1h30m45s")}) == S("2017-11-22T01:30:45Z"));
  CHECK(call_ok("timeadd", {S("2017-11-22T00:00:00Z"), S("1.5h")}) == S("2017-11-22T01:30:00Z"));
  CHECK(call_ok("timeadd", {S("2020-02-28T23:00:00Z"), S("24h")}) == S("2020-02-29T23:00:00Z"));
  CHECK(call_ok("timeadd", {S("2017-12-31T23:59:59+01:00"), S("1s")}) == S("2018-01-01T00:00:00+01:00"));
  CHECK(call_ok("timeadd", {S("2017-11-22T00:00:00.5Z"), S("600ms")}) == S("2017-11-22T00:00:01Z"));
  CHECK(call_ok("timeadd", {S("2017-11-22T00:00:00Z"), S("0")}) == S("2017-11-22T00:00:00Z"));
  CHECK(call_ok("timeadd", {S("2017-11-22T00:00:00Z"), S("1µs")}) == S("2017-11-22T00:00:00Z"));
  CHECK(call_error("timeadd", {S("2017-11-22T00:00:00Z"), S("1d")}) ==
        "Invalid value for \"duration\" parameter: time: unknown unit \"d\" in duration \"1d\".");
  CHECK(call_error("timeadd", {S("2017-11-22T00:00:00Z"), S("10")}) ==
        "Invalid value for \"duration\" parameter: time: missing unit in duration \"10\".");
  CHECK(call_error("timeadd", {S("2017-11-22T00:00:00Z"), S("abc")}) ==
        "Invalid value for \"duration\" parameter: time: invalid duration \"abc\".");
  CHECK(call_fail("timeadd", {S("yesterday"), S("1h")}).argument == 0);
}

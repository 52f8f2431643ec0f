// cidrhost, cidrnetmask, cidrsubnet, cidrsubnets (examples from the
// Terraform/Nomad function documentation).
#include "functions_test_support.hpp"

using namespace skiff::parser;
using namespace skiff::parser::testing;

TEST_CASE("cidrhost numbers hosts within a prefix", "[functions]") {
  CHECK(call_ok("cidrhost", {S("10.12.112.0/20"), N(16)}) == S("10.12.112.16"));
  CHECK(call_ok("cidrhost", {S("10.12.112.0/20"), N(268)}) == S("10.12.113.12"));
  CHECK(call_ok("cidrhost", {S("10.12.127.1/20"), N(1)}) == S("10.12.112.1"));
  CHECK(call_ok("cidrhost", {S("10.0.0.0/8"), N(-1)}) == S("10.255.255.255"));
  CHECK(call_ok("cidrhost", {S("fd00:fd12:3456:7890:00a2::/72"), N(34)}) == S("fd00:fd12:3456:7890::22"));
  CHECK(call_ok("cidrhost", {S("::/0"), N(1)}) == S("::1"));
  CHECK(call_error("cidrhost", {S("10.0.0.0/30"), N(4)}) ==
        "Call to function \"cidrhost\" failed: prefix of 30 does not accommodate a host numbered 4.");
  CHECK(call_error("cidrhost", {S("10.0.0.0"), N(1)}) ==
        "Call to function \"cidrhost\" failed: invalid CIDR expression: invalid CIDR address: 10.0.0.0.");
  CHECK(call_error("cidrhost", {S("10.0.0.256/8"), N(1)}).find("invalid CIDR address") != std::string::npos);
  CHECK(call_error("cidrhost", {S("10.0.0.0/33"), N(1)}).find("invalid CIDR address") != std::string::npos);
}

TEST_CASE("cidrnetmask gives the dotted mask", "[functions]") {
  CHECK(call_ok("cidrnetmask", {S("172.16.0.0/12")}) == S("255.240.0.0"));
  CHECK(call_ok("cidrnetmask", {S("10.0.0.0/32")}) == S("255.255.255.255"));
  CHECK(call_ok("cidrnetmask", {S("10.0.0.0/0")}) == S("0.0.0.0"));
  CHECK(call_ok("cidrnetmask", {S("fd00::/64")}) == S("ffff:ffff:ffff:ffff::"));
}

TEST_CASE("cidrsubnet extends a prefix", "[functions]") {
  CHECK(call_ok("cidrsubnet", {S("172.16.0.0/12"), N(4), N(2)}) == S("172.18.0.0/16"));
  CHECK(call_ok("cidrsubnet", {S("10.1.2.0/24"), N(4), N(15)}) == S("10.1.2.240/28"));
  CHECK(call_ok("cidrsubnet", {S("fd00:fd12:3456:7890::/56"), N(16), N(162)}) == S("fd00:fd12:3456:7800:a200::/72"));
  CHECK(call_ok("cidrsubnet", {S("10.0.0.0/8"), N(0), N(0)}) == S("10.0.0.0/8"));
  CHECK(call_error("cidrsubnet", {S("10.1.2.0/24"), N(4), N(16)}) ==
        "Call to function \"cidrsubnet\" failed: prefix extension of 4 does not accommodate a subnet numbered 16.");
  CHECK(call_error("cidrsubnet", {S("10.1.2.0/24"), N(10), N(0)}) ==
        "Call to function \"cidrsubnet\" failed: insufficient address space to extend prefix of 24 by 10.");
  CHECK(call_error("cidrsubnet", {S("fd00::/8"), N(33), N(0)}) ==
        "Call to function \"cidrsubnet\" failed: may not extend prefix by more than 32 bits.");
}

TEST_CASE("cidrsubnets allocates consecutive subnets", "[functions]") {
  Value v4 = call_ok("cidrsubnets", {S("10.1.0.0/16"), N(4), N(4), N(8), N(4)});
  CHECK(v4 == T({S("10.1.0.0/20"), S("10.1.16.0/20"), S("10.1.32.0/24"), S("10.1.48.0/20")}));
  CHECK(v4.list_flavour() == ListFlavour::kList);
  CHECK(call_ok("cidrsubnets", {S("fd00:fd12:3456:7890::/56"), N(16), N(16), N(16), N(32)}) ==
        T({S("fd00:fd12:3456:7800::/72"), S("fd00:fd12:3456:7800:100::/72"), S("fd00:fd12:3456:7800:200::/72"),
           S("fd00:fd12:3456:7800:300::/88")}));
  CHECK(call_ok("cidrsubnets", {S("10.0.0.0/8")}) == T({}));
  FunctionFailure full = call_fail("cidrsubnets", {S("10.0.0.0/30"), N(1), N(1), N(1)});
  CHECK(full.argument == 3);
  CHECK(full.message ==
        "Invalid value for \"newbits\" parameter: not enough remaining address space for a subnet with a prefix of "
        "31 bits after 10.0.0.2/31.");
  CHECK(call_error("cidrsubnets", {S("10.0.0.0/30"), N(0)}) ==
        "Invalid value for \"newbits\" parameter: must extend prefix by at least one bit.");
  CHECK(call_error("cidrsubnets", {S("10.0.0.0/30"), N(3)}) ==
        "Invalid value for \"newbits\" parameter: would extend prefix to 33 bits, which is too long for an IPv4 "
        "address.");
  CHECK(call_fail("cidrsubnets", {S("nope"), N(1)}).argument == 0);
}

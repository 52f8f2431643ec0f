// cidrhost, cidrnetmask, cidrsubnet, cidrsubnets (go-cty-funcs' cidr package
// over apparentlymart/go-cidr), for IPv4 and IPv6. Addresses are held as
// 128-bit integers; IPv4 uses the low 32 bits.
#include <arpa/inet.h>

#include <cstdio>

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

using U128 = unsigned __int128;

struct Network {
  U128 address = 0;  // masked to the prefix
  int prefix = 0;
  int bits = 32;  // 32 or 128
};

U128 all_ones(int bits) { return bits >= 128 ? ~U128(0) : (U128(1) << bits) - 1; }
U128 host_mask(int prefix, int bits) { return all_ones(bits - prefix); }

std::optional<U128> parse_ipv4(const std::string& text) {
  U128 out = 0;
  size_t pos = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
    size_t start = pos;
    int value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 3) value = value * 10 + (text[pos++] - '0');
    // Go refuses empty parts, values over 255 and leading zeros.
    if (pos == start || value > 255 || (pos - start > 1 && text[start] == '0')) return std::nullopt;
    out = (out << 8) | static_cast<U128>(value);
  }
  if (pos != text.size()) return std::nullopt;
  return out;
}

std::optional<Network> parse_cidr(const std::string& text) {
  size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::string ip = text.substr(0, slash), mask = text.substr(slash + 1);
  Network net;
  if (std::optional<U128> v4 = parse_ipv4(ip)) {
    net.address = *v4;
    net.bits = 32;
  } else {
    unsigned char bytes[16];
    if (inet_pton(AF_INET6, ip.c_str(), bytes) != 1) return std::nullopt;
    for (unsigned char b : bytes) net.address = (net.address << 8) | b;
    net.bits = 128;
  }
  if (mask.empty() || mask.size() > 3) return std::nullopt;
  int prefix = 0;
  for (char c : mask) {
    if (c < '0' || c > '9') return std::nullopt;
    prefix = prefix * 10 + (c - '0');
  }
  if (prefix > net.bits) return std::nullopt;
  net.prefix = prefix;
  net.address &= ~host_mask(prefix, net.bits) & all_ones(net.bits);
  return net;
}

// Go's net.IP String(): dotted IPv4; IPv6 with the longest run of two or more
// zero groups written as "::"; IPv4-mapped IPv6 addresses as IPv4.
std::string format_ip(U128 address, int bits) {
  auto dotted = [](uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
    return std::string(buf);
  };
  if (bits == 32) return dotted(static_cast<uint32_t>(address));
  if ((address >> 32) == 0xFFFF) return dotted(static_cast<uint32_t>(address));
  uint16_t groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = static_cast<uint16_t>(address >> (16 * (7 - i)));
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) best = i, best_len = j - i;
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    char buf[8];
    std::snprintf(buf, sizeof buf, "%x", groups[i]);
    out += buf;
  }
  return out;
}

std::string format_network(U128 address, int prefix, int bits) { return format_ip(address, bits) + "/" + std::to_string(prefix); }

Network cidr_arg(Args args, size_t index, bool as_argument_error) {
  std::string text = string_arg(args, index, "prefix");
  std::optional<Network> net = parse_cidr(text);
  if (!net) {
    std::string reason = "invalid CIDR expression: invalid CIDR address: " + text;
    if (as_argument_error) fail_argument(index, "prefix", reason);
    fail_call(reason);
  }
  return *net;
}

// cidrhost(prefix, hostnum): negative host numbers count back from the end.
Value cidrhost(Args args, const FunctionContext&) {
  int64_t hostnum = integer_arg(args, 1, "hostnum");
  Network net = cidr_arg(args, 0, false);
  int host_bits = net.bits - net.prefix;
  U128 max_host = all_ones(host_bits);
  U128 magnitude = hostnum < 0 ? static_cast<U128>(-(hostnum + 1)) : static_cast<U128>(hostnum);
  if (magnitude > max_host) {
    fail_call("prefix of " + std::to_string(net.prefix) + " does not accommodate a host numbered " + std::to_string(hostnum));
  }
  U128 host = hostnum < 0 ? max_host - magnitude : magnitude;
  return Value::string(format_ip(net.address | host, net.bits));
}

Value cidrnetmask(Args args, const FunctionContext&) {
  Network net = cidr_arg(args, 0, false);
  U128 mask = ~host_mask(net.prefix, net.bits) & all_ones(net.bits);
  // Go prints the mask as an address of the same family; an IPv6 mask is never
  // mistaken for an IPv4-mapped address unless it is all zeros.
  return Value::string(net.bits == 128 && mask == 0 ? "::" : format_ip(mask, net.bits));
}

Value cidrsubnet(Args args, const FunctionContext&) {
  int64_t newbits = integer_arg(args, 1, "newbits");
  int64_t netnum = integer_arg(args, 2, "netnum");
  Network net = cidr_arg(args, 0, false);
  if (newbits > 32) fail_call("may not extend prefix by more than 32 bits");
  int64_t new_prefix = net.prefix + newbits;
  if (new_prefix > net.bits || newbits < 0) {
    fail_call("insufficient address space to extend prefix of " + std::to_string(net.prefix) + " by " + std::to_string(newbits));
  }
  uint64_t max_netnum = newbits == 0 ? 0 : (uint64_t{1} << newbits) - 1;
  if (netnum < 0 || static_cast<uint64_t>(netnum) > max_netnum) {
    fail_call("prefix extension of " + std::to_string(newbits) + " does not accommodate a subnet numbered " +
              std::to_string(netnum));
  }
  int shift = net.bits - static_cast<int>(new_prefix);
  U128 address = net.address | (static_cast<U128>(netnum) << shift);
  return Value::string(format_network(address, static_cast<int>(new_prefix), net.bits));
}

// cidrsubnets(prefix, newbits...): consecutive subnets, each aligned to its
// own size after the previous one, as go-cidr's NextSubnet allocates them.
Value cidrsubnets(Args args, const FunctionContext&) {
  Network net = cidr_arg(args, 0, true);
  ValueList out;
  if (args.size() < 2) return Value::list({}, ListFlavour::kList);
  int64_t first = integer_arg(args, 1, "newbits") + net.prefix;
  if (first < 0 || first > net.bits) first = net.bits;
  // Start just before the network: the previous block of the first size.
  U128 mask_first = ~host_mask(static_cast<int>(first), net.bits) & all_ones(net.bits);
  U128 current = ((net.address - 1) & all_ones(net.bits)) & mask_first;
  int current_prefix = static_cast<int>(first);
  for (size_t i = 1; i < args.size(); ++i) {
    int64_t length = integer_arg(args, i, "newbits");
    if (length < 1) fail_argument(i, "newbits", "must extend prefix by at least one bit");
    if (length > 32) fail_argument(i, "newbits", "may not extend prefix by more than 32 bits");
    length += net.prefix;
    if (length > net.bits) {
      fail_argument(i, "newbits",
                    "would extend prefix to " + std::to_string(length) + " bits, which is too long for an " +
                        (net.bits == 32 ? "IPv4" : "IPv6") + " address");
    }
    int prefix = static_cast<int>(length);
    U128 current_last = current | host_mask(current_prefix, net.bits);
    U128 subnet_last = current_last | host_mask(prefix, net.bits);
    U128 next = (subnet_last + 1) & all_ones(net.bits);
    bool rollover = next == 0;
    bool contained = (next & ~host_mask(net.prefix, net.bits) & all_ones(net.bits)) == net.address;
    if (rollover || !contained) {
      fail_argument(i, "newbits",
                    "not enough remaining address space for a subnet with a prefix of " + std::to_string(prefix) +
                        " bits after " + format_network(current, current_prefix, net.bits));
    }
    current = next;
    current_prefix = prefix;
    out.push_back(Value::string(format_network(current, current_prefix, net.bits)));
  }
  return Value::list(std::move(out), ListFlavour::kList);
}

}  // namespace

std::vector<FunctionSpec> cidr_function_specs() {
  return {
      {"cidrhost", 2, 2, false, cidrhost},
      {"cidrnetmask", 1, 1, false, cidrnetmask},
      {"cidrsubnet", 3, 3, false, cidrsubnet},
      {"cidrsubnets", 1, 0, true, cidrsubnets},
  };
}

}  // namespace skiff::parser

// Non-blocking TCP connect for the SSH poll loop: start_tcp_connect() returns
// a socket whose connect is in flight; once poll() reports it writable,
// finish_tcp_connect() says whether it succeeded ("connection refused", ...).
#pragma once

#include <string>

#include "base/result.hpp"

namespace skiff::drivers {

// Resolves `address` (numeric addresses without DNS; names through the
// blocking resolver, the one call here that may wait) and starts connecting.
// Tries the first address only: fleets are addressed by IP in practice.
Result<int> start_tcp_connect(const std::string& address, int port);

// REQUIRES: poll() reported `fd` writable or in error.
Status finish_tcp_connect(int fd);

}  // namespace skiff::drivers

// Result<T>: a value or an Error, the one error type of skiff.
// Context is added on the way out with Error::wrap ("observe host 'web-1': ...").
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace skiff {

enum class ErrorCode {
  kInvalidArgument,  // bad input from a user: a file, a flag, a value
  kNotFound,
  kIo,
  kParse,
  kUnsupported,
  kConflict,  // lock held, serial changed
  kTimeout,
  kUnavailable,  // host unreachable
  kInternal,
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  // Returns a copy whose message reads "context: message".
  Error wrap(const std::string& context) const { return Error{code, context + ": " + message}; }
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}
  Result(Error error) : data_(std::move(error)) {}

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

// Result<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}
  static Status success() { return Status(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  // REQUIRES: !ok()
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace skiff

// Errors as values across module boundaries (in the spirit of abseil's
// Status/StatusOr; GCC 12 has no std::expected in C++20).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace eas {

enum class Code {
  kOk,
  kNotFound,        // the named record does not exist
  kInvalidArgument, // caller's input is malformed
  kAlreadyExists,   // a record with that key/name exists
  kPermissionDenied,
  kStoreFull,       // the store cannot grow any further (map full twice)
  kIoError,         // the store or a file failed underneath us
  kInternal,
};

// A cheap success, or a code plus a message that is fit for a log line.
// One pointer wide: success is a null pointer, so the Ok statuses every call
// passes along cost a compare, and the error part (allocation, message)
// stays out of line, in code the compiler files as cold.
class Status {
 public:
  Status() noexcept = default;
  Status(Code code, std::string message) {
    if (code != Code::kOk) rep_ = MakeRep(code, std::move(message));
  }
  Status(const Status& other) : rep_(other.rep_ ? CopyRep(*other.rep_) : nullptr) {}
  Status(Status&& other) noexcept : rep_(std::exchange(other.rep_, nullptr)) {}
  Status& operator=(const Status& other) {
    if (this != &other) {
      Rep* copy = other.rep_ ? CopyRep(*other.rep_) : nullptr;
      Release();
      rep_ = copy;
    }
    return *this;
  }
  Status& operator=(Status&& other) noexcept {
    if (this != &other) {
      Release();
      rep_ = std::exchange(other.rep_, nullptr);
    }
    return *this;
  }
  ~Status() { Release(); }

  static Status Ok() { return Status(); }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Invalid(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status Exists(std::string m) { return {Code::kAlreadyExists, std::move(m)}; }
  static Status Denied(std::string m) { return {Code::kPermissionDenied, std::move(m)}; }
  static Status StoreFull(std::string m) { return {Code::kStoreFull, std::move(m)}; }
  static Status Io(std::string m) { return {Code::kIoError, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  const std::string& message() const { return rep_ ? rep_->message : NoMessage(); }

 private:
  struct Rep {
    Code code;
    std::string message;
  };
  [[gnu::cold, gnu::noinline]] static Rep* MakeRep(Code code, std::string message) {
    return new Rep{code, std::move(message)};
  }
  [[gnu::cold, gnu::noinline]] static Rep* CopyRep(const Rep& rep) { return new Rep(rep); }
  [[gnu::cold, gnu::noinline]] static void DeleteRep(Rep* rep) { delete rep; }
  [[gnu::cold, gnu::noinline]] static const std::string& NoMessage() {
    static const std::string empty;
    return empty;
  }
  void Release() {
    if (rep_) DeleteRep(std::exchange(rep_, nullptr));
  }

  Rep* rep_ = nullptr;
};

// Either a value or the Status that explains why there is none.
template <class T>
class Result {
 public:
  // One move into place (a by-value parameter would cost a second one,
  // and records are returned through Result on every request).
  Result(const T& value) : v_(std::in_place_index<0>, value) {}         // NOLINT: implicit
  Result(T&& value) : v_(std::in_place_index<0>, std::move(value)) {}   // NOLINT: implicit
  Result(Status status) : v_(std::move(status)) {}     // NOLINT: must not be Ok

  bool ok() const { return v_.index() == 0; }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  // The failure; Ok when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<1>(v_); }

 private:
  std::variant<T, Status> v_;
};

// A T filled in place by `fill(T*) -> Status`, as a Result: how the
// by-value getters are written on top of the in-place readers the request
// path uses.
template <class T, class Fill>
Result<T> Filled(Fill&& fill) {
  T value;
  Status s = fill(&value);
  if (!s.ok()) return s;
  return value;
}

}  // namespace eas

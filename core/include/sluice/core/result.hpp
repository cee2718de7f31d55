// Result<T>: the value of an operation that can fail on input, or a typed Error (code + message).
// Modelled on Bitcoin Core's util::Result and std::expected; exceptions never carry input errors.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "sluice/core/errc.hpp"

namespace sluice {

struct Error {
    Errc code{Errc::internal};
    std::string message;

    // "rlp_truncated: list payload ends past input" — what a CLI or RPC prints.
    std::string describe() const;
    friend bool operator==(const Error&, const Error&) = default;
};

inline Error make_error(Errc code, std::string message) {
    return Error{code, std::move(message)};
}

namespace detail {
[[noreturn]] void bad_result_access(const Error& error) noexcept;
}

template <class T>
class [[nodiscard]] Result {
  public:
    using value_type = T;

    template <class U = T>
    requires std::is_constructible_v<T, U&&> &&
        (!std::is_same_v<std::remove_cvref_t<U>, Error>)&&(!std::is_same_v<std::remove_cvref_t<U>, Result>)
            Result(U&& value)
        : v_(std::in_place_index<0>, std::forward<U>(value)) {}            // NOLINT: implicit by design
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

    bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    // Accessing the value of a failed Result is a programming error, never an input error.
    T& value() & {
        check();
        return std::get<0>(v_);
    }
    const T& value() const& {
        check();
        return std::get<0>(v_);
    }
    T&& value() && {
        check();
        return std::get<0>(std::move(v_));
    }
    T value_or(T fallback) const& { return ok() ? std::get<0>(v_) : std::move(fallback); }

    const Error& error() const& { return std::get<1>(v_); }
    Error&& error() && { return std::get<1>(std::move(v_)); }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

  private:
    void check() const {
        if (v_.index() != 0) detail::bad_result_access(std::get<1>(v_));
    }
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

    bool ok() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    void value() const {
        if (!ok_) detail::bad_result_access(error_);
    }
    const Error& error() const& { return error_; }
    Error&& error() && { return std::move(error_); }

  private:
    Error error_;
    bool ok_ = true;
};

using Status = Result<void>;

}  // namespace sluice

#define SLUICE_CONCAT_INNER(a, b) a##b
#define SLUICE_CONCAT(a, b) SLUICE_CONCAT_INNER(a, b)

// SLUICE_TRY(decl, expr): evaluates a Result; on error returns the error from the enclosing
// function, otherwise binds the value to `decl` (e.g. `auto x`, `const Bytes data`).
#define SLUICE_TRY(decl, expr) SLUICE_TRY_IMPL(decl, expr, SLUICE_CONCAT(sluice_try_, __LINE__))
#define SLUICE_TRY_IMPL(decl, expr, tmp)          \
    auto tmp = (expr);                            \
    if (!tmp.ok()) return std::move(tmp).error(); \
    decl = std::move(tmp).value()

// SLUICE_CHECK_OK(expr): for Status-returning expressions.
#define SLUICE_CHECK_OK(expr) SLUICE_CHECK_OK_IMPL(expr, SLUICE_CONCAT(sluice_status_, __LINE__))
#define SLUICE_CHECK_OK_IMPL(expr, tmp) \
    if (auto tmp = (expr); !tmp.ok()) return std::move(tmp).error()

// The same two for coroutines (asio::awaitable<Result<T>>): co_return instead of return. `expr` may be a
// co_await expression.
#define SLUICE_CO_TRY(decl, expr) SLUICE_CO_TRY_IMPL(decl, expr, SLUICE_CONCAT(sluice_co_try_, __LINE__))
#define SLUICE_CO_TRY_IMPL(decl, expr, tmp)          \
    auto tmp = (expr);                               \
    if (!tmp.ok()) co_return std::move(tmp).error(); \
    decl = std::move(tmp).value()
#define SLUICE_CO_CHECK_OK(expr) SLUICE_CO_CHECK_OK_IMPL(expr, SLUICE_CONCAT(sluice_co_status_, __LINE__))
#define SLUICE_CO_CHECK_OK_IMPL(expr, tmp) \
    if (auto tmp = (expr); !tmp.ok()) co_return std::move(tmp).error()

// Out-of-line parts of Result<T>: error formatting and the misuse trap.
#include "sluice/core/result.hpp"

namespace sluice {

std::string Error::describe() const {
    std::string out(errc_name(code));
    if (!message.empty()) {
        out += ": ";
        out += message;
    }
    return out;
}

namespace detail {
void bad_result_access(const Error& error) noexcept {
    // Reading the value of a failed Result is a bug in the caller, not bad input: stop loudly.
    std::fprintf(stderr, "sluice: value() called on a failed Result (%s)\n", error.describe().c_str());
    std::abort();
}
}  // namespace detail

}  // namespace sluice

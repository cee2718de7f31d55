// secure_zero: the one place sluice_core wipes memory, through libsodium (linked privately).
#include <sodium.h>

#include "sluice/core/secret.hpp"

namespace sluice {

void secure_zero(void* data, std::size_t size) noexcept { sodium_memzero(data, size); }

}  // namespace sluice

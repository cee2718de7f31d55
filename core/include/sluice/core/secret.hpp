// Secret<N>: fixed-size secret bytes (private keys, preimages) that zero themselves on destruction
// (sodium_memzero) and never print.
//
// API CONTRACT (implementation pending):
//   template <std::size_t N> class Secret {
//     Secret();  explicit Secret(ByteView exactly N bytes) via static Result<Secret> from_view(ByteView)
//     copyable (copies are zeroed too), moves zero the source; ~Secret zeroes
//     const std::uint8_t* data() const; static constexpr size();  ByteView reveal() const  // explicit access
//     no operator<<, no to_string; a redacted `std::string describe() const` returns "Secret<N>(redacted)"
//   }
#pragma once

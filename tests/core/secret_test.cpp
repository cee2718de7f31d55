// Secret<N>: wiped on destruction, move and request; copies are independent; never prints its bytes.
#include <gtest/gtest.h>

#include <new>
#include <ostream>
#include <string>
#include <utility>

#include "sluice/core/hex.hpp"
#include "sluice/core/secret.hpp"

namespace sluice {
namespace {

template <class T>
concept Streamable = requires(std::ostream& os, const T& value) { os << value; };
static_assert(!Streamable<Secret<32>>, "a Secret must not be printable with operator<<");

bool all_zero(ByteView v) {
    for (const std::uint8_t b : v) {
        if (b != 0) return false;
    }
    return true;
}

Bytes pattern(std::size_t n) {
    Bytes out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(0xa0 + i);
    return out;
}

TEST(Secret, FromViewHoldsExactlyNBytes) {
    const Bytes bytes = pattern(32);
    const auto secret = Secret<32>::from_view(bytes);
    ASSERT_TRUE(secret.ok());
    EXPECT_EQ(Bytes(secret->reveal().begin(), secret->reveal().end()), bytes);
    EXPECT_EQ(secret->data(), secret->reveal().data());
    EXPECT_EQ(Secret<32>::size(), 32U);
}

TEST(Secret, WrongLengthRejectedWithoutEchoingTheBytes) {
    const Bytes bytes = pattern(31);
    const auto secret = Secret<32>::from_view(bytes);
    ASSERT_FALSE(secret.ok());
    EXPECT_EQ(secret.error().code, Errc::bad_length);
    EXPECT_EQ(secret.error().describe().find(to_hex(bytes, false).substr(0, 8)), std::string::npos);
    EXPECT_EQ(Secret<32>::from_view(pattern(33)).error().code, Errc::bad_length);
}

TEST(Secret, DefaultIsZero) { EXPECT_TRUE(all_zero(Secret<16>{}.reveal())); }

TEST(Secret, MoveConstructionWipesTheSource) {
    auto source = Secret<32>::from_view(pattern(32)).value();
    const Secret<32> target(std::move(source));
    EXPECT_TRUE(all_zero(source.reveal()));  // NOLINT(bugprone-use-after-move): the wipe is the point
    EXPECT_EQ(Bytes(target.reveal().begin(), target.reveal().end()), pattern(32));
}

TEST(Secret, MoveAssignmentWipesTheSource) {
    auto source = Secret<32>::from_view(pattern(32)).value();
    Secret<32> target;
    target = std::move(source);
    EXPECT_TRUE(all_zero(source.reveal()));  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(Bytes(target.reveal().begin(), target.reveal().end()), pattern(32));
}

TEST(Secret, CopiesAreIndependent) {
    auto original = Secret<8>::from_view(pattern(8)).value();
    Secret<8> copy = original;
    Secret<8> assigned;
    assigned = original;
    original.wipe();
    EXPECT_TRUE(all_zero(original.reveal()));
    EXPECT_EQ(Bytes(copy.reveal().begin(), copy.reveal().end()), pattern(8));
    EXPECT_EQ(Bytes(assigned.reveal().begin(), assigned.reveal().end()), pattern(8));
}

TEST(Secret, DestructorWipesTheStorage) {
    alignas(Secret<32>) unsigned char storage[sizeof(Secret<32>)];
    auto* secret = new (storage) Secret<32>(Secret<32>::from_view(pattern(32)).value());
    ASSERT_FALSE(all_zero(ByteView(storage, sizeof(storage))));
    secret->~Secret<32>();
    EXPECT_TRUE(all_zero(ByteView(storage, sizeof(storage))));
}

TEST(Secret, SecureZeroClearsAnyBuffer) {
    Bytes buffer = pattern(100);
    secure_zero(buffer.data(), 40);
    EXPECT_TRUE(all_zero(ByteView(buffer).first(40)));
    EXPECT_EQ(buffer[40], 0xa0 + 40);
}

TEST(Secret, NeverPrintsItsBytes) {
    const auto secret = Secret<32>::from_view(pattern(32)).value();
    EXPECT_EQ(secret.describe(), "Secret<32>(redacted)");
    EXPECT_EQ(Secret<20>{}.describe(), "Secret<20>(redacted)");
    const std::string printed = ::testing::PrintToString(secret);
    EXPECT_EQ(printed, "Secret<32>(redacted)");
    EXPECT_EQ(printed.find("a0"), std::string::npos);
    EXPECT_EQ(printed.find("A0"), std::string::npos);
}

}  // namespace
}  // namespace sluice

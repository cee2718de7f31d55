// The one libsecp256k1 context of the process, owned by an RAII holder and blinded with fresh
// randomness at creation (side-channel protection for signing and key derivation).
#include "secp256k1_context.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "random_bytes.hpp"

namespace sluice {
namespace {

class Secp256k1Context {
public:
    Secp256k1Context() : context_(secp256k1_context_create(SECP256K1_CONTEXT_NONE)) {
        Secret<32> seed;
        random_bytes({seed.mutable_data(), seed.size()});
        if (!context_ || secp256k1_context_randomize(context_.get(), seed.data()) != 1) {
            std::fputs("sluice: cannot create the secp256k1 context\n", stderr);
            std::abort();
        }
    }
    const secp256k1_context* get() const noexcept { return context_.get(); }

private:
    struct Destroy {
        void operator()(secp256k1_context* context) const noexcept { secp256k1_context_destroy(context); }
    };
    std::unique_ptr<secp256k1_context, Destroy> context_;
};

}  // namespace

const secp256k1_context* secp256k1_context_handle() noexcept {
    static const Secp256k1Context context;
    return context.get();
}

}  // namespace sluice

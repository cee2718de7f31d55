// ChunkArena: a bump allocator whose memory survives reset(), for the per-batch structures of a
// persistent executor. Profiles of one-shot batches spent about a third of the parallel CPU time in
// malloc and page faults on fresh memory; reusing the chunks of the previous batch avoids both.
// Not thread-safe: each LocationTable shard owns one and allocates under the shard lock.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <memory_resource>
#include <new>
#include <vector>

namespace sluice::parallel {

class ChunkArena final : public std::pmr::memory_resource {
public:
    // Forgets every allocation but keeps the chunks for the next round.
    void reset() noexcept {
        chunk_ = 0;
        offset_ = 0;
    }

private:
    struct Chunk {
        std::unique_ptr<std::byte[]> data;
        std::size_t size = 0;
    };
    // Chunks grow geometrically: a small batch (64 shards each own an arena) stays small, a large
    // one needs few chunks.
    static constexpr std::size_t kFirstChunk = std::size_t{4} * 1024;
    static constexpr std::size_t kMaxChunk = std::size_t{1024} * 1024;

    void* do_allocate(std::size_t bytes, std::size_t align) override {
        // Offsets are aligned relative to the chunk start, which new[] aligns to this much.
        if (align > __STDCPP_DEFAULT_NEW_ALIGNMENT__) throw std::bad_alloc();
        for (;;) {
            if (chunk_ < chunks_.size()) {
                Chunk& c = chunks_[chunk_];
                const std::size_t start = (offset_ + align - 1) / align * align;
                if (start + bytes <= c.size) {
                    offset_ = start + bytes;
                    return c.data.get() + start;
                }
                // Too small for this request: try the next kept chunk (a large request may get its own).
                ++chunk_;
                offset_ = 0;
                continue;
            }
            const std::size_t grown = chunks_.empty() ? kFirstChunk : std::min(2 * chunks_.back().size, kMaxChunk);
            const std::size_t size = std::max(grown, bytes + align);
            // Not zero-filled: every byte handed out is constructed by its user.
            chunks_.push_back(Chunk{std::make_unique_for_overwrite<std::byte[]>(size), size});
        }
    }
    void do_deallocate(void*, std::size_t, std::size_t) override {}  // freed all at once by reset()
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    std::vector<Chunk> chunks_;
    std::size_t chunk_ = 0;
    std::size_t offset_ = 0;
};

}  // namespace sluice::parallel

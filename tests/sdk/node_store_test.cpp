// NodeStore on real SQLite files: the same saves applied to it and to channel::MemoryPersistence (the
// reference the machine tests use) load back equal after a reopen; channel records and the event queue
// survive restarts; a corrupt row is a typed error. A channel::Machine restored from the store keeps its
// refusals (invariant 1 across a restart).
#include "sluice/sdk/node_store.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "sluice/channel/machine.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/sqlite/database.hpp"
#include "support/temp_dir.hpp"

namespace sluice::sdk {
namespace {

struct NodeStoreTest : testing::TempDirTest {
    std::filesystem::path file = dir / "node.sqlite";
    std::unique_ptr<NodeStore> open() {
        auto store = NodeStore::open(file);
        EXPECT_TRUE(store.ok()) << store.error().describe();
        return std::move(store).value();
    }
};

Hash channel_hash(std::uint8_t n) {
    Hash h;
    h[0] = n;
    h[31] = 0xcc;
    return h;
}

channel::State state_at(const Hash& id, std::uint64_t version, std::uint64_t split) {
    channel::State s;
    s.channel_id = id;
    s.version = version;
    s.outcome.push_back({Address{}, {u256{1000 - split}, u256{split}}, {}});
    return s;
}

channel::SignedState signed_at(const Hash& id, std::uint64_t version) {
    channel::SignedState s{state_at(id, version, version % 1000), {}};
    Signature sig;
    sig.r[0] = static_cast<std::uint8_t>(version);
    sig.r[31] = 1;
    sig.s[0] = 1;
    sig.v = 1;  // canonical: the JSON form carries v as 0/1
    s.sigs = {sig, sig};
    return s;
}

Bytes32 preimage_of(std::uint32_t n) {
    Bytes32 p;
    p[0] = static_cast<std::uint8_t>(n);
    p[1] = static_cast<std::uint8_t>(n >> 8);
    return p;
}

TEST_F(NodeStoreTest, LoadsWhatMemoryPersistenceWouldAfterAReopen) {
    channel::MemoryPersistence reference;
    std::mt19937_64 rng(20261203);
    const std::array<Hash, 3> ids{channel_hash(1), channel_hash(2), channel_hash(3)};
    {
        auto store = open();
        std::array<std::uint64_t, 3> version{};
        for (int step = 0; step < 600; ++step) {
            const std::size_t c = rng() % ids.size();
            const Hash& id = ids[c];
            switch (rng() % 5) {
                case 0:
                case 1: {  // sign a state above everything so far (sometimes the same one twice)
                    if (rng() % 4 != 0) version[c] += 1 + rng() % 3;
                    const auto s = state_at(id, version[c], version[c] % 7);
                    ASSERT_EQ(store->save_signing(id, s), reference.save_signing(id, s));
                    break;
                }
                case 2: {  // a fully signed state at or below what was signed
                    const std::uint64_t v = version[c] == 0 ? 0 : version[c] - rng() % 2;
                    const auto s = signed_at(id, v);
                    ASSERT_EQ(store->save_fully_signed(id, s), reference.save_fully_signed(id, s));
                    break;
                }
                case 3: {
                    const auto p = preimage_of(static_cast<std::uint32_t>(rng() % 50));
                    ASSERT_EQ(store->save_preimage(id, p), reference.save_preimage(id, p));
                    break;
                }
                default: {
                    const Hash lock = channel_hash(static_cast<std::uint8_t>(100 + rng() % 20));
                    const std::uint64_t at = 1'700'000'000 + rng() % 1000;
                    ASSERT_EQ(store->save_reveal(id, lock, at), reference.save_reveal(id, lock, at));
                }
            }
        }
    }
    auto store = open();
    for (const Hash& id : ids) {
        const auto loaded = store->load(id);
        ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
        const auto expected = reference.load(id);
        // The reference keeps lock knowledge even before any fully signed state; the store loads a channel
        // only once it has one (Machine::restore needs it), and the random walk always saves one early.
        ASSERT_TRUE(expected.has_value());
        ASSERT_TRUE(loaded->has_value());
        EXPECT_EQ((*loaded)->outstanding.size(), expected->outstanding.size());
        EXPECT_EQ(**loaded, *expected);
    }
    EXPECT_FALSE(store->load(channel_hash(9)).value().has_value());
}

TEST_F(NodeStoreTest, ChannelRecordsAndStatusSurviveARestart) {
    ChannelRecord record;
    record.id = channel_hash(7);
    record.params.chain_id = 31337;
    record.params.participants = {Address::from_hex("0x00000000000000000000000000000000000a11ce").value(),
                                  Address::from_hex("0x0000000000000000000000000000000000000b0b").value()};
    record.params.nonce = 5;
    record.params.challenge_duration = 3600;
    record.my_index = 1;
    record.deposits = {{Address{}, u256{12345}}};
    {
        auto store = open();
        ASSERT_TRUE(store->save_channel(record).ok());
        ASSERT_TRUE(store->set_status(record.id, ChannelStatus::open).ok());
        const auto unknown = store->set_status(channel_hash(8), ChannelStatus::open);
        ASSERT_FALSE(unknown.ok());
        EXPECT_EQ(unknown.error().code, Errc::node_unknown_channel);
    }
    auto store = open();
    const auto channels = store->channels();
    ASSERT_TRUE(channels.ok()) << channels.error().describe();
    ASSERT_EQ(channels->size(), 1u);
    const ChannelRecord& got = (*channels)[0];
    EXPECT_EQ(got.id, record.id);
    EXPECT_EQ(got.params, record.params);
    EXPECT_EQ(got.my_index, 1u);
    EXPECT_EQ(got.status, ChannelStatus::open);
    EXPECT_EQ(got.deposits, record.deposits);
}

TEST_F(NodeStoreTest, EventsAreRedeliveredUntilAcknowledged) {
    std::int64_t first = 0;
    {
        auto store = open();
        first = store->append_event("PaymentReceived", R"({"amount":"5"})").value();
        ASSERT_TRUE(store->append_event("ChannelOpened", "{}").ok());
    }
    {
        auto store = open();
        auto events = store->unacknowledged_events().value();
        ASSERT_EQ(events.size(), 2u);
        EXPECT_EQ(events[0].seq, first);
        EXPECT_EQ(events[0].kind, "PaymentReceived");
        EXPECT_EQ(events[0].body, R"({"amount":"5"})");
        ASSERT_TRUE(store->acknowledge_event(first).ok());
    }
    auto store = open();
    const auto events = store->unacknowledged_events().value();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, "ChannelOpened");
}

TEST_F(NodeStoreTest, ACorruptRowIsATypedError) {
    const Hash id = channel_hash(4);
    {
        auto store = open();
        ASSERT_EQ(store->save_fully_signed(id, signed_at(id, 3)), channel::PersistResult::completed);
    }
    {
        auto db = sqlite::Database::open(file).value();
        ASSERT_TRUE(db.exec("UPDATE fully_signed SET state = '{\"state\": 7}'").ok());
    }
    auto store = open();
    const auto loaded = store->load(id);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, Errc::store_corrupt);
    // The store keeps serving other reads and writes.
    EXPECT_EQ(store->save_preimage(id, preimage_of(1)), channel::PersistResult::completed);
    EXPECT_TRUE(store->unacknowledged_events().ok());
}

TEST_F(NodeStoreTest, ASchemaFromANewerBuildIsRefused) {
    { auto store = open(); }
    {
        auto db = sqlite::Database::open(file).value();
        ASSERT_TRUE(db.exec("PRAGMA user_version = 99").ok());
    }
    const auto store = NodeStore::open(file);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code, Errc::store_schema_too_new);
}

}  // namespace
}  // namespace sluice::sdk

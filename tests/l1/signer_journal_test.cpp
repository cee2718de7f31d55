// The signer journal: the record codec (round trip, every kind of corrupt tail) and the file journal on a
// real file in a temporary data directory (reopen, garbage tail truncated with a warning, appends after it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/file_signer_journal.hpp"
#include "sluice/l1/signer_journal_codec.hpp"

namespace sluice::l1 {
namespace {

std::vector<JournalEntry> sample_entries() {
    return {JournalEntry{JournalEntry::Kind::sent, 0, Bytes{0x02, 0xf8, 0x01}},
            JournalEntry{JournalEntry::Kind::sent, 1, Bytes(300, 0xab)},
            JournalEntry{JournalEntry::Kind::released, 1, Bytes(32, 0x11)}};
}

Bytes encode_all(const std::vector<JournalEntry>& entries) {
    Bytes out;
    for (const auto& e : entries) {
        const Bytes r = encode_journal_record(e);
        out.insert(out.end(), r.begin(), r.end());
    }
    return out;
}

TEST(SignerJournalCodec, RoundTrips) {
    const Bytes bytes = encode_all(sample_entries());
    const JournalDecode d = decode_journal(bytes);
    EXPECT_EQ(d.entries, sample_entries());
    EXPECT_EQ(d.valid_bytes, bytes.size());
    EXPECT_FALSE(d.corrupt_tail);
}

TEST(SignerJournalCodec, EveryTruncationKeepsTheWholeRecordsBeforeIt) {
    const Bytes bytes = encode_all(sample_entries());
    const std::size_t first = encode_journal_record(sample_entries()[0]).size();
    for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
        const JournalDecode d = decode_journal(ByteView(bytes).first(cut));
        ASSERT_TRUE(d.corrupt_tail || d.valid_bytes == cut) << cut;
        EXPECT_LE(d.valid_bytes, cut);
        if (cut < first) {
            EXPECT_TRUE(d.entries.empty());
        }
        if (d.corrupt_tail) {
            EXPECT_EQ(d.corrupt_tail->code, Errc::signer_journal_corrupt);
        }
    }
}

TEST(SignerJournalCodec, AFlippedByteEndsTheJournalThere) {
    const Bytes good = encode_all(sample_entries());
    const std::size_t first = encode_journal_record(sample_entries()[0]).size();
    for (std::size_t at = first; at < good.size(); ++at) {
        Bytes bad = good;
        bad[at] ^= 0x40;
        const JournalDecode d = decode_journal(bad);
        ASSERT_GE(d.entries.size(), 1u) << at;
        EXPECT_EQ(d.entries[0], sample_entries()[0]);
        ASSERT_TRUE(d.corrupt_tail) << at;
        EXPECT_EQ(d.corrupt_tail->code, Errc::signer_journal_corrupt);
    }
}

TEST(SignerJournalCodec, GarbageIsAWarningNotAFailure) {
    const Bytes garbage{0xff, 0x00, 0x13, 0x37, 0x00, 0x00, 0x00, 0x00, 0x00,
                        0xff, 0xff, 0xff, 0xff, 1,    2,    3,    4};
    const JournalDecode d = decode_journal(garbage);
    EXPECT_TRUE(d.entries.empty());
    EXPECT_EQ(d.valid_bytes, 0u);
    ASSERT_TRUE(d.corrupt_tail);
    EXPECT_NE(d.corrupt_tail->message.find("unknown record kind"), std::string::npos);
    // A length field far beyond any raw transaction.
    Bytes huge = encode_journal_record(sample_entries()[0]);
    huge[9] = 0x7f;
    EXPECT_NE(decode_journal(huge).corrupt_tail->message.find("record length"), std::string::npos);
}

struct FileJournalTest : ::testing::Test {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("sluice-journal-" + std::to_string(::getpid()) + "-" +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    Address signer = dev_account_address(0);
    void TearDown() override { std::filesystem::remove_all(dir); }
};

TEST_F(FileJournalTest, KeepsEntriesAcrossReopen) {
    {
        auto j = FileSignerJournal::open(dir, signer);
        ASSERT_TRUE(j.ok()) << j.error().describe();
        EXPECT_TRUE((*j)->entries().empty());
        for (const auto& e : sample_entries())
            ASSERT_TRUE((*j)->append(e).ok());
    }
    auto j = FileSignerJournal::open(dir, signer);
    ASSERT_TRUE(j.ok());
    EXPECT_EQ((*j)->entries(), sample_entries());
    EXPECT_FALSE((*j)->corrupt_tail());
}

TEST_F(FileJournalTest, GarbageTailIsCutWithAWarningAndAppendsFollowTheWholeRecords) {
    {
        auto j = FileSignerJournal::open(dir, signer);
        ASSERT_TRUE(j.ok());
        ASSERT_TRUE((*j)->append(sample_entries()[0]).ok());
    }
    const auto path = dir / FileSignerJournal::file_name(signer);
    {
        std::ofstream out(path, std::ios::binary | std::ios::app);
        out << "half a record and some garbage";
    }
    {
        auto j = FileSignerJournal::open(dir, signer);
        ASSERT_TRUE(j.ok());
        ASSERT_TRUE((*j)->corrupt_tail());
        EXPECT_EQ((*j)->corrupt_tail()->code, Errc::signer_journal_corrupt);
        EXPECT_EQ((*j)->entries().size(), 1u);
        ASSERT_TRUE((*j)->append(sample_entries()[1]).ok());
    }
    auto j = FileSignerJournal::open(dir, signer);
    ASSERT_TRUE(j.ok());
    EXPECT_FALSE((*j)->corrupt_tail());
    ASSERT_EQ((*j)->entries().size(), 2u);
    EXPECT_EQ((*j)->entries()[1], sample_entries()[1]);
}

TEST_F(FileJournalTest, AnUnusableDirectoryIsATypedError) {
    std::filesystem::create_directories(dir);
    { std::ofstream(dir / "not-a-dir") << "x"; }
    auto j = FileSignerJournal::open(dir / "not-a-dir", signer);
    ASSERT_FALSE(j.ok());
    EXPECT_EQ(j.error().code, Errc::signer_journal_io);
}

TEST(MemoryJournal, KeepsEntriesInOrder) {
    MemorySignerJournal j;
    for (const auto& e : sample_entries())
        ASSERT_TRUE(j.append(e).ok());
    EXPECT_EQ(j.entries(), sample_entries());
}

}  // namespace
}  // namespace sluice::l1

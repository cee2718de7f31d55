// FileSignerJournal: the signer journal as an append-only file, one per signing address, in a data
// directory (signer-<address>.journal). Each append is written whole and fsynced before it returns; opening
// decodes the file (signer_journal_codec.hpp), truncates a corrupt tail away so later records follow whole
// ones, and reports that tail through corrupt_tail() (a warning: the journal still opens).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/l1/signer_journal.hpp"

namespace sluice::l1 {

class FileSignerJournal final : public SignerJournal {
  public:
    // signer_journal_io when the directory or file cannot be created, read or truncated.
    static Result<std::unique_ptr<FileSignerJournal>> open(const std::filesystem::path& data_dir,
                                                           const Address& signer);
    ~FileSignerJournal() override;
    FileSignerJournal(const FileSignerJournal&) = delete;
    FileSignerJournal& operator=(const FileSignerJournal&) = delete;

    Status append(const JournalEntry& entry) override;
    std::vector<JournalEntry> entries() const override;

    const std::optional<Error>& corrupt_tail() const noexcept { return corrupt_tail_; }
    const std::filesystem::path& path() const noexcept { return path_; }

    static std::filesystem::path file_name(const Address& signer);

  private:
    FileSignerJournal(int fd, std::filesystem::path path, std::vector<JournalEntry> entries,
                      std::optional<Error> corrupt_tail);

    int fd_;
    std::filesystem::path path_;
    mutable std::mutex mutex_;
    std::vector<JournalEntry> entries_;
    std::optional<Error> corrupt_tail_;
};

}  // namespace sluice::l1

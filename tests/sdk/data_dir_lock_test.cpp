// DataDirLock: one holder at a time, across processes too, released when the holder goes (even by SIGKILL).
#include "sluice/sdk/data_dir_lock.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>

#include "support/temp_dir.hpp"

namespace sluice::sdk {
namespace {

struct DataDirLockTest : testing::TempDirTest {};

TEST_F(DataDirLockTest, OneHolderAtATime) {
    std::optional<DataDirLock> first;
    {
        auto lock = DataDirLock::acquire(dir / "node");
        ASSERT_TRUE(lock.ok()) << lock.error().describe();
        first.emplace(std::move(lock).value());
    }
    const auto second = DataDirLock::acquire(dir / "node");
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, Errc::node_data_dir_locked);
    EXPECT_NE(second.error().message.find(std::to_string(::getpid())), std::string::npos) << second.error().message;
    first.reset();
    EXPECT_TRUE(DataDirLock::acquire(dir / "node").ok());
}

TEST_F(DataDirLockTest, AnotherProcessHoldsItUntilItIsKilled) {
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        auto lock = DataDirLock::acquire(dir / "node");
        const char ok = lock.ok() ? 'y' : 'n';
        (void)!::write(ready[1], &ok, 1);
        ::pause();
        ::_exit(0);
    }
    char ok = 0;
    ASSERT_EQ(::read(ready[0], &ok, 1), 1);
    ASSERT_EQ(ok, 'y');
    const auto held = DataDirLock::acquire(dir / "node");
    ASSERT_FALSE(held.ok());
    EXPECT_EQ(held.error().code, Errc::node_data_dir_locked);
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(DataDirLock::acquire(dir / "node").ok());
    ::close(ready[0]);
    ::close(ready[1]);
}

TEST_F(DataDirLockTest, AnUncreatableDirIsTyped) {
    const auto lock = DataDirLock::acquire("/proc/sluice-cannot-create-this");
    ASSERT_FALSE(lock.ok());
    EXPECT_EQ(lock.error().code, Errc::store_open_failed);
}

}  // namespace
}  // namespace sluice::sdk

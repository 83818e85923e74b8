#include "flowrun/exec/cancellation.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>

#include <thread>

namespace flowrun::exec {
namespace {

bool readable(int fd) {
  pollfd watched{fd, POLLIN, 0};
  return ::poll(&watched, 1, 0) == 1 && (watched.revents & POLLIN) != 0;
}

TEST(CancellationToken, WakesAPollLoopWhenCancelledFromAnotherThread) {
  CancellationToken token;
  EXPECT_FALSE(token.cancelled());
  EXPECT_FALSE(readable(token.wait_fd()));
  std::thread canceller([&token] { token.cancel(); });
  pollfd watched{token.wait_fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&watched, 1, 10000), 1);
  canceller.join();
  EXPECT_TRUE(token.cancelled());
  token.cancel();
  EXPECT_TRUE(readable(token.wait_fd())) << "stays readable";
}

TEST(CancellationToken, SigtermAndSigintRaiseTheInstalledToken) {
  for (int signal_number : {SIGTERM, SIGINT}) {
    CancellationToken token;
    install_cancel_signal_handlers(token);
    ASSERT_EQ(::raise(signal_number), 0);
    EXPECT_TRUE(token.cancelled()) << "signal " << signal_number;
    EXPECT_TRUE(readable(token.wait_fd()));
  }
}

}  // namespace
}  // namespace flowrun::exec

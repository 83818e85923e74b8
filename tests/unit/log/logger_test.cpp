#include "flowrun/log/logger.h"

#include <gtest/gtest.h>

#include "flowrun/log/sink.h"

namespace flowrun::log {
namespace {

class LoggerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::unique_ptr<Sink>> sinks;
    sinks.push_back(std::make_unique<CallbackSink>([this](std::string_view bytes) { captured_ += bytes; }));
    output_ = std::make_unique<MaskedOutput>(
        std::make_shared<const Masker>(std::vector<std::string>{"logger-secret-1"}), std::move(sinks));
    set_output(output_.get());
    set_level(Level::info);
    set_color(false);
  }
  void TearDown() override {
    set_output(nullptr);
    set_level(Level::info);
    set_color(false);
  }

  std::string captured_;
  std::unique_ptr<MaskedOutput> output_;
};

TEST_F(LoggerTest, WritesMaskedLinesThroughTheOutput) {
  info("pushing with logger-secret-1");
  warn("the token glpat-0123456789abcdefghij expires soon");
  error("push failed");
  EXPECT_EQ(captured_,
            "flowrun: pushing with [MASKED]\n"
            "flowrun: warning: the token [MASKED] expires soon\n"
            "flowrun: error: push failed\n");
}

TEST_F(LoggerTest, StartsOnItsOwnLineAfterUnfinishedCommandOutput) {
  output_->write("Downloading... 50%");
  info("cancelled");
  output_->write("next\n");
  EXPECT_EQ(captured_, "Downloading... 50%\nflowrun: cancelled\nnext\n");
}

TEST_F(LoggerTest, DropsMessagesBelowTheLevel) {
  debug("not shown");
  set_level(Level::debug);
  debug("shown");
  set_level(Level::error);
  warn("not shown either");
  error("still shown");
  EXPECT_EQ(captured_, "flowrun: debug: shown\nflowrun: error: still shown\n");
}

TEST_F(LoggerTest, ColoursTheLevelWord) {
  set_color(true);
  warn("w");
  error("e");
  info("i");
  EXPECT_EQ(captured_,
            "flowrun: \x1b[1;33mwarning\x1b[0m: w\n"
            "flowrun: \x1b[1;31merror\x1b[0m: e\n"
            "flowrun: i\n");
}

TEST(Logger, GoesToStandardErrorWithoutAnOutput) {
  set_output(nullptr);
  ::testing::internal::CaptureStderr();
  info("before the output exists");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "flowrun: before the output exists\n");
}

TEST(Logger, FormatsMessages) {
  EXPECT_EQ(format_message(Level::info, "x", true), "flowrun: x");
  EXPECT_EQ(format_message(Level::warn, "x", false), "flowrun: warning: x");
  EXPECT_EQ(format_message(Level::error, "x", false), "flowrun: error: x");
}

}  // namespace
}  // namespace flowrun::log

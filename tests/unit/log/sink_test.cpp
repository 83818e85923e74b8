#include "flowrun/log/sink.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace flowrun::log {
namespace {

namespace fs = std::filesystem;

class Pipe {
 public:
  Pipe() { EXPECT_EQ(::pipe2(fds_, O_CLOEXEC), 0); }
  ~Pipe() {
    close_read();
    close_write();
  }
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void close_read() {
    if (fds_[0] >= 0) ::close(fds_[0]);
    fds_[0] = -1;
  }
  void close_write() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    fds_[1] = -1;
  }
  std::string read_all() {
    std::string out;
    char buffer[65536];
    ssize_t n;
    while ((n = ::read(fds_[0], buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(n));
    return out;
  }

 private:
  int fds_[2] = {-1, -1};
};

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "flowrun-log-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

TEST(FdSink, WritesEverythingThroughAPipeLargerThanItsBuffer) {
  Pipe pipe;
  const std::string data(1024 * 1024, 'x');  // a pipe holds 64 KiB: writes are partial and block until read
  std::string received;
  std::thread reader([&] { received = pipe.read_all(); });
  {
    FdSink sink(pipe.write_end());
    sink.write(data);
    sink.write("end\n");
    EXPECT_FALSE(sink.failed());
  }
  pipe.close_write();
  reader.join();
  EXPECT_EQ(received, data + "end\n");
}

TEST(FdSink, WaitsOnANonBlockingDescriptor) {
  Pipe pipe;
  ASSERT_EQ(::fcntl(pipe.write_end(), F_SETFL, O_NONBLOCK), 0);
  const std::string data(512 * 1024, 'y');
  std::string received;
  std::thread reader([&] { received = pipe.read_all(); });
  FdSink sink(pipe.write_end());
  sink.write(data);
  pipe.close_write();
  reader.join();
  EXPECT_FALSE(sink.failed());
  EXPECT_EQ(received.size(), data.size());
}

TEST(FdSink, StopsQuietlyWhenTheReaderIsGone) {
  Pipe pipe;
  pipe.close_read();
  // SIGPIPE keeps its default action (terminate): the sink must neither die of it nor leave it pending.
  ASSERT_NE(std::signal(SIGPIPE, SIG_DFL), SIG_ERR);
  FdSink sink(pipe.write_end(), "the terminal");
  sink.write("nobody reads this\n");
  EXPECT_TRUE(sink.failed());
  EXPECT_EQ(sink.error().rfind("cannot write to the terminal: ", 0), 0u) << sink.error();
  sink.write("ignored after the first error\n");
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);
}

TEST(FileSink, CreatesParentDirectoriesWithOwnerOnlyPermissions) {
  TempDir dir;
  const fs::path path = dir.path() / "a" / "b" / "flowrun.log";
  auto opened = FileSink::open(path);
  ASSERT_TRUE(opened.sink) << opened.error;
  opened.sink->write("line one\n");
  opened.sink->write("line two\n");
  opened.sink.reset();
  EXPECT_EQ(read_file(path), "line one\nline two\n");
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(FileSink, TruncatesAndTightensAnExistingFile) {
  TempDir dir;
  const fs::path path = dir.path() / "old.log";
  std::ofstream(path) << "old content that is longer\n";
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto opened = FileSink::open(path);
  ASSERT_TRUE(opened.sink) << opened.error;
  opened.sink->write("new\n");
  opened.sink.reset();
  EXPECT_EQ(read_file(path), "new\n");
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(FileSink, SaysWhatWentWrongWhenItCannotCreateTheFile) {
  TempDir dir;
  const fs::path blocker = dir.path() / "not-a-directory";
  std::ofstream(blocker) << "x";
  auto opened = FileSink::open(blocker / "flowrun.log");
  EXPECT_FALSE(opened.sink);
  EXPECT_NE(opened.error.find((blocker / "flowrun.log").string()), std::string::npos) << opened.error;
  EXPECT_NE(opened.error.find("log file"), std::string::npos) << opened.error;
}

TEST(TeeSink, WritesToEverySinkInOrder) {
  std::string first;
  std::string second;
  TeeSink tee;
  tee.add(std::make_unique<CallbackSink>([&](std::string_view bytes) { first += bytes; }));
  tee.add(std::make_unique<CallbackSink>([&](std::string_view bytes) { second += bytes; }));
  tee.write("a");
  tee.write("b");
  EXPECT_EQ(first, "ab");
  EXPECT_EQ(second, "ab");
  EXPECT_EQ(tee.size(), 2u);
}

TEST(MaskedOutput, MasksAcrossWritesIntoEverySink) {
  TempDir dir;
  std::string captured;
  std::vector<std::unique_ptr<Sink>> sinks;
  sinks.push_back(std::make_unique<CallbackSink>([&](std::string_view bytes) { captured += bytes; }));
  auto file = FileSink::open(dir.path() / "out.log");
  ASSERT_TRUE(file.sink) << file.error;
  sinks.push_back(std::move(file.sink));
  MaskedOutput output(std::make_shared<const Masker>(std::vector<std::string>{"the-secret-value"}), std::move(sinks));
  output.write("echo the-sec");
  output.flush_partial();
  EXPECT_EQ(captured, "echo ");
  EXPECT_EQ(output.pending_bytes(), 7u);
  output.write("ret-value and done");
  output.write_line("flowrun: a message about the-secret-value");
  output.write("tail the-secret-val");
  output.finish();
  const std::string expected = "echo [MASKED] and done\nflowrun: a message about [MASKED]\ntail the-secret-val";
  EXPECT_EQ(captured, expected);
  EXPECT_EQ(read_file(dir.path() / "out.log"), expected);
}

TEST(MaskedOutput, KeepsWritesFromSeveralThreadsWhole) {
  std::string captured;
  std::vector<std::unique_ptr<Sink>> sinks;
  sinks.push_back(std::make_unique<CallbackSink>([&](std::string_view bytes) { captured += bytes; }));
  MaskedOutput output(std::make_shared<const Masker>(std::vector<std::string>{"threaded-secret"}), std::move(sinks));
  auto writer = [&](char tag) {
    for (int k = 0; k < 2000; ++k) output.write_line(std::string(1, tag) + " threaded-secret");
  };
  std::thread a(writer, 'a');
  std::thread b(writer, 'b');
  a.join();
  b.join();
  output.finish();
  std::istringstream lines(captured);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    ASSERT_TRUE(line == "a [MASKED]" || line == "b [MASKED]") << line;
  }
  EXPECT_EQ(count, 4000);
}

}  // namespace
}  // namespace flowrun::log

#pragma once
// A fresh directory for one test, removed with everything in it when the object goes away.
#include <filesystem>
#include <string>

namespace flowrun::testing {

class TempDir {
 public:
  // Creates <TMPDIR or /tmp>/<prefix>XXXXXX; throws std::runtime_error when that fails.
  explicit TempDir(const std::string& prefix = "flowrun-test-");
  ~TempDir();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  void remove() noexcept;
  std::filesystem::path path_;
};

}  // namespace flowrun::testing

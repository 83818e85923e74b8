// The CA bundle HTTPS uses: the instance's own, else the system's, else the one the release bundle carries.
#include "flowrun/core/ca_bundle.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace flowrun {
namespace {

namespace fs = std::filesystem;

class CaBundle : public ::testing::Test {
 protected:
  void SetUp() override {
    // A release bundle's layout: bin/flowrun and share/flowrun/ca-certificates.crt.
    fs::create_directories(dir_.path() / "bundle/bin");
    fs::create_directories(dir_.path() / "bundle/share/flowrun");
    std::ofstream(dir_.path() / "bundle/share/flowrun/ca-certificates.crt") << "certificates\n";
    std::ofstream(dir_.path() / "system.crt") << "system certificates\n";
  }
  fs::path executable() const { return dir_.path() / "bundle/bin/flowrun"; }
  testing::TempDir dir_;
};

TEST_F(CaBundle, TheInstancesOwnCaWins) {
  Environment env(std::map<std::string, std::string>{{"CI_SERVER_TLS_CA_FILE", "/builds/ca.pem"}});
  EXPECT_EQ(ca_file_for(env, dir_.path() / "missing.crt", executable()), "/builds/ca.pem");
}

TEST_F(CaBundle, TheSystemsCasWhenItHasThem) {
  EXPECT_EQ(ca_file_for(Environment(), dir_.path() / "system.crt", executable()), "");
}

TEST_F(CaBundle, TheCarriedBundleOnASystemWithout) {
  EXPECT_EQ(ca_file_for(Environment(), dir_.path() / "missing.crt", executable()),
            (dir_.path() / "bundle/share/flowrun/ca-certificates.crt").string());
}

TEST_F(CaBundle, NothingWhenNeitherExists) {
  EXPECT_EQ(ca_file_for(Environment(), dir_.path() / "missing.crt", dir_.path() / "elsewhere/bin/flowrun"), "");
}

}  // namespace
}  // namespace flowrun

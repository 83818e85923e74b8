#include <gtest/gtest.h>

#include "flowrun/gitlab/client.h"

namespace flowrun::gitlab {
namespace {

TEST(RedactForLog, MasksSecretLookingQueryParameters) {
  EXPECT_EQ(redact_for_log("/projects/1/notes?private_token=abc&page=2&access_token=xyz#frag"),
            "/projects/1/notes?private_token=[MASKED]&page=2&access_token=[MASKED]#frag");
  EXPECT_EQ(redact_for_log("https://h/api/v4/x?API_KEY=1&sort=desc"), "https://h/api/v4/x?API_KEY=[MASKED]&sort=desc");
}

TEST(RedactForLog, MasksKnownTokenShapesAnywhere) {
  const std::string path = "/projects/1/notes/glpat-abcdefghijklmnopqrstu";
  EXPECT_EQ(redact_for_log(path), "/projects/1/notes/[MASKED]");
}

TEST(RedactForLog, LeavesOrdinaryPathsAlone) {
  EXPECT_EQ(redact_for_log("/projects/g%2Fp/merge_requests?state=opened&source_branch=fix"),
            "/projects/g%2Fp/merge_requests?state=opened&source_branch=fix");
}

}  // namespace
}  // namespace flowrun::gitlab

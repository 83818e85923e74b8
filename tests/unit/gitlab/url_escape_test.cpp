// The parts of API URLs flowrun builds: escaped by libcurl, and "." or ".." never left for a client to resolve.
#include "flowrun/gitlab/internal/url_escape.h"

#include <gtest/gtest.h>

#include "flowrun/gitlab/reporter.h"

namespace flowrun::gitlab {
namespace {

TEST(UrlEscape, EverythingButUnreservedCharactersIsEncoded) {
  EXPECT_EQ(internal::url_escaped("group/sub project"), "group%2Fsub%20project");
  EXPECT_EQ(internal::url_escaped("feature/ä?x=1&y#z"), "feature%2F%C3%A4%3Fx%3D1%26y%23z");
  EXPECT_EQ(internal::url_escaped("A-z_0.9~"), "A-z_0.9~");
  EXPECT_EQ(internal::url_escaped(""), "");
}

TEST(UrlEscape, ProjectIdsAndPaths) {
  EXPECT_EQ(encoded_api_id("42"), "42");
  EXPECT_EQ(encoded_api_id(" group/app "), "group%2Fapp");
  EXPECT_EQ(encoded_api_id("."), "%2E");
  EXPECT_EQ(encoded_api_id(".."), "%2E%2E");
}

}  // namespace
}  // namespace flowrun::gitlab

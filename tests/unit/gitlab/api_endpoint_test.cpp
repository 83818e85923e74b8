#include "flowrun/gitlab/api_endpoint.h"

#include <gtest/gtest.h>

#include "flowrun/core/environment.h"

namespace flowrun::gitlab {
namespace {

struct Case {
  std::map<std::string, std::string> env;
  std::string override_url;
  std::optional<std::string> expected;
};

TEST(ApiBaseUrl, FollowsTheDocumentedOrder) {
  const std::vector<Case> cases = {
      {{}, "", std::nullopt},
      {{{"CI_API_V4_URL", "https://ci.example.com/api/v4"}}, "", "https://ci.example.com/api/v4"},
      {{{"CI_API_V4_URL", "https://ci.example.com/api/v4"}, {"CI_SERVER_URL", "https://other.example.com"}},
       "",
       "https://ci.example.com/api/v4"},
      {{{"CI_SERVER_URL", "https://server.example.com"}}, "", "https://server.example.com/api/v4"},
      {{{"CI_SERVER_URL", "https://server.example.com"}, {"GITLAB_HOST", "host.example.com"}},
       "",
       "https://server.example.com/api/v4"},
      {{{"GITLAB_HOST", "host.example.com"}}, "", "https://host.example.com/api/v4"},
      {{{"AI_FLOW_GITLAB_HOSTNAME", "gitlab.example.com:8443"}}, "", "https://gitlab.example.com:8443/api/v4"},
      {{{"GITLAB_INSTANCE_URL", "https://instance.example.com/"}}, "", "https://instance.example.com/api/v4"},
      {{{"GITLAB_BASE_URL", "http://base.example.com/gitlab"}}, "", "http://base.example.com/gitlab/api/v4"},
      // A URL that says its scheme and path wins over a bare host name, which says neither.
      {{{"GITLAB_HOST", "a.example.com"}, {"GITLAB_BASE_URL", "https://b.example.com"}},
       "",
       "https://b.example.com/api/v4"},
      // GitLab 19.x filters CI_SERVER_URL and CI_API_V4_URL out of flow jobs.
      {{{"AI_FLOW_GITLAB_HOSTNAME", "127.0.0.1:8080"}, {"DUO_WORKFLOW_GIT_HTTP_BASE_URL", "http://127.0.0.1:8080/gl"}},
       "",
       "http://127.0.0.1:8080/gl/api/v4"},
      {{{"AI_FLOW_GITLAB_HOSTNAME", "127.0.0.1:8080"},
        {"CI_PROJECT_URL", "http://127.0.0.1:8080/gitlab/group/sub/project"},
        {"CI_PROJECT_PATH", "group/sub/project"}},
       "",
       "http://127.0.0.1:8080/gitlab/api/v4"},
      {{{"GITLAB_HOST", ""}, {"GITLAB_BASE_URL", "https://b.example.com"}}, "", "https://b.example.com/api/v4"},
      // The override wins over everything, in every accepted shape.
      {{{"CI_API_V4_URL", "https://ci.example.com/api/v4"}},
       "https://override.example.com",
       "https://override.example.com/api/v4"},
      {{}, "override.example.com", "https://override.example.com/api/v4"},
      {{}, "https://override.example.com/api/v4/", "https://override.example.com/api/v4"},
      {{}, "https://example.com/sub/path/api/v4", "https://example.com/sub/path/api/v4"},
      {{}, "HTTPS://Example.com", "https://Example.com/api/v4"},
      {{}, "  https://spaces.example.com  ", "https://spaces.example.com/api/v4"},
      // Not URLs.
      {{}, "ftp://example.com", std::nullopt},
      {{}, "https://", std::nullopt},
      {{}, "exa mple.com", std::nullopt},
      {{}, "https:", std::nullopt},
      {{}, "gitlab.example.com:https", std::nullopt},
      {{}, "https://user:secret@gitlab.example.com", std::nullopt},
      {{}, "http://[::1]:8080", "http://[::1]:8080/api/v4"},
      {{}, "127.0.0.1:3000", "https://127.0.0.1:3000/api/v4"},
      {{{"CI_API_V4_URL", "https://ci.example.com/api/v4"}}, "file:///etc/passwd", std::nullopt},
  };
  for (const Case& c : cases) {
    const Environment env(c.env);
    EXPECT_EQ(api_base_url(env, c.override_url), c.expected) << "override '" << c.override_url << "'";
  }
}

TEST(ApiBaseUrl, ApiSuffixIsNeverDoubled) {
  EXPECT_EQ(normalize_api_url("gitlab.com/api/v4"), "https://gitlab.com/api/v4");
  EXPECT_EQ(normalize_api_url("https://gitlab.com/api/v4///"), "https://gitlab.com/api/v4");
}

TEST(WebBaseUrl, StripsTheApiSuffixKeepingSubPaths) {
  EXPECT_EQ(web_base_url("https://example.com/gitlab/api/v4"), "https://example.com/gitlab");
  EXPECT_EQ(web_base_url("https://example.com/api/v4/"), "https://example.com");
  EXPECT_EQ(web_base_url("https://example.com"), "https://example.com");
}

}  // namespace
}  // namespace flowrun::gitlab

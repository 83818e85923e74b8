#include "flowrun/gitlab/api_token.h"

#include <algorithm>

#include "flowrun/core/environment.h"
#include "flowrun/core/text.h"

namespace flowrun::gitlab {

namespace {

constexpr std::string_view kIntegrationTokenPrefix = "GITLAB_TOKEN_";

bool fits_in_a_header(std::string_view value) {
  return !value.empty() && std::none_of(value.begin(), value.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= ' ' || u == 0x7F;
  });
}

class TokenList {
 public:
  explicit TokenList(const Environment& env) : env_(env) {}

  void add(const std::string& name, ApiToken::Kind kind) {
    auto raw = env_.non_empty(name);
    if (!raw) return;
    std::string value(text::trim(*raw));
    if (!fits_in_a_header(value)) return;
    bool seen = std::any_of(tokens_.begin(), tokens_.end(),
                            [&](const ApiToken& t) { return t.source == name || t.value == value; });
    if (!seen) tokens_.push_back(ApiToken{kind, std::move(value), name});
  }

  std::vector<ApiToken> take() { return std::move(tokens_); }

 private:
  const Environment& env_;
  std::vector<ApiToken> tokens_;
};

}  // namespace

std::vector<ApiToken> api_tokens_from_environment(const Environment& env,
                                                  const std::vector<std::string>& flow_variables) {
  TokenList tokens(env);
  tokens.add("FLOWRUN_GITLAB_TOKEN", ApiToken::Kind::private_token);
  for (const std::string& name : flow_variables) {
    if (name.size() > kIntegrationTokenPrefix.size() && name.starts_with(kIntegrationTokenPrefix))
      tokens.add(name, ApiToken::Kind::private_token);
  }
  tokens.add("GITLAB_TOKEN", ApiToken::Kind::private_token);
  tokens.add("AI_FLOW_GITLAB_TOKEN", ApiToken::Kind::bearer);
  return tokens.take();
}

std::vector<std::string> integration_token_names(const Environment& env) {
  std::vector<std::string> names;
  for (const auto& [name, value] : env.values()) {  // a std::map: already sorted
    if (name.size() > kIntegrationTokenPrefix.size() && name.starts_with(kIntegrationTokenPrefix) && !value.empty())
      names.push_back(name);
  }
  return names;
}

}  // namespace flowrun::gitlab

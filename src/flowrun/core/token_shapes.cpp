#include "flowrun/core/token_shapes.h"

#include <array>
#include <cctype>

namespace flowrun {

namespace {

// GitLab's prefixes are documented with its token types; the rest are the providers whose keys the example flows use.
constexpr std::array<TokenShape, 24> kShapes{{
    {"glpat-", 20, "GitLab personal access token"},
    {"gloas-", 20, "GitLab OAuth application secret"},
    {"gldt-", 20, "GitLab deploy token"},
    {"glrt-", 20, "GitLab runner authentication token"},
    {"glrtr-", 20, "GitLab runner registration token"},
    {"glcbt-", 20, "GitLab CI/CD job token"},
    {"glptt-", 20, "GitLab pipeline trigger token"},
    {"glft-", 20, "GitLab feed token"},
    {"glimt-", 20, "GitLab incoming mail token"},
    {"glagent-", 20, "GitLab agent for Kubernetes token"},
    {"glsoat-", 20, "GitLab SCIM OAuth token"},
    {"glffct-", 20, "GitLab feature flags client token"},
    {"glwt-", 20, "GitLab workspace token"},
    {"GR1348941", 20, "GitLab runner registration token (legacy)"},
    {"sk-ant-", 20, "Anthropic API key"},
    {"sk-proj-", 20, "OpenAI project API key"},
    {"sk-", 32, "OpenAI API key"},
    {"AKIA", 16, "AWS access key id"},
    {"ASIA", 16, "AWS temporary access key id"},
    {"ghp_", 30, "GitHub personal access token"},
    {"github_pat_", 30, "GitHub fine-grained token"},
    {"xoxb-", 20, "Slack bot token"},
    {"xoxp-", 20, "Slack user token"},
    {"AIza", 30, "Google API key"},
}};

bool continues_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'; }

}  // namespace

std::span<const TokenShape> token_shapes() { return kShapes; }

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '=' || c == '-';
}

std::optional<TokenMatch> find_token(std::string_view text, std::size_t from) {
  for (std::size_t i = from; i < text.size(); ++i) {
    if (i > 0 && continues_word(text[i - 1])) continue;
    for (const TokenShape& shape : kShapes) {
      if (text.compare(i, shape.prefix.size(), shape.prefix) != 0) continue;
      std::size_t end = i + shape.prefix.size();
      while (end < text.size() && is_token_char(text[end])) ++end;
      if (end - i - shape.prefix.size() >= shape.min_body) return TokenMatch{i, end - i, &shape};
    }
  }
  return std::nullopt;
}

}  // namespace flowrun

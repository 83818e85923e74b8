#include "flowrun/git/push_checks.h"

#include "flowrun/core/text.h"

namespace flowrun::git {

const std::vector<std::string>& default_protected_paths() {
  static const std::vector<std::string> paths{
      "/.gitlab-ci.yml", "*.gitlab-ci.yml", ".gitlab/ci/**",   ".gitlab/**.yml",     ".gitlab/**.yaml",
      ".gitlab/duo/**",  "/CODEOWNERS",     "docs/CODEOWNERS", ".gitlab/CODEOWNERS",
  };
  return paths;
}

std::string_view to_string(PushRefusal::Kind kind) {
  switch (kind) {
    case PushRefusal::Kind::secret:
      return "secret";
    case PushRefusal::Kind::protected_path:
      return "protected_path";
    case PushRefusal::Kind::too_large:
      return "too_large";
    case PushRefusal::Kind::link_outside:
      return "link_outside";
    case PushRefusal::Kind::path_not_utf8:
      return "path_not_utf8";
  }
  return "secret";
}

PushRefusal::Kind refusal_kind_from_string(std::string_view text) {
  for (auto kind : {PushRefusal::Kind::secret, PushRefusal::Kind::protected_path, PushRefusal::Kind::too_large,
                    PushRefusal::Kind::link_outside, PushRefusal::Kind::path_not_utf8}) {
    if (to_string(kind) == text) return kind;
  }
  return PushRefusal::Kind::secret;
}

std::string describe(const PushRefusal& refusal) {
  std::string where = refusal.path;
  if (refusal.line > 0) where += ":" + std::to_string(refusal.line);
  switch (refusal.kind) {
    case PushRefusal::Kind::secret:
      return where + ": an added line holds a secret (" + refusal.detail + "; masked in the patch)";
    case PushRefusal::Kind::protected_path:
      return where + ": a protected path (" + refusal.detail +
             "); allow it with flowrun.allow_protected_paths if the agent may change it";
    case PushRefusal::Kind::too_large:
      return where + ": " + refusal.detail;
    case PushRefusal::Kind::link_outside:
      return where + ": a link that points outside the work tree (" + refusal.detail + ")";
    case PushRefusal::Kind::path_not_utf8:
      return where + ": the path is not valid UTF-8";
  }
  return where;
}

std::string printable_path(std::string_view text) {
  if (text::is_valid_utf8(text)) return std::string(text);
  std::string out;
  std::size_t start = 0;
  // Byte by byte: each valid UTF-8 sequence is kept, each other byte written \xNN.
  while (start < text.size()) {
    std::size_t length = 1;
    const auto lead = static_cast<unsigned char>(text[start]);
    if (lead >= 0xF0) {
      length = 4;
    } else if (lead >= 0xE0) {
      length = 3;
    } else if (lead >= 0xC0) {
      length = 2;
    }
    const std::string_view piece = text.substr(start, length);
    if (piece.size() == length && text::is_valid_utf8(piece)) {
      out += piece;
      start += length;
      continue;
    }
    static constexpr char digits[] = "0123456789ABCDEF";
    out += "\\x";
    out += digits[lead >> 4];
    out += digits[lead & 0xF];
    ++start;
  }
  return out;
}

}  // namespace flowrun::git

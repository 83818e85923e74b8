#include "flowrun/git/exclusions.h"

namespace flowrun::git {
namespace {

// Matches a bracket expression at the start of `pattern` ("[...]") against `c`; returns the length consumed, or 0
// when the bracket is not closed (then '[' is an ordinary character).
std::size_t match_class(std::string_view pattern, char c, bool& matched) {
  std::size_t i = 1;
  bool negated = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negated = true;
    ++i;
  }
  bool found = false;
  bool first = true;
  while (i < pattern.size() && (pattern[i] != ']' || first)) {
    first = false;
    char low = pattern[i];
    if (low == '\\' && i + 1 < pattern.size()) low = pattern[++i];
    char high = low;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      high = pattern[i + 2];
      i += 2;
    }
    if (low <= c && c <= high) found = true;
    ++i;
  }
  if (i >= pattern.size()) return 0;
  matched = (found != negated) && c != '/';
  return i + 1;
}

bool match_from(std::string_view pattern, std::string_view text) {
  while (!pattern.empty()) {
    const char p = pattern.front();
    if (p == '*') {
      const bool double_star = pattern.size() >= 2 && pattern[1] == '*';
      if (double_star) {
        std::string_view rest = pattern.substr(2);
        // "**/" also matches no folder at all: "a/**/b" matches "a/b".
        if (rest.starts_with('/') && match_from(rest.substr(1), text)) return true;
        for (std::size_t i = 0; i <= text.size(); ++i) {
          if (match_from(rest, text.substr(i))) return true;
        }
        return false;
      }
      std::string_view rest = pattern.substr(1);
      for (std::size_t i = 0; i <= text.size(); ++i) {
        if (match_from(rest, text.substr(i))) return true;
        if (i < text.size() && text[i] == '/') break;
      }
      return false;
    }
    if (text.empty()) return false;
    if (p == '?') {
      if (text.front() == '/') return false;
      pattern.remove_prefix(1);
      text.remove_prefix(1);
      continue;
    }
    if (p == '[') {
      bool matched = false;
      if (const auto used = match_class(pattern, text.front(), matched); used > 0) {
        if (!matched) return false;
        pattern.remove_prefix(used);
        text.remove_prefix(1);
        continue;
      }
    }
    char literal = p;
    if (p == '\\' && pattern.size() >= 2) {
      literal = pattern[1];
      pattern.remove_prefix(1);
    }
    if (text.front() != literal) return false;
    pattern.remove_prefix(1);
    text.remove_prefix(1);
  }
  return text.empty();
}

std::string inside(const std::filesystem::path& top, const std::filesystem::path& path) {
  const auto relative = path.lexically_normal().lexically_relative(top);
  if (relative.empty()) return {};
  const std::string text = relative.generic_string();
  if (text == ".." || text.starts_with("../")) return {};
  return text == "." ? std::string() : text;
}

// `path` relative to the top, by name first: a link the agent put in place of flowrun's folder (.flowrun -> src)
// must not turn flowrun's path into another folder of the tree. Links are resolved only when the names do not meet
// (the job may name the work tree through a link).
std::string generic_relative(const std::filesystem::path& top, const std::filesystem::path& canonical_top,
                             const std::filesystem::path& path) {
  for (const auto& candidate : {top, canonical_top}) {
    if (auto text = inside(candidate, path); !text.empty()) return text;
  }
  std::error_code ec;
  const auto canonical_path = std::filesystem::weakly_canonical(path, ec);
  return inside(canonical_top, ec ? path : canonical_path);
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) { return match_from(pattern, text); }

Exclusions::Exclusions(const std::filesystem::path& top, const std::vector<std::filesystem::path>& never_commit,
                       std::vector<std::string> globs) {
  std::error_code ec;
  auto canonical_top = std::filesystem::weakly_canonical(top, ec);
  if (ec) canonical_top = top;
  for (const auto& path : never_commit) {
    if (auto relative = generic_relative(top, canonical_top, path); !relative.empty()) {
      while (relative.ends_with('/')) relative.pop_back();
      own_paths_.push_back(std::move(relative));
    }
  }
  for (auto& glob : globs) {
    while (!glob.empty() && glob.ends_with('/')) glob.pop_back();
    bool anchored = glob.find('/') != std::string::npos;
    if (glob.starts_with('/')) glob.erase(0, 1);
    if (!glob.empty()) globs_.push_back(Glob{std::move(glob), anchored});
  }
}

bool Exclusions::excludes(std::string_view path) const { return is_own_file(path) || matches_glob(path); }

bool Exclusions::is_own_file(std::string_view path) const {
  for (const auto& own : own_paths_) {
    if (path == own) return true;
    if (path.size() > own.size() && path.starts_with(own) && path[own.size()] == '/') return true;
  }
  return false;
}

bool Exclusions::matches_glob(std::string_view path) const {
  for (const auto& [glob, anchored] : globs_) {
    // Try the path itself and every folder above it, so a pattern naming a folder excludes its content.
    std::size_t component_start = 0;
    for (std::size_t end = 0; end <= path.size(); ++end) {
      if (end != path.size() && path[end] != '/') continue;
      const std::string_view candidate =
          anchored ? path.substr(0, end) : path.substr(component_start, end - component_start);
      if (glob_match(glob, candidate)) return true;
      component_start = end + 1;
    }
  }
  return false;
}

}  // namespace flowrun::git

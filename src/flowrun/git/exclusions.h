#pragma once
// Paths that are never committed: flowrun's own files and the flow's exclude globs.
//
// Pattern syntax (matched against the path relative to the top of the work tree, '/' separated):
//   *  any run of characters except '/'      ?  one character except '/'
//   ** any run of characters including '/'  [abc] [a-z] [!a-z] a character class;  \x  a literal x
// A pattern without '/' matches a file or folder name at any depth ("*.log", "node_modules"); a pattern with '/'
// matches from the top ("build/**", "docs/*.tmp"; a leading '/' is allowed). A pattern that matches a folder
// excludes everything in it.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace flowrun::git {

// True when `pattern` matches the whole of `text` ('/' is special as described above).
bool glob_match(std::string_view pattern, std::string_view text);

class Exclusions {
 public:
  // `never_commit` are absolute paths (files or folders); those outside `top` are ignored.
  Exclusions(const std::filesystem::path& top, const std::vector<std::filesystem::path>& never_commit,
             std::vector<std::string> globs);

  // `path` is relative to the top of the work tree.
  bool excludes(std::string_view path) const;

 private:
  bool is_own_file(std::string_view path) const;
  bool matches_glob(std::string_view path) const;

  struct Glob {
    std::string pattern;
    bool anchored;  // matched from the top (it has a '/'), not against each name
  };

  std::vector<std::string> own_paths_;  // relative to the top
  std::vector<Glob> globs_;
};

}  // namespace flowrun::git

#pragma once
// Reads a dotenv file (--env-file): the variables a flow would get in CI, for rehearsing it on a laptop.
#include <filesystem>
#include <map>
#include <string>
#include <variant>

namespace flowrun::run {

struct DotenvError {
  std::string message;  // "<file>:<line>:<col>: ..." with what to do
};

// Lines `NAME=value`, optionally prefixed by `export `. Values may be single-quoted (literal), double-quoted (with
// \n \t \" \\ escapes, may span lines) or bare (trailing spaces and ` #comment` removed). `#` lines and blank lines are
// skipped. No variable expansion: a value is taken as written, so a file can never run code.
std::variant<std::map<std::string, std::string>, DotenvError> parse_dotenv(const std::string& text,
                                                                           const std::string& display_name);
std::variant<std::map<std::string, std::string>, DotenvError> read_dotenv_file(const std::filesystem::path& path);

}  // namespace flowrun::run

#include "flowrun/core/environment.h"

#include <cstring>

extern char** environ;

namespace flowrun {

Environment Environment::from_process() {
  std::map<std::string, std::string> values;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const char* eq = std::strchr(*entry, '=');
    if (eq == nullptr) continue;
    values.emplace(std::string(*entry, static_cast<std::size_t>(eq - *entry)), std::string(eq + 1));
  }
  return Environment(std::move(values));
}

std::optional<std::string> Environment::get(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Environment::non_empty(std::string_view name) const {
  auto value = get(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

std::optional<std::pair<std::string, std::string>> Environment::first_non_empty(
    std::initializer_list<std::string_view> names) const {
  for (auto name : names) {
    if (auto value = non_empty(name)) return std::make_pair(std::string(name), *value);
  }
  return std::nullopt;
}

}  // namespace flowrun

#pragma once
// A snapshot of environment variables. Every module reads variables through this, never through getenv(),
// so a run can be driven by tests, by --env-file and by the real job environment alike.
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace flowrun {

class Environment {
 public:
  Environment() = default;
  explicit Environment(std::map<std::string, std::string> values) : values_(std::move(values)) {}

  // The calling process's environment (environ).
  static Environment from_process();

  // The value, or nullopt when unset. An empty value is returned as "".
  std::optional<std::string> get(std::string_view name) const;
  // The value when set and not empty.
  std::optional<std::string> non_empty(std::string_view name) const;
  // The first of the names that is set and not empty, as {name, value}.
  std::optional<std::pair<std::string, std::string>> first_non_empty(
      std::initializer_list<std::string_view> names) const;

  bool contains(std::string_view name) const { return values_.find(std::string(name)) != values_.end(); }
  void set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }
  void erase(std::string_view name) { values_.erase(std::string(name)); }

  const std::map<std::string, std::string>& values() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace flowrun

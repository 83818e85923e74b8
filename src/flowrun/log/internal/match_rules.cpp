#include "flowrun/log/internal/match_rules.h"

#include <algorithm>
#include <cstring>

#include "flowrun/core/secret_policy.h"

namespace flowrun::log::internal {

namespace {

bool equal_icase(const char* a, std::string_view b) {
  for (std::size_t k = 0; k < b.size(); ++k) {
    auto x = static_cast<unsigned char>(a[k]);
    auto y = static_cast<unsigned char>(b[k]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::size_t count_class(const char* data, std::size_t from, std::size_t end, CharClass cls) {
  const CharClassTable& classes = kCharClasses;
  std::size_t k = from;
  while (k < end && (classes[static_cast<unsigned char>(data[k])] & cls) != 0) ++k;
  return k - from;
}

}  // namespace

const std::vector<std::string_view>& masked_query_parameters() { return secret_policy::masked_query_parameters(); }

MatchRules::MatchRules(std::vector<std::string> secrets) : secrets_(std::move(secrets)) {
  std::erase_if(secrets_, [](const std::string& s) { return s.empty(); });
  std::sort(secrets_.begin(), secrets_.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  secrets_.erase(std::unique(secrets_.begin(), secrets_.end()), secrets_.end());
  for (std::size_t k = 0; k < secrets_.size(); ++k) {
    secrets_by_first_byte_[static_cast<unsigned char>(secrets_[k].front())].push_back(static_cast<std::uint32_t>(k));
  }

  std::size_t longest_token = 0;
  for (const TokenShape& shape : token_shapes()) {
    const auto first = static_cast<unsigned char>(shape.prefix.front());
    if (shapes_by_first_byte_[first].empty()) token_first_bytes_.push_back(first);
    shapes_by_first_byte_[first].push_back(&shape);
    if (shape.prefix.size() < 2) {
      token_second_bytes_[first].fill(~std::uint64_t{0});
    } else {
      const auto second = static_cast<unsigned char>(shape.prefix[1]);
      token_second_bytes_[first][second >> 6] |= std::uint64_t{1} << (second & 63);
    }
    const std::size_t threshold = shape.prefix.size() + shape.min_body;
    shortest_token_ = shortest_token_ == 0 ? threshold : std::min(shortest_token_, threshold);
    longest_token = std::max(longest_token, threshold);
  }
  max_pending_ = std::max(longest_secret(), longest_token);
  // Each distinct two-byte name ending gets a bit, set on its last byte in one table and on the byte before in the
  // other, in both cases.
  std::vector<std::string> endings;
  for (std::string_view name : masked_query_parameters()) {
    std::string ending(name.substr(name.size() - 2));
    for (char& c : ending) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (std::find(endings.begin(), endings.end(), ending) != endings.end()) continue;
    const auto bit = static_cast<std::uint8_t>(1u << endings.size());
    endings.push_back(ending);
    for (int k = 0; k < 2; ++k) {
      auto& table = k == 0 ? name_second_last_byte_ : name_last_byte_;
      const auto c = static_cast<unsigned char>(ending[static_cast<std::size_t>(k)]);
      table[c] |= bit;
      if (c >= 'a' && c <= 'z') table[c - 'a' + 'A'] |= bit;
    }
  }
}

bool MatchRules::query_value_starts_at(const char* data, std::size_t i) const {
  if (i < 3 || data[i - 1] != '=' || !may_end_query_parameter(data + i - 1)) return false;
  const std::size_t equals = i - 1;
  for (std::string_view name : masked_query_parameters()) {
    if (equals < name.size() + 1) continue;
    const char before = data[equals - name.size() - 1];
    if ((before == '?' || before == '&') && equal_icase(data + equals - name.size(), name)) return true;
  }
  return false;
}

Decision MatchRules::decide(const char* data, std::size_t i, std::size_t end, bool final) const {
  const std::size_t available = end - i;
  const auto first = static_cast<unsigned char>(data[i]);

  // Secrets, longest first: the first that matches is the longest. One that the data ends inside of could still be
  // longer than everything else. Past this point no secret can be longer than the data: a token or query value that
  // reaches the end of the data is the longest match whatever comes next.
  std::size_t secret_length = 0;
  for (std::uint32_t index : secrets_by_first_byte_[first]) {
    const std::string& secret = secrets_[index];
    if (secret.size() > available) {
      if (!final && std::memcmp(data + i, secret.data(), available) == 0) return {Decision::Kind::undecided};
      continue;
    }
    if (std::memcmp(data + i, secret.data(), secret.size()) == 0) {
      secret_length = secret.size();
      break;
    }
  }

  // A query value run is never shorter than a token run from the same position (token characters continue values),
  // so when both exist the value decides.
  if (query_value_starts_at(data, i)) {
    const std::size_t length = count_class(data, i, end, kQueryValueChar);
    if (length > 0) {
      if (length == available && !final) return {Decision::Kind::run, length, Run::query_value};
      return {Decision::Kind::match, std::max(length, secret_length)};
    }
  }

  bool token_may_follow = false;
  if (!has_class(static_cast<unsigned char>(data[i - 1]), kWordChar)) {
    for (const TokenShape* shape : shapes_by_first_byte_[first]) {
      const std::string_view prefix = shape->prefix;
      if (prefix.size() > available) {
        if (!final && std::memcmp(data + i, prefix.data(), available) == 0) token_may_follow = true;
        continue;
      }
      if (std::memcmp(data + i, prefix.data(), prefix.size()) != 0) continue;
      // Prefixes are made of token characters, so the token is the run of token characters from i.
      const std::size_t length = prefix.size() + count_class(data, i + prefix.size(), end, kTokenChar);
      const bool open_ended = length == available && !final;
      if (length - prefix.size() < shape->min_body) {
        if (open_ended) token_may_follow = true;
        continue;
      }
      if (open_ended) return {Decision::Kind::run, length, Run::token};
      return {Decision::Kind::match, std::max(length, secret_length)};
    }
  }
  if (token_may_follow) return {Decision::Kind::undecided};
  if (secret_length > 0) return {Decision::Kind::match, secret_length};
  return {Decision::Kind::no_match};
}

}  // namespace flowrun::log::internal

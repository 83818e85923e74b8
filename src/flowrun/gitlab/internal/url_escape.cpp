#include "flowrun/gitlab/internal/url_escape.h"

#include <curl/curl.h>

#include <climits>
#include <memory>
#include <new>

namespace flowrun::gitlab::internal {

std::string url_escaped(std::string_view text) {
  if (text.empty()) return {};
  if (text.size() > static_cast<std::size_t>(INT_MAX)) throw std::bad_alloc();
  const std::unique_ptr<char, decltype(&curl_free)> escaped(
      curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size())), &curl_free);
  if (!escaped) throw std::bad_alloc();  // curl fails only when out of memory
  return std::string(escaped.get());
}

}  // namespace flowrun::gitlab::internal

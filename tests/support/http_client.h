#pragma once
// A small blocking HTTP client (libcurl underneath) for tests that talk to the fake GitLab directly.
#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace flowrun::testing {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"PRIVATE-TOKEN", "..."}
  std::string body;                                          // sent when not empty
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
};

struct HttpResponse {
  int status = 0;                              // 0 when no response arrived (see error)
  std::map<std::string, std::string> headers;  // names lowercased; the last value of a repeated header
  std::string body;
  std::string error;   // the transport error ("Empty reply from server", "Timeout was reached"...), else empty
  double seconds = 0;  // how long the exchange took

  // The header's value (name in any case), or "" when absent.
  std::string header(const std::string& name) const;
};

HttpResponse http_request(const HttpRequest& request);

}  // namespace flowrun::testing

#pragma once
// The links a reader of a note, a merge request description or a commit message can follow — Markdown link targets,
// autolinks and bare URLs — and a check that each one is a working page of the fake GitLab.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "support/fake_gitlab.h"
#include "support/http_client.h"

namespace flowrun::testing {

// Every http(s) URL in `text`, in order: what ends a URL in Markdown (a space, `)`, `>`, a quote, a bracket) ends it
// here, and so does punctuation that closes the sentence it sits in.
inline std::vector<std::string> links_in(const std::string& text) {
  static const std::regex url(R"(https?://[^\s<>()\[\]"'`]+)");
  std::vector<std::string> links;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), url); it != std::sregex_iterator(); ++it) {
    std::string link = it->str();
    while (!link.empty() && std::string(".,;:!?*_").find(link.back()) != std::string::npos) link.pop_back();
    links.push_back(link);
  }
  return links;
}

// Each link of `text` points into the instance (`gitlab.url()`, its URL root included) and answers 200 there.
inline void expect_links_work(const FakeGitLab& gitlab, const std::string& text, const std::string& what) {
  for (const std::string& link : links_in(text)) {
    EXPECT_EQ(link.rfind(gitlab.url() + "/", 0), 0u) << what << " links outside the instance: " << link;
    const HttpResponse page = http_request({.url = link});
    EXPECT_EQ(page.status, 200) << what << " has a broken link: " << link << " " << page.error << "\n" << text;
  }
}

}  // namespace flowrun::testing

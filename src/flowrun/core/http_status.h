#pragma once
// Which HTTP answers say "try again later", for every part of flowrun that talks HTTP (the GitLab API and git's
// push): one list, so a push and an API call give up on the same answers.

namespace flowrun::core {

// 408, 429 and the 5xx a proxy or a busy server answers with. 501 (Not Implemented) and 505 (HTTP Version Not
// Supported) are permanent and not retried.
bool is_retryable_http_status(long status);

}  // namespace flowrun::core

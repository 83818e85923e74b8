#include "flowrun/log/secret_set.h"

#include <algorithm>
#include <array>
#include <set>
#include <span>

#include "flowrun/core/secret_policy.h"
#include "flowrun/core/text.h"

namespace flowrun::log {

namespace {

// What GitLab describes the run with: never secret, and its text may quote URLs with someone else's password.
bool is_run_description(std::string_view name) {
  return name.starts_with("AI_FLOW_") && secret_policy::describes_the_run(name);
}

// The password of `scheme://user:password@host/...`, or empty.
std::string_view url_password(std::string_view value) {
  auto scheme_end = value.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = value.substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  auto at = authority.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string_view userinfo = authority.substr(0, at);
  auto colon = userinfo.find(':');
  if (colon == std::string_view::npos) return {};
  return userinfo.substr(colon + 1);
}

// %XX sequences decoded (a URL's password is written encoded; programs may print it decoded).
std::string percent_decode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (text[k] == '%' && k + 2 < text.size() && hex(text[k + 1]) >= 0 && hex(text[k + 2]) >= 0) {
      out += static_cast<char>(hex(text[k + 1]) * 16 + hex(text[k + 2]));
      k += 2;
    } else {
      out += text[k];
    }
  }
  return out;
}

// `Key: Value` lines of AI_FLOW_AI_GATEWAY_HEADERS: the values are credentials, the keys are not.
std::vector<std::string_view> header_values(std::string_view headers) {
  std::vector<std::string_view> values;
  for (std::string_view line : text::split_lines(headers)) {
    auto colon = line.find(':');
    if (colon != std::string_view::npos) values.push_back(text::trim(line.substr(colon + 1)));
  }
  return values;
}

void add_form(std::vector<std::string>& forms, std::string_view form) {
  if (form.size() >= kMinSecretLength) forms.emplace_back(form);
}

}  // namespace

std::string json_escape(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += hex[(c >> 4) & 0xF];
          out += hex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::vector<std::string> secret_forms(std::string_view value, bool line_by_line) {
  std::vector<std::string_view> bases{value, text::trim(value)};
  if (line_by_line && value.find('\n') != std::string_view::npos) {
    for (std::string_view line : text::split_lines(value)) {
      if (line.ends_with('\r')) line.remove_suffix(1);
      bases.push_back(line);
      bases.push_back(text::trim(line));  // re-indented by whatever printed it
    }
  }
  std::vector<std::string> forms;
  for (std::string_view base : bases) {
    add_form(forms, base);
    if (base.size() < kMinSecretLength) continue;
    std::string encoded = text::url_encode(base);
    if (encoded != base) forms.push_back(std::move(encoded));
    std::string escaped = json_escape(base);
    if (escaped != base) forms.push_back(std::move(escaped));
  }
  return forms;
}

SecretSet collect_secrets(const Environment& env, const std::vector<std::string>& flow_variable_names,
                          const std::vector<std::string>& forced_masked,
                          const std::vector<std::string>& forced_unmasked) {
  auto listed_in = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  std::set<std::string> short_names;
  std::set<std::string> masked_names;
  std::vector<std::string> forms;
  auto add_value = [&](const std::string& name, std::string_view value, bool line_by_line = true) {
    if (value.empty()) return;
    if (text::trim(value).size() < kMinSecretLength) {
      short_names.insert(name);
      return;
    }
    masked_names.insert(name);
    for (auto& form : secret_forms(value, line_by_line)) forms.push_back(std::move(form));
  };

  SecretSet set;
  for (const auto& [name, value] : env.values()) {
    const secret_policy::FlowChoice choice{listed_in(flow_variable_names, name), listed_in(forced_masked, name),
                                           listed_in(forced_unmasked, name)};
    const secret_policy::Decision decision = secret_policy::decide(name, value, choice);
    if (choice.listed || decision.masked) set.decisions.push_back({name, decision});
    if (choice.forced_unmasked || decision.reason == secret_policy::Reason::describes_the_run) continue;
    // Of a JSON credential, the secret fields line by line (a service account's private key), not every line of the
    // document: its client_email, project_id and token_uri are not secret.
    const std::vector<std::string> json_secrets = secret_policy::json_credential_secrets(value);
    if (decision.masked) add_value(name, value, /*line_by_line=*/json_secrets.empty());
    if (name == "AI_FLOW_AI_GATEWAY_HEADERS") {
      for (std::string_view header_value : header_values(value)) add_value(name, header_value);
    }
    if (decision.masked || choice.listed) {
      for (const std::string& part : json_secrets) add_value(name, part);
    }
  }
  // A URL's password is secret whatever the variable is called (CI_REPOSITORY_URL, DATABASE_URL, ...); not one
  // quoted in the issue or note GitLab describes the run with.
  for (const auto& [name, value] : env.values()) {
    if (is_run_description(name) || listed_in(forced_unmasked, name)) continue;
    const std::string_view password = url_password(value);
    if (password.empty()) continue;
    add_value(name, password);
    const std::string decoded = percent_decode(password);
    if (decoded != password) add_value(name, decoded);
  }

  std::sort(forms.begin(), forms.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
  // A name reported short for one part (a short header value) but masked for the whole is not worth a warning.
  for (const auto& name : masked_names) short_names.erase(name);

  set.values = std::move(forms);
  set.short_names.assign(short_names.begin(), short_names.end());
  set.masked_names.assign(masked_names.begin(), masked_names.end());
  return set;
}

}  // namespace flowrun::log

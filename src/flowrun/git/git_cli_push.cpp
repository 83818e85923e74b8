// One push attempt with the `git` command line. Used for shallow clones with libgit2 < 1.7, which cannot push
// from them. git runs without a shell, in a throw-away git directory that borrows the repository's objects
// (objects/info/alternates) and its shallow boundary, so nothing from the repository's own config, hooks or
// credential helpers applies. The token reaches git only through its environment, via an askpass script that
// prints environment variables: never in argv, a URL or a file.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "flowrun/core/http_status.h"
#include "flowrun/core/process.h"
#include "flowrun/git/push.h"
#include "flowrun/git/trusted_git.h"

namespace flowrun::git::detail {
namespace {

constexpr std::chrono::seconds kGitTimeout{600};
// A server that sends less than 1 byte/s for this long is given up on (git's default waits for ever).
constexpr const char* kLowSpeedSeconds = "30";

constexpr std::string_view kAskpassScript =
    "#!/bin/sh\n"
    "case \"$1\" in\n"
    "  [Uu]sername*) printf '%s\\n' \"$FLOWRUN_GIT_USERNAME\" ;;\n"
    "  *) printf '%s\\n' \"$FLOWRUN_GIT_PASSWORD\" ;;\n"
    "esac\n";

// A 0700 folder under the temporary directory, removed with everything in it when done.
class PrivateDirectory {
 public:
  PrivateDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "flowrun-git-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw GitError("cannot create a temporary folder for git");
    path_ = pattern;
  }
  PrivateDirectory(const PrivateDirectory&) = delete;
  PrivateDirectory& operator=(const PrivateDirectory&) = delete;
  ~PrivateDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void write_file(const std::filesystem::path& path, std::string_view content, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw GitError("cannot write " + path.string());
  }
  ::chmod(path.c_str(), mode);
}

// A bare git directory whose HEAD is the commit to push and whose objects are the repository's.
std::filesystem::path make_borrowing_git_dir(git_repository* repo, const std::string& commit,
                                             const std::filesystem::path& parent) {
  const std::filesystem::path common = git_repository_commondir(repo);
  auto dir = parent / "push.git";
  std::filesystem::create_directories(dir / "objects" / "info");
  std::filesystem::create_directories(dir / "refs" / "heads");
  std::filesystem::create_directories(dir / "refs" / "tags");
  write_file(dir / "HEAD", commit + "\n", 0600);
  write_file(dir / "config", "[core]\n\trepositoryformatversion = 0\n\tbare = true\n", 0600);
  write_file(dir / "objects" / "info" / "alternates",
             std::filesystem::absolute(common / "objects").lexically_normal().string() + "\n", 0600);
  std::error_code ec;
  if (std::filesystem::exists(common / "shallow", ec)) {
    std::filesystem::copy_file(common / "shallow", dir / "shallow", ec);
    if (ec) throw GitError("cannot copy the shallow boundary: " + ec.message());
  }
  return dir;
}

std::vector<std::string> base_environment(const GitOptions& options, const std::filesystem::path& home,
                                          const std::filesystem::path& askpass) {
  std::vector<std::string> env{
      // Not the job's PATH: the programs git starts (its helpers, the askpass script's sh) come from the system.
      "PATH=/usr/bin:/bin",
      "HOME=" + home.string(),  // no ~/.gitconfig, ~/.git-credentials or ~/.netrc of the job
      "LC_ALL=C",               // messages in English, for parsing
      "GIT_TERMINAL_PROMPT=0",
      "GIT_ASKPASS=" + askpass.string(),
      "GIT_CONFIG_NOSYSTEM=1",
      "GIT_CONFIG_GLOBAL=/dev/null",
  };
  // Settings through the environment rather than argv: a proxy URL can carry its own password.
  // A redirect would take the token to whatever host the answer names: the push goes to the remote URL or nowhere.
  std::vector<std::pair<std::string, std::string>> config{
      {"http.lowSpeedLimit", "1"}, {"http.lowSpeedTime", kLowSpeedSeconds}, {"http.followRedirects", "false"}};
  if (!options.proxy_url.empty()) config.emplace_back("http.proxy", options.proxy_url);
  if (!options.ca_file.empty()) config.emplace_back("http.sslCAInfo", options.ca_file);
  env.push_back("GIT_CONFIG_COUNT=" + std::to_string(config.size()));
  for (std::size_t i = 0; i < config.size(); ++i) {
    env.push_back("GIT_CONFIG_KEY_" + std::to_string(i) + "=" + config[i].first);
    env.push_back("GIT_CONFIG_VALUE_" + std::to_string(i) + "=" + config[i].second);
  }
  return env;
}

// Until the git phase's deadline, and never more than kGitTimeout.
std::chrono::seconds time_left(const GitOptions& options) {
  if (!options.deadline) return kGitTimeout;
  const auto left =
      std::chrono::duration_cast<std::chrono::seconds>(*options.deadline - std::chrono::steady_clock::now());
  return std::clamp(left, std::chrono::seconds(1), kGitTimeout);
}

bool mentions(std::string_view text, std::string_view what) { return text.find(what) != std::string_view::npos; }

std::string last_lines(std::string_view text, std::size_t count) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  std::size_t start = text.size();
  for (std::size_t found = 0; start > 0 && found < count;) {
    --start;
    if (text[start] == '\n' && ++found == count) {
      ++start;
      break;
    }
  }
  std::string lines(text.substr(start));
  for (auto& c : lines) {
    if (c == '\n') c = ' ';
  }
  return lines;
}

// `git push --porcelain` prints "<flag>\t<from>:<to>\t<summary>" for each ref; '!' is a refusal.
PushAttempt from_porcelain(const core::RunResult& child, const std::string& ref) {
  PushAttempt attempt;
  std::size_t start = 0;
  while (start < child.out.size()) {
    const auto end = std::min(child.out.find('\n', start), child.out.size());
    const std::string_view line(child.out.data() + start, end - start);
    start = end + 1;
    const auto first_tab = line.find('\t');
    const auto second_tab = line.find('\t', first_tab + 1);
    if (first_tab != 1 || second_tab == std::string_view::npos) continue;
    const auto refs = line.substr(first_tab + 1, second_tab - first_tab - 1);
    if (!refs.ends_with(":" + ref)) continue;
    const std::string summary(line.substr(second_tab + 1));
    if (line.front() != '!') {
      attempt.status = PushStatus::pushed;
    } else if (mentions(summary, "non-fast-forward") || mentions(summary, "fetch first")) {
      attempt.status = PushStatus::non_fast_forward;
      attempt.message = "the branch moved on the server: " + summary;
    } else {
      attempt.status = PushStatus::rejected;
      attempt.message = "the server refused the update: " + summary;
    }
    return attempt;
  }
  attempt.status = PushStatus::failed;
  return attempt;
}

PushAttempt classify(const core::RunResult& child, const std::string& ref) {
  if (!child.started) return PushAttempt{PushStatus::failed, "cannot run git: " + child.error, 0, false};
  if (child.timed_out) return PushAttempt{PushStatus::transient, "git push did not finish in time", 0, false};
  PushAttempt attempt = from_porcelain(child, ref);
  if (attempt.status != PushStatus::failed) return attempt;

  const std::string& err = child.err;
  attempt.message = "git push: " + last_lines(err, 3);
  const int http_status = http_status_in(err);
  if (http_status >= 300 && http_status < 400) {
    attempt.status = PushStatus::failed;
    attempt.message = "the server answered the push with a redirect (HTTP " + std::to_string(http_status) +
                      "), which flowrun does not follow: the token goes to the remote URL's host only";
    return attempt;
  }
  if (mentions(err, "Authentication failed") || mentions(err, "could not read Username") ||
      mentions(err, "could not read Password") || http_status == 401) {
    attempt.status = PushStatus::auth_failed;
  } else if (http_status == 403) {
    attempt.status = PushStatus::forbidden;
  } else if (http_status != 0) {
    attempt.status = core::is_retryable_http_status(http_status) ? PushStatus::transient : PushStatus::failed;
  } else if (mentions(err, "Failed to connect") || mentions(err, "Connection refused") ||
             mentions(err, "Connection reset") || mentions(err, "timed out") || mentions(err, "Could not resolve") ||
             mentions(err, "RPC failed") || mentions(err, "early EOF") || mentions(err, "unexpected disconnect") ||
             mentions(err, "Empty reply") || mentions(err, "the remote end hung up")) {
    attempt.status = PushStatus::transient;
  }
  return attempt;
}

}  // namespace

PushAttempt push_with_git_cli(const PushRequest& request, std::size_t first_credential) {
  const GitOptions& options = *request.options;
  try {
    PrivateDirectory temp;
    const auto askpass = temp.path() / "askpass.sh";
    write_file(askpass, kAskpassScript, 0700);
    const auto git_dir = make_borrowing_git_dir(request.repo, request.commit, temp.path());
    const std::string ref = "refs/heads/" + request.branch;
    const auto git = trusted_git();
    if (!git) {
      return PushAttempt{PushStatus::failed, "no git program at /usr/bin/git or /bin/git owned by root to push with", 0,
                         false};
    }
    core::RunRequest run;
    run.executable = *git;
    // git runs with /dev/null as its standard input.
    run.arguments = {"--git-dir=" + git_dir.string(),
                     "-c",
                     "core.hooksPath=/dev/null",
                     "-c",
                     "credential.helper=",
                     "-c",
                     "protocol.version=2",
                     "push",
                     "--no-verify",
                     "--porcelain",
                     request.url,
                     request.commit + ":" + ref};
    const auto environment = base_environment(options, temp.path(), askpass);

    PushAttempt attempt;
    std::size_t index = first_credential;
    do {
      run.environment = environment;
      if (index < options.credentials.size()) {
        run.environment.push_back("FLOWRUN_GIT_USERNAME=" + options.credentials[index].username);
        run.environment.push_back("FLOWRUN_GIT_PASSWORD=" + options.credentials[index].token);
      }
      run.timeout = time_left(options);
      const core::RunResult child = core::run_process(run);
      attempt = classify(child, ref);
      attempt.message = mask_credentials(attempt.message, options);
      attempt.credential_used = index < options.credentials.size();
      attempt.credential_in_use = index;
      ++index;
      // A refused token: git does not ask again, so the next one gets its own run.
    } while (attempt.status == PushStatus::auth_failed && index < options.credentials.size());
    return attempt;
  } catch (const std::exception& e) {
    return PushAttempt{PushStatus::failed, mask_credentials(e.what(), options), 0, false};
  }
}

}  // namespace flowrun::git::detail

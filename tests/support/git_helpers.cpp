#include "support/git_helpers.h"

#include <fstream>
#include <stdexcept>

#include "support/fake_gitlab.h"
#include "support/temp_dir.h"

namespace flowrun::testing {
namespace {

std::string base64(const std::string& input) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string output;
  std::size_t i = 0;
  for (; i + 2 < input.size(); i += 3) {
    unsigned value = (static_cast<unsigned char>(input[i]) << 16) | (static_cast<unsigned char>(input[i + 1]) << 8) |
                     static_cast<unsigned char>(input[i + 2]);
    output += alphabet[(value >> 18) & 63];
    output += alphabet[(value >> 12) & 63];
    output += alphabet[(value >> 6) & 63];
    output += alphabet[value & 63];
  }
  if (i + 1 == input.size()) {
    unsigned value = static_cast<unsigned char>(input[i]) << 16;
    output += alphabet[(value >> 18) & 63];
    output += alphabet[(value >> 12) & 63];
    output += "==";
  } else if (i + 2 == input.size()) {
    unsigned value = (static_cast<unsigned char>(input[i]) << 16) | (static_cast<unsigned char>(input[i + 1]) << 8);
    output += alphabet[(value >> 18) & 63];
    output += alphabet[(value >> 12) & 63];
    output += alphabet[(value >> 6) & 63];
    output += '=';
  }
  return output;
}

std::string trim_newline(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string checked(const ProcessResult& result, const std::string& what) {
  if (result.exit_code != 0) {
    throw std::runtime_error("seed_repository: " + what + " failed (exit " + std::to_string(result.exit_code) +
                             "): " + result.err);
  }
  return trim_newline(result.out);
}

}  // namespace

ProcessResult git(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                  const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env, cwd, std::chrono::seconds(60));
}

std::string seed_repository(const std::filesystem::path& bare_repo, const std::map<std::string, std::string>& files,
                            const std::string& branch, const std::string& message) {
  TempDir work("flowrun-seed-");
  std::filesystem::path tree = work.path() / "tree";
  for (const auto& [relative, content] : files) {
    std::filesystem::path target = tree / relative;
    std::filesystem::create_directories(target.parent_path());
    std::ofstream(target, std::ios::binary) << content;
  }
  std::filesystem::create_directories(tree);
  auto env = base_environment();
  env["GIT_DIR"] = bare_repo.string();
  env["GIT_WORK_TREE"] = tree.string();
  env["GIT_INDEX_FILE"] = (work.path() / "index").string();
  env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = "Test Seeder";
  env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = "seeder@example.com";
  env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = "2024-01-01T00:00:00Z";

  checked(git({"add", "--all", "."}, tree, env), "git add");
  std::string tree_id = checked(git({"write-tree"}, tree, env), "git write-tree");
  std::vector<std::string> commit_args{"commit-tree", tree_id, "-m", message};
  ProcessResult parent = git({"rev-parse", "--verify", "--quiet", "refs/heads/" + branch}, tree, env);
  if (parent.exit_code == 0) {
    commit_args.push_back("-p");
    commit_args.push_back(trim_newline(parent.out));
  }
  std::string commit_id = checked(git(commit_args, tree, env), "git commit-tree");
  checked(git({"update-ref", "refs/heads/" + branch, commit_id}, tree, env), "git update-ref");
  return commit_id;
}

void install_hook(const std::filesystem::path& bare_repo, const std::string& name, const std::string& script) {
  std::filesystem::path hook = bare_repo / "hooks" / name;
  std::filesystem::create_directories(hook.parent_path());
  {
    std::ofstream file(hook, std::ios::binary | std::ios::trunc);
    file << script;
    if (!file) throw std::runtime_error("cannot write hook " + hook.string());
  }
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                         std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                         std::filesystem::perms::others_exec);
}

std::string authenticated_url(const FakeGitLab& gitlab, const std::string& project_path, const std::string& username) {
  return "http://" + username + "@" + gitlab.host() + "/" + project_path + ".git";
}

std::map<std::string, std::string> git_credentials_environment(const std::string& username, const std::string& secret,
                                                               std::map<std::string, std::string> env) {
  int index = 0;
  if (auto count = env.find("GIT_CONFIG_COUNT"); count != env.end()) index = std::stoi(count->second);
  env["GIT_CONFIG_KEY_" + std::to_string(index)] = "http.extraHeader";
  env["GIT_CONFIG_VALUE_" + std::to_string(index)] = "Authorization: Basic " + base64(username + ":" + secret);
  env["GIT_CONFIG_COUNT"] = std::to_string(index + 1);
  return env;
}

}  // namespace flowrun::testing

// What the loader builds from a valid flow: values, positions, and the first line and column of each command's
// text, checked against the file itself.
#include <gtest/gtest.h>

#include "flow_test_support.h"
#include "flowrun/core/text.h"
#include "flowrun/flow/discovery.h"
#include "flowrun/flow/flow.h"

namespace flowrun::flow {
namespace {

namespace fs = std::filesystem;
using testing::briefs;
using testing::fixtures_dir;

std::vector<std::string> file_lines(const fs::path& path) {
  std::string text = testing::read_file(path);
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::vector<std::string> lines;
  for (auto line : text::split_lines(text)) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
  }
  return lines;
}

// Line N of a block command must be file line first_line + N - 1, starting at first_column; the first line of any
// other command starts at first_line:first_column. Columns count characters, so the fixtures' non-ASCII text is
// compared by characters too.
void expect_commands_located(const fs::path& path) {
  LoadResult loaded = load_flow_file(path);
  ASSERT_TRUE(loaded.flow.has_value()) << path;
  auto lines = file_lines(path);
  for (const auto& command : loaded.flow->commands) {
    SCOPED_TRACE(path.string() + ": command at line " + std::to_string(command.position.line));
    ASSERT_GE(command.first_line, 1);
    auto text_lines = text::split_lines(command.text);
    if (text_lines.empty()) continue;
    // Folded (`>`) blocks join lines, like plain and quoted multi-line scalars: only the start of their first
    // line maps one to one.
    const std::string& indicator_line = lines[static_cast<std::size_t>(command.position.line - 1)];
    bool folded =
        command.is_block_scalar && indicator_line[static_cast<std::size_t>(command.position.column - 1)] == '>';
    bool line_by_line = command.is_block_scalar && !folded;
    std::size_t checked = line_by_line ? text_lines.size() : 1;
    for (std::size_t n = 0; n < checked; ++n) {
      std::string_view expected = text_lines[n];
      if (expected.empty()) continue;
      auto file_line = static_cast<std::size_t>(command.first_line) + n - 1;
      ASSERT_LT(file_line, lines.size());
      const std::string& line = lines[file_line];
      // Skip first_column - 1 characters.
      std::size_t at = 0;
      for (int skipped = 0; skipped < command.first_column - 1 && at < line.size(); ++at) {
        if ((static_cast<unsigned char>(line[at + 1]) & 0xC0) != 0x80) ++skipped;
      }
      if (line_by_line) {
        EXPECT_EQ(std::string_view(line).substr(at, expected.size()), expected) << "text line " << n + 1;
      } else {
        std::string_view first_word = expected.substr(0, expected.find_first_of(" \"'\\"));
        EXPECT_EQ(std::string_view(line).substr(at, first_word.size()), first_word);
      }
    }
  }
}

TEST(Loader, LocatesEveryLineOfMultiLineCommands) {
  LoadResult loaded = load_flow_file(fixtures_dir() / "flows" / "valid" / "multiline_commands.yaml");
  ASSERT_TRUE(loaded.flow.has_value());
  const auto& commands = loaded.flow->commands;
  ASSERT_EQ(commands.size(), 9u);

  EXPECT_FALSE(commands[0].is_block_scalar);
  EXPECT_EQ(commands[0].first_line, 4);
  EXPECT_EQ(commands[0].first_column, 5);

  // `- |` on line 5: the text starts on line 6, column 5; its line 2 (`      echo "task..."`) is file line 7.
  EXPECT_TRUE(commands[1].is_block_scalar);
  EXPECT_EQ(commands[1].position.line, 5);
  EXPECT_EQ(commands[1].position.column, 5);
  EXPECT_EQ(commands[1].first_line, 6);
  EXPECT_EQ(commands[1].first_column, 5);
  EXPECT_EQ(text::split_lines(commands[1].text)[1], "  echo \"task: $AI_FLOW_INPUT\"");

  // `|2`: the text keeps two spaces of its own; the block's indentation is still column 5.
  EXPECT_EQ(commands[3].first_line, 16);
  EXPECT_EQ(commands[3].first_column, 5);
  EXPECT_EQ(commands[3].text, "  indented by two more than the block\nback at the indentation of the block\n");

  // Quoted commands start after the quote.
  EXPECT_EQ(commands[5].first_line, 21);
  EXPECT_EQ(commands[5].first_column, 6);
  EXPECT_EQ(commands[5].text, "echo \"double quoted\" with an escape");
  EXPECT_EQ(commands[6].text, "echo 'single quoted'");

  // A block whose first line is empty, after a comment on the indicator line.
  EXPECT_EQ(commands[8].first_line, 26);
  EXPECT_EQ(commands[8].text, "\necho \"after an empty first line\"\n");
  EXPECT_EQ(commands[8].first_column, 5);
}

TEST(Loader, CommandPositionsMatchTheFileInEveryFixture) {
  for (const char* folder : {"flows/valid", "seed004"}) {
    for (const auto& file : list_flow_files(fixtures_dir() / folder)) expect_commands_located(file);
  }
}

TEST(Loader, ReadsEveryKey) {
  LoadResult loaded = load_flow_file(fixtures_dir() / "flows" / "valid" / "id_tokens.yaml");
  ASSERT_TRUE(loaded.flow.has_value());
  const Flow& flow = *loaded.flow;
  EXPECT_EQ(flow.name, "id_tokens");
  EXPECT_EQ(flow.image.value, "hashicorp/vault:1.17");
  EXPECT_EQ(flow.image.position.line, 1);
  EXPECT_EQ(flow.image.position.column, 8);
  ASSERT_EQ(flow.id_token_names.size(), 2u);
  EXPECT_EQ(flow.id_token_names[0].value, "VAULT_ID_TOKEN");
  EXPECT_EQ(flow.id_token_names[1].value, "MULTI_AUDIENCE");
  EXPECT_EQ(flow.id_token_names[1].position.line, 7);
  ASSERT_TRUE(flow.inject_gateway_token.has_value());
  EXPECT_TRUE(flow.inject_gateway_token->value);
  EXPECT_TRUE(flow.has_report_artifacts);
}

TEST(Loader, ReadsFlowrunSettings) {
  fs::path path = fixtures_dir() / "flows" / "valid" / "flowrun_settings.yaml";
  LoadResult loaded = load_flow_file(path);
  ASSERT_TRUE(loaded.flow.has_value());
  const Flow& flow = *loaded.flow;
  EXPECT_EQ(flow.path, path);
  EXPECT_EQ(flow.display_path, path.string());
  ASSERT_EQ(flow.variables.size(), 2u);
  EXPECT_EQ(flow.variables[1].value, "GITLAB_TOKEN_DOCS");
  EXPECT_EQ(flow.variables[1].position.line, 7);
  const FlowrunSettings& settings = flow.settings;
  ASSERT_TRUE(settings.author_name && settings.author_email && settings.commit_message && settings.branch);
  EXPECT_EQ(settings.author_name->value, "Docs Agent");
  EXPECT_EQ(settings.author_email->value, "docs-agent@example.com");
  EXPECT_EQ(settings.commit_message->value, "{flow}: {summary}");
  EXPECT_EQ(settings.branch->value, "agent/docs-updates");
  ASSERT_EQ(settings.exclude.size(), 2u);
  EXPECT_EQ(settings.exclude[1].value, "node_modules/**");
  ASSERT_TRUE(settings.merge_request && settings.push_on_failure && settings.timeout_seconds);
  EXPECT_EQ(settings.merge_request->value, "always");
  EXPECT_TRUE(settings.push_on_failure->value);
  EXPECT_EQ(settings.timeout_seconds->value, 3600);
  EXPECT_EQ(settings.timeout_seconds->position.line, 19);
  ASSERT_TRUE(settings.push_to && settings.draft && settings.max_file_size);
  EXPECT_EQ(settings.push_to->value, "workload-branch");
  EXPECT_FALSE(settings.draft->value);
  ASSERT_EQ(settings.labels.size(), 2u);
  EXPECT_EQ(settings.labels[1].value, "docs");
  ASSERT_EQ(settings.protected_paths.size(), 1u);
  EXPECT_EQ(settings.protected_paths[0].value, "deploy/**");
  ASSERT_EQ(settings.allow_protected.size(), 1u);
  EXPECT_EQ(settings.allow_protected[0].value, "/.gitlab-ci.yml");
  EXPECT_EQ(settings.max_file_size->value, 1048576);
}

TEST(Loader, ReadsFlowStyleAnchorsAndYaml11Scalars) {
  LoadResult loaded = load_flow_file(fixtures_dir() / "flows" / "valid" / "anchors_and_flow_style.yaml");
  ASSERT_TRUE(loaded.flow.has_value());
  const Flow& flow = *loaded.flow;
  EXPECT_EQ(flow.image.value, "node:22-slim");
  ASSERT_EQ(flow.commands.size(), 3u);
  EXPECT_EQ(flow.commands[1].text, "echo \"in flow style\"");
  EXPECT_EQ(flow.commands[1].first_line, 2);
  EXPECT_EQ(flow.commands[1].first_column, 27);
  ASSERT_TRUE(flow.settings.push_on_failure && flow.settings.timeout_seconds);
  EXPECT_FALSE(flow.settings.push_on_failure->value);     // `no`, as GitLab's YAML 1.1 loader reads it
  EXPECT_EQ(flow.settings.timeout_seconds->value, 1800);  // `1_800`
}

TEST(Loader, NamesTheFlowAfterItsFile) {
  EXPECT_EQ(load_flow_file(fixtures_dir() / "flows" / "valid" / "short_extension.yml").flow->name, "short_extension");
  LoadResult from_stdin = load_flow_text("image: a\ncommands: [b]\n", "<stdin>");
  ASSERT_TRUE(from_stdin.flow.has_value());
  EXPECT_EQ(from_stdin.flow->name, "stdin");
  EXPECT_TRUE(from_stdin.flow->path.empty());
  EXPECT_EQ(from_stdin.flow->commands.at(0).position.file, "<stdin>");
}

TEST(Loader, UsesTheDisplayNameGiven) {
  testing::TempDir dir;
  fs::path path = dir.write("x.yaml", "image: a\ncommand: [b]\n");
  LoadResult loaded = load_flow_file(path, "shown/x.yaml");
  ASSERT_EQ(loaded.diagnostics.size(), 2u);
  for (const auto& diagnostic : loaded.diagnostics) EXPECT_EQ(diagnostic.position.file, "shown/x.yaml");
  EXPECT_EQ(loaded.flow->display_path, "shown/x.yaml");
  EXPECT_EQ(loaded.flow->path, path);
}

TEST(Loader, ColumnsCountCharactersNotBytes) {
  // "é" takes 2 bytes, "☕" 3: positions after them on the same line count them as one column each.
  LoadResult loaded = load_flow_text("image: \"café\"\ncommands:\n  - echo ☕ done\nflowrunn: {}\n", "utf8.yaml");
  ASSERT_TRUE(loaded.flow.has_value());
  EXPECT_EQ(briefs(loaded.diagnostics), std::vector<std::string>{"4:1: warning: [schema-unknown-key]"});
  LoadResult flow_style = load_flow_text("image: x\ncommands: [\"é\", 42]\n", "utf8.yaml");
  EXPECT_EQ(briefs(flow_style.diagnostics), std::vector<std::string>{"2:17: error: [schema-type]"});
}

TEST(Loader, KeepsTheLastValueOfARepeatedKeyLikeGitLab) {
  LoadResult loaded = load_flow_text("image: first\ncommands: [a]\nimage: second\n", "dup.yaml");
  ASSERT_TRUE(loaded.flow.has_value());
  EXPECT_EQ(loaded.flow->image.value, "second");
  ASSERT_EQ(loaded.diagnostics.size(), 1u);
  EXPECT_EQ(loaded.diagnostics[0].rule, "duplicate-key");
  EXPECT_NE(loaded.diagnostics[0].message.find("first at line 1"), std::string::npos);
}

TEST(Loader, SuggestsTheKeyMeantAndNamesItWhenCommandsIsMissing) {
  LoadResult loaded = load_flow_text("image: a\ncommand:\n  - echo hi\n", "typo.yaml");
  ASSERT_EQ(loaded.diagnostics.size(), 2u);
  EXPECT_EQ(loaded.diagnostics[0].rule, "schema-required");
  EXPECT_NE(loaded.diagnostics[0].message.find("add a `commands:` list of shell commands"), std::string::npos);
  EXPECT_NE(loaded.diagnostics[0].message.find("`command:` on line 2"), std::string::npos);
  EXPECT_EQ(loaded.diagnostics[1].rule, "schema-unknown-key");
  EXPECT_NE(loaded.diagnostics[1].message.find("did you mean `commands`?"), std::string::npos);
}

}  // namespace
}  // namespace flowrun::flow

// Hostile and broken input: every case ends in findings at the right place, never in a crash, a hang or a
// blow-up in memory.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <random>

#include "flow_test_support.h"
#include "flowrun/flow/flow.h"

namespace flowrun::flow {
namespace {

namespace fs = std::filesystem;
using testing::briefs;
using Briefs = std::vector<std::string>;
using namespace std::string_literals;

LoadResult load(const std::string& text) { return load_flow_text(text, "edge.yaml"); }

TEST(LoaderEdgeCases, SyntaxErrorsPointAtTheProblemAndSayWhatToDo) {
  LoadResult loaded = load("image: node:22-slim\ncommands:\n  - echo one\n  - echo result: ok: done\n");
  EXPECT_FALSE(loaded.flow.has_value());
  ASSERT_EQ(briefs(loaded.diagnostics), Briefs{"4:20: error: [yaml-syntax]"});
  EXPECT_NE(loaded.diagnostics[0].message.find("put the value in quotes"), std::string::npos);
}

TEST(LoaderEdgeCases, EmptyAndCommentOnlyFilesAreFileEmpty) {
  for (const char* text : {"", "\n", "  \n\t\n", "# only a comment\n", "---\n# comment\n...\n"}) {
    LoadResult loaded = load(text);
    EXPECT_FALSE(loaded.flow.has_value());
    EXPECT_EQ(briefs(loaded.diagnostics), Briefs{"0:0: error: [file-empty]"}) << '"' << text << '"';
  }
}

TEST(LoaderEdgeCases, ARootThatIsNoMappingIsSchemaRoot) {
  EXPECT_EQ(briefs(load("- a\n- b\n").diagnostics), Briefs{"1:1: error: [schema-root]"});
  EXPECT_EQ(briefs(load("\n\njust text\n").diagnostics), Briefs{"3:1: error: [schema-root]"});
  EXPECT_EQ(briefs(load("--- ~\n").diagnostics), Briefs{"1:5: error: [schema-root]"});
  EXPECT_EQ(briefs(load("[a, b]\n").diagnostics), Briefs{"1:1: error: [schema-root]"});
}

TEST(LoaderEdgeCases, DuplicateKeysPointAtTheSecondAndNameTheFirst) {
  LoadResult loaded = load("image: a\ncommands: [x]\nflowrun:\n  branch: b\n  branch: c\nimage: d\n");
  ASSERT_EQ(briefs(loaded.diagnostics), (Briefs{"5:3: error: [duplicate-key]", "6:1: error: [duplicate-key]"}));
  EXPECT_NE(loaded.diagnostics[0].message.find("`branch` (first at line 4)"), std::string::npos);
  EXPECT_NE(loaded.diagnostics[1].message.find("`image` (first at line 1)"), std::string::npos);
  // Deeper than the schema reads, too.
  EXPECT_EQ(briefs(load("image: a\ncommands: [x]\nreport_artifacts:\n  junit: {a: 1, a: 2}\n").diagnostics),
            Briefs{"4:17: error: [duplicate-key]"});
}

TEST(LoaderEdgeCases, BinaryAndNonUtf8BytesPointAtTheFirstBadByte) {
  EXPECT_EQ(briefs(load("image: a\ncommands:\n  - \"é\" \0x\n"s).diagnostics), Briefs{"3:9: error: [file-encoding]"});
  EXPECT_EQ(briefs(load("image: a\ncommands:\n  - caf\xE9\n").diagnostics), Briefs{"3:8: error: [file-encoding]"});
  // A UTF-8 sequence cut short at the end of the file, an overlong encoding, a UTF-16 surrogate.
  EXPECT_EQ(briefs(load("image: \xE2\x98").diagnostics), Briefs{"1:8: error: [file-encoding]"});
  EXPECT_EQ(briefs(load("image: \xC0\xAF\n").diagnostics), Briefs{"1:8: error: [file-encoding]"});
  EXPECT_EQ(briefs(load("image: \xED\xA0\x80\n").diagnostics), Briefs{"1:8: error: [file-encoding]"});
  std::string elf =
      "\x7F"
      "ELF\x02\x01\x01\0\0\0"s;
  EXPECT_EQ(briefs(load(elf).diagnostics), Briefs{"1:1: error: [file-encoding]"});
}

TEST(LoaderEdgeCases, AByteOrderMarkIsNotContent) {
  LoadResult loaded = load("\xEF\xBB\xBFimage: a\ncommands: [x]\nextra: 1\n");
  ASSERT_TRUE(loaded.flow.has_value());
  EXPECT_EQ(briefs(loaded.diagnostics), Briefs{"3:1: warning: [schema-unknown-key]"});
}

TEST(LoaderEdgeCases, CrlfLineEndingsKeepPositions) {
  LoadResult loaded = load("image: a\r\ncommands:\r\n  - |\r\n    echo one\r\n    echo two\r\nextra: 1\r\n");
  ASSERT_TRUE(loaded.flow.has_value());
  EXPECT_EQ(loaded.flow->commands.at(0).text, "echo one\necho two\n");
  EXPECT_EQ(loaded.flow->commands.at(0).first_line, 4);
  EXPECT_EQ(loaded.flow->commands.at(0).first_column, 5);
  EXPECT_EQ(briefs(loaded.diagnostics), Briefs{"6:1: warning: [schema-unknown-key]"});
}

TEST(LoaderEdgeCases, AHundredThousandNestedBracketsAreRefusedQuickly) {
  auto started = std::chrono::steady_clock::now();
  for (const char* open : {"[", "{\"a\": ", "- "}) {
    std::string text = "image: a\ncommands: ";
    if (std::string(open) == "- ") text = "image: a\ncommands:\n";
    for (int i = 0; i < 100000; ++i) text += open;
    text += "x\n";
    LoadResult loaded = load(text);
    EXPECT_FALSE(loaded.flow.has_value());
    ASSERT_EQ(loaded.diagnostics.size(), 1u) << open;
    EXPECT_EQ(loaded.diagnostics[0].rule, "nesting-too-deep") << open;
    EXPECT_EQ(loaded.diagnostics[0].position.line, std::string(open) == "- " ? 3 : 2);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

TEST(LoaderEdgeCases, DeepBlockNestingIsRefusedAndShallowNestingIsNot) {
  auto nested = [](int depth) {
    std::string text = "image: a\ncommands: [x]\nreport_artifacts:\n";
    for (int i = 0; i < depth; ++i) text += std::string(static_cast<std::size_t>(2 * (i + 1)), ' ') + "k:\n";
    return text;
  };
  // The root mapping is one level, each `k:` one more: 63 of them make 64, which is allowed.
  EXPECT_FALSE(has_errors(load(nested(63)).diagnostics));
  EXPECT_EQ(briefs(load(nested(64)).diagnostics), Briefs{"67:129: error: [nesting-too-deep]"});
  EXPECT_EQ(briefs(load(nested(700)).diagnostics), Briefs{"67:129: error: [nesting-too-deep]"});
}

TEST(LoaderEdgeCases, FilesOverOneMebibyteAreRefusedUnread) {
  std::string text = "image: a\ncommands:\n  - echo\n#" + std::string(max_flow_file_bytes, 'x') + "\n";
  EXPECT_EQ(briefs(load(text).diagnostics), Briefs{"0:0: error: [file-too-large]"});
  testing::TempDir dir;
  EXPECT_EQ(briefs(load_flow_file(dir.write("big.yaml", text)).diagnostics), Briefs{"0:0: error: [file-too-large]"});
  // A device that never ends is read only up to the limit.
  EXPECT_EQ(briefs(load_flow_file("/dev/zero").diagnostics), Briefs{"0:0: error: [file-too-large]"});
  // Exactly at the limit is still read.
  std::string at_limit = "image: a\ncommands: [x]\n#";
  at_limit += std::string(max_flow_file_bytes - at_limit.size(), 'x');
  EXPECT_TRUE(load(at_limit).flow.has_value());
}

// "Billion laughs": each level refers ten times to the one before, 10^9 strings if expanded. The loader keeps
// aliases as references and reads only what the schema needs, so this is as cheap as the text is short.
TEST(LoaderEdgeCases, AliasBombsStaySmall) {
  std::string text =
      "image: a\nlol0: &l0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (int i = 1; i <= 9; ++i) {
    text += "lol" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += std::string(j ? "," : "") + "*l" + std::to_string(i - 1);
    text += "]\n";
  }
  text +=
      "commands: *l9\nvariables: *l9\nid_tokens: {A: {aud: *l9}}\nreport_artifacts: {junit: *l9}\n"
      "flowrun: {exclude: *l9}\n";
  auto started = std::chrono::steady_clock::now();
  LoadResult loaded = load(text);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  ASSERT_TRUE(loaded.flow.has_value());
  EXPECT_LT(loaded.diagnostics.size(), 100u);
  EXPECT_EQ(testing::with_rule(loaded.diagnostics, "schema-type").size(), 30u);  // 10 commands, 10 variables, 10 globs
  EXPECT_EQ(testing::with_rule(loaded.diagnostics, "id-tokens").size(), 10u);
}

// One long line of a hundred thousand wrong items: positions cost one pass over the line, and the findings are
// counted past the first thousand rather than listed.
TEST(LoaderEdgeCases, HugeListsOfWrongItemsAreCountedNotListed) {
  std::string text = "image: a\ncommands: [\"é\"";
  for (int i = 0; i < 100000; ++i) text += ", 1";
  text += "]\n";
  auto started = std::chrono::steady_clock::now();
  LoadResult loaded = load(text);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  ASSERT_EQ(loaded.diagnostics.size(), max_findings_per_file + 1);
  const Diagnostic& last = loaded.diagnostics.back();
  EXPECT_EQ(last.rule, "too-many-findings");
  EXPECT_EQ(last.severity, Severity::error);
  EXPECT_NE(last.message.find("99000 more findings"), std::string::npos) << last.message;
  EXPECT_EQ(loaded.diagnostics[0].position.column, 17);  // "é" is two bytes, one column
  EXPECT_EQ(loaded.diagnostics[1].position.column, 20);
}

TEST(LoaderEdgeCases, AnAliasInsideItsOwnAnchorIsNoCycle) {
  LoadResult loaded = load("image: a\ncommands: &c [echo, *c]\n");
  EXPECT_FALSE(loaded.flow.has_value() && !has_errors(loaded.diagnostics));
  LoadResult in_map = load("image: a\ncommands: [x]\nreport_artifacts: &r {self: *r}\n");
  EXPECT_TRUE(has_errors(in_map.diagnostics) || in_map.flow.has_value());
}

TEST(LoaderEdgeCases, UnclosedQuotesAreSyntaxErrors) {
  EXPECT_EQ(briefs(load("image: a\ncommands:\n  - 'echo it''s\n  - echo next\n").diagnostics),
            Briefs{"3:5: error: [yaml-syntax]"});
  EXPECT_EQ(briefs(load("image: \"a\ncommands: [x]\n").diagnostics), Briefs{"1:8: error: [yaml-syntax]"});
}

TEST(LoaderEdgeCases, ASecondDocumentIsAWarning) {
  LoadResult loaded = load("image: a\ncommands: [x]\n---\nimage: b\n");
  ASSERT_TRUE(loaded.flow.has_value());
  EXPECT_EQ(loaded.flow->image.value, "a");
  EXPECT_EQ(briefs(loaded.diagnostics), Briefs{"3:1: warning: [yaml-syntax]"});
}

TEST(LoaderEdgeCases, UnreadablePathsSaySo) {
  testing::TempDir dir;
  LoadResult directory = load_flow_file(dir.path());
  EXPECT_EQ(briefs(directory.diagnostics), Briefs{"0:0: error: [file-unreadable]"});
  EXPECT_NE(directory.diagnostics[0].message.find("directory"), std::string::npos);

  LoadResult missing = load_flow_file(dir.path() / "nope.yaml");
  EXPECT_EQ(briefs(missing.diagnostics), Briefs{"0:0: error: [file-unreadable]"});
  EXPECT_NE(missing.diagnostics[0].message.find("no such file"), std::string::npos);

  fs::path locked = dir.write("locked.yaml", "image: a\ncommands: [x]\n");
  ::chmod(locked.c_str(), 0);
  if (::geteuid() != 0) {  // root reads anything
    LoadResult denied = load_flow_file(locked);
    EXPECT_EQ(briefs(denied.diagnostics), Briefs{"0:0: error: [file-unreadable]"});
    EXPECT_NE(denied.diagnostics[0].message.find("permission denied"), std::string::npos);
  }
}

// Truncations and byte flips of real flows: whatever comes out, no crash, and no flow without a finding when the
// text is not what it was.
TEST(LoaderEdgeCases, MangledFlowsNeverCrash) {
  std::string original = testing::read_file(testing::fixtures_dir() / "seed004" / "amazon_q.yaml");
  std::mt19937 random(20240901);
  for (std::size_t cut = 0; cut < original.size(); cut += 23) {
    LoadResult loaded = load(original.substr(0, cut));
    EXPECT_TRUE(loaded.flow.has_value() || !loaded.diagnostics.empty());
  }
  const std::string specials = "[]{}:-#&*!|>'\"%@`\t\n\\ ,?";
  for (int round = 0; round < 400; ++round) {
    std::string text = original;
    for (int flips = 0; flips < 3; ++flips) {
      std::size_t at = random() % text.size();
      text[at] = round % 2 ? specials[random() % specials.size()] : static_cast<char>(random() % 256);
    }
    LoadResult loaded = load(text);
    EXPECT_TRUE(loaded.flow.has_value() || has_errors(loaded.diagnostics));
  }
}

}  // namespace
}  // namespace flowrun::flow

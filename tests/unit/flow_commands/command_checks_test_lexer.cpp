// scan_shell(): flowrun's own reading of shell text, which the variable, secret and known-bug checks rely on.
#include <gtest/gtest.h>

#include "flowrun/flow/shell_syntax.h"

namespace flowrun::flow {
namespace {

std::vector<std::string> names(const ShellScan& scan, bool include_arithmetic = false) {
  std::vector<std::string> result;
  for (const auto& reference : scan.references) {
    if (!reference.in_arithmetic || include_arithmetic) result.push_back(reference.name);
  }
  return result;
}

std::vector<std::string> words_of(const SimpleCommand& command) {
  std::vector<std::string> result;
  for (const auto& word : command.words) result.push_back(word.value);
  return result;
}

TEST(ShellScan, FindsReferencesInEveryExpandingContext) {
  const auto scan = scan_shell(R"(echo $A "${B}" "x${C:-d}" $(echo $D) `echo $E` <(cat $F) "$G")");
  EXPECT_EQ(names(scan), (std::vector<std::string>{"A", "B", "C", "D", "E", "F", "G"}));
}

TEST(ShellScan, IgnoresSingleQuotesEscapesAndAnsiCStrings) {
  const auto scan = scan_shell(R"(echo '$A' \$B "\$C" $'$D' "it's $E")");
  EXPECT_EQ(names(scan), (std::vector<std::string>{"E"}));
}

TEST(ShellScan, RecordsTheOffsetOfTheDollar) {
  const std::string text = "echo \"x $NAME\"";
  const auto scan = scan_shell(text);
  ASSERT_EQ(scan.references.size(), 1u);
  EXPECT_EQ(scan.references[0].offset, text.find('$'));
}

TEST(ShellScan, MarksArithmeticAndNestingDepth) {
  const auto scan = scan_shell("x=$(( $N + 1 )); y=$(echo $(echo $DEEP))");
  ASSERT_EQ(scan.references.size(), 2u);
  EXPECT_EQ(scan.references[0].name, "N");
  EXPECT_TRUE(scan.references[0].in_arithmetic);
  EXPECT_EQ(scan.references[1].name, "DEEP");
  EXPECT_EQ(scan.references[1].depth, 2);
  EXPECT_FALSE(scan.references[1].in_arithmetic);
}

TEST(ShellScan, SpecialAndPositionalParameters) {
  const auto scan = scan_shell(R"(echo $1 $@ $# $? $$ ${10} ${#ARR[@]} ${!REF})");
  EXPECT_EQ(names(scan), (std::vector<std::string>{"1", "@", "#", "?", "$", "10", "ARR", "REF"}));
}

TEST(ShellScan, AssignDefaultIsMarked) {
  const auto scan = scan_shell(R"(: "${OUT:=build}" "${IN:-src}")");
  ASSERT_EQ(scan.references.size(), 2u);
  EXPECT_TRUE(scan.references[0].assigns_default);
  EXPECT_FALSE(scan.references[1].assigns_default);
}

TEST(ShellScan, SplitsSimpleCommandsAndDropsReservedWords) {
  const auto scan = scan_shell("if ! git diff --quiet; then\n  git add . && git commit -m \"a b\"\nfi");
  ASSERT_EQ(scan.commands.size(), 3u);
  EXPECT_EQ(words_of(scan.commands[0]), (std::vector<std::string>{"git", "diff", "--quiet"}));
  EXPECT_EQ(words_of(scan.commands[1]), (std::vector<std::string>{"git", "add", "."}));
  EXPECT_EQ(words_of(scan.commands[2]), (std::vector<std::string>{"git", "commit", "-m", "a b"}));
}

TEST(ShellScan, SeparatesAssignmentsFromWords) {
  const auto scan = scan_shell("A=1 B=\"$X\" env C=2 run now");
  ASSERT_EQ(scan.commands.size(), 1u);
  ASSERT_EQ(scan.commands[0].assignments.size(), 2u);
  EXPECT_EQ(scan.commands[0].assignments[1].value, "B=$X");
  EXPECT_FALSE(scan.commands[0].assignments[1].literal);
  EXPECT_EQ(words_of(scan.commands[0]), (std::vector<std::string>{"env", "C=2", "run", "now"}));
  const auto words = effective_words(scan.commands[0]);
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0]->value, "run");
}

TEST(ShellScan, ReadsRedirectionsAndPipes) {
  const auto scan = scan_shell("echo $T 2>&1 > out.txt | tee log >/dev/null");
  ASSERT_EQ(scan.commands.size(), 2u);
  const auto& echo = scan.commands[0];
  ASSERT_EQ(echo.redirections.size(), 2u);
  EXPECT_EQ(echo.redirections[0].op, ">&");
  EXPECT_EQ(echo.redirections[0].fd, 2);
  EXPECT_EQ(echo.redirections[0].target.value, "1");
  EXPECT_EQ(echo.redirections[1].op, ">");
  EXPECT_EQ(echo.redirections[1].fd, 1);
  EXPECT_EQ(echo.redirections[1].target.value, "out.txt");
  EXPECT_TRUE(echo.output_piped);
  ASSERT_TRUE(echo.pipes_into.has_value());
  EXPECT_EQ(words_of(scan.commands[*echo.pipes_into]), (std::vector<std::string>{"tee", "log"}));
}

TEST(ShellScan, ReadsHereDocumentBodies) {
  const std::string text = "cat <<EOF > f\nuser $USER_NAME\nEOF\ncat <<'RAW'\n$NOT_EXPANDED\nRAW\necho done $AFTER";
  const auto scan = scan_shell(text);
  EXPECT_EQ(names(scan), (std::vector<std::string>{"USER_NAME", "AFTER"}));
  ASSERT_GE(scan.commands.size(), 3u);
  const auto& heredoc = scan.commands[0].redirections[0];
  EXPECT_EQ(heredoc.op, "<<");
  EXPECT_TRUE(heredoc.body_expands);
  EXPECT_EQ(text.substr(heredoc.body_offset, heredoc.body_end - heredoc.body_offset), "user $USER_NAME\n");
  EXPECT_FALSE(scan.commands[1].redirections[0].body_expands);
  EXPECT_EQ(words_of(scan.commands[2]), (std::vector<std::string>{"echo", "done", "$AFTER"}));
}

TEST(ShellScan, CommentsAndExtglobAndArrays) {
  const auto scan = scan_shell("ls @(a|b) # $IGNORED\narr=($ONE two) ; echo ${arr[0]}");
  EXPECT_EQ(names(scan), (std::vector<std::string>{"ONE", "arr"}));
  ASSERT_EQ(scan.commands.size(), 3u);
  EXPECT_EQ(words_of(scan.commands[0]), (std::vector<std::string>{"ls", "@(a|b)"}));
  ASSERT_EQ(scan.commands[1].assignments.size(), 1u);
}

TEST(ShellScan, ReportsWhereAQuoteIsLeftOpen) {
  const std::string text = "echo ok\necho \"never closed\n";
  const auto scan = scan_shell(text);
  ASSERT_TRUE(scan.unclosed_quote.has_value());
  EXPECT_EQ(*scan.unclosed_quote, text.find('"'));
  EXPECT_FALSE(scan_shell("echo 'fine' \"fine\"").unclosed_quote.has_value());
}

TEST(ShellScan, LineContinuationsJoinWords) {
  const auto scan = scan_shell("git \\\n  push \\\n  origin");
  ASSERT_EQ(scan.commands.size(), 1u);
  EXPECT_EQ(words_of(scan.commands[0]), (std::vector<std::string>{"git", "push", "origin"}));
}

}  // namespace
}  // namespace flowrun::flow

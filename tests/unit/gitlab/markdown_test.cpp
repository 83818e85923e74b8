#include "flowrun/gitlab/markdown.h"

#include <gtest/gtest.h>

#include "flowrun/core/text.h"

namespace flowrun::gitlab {
namespace {

// True when some line of `markdown` starts with "/word" the way GitLab's quick-action parser reads it.
bool has_quick_action(std::string_view markdown) {
  for (std::string_view line : text::split_lines(markdown)) {
    if (line.size() > 1 && line[0] == '/' && std::isalpha(static_cast<unsigned char>(line[1]))) return true;
  }
  return false;
}

// True when "@name" appears with a username character right after the '@'.
bool has_live_mention(std::string_view markdown) {
  for (std::size_t i = 0; i + 1 < markdown.size(); ++i) {
    const auto next = static_cast<unsigned char>(markdown[i + 1]);
    if (markdown[i] == '@' && (std::isalnum(next) || next == '_' || next == '.')) return true;
  }
  return false;
}

TEST(Neutralize, QuickActionsAtLineStartAreDefused) {
  const std::string out = neutralize_untrusted("/merge\n  /approve now\nfine /close in the middle\n/label ~bug");
  EXPECT_FALSE(has_quick_action(out)) << out;
  EXPECT_NE(out.find("\\/merge"), std::string::npos);
  EXPECT_NE(out.find("\\/approve now"), std::string::npos);
  EXPECT_NE(out.find("fine /close in the middle"), std::string::npos);
}

TEST(Neutralize, MentionsDoNotNotify) {
  const std::string out = neutralize_untrusted("ping @all and @here, @group/sub and @someone.else; mail a@b.c");
  EXPECT_FALSE(has_live_mention(out)) << out;
  EXPECT_NE(out.find("@\u200Dall"), std::string::npos);
}

TEST(Neutralize, HtmlCannotOpenOrCloseAnything) {
  const std::string out =
      neutralize_untrusted("</details><details open><summary>x</summary> <!-- hide --> & <img src=x>");
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(out.find('>'), std::string::npos);
  EXPECT_NE(out.find("&lt;/details&gt;"), std::string::npos);
  EXPECT_NE(out.find("--&gt;"), std::string::npos);
  EXPECT_NE(out.find("&amp;"), std::string::npos);
}

TEST(Neutralize, MarkdownStructureIsEscaped) {
  EXPECT_EQ(neutralize_untrusted("```"), "\\`\\`\\`");
  EXPECT_EQ(neutralize_untrusted("# Title"), "\\# Title");
  EXPECT_EQ(neutralize_untrusted("- item"), "\\- item");
  EXPECT_EQ(neutralize_untrusted("[link](http://x)"), "\\[link\\](http://x)");
  EXPECT_EQ(neutralize_untrusted("see #12, !3, ~bug, %v1 and $4"), "see \\#12, \\!3, \\~bug, \\%v1 and \\$4");
  EXPECT_EQ(neutralize_untrusted("a | b"), "a \\| b");
  EXPECT_EQ(neutralize_untrusted("    indented code"), "indented code");
  EXPECT_EQ(neutralize_untrusted("plain words stay as they are."), "plain words stay as they are.");
}

TEST(Neutralize, ControlCharactersAnsiAndBadUtf8) {
  EXPECT_EQ(neutralize_untrusted("\x1b[31mred\x1b[0m\r\n\x07ok"), "red\nok");
  EXPECT_EQ(neutralize_untrusted("bad \xff byte"), "bad \uFFFD byte");
  EXPECT_EQ(neutralize_untrusted("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(neutralize_untrusted("\x1b]0;title\x07shown"), "shown");
}

TEST(SingleLine, TitlesAreOnePlainLineWithinTheLimit) {
  EXPECT_EQ(neutralize_single_line("  Fix\n the   login\tpage ", 255), "Fix the login page");
  EXPECT_EQ(neutralize_single_line("@all look", 255), "@\u200Dall look");
  EXPECT_EQ(neutralize_single_line("/merge", 255), "\u200B/merge");
  EXPECT_EQ(neutralize_single_line("Use *stars* and <b>", 255), "Use *stars* and <b>");
  const std::string cut = neutralize_single_line(std::string(300, 'x'), 255);
  EXPECT_EQ(cut.size(), 255u);
  EXPECT_TRUE(cut.ends_with("\u2026"));
  const std::string accents = neutralize_single_line(std::string(200, 'x') + std::string(100, '\xc3'), 255);
  EXPECT_TRUE(text::is_valid_utf8(accents));
  std::string many_e;
  for (int i = 0; i < 200; ++i) many_e += "\xc3\xa9";
  const std::string cut_utf8 = neutralize_single_line(many_e, 255);
  EXPECT_LE(cut_utf8.size(), 255u);
  EXPECT_TRUE(text::is_valid_utf8(cut_utf8));
}

TEST(InlineCode, NoBacktickCanCloseIt) {
  EXPECT_EQ(inline_code("src/main.cpp"), "`src/main.cpp`");
  EXPECT_EQ(inline_code("a`b"), "``a`b``");
  EXPECT_EQ(inline_code("`x`"), "`` `x` ``");
  EXPECT_EQ(inline_code("two\nlines"), "`two lines`");
  EXPECT_EQ(inline_code(""), "` `");
}

TEST(CodeBlock, FenceIsLongerThanAnyBacktickRunInside) {
  const std::string block = code_block({"normal", "```", "````", "still inside"});
  EXPECT_TRUE(block.starts_with("`````text\n"));
  EXPECT_TRUE(block.ends_with("\n`````\n"));
  EXPECT_EQ(code_block({"x"}), "```text\nx\n```\n");
}

TEST(CodeBlock, LinesAreCleanedAndCut) {
  const std::string block = code_block({"\x1b[1mbold\x1b[0m", std::string(50, 'y')}, "text", 20);
  EXPECT_NE(block.find("\nbold\n"), std::string::npos);
  EXPECT_NE(block.find(std::string(17, 'y') + "\u2026"), std::string::npos);
}

}  // namespace
}  // namespace flowrun::gitlab

#include "flowrun/log/masker.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "flowrun/core/text.h"
#include "flowrun/log/secret_set.h"
#include "reference_masker.h"

namespace flowrun::log {
namespace {

std::shared_ptr<const Masker> make_masker(std::vector<std::string> secrets) {
  return std::make_shared<const Masker>(std::move(secrets));
}

std::string stream(const std::shared_ptr<const Masker>& masker, const std::vector<std::string_view>& chunks) {
  MaskingStream masking(masker);
  std::string out;
  for (auto chunk : chunks) masking.write(chunk, out);
  masking.flush(out);
  return out;
}

// Every way of cutting the text in two, and in three around each cut point pair that is close together.
void expect_same_for_every_split(const std::shared_ptr<const Masker>& masker, std::string_view text,
                                 const std::string& expected) {
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    ASSERT_EQ(stream(masker, {text.substr(0, cut), text.substr(cut)}), expected) << "cut at " << cut;
  }
  for (std::size_t first = 0; first <= text.size(); ++first) {
    for (std::size_t second = first; second <= text.size() && second <= first + 12; ++second) {
      ASSERT_EQ(stream(masker, {text.substr(0, first), text.substr(first, second - first), text.substr(second)}),
                expected)
          << "cuts at " << first << " and " << second;
    }
  }
  std::vector<std::string_view> bytes;
  for (std::size_t k = 0; k < text.size(); ++k) bytes.push_back(text.substr(k, 1));
  ASSERT_EQ(stream(masker, bytes), expected) << "one byte at a time";
}

TEST(Masker, ReplacesASecretWherever) {
  auto masker = make_masker({"s3cr3t-value-123"});
  EXPECT_EQ(masker->mask("key=s3cr3t-value-123; again s3cr3t-value-123\n"), "key=[MASKED]; again [MASKED]\n");
  EXPECT_EQ(masker->mask("s3cr3t-value-12 is not it"), "s3cr3t-value-12 is not it");
}

TEST(Masker, MasksEveryFormOfAValue) {
  const std::string value = "p@ss \"word\"/with\\slash";
  auto masker = make_masker(secret_forms(value));
  const std::string url_encoded = text::url_encode(value);
  const std::string json_escaped = json_escape(value);
  ASSERT_NE(url_encoded, value);
  ASSERT_NE(json_escaped, value);
  EXPECT_EQ(masker->mask("plain " + value + "\n"), "plain [MASKED]\n");
  EXPECT_EQ(masker->mask("https://u:" + url_encoded + "@host/\n"), "https://u:[MASKED]@host/\n");
  EXPECT_EQ(masker->mask("{\"password\":\"" + json_escaped + "\"}\n"), "{\"password\":\"[MASKED]\"}\n");
  expect_same_for_every_split(masker, "a " + value + " b " + url_encoded + " c " + json_escaped + " d",
                              "a [MASKED] b [MASKED] c [MASKED] d");
}

TEST(Masker, MasksAMultiLineValueWholeAndLineByLine) {
  const std::string value = "{\n  \"private_key\": \"MIIEvQIBADANBgkq\",\n  \"client_email\": \"bot@x.iam\"\n}\n";
  auto masker = make_masker(secret_forms(value));
  EXPECT_EQ(masker->mask("cat creds:\n" + value + "done\n"), "cat creds:\n[MASKED]done\n");
  // One line echoed on its own, and the JSON-escaped whole inside another JSON document.
  EXPECT_EQ(masker->mask("got   \"private_key\": \"MIIEvQIBADANBgkq\",\n"), "got [MASKED]\n");
  EXPECT_EQ(masker->mask("{\"GOOGLE_CREDENTIALS\":\"" + json_escape(value) + "\"}"),
            "{\"GOOGLE_CREDENTIALS\":\"[MASKED]\"}");
  // Lines shorter than 8 bytes ("{", "}") are not masked on their own.
  EXPECT_EQ(masker->mask("{ }\n"), "{ }\n");
  expect_same_for_every_split(masker, "x" + value + "y  \"private_key\": \"MIIEvQIBADANBgkq\",\n",
                              "x[MASKED]y[MASKED]\n");
}

TEST(Masker, StreamAgreesWithWholeBufferForEverySplit) {
  auto masker = make_masker({"hunter2-hunter2", "hunter2-hunter2-and-more", "x&y=z%41b"});
  const std::string text =
      "a hunter2-hunter2-and-mor hunter2-hunter2-and-more hunter2-hunter2 glpat-abcdefghij0123456789xyz "
      "?private_token=qwerty&a=1 xglpat-abcdefghij0123456789xyz sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA x&y=z%41b!";
  const std::string expected =
      testing::reference_mask(text, {"hunter2-hunter2", "hunter2-hunter2-and-more", "x&y=z%41b"});
  EXPECT_EQ(masker->mask(text), expected);
  EXPECT_EQ(expected,
            "a [MASKED]-and-mor [MASKED] [MASKED] [MASKED] ?private_token=[MASKED]&a=1 xglpat-abcdefghij0123456789xyz "
            "[MASKED] [MASKED]!");
  expect_same_for_every_split(masker, text, expected);
}

TEST(Masker, MasksKnownTokenShapes) {
  auto masker = make_masker({});
  EXPECT_EQ(masker->mask("token glpat-AbCdEfGhIj0123456789 end"), "token [MASKED] end");
  EXPECT_EQ(masker->mask("export ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyz_-01\n"),
            "export ANTHROPIC_API_KEY=[MASKED]\n");
  EXPECT_EQ(masker->mask("AKIAABCDEFGHIJKLMNOP,"), "[MASKED],");
  EXPECT_EQ(masker->mask("(glpat-aaaaaaaaaa.bbbbbbbbbb=)"), "([MASKED])");
  // Too short a body, or a prefix that continues a word: not a token.
  EXPECT_EQ(masker->mask("glpat-abcdefghij012345678 "), "glpat-abcdefghij012345678 ");
  EXPECT_EQ(masker->mask("myglpat-AbCdEfGhIj0123456789"), "myglpat-AbCdEfGhIj0123456789");
  EXPECT_EQ(masker->mask("x_sk-ant-api03-abcdefghijklmnopqrstuvwxyz"), "x_sk-ant-api03-abcdefghijklmnopqrstuvwxyz");
}

TEST(Masker, MasksCredentialQueryParameters) {
  auto masker = make_masker({});
  EXPECT_EQ(masker->mask("GET https://gitlab.example.com/api/v4/projects?private_token=abc123&per_page=5 HTTP/1.1"),
            "GET https://gitlab.example.com/api/v4/projects?private_token=[MASKED]&per_page=5 HTTP/1.1");
  EXPECT_EQ(masker->mask("s3.amazonaws.com/b/k?X-Amz-Credential=AK%2F2024%2Fus&X-Amz-Signature=0af3#frag"),
            "s3.amazonaws.com/b/k?X-Amz-Credential=[MASKED]&X-Amz-Signature=[MASKED]#frag");
  EXPECT_EQ(masker->mask("feed?RSS_TOKEN=xyz\"more"), "feed?RSS_TOKEN=[MASKED]\"more");
  EXPECT_EQ(masker->mask("a?job_token=j&access_token=k&authenticity_token=l"),
            "a?job_token=[MASKED]&access_token=[MASKED]&authenticity_token=[MASKED]");
  // Not a parameter of that name, or an empty value.
  EXPECT_EQ(masker->mask("?my_private_token=abc private_token=abc ?private_token=&x"),
            "?my_private_token=abc private_token=abc ?private_token=&x");
}

TEST(Masker, LongestMatchWinsWhenSecretsOverlap) {
  // A secret that is a prefix of another: the longer one where it is whole, the shorter one elsewhere.
  auto nested = make_masker({"secretvalue1", "secretvalue1-extended"});
  EXPECT_EQ(nested->mask("secretvalue1-extended and secretvalue1-ext"), "[MASKED] and [MASKED]-ext");
  expect_same_for_every_split(nested, "secretvalue1-extended and secretvalue1-ext", "[MASKED] and [MASKED]-ext");

  // Adjacent secrets are each replaced.
  auto adjacent = make_masker({"AAAAAAAA1", "BBBBBBBB2"});
  EXPECT_EQ(adjacent->mask("AAAAAAAA1BBBBBBBB2"), "[MASKED][MASKED]");

  // Overlapping occurrences: the leftmost wins and masking goes on after it, so the rest of the second stays. This is
  // the defined result; two different secrets overlapping in the output is what it costs.
  auto overlapping = make_masker({"abcdefgh", "efghijkl"});
  EXPECT_EQ(overlapping->mask("abcdefghijkl"), "[MASKED]ijkl");
  EXPECT_EQ(overlapping->mask("xefghijkl"), "x[MASKED]");
}

TEST(Masker, MasksShortAndBinarySecretsItIsGiven) {
  auto masker = make_masker({"ab", std::string("\xff\x00\x01zz", 5)});
  const std::string text("xaby \xff\x00\x01zz!", 11);
  EXPECT_EQ(masker->mask(text), "x[MASKED]y [MASKED]!");
  expect_same_for_every_split(masker, text, "x[MASKED]y [MASKED]!");
}

TEST(MaskingStream, HoldsBackOnlyWhatCouldStillBecomeASecret) {
  auto masker = make_masker({"correct-horse-battery"});
  MaskingStream masking(masker);
  std::string out;
  masking.write("log line one\ncorrect-hor", out);
  EXPECT_EQ(out, "log line one\n");
  EXPECT_EQ(masking.pending_bytes(), 11u);
  masking.flush_partial(out);
  EXPECT_EQ(out, "log line one\n") << "a timer flush must not let a secret's first half out";
  masking.write("se-battery and glpat-", out);
  EXPECT_EQ(out, "log line one\n[MASKED] and ");
  EXPECT_EQ(masking.pending_bytes(), 6u);
  masking.write("123", out);
  EXPECT_EQ(out, "log line one\n[MASKED] and ");
  masking.write(" not a token\n", out);
  EXPECT_EQ(out, "log line one\n[MASKED] and glpat-123 not a token\n");
  EXPECT_EQ(masking.pending_bytes(), 0u);
  masking.write("correct-", out);
  masking.flush(out);
  EXPECT_EQ(out, "log line one\n[MASKED] and glpat-123 not a token\ncorrect-");
}

TEST(MaskingStream, ASecretLongerThanTheTokenItStartsWithWinsAcrossWrites) {
  const std::string secret = "glpat-abcdefghijklmnopqrstuvwxyz and the rest of it";
  auto masker = make_masker({secret});
  const std::string text = "x " + secret + " y glpat-abcdefghijklmnopqrstuvwxyz and not the rest";
  expect_same_for_every_split(masker, text, "x [MASKED] y [MASKED] and not the rest");
  const std::string query = "?private_token=abcdef ghijkl";
  auto query_masker = make_masker({query});
  expect_same_for_every_split(query_masker, "u" + query + " u?private_token=abcdef ghi",
                              "u[MASKED] u?private_token=[MASKED] ghi");
}

TEST(MaskingStream, MasksAnEndlessTokenWithConstantMemory) {
  auto masker = make_masker({"a-secret-of-forty-bytes-xxxxxxxxxxxxxxxx"});
  MaskingStream masking(masker);
  std::string out;
  masking.write("before glpat-", out);
  const std::string run(64 * 1024, 'a');
  std::size_t most_pending = 0;
  std::size_t most_output = 0;
  for (std::size_t written = 0; written < 50u * 1024 * 1024; written += run.size()) {
    masking.write(run, out);
    most_pending = std::max(most_pending, masking.pending_bytes());
    most_output = std::max(most_output, out.size());
  }
  EXPECT_LT(most_pending, masker->max_pending());
  EXPECT_LE(most_output, std::string("before [MASKED]").size());
  masking.write(" after\n", out);
  masking.flush(out);
  EXPECT_EQ(out, "before [MASKED] after\n");
  EXPECT_EQ(masker->mask("before glpat-" + std::string(1000, 'a') + " after\n"), out);
}

TEST(MaskingStream, MasksAnEndlessQueryValueAndOneGiantWrite) {
  auto masker = make_masker({"short-secret"});
  MaskingStream masking(masker);
  std::string out;
  const std::string giant = "curl 'https://h/x?private_token=" + std::string(20 * 1024 * 1024, 'Z');
  masking.write(giant, out);
  EXPECT_EQ(out, "curl 'https://h/x?private_token=[MASKED]");
  EXPECT_EQ(masking.pending_bytes(), 0u);
  masking.write(std::string(3 * 1024 * 1024, '%'), out);
  masking.write("' short-secret\n", out);
  masking.flush(out);
  EXPECT_EQ(out, "curl 'https://h/x?private_token=[MASKED]' [MASKED]\n");
}

TEST(MaskingStream, ReusableAfterFlush) {
  auto masker = make_masker({"reusable-secret"});
  MaskingStream masking(masker);
  std::string out;
  masking.write("x reusable-sec", out);
  masking.flush(out);
  masking.write("reusable-secret", out);
  masking.flush(out);
  EXPECT_EQ(out, "x reusable-sec[MASKED]");
}

}  // namespace
}  // namespace flowrun::log

#include "flowrun/flow/key_suggestion.h"

#include <gtest/gtest.h>

#include "flowrun/flow/flow_keys.h"

namespace flowrun::flow {
namespace {

TEST(KeySuggestion, FindsTyposAndOtherSpellings) {
  EXPECT_EQ(suggest_key("command", top_level_keys), "commands");
  EXPECT_EQ(suggest_key("imgae", top_level_keys), "image");
  EXPECT_EQ(suggest_key("varaibles", top_level_keys), "variables");
  EXPECT_EQ(suggest_key("inject_gateway_token", top_level_keys), "injectGatewayToken");
  EXPECT_EQ(suggest_key("ID-Tokens", top_level_keys), "id_tokens");
  EXPECT_EQ(suggest_key("timout", flowrun_keys), "timeout");
  EXPECT_EQ(suggest_key("auds", id_token_keys), "aud");
}

TEST(KeySuggestion, StaysQuietForUnrelatedWords) {
  EXPECT_FALSE(suggest_key("stages", top_level_keys).has_value());
  EXPECT_FALSE(suggest_key("services", top_level_keys).has_value());
  EXPECT_FALSE(suggest_key("audience", id_token_keys).has_value());
  EXPECT_FALSE(suggest_key("x", author_keys).has_value());
}

}  // namespace
}  // namespace flowrun::flow

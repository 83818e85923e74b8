// The JSON Schema of a flow file: built into the binary from flow.schema.json, in step with the loader's keys, and
// judging the fixtures as the loader does (checked with Python's jsonschema and PyYAML, as an editor would).
#include "flowrun/flow/json_schema.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "flow_test_support.h"
#include "flowrun/flow/discovery.h"
#include "flowrun/flow/flow.h"
#include "flowrun/flow/flow_keys.h"

namespace flowrun::flow {
namespace {

namespace fs = std::filesystem;

const fs::path schema_file = fs::path(FLOWRUN_SOURCE_DIR) / "src" / "flowrun" / "flow" / "flow.schema.json";

template <typename Keys>
std::set<std::string> as_set(const Keys& keys) {
  return std::set<std::string>(keys.begin(), keys.end());
}

std::set<std::string> property_names(const nlohmann::json& object) {
  std::set<std::string> names;
  for (const auto& [name, value] : object["properties"].items()) names.insert(name);
  return names;
}

TEST(JsonSchema, TheBinaryCarriesTheSourceFile) {
  EXPECT_EQ(std::string(flow_json_schema()), testing::read_file(schema_file));
}

TEST(JsonSchema, ListsTheKeysTheLoaderKnows) {
  auto schema = nlohmann::json::parse(flow_json_schema());
  EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(property_names(schema), as_set(top_level_keys));
  const auto& flowrun = schema["properties"]["flowrun"];
  EXPECT_EQ(flowrun["additionalProperties"], false);
  EXPECT_EQ(property_names(flowrun), as_set(flowrun_keys));
  EXPECT_EQ(property_names(flowrun["properties"]["author"]), as_set(author_keys));
  EXPECT_EQ(flowrun["properties"]["merge_request"]["enum"].get<std::set<std::string>>(), as_set(merge_request_values));
  const auto& id_tokens = schema["properties"]["id_tokens"];
  EXPECT_EQ(id_tokens["maxProperties"], max_id_tokens);
  EXPECT_EQ(property_names(id_tokens["additionalProperties"]), as_set(id_token_keys));
  EXPECT_EQ(schema["properties"]["image"]["maxLength"], max_image_length);
  EXPECT_EQ(schema["required"], nlohmann::json({"image", "commands"}));
}

// Rules whose findings the schema must also see. Findings of other rules (YAML syntax, encoding, duplicates...)
// are about reading the file, which an editor's YAML parser does its own way.
bool schema_sees(const Diagnostic& diagnostic) {
  static const std::set<std::string> rules = {"schema-root",        "schema-required", "schema-type",
                                              "schema-unknown-key", "commands-empty",  "image-length",
                                              "variable-name",      "id-tokens"};
  if (rules.count(diagnostic.rule) != 0) return true;
  return diagnostic.rule == "schema-value" && diagnostic.severity == Severity::error;
}

bool schema_cannot_judge(const Diagnostic& diagnostic) {
  static const std::set<std::string> rules = {"yaml-syntax",     "file-empty",       "file-too-large", "file-encoding",
                                              "file-unreadable", "nesting-too-deep", "duplicate-key"};
  return rules.count(diagnostic.rule) != 0;
}

TEST(JsonSchema, AcceptsTheValidFixturesAndRejectsTheInvalidOnes) {
  std::map<std::string, std::string> expected;  // path -> verdict
  for (const char* folder : {"flows/valid", "seed004"}) {
    for (const auto& file : list_flow_files(testing::fixtures_dir() / folder)) expected[file.string()] = "accepted";
  }
  for (const auto& file : list_flow_files(testing::fixtures_dir() / "flows" / "invalid")) {
    LoadResult loaded = load_flow_file(file);
    bool rejected = false, unjudged = false;
    for (const auto& diagnostic : loaded.diagnostics) {
      rejected = rejected || schema_sees(diagnostic);
      unjudged = unjudged || schema_cannot_judge(diagnostic);
    }
    if (!unjudged) expected[file.string()] = rejected ? "rejected" : "accepted";
  }
  ASSERT_GE(expected.size(), 50u);

  std::string command = std::string("'") + FLOWRUN_TEST_PYTHON + "' '" + FLOWRUN_SOURCE_DIR +
                        "/tests/unit/flow/check_schema.py' '" + schema_file.string() + "'";
  for (const auto& [path, verdict] : expected) command += " '" + path + "'";
  command += " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  while (std::size_t count = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, count);
  int status = ::pclose(pipe);
  ASSERT_EQ(status, 0) << "python3 with the jsonschema and yaml modules (python3-jsonschema, python3-yaml) is "
                          "needed:\n"
                       << output;

  std::map<std::string, std::string> actual;
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    std::string line = output.substr(start, end - start);
    std::size_t tab = line.find('\t');
    if (tab != std::string::npos) actual[line.substr(tab + 1)] = line.substr(0, tab);
    start = end + 1;
  }
  EXPECT_EQ(actual, expected);
}

}  // namespace
}  // namespace flowrun::flow

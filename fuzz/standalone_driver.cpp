// main() for a fuzz target built without libFuzzer (any compiler): runs LLVMFuzzerTestOneInput on every file given
// (folders: every file in them), then on `--mutations=N` variants of each, made by a fixed-seed generator so that
// every run tries the same inputs. Used by tests/fuzz_smoke; a crash, sanitizer report or abort fails the run.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void run(const std::string& input) {
  // A copy of exactly `size` bytes, so ASan sees any read past the end.
  std::vector<std::uint8_t> bytes(input.begin(), input.end());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
}

// A few of libFuzzer's simple mutations: flip, set, insert, erase, duplicate a range, splice with another input.
std::string mutate(std::string input, const std::string& other, std::mt19937& random) {
  const int steps = 1 + static_cast<int>(random() % 4);
  for (int s = 0; s < steps; ++s) {
    const std::size_t at = input.empty() ? 0 : random() % input.size();
    switch (random() % 6) {
      case 0:
        if (!input.empty()) input[at] = static_cast<char>(input[at] ^ (1 << (random() % 8)));
        break;
      case 1:
        if (!input.empty()) input[at] = static_cast<char>(random() % 256);
        break;
      case 2:
        input.insert(at, 1, static_cast<char>(random() % 256));
        break;
      case 3:
        if (!input.empty()) input.erase(at, 1 + random() % std::min<std::size_t>(input.size() - at, 16));
        break;
      case 4: {
        const std::size_t length = std::min<std::size_t>(input.size() - at, 1 + random() % 32);
        input.insert(at, input.substr(at, length));
        break;
      }
      default:
        if (!other.empty()) input = input.substr(0, at) + other.substr(random() % other.size());
        break;
    }
  }
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t mutations = 0;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument.rfind("--mutations=", 0) == 0) {
      mutations = std::stoul(argument.substr(12));
    } else if (fs::is_directory(argument)) {
      for (const auto& entry : fs::directory_iterator(argument))
        if (entry.is_regular_file()) files.push_back(entry.path());
    } else {
      files.emplace_back(argument);
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s [--mutations=N] FILE_OR_FOLDER...\n", argv[0]);
    return 2;
  }
  std::vector<std::string> inputs;
  for (const auto& file : files) inputs.push_back(read_file(file));
  for (const auto& input : inputs) run(input);
  run("");
  std::mt19937 random(20240601);
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    for (std::size_t m = 0; m < mutations; ++m) run(mutate(inputs[k], inputs[(k + m + 1) % inputs.size()], random));
  }
  std::printf("%zu files, %zu mutated inputs: no failure\n", inputs.size(), inputs.size() * mutations);
  return 0;
}

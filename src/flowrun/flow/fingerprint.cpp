#include "flowrun/flow/fingerprint.h"

#include <cstdint>

namespace flowrun::flow {
namespace {

// FNV-1a, 64 bits, from a given starting value.
std::uint64_t fnv1a(std::string_view data, std::uint64_t hash) {
  for (unsigned char byte : data) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

void append_hex(std::string& out, std::uint64_t value) {
  static constexpr char digits[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(digits[(value >> shift) & 0xF]);
}

}  // namespace

std::string fingerprint_hex(std::string_view data) {
  // Two FNV-1a passes from different starting values (the standard offset basis, and the second over the
  // data's length as well) give 128 bits; plenty to keep the findings of one report apart.
  std::uint64_t first = fnv1a(data, 0xcbf29ce484222325ULL);
  std::uint64_t second = fnv1a(std::to_string(data.size()), fnv1a(data, 0x84222325cbf29ce4ULL));
  std::string out;
  out.reserve(32);
  append_hex(out, first);
  append_hex(out, second);
  return out;
}

}  // namespace flowrun::flow

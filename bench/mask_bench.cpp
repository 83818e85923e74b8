// Masking throughput against copying the same bytes, measured in the same run.
//
//   flowrun_mask_bench [MiB]      (default 1024)
//
// Generates realistic job log text (compiler and package manager lines, URLs, hashes, timestamps) with 50 secrets
// and a few tokens sprinkled in, then pushes MiB of it in 64 KiB chunks through:
//   (a) a copy loop into a sink that discards it (memcpy: the ceiling),
//   (b) `cat > /dev/null` through a pipe (what passing output on costs: the baseline),
//   (c) a MaskingStream.
// Prints MB/s of each (by the wall clock, and per CPU second), the ratio masking / cat (goal >= 0.5) and the peak
// resident memory (goal <= 32 MiB). It only prints; it does not assert. On a busy machine the wall-clock rates say
// more about the scheduler than about the code (cat's two processes get more CPU than one masking thread): the load
// is printed so that a reader can tell.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "flowrun/log/masker.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kPoolSize = 16 * 1024 * 1024;  // cycled through, so the data set does not have to fit in memory
constexpr std::size_t kSecrets = 50;

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  std::string from(std::string_view alphabet, std::size_t length) {
    std::string out;
    for (std::size_t k = 0; k < length; ++k) out += alphabet[below(alphabet.size())];
    return out;
  }

 private:
  std::uint64_t state_;
};

constexpr std::string_view kAlnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kHex = "0123456789abcdef";

std::vector<std::string> make_secrets(Random& random) {
  std::vector<std::string> secrets;
  for (std::size_t k = 0; k < kSecrets; ++k) secrets.push_back(random.from(kAlnum, 16 + random.below(32)));
  return secrets;
}

std::string log_line(Random& random, const std::vector<std::string>& secrets, std::size_t& planted) {
  static constexpr std::string_view kWords[] = {"compiling", "linking",  "warning:", "unused",  "variable", "added",
                                                "packages",  "in",       "audited",  "found",   "0",        "error",
                                                "the",       "function", "returns",  "Cloning", "into",     "done."};
  static constexpr std::string_view kLevels[] = {"INFO ", "DEBUG", "WARN ", "INFO ", "INFO "};
  std::string line = "2024-06-11T10:" + std::to_string(10 + random.below(50)) + ":" +
                     std::to_string(10 + random.below(50)) + "." + std::to_string(100 + random.below(900)) + "Z " +
                     std::string(kLevels[random.below(5)]) + " ";
  switch (random.below(8)) {
    case 0:
      line += "[worker-" + std::to_string(random.below(8)) + "] Compiling src/module_" +
              std::to_string(random.below(99)) + "/file_" + std::to_string(random.below(999)) + ".cpp";
      break;
    case 1:
      line += "GET https://registry.npmjs.org/pkg-" + random.from(kAlnum, 6) + "/-/pkg-1." +
              std::to_string(random.below(20)) + ".0.tgz?cache=" + random.from(kHex, 8) + " 200 OK";
      break;
    case 2:
      line += "commit " + random.from(kHex, 40) + " (HEAD -> workloads/" + random.from(kHex, 11) + ")";
      break;
    case 3:
      line += "    at Object.<anonymous> (/app/node_modules/" + random.from(kAlnum, 8) +
              "/index.js:" + std::to_string(random.below(500)) + ":" + std::to_string(random.below(80)) + ")";
      break;
    case 4:
      line += "env PATH=/usr/local/bin:/usr/bin HOME=/root LANG=C.UTF-8 NODE_ENV=production";
      break;
    default:
      for (std::size_t k = 3 + random.below(12); k > 0; --k) {
        line += kWords[random.below(std::size(kWords))];
        line += ' ';
      }
  }
  if (random.below(200) == 0) {
    line += " using " + secrets[random.below(secrets.size())];
    ++planted;
  }
  if (random.below(5000) == 0) {
    line += " token glpat-" + random.from(kAlnum, 20);
    ++planted;
  }
  line += '\n';
  return line;
}

double megabytes_per_second(std::size_t bytes, Clock::duration elapsed) {
  return static_cast<double>(bytes) / 1e6 / std::chrono::duration<double>(elapsed).count();
}

// CPU seconds used so far by this process, or by its waited-for children.
double cpu_seconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Walks the pool in 64 KiB chunks, starting each lap at another offset so chunk edges fall everywhere.
template <typename Consume>
Clock::duration feed(const std::string& pool, std::size_t total, Consume&& consume) {
  const auto start = Clock::now();
  std::size_t done = 0;
  std::size_t offset = 0;
  std::size_t lap = 0;
  while (done < total) {
    if (offset + kChunk > pool.size()) offset = (++lap * 4099) % kChunk;
    const std::size_t size = std::min(kChunk, total - done);
    consume(std::string_view(pool.data() + offset, size));
    offset += size;
    done += size;
  }
  return Clock::now() - start;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t mebibytes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1024;
  if (mebibytes == 0) {
    std::fprintf(stderr, "usage: %s [MiB to mask, default 1024]\n", argv[0]);
    return 2;
  }
  const std::size_t total = mebibytes * 1024 * 1024;

  Random random(42);
  const std::vector<std::string> secrets = make_secrets(random);
  std::string pool;
  pool.reserve(kPoolSize + 1024);
  std::size_t planted = 0;
  while (pool.size() < kPoolSize) pool += log_line(random, secrets, planted);
  auto masker = std::make_shared<const flowrun::log::Masker>(secrets);
  {
    // Proof that masking works on this data: every planted secret and token comes out as [MASKED].
    flowrun::log::MaskingStream check(masker);
    std::string out;
    std::size_t found = 0;
    auto count = [&] {
      for (auto at = out.find("[MASKED]"); at != std::string::npos; at = out.find("[MASKED]", at + 1)) ++found;
      out.clear();
    };
    for (std::size_t offset = 0; offset < pool.size(); offset += kChunk) {
      check.write(std::string_view(pool).substr(offset, kChunk), out);
      count();
    }
    check.flush(out);
    count();
    std::printf(
        "data: %zu MiB of log text, %zu secrets; one 16 MiB lap holds %zu planted secrets and tokens, "
        "%zu masked\n",
        mebibytes, secrets.size(), planted, found);
  }
  const long rss_before = peak_rss_kib();

  // Each rate is given twice: by the clock on the wall, and per CPU second (what the work costs when the machine is
  // busy with other things; a pipeline's is set by its slower side).
  struct Rate {
    double wall = 0;
    double cpu = 0;
  };
  auto rate = [&](Clock::duration wall, double cpu) {
    return Rate{megabytes_per_second(total, wall), static_cast<double>(total) / 1e6 / cpu};
  };

  // (a) copy into a sink that discards.
  std::vector<char> sink(kChunk);
  volatile char keep = 0;
  double cpu_start = cpu_seconds(RUSAGE_SELF);
  const auto copy_wall = feed(pool, total, [&](std::string_view chunk) {
    std::memcpy(sink.data(), chunk.data(), chunk.size());
    keep = keep + sink[chunk.size() / 2];
  });
  const Rate copy = rate(copy_wall, cpu_seconds(RUSAGE_SELF) - cpu_start);

  // (b) cat through a pipe.
  Rate cat;
  if (FILE* pipe = popen("cat > /dev/null", "w")) {
    std::setvbuf(pipe, nullptr, _IOFBF, kChunk);
    cpu_start = cpu_seconds(RUSAGE_SELF);
    const double children_start = cpu_seconds(RUSAGE_CHILDREN);
    const auto cat_wall =
        feed(pool, total, [&](std::string_view chunk) { std::fwrite(chunk.data(), 1, chunk.size(), pipe); });
    const double writer_cpu = cpu_seconds(RUSAGE_SELF) - cpu_start;
    pclose(pipe);
    const double cat_cpu = cpu_seconds(RUSAGE_CHILDREN) - children_start;
    cat = rate(cat_wall, std::max(writer_cpu, cat_cpu));
  }

  // (c) masking.
  flowrun::log::MaskingStream stream(masker);
  std::string out;
  out.reserve(2 * kChunk);
  std::size_t output_bytes = 0;
  cpu_start = cpu_seconds(RUSAGE_SELF);
  const auto mask_wall = feed(pool, total, [&](std::string_view chunk) {
    out.clear();
    stream.write(chunk, out);
    output_bytes += out.size();
  });
  out.clear();
  stream.flush(out);
  output_bytes += out.size();
  const Rate masking = rate(mask_wall, cpu_seconds(RUSAGE_SELF) - cpu_start);

  std::printf("                      MB/s (wall)   MB/s (per CPU second)\n");
  std::printf("copy (memcpy)         %10.0f   %10.0f\n", copy.wall, copy.cpu);
  if (cat.wall > 0) std::printf("cat through a pipe    %10.0f   %10.0f\n", cat.wall, cat.cpu);
  std::printf("MaskingStream         %10.0f   %10.0f   (%zu bytes out)\n", masking.wall, masking.cpu, output_bytes);
  if (cat.wall > 0) {
    std::printf("ratio masking / cat   %10.2f   %10.2f   (goal >= 0.5)\n", masking.wall / cat.wall,
                masking.cpu / cat.cpu);
  }
  std::printf("ratio masking / copy  %10.2f   %10.2f\n", masking.wall / copy.wall, masking.cpu / copy.cpu);
  double load[1] = {0};
  if (getloadavg(load, 1) == 1) {
    std::printf("load average %.1f on %u CPUs while measuring\n", load[0], std::thread::hardware_concurrency());
  }
  std::printf("peak RSS %.1f MiB (%.1f MiB before the runs, the 16 MiB text pool included; goal <= 32 MiB)\n",
              static_cast<double>(peak_rss_kib()) / 1024, static_cast<double>(rss_before) / 1024);
  return 0;
}

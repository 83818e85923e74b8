#include <curl/curl.h>
#include <git2.h>

#include <iostream>

#include "flowrun/cli/commands.h"
#include "flowrun/core/build_info.h"

namespace flowrun::cli {

void print_version() {
  int major = 0, minor = 0, rev = 0;
  git_libgit2_version(&major, &minor, &rev);
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  std::cout << "flowrun " << build_info::version << "\n"
            << "libgit2 " << major << "." << minor << "." << rev << "\n"
            << "yaml-cpp " << build_info::yaml_cpp_version << "\n"
            << "libcurl " << (curl != nullptr ? curl->version : "unknown") << "\n";
}

}  // namespace flowrun::cli

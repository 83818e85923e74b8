# FLOWRUN_PORTABLE: the build behind the release bundle (scripts/build-bundle.sh). The libraries Debian ships as static
# archives are linked in; the others (libcurl, spdlog, fmt, OpenSSL and what they need) are carried in the bundle's
# lib/ folder and found through the binary's RPATH, $ORIGIN/../lib. DT_RPATH rather than DT_RUNPATH: RUNPATH only
# serves the binary's own needs, and libcurl's dependencies must come from lib/ too.

# A library named by pkg-config as -lNAME, as the path of its static archive when there is one. OpenSSL stays shared:
# libcurl loads libssl.so.3 anyway, and two copies of OpenSSL in one process would interpose each other's symbols.
# glibc's own libraries (rt, dl, ...) are never carried nor linked statically.
function(flowrun_static_archive out name)
  if(name MATCHES "^(ssl|crypto|rt|dl|pthread|m)$")
    set(${out} ${name} PARENT_SCOPE)
    return()
  endif()
  find_library(flowrun_archive_${name} NAMES lib${name}.a HINTS ${LIBGIT2_STATIC_LIBRARY_DIRS} NO_CACHE)
  if(flowrun_archive_${name})
    set(${out} ${flowrun_archive_${name}} PARENT_SCOPE)
  else()
    set(${out} ${name} PARENT_SCOPE)
  endif()
endfunction()

# libgit2: its static archive and, in order, what its pkg-config file lists for a static link.
set(flowrun_libgit2_link)
foreach(library ${LIBGIT2_STATIC_LIBRARIES})
  flowrun_static_archive(resolved ${library})
  list(APPEND flowrun_libgit2_link ${resolved})
endforeach()
set_target_properties(PkgConfig::LIBGIT2 PROPERTIES INTERFACE_LINK_LIBRARIES "${flowrun_libgit2_link}"
                                                    INTERFACE_LINK_DIRECTORIES "")
message(STATUS "portable build: libgit2 ${LIBGIT2_VERSION} linked as ${flowrun_libgit2_link}")

# yaml-cpp: its static archive in place of the shared library its CMake package names.
find_library(flowrun_yaml_cpp_archive NAMES libyaml-cpp.a REQUIRED NO_CACHE)
get_target_property(flowrun_yaml_configurations ${FLOWRUN_YAML_TARGET} IMPORTED_CONFIGURATIONS)
set_target_properties(${FLOWRUN_YAML_TARGET} PROPERTIES IMPORTED_LOCATION ${flowrun_yaml_cpp_archive})
foreach(configuration ${flowrun_yaml_configurations})
  set_target_properties(${FLOWRUN_YAML_TARGET} PROPERTIES IMPORTED_LOCATION_${configuration} ${flowrun_yaml_cpp_archive})
endforeach()

add_link_options(-static-libstdc++ -static-libgcc LINKER:--disable-new-dtags)
set(CMAKE_INSTALL_RPATH "\$ORIGIN/../lib")

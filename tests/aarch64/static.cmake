# Included after project() (CMAKE_PROJECT_INCLUDE) by .ci/aarch64-qemu: links
# sentry statically, so the guest needs no arm64 shared library to run it.
# pkg_check_modules resolves each library with find_library: ask for the
# archives. Static libunwind also needs its own arch library and liblzma.
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
set(CMAKE_EXE_LINKER_FLAGS_INIT -static)
string(APPEND CMAKE_EXE_LINKER_FLAGS " -static")
set(CMAKE_C_STANDARD_LIBRARIES "-lunwind-aarch64 -llzma")

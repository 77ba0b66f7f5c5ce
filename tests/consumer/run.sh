#!/usr/bin/env bash
# Installs a tellus build tree into a scratch prefix, then builds the C and
# C++ programs beside this script against that prefix as an outside project
# would, once with CMake's find_package and once with pkg-config, and runs
# them. Any failure fails the test.
#
# Usage: run.sh BUILD_DIR WORK_DIR LIBDIR
#   LIBDIR is CMAKE_INSTALL_LIBDIR of the build (lib, lib/x86_64-linux-gnu).
# Environment: CC, CXX, CFLAGS, CXXFLAGS, LDFLAGS as for any build; CMAKE,
# CMAKE_GENERATOR and CMAKE_BUILD_TYPE as in the build tree;
# TELLUS_EXPECTED_VERSION, the project's version.
set -euo pipefail
build=$1
work=$2
libdir=$3
here=$(cd "$(dirname "$0")" && pwd)
cmake=${CMAKE:-cmake}
cc=${CC:-cc}
cxx=${CXX:-c++}
prefix=$work/prefix

step() { echo "== $*"; }
fail() { echo "install_consumer: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"

step "install into $prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log"
for f in include/tellus/tellus.h include/tellus/dates.h \
         include/tellus/export.h include/tellus/v1/common.pb.h \
         "$libdir/libtellus.so.$TELLUS_EXPECTED_VERSION" \
         "$libdir/libtellus.so.${TELLUS_EXPECTED_VERSION%%.*}" \
         "$libdir/libtellus.so" "$libdir/libtellus.a" \
         "$libdir/cmake/tellus/tellusConfig.cmake" \
         "$libdir/cmake/tellus/tellusConfigVersion.cmake" \
         "$libdir/cmake/tellus/tellusTargets.cmake" \
         "$libdir/pkgconfig/tellus.pc" "$libdir/pkgconfig/tellus-static.pc"; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
soname=$(objdump -p "$prefix/$libdir/libtellus.so" | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = "libtellus.so.${TELLUS_EXPECTED_VERSION%%.*}" ] \
  || fail "SONAME is '$soname'"

# Runs a program built against the prefix, after checking that it loads
# libtellus.so from there (when it uses it at all).
run() {
  local loaded
  loaded=$(ldd "$1" | awk '$1 ~ /^libtellus\.so/ { print $3 }')
  if [ -n "$loaded" ] && [ "$(realpath "$loaded")" != \
       "$(realpath "$prefix/$libdir/libtellus.so.$TELLUS_EXPECTED_VERSION")" ]; then
    fail "$1 loads $loaded, not the installed library"
  fi
  "$1"
}

step "CMake: find_package(tellus CONFIG REQUIRED)"
"$cmake" -S "$here" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-}" >"$work/cmake-configure.log" \
  || { cat "$work/cmake-configure.log"; fail "configure failed"; }
found=$(sed -n 's/^tellus_DIR:PATH=//p' "$work/cmake/CMakeCache.txt")
[ "$(realpath "$found")" = "$(realpath "$prefix/$libdir/cmake/tellus")" ] \
  || fail "find_package found tellus in '$found'"
"$cmake" --build "$work/cmake"
run "$work/cmake/version_c"
run "$work/cmake/dates_cpp"

step "pkg-config: tellus (C ABI, shared) and tellus-static (C++ API)"
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
for pc in tellus tellus-static; do
  version=$(pkg-config --modversion "$pc")
  [ "$version" = "$TELLUS_EXPECTED_VERSION" ] || fail "$pc.pc has version $version"
done
echo "pkg-config --cflags --libs tellus: $(pkg-config --cflags --libs tellus)"
echo "pkg-config --cflags --libs tellus-static: $(pkg-config --cflags --libs tellus-static)"
mkdir -p "$work/pkg-config"
# shellcheck disable=SC2046,SC2086  # flags are word lists
"$cc" -std=c99 -Wall -Wextra -Werror -pedantic-errors ${CFLAGS:-} \
  $(pkg-config --cflags tellus) "$here/version.c" -o "$work/pkg-config/version_c" \
  ${LDFLAGS:-} $(pkg-config --libs tellus) \
  -Wl,-rpath,"$(pkg-config --variable=libdir tellus)"
# shellcheck disable=SC2046,SC2086
"$cxx" -std=c++20 -Wall -Wextra -Werror ${CXXFLAGS:-} \
  $(pkg-config --cflags tellus-static) "$here/dates.cc" \
  -o "$work/pkg-config/dates_cpp" ${LDFLAGS:-} $(pkg-config --libs tellus-static)
run "$work/pkg-config/version_c"
run "$work/pkg-config/dates_cpp"

echo "install_consumer: passed"

#!/bin/sh
# Cross-builds sentry for arm64 on a Debian amd64 host, warnings as errors.
# Installs what it needs with apt-get (run as root); prints nothing on
# success. Build directory: $BUILD_DIR, default build-aarch64 in the tree.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-aarch64}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive

# Runs a command silently; shows its output only when it fails.
quiet() {
	if ! "$@" >"$log" 2>&1; then
		cat "$log" >&2
		echo "cross-aarch64: failed: $*" >&2
		exit 1
	fi
}

installed() {
	dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	quiet dpkg --add-architecture arm64
	quiet apt-get update
fi
missing=
for pkg in gcc-aarch64-linux-gnu libc6-dev-arm64-cross libseccomp-dev:arm64 libxxhash-dev:arm64 libunwind-dev:arm64 libcapstone-dev:arm64 libjson-c-dev:arm64 cmake make pkg-config file; do
	installed "$pkg" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
	quiet apt-get update
	# shellcheck disable=SC2086 # one word per package
	quiet apt-get install -y --no-install-recommends $missing
fi

quiet cmake -S "$root" -B "$build" \
	-DCMAKE_TOOLCHAIN_FILE="$root/cmake/aarch64-linux-gnu.cmake" \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSENTRY_WERROR=ON -DSENTRY_TESTS=OFF
quiet cmake --build "$build" -j "$(nproc)"

if ! file "$build/sentry" | grep -q 'ARM aarch64'; then
	file "$build/sentry" >&2
	echo "cross-aarch64: $build/sentry is not an arm64 binary" >&2
	exit 1
fi

#!/bin/bash
# usage: run.sh SENTRY PLATFORM [MODULE...]
#
# CPython's own test modules, natively and inside the sentry on PLATFORM,
# compared per test case (compare.py): a test that passes natively must pass
# inside, unless expected.txt lists it with its reason. Without modules, a
# subset quick enough for CI (35 to 50 s for both sides on 2 cores; full.sh
# runs the long list). The
# logs of every run stay in the build folder, under cpython-logs.PLATFORM.
set -u
SENTRY=$1 PLATFORM=$2
shift 2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ ! -d /usr/lib/python3.11/test/libregrtest ] || [ ! -e /usr/lib/python3.11/test/test_os.py ]; then
	echo "FAIL: CPython's test modules are missing: apt-get install libpython3.11-testsuite (.ci/deps)"
	exit 1
fi
if [ $# -eq 0 ]; then
	set -- test_fcntl test_pty test_os test_shutil \
		test_asyncio.test_unix_events test_asyncio.test_server \
		test_asyncio.test_sock_lowlevel \
		'test_socket:+TestLinuxAbstractNamespace,+TestUnixDomain,+*UDPLITE*,+BasicTCPTest,+BasicSocketPairTest,+*SCMRights*,+*UnixStream*,+*RFC3542*'
fi
exec python3 "$HERE/compare.py" --sentry "$SENTRY" --platform "$PLATFORM" \
	--expected "$HERE/expected.txt" --out "$PWD/cpython-logs.$PLATFORM" --timeout "${CPYTHON_TIMEOUT:-120}" "$@"

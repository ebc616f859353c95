#!/bin/bash
# usage: full.sh SENTRY [PLATFORM...]   (default: unotify ptrace)
#
# The long run of CPython's test modules natively and inside the sentry
# (about 25 minutes for both platforms on 2 cores), compared per test case
# as run.sh does; doc/testing.md has the numbers of the last run. Logs in
# ./cpython-logs.full.
set -u
SENTRY=$1
shift
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
platforms=()
for p in "$@"; do platforms+=(--platform "$p"); done
[ $# -eq 0 ] && platforms=(--platform unotify --platform ptrace)
exec python3 "$HERE/compare.py" --sentry "$SENTRY" "${platforms[@]}" \
	--expected "$HERE/expected.txt" --out "$PWD/cpython-logs.full" --timeout "${CPYTHON_TIMEOUT:-1200}" \
	'test_socket:*VSOCK*' test_pty test_selectors test_os test_subprocess \
	test_asyncio.test_events test_asyncio.test_sock_lowlevel test_asyncio.test_unix_events \
	test_asyncio.test_server test_signal test_fcntl test_tempfile test_shutil

#!/bin/bash
# usage: client.sh SENTRY
# Piston's npm client (piston-client, installed by .ci/deps under
# /opt/sentry-test-npm) runs python, bash, c and javascript through sentry
# serve.
. "$(dirname "$0")/lib.sh"
NPM=${SENTRY_TEST_NPM:-/opt/sentry-test-npm}
if [ ! -f "$NPM/node_modules/piston-client/index.js" ] || ! command -v node >/dev/null; then
	echo "SKIP: no piston-client under $NPM (bash .ci/deps installs it)"
	exit 77
fi
start_server
node "$(dirname "$0")/piston.mjs" "$NPM" "$URL" >"$T/client.out" 2>&1
rc=$?
cat "$T/client.out"
[ "$rc" -eq 0 ] || fail "piston-client (exit $rc)"
finish

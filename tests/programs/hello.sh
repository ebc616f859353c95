# examples/hello.py, the first program a new user runs: it greets, writes a
# file in the cwd and reads it back, lists the cwd, fails to connect to
# 127.0.0.1:9 and exits 0.
set -euo pipefail
. ./assert.sh

python3 hello.py >out.txt
cat out.txt
out=$(cat out.txt)
contains "$out" "Hello from Python 3." "greeting"
contains "$out" "Working in $(pwd -P)" "cwd"
contains "$out" "Wrote hello-from-sentry.txt and read back 2 lines:" "file written and read back"
contains "$out" "  hello-from-sentry.txt" "the new file in the listing"
contains "$out" "  hello.py" "the script in the listing"
contains "$out" "No network: connecting to 127.0.0.1:9 failed with " "network attempt fails"
eq "$(head -1 hello-from-sentry.txt)" "Written inside the sandbox." "hello-from-sentry.txt"

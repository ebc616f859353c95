# ps, pgrep, free and nproc read /proc: every process shows the program it
# runs, by name (comm, stat, status) and by command line; memory and CPUs
# are the machine's as sysinfo(2) and sched_getaffinity(2) tell them.
set -euo pipefail
. ./assert.sh

eq "$(cat /proc/self/comm)" "cat" "/proc/self/comm of cat"
eq "$(cut -d' ' -f2 /proc/self/stat)" "(cut)" "/proc/self/stat name of cut"
eq "$(grep '^Name:' /proc/self/status | cut -f2)" "grep" "/proc/self/status Name of grep"

sleep 30 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
# the shell forked; wait until the child has become sleep
for _ in $(seq 100); do
	[ "$(cat /proc/$pid/comm 2>/dev/null)" = sleep ] && break
	sleep 0.05
done
eq "$(ps -o comm= -p $pid)" "sleep" "ps -o comm"
eq "$(ps -o args= -p $pid)" "sleep 30" "ps -o args"
contains " $(pgrep -x sleep | tr '\n' ' ') " " $pid " "pgrep -x sleep"
contains " $(pgrep -f 'sleep 30' | tr '\n' ' ') " " $pid " "pgrep -f 'sleep 30'"
aux=$(ps aux)
contains "$aux" "sleep 30" "ps aux"
kill $pid
wait $pid 2>/dev/null || true
trap - EXIT

# free and /proc/meminfo: the machine's memory, as sysinfo(2) gives it
total_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
free_total=$(free -k | awk '/^Mem:/ {print $2}')
eq "$free_total" "$total_kb" "free's total is MemTotal"
python3 -c 'import os; print(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 1024)' >phys.txt
eq "$(cat phys.txt)" "$total_kb" "MemTotal is the physical memory sysconf gives"
# one cpuN line of /proc/stat per CPU the process may run on
eq "$(grep -c '^cpu[0-9]' /proc/stat)" "$(nproc --all)" "/proc/stat CPUs"
echo "procps: ok"

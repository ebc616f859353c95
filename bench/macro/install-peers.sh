#!/bin/bash
# Installs the peers the macro benchmarks compare sentry with, and the
# tools the bench itself uses. Idempotent: installs only what is missing.
# Run as root on Debian 12.
set -eu
pkgs=(
	proot        # ptrace-based path translation
	bubblewrap   # namespaces, no syscall interposition
	runsc        # gVisor
	strace       # naive ptrace baseline (strace -f)
	gnuplot-nox  # plots
	gcc libc6-dev # the cc workload and the small C workloads
	python3      # /usr/bin/python3: the interpreter the workloads run
	coreutils
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-peers: all present"
	exit 0
fi
echo "install-peers: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"

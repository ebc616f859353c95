#!/bin/bash
# name: fork+exec x200
# what: bash forks and execs the dynamic /bin/true 200 times (~11 000 syscalls)
# quick: yes
# run: /bin/bash forkexec.sh
for i in $(seq 200); do /bin/true; done

#!/bin/sh
# usage: fsview.sh DIR MQTOOL PREFIX
# What the mqueue file system at DIR shows of queues named PREFIX-*, made
# and changed through MQTOOL and the files. Run on the host's mqueue file
# system and inside the sentry at /dev/mqueue: the outputs must match.
DIR=$1 TOOL=$2 P=$3
umask 022
"$TOOL" create "/$P-a" "/$P-b"
ls "$DIR" | grep "^$P-" | sed "s/^$P-/queue-/"
stat -c '%s %a %U %G %F' "$DIR/$P-a"
cat "$DIR/$P-a"
"$TOOL" send "/$P-a" "/$P-a"
cat "$DIR/$P-a"
chmod 640 "$DIR/$P-b" && stat -c '%a' "$DIR/$P-b"
rm "$DIR/$P-a"; echo "rm: $?"
"$TOOL" open "/$P-a" "/$P-b" | sed "s|/$P-|/queue-|"
ls "$DIR" | grep "^$P-" | sed "s/^$P-/queue-/"
"$TOOL" unlink "/$P-b" | sed "s|/$P-|/queue-|"
ls "$DIR" | grep -c "^$P-"

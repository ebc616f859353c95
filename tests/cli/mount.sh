#!/bin/bash
# usage: mount.sh SENTRY
# --mount HOST:GUEST shows the host folder at GUEST, copy-on-write: the
# workload may change it, the host folder stays byte-for-byte as it was; a
# HOST that is no folder is refused with one line and 125.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

mkdir -p "$T/ws" "$T/host"
fixture "$T/host"
listing "$T/host" >"$T/before"

run "$T/ws" --mount "$T/host:/data" -- sh -c 'cat /data/keep.txt; cat /data/sub/x; readlink /data/link'
expect "--mount: exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "--mount: the host folder's files at GUEST" [ "$(cat "$T/out")" = "$(printf 'keep\nx\nkeep.txt')" ]

run "$T/ws" --mount "$T/host:/data" -- sh -c '
	echo new >/data/change.txt && rm /data/gone.txt && rm -r /data/sub &&
	echo added >/data/added.txt && mkdir /data/d && chmod 700 /data/keep.txt &&
	cat /data/change.txt /data/added.txt && ls /data'
expect "--mount: writes at GUEST succeed inside (was $RC)" [ "$RC" -eq 0 ]
expect "--mount: the workload sees its writes" grep -qx added "$T/out"
expect "--mount: removed files are gone inside" [ "$(grep -c gone.txt "$T/out")" -eq 0 ]
listing "$T/host" >"$T/after"
expect "--mount: the host folder is byte-for-byte unchanged" cmp -s "$T/before" "$T/after"
expect "--mount: no summary of the workspace's changes" [ -z "$(summary)" ]

# A mount may shadow a path of the image, and GUEST is made with mkdir -p.
run "$T/ws" --mount "$T/host:/usr/local/share/sentry-test/deep" -- cat /usr/local/share/sentry-test/deep/keep.txt
expect "--mount: GUEST made inside the image (was $RC)" [ "$RC" -eq 0 ]
expect "--mount: the folder shown there" [ "$(cat "$T/out")" = keep ]
run "$T/ws" --mount "$T/host:/etc" -- cat /etc/keep.txt
expect "--mount: shadows an image folder (was $RC)" [ "$RC" -eq 0 ]
expect "--mount: the host folder shown over it" [ "$(cat "$T/out")" = keep ]

run "$T/ws" --mount "$T/missing:/data" -- true
expect "--mount of a missing HOST: exit 125 (was $RC)" [ "$RC" -eq 125 ]
expect "--mount of a missing HOST: one line on stderr" [ "$(stderr_lines)" -eq 1 ]
expect "--mount of a missing HOST: names it" grep -q "$T/missing" "$T/err"
run "$T/ws" --mount "$T/host/keep.txt:/data" -- true
expect "--mount of a file: exit 125 (was $RC)" [ "$RC" -eq 125 ]
expect "--mount of a file: one line" [ "$(stderr_lines)" -eq 1 ]
run "$T/ws" --mount "$T/host:data" -- true
expect "--mount with a relative GUEST: exit 125 (was $RC)" [ "$RC" -eq 125 ]
expect "--mount with a relative GUEST: one line" [ "$(stderr_lines)" -eq 1 ]

listing "$T/host" >"$T/after"
expect "the host folder is still unchanged" cmp -s "$T/before" "$T/after"
finish

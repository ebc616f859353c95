#!/bin/sh
# name: python3 -c pass
# what: interpreter start-up and exit (dynamic loader, site; ~380 syscalls: 33 opens, 106 stats)
# quick: yes
# run: /usr/bin/python3 -c pass
exec /usr/bin/python3 -c pass

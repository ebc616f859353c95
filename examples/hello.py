"""A first program to run inside the sandbox:

    sentry -- python3 examples/hello.py

It greets you, writes a file in the current folder and reads it back, lists
the folder, and tries to reach the network. Inside sentry the file lives in
memory only: after the run, `ls` on the host does not show it. The network
is off unless you allow a destination, so the connection attempt fails.
"""

import os
import platform
import socket
import sys

NOTE = "hello-from-sentry.txt"


def main():
    print(f"Hello from Python {platform.python_version()} (pid {os.getpid()})!")
    cwd = os.getcwd()
    print(f"Working in {cwd}")

    # Write a file in the current folder, then read it back.
    with open(NOTE, "w") as f:
        f.write("Written inside the sandbox.\n")
        f.write(f"Python ran as {sys.executable}\n")
    with open(NOTE) as f:
        lines = f.read().splitlines()
    print(f"Wrote {NOTE} and read back {len(lines)} lines:")
    for line in lines:
        print(f"  {line}")

    # List the folder; the new file is there, next to what was already here.
    names = sorted(os.listdir("."))
    shown = names[:20]
    print(f"{cwd} holds {len(names)} entries:")
    for name in shown:
        kind = "/" if os.path.isdir(name) else ""
        print(f"  {name}{kind}")
    if len(names) > len(shown):
        print(f"  ... and {len(names) - len(shown)} more")

    # Try the network: port 9 (discard) on this machine.
    try:
        with socket.create_connection(("127.0.0.1", 9), timeout=3):
            print("Connected to 127.0.0.1:9: the network is reachable from here.")
    except OSError as e:
        name = type(e).__name__
        print(f"No network: connecting to 127.0.0.1:9 failed with {name}: {e}")

    print(f"Done. Run inside sentry, {NOTE} stays in the sandbox: "
          f"`ls {NOTE}` on the host finds nothing.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

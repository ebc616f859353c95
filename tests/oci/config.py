#!/usr/bin/env python3
"""Writes BUNDLE/config.json as `runc spec` would, changed by the options:
config.py BUNDLE [--terminal] [--readonly] [--cwd DIR] [--user UID:GID[:G,G]] [--env K=V]...
[--hostname NAME] [--hook KIND:PATH:ARG]... [--mount TYPE:SRC:DEST[:ro]]...
[--rlimit TYPE:SOFT:HARD] [--netns PATH] [--cgroups-path PATH] [--pids N] [--annotation K=V] -- ARGS..."""
import json
import sys

bundle, rest = sys.argv[1], sys.argv[2:]
split = rest.index("--")
opts, args = rest[:split], rest[split + 1:]
config = {
    "ociVersion": "1.0.2",
    "process": {
        "terminal": False,
        "user": {"uid": 0, "gid": 0},
        "args": args,
        "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
        "cwd": "/",
        "capabilities": {k: ["CAP_CHOWN", "CAP_KILL", "CAP_SETUID", "CAP_SETGID"]
                         for k in ("bounding", "effective", "permitted")},
        "rlimits": [],
        "noNewPrivileges": True,
    },
    "root": {"path": "rootfs", "readonly": False},
    "hostname": "runc",
    "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {"destination": "/dev/pts", "type": "devpts", "source": "devpts"},
        {"destination": "/dev/shm", "type": "tmpfs", "source": "shm"},
        {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue"},
        {"destination": "/sys", "type": "sysfs", "source": "sysfs"},
    ],
    "hooks": {},
    "annotations": {},
    "linux": {"namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")]},
}
p = config["process"]
i = 0
while i < len(opts):
    o, v = opts[i], opts[i + 1] if i + 1 < len(opts) else None
    i += 2
    if o == "--terminal":
        p["terminal"] = True
        p["consoleSize"] = {"height": 30, "width": 100}
        i -= 1
    elif o == "--readonly":
        config["root"]["readonly"] = True
        i -= 1
    elif o == "--cwd":
        p["cwd"] = v
    elif o == "--user":
        parts = v.split(":")
        p["user"] = {"uid": int(parts[0]), "gid": int(parts[1])}
        if len(parts) > 2:
            p["user"]["additionalGids"] = [int(g) for g in parts[2].split(",")]
    elif o == "--env":
        p["env"].append(v)
    elif o == "--hostname":
        config["hostname"] = v
    elif o == "--hook":
        kind, path, arg = v.split(":", 2)
        config["hooks"].setdefault(kind, []).append({"path": path, "args": [path, arg]})
    elif o == "--mount":
        parts = v.split(":")
        m = {"type": parts[0], "source": parts[1], "destination": parts[2], "options": []}
        if parts[0] == "bind":
            m["options"] = ["rbind"] + (["ro"] if parts[3:] == ["ro"] else ["rw"])
        elif parts[3:]:
            m["options"] = parts[3].split(",")
        config["mounts"].append(m)
    elif o == "--rlimit":
        t, soft, hard = v.split(":")
        p["rlimits"].append({"type": t, "soft": int(soft), "hard": int(hard)})
    elif o == "--netns":
        config["linux"]["namespaces"] = [n for n in config["linux"]["namespaces"] if n["type"] != "network"]
        config["linux"]["namespaces"].append({"type": "network", "path": v})
    elif o == "--cgroups-path":
        config["linux"]["cgroupsPath"] = v
    elif o == "--pids":
        config["linux"].setdefault("resources", {})["pids"] = {"limit": int(v)}
    elif o == "--sysctl":
        k, val = v.split("=", 1)
        config["linux"].setdefault("sysctl", {})[k] = val
    elif o == "--annotation":
        k, val = v.split("=", 1)
        config["annotations"][k] = val
    else:
        sys.exit("config.py: unknown option " + o)
with open(bundle + "/config.json", "w") as f:
    json.dump(config, f, indent=1)

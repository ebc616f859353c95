# python3 with the standard library modules real programs lean on: json,
# sqlite3 (a database in the cwd), ssl, hashlib, subprocess, tempfile and
# multiprocessing.
set -euo pipefail
. ./assert.sh

cat >stdlib.py <<'PY'
import sys

def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")

def test_json():
    import json
    doc = {"name": "sentry", "tags": ["a", "b"], "n": 3, "pi": 3.5, "none": None}
    with open("doc.json", "w") as f:
        json.dump(doc, f, sort_keys=True)
    with open("doc.json") as f:
        back = json.load(f)
    check(back == doc, f"json round trip gave {back!r}")
    text = json.dumps(doc, sort_keys=True)
    check(text == '{"n": 3, "name": "sentry", "none": null, "pi": 3.5, "tags": ["a", "b"]}',
          f"json.dumps gave {text}")
    print("json: round trip through doc.json")

def test_sqlite3():
    import sqlite3
    db = sqlite3.connect("app.db")
    db.execute("create table t (id integer primary key, name text, n integer)")
    db.executemany("insert into t (name, n) values (?, ?)",
                   [("one", 1), ("two", 2), ("three", 3)])
    db.commit()
    db.close()
    db = sqlite3.connect("app.db")
    rows = db.execute("select name, n from t where n >= 2 order by n").fetchall()
    check(rows == [("two", 2), ("three", 3)], f"query gave {rows!r}")
    total = db.execute("select sum(n) from t").fetchone()[0]
    check(total == 6, f"sum gave {total}")
    db.close()
    print("sqlite3: 3 rows in app.db, sum 6")

def test_ssl():
    import ssl
    check(ssl.OPENSSL_VERSION.startswith("OpenSSL "), f"OPENSSL_VERSION {ssl.OPENSSL_VERSION!r}")
    ctx = ssl.create_default_context()
    check(ctx.verify_mode == ssl.CERT_REQUIRED, "default context verifies certificates")
    check(ctx.check_hostname, "default context checks host names")
    ctx2 = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    check(ctx2.protocol == ssl.PROTOCOL_TLS_CLIENT, f"protocol {ctx2.protocol!r}")
    ctx2.set_ciphers("ECDHE+AESGCM")
    check(len(ctx2.get_ciphers()) > 0, "no ciphers after set_ciphers")
    print("ssl: default context and SSLContext")

def test_hashlib():
    import hashlib
    h = hashlib.sha256(b"abc").hexdigest()
    check(h == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
          f"sha256(abc) = {h}")
    h = hashlib.md5(b"").hexdigest()
    check(h == "d41d8cd98f00b204e9800998ecf8427e", f"md5() = {h}")
    with open("doc.json", "rb") as f:
        check(hashlib.file_digest(f, "sha256").hexdigest() ==
              hashlib.sha256(open("doc.json", "rb").read()).hexdigest(), "file_digest")
    print("hashlib: sha256 and md5 of known bytes")

def test_subprocess():
    import subprocess
    out = subprocess.run(["echo", "hi"], capture_output=True, text=True, check=True).stdout
    check(out == "hi\n", f"echo hi gave {out!r}")
    out = subprocess.run([sys.executable, "-c", "import sys; print(sum(range(10)), sys.argv[1:])", "x"],
                         capture_output=True, text=True, check=True).stdout
    check(out == "45 ['x']\n", f"python3 -c gave {out!r}")
    out = subprocess.check_output("echo a b | tr ' ' '\\n' | wc -l", shell=True, text=True)
    check(out.strip() == "2", f"shell pipeline gave {out!r}")
    p = subprocess.run(["sh", "-c", "echo err >&2; exit 7"], capture_output=True, text=True)
    check(p.returncode == 7 and p.stderr == "err\n", f"exit status {p.returncode}, stderr {p.stderr!r}")
    p = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    out, _ = p.communicate(b"through a pipe")
    check(out == b"through a pipe" and p.returncode == 0, f"cat gave {out!r}")
    print("subprocess: echo, python3 -c, a shell pipeline, exit status, stdin")

def test_tempfile():
    import os, tempfile
    with tempfile.NamedTemporaryFile("w+", suffix=".txt") as f:
        f.write("temporary")
        f.flush()
        check(os.path.exists(f.name), f"{f.name} does not exist")
        with open(f.name) as g:
            check(g.read() == "temporary", "NamedTemporaryFile read back by name")
        name = f.name
    check(not os.path.exists(name), f"{name} left behind")
    with tempfile.TemporaryDirectory() as d:
        for i in range(3):
            with open(os.path.join(d, f"f{i}"), "w") as g:
                g.write(str(i))
        check(sorted(os.listdir(d)) == ["f0", "f1", "f2"], f"listdir {d}")
        kept = d
    check(not os.path.exists(kept), f"{kept} left behind")
    with tempfile.TemporaryDirectory(dir=".") as d:
        check(os.path.dirname(os.path.abspath(d)) == os.getcwd(), "TemporaryDirectory in the cwd")
    print("tempfile: NamedTemporaryFile and TemporaryDirectory")

def square(x):
    return x * x

def test_multiprocessing():
    import multiprocessing, os
    with multiprocessing.Pool(2) as pool:
        got = pool.map(square, range(10))
        pids = set(pool.map(_pid, range(8)))
    check(got == [x * x for x in range(10)], f"Pool.map gave {got!r}")
    check(os.getpid() not in pids, "Pool workers are other processes")
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=_put, args=(q, "from a child"))
    p.start()
    msg = q.get(timeout=30)
    p.join(30)
    check(msg == "from a child" and p.exitcode == 0, f"Process gave {msg!r}, exit {p.exitcode}")
    print("multiprocessing: Pool(2).map, Process and Queue")

def _pid(_):
    import os
    return os.getpid()

def _put(q, msg):
    q.put(msg)

if __name__ == "__main__":
    test_json()
    test_sqlite3()
    test_ssl()
    test_hashlib()
    test_subprocess()
    test_tempfile()
    test_multiprocessing()
PY

python3 stdlib.py

# The database outlives the process that wrote it.
rows=$(python3 -c 'import sqlite3; print(sqlite3.connect("app.db").execute("select count(*) from t").fetchone()[0])')
eq "$rows" 3 "rows in app.db, read by a second python3"
eq "$(python3 -c 'import json; print(json.load(open("doc.json"))["name"])')" sentry "name in doc.json"
echo "checked from bash"

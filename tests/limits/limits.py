#!/usr/bin/env python3
"""usage: limits.py SENTRY PLATFORM VFORKS

Each resource limit of the sandbox against a workload that tries to pass
it, and the --report JSON of each run. The oracle for --pids-limit and
--max-open-files is Linux: the same program run natively in a pids cgroup
with pids.max, or with RLIMIT_NOFILE, must print the same. Every run (the
native ones too) happens inside a pids cgroup of this test's, capped, so a
fork loop cannot fill the machine even if a limit failed. Runs as root;
the rlimit fallbacks are tried as uid 65534, which may make no cgroup."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from verdict import check, finish

SENTRY, PLATFORM, VFORKS = sys.argv[1], sys.argv[2], sys.argv[3]
PY = '/usr/bin/python3'
NOBODY = 65534


# --- cgroups as the test sees them -----------------------------------------

def hierarchies():
    """{controller: mount} of v1, or {'v2': mount}."""
    if os.path.exists('/sys/fs/cgroup/cgroup.controllers'):
        return {'v2': '/sys/fs/cgroup'}
    found = {}
    for line in open('/proc/mounts'):
        dev, mnt, fstype, opts = line.split()[:4]
        if fstype == 'cgroup':
            for c in opts.split(','):
                if c in ('memory', 'cpu', 'cpuacct', 'pids'):
                    found[c] = mnt
    return found


H = hierarchies()
V2 = 'v2' in H


def mount_of(ctrl):
    return H.get('v2') or H.get(ctrl)


def cg_dir(ctrl, path):
    m = mount_of(ctrl)
    return m + path if m else None


def cgroup_of(pid, ctrl):
    """pid's cgroup path for ctrl, relative to the controller's mount."""
    for line in open(f'/proc/{pid}/cgroup'):
        n, ctrls, path = line.rstrip('\n').split(':', 2)
        if (V2 and ctrls == '') or (not V2 and ctrl in ctrls.split(',')):
            return path.rstrip('/')
    return ''


def all_dirs(path):
    return sorted({cg_dir(c, path) for c in ('memory', 'cpu', 'cpuacct', 'pids') if mount_of(c)})


def write(path, text):
    with open(path, 'w') as f:
        f.write(text)


def cgroup_usable():
    probe = cg_dir('memory', f'/sentry-limits-probe-{os.getpid()}')
    try:
        os.mkdir(probe)
        os.rmdir(probe)
        return True
    except OSError:
        return False


CGROUPS = bool(H) and cgroup_usable()
HOW = 'cgroup-v2' if V2 else 'cgroup-v1'

# The cap: this process and every child (sentry runs, native runs) inside.
CAP = None
CAP_FROM = None


def make_cap():
    global CAP, CAP_FROM
    pids = mount_of('pids')
    if not pids:
        print('note: no pids cgroup to cap the runs')
        return
    cap = tempfile.mkdtemp(prefix='sentry-limits.', dir=pids)
    if not os.path.exists(cap + '/pids.max'):
        os.rmdir(cap)
        print('note: no pids controller to cap the runs')
        return
    write(cap + '/pids.max', '400')
    CAP_FROM = pids + cgroup_of(os.getpid(), 'pids')
    write(cap + '/cgroup.procs', str(os.getpid()))
    CAP = cap


def release_cap():
    if not CAP:
        return
    write(CAP_FROM + '/cgroup.procs', str(os.getpid()))
    for _ in range(100):
        try:
            os.rmdir(CAP)
            return
        except OSError:
            time.sleep(0.05)
    print(f'note: {CAP} still busy')


def native_in_pids_max(argv, n):
    """The program natively, in a fresh pids cgroup (below the cap) with
    pids.max = n: Linux's own answer."""
    pids = mount_of('pids')
    base = CAP or pids
    if not base or V2 and CAP:
        return None  # v2: a folder holding this process cannot hand pids down
    d = tempfile.mkdtemp(prefix='native.', dir=base)
    write(d + '/pids.max', str(n))
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=T,
                              preexec_fn=lambda: write(d + '/cgroup.procs', '0')).stdout
    finally:
        for _ in range(100):
            try:
                os.rmdir(d)
                break
            except OSError:
                time.sleep(0.05)


# --- running sentry --------------------------------------------------------

T = tempfile.mkdtemp(prefix='sentry-limits.')
os.chmod(T, 0o755)
shutil.copy(SENTRY, T + '/sentry')  # reachable by uid 65534 too
os.chmod(T + '/sentry', 0o755)
shutil.copy(VFORKS, T + '/vforks')
OUT = T + '/out'
os.mkdir(OUT)
os.chmod(OUT, 0o777)

PROGRAMS = {
    'forks.py': '''
import errno, os, time
kids = []
try:
    for i in range(200):
        pid = os.fork()
        if pid == 0:
            time.sleep(3)
            os._exit(0)
        kids.append(pid)
except OSError as e:
    print("fork", len(kids), errno.errorcode[e.errno])
for k in kids:
    os.kill(k, 9)
    os.waitpid(k, 0)
''',
    'rawfork.py': '''
import ctypes, errno, os, time
libc = ctypes.CDLL(None, use_errno=True)
kids = []
while len(kids) < 100:
    pid = libc.syscall(57)  # fork(2) itself, not glibc's clone
    if pid == 0:
        time.sleep(3)
        os._exit(0)
    if pid < 0:
        print("fork", len(kids), errno.errorcode[ctypes.get_errno()])
        break
    kids.append(pid)
for k in kids:
    os.kill(k, 9)
    os.waitpid(k, 0)
''',
    'threads.py': '''
import threading
ev = threading.Event()
ts = []
try:
    while len(ts) < 200:
        t = threading.Thread(target=ev.wait)
        t.start()
        ts.append(t)
except RuntimeError as e:
    print("threads", len(ts), e)
ev.set()
''',
    'bomb.py': '''
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
''',
    'hog.py': '''
import sys
chunks = []
try:
    for i in range(int(sys.argv[1])):
        chunks.append(bytearray(1 << 20))
        for j in range(0, 1 << 20, 4096):
            chunks[-1][j] = 1
    print("allocated", len(chunks), "MiB")
except MemoryError:
    print("MemoryError after", len(chunks), "MiB")
    sys.exit(3)
''',
    'spin.py': '''
import os, sys
for i in range(int(sys.argv[1]) - 1):
    if os.fork() == 0:
        break
while True:
    pass
''',
    'files.py': '''
import errno, os, resource
fds = []
try:
    while True:
        fds.append(os.open("/dev/null", os.O_RDONLY))
except OSError as e:
    print("opened", len(fds), errno.errorcode[e.errno], resource.getrlimit(resource.RLIMIT_NOFILE))
''',
}
for name, text in PROGRAMS.items():
    write(f'{T}/{name}', text)
    os.chmod(f'{T}/{name}', 0o644)


def sentry(opts, argv, timeout=60, user=None):
    cmd = [T + '/sentry', f'--platform={PLATFORM}'] + opts + ['--'] + argv
    pre = None
    if user is not None:
        def pre():
            os.setgroups([])
            os.setgid(user)
            os.setuid(user)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=T, preexec_fn=pre)


def report(name):
    try:
        with open(f'{OUT}/{name}') as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {'error': str(e)}


def has_fields(r):
    want = {'exit_code': int, 'status': str, 'wall_time_ms': int, 'cpu_time_ms': int,
            'memory_bytes': int, 'limits': dict}
    return all(isinstance(r.get(k), t) for k, t in want.items()) and 'signal' in r


# --- the checks ------------------------------------------------------------

def bad_values():
    for opt in ['--pids-limit=0', '--pids-limit=x', '--cpu-time=-1', '--cpu-time=inf', '--process-memory=12Q',
                '--process-memory=0', '--max-open-files=0', '--max-open-files=99999999', '--cpus=0',
                '--cpus=abc', '--cgroup=relative', '--cgroup=/a/../b', '--cgroup=/', '--report=']:
        p = sentry([opt], ['true'])
        lines = p.stderr.splitlines()
        check(p.returncode == 125 and len(lines) == 1 and lines[0].startswith('sentry: '),
              f'{opt} exits 125 with one line', f'{p.returncode} {p.stderr!r}')


def pids_limit():
    runs = [([PY, 'forks.py'], 10, 'fork 9 EAGAIN\n'), ([PY, 'threads.py'], 8, "threads 7 can't start new thread\n"),
            ([T + '/vforks'], 5, 'vfork 4 Resource temporarily unavailable\n')]
    if os.uname().machine == 'x86_64':
        runs.append(([PY, 'rawfork.py'], 6, 'fork 5 EAGAIN\n'))
    for argv, n, want in runs:
        prog = os.path.basename(argv[-1])
        native = native_in_pids_max(argv, n)
        if native is None:
            native = want
        p = sentry([f'--pids-limit={n}', f'--report={OUT}/pids.json'], argv)
        if want:
            check(native == want, f'{prog} natively under pids.max={n}: {want.strip()}', repr(native))
        check(native is not None and p.stdout == native and p.returncode == 0,
              f'{prog} under --pids-limit={n} prints what Linux does ({native!r})', f'{p.stdout!r} {p.stderr!r}')
        check('--pids-limit=' in p.stderr, f'{prog}: a line says the limit was reached', p.stderr)
        r = report('pids.json')
        check(r.get('limits') == {'pids-limit': 'sentry'} and r.get('status') == 'exited' and has_fields(r),
              '--pids-limit report', str(r))


def fork_bomb():
    path = f'/sentry-limits-bomb-{os.getpid()}'
    opts = ['--pids-limit=64', '--timeout=5', '-q', f'--report={OUT}/bomb.json']
    if CGROUPS:
        # made here with a pids.max of its own: on v2 it is outside the cap
        for d in all_dirs(path):
            os.mkdir(d)
        write(cg_dir('pids', path) + '/pids.max', '200')
        opts.append(f'--cgroup={path}')
    peak = [0]
    done = threading.Event()

    def sample():
        f = cg_dir('pids', path) + '/pids.current'
        while not done.is_set():
            try:
                peak[0] = max(peak[0], int(open(f).read()))
            except (OSError, ValueError):
                pass
            time.sleep(0.02)
    watcher = threading.Thread(target=sample)
    if CGROUPS:
        watcher.start()
    start = time.monotonic()
    p = sentry(opts, [PY, 'bomb.py'], timeout=60)
    took = time.monotonic() - start
    done.set()
    if CGROUPS:
        watcher.join()
        check(0 < peak[0] <= 64, f'fork bomb: at most 64 tasks in its cgroup (saw {peak[0]})')
        left = open(cg_dir('pids', path) + '/cgroup.procs').read().split()
        check(not left, 'fork bomb: nothing is left in its cgroup', str(left))
        for d in all_dirs(path):
            os.rmdir(d)
    check(p.returncode == 124 and took < 20, f'fork bomb under --pids-limit=64 --timeout=5 ends by the timeout ({took:.1f} s)',
          f'{p.returncode} {p.stderr[-500:]!r}')
    r = report('bomb.json')
    check(r.get('status') == 'timeout' and r.get('exit_code') == 124, 'fork bomb report: timeout', str(r))
    ok = subprocess.run(['sh', '-c', 'echo fine'], capture_output=True, text=True, timeout=10).stdout
    check(ok == 'fine\n', 'the machine forks fine afterwards')
    if CAP:
        time.sleep(0.2)
        left = open(CAP + '/cgroup.procs').read().split()
        check(left == [str(os.getpid())], 'no process of the bomb is left', str(left))


def memory():
    if CGROUPS:
        p = sentry(['--process-memory=64M', f'--report={OUT}/mem.json'], [PY, 'hog.py', '300'])
        r = report('mem.json')
        check(p.returncode == 137 and 'memory limit' in p.stderr,
              'a memory hog under --process-memory=64M is killed and sentry says so', f'{p.returncode} {p.stderr!r}')
        check(r.get('status') == 'memory' and r.get('signal') == 'SIGKILL' and
              r.get('limits') == {'process-memory': HOW} and 0 < r.get('memory_bytes', 0) <= (64 << 20),
              'memory report: status memory, peak within the limit', str(r))
        p = sentry(['--process-memory=64M'], [PY, 'hog.py', '16'])
        check(p.stdout == 'allocated 16 MiB\n' and p.returncode == 0, 'a program within the memory limit runs',
              f'{p.stdout!r} {p.stderr!r}')
    else:
        print('note: no usable cgroup: the memory cgroup is not tried')
    # without a cgroup (uid 65534 may make none): RLIMIT_AS
    p = sentry(['-v', '--process-memory=200M', f'--report={OUT}/mem-rl.json'],
               [PY, 'hog.py', '400'], user=NOBODY)
    r = report('mem-rl.json')
    check(p.returncode == 3 and p.stdout.startswith('MemoryError') and 'RLIMIT_AS' in p.stderr,
          'without a cgroup a memory hog gets ENOMEM under RLIMIT_AS, and -v says so', f'{p.returncode} {p.stdout!r} {p.stderr!r}')
    check(r.get('limits') == {'process-memory': 'rlimit'} and r.get('exit_code') == 3, 'rlimit memory report', str(r))


def cpu_time():
    if CGROUPS:
        start = time.monotonic()
        p = sentry(['-v', '--cpu-time=1', f'--report={OUT}/cpu.json'], [PY, 'spin.py', '2'], timeout=60)
        took = time.monotonic() - start
        r = report('cpu.json')
        check(p.returncode == 124 and 'ran out of CPU time' in p.stderr and 'polled' in p.stderr,
              f'two spinning processes under --cpu-time=1 are killed together ({took:.1f} s)', f'{p.returncode} {p.stderr!r}')
        check(r.get('status') == 'cpu-time' and r.get('limits') == {'cpu-time': HOW} and
              1000 <= r.get('cpu_time_ms', 0) < 3000, 'cpu-time report: the CPU time of both', str(r))
    p = sentry(['-v', '--cpu-time=1', f'--report={OUT}/cpu-rl.json'], [PY, 'spin.py', '1'],
               user=NOBODY, timeout=60)
    r = report('cpu-rl.json')
    check(p.returncode == 124 and 'RLIMIT_CPU' in p.stderr and 'ran out of CPU time' in p.stderr,
          'without a cgroup RLIMIT_CPU kills a spinning process, and -v says so', f'{p.returncode} {p.stderr!r}')
    check(r.get('status') == 'cpu-time' and r.get('limits') == {'cpu-time': 'rlimit'}, 'rlimit cpu-time report', str(r))


def open_files():
    native = subprocess.run([PY, 'files.py'], capture_output=True, text=True, cwd=T,
                            preexec_fn=lambda: __import__('resource').setrlimit(7, (50, 50))).stdout
    p = sentry(['--max-open-files=50', f'--report={OUT}/files.json'], [PY, 'files.py'])
    check(native == 'opened 47 EMFILE (50, 50)\n' and p.stdout == native,
          f'--max-open-files=50 as RLIMIT_NOFILE natively ({native.strip()})', f'{p.stdout!r} {p.stderr!r}')
    check(report('files.json').get('limits') == {'max-open-files': 'rlimit'}, 'max-open-files report')


def cpus():
    if not CGROUPS:
        p = sentry(['--cpus=0.5'], ['true'])
        check(p.returncode == 125, '--cpus without a cgroup fails with 125')
        return
    path = f'/sentry-limits-cpus-{os.getpid()}'
    proc = subprocess.Popen([T + '/sentry', f'--platform={PLATFORM}', '--cpus=0.5', '--timeout=2', f'--cgroup={path}',
                             f'--report={OUT}/cpus.json', '--', PY, 'spin.py', '2'], cwd=T,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    d = cg_dir('cpu', path)
    quota = open(d + '/cpu.max').read().split() if V2 else [open(d + '/cpu.cfs_quota_us').read().strip()]
    proc.communicate(timeout=60)
    r = report('cpus.json')
    check(quota[0] == '50000', f'--cpus=0.5 sets a quota of 50000 us a period ({quota})')
    # two spinners for 2 s would take 4 s of CPU on two idle CPUs
    check(r.get('status') == 'timeout' and r.get('limits') == {'cpus': HOW} and r.get('cpu_time_ms', 1e9) <= 1500,
          'two spinners under --cpus=0.5 for 2 s get at most ~1 s of CPU', str(r))


def cgroups():
    if not CGROUPS:
        print('note: no usable cgroup: --cgroup is not tried')
        return
    # two at once: a cgroup each, the sentry outside, both gone afterwards
    procs = [subprocess.Popen([T + '/sentry', f'--platform={PLATFORM}', '--process-memory=256M', '-v',
                               f'--report={OUT}/two{i}.json', '--', 'sleep', '3'], cwd=T,
                              stdout=subprocess.DEVNULL, stderr=open(f'{OUT}/two{i}.err', 'w')) for i in range(2)]
    def stderr_of(p):
        i = procs.index(p)
        return f'[sentry {i}: ' + ' | '.join(open(f'{OUT}/two{i}.err').read().splitlines()[-6:]) + ']'
    time.sleep(1.5)
    members = []
    for p in procs:
        # beneath the sentry's own cgroup: elsewhere in the hierarchy another
        # pid namespace may have a sentry of the same pid
        found = [os.path.join(dp, d) for dp, ds, _ in os.walk(mount_of('memory') + cgroup_of(p.pid, 'memory'))
                 for d in ds if d == f'sentry-{p.pid}' or (dp.endswith('/sentry') and d == str(p.pid))]
        pids = open(found[0] + '/cgroup.procs').read().split() if found else []
        members.append(set(pids))
        check(len(found) == 1 and pids and str(p.pid) not in pids,
              'a sandbox with a memory limit runs in a cgroup of its own, without the sentry', f'{found} {pids}')
    check(not (members[0] & members[1]), 'two sandboxes share no cgroup')
    for p in procs:
        p.wait(timeout=30)
    paths = [report(f'two{i}.json').get('cgroup') for i in range(2)]
    check(paths[0] and paths[1] and paths[0] != paths[1], f'the reports name two cgroups {paths}')
    left = [d for p in paths if p for d in all_dirs(p) if os.path.exists(d)]
    check(not left, 'both cgroups are gone afterwards',
          ' '.join(f"{d} (procs: {open(d + '/cgroup.procs').read().split()})" for d in left if os.path.exists(d + '/cgroup.procs'))
          + ' ' + ' '.join(stderr_of(p) for p in procs))

    # the folder a killed sentry of the same pid left behind (empty) is
    # taken over and removed at exit, not kept as one that was there before
    # (-p: one such folder may be there already)
    own = mount_of('memory') + cgroup_of(os.getpid(), 'memory')
    p = subprocess.run(['sh', '-c', 'mkdir -p "$1/sentry-$$" && exec "$0" "$2" --process-memory=256M "$3" -- true',
                        T + '/sentry', own, f'--platform={PLATFORM}', f'--report={OUT}/stale.json'],
                       cwd=T, capture_output=True, text=True, timeout=60)
    stale = report('stale.json').get('cgroup') or ''
    check(p.returncode == 0 and stale.startswith('/') and not any(os.path.exists(d) for d in all_dirs(stale)),
          "a stale folder of the sentry's name is taken over and removed at exit", f'{p.stderr!r} {stale}')

    # --cgroup: made and removed; one that was there stays
    made = f'/sentry-limits-{os.getpid()}/ctr1'
    p = sentry([f'--cgroup={made}', f'--report={OUT}/made.json'], ['sleep', '0'])
    r = report('made.json')
    check(p.returncode == 0 and r.get('cgroup') == made and r.get('limits') == {},
          '--cgroup=PATH runs the workload there', f'{p.stderr!r} {r}')
    check(not any(os.path.exists(d) for d in all_dirs(f'/sentry-limits-{os.getpid()}')),
          'a --cgroup sentry made is removed at exit, with the folder above it')
    kept = f'/sentry-limits-keep-{os.getpid()}'
    for d in all_dirs(kept):
        os.mkdir(d)
    proc = subprocess.Popen([T + '/sentry', f'--platform={PLATFORM}', f'--cgroup={kept}', '--', 'sleep', '3'],
                            cwd=T, stderr=subprocess.PIPE)
    time.sleep(1.5)
    inside = open(cg_dir('memory', kept) + '/cgroup.procs').read().split()
    proc.wait(timeout=30)
    check(len(inside) == 1 and inside != [str(proc.pid)], f'the workload alone is in --cgroup ({inside}, sentry {proc.pid})')
    check(all(os.path.isdir(d) for d in all_dirs(kept)), 'a --cgroup that was there stays')
    for d in all_dirs(kept):
        os.rmdir(d)


def plain_reports():
    for argv, opts, want in [
        (['sh', '-c', 'exit 3'], [], {'exit_code': 3, 'signal': None, 'status': 'exited'}),
        (['sh', '-c', 'kill -9 $$'], [], {'exit_code': 137, 'signal': 'SIGKILL', 'status': 'signaled'}),
        (['sleep', '5'], ['--timeout=0.5'], {'exit_code': 124, 'signal': 'SIGKILL', 'status': 'timeout'}),
    ]:
        p = sentry(opts + [f'--report={OUT}/plain.json'], argv)
        r = report('plain.json')
        check(has_fields(r) and all(r.get(k) == v for k, v in want.items()) and r['exit_code'] == p.returncode,
              f'report of {argv}: {want}', str(r))
    # more open files than any sandbox holds: sentry fails before the start
    p = sentry(['--max-open-files=1000000', f'--report={OUT}/error.json'], ['true'])
    r = report('error.json')
    check(p.returncode == 125 and len(p.stderr.splitlines()) == 1 and r.get('status') == 'sentry-error' and
          r.get('exit_code') == 125, 'a failure of sentry itself is reported as sentry-error', f'{p.stderr!r} {r}')
    os.symlink(OUT + '/target.json', OUT + '/link.json')
    p = sentry([f'--report={OUT}/link.json'], ['true'])
    check(p.returncode == 125 and not os.path.exists(OUT + '/target.json'), '--report follows no symlink')


make_cap()
try:
    for part in (bad_values, pids_limit, fork_bomb, memory, cpu_time, open_files, cpus, cgroups, plain_reports):
        print(f'-- {part.__name__}')
        part()
finally:
    release_cap()
    shutil.rmtree(T, ignore_errors=True)
finish(f'limits on {PLATFORM}')

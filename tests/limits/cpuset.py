#!/usr/bin/env python3
"""usage: cpuset.py SENTRY PLATFORM

--cpuset-cpus seen from outside the sandbox: the workload's process may
run only on the CPUs asked for (/proc/PID/status, the kernel's own
answer), its cgroup's cpuset.cpus says so, the sentry is not in it, and
the folder is gone afterwards. A list the kernel refuses is exit 125 with
one line. --cgroup alone puts the workload in that cgroup's cpuset too
(where an OCI runtime's update writes). The workload's cgroup is looked
for only below this test's own: other sandboxes share the hierarchy."""
import json
import os
import subprocess
import sys
import tempfile
import time

from verdict import check, finish

SENTRY, PLATFORM = sys.argv[1], sys.argv[2]
V2 = os.path.exists('/sys/fs/cgroup/cgroup.controllers')


def cpuset_mount():
    if V2:
        return '/sys/fs/cgroup'
    for line in open('/proc/mounts'):
        dev, mnt, fstype, opts = line.split()[:4]
        if fstype == 'cgroup' and 'cpuset' in opts.split(','):
            return mnt
    return None


def cgroup_of(pid):
    """pid's cpuset cgroup, relative to the hierarchy's mount."""
    for line in open(f'/proc/{pid}/cgroup'):
        n, ctrls, path = line.rstrip('\n').split(':', 2)
        if (V2 and ctrls == '') or (not V2 and 'cpuset' in ctrls.split(',')):
            return path.rstrip('/')
    return ''


def status_field(pid, name):
    for line in open(f'/proc/{pid}/status'):
        if line.startswith(name + ':'):
            return line.split(':', 1)[1].strip()
    return None


def workload_of(sentry_pid):
    """The sentry's child (the workload's first process), once it runs its
    command (no longer the sentry's own executable)."""
    sentry_exe = os.readlink(f'/proc/{sentry_pid}/exe')
    for _ in range(100):
        try:
            kids = [int(k) for t in os.listdir(f'/proc/{sentry_pid}/task')
                    for k in open(f'/proc/{sentry_pid}/task/{t}/children').read().split()]
            kids = [k for k in kids if os.readlink(f'/proc/{k}/exe') != sentry_exe]
        except OSError:
            kids = []
        if kids:
            return kids[0]
        time.sleep(0.05)
    return None


MOUNT = cpuset_mount()
OWN = cgroup_of(os.getpid())
OUT = tempfile.mkdtemp(prefix='sentry-cpuset-')
usable = MOUNT and os.path.exists(f'{MOUNT}{OWN}/cpuset.cpus')
allowed = sorted(os.sched_getaffinity(0))


def run_seen(opts, name):
    """Runs `sleep 2` in the sandbox and looks at its first process from
    outside: (its Cpus_allowed_list, its cpuset cgroup, cpuset.cpus there,
    that cgroup's processes, the sentry's pid, exit code, stderr, report)."""
    proc = subprocess.Popen([SENTRY, f'--platform={PLATFORM}', f'--report={OUT}/{name}.json'] + opts +
                            ['--', 'sleep', '2'], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = {}
    pid = workload_of(proc.pid)
    if pid:
        seen['allowed'] = status_field(pid, 'Cpus_allowed_list')
        seen['cgroup'] = cgroup_of(pid)
        d = MOUNT + seen['cgroup']
        seen['cpus'] = open(d + '/cpuset.cpus').read().strip() if os.path.exists(d + '/cpuset.cpus') else None
        seen['procs'] = open(d + '/cgroup.procs').read().split()
    _, err = proc.communicate(timeout=30)
    try:
        report = json.load(open(f'{OUT}/{name}.json'))
    except (OSError, ValueError) as e:
        report = {'error': str(e)}
    return seen, proc.pid, proc.returncode, err, report


def cpuset_cpus():
    # the first and the last CPU this test may use: under ptrace the sandbox
    # is pinned to one CPU, which must be one of the cpuset's
    for cpu in sorted({allowed[0], allowed[-1]}):
        seen, sentry_pid, rc, err, report = run_seen([f'--cpuset-cpus={cpu}'], f'cpu{cpu}')
        what = f'--cpuset-cpus={cpu}'
        check(rc == 0, f'{what}: the workload runs', err)
        check(seen.get('allowed') == str(cpu), f'{what}: its process may run on CPU {cpu} only', str(seen))
        check(seen.get('cpus') == str(cpu), f"{what}: its cgroup's cpuset.cpus is {cpu}", str(seen))
        check(seen.get('cgroup', '').startswith(OWN + '/'), f"{what}: its cgroup is below this test's own ({OWN})",
              str(seen))
        check(seen.get('procs') and str(sentry_pid) not in seen['procs'], f'{what}: the sentry is not in it', str(seen))
        how = 'cgroup-v2' if V2 else 'cgroup-v1'
        check(report.get('limits', {}).get('cpuset-cpus') == how and report.get('cpuset', {}).get('cpus') == str(cpu),
              f'{what}: the report says how and what', str(report))
        check(seen.get('cgroup') and not os.path.exists(MOUNT + seen['cgroup']), f'{what}: its cgroup is gone afterwards')


def refused():
    for value, why in (('99', 'a CPU this machine lacks'), ('0-1-2', 'not a list')):
        p = subprocess.run([SENTRY, f'--platform={PLATFORM}', f'--cpuset-cpus={value}', '--', 'echo', 'ran'],
                           capture_output=True, text=True, timeout=30)
        check(p.returncode == 125 and len(p.stderr.splitlines()) == 1 and 'ran' not in p.stdout,
              f'--cpuset-cpus={value} ({why}): exit 125 with one line, before the workload', f'{p.returncode} {p.stderr!r}')


def cgroup_alone():
    path = f'{OWN}/sentry-cpuset-{os.getpid()}'
    seen, sentry_pid, rc, err, report = run_seen([f'--cgroup={path}'], 'alone')
    check(rc == 0 and seen.get('cgroup') == path and str(sentry_pid) not in seen.get('procs', [str(sentry_pid)]),
          "--cgroup alone: the workload is in that cgroup's cpuset too", f'{err!r} {seen}')
    check(seen.get('allowed') and seen.get('cpus') and (PLATFORM == 'ptrace' or seen['allowed'] == seen['cpus']),
          '--cgroup alone: its CPUs are those of the cgroup (a v1 cpuset folder gets its parent\'s)', str(seen))
    check(not os.path.exists(MOUNT + path), '--cgroup alone: the folder sentry made is gone afterwards')


try:
    if not usable:
        # no cpuset here: asking for one fails loudly, nothing else does
        p = subprocess.run([SENTRY, f'--platform={PLATFORM}', '--cpuset-cpus=0', '--', 'true'],
                           capture_output=True, text=True, timeout=30)
        check(p.returncode == 125 and len(p.stderr.splitlines()) == 1,
              'no cpuset controller here: --cpuset-cpus is exit 125 with one line', p.stderr)
        print('note: no cpuset controller in this cgroup: only the refusal is tried')
    else:
        for part in (cpuset_cpus, refused, cgroup_alone):
            print(f'-- {part.__name__}')
            part()
finally:
    subprocess.run(['rm', '-rf', OUT])
finish(f'cpuset on {PLATFORM}')

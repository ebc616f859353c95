"""What each test in tests/limits says of its checks: "ok: WHAT" or
"FAIL: WHAT" per check, then a summary line and the exit status."""
import sys

failures = []


def check(cond, what, detail=''):
    if cond:
        print(f'ok: {what}')
    else:
        failures.append(what)
        print(f'FAIL: {what}' + (f'\n  {detail}' if detail else ''))


def finish(name):
    print(f'{len(failures)} failed' if failures else f'PASSED: {name}')
    sys.exit(1 if failures else 0)

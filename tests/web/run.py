#!/usr/bin/env python3
"""Black-box HTTP tests for vertrouwd.

    python3 tests/web/run.py --bin build/vertrouwd [--only SUBSTRING] [--keep]

Makes a demo data directory in a temporary directory, starts `vertrouwd serve`
on a free port, runs every test against it, stops the server with SIGTERM and
checks how it ended and what it logged. Prints `PASS: web/<name>` or
`FAIL: web/<name>: <reason>` per test and `N passed, M failed` at the end
(web_pg/ with VD_WEB_STORE=postgres: the same tests on a PostgreSQL store);
exits 0 only when nothing failed.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

from harness import TESTS, Env, Failure  # noqa: E402

# The test modules register their tests on import, in this order.
import test_public  # noqa: E402,F401
import test_errors  # noqa: E402,F401
import test_auth  # noqa: E402,F401
import test_admin  # noqa: E402,F401
import test_access  # noqa: E402,F401
import test_audit  # noqa: E402,F401
import test_counsellor_log  # noqa: E402,F401
import test_report  # noqa: E402,F401
import test_messages  # noqa: E402,F401
import test_files  # noqa: E402,F401
import test_two_servers  # noqa: E402,F401
import test_casework  # noqa: E402,F401
import test_complaints  # noqa: E402,F401
import test_complaint_parties  # noqa: E402,F401
import test_mailbox_consent  # noqa: E402,F401
import test_whistle  # noqa: E402,F401
import test_annual  # noqa: E402,F401
import test_twofactor  # noqa: E402,F401
import test_escrow  # noqa: E402,F401
import test_declarations  # noqa: E402,F401
import test_mail  # noqa: E402,F401
import test_logs  # noqa: E402,F401


def one_line(s, limit=400):
    s = " ".join(str(s).split())
    return s if len(s) <= limit else s[:limit - 3] + "..."


def run_test(name, fn, env, verbose):
    try:
        fn(env)
    except Failure as e:
        return one_line(e)
    except Exception as e:  # a crash of the test or of the server under it
        if verbose:
            traceback.print_exc()
        return one_line("%s: %s" % (type(e).__name__, e))
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="path to the vertrouwd binary")
    ap.add_argument("--only", help="run only tests whose name contains this")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--verbose", action="store_true", help="print tracebacks of crashed tests")
    args = ap.parse_args()

    # the same tests on PostgreSQL are told apart in the results
    suite = "web_pg" if os.environ.get("VD_WEB_STORE") == "postgres" else "web"
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        print("FAIL: %s/setup: %s is not an executable" % (suite, binary))
        print("0 passed, 1 failed")
        return 1

    tmp = tempfile.mkdtemp(prefix="vd-web-")
    passed = failed = 0
    env = None
    started = time.monotonic()
    try:
        try:
            env = Env(binary, tmp)
        except Exception as e:
            print("FAIL: %s/setup: %s" % (suite, one_line(e)))
            print("0 passed, 1 failed")
            return 1
        selected = [t for t in TESTS if not args.only or args.only in t[0]]
        for phase in ("run", "after_stop"):
            if phase == "after_stop":
                env.stop()
            for name, fn, ph in selected:
                if ph != phase:
                    continue
                reason = run_test(name, fn, env, args.verbose)
                if reason is None:
                    passed += 1
                    print("PASS: %s/%s" % (suite, name), flush=True)
                else:
                    failed += 1
                    print("FAIL: %s/%s: %s" % (suite, name, reason), flush=True)
    finally:
        if env is not None:
            env.stop()
        if args.keep:
            print("# kept %s" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    if args.verbose:
        print("# %.1f s" % (time.monotonic() - started), file=sys.stderr)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

# SPDX-License-Identifier: Apache-2.0
"""A pytest plugin that prints TAP on standard output, one line per test,
so that meson (protocol: 'tap') and scripts/test.sh count every case.

Loaded with `-p veto_tap`.  It keeps the real standard output for the TAP
lines and sends everything else written there (pytest's own report, the
failures in full) to standard error, which meson keeps in its log.
"""
import os
import sys


class _Tap:
    def __init__(self, out):
        self.out = out
        self.n = 0
        self.failed = set()
        self.skipped = set()

    def pytest_collection_finish(self, session):
        self.out.write("1..%d\n" % len(session.items))

    def pytest_collectreport(self, report):
        if report.failed:
            self.out.write("Bail out! cannot collect %s\n" % report.nodeid)

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.failed.add(report.nodeid)
        elif report.skipped:
            self.skipped.add(report.nodeid)
        if report.when != "teardown":
            return
        self.n += 1
        if report.nodeid in self.failed:
            self.out.write("not ok %d - %s\n" % (self.n, report.nodeid))
        elif report.nodeid in self.skipped:
            self.out.write("ok %d - %s # SKIP\n" % (self.n, report.nodeid))
        else:
            self.out.write("ok %d - %s\n" % (self.n, report.nodeid))


# At import (`-p` loads the plugin before pytest starts capturing output and
# before its terminal report exists): keep the real standard output for the
# TAP lines and make fd 1 standard error for everything else.
sys.stdout.flush()
_TAP_OUT = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)


def pytest_configure(config):
    config.pluginmanager.register(_Tap(_TAP_OUT), "veto-tap-writer")

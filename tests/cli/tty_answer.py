#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs a veto command on a pseudo-terminal, answering each prompt that
ends in ': ' with the next answer, for the terminal paths of keygen, sign
and key passphrase.  Prints what the terminal showed; exits with veto's
status.

    tty_answer.py 'answer1' 'answer2' -- veto ARGS..."""
import os
import pty
import sys


def main():
    sep = sys.argv.index("--")
    answers = [a.encode() + b"\n" for a in sys.argv[1:sep]]
    argv = sys.argv[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    seen = b""
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if seen.rstrip(b"\r\n").endswith(b": ") or seen.endswith(b": "):
            if answers:
                os.write(fd, answers.pop(0))
                seen += b"<answered>"
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(seen.decode(errors="replace"))
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()

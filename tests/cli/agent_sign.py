#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A small ssh-agent client for tests and docs/KEYS.md: asks the agent at
$SSH_AUTH_SOCK to sign FILE's bytes with the ssh-ed25519 key of KEY.pub and
writes the bare 64-byte Ed25519 signature to OUT, for `veto attach`.

    agent_sign.py KEY.pub FILE OUT

For an ssh-ed25519 key the agent signs the bytes it is sent with pure
Ed25519, so these are exactly the bytes `veto pae` wrote."""
import base64
import os
import socket
import struct
import sys

SIGN_REQUEST, SIGN_RESPONSE = 13, 14


def string(b):
    return struct.pack(">I", len(b)) + b


def read_string(buf, at):
    (n,) = struct.unpack_from(">I", buf, at)
    return buf[at + 4:at + 4 + n], at + 4 + n


def recv_exact(sock, n):
    out = b""
    while len(out) < n:
        part = sock.recv(n - len(out))
        if not part:
            raise SystemExit("agent_sign: the agent closed the connection")
        out += part
    return out


def main():
    if len(sys.argv) != 4:
        raise SystemExit("usage: agent_sign.py KEY.pub FILE OUT")
    fields = open(sys.argv[1], encoding="ascii").read().split()
    if len(fields) < 2 or fields[0] != "ssh-ed25519":
        raise SystemExit("agent_sign: KEY.pub is not an ssh-ed25519 public key")
    blob = base64.b64decode(fields[1])
    data = open(sys.argv[2], "rb").read()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(os.environ["SSH_AUTH_SOCK"])
    msg = bytes([SIGN_REQUEST]) + string(blob) + string(data) + struct.pack(">I", 0)
    sock.sendall(string(msg))
    (n,) = struct.unpack(">I", recv_exact(sock, 4))
    reply = recv_exact(sock, n)
    if reply[0] != SIGN_RESPONSE:
        raise SystemExit("agent_sign: the agent refused to sign (is the key added?)")
    sig, _ = read_string(reply, 1)
    kind, at = read_string(sig, 0)
    raw, _ = read_string(sig, at)
    if kind != b"ssh-ed25519" or len(raw) != 64:
        raise SystemExit("agent_sign: not an Ed25519 signature")
    with open(sys.argv[3], "wb") as out:
        out.write(raw)


if __name__ == "__main__":
    main()

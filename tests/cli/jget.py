#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""jget FILE PATH...: for each dotted PATH (members and list indexes, as in
"policy.serial" or "refusals.0.code"), prints on one line the JSON value at
that place in FILE ('-': standard input), written as json.dumps writes it
with ", " and ": " separators, or "<absent>".  A DSSE envelope (a receipt)
is looked into: the paths are those of its decoded payload.  The path "@keys"
prints the members of the top object, in order, separated by spaces."""
import base64
import json
import sys


def at(doc, path):
    v = doc
    for part in path.split(".") if path else []:
        if isinstance(v, list) and part.isdigit() and int(part) < len(v):
            v = v[int(part)]
        elif isinstance(v, dict) and part in v:
            v = v[part]
        else:
            return "<absent>"
    return json.dumps(v, separators=(", ", ": "), ensure_ascii=False)


def main():
    src = sys.stdin.read() if sys.argv[1] == "-" else open(sys.argv[1], encoding="utf-8").read()
    doc = json.loads(src)
    if isinstance(doc, dict) and "payloadType" in doc:
        doc = json.loads(base64.b64decode(doc["payload"]))
    for path in sys.argv[2:]:
        print(" ".join(doc) if path == "@keys" else at(doc, path))


if __name__ == "__main__":
    main()

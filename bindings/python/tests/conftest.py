# SPDX-License-Identifier: Apache-2.0
"""Shared by the binding's tests: the project's test vectors
(tests/vectors, described in tests/vectors/cases.txt) and the world they
assume."""
import pathlib

import pytest

import veto

VECTORS = pathlib.Path(__file__).resolve().parents[3] / "tests" / "vectors"
# The vectors' default time (tests/vectors/run.c).
NOW = "2026-06-01T00:00:00Z"


def vec(name):
    """The bytes of a vector file, e.g. vec("cases/update.json")."""
    return (VECTORS / name).read_bytes()


@pytest.fixture
def fresh():
    """The enrolment state of most check vectors: cases/anchor.json, counter
    0, no features."""
    with veto.State.from_anchor(vec("cases/anchor.json")) as s:
        yield s

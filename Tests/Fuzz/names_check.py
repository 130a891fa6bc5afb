"""Schemathesis hook: no name from the schedule in any response (every route the fuzzer can reach
without a session is public, or refuses), and no 11-digit number (the schedule's ids)."""
import os
import re

import schemathesis

NAMES = [n for n in os.environ.get("SAMTALE_FUZZ_NAMES", "").split("|") if n]
ELEVEN = re.compile(rb"(?<![0-9])[0-9]{11}(?![0-9])")


@schemathesis.check
def no_names_in_public_responses(ctx, response, case):
    body = response.content or b""
    headers = " ".join(f"{k}: {v}" for k, v in response.headers.items()).encode()
    for blob in (body, headers):
        for name in NAMES:
            if name.encode() in blob:
                raise AssertionError(f"the response shows the schedule's name {name!r}")
        m = ELEVEN.search(blob)
        if m:
            raise AssertionError(f"the response carries an 11-digit number {m.group().decode()}")

#!/usr/bin/env python3
"""Reference for bench/run-mail.sh: Python's email module parsing the same
corpus (message_from_bytes with the modern policy, then walking every part
and reading its content type, like mail_bench's GMime loop). Best of ROUNDS, in CPU seconds.
Usage: mail_python.py DIR [ROUNDS]
"""
import email
import email.policy
import os
import sys
import time


def main():
    d = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    msgs = []
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            msgs.append(f.read())
    total = sum(len(m) for m in msgs)
    best = None
    for _ in range(rounds):
        t0 = time.process_time()
        n = 0
        for data in msgs:
            m = email.message_from_bytes(data, policy=email.policy.default)
            for part in m.walk():
                n += len(part.get_content_type())
        t = time.process_time() - t0
        best = t if best is None or t < best else best
    print("python_email  %.3f s  %.0f msg/s  %.1f MB/s" % (best, len(msgs) / best, total / 1e6 / best))


if __name__ == "__main__":
    main()

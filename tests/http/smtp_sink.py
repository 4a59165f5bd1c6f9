"""A local SMTP sink for the notification tests: Debian's python3-aiosmtpd
(scripts/deps.sh test packages), run with the system's /usr/bin/python3.

Usage: smtp_sink.py PORT DIR. Writes each message it accepts to
DIR/NNNN.eml and its envelope (mail from, recipients) to DIR/NNNN.json,
prints "ready" once it listens, and runs until SIGTERM.
"""
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller

port, outdir = int(sys.argv[1]), sys.argv[2]
os.makedirs(outdir, exist_ok=True)
lock = threading.Lock()
count = [0]


class Sink:
    async def handle_DATA(self, server, session, envelope):
        with lock:
            count[0] += 1
            base = os.path.join(outdir, "%04d" % count[0])
        with open(base + ".json.tmp", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos}, f)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 OK"


controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
stop.wait()
controller.stop()

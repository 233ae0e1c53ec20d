#!/usr/bin/env python3
# webhook_receiver.py — a real HTTP receiver for the notification tests:
# listens on 127.0.0.1 port 0, writes its port to PORTFILE once bound,
# and appends one line per request to LOG: "<status> <body>".  The first
# FAIL requests are answered 500 (to exercise retries), the rest 200.
# usage: webhook_receiver.py PORTFILE LOG FAIL
import http.server
import os
import sys

portfile, log, fail = sys.argv[1], sys.argv[2], int(sys.argv[3])
seen = 0


class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode("utf-8", "replace")
        seen += 1
        status = 500 if seen <= fail else 200
        with open(log, "a", encoding="utf-8") as f:
            f.write("%d %s %s\n" % (status, self.path,
                                    body.replace("\n", " ")))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


srv = http.server.HTTPServer(("127.0.0.1", 0), H)
tmp = portfile + ".tmp"
with open(tmp, "w") as f:
    f.write("%d\n" % srv.server_address[1])
os.rename(tmp, portfile)
srv.serve_forever()

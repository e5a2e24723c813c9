"""E-mail notifications against a real SMTP listener on loopback: a report
makes a mail to its counsellor that says only that there is news; a reply to a
named reporter makes one to their address; with the mail server down a
report is still accepted at once, the failure is logged without the address,
and the mail goes out when the server is back."""

import os
import re
import socket
import threading
import time

from client import Client
from harness import (Server, check, expect_redirect, expect_status, receipt_of, report_fields, run_demo,
                     submit_report, test)


class SmtpListener:
    """A minimal SMTP server on 127.0.0.1 that keeps what it receives."""

    def __init__(self, port=0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.mails = []  # (recipients, data)
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn):
        f = conn.makefile("rb")
        conn.sendall(b"220 test ESMTP\r\n")
        rcpts, data = [], None
        try:
            while True:
                line = f.readline()
                if not line:
                    return
                cmd = line.decode("latin-1").strip()
                up = cmd.upper()
                if up.startswith("EHLO") or up.startswith("HELO"):
                    conn.sendall(b"250-test\r\n250 8BITMIME\r\n")
                elif up.startswith("MAIL FROM"):
                    conn.sendall(b"250 OK\r\n")
                elif up.startswith("RCPT TO"):
                    rcpts.append(re.sub(r"^RCPT TO:\s*<?([^>]*)>?.*$", r"\1", cmd, flags=re.I))
                    conn.sendall(b"250 OK\r\n")
                elif up == "DATA":
                    conn.sendall(b"354 go\r\n")
                    chunks = []
                    while True:
                        l2 = f.readline()
                        if not l2 or l2 == b".\r\n":
                            break
                        chunks.append(l2)
                    data = b"".join(chunks).decode("utf-8", "replace")
                    self.mails.append((list(rcpts), data))
                    rcpts = []
                    conn.sendall(b"250 queued\r\n")
                elif up == "QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 OK\r\n")
        except OSError:
            return
        finally:
            conn.close()

    def stop(self):
        """Stops listening for real: shutdown wakes the thread blocked in
        accept(), so the kernel refuses new connections at once."""
        self.running = False
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.thread.join(2)


def wait_for(pred, seconds=8.0):
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.1)
    return pred()


@test("mail_notifications")
def _(env):
    smtp = SmtpListener()
    data = os.path.join(env.tmp, "data-mail")
    password, accounts = run_demo(env.binary, data)
    with open(os.path.join(data, "vertrouwd.conf"), "a") as f:
        f.write("\nsmtp_url = smtp://127.0.0.1:%d\nsmtp_from = vertrouwd@example.org\n"
                "base_url = https://vertrouwd.example.org\nmail_retry_seconds = 1\n" % smtp.port)
    srv = Server(env.binary, data, os.path.join(env.tmp, "mail.log"))
    try:
        c = Client(srv.port)
        page = c.get("/melden")
        unit = re.search(r'<option value="(\d+)">[^<]*Provincie Utrecht</option>', page.text).group(1)
        bram = [e for e, name in accounts["counsellor"] if name == "Bram Jansen"][0]
        bram_id = re.search(r'<option value="(\d+)"[^>]*>Bram Jansen', page.text).group(1)
        mark = "zzmail" + os.urandom(4).hex()
        fields = report_fields(unit, bram_id, named="yes", name="Noor " + mark, email="noor.%s@example.org" % mark,
                               account="Vertrouwelijk " + mark)
        _, r = submit_report(env, fields, client=c)
        code = receipt_of(r, "a report with mail on")
        check(wait_for(lambda: any(bram in rc for rc, _ in smtp.mails)), "no mail reached the counsellor: %r" % smtp.mails)
        rc, body = [m for m in smtp.mails if bram in m[0]][0]
        check(rc == [bram], "the mail went to %r" % rc)
        check(mark not in body and code not in body and "Noor" not in body, "the mail carries content: %r" % body[:400])
        check("https://vertrouwd.example.org/dossiers" in body, "the mail has no link to the case list")
        # The counsellor writes: the named reporter hears that there is news.
        b = Client(srv.port)
        expect_redirect(b.login(bram, password), "/start", "Bram logging in")
        lst = b.get("/dossiers").text
        cid = re.search(r'href="/dossiers/(\d+)"', lst).group(1)
        path = "/dossiers/%s" % cid
        expect_redirect(b.submit(path, path + "/bericht", {"text": "Antwoord " + mark}), path, "Bram's message")
        reporter = "noor.%s@example.org" % mark
        check(wait_for(lambda: any(reporter in rc for rc, _ in smtp.mails)), "no mail reached the named reporter")
        body = [m for m in smtp.mails if reporter in m[0]][0][1]
        check(mark.split("zzmail")[1] not in body.replace(reporter, "") and "Antwoord" not in body,
              "the reporter's mail carries content")
        check("/mijn-melding" in body, "the reporter's mail has no link to 'My report'")
        # The mail server down: a report is still accepted at once, the
        # failure is logged without an address, and the mail follows later.
        port = smtp.port
        smtp.stop()
        before = len(smtp.mails)
        t0 = time.time()
        _, r = submit_report(env, report_fields(unit, bram_id, account="Tweede " + mark), client=c)
        receipt_of(r, "a report while the mail server is down")
        check(time.time() - t0 < 3, "the report waited for the mail server")
        check(wait_for(lambda: "mail-failed" in open(os.path.join(env.tmp, "mail.log")).read(), 6),
              "a failed send was not logged")
        log = open(os.path.join(env.tmp, "mail.log")).read()
        check(bram not in log and reporter not in log and "@example.org" not in log.replace("vertrouwd@example.org", ""),
              "the log names a recipient")
        smtp = SmtpListener(port)
        check(wait_for(lambda: len(smtp.mails) > 0, 12), "the mail was not sent again when the server came back")
        check(any(bram in rc for rc, _ in smtp.mails), "the retried mail did not go to the counsellor")
    finally:
        smtp.stop()
        srv.stop()

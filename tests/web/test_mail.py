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

import db as database
from client import Client
from harness import (Server, check, expect_redirect, expect_status, receipt_of, report_fields, run_demo,
                     secret_text, submit_report, test)


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


@test("mail_invitation")
def _(env):
    """A report entered on a reporter's behalf can reach them as an invitation:
    the mail holds a one-time link (no code, no content); GET only shows a
    button (a mail scanner does not spend it); the POST shows the code once;
    afterwards the link is gone. Without an address the invitation is refused."""
    smtp = SmtpListener()
    data = os.path.join(env.tmp, "data-invite")
    password, accounts = run_demo(env.binary, data)
    with open(os.path.join(data, "vertrouwd.conf"), "a") as f:
        f.write("\nsmtp_url = smtp://127.0.0.1:%d\nsmtp_from = vertrouwd@example.org\n"
                "base_url = https://vertrouwd.example.org\nmail_retry_seconds = 1\n" % smtp.port)
    srv = Server(env.binary, data, os.path.join(env.tmp, "invite.log"))
    try:
        bram = [e for e, name in accounts["counsellor"] if name == "Bram Jansen"][0]
        b = Client(srv.port)
        expect_redirect(b.login(bram, password), "/start", "Bram logging in")
        form = b.get("/dossiers/nieuw")
        expect_status(form, 200, "the form for a report on someone's behalf")
        check('name="invite"' in form.text, "no invitation choice on the form while mail is configured")
        unit = re.search(r'<option value="(\d+)">[^<]*Provincie Utrecht</option>', form.text).group(1)
        mark = "zzinv" + os.urandom(4).hex()
        reporter = "sam.%s@example.org" % mark
        # No address: refused, with the error next to the choice, nothing stored.
        before = len(smtp.mails)
        r = b.submit("/dossiers/nieuw", "/dossiers/nieuw",
                     report_fields(unit, channel="phone", named="yes", name="Sam " + mark, phone="0612345678",
                                   invite="yes", account="Telefonisch " + mark))
        expect_status(r, 400, "an invitation without an e-mail address")
        check("e-mailadres nodig" in r.text and 'id="invite-error"' in r.text, "no invitation error shown")
        r = b.submit("/dossiers/nieuw", "/dossiers/nieuw",
                     report_fields(unit, channel="phone", named="yes", name="Sam " + mark, email=reporter,
                                   invite="yes", account="Telefonisch " + mark))
        code = receipt_of(r, "a report entered with an invitation")
        check("e-mail met een link" in r.text, "the counsellor is not told that an invitation goes out")
        check(wait_for(lambda: any(reporter in rc for rc, _ in smtp.mails)), "no invitation mail: %r" % smtp.mails[before:])
        body = [m for m in smtp.mails if reporter in m[0]][0][1]
        check(code not in body and code.replace("-", "") not in body and "Telefonisch" not in body and
              "Sam " not in body, "the invitation carries the code or content")
        link = re.search(r"https://vertrouwd\.example\.org(/uitnodiging/([0-9a-f]{64}))", body)
        check(link, "no one-time link in the invitation: %r" % body[:500])
        path, token = link.group(1), link.group(2)
        # The token is stored only as a keyed hash.
        for root, _, files in os.walk(data):
            for name in files:
                with open(os.path.join(root, name), "rb") as fh:
                    check(token.encode() not in fh.read(), "the link's token is stored in %s" % name)
        v = Client(srv.port)
        g = v.get(path)
        expect_status(g, 200, "opening the link")
        check(code not in g.text, "the GET shows the code (a mail scanner would spend it)")
        g2 = v.get(path)
        expect_status(g2, 200, "opening the link twice does not spend it")
        r = v.submit(path, path)
        expect_status(r, 200, "asking for the code")
        check(r.page and code == secret_text(r.page), "the invitation shows another code")
        again = v.submit(path, path, page=g2.page)
        expect_status(again, 404, "the link used a second time")
        check(code not in again.text and "al gebruikt" in again.text, "a used link does not say so plainly")
        # The code works in the mailbox.
        m = Client(srv.port)
        r = m.submit("/mijn-melding", "/mijn-melding", {"code": code})
        expect_status(r, 200, "the invited code opens the report")
        check("Telefonisch " + mark in r.text, "the invited code does not show the report")
        # A made-up token: the same answer as a used one.
        r = v.get("/uitnodiging/" + "ab" * 32)
        expect_status(r, 200, "the button page for any token")
        r = v.submit("/uitnodiging/" + "ab" * 32, "/uitnodiging/" + "ab" * 32)
        expect_status(r, 404, "an unknown link")
        log = open(os.path.join(env.tmp, "invite.log")).read()
        check(token not in log and code not in log and reporter not in log, "the log holds the token, code or address")
    finally:
        smtp.stop()
        srv.stop()


@test("mail_committee_reminder")
def _(env):
    """A term of a complaint that has passed: each committee member it is
    sealed to gets one mail that says only that, with a link to the list;
    a restart sends nothing again."""
    import datetime

    smtp = SmtpListener()
    data = os.path.join(env.tmp, "data-reminder")
    password, accounts = run_demo(env.binary, data)
    with open(os.path.join(data, "vertrouwd.conf"), "a") as f:
        f.write("\nsmtp_url = smtp://127.0.0.1:%d\nsmtp_from = vertrouwd@example.org\n"
                "base_url = https://vertrouwd.example.org\nmail_retry_seconds = 1\n" % smtp.port)
    # The demo's forwarded complaint: its admissibility term started 30 days
    # ago, so it ended about two weeks ago (the server counts it again when
    # it starts: the first time, it counts every open complaint's clocks).
    month_ago = (datetime.date.today() - datetime.date(1970, 1, 1)).days - 30
    db = database.connect(data)
    try:
        db.execute("UPDATE complaint_terms SET start_day = ? WHERE kind = 'admissibility'", (month_ago,))
        db.commit()
    finally:
        db.close()
    members = [e for e, _ in accounts["committee"]]
    srv = Server(env.binary, data, os.path.join(env.tmp, "reminder.log"))
    try:
        check(wait_for(lambda: all(any(m in rc for rc, _ in smtp.mails) for m in members), 10),
              "not every committee member got the reminder: %r" % [rc for rc, _ in smtp.mails])
        check(len(smtp.mails) == len(members), "%d mails for %d members" % (len(smtp.mails), len(members)))
        for rc, body in smtp.mails:
            check(len(rc) == 1, "a reminder went to %r" % rc)
            for secret in ("Sanne", "sanne.bos", "collega", "Klacht 1", "/klachten/"):
                check(secret not in body, "the reminder carries %r" % secret)
            check("https://vertrouwd.example.org/klachten" in body, "the reminder has no link to the list")
        c = Client(srv.port)
        expect_redirect(c.login(members[0], password), "/start", "a committee member logging in")
        r = c.get("/klachten?weergave=achterstallig")
        check('class="overdue"' in r.text and 'href="/klachten/1"' in r.text, "the overdue view does not show it")
    finally:
        srv.stop()
    n = len(smtp.mails)
    srv = Server(env.binary, data, os.path.join(env.tmp, "reminder2.log"))
    try:
        time.sleep(2)
        check(len(smtp.mails) == n, "a restart sent the reminder again")
    finally:
        smtp.stop()
        srv.stop()


@test("mail_candidate_invitation")
def _(env):
    """A candidate committee's invitation goes out by mail when mail is
    configured: the one-time link only (not shown to the member), no name of
    the round; the link sets the password and logs the candidate in, once. A
    candidate who has an account already is told to log in, without a link."""
    smtp = SmtpListener()
    data = os.path.join(env.tmp, "data-candidate")
    password, accounts = run_demo(env.binary, data)
    with open(os.path.join(data, "vertrouwd.conf"), "a") as f:
        f.write("\nsmtp_url = smtp://127.0.0.1:%d\nsmtp_from = vertrouwd@example.org\n"
                "base_url = https://vertrouwd.example.org\nmail_retry_seconds = 1\n" % smtp.port)
    srv = Server(env.binary, data, os.path.join(env.tmp, "candidate.log"))
    try:
        nadia = accounts["candidate_committee"][0][0]
        m = Client(srv.port)
        expect_redirect(m.login(nadia, password), "/start", "Nadia logging in")
        rounds = m.get("/kandidaten")
        path = re.findall(r'href="(/kandidaten/\d+)"', rounds.text)[0]
        mark = "zzmail" + os.urandom(4).hex()
        cand = "kandidaat.%s@example.org" % mark
        r = m.submit(path, path + "/uitnodigen", {"name": "Kim " + mark, "email": cand})
        expect_redirect(r, path + "?gemaild=1", "inviting a candidate with mail on")
        check("/kandidaat/" not in m.get(path + "?gemaild=1").text, "the link is shown although it was mailed")
        check(wait_for(lambda: any(cand in rc for rc, _ in smtp.mails)), "no mail to the candidate")
        body = [d for rc, d in smtp.mails if cand in rc][0]
        check(mark not in body.replace(cand, "") and "Tweede Kamer" not in body,
              "the candidate's mail names the round or the candidate")
        link = re.search(r"https://vertrouwd\.example\.org(/kandidaat/([0-9a-f]{64}))", body)
        check(link, "no one-time link in the candidate's mail: %r" % body[:400])
        for root, _, files in os.walk(data):
            for name in files:
                with open(os.path.join(root, name), "rb") as fh:
                    check(link.group(2).encode() not in fh.read(), "the link's token is stored in %s" % name)
        c = Client(srv.port)
        expect_status(c.get(link.group(1)), 200, "opening the candidate's link")
        pw = "Kandidaat-" + os.urandom(6).hex()
        r = c.submit(link.group(1), link.group(1), {"password": pw, "again": pw})
        expect_redirect(r, "/verklaring", "the candidate choosing a password")
        expect_status(Client(srv.port).get(link.group(1)), 404, "the spent link")
        # the demo's candidate has an account: a mail to log in, no link
        roos = accounts["candidate"][0][0]
        other = m.submit("/kandidaten/nieuw", "/kandidaten/nieuw",
                         {"title": "Tweede ronde " + mark, "kind": "appointment",
                          "unit": re.search(r'<option value="(\d+)">Landelijk</option>',
                                            m.get("/kandidaten/nieuw").text).group(1)})
        check(other.status == 303, "opening a second round: %d" % other.status)
        second = other.location.split("?")[0]
        before = len([1 for rc, _ in smtp.mails if roos in rc])
        r = m.submit(second, second + "/uitnodigen", {"name": "Roos Visser", "email": roos})
        expect_redirect(r, second + "?bekend=1", "inviting a candidate who has an account")
        check("al een account" in m.get(second + "?bekend=1").text, "the member is not told the candidate has an account")
        check(wait_for(lambda: len([1 for rc, _ in smtp.mails if roos in rc]) > before), "no mail to Roos")
        body = [d for rc, d in smtp.mails if roos in rc][-1]
        check("/kandidaat/" not in body and "/verklaring" in body, "the mail to a known candidate is not a login note")
        k = Client(srv.port)
        expect_redirect(k.login(roos, password), "/start", "Roos logging in")
        check(len(re.findall(r'href="/verklaring/\d+"', k.get("/verklaring").text)) == 2,
              "Roos does not see her two declarations")
    finally:
        smtp.stop()
        srv.stop()

"""The conversation of a case: the counsellor writes to the reporter and adds
internal notes; the reporter reads and answers with the receipt code only
(/mijn-melding). Notes never reach the reporter; nobody but the case's readers
can post; nothing of it is stored readable."""

import hashlib
import html
import os
import re

from harness import (case_rows, check, expect_redirect, expect_status, new_case_id, receipt_of,
                     report_fields, submit_report, test, case_ids)
from test_report import BRAM, CHAIMA, OTHER_ROLES, datadir_files, ids, staff


ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def well_formed_code():
    """A random code whose check characters are right (src/core/receipt.c:
    a Luhn mod 32 digit, then 5 bits of BLAKE2b over the first 23 values),
    almost surely of no case: to test unknown codes rather than typos."""
    v = [b % 32 for b in os.urandom(22)]
    total, factor = 0, 2
    for x in reversed(v):
        a = factor * x
        factor = 1 if factor == 2 else 2
        total += a // 32 + a % 32
    v.append((32 - total % 32) % 32)
    domain = b"receipt-check"
    v.append(hashlib.blake2b(bytes([len(domain)]) + domain + bytes(v), digest_size=32).digest()[0] & 31)
    s = "".join(ALPHABET[x] for x in v)
    return "-".join(s[i:i + 4] for i in range(0, 24, 4))


def mailbox(env, code, client=None, reply=None, **kw):
    """POSTs the code (and a reply) to /mijn-melding from a fresh visitor."""
    c = client or env.client(**kw)
    r = c.get("/mijn-melding")
    expect_status(r, 200, "GET /mijn-melding")
    tok = r.page.csrf("/mijn-melding")
    check(tok, "the mailbox form has no csrf token")
    fields = [("csrf", tok), ("code", code)]
    if reply is not None:
        fields.append(("reply", reply))
    return c, c.post("/mijn-melding", fields)


def conversation(r):
    """[(who, text)] of the conversation on a page, in order."""
    items = re.findall(r'<li class="card( note)?"><p><strong>([^<]*)</strong>[^<]*</p><p class="prewrap">(.*?)</p></li>',
                       r.text, re.S)
    return [(bool(note), html.unescape(who), html.unescape(text)) for note, who, text in items]


def new_report_to_bram(env, mark):
    d = ids(env)
    b = staff(env, BRAM)
    before = case_ids(b)
    _, r = submit_report(env, report_fields(d["unit"]["Provincie Utrecht"], d["user"][BRAM],
                                            account="Begin " + mark))
    code = receipt_of(r, "a report to Bram")
    return b, new_case_id(b, before, "a report to Bram"), code


@test("conversation_end_to_end")
def _(env):
    mark = env.unique("zzgesprek")
    env.markers.add(mark)
    b, cid, code = new_report_to_bram(env, mark)
    path = "/dossiers/%d" % cid
    msg, note, answer = "Bericht " + mark + " <b>vet</b>", "Notitie " + mark, "Antwoord " + mark + "\nregel twee"
    r = b.submit(path, path + "/bericht", {"text": msg})
    expect_redirect(r, path, "Bram writing to the reporter")
    r = b.submit(path, path + "/notitie", {"text": note})
    expect_redirect(r, path, "Bram adding a note")
    conv = conversation(b.get(path))
    check([(n, t) for n, _, t in conv] == [(False, msg), (True, note)], "Bram's conversation: %r" % conv)
    # The reporter: the message, escaped, and not the note.
    c, r = mailbox(env, code.lower())
    expect_status(r, 200, "the reporter opening the mailbox with the code")
    check(r.header("Cache-Control") == "no-store", "the mailbox page may be cached")
    check("&lt;b&gt;vet&lt;/b&gt;" in r.text and "<b>vet</b>" not in r.text, "the message is not escaped")
    conv = conversation(r)
    check([t for _, _, t in conv] == [msg], "the reporter sees %r" % conv)
    check(note not in r.text, "the reporter sees the internal note")
    # The reporter answers from that page: its form carries the code.
    tok = r.page.csrf("/mijn-melding")
    hidden = re.search(r'name="code" value="([^"]*)"', r.text)
    check(hidden and hidden.group(1).upper() == code, "the reply form does not carry the code")
    r = c.post("/mijn-melding", [("csrf", tok), ("code", hidden.group(1)), ("reply", answer)])
    expect_status(r, 200, "the reporter's answer")
    check([t for _, _, t in conversation(r)] == [msg, answer], "after answering the reporter sees %r" % conversation(r))
    # Reloading the confirmation resends the answer: it is stored once.
    r = c.post("/mijn-melding", [("csrf", tok), ("code", hidden.group(1)), ("reply", answer)])
    expect_status(r, 200, "the same answer sent again")
    check([t for _, _, t in conversation(r)] == [msg, answer], "a resent answer was stored twice")
    # A long answer (20,000 characters that encode to far more than 16 KiB) is accepted.
    long_answer = "é" * 20000
    _, r = mailbox(env, code, reply=long_answer)
    expect_status(r, 200, "an answer of 20,000 two-byte characters")
    check(any(t == long_answer for _, _, t in conversation(r)), "the long answer is not in the conversation")
    # The answer makes the case new again for Bram, and shows with its line break.
    check((cid, True) in case_rows(b), "the reporter's answer did not mark the case new")
    conv = conversation(b.get(path))
    check([t for _, _, t in conv][:3] == [msg, note, answer] and len(conv) == 4,
          "Bram's conversation after the answers: %r" % [t[:40] for _, _, t in conv])
    # Bad input changes nothing.
    r = b.submit(path, path + "/bericht", {"text": "  \r\n "})
    expect_status(r, 400, "an empty message")
    check('aria-invalid="true"' in r.text, "the empty message's field is not marked")
    r = b.submit(path, path + "/bericht", {"text": "x" * 20001})
    expect_status(r, 400, "a message over 20,000 characters")
    check("x" * 20001 in r.text, "the refused message was not kept in the form")
    _, r = mailbox(env, code, reply="")
    expect_status(r, 400, "an empty answer")
    _, r = mailbox(env, code[:-1] + ("0" if code[-1] != "0" else "1"), reply="typo " + mark)
    expect_status(r, 400, "an answer with a mistyped code")
    check(len(conversation(b.get(path))) == 4, "refused messages reached the case")
    # Nobody else posts: another counsellor of the unit (not a reader: Bram was
    # chosen) gets 404, other roles 403.
    ch = staff(env, CHAIMA)
    tok = ch.csrf_for("/dossiers", "/uitloggen")
    expect_status(ch.post(path + "/bericht", {"csrf": tok, "text": "Chaima " + mark}), 404, "Chaima posting")
    for role in OTHER_ROLES:
        s = env.session(role)
        tok = s.csrf_for("/start", "/uitloggen")
        expect_status(s.post(path + "/notitie", {"csrf": tok, "text": role + mark}), 403, "%s posting" % role)
    check(len(conversation(b.get(path))) == 4, "a refused POST reached the case")


@test("conversation_leaves_no_plaintext")
def _(env):
    mark = env.unique("zzgeheim")
    env.markers.add(mark)
    b, cid, code = new_report_to_bram(env, "x")
    path = "/dossiers/%d" % cid
    expect_redirect(b.submit(path, path + "/bericht", {"text": "M1 " + mark}), path, "a message")
    expect_redirect(b.submit(path, path + "/notitie", {"text": "N1 " + mark}), path, "a note")
    _, r = mailbox(env, code, reply="R1 " + mark)
    expect_status(r, 200, "an answer")
    check(sum(mark in t for _, _, t in conversation(b.get(path))) == 3, "the three texts are not all in the case")
    for name, data in datadir_files(env):
        check(mark.encode() not in data, "%s holds a message text in the clear" % name)


@test("mailbox_codes")
def _(env):
    b, cid, code = new_report_to_bram(env, env.unique("zzcodes"))
    src = env.forwarded()
    # Forgiving about case, hyphens and spaces.
    loose = code.replace("-", " ").lower()
    _, r = mailbox(env, loose, forwarded_for=src)
    expect_status(r, 200, "the code typed loosely")
    # A typo is told as a typo; a wrong shape as not a code; an unknown code
    # as not found: each a 400 with its own message, nothing revealed.
    typo = code[:5] + ("0" if code[5] != "0" else "1") + code[6:]
    answers = {}
    for what, typed in (("typo", typo), ("shape", "hallo"), ("unknown", well_formed_code())):
        _, r = mailbox(env, typed, forwarded_for=src)
        expect_status(r, 400, "a code that is a %s" % what)
        answers[what] = " ".join(r.page.classed("errors"))
        check("Begin" not in r.text, "a refused code shows the report")
    check(len(set(answers.values())) == 3, "typo, wrong shape and unknown give the same message: %r" % answers)
    # Unknown codes are throttled per source (10 per 10 minutes); the right
    # code from elsewhere still opens.
    for i in range(9):
        _, r = mailbox(env, well_formed_code(), forwarded_for=src)
        expect_status(r, 400, "unknown code %d of 10" % (i + 2))
    _, r = mailbox(env, code, forwarded_for=src)
    expect_status(r, 429, "the right code from a source that guessed ten times")
    check(r.header("Retry-After"), "no Retry-After on a throttled code")
    _, r = mailbox(env, code, forwarded_for=env.forwarded())
    expect_status(r, 200, "the right code from another source")
    # No cookie or session is left behind by opening a report.
    check(not [v for v in r.header_all("Set-Cookie") if "session" in v], "opening a report set a session cookie")


@test("report_entered_on_behalf")
def _(env):
    # A counsellor enters a report that came in by phone: it is addressed to
    # them, the channel is recorded, and the code they pass on opens it for
    # the reporter.
    d = ids(env)
    b = staff(env, BRAM)
    before = case_ids(b)
    mark = env.unique("zzbelde")
    env.markers.add(mark)
    page = b.get("/dossiers/nieuw")
    expect_status(page, 200, "GET /dossiers/nieuw")
    check('name="channel"' in page.text and 'name="counsellor"' not in page.text,
          "the on-behalf form lacks the channel or offers a counsellor choice")
    fields = report_fields(d["unit"]["Provincie Utrecht"], account="Telefonisch gemeld " + mark)
    fields.pop("counsellor")
    fields["channel"] = "phone"
    r = b.submit("/dossiers/nieuw", "/dossiers/nieuw", fields, keep=False)
    code = receipt_of(r, "a report entered by Bram")
    cid = new_case_id(b, before, "a report entered by Bram")
    case = b.get("/dossiers/%d" % cid)
    check("Telefoon" in case.page.text and mark in case.text, "the entered case does not show its channel and text")
    _, r = mailbox(env, code)
    expect_status(r, 200, "the reporter opening an entered report with its code")
    check(mark in r.text, "the code does not open the entered report")
    # "web" is not a way a counsellor receives a report; a unit Bram does not
    # serve is refused; nothing is stored.
    before = case_ids(b)
    for what, change in (("channel web", {"channel": "web"}),
                         ("another unit", {"unit": str(d["unit"]["Provincie Gelderland"])})):
        r = b.submit("/dossiers/nieuw", "/dossiers/nieuw", dict(fields, **change), keep=False)
        expect_status(r, 400, "an entered report with %s" % what)
    check(case_ids(b) == before, "a refused entered report was stored")


@test("conversation_long_and_escaped_still_renders")
def _(env):
    # Long answers full of characters that escaping makes six times longer
    # must not make the case unreadable for either side.
    b, cid, code = new_report_to_bram(env, env.unique("zzlang"))
    for i in range(40):
        _, r = mailbox(env, code, reply=('"' * 5000) + " %d" % i)
        expect_status(r, 200, "long answer %d" % (i + 1))
    r = b.get("/dossiers/%d" % cid)
    expect_status(r, 200, "the counsellor opening a case with a long conversation")
    check(len(conversation(r)) == 40, "the case shows %d messages, want 40" % len(conversation(r)))

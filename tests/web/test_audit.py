"""The administrator's audit log page (/beheer/audit): logins, logouts and
the opening of a case show up with who, what, which record and when, newest
first, a page at a time (?voor=SEQ); never any content. Other roles are
refused by the access matrix (test_access.py)."""

import html
import re

from harness import (case_ids, check, expect_redirect, expect_status, new_case_id, receipt_of,
                     report_fields, submit_report, test)

ROW_RE = re.compile(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>")


def rows(r):
    """[(seq, when, who, what, record)] of an audit page."""
    return [(int(s), w, html.unescape(a), html.unescape(b), html.unescape(c))
            for s, w, a, b, c in ROW_RE.findall(r.text)]


def admin_client(env, lang="nl"):
    """A fresh administrator's session in lang (the shared one may have another)."""
    c, r = env.login(env.email("admin"), env.password)
    c.cookies["vd_lang"] = lang
    return c


def audit_page(c, query=""):
    r = c.get("/beheer/audit" + query)
    expect_status(r, 200, "GET /beheer/audit%s" % query)
    return r


@test("audit_page_shows_logins_and_logouts")
def _(env):
    admin = admin_client(env)
    name = env.name("reader")
    c, _ = env.login(env.email("reader"), env.password)
    first = rows(audit_page(admin))
    check(first, "the audit page has no rows")
    check(first[0][2:5] == (name, "Ingelogd", "Account %d" % env.user_id(env.email("reader"))),
          "the newest entry after a login is %r" % (first[0],))
    check(re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d:\d\d", first[0][1]), "the time reads %r" % first[0][1])
    r = c.post("/uitloggen", {"csrf": c.csrf_for("/start", "/uitloggen")})
    expect_redirect(r, "/login?uit=1", "logging out")
    after = rows(audit_page(admin))
    check(after[0][0] > first[0][0] and after[0][2:4] == (name, "Uitgelogd"),
          "the newest entry after a logout is %r" % (after[0],))
    # newest first
    seqs = [s for s, *_ in after]
    check(seqs == sorted(seqs, reverse=True), "the audit page is not newest first: %r" % seqs[:10])
    en = admin_client(env, "en")
    r = audit_page(en)
    check("Logged in" in r.text and "Ingelogd" not in r.text, "the English audit page is not in English")


@test("audit_page_shows_who_opened_a_case_and_no_content")
def _(env):
    reader = env.session("counsellor")
    before = case_ids(reader)
    mark = env.unique("zzlogboek ")
    env.markers.add(mark)
    _, r = submit_report(env, report_fields(env.unit_id("Landelijk"), env.user_id(env.email("counsellor")),
                                            account=mark, hopes=mark))
    receipt_of(r, "a report for the audit log")
    cid = new_case_id(reader, before, "a report for the audit log")
    expect_status(reader.get("/dossiers/%d" % cid), 200, "opening the case")
    admin = admin_client(env)
    r = audit_page(admin)
    found = [x for x in rows(r) if x[4] == "Melding %d" % cid]
    check(found and found[0][2:4] == (env.name("counsellor"), "Melding geopend"),
          "no 'opened' entry for case %d: %r" % (cid, found))
    check(any(x[2:4] == ("Een melder of het systeem", "Melding opgeslagen") for x in found),
          "no 'stored' entry for case %d: %r" % (cid, found))
    check(mark not in r.text, "the audit page shows the report's content")
    check(env.email("counsellor") not in r.text, "the audit page shows an e-mail address")


@test("audit_page_pages_by_seq")
def _(env):
    admin = admin_client(env)
    # enough entries for two pages (50 a page)
    for _ in range(30):
        env.login(env.email("integrity"), env.password)
    r = audit_page(admin)
    page1 = rows(r)
    check(len(page1) == 50, "the first page has %d rows" % len(page1))
    links = [l for l in r.page.links if l.startswith("/beheer/audit?voor=")]
    check(links == ["/beheer/audit?voor=%d" % page1[-1][0]], "the next-page link: %r" % links)
    r = audit_page(admin, links[0][len("/beheer/audit"):])
    page2 = rows(r)
    check(page2 and page2[0][0] == page1[-1][0] - 1, "page 2 does not follow page 1: %r" % [page1[-1], page2[:1]])
    check("/beheer/audit" in r.page.links, "page 2 has no link back to the newest")
    # the oldest page ends at entry 1 without a next link
    r = audit_page(admin, "?voor=3")
    check([x[0] for x in rows(r)] == [2, 1], "?voor=3 shows %r" % [x[0] for x in rows(r)])
    check(not [l for l in r.page.links if "voor=" in l], "the oldest page links further")
    for bad in ("?voor=abc", "?voor=0", "?voor=-5", "?voor=", "?voor=99999999999999999999"):
        expect_status(admin.get("/beheer/audit" + bad), 400, "GET /beheer/audit%s" % bad)


@test("audit_linked_from_admin_home")
def _(env):
    r = env.admin.get("/beheer")
    check("/beheer/audit" in r.page.links, "/beheer has no link to the audit log")

"""The access matrix: every route that needs a login, tried anonymously and
as each role. Allowed: /start, /wachtwoord and /uitloggen for every role;
/profiel, /overzicht, /dossiers* and /logboek* for counsellors only; /klachten*
for the complaints committee only; /meldpunt* for the integrity officer only; /jaarverslagen* for counsellors and report readers (a reader: published reports of their units only, and never a POST); /beheer* for administrators only; anything else is 403. A counsellor's log entry
(/logboek/:id/...) is only its own counsellor's: any other gets 404. A case (/dossiers/:id) opens only for its
readers: the matrix probes one addressed to the probing counsellor, and
access_dossier_not_reader_404 shows that any other counsellor gets the same
404 as for a case that does not exist. A refused POST (with a valid CSRF token) changes nothing, and a
403 page tells nothing about the record asked for."""

import datetime
import os
import re

from harness import (ROLES, case_ids, check, expect_redirect, expect_status, new_case_id, receipt_of,
                     report_fields, secret_text, submit_report, test)
from test_counsellor_log import add_ok, entries
import db as database

ALL = set(ROLES)
ADMIN = {"admin"}
COUNSELLOR = {"counsellor"}
COMMITTEE = {"committee"}
INTEGRITY = {"integrity"}
READER = {"reader"}
CANDCOMM = {"candidate_committee"}
CANDIDATE = {"candidate"}
PUBLIC = ALL | {"anonymous"}  # a public route: no login needed, and every role gets what a visitor gets

# Every non-public route in src/web/router.c, with the roles that may use it.
MATRIX = {
    ("GET", "/start"): ALL,
    ("GET", "/wachtwoord"): ALL,
    ("POST", "/wachtwoord"): ALL,
    ("POST", "/uitloggen"): ALL,
    ("GET", "/profiel"): COUNSELLOR,
    ("POST", "/profiel"): COUNSELLOR,
    ("GET", "/dossiers"): COUNSELLOR,
    ("GET", "/dossiers/:id"): COUNSELLOR,  # and then only for the case's readers
    ("GET", "/dossiers/nieuw"): COUNSELLOR,
    ("POST", "/dossiers/nieuw"): COUNSELLOR,
    ("POST", "/dossiers/:id/bericht"): COUNSELLOR,
    ("POST", "/dossiers/:id/notitie"): COUNSELLOR,
    # A file of the matrix's case (path_for puts in a real file id); then
    # only for the case's readers, like the case (test_files: files_download_access).
    ("GET", "/dossiers/:id/bestand/:slug"): COUNSELLOR,
    # Public (R_PUBLIC): the reporter downloads with the receipt code; see
    # access_post_mijn_melding_bestand.
    ("POST", "/mijn-melding/bestand"): PUBLIC,
    # Case work (pages_casework.c) on the matrix's case: then only for its
    # readers, like the case (test_casework: casework_needs_token_and_reader).
    ("GET", "/dossiers/:id/werk"): COUNSELLOR,
    ("POST", "/dossiers/:id/fase"): COUNSELLOR,
    ("POST", "/dossiers/:id/voortgang"): COUNSELLOR,
    ("POST", "/dossiers/:id/uitkomst"): COUNSELLOR,
    ("POST", "/dossiers/:id/gesprek"): COUNSELLOR,
    ("POST", "/dossiers/:id/afspraak"): COUNSELLOR,
    ("POST", "/dossiers/:id/toestemming"): COUNSELLOR,
    ("POST", "/dossiers/:id/klacht"): COUNSELLOR,
    ("POST", "/dossiers/:id/overdragen"): COUNSELLOR,
    ("POST", "/dossiers/:id/belangenconflict"): COUNSELLOR,
    ("GET", "/dossiers/:id/uitzondering"): COUNSELLOR,
    ("POST", "/dossiers/:id/uitzondering"): COUNSELLOR,
    ("GET", "/overzicht"): COUNSELLOR,
    ("GET", "/logboek"): COUNSELLOR,
    ("POST", "/logboek"): COUNSELLOR,
    ("POST", "/logboek/:id/verwijderen"): COUNSELLOR,  # and then only the counsellor's own entries
    # The committee's workspace (pages_committee.c) on the matrix's complaint,
    # sealed to the demo committee; then only for its members (test_complaints).
    ("GET", "/klachten"): COMMITTEE,
    ("GET", "/klachten/nieuw"): COMMITTEE,
    ("POST", "/klachten/nieuw"): COMMITTEE,
    ("GET", "/klachten/termijnen"): COMMITTEE,
    ("GET", "/klachten/:id"): COMMITTEE,
    ("POST", "/klachten/:id/stap"): COMMITTEE,
    ("POST", "/klachten/:id/verlengen"): COMMITTEE,
    ("POST", "/klachten/:id/voorval"): COMMITTEE,
    ("POST", "/klachten/:id/partij"): COMMITTEE,
    ("POST", "/klachten/:id/brief"): COMMITTEE,
    ("POST", "/klachten/:id/hoorzitting"): COMMITTEE,
    ("POST", "/klachten/:id/verslag"): COMMITTEE,
    # A file of a complaint filed with one (path_for puts in a real one); then
    # only for its committee (test_complaint_parties: complaint_files_with_the_complaint).
    ("GET", "/klachten/:id/bestand/:slug"): COMMITTEE,
    # A counsellor who supports a complainant (pages_complaint_mailbox.c): the
    # matrix's complaint names the probing counsellor; any other gets 404
    # (test_complaint_parties). The complainant's and the accused's mailbox
    # (/mijn-klacht) and the public form (/klacht-indienen) are public.
    ("GET", "/ondersteuning"): COUNSELLOR,
    ("GET", "/ondersteuning/:id"): COUNSELLOR,
    # The integrity officer's register (pages_whistle.c) on the matrix's
    # report, made through the public form; the POSTs are probed in
    # test_whistle. The whistleblower's form (/misstand-melden) and mailbox
    # (/mijn-misstand) are public.
    ("GET", "/meldpunt"): INTEGRITY,
    ("GET", "/meldpunt/nieuw"): INTEGRITY,
    ("POST", "/meldpunt/nieuw"): INTEGRITY,
    ("GET", "/meldpunt/:id"): INTEGRITY,
    ("POST", "/meldpunt/:id/ontvangst"): INTEGRITY,
    ("POST", "/meldpunt/:id/bericht"): INTEGRITY,
    ("POST", "/meldpunt/:id/notitie"): INTEGRITY,
    ("POST", "/meldpunt/:id/verslag"): INTEGRITY,
    ("POST", "/meldpunt/:id/beoordeling"): INTEGRITY,
    ("POST", "/meldpunt/:id/afsluiten"): INTEGRITY,
    ("POST", "/meldpunt/:id/identiteit"): INTEGRITY,
    ("POST", "/meldpunt/:id/toestemming"): INTEGRITY,
    ("POST", "/meldpunt/:id/gedeeld"): INTEGRITY,
    ("GET", "/meldpunt/:id/bestand/:slug"): INTEGRITY,
    # The annual report (pages_annual.c): the demo's published report of the
    # national unit for last year; counsellors and report readers of the unit
    # read it. A counsellor's POST is probed in test_annual (a reader's is
    # refused there too, by the core).
    # Two-step verification (pages_twofactor.c): every staff member's own.
    # /login/code answers only a session whose code is due (any other goes
    # on to /start): test_twofactor walks it, so the GET below is not probed
    # here (SELF_PROBED); the POSTs are probed there with real codes.
    ("GET", "/login/code"): ALL,
    ("POST", "/login/code"): ALL,
    ("GET", "/tweestaps"): ALL,
    ("POST", "/tweestaps"): ALL,
    ("POST", "/tweestaps/bevestigen"): ALL,
    ("POST", "/tweestaps/uit"): ALL,
    # Continuity (pages_escrow.c): /herstel is the trustees' (the demo's
    # Bram Jansen, Hamid Yilmaz and Karin Vos); any other counsellor,
    # committee member or officer gets 404, so test_escrow probes it
    # (SELF_PROBED) with the POSTs. A counsellor hands over all their cases.
    ("GET", "/herstel"): COUNSELLOR | COMMITTEE | INTEGRITY,
    ("POST", "/herstel"): COUNSELLOR | COMMITTEE | INTEGRITY,
    ("POST", "/herstel/:id/goedkeuren"): COUNSELLOR | COMMITTEE | INTEGRITY,
    ("POST", "/herstel/:id/intrekken"): COUNSELLOR | COMMITTEE | INTEGRITY,
    ("GET", "/dossiers/overdragen"): COUNSELLOR,
    ("POST", "/dossiers/overdragen"): COUNSELLOR,
    ("GET", "/jaarverslagen"): COUNSELLOR | READER,
    ("GET", "/jaarverslagen/:id/:slug"): COUNSELLOR | READER,
    ("POST", "/jaarverslagen/:id/:slug"): COUNSELLOR,
    # The candidate committee's rounds (pages_rounds.c) on the demo's round,
    # of which the probing member is one; then only for its members
    # (test_declarations: declaration_refused_to_others).
    ("GET", "/kandidaten"): CANDCOMM,
    ("GET", "/kandidaten/nieuw"): CANDCOMM,
    ("POST", "/kandidaten/nieuw"): CANDCOMM,
    ("GET", "/kandidaten/:id"): CANDCOMM,
    ("POST", "/kandidaten/:id/uitnodigen"): CANDCOMM,
    ("POST", "/kandidaten/:id/nieuwe-link"): CANDCOMM,
    ("POST", "/kandidaten/:id/lid"): CANDCOMM,
    ("GET", "/kandidaten/verklaringen/:id"): CANDCOMM,
    ("POST", "/kandidaten/verklaringen/:id/gesprek"): CANDCOMM,
    ("POST", "/kandidaten/verklaringen/:id/besluit"): CANDCOMM,
    # The candidate's own declaration (pages_declaration.c): the demo
    # candidate's; then only their own. The one-time link is public.
    ("GET", "/verklaring"): CANDIDATE,
    ("GET", "/verklaring/:id"): CANDIDATE,
    ("POST", "/verklaring/:id"): CANDIDATE,
    ("GET", "/beheer"): ADMIN,
    ("GET", "/beheer/eenheden"): ADMIN,
    ("POST", "/beheer/eenheden"): ADMIN,
    ("GET", "/beheer/eenheden/:id"): ADMIN,
    ("POST", "/beheer/eenheden/:id"): ADMIN,
    ("POST", "/beheer/eenheden/:id/verwijderen"): ADMIN,
    ("GET", "/beheer/accounts"): ADMIN,
    ("GET", "/beheer/accounts/nieuw"): ADMIN,
    ("POST", "/beheer/accounts/nieuw"): ADMIN,
    ("GET", "/beheer/accounts/:id"): ADMIN,
    ("POST", "/beheer/accounts/:id"): ADMIN,
    ("POST", "/beheer/accounts/:id/wachtwoord"): ADMIN,
    ("POST", "/beheer/accounts/:id/profiel"): ADMIN,
    ("GET", "/beheer/documenten"): ADMIN,
    ("GET", "/beheer/documenten/:slug"): ADMIN,
    ("POST", "/beheer/documenten/:slug"): ADMIN,
    ("GET", "/beheer/audit"): ADMIN,
}


def victims(env):
    """Records the matrix tries to read or change: made once."""
    v = getattr(env, "victims", None)
    if v is None:
        v = {}
        v["unit_name"] = env.unique("Geheime eenheid ")
        v["unit"] = env.create_unit(v["unit_name"], "other", env.unit_id("Landelijk"))
        v["empty_name"] = env.unique("Lege eenheid ")
        v["empty"] = env.create_unit(v["empty_name"], "other", env.unit_id("Landelijk"))
        v["account"], v["email"], v["name"], v["pw"] = env.create_account("reader", name=env.unique("Geheim Account "))
        v["counsellor"], v["c_email"], v["c_name"], _ = env.create_account("counsellor", name=env.unique("Geheime VP "))
        # A case addressed to the counsellor the matrix probes with.
        reader = env.session("counsellor")
        before = case_ids(reader)
        v["case_mark"] = env.unique("Geheim verslag ")
        env.markers.add(v["case_mark"])
        _, r = submit_report(env, report_fields(env.unit_id("Landelijk"), env.user_id(env.email("counsellor")),
                                                account=v["case_mark"]))
        receipt_of(r, "the matrix's report")
        v["case"] = new_case_id(reader, before, "the matrix's report")
        # The demo's complaint, forwarded to the demo committee: the oldest one
        # (the tests of the committee work on complaints of their own).
        v["complaint"] = complaint_row(env, "SELECT min(id) FROM complaints")
        # ... with the probing counsellor as the complainant's supporter.
        m = env.session("committee")
        path = "/klachten/%d" % v["complaint"]
        r = m.post(path + "/partij", {"csrf": m.csrf_for(path, path + "/partij"), "role": "supporter",
                                      "counsellor": str(env.user_id(env.email("counsellor")))})
        expect_redirect(r, path, "adding the matrix's supporter", path_only=True)
        v["supporter"] = complaint_row(env, "SELECT id FROM complaint_parties WHERE complaint_id = ?"
                                            " AND role = 'supporter'", (v["complaint"],))
        # An entry in another counsellor's own log.
        v["log_entry"] = add_ok(env.session_as(env.email("counsellor", 3)), "supervision",
                                "an entry in another counsellor's log", hours="1")
        # A report of wrongdoing through the public form, for the register's routes.
        a = env.client()
        tok = a.csrf_for("/misstand-melden", "/misstand-melden")
        r = a.post("/misstand-melden", {"csrf": tok, "unit": str(env.unit_id("Landelijk")), "relation": "employee",
                                        "what": v["case_mark"]})
        receipt_of(r, "the matrix's report of wrongdoing")
        v["wb"] = complaint_row(env, "SELECT max(id) FROM wb_reports")
        env.victims = v
    return v


def complaint_row(env, sql, args=()):
    """The first column of the first row of sql, straight from the database."""

    db = database.connect(env.datadir)
    try:
        row = db.execute(sql, args).fetchone()
    finally:
        db.close()
    return row[0] if row else None


def demo_declaration(env):
    """The demo candidate's declaration, submitted in the demo's round."""
    return complaint_row(env, "SELECT d.id FROM declarations d JOIN users u ON u.id = d.candidate_id"
                              " WHERE u.email = ?", (env.email("candidate"),))


def declaration_state(env):
    return complaint_row(env, "SELECT state || '/' || outcome || '/' || interview_on FROM declarations WHERE id = ?",
                         (demo_declaration(env),))


def victim_file(env):
    """A file of the matrix's case, sent by its reader with a message: its id."""
    v = victims(env)
    if "file" not in v:
        reader = env.session("counsellor")
        path = "/dossiers/%d" % v["case"]
        tok = reader.csrf_for(path, path + "/bericht")
        r = reader.post_multipart(path + "/bericht", [("csrf", tok), ("text", "Bijlage voor de matrix")],
                                  [("files", "matrix.txt", b"Een bestand voor de matrix.\n", "text/plain")])
        expect_redirect(r, path, "the matrix's file")
        found = re.findall(r'href="/dossiers/%d/bestand/([0-9a-f]{32})"' % v["case"], reader.get(path).text)
        check(len(found) == 1, "the matrix's case lists %d files, want 1" % len(found))
        v["file"] = found[0]
    return v["file"]


def victim_complaint_file(env):
    """A complaint filed through the public form with a file: (its id, the file's id)."""
    v = victims(env)
    if "complaint_file" not in v:
        a = env.client()
        tok = a.csrf_for("/klacht-indienen", "/klacht-indienen")
        fields = [("csrf", tok), ("unit", str(env.unit_id("Landelijk"))), ("name", "Matrix Klager"),
                  ("email", "matrix@example.org"), ("accused", "Matrix Beklaagde"), ("account", v["case_mark"])]
        r = a.post_multipart("/klacht-indienen", fields, [("files", "matrix.txt", b"Matrix\n", "text/plain")])
        receipt_of(r, "the matrix's complaint with a file")
        kid = complaint_row(env, "SELECT max(id) FROM complaints")
        v["complaint_file"] = (kid, complaint_row(env, "SELECT file_id FROM complaint_attachments"
                                                       " WHERE complaint_id = ?", (kid,)))
    return v["complaint_file"]


def victim_wb_file(env):
    """A report of wrongdoing made through the public form with a file: (its id, the file's id)."""
    v = victims(env)
    if "wb_file" not in v:
        a = env.client()
        tok = a.csrf_for("/misstand-melden", "/misstand-melden")
        fields = [("csrf", tok), ("unit", str(env.unit_id("Landelijk"))), ("relation", "employee"),
                  ("what", v["case_mark"])]
        r = a.post_multipart("/misstand-melden", fields, [("files", "matrix.txt", b"Matrix\n", "text/plain")])
        receipt_of(r, "the matrix's report of wrongdoing with a file")
        wid = complaint_row(env, "SELECT max(id) FROM wb_reports")
        v["wb_file"] = (wid, complaint_row(env, "SELECT file_id FROM wb_attachments WHERE report_id = ?", (wid,)))
    return v["wb_file"]


def path_for(env, pattern):
    v = victims(env)
    if pattern == "/klachten/:id/bestand/:slug":
        return "/klachten/%d/bestand/%s" % victim_complaint_file(env)
    if pattern == "/meldpunt/:id/bestand/:slug":
        return "/meldpunt/%d/bestand/%s" % victim_wb_file(env)
    if pattern.endswith("/bestand/:slug"):
        pattern = pattern.replace(":slug", victim_file(env))
    if pattern == "/jaarverslagen/:id/:slug":
        return "/jaarverslagen/%d/%d" % (env.unit_id("Landelijk"), datetime.date.today().year - 1)
    if pattern.startswith("/kandidaten/verklaringen/:id") or pattern.startswith("/verklaring/:id"):
        return pattern.replace(":id", str(demo_declaration(env)))
    if pattern.startswith("/kandidaten/:id"):
        return pattern.replace(":id", str(complaint_row(env, "SELECT min(id) FROM rounds")))
    p = pattern.replace("/beheer/eenheden/:id/verwijderen", "/beheer/eenheden/%d/verwijderen" % v["empty"])
    p = p.replace("/beheer/eenheden/:id", "/beheer/eenheden/%d" % v["unit"])
    p = p.replace("/beheer/accounts/:id/profiel", "/beheer/accounts/%d/profiel" % v["counsellor"])
    p = p.replace("/beheer/accounts/:id", "/beheer/accounts/%d" % v["account"])
    p = p.replace(":slug", "code_of_conduct")
    p = p.replace("/dossiers/:id", "/dossiers/%d" % v["case"])
    p = p.replace("/klachten/:id", "/klachten/%d" % v["complaint"])
    p = p.replace("/ondersteuning/:id", "/ondersteuning/%d" % v["complaint"])
    p = p.replace("/logboek/:id", "/logboek/%d" % v["log_entry"])
    p = p.replace("/meldpunt/:id", "/meldpunt/%d" % v["wb"])
    return p


def session_token(c):
    """A CSRF token bound to c's session (every form on a page shares it)."""
    return c.csrf_for("/start", "/uitloggen")


def secrets_of(env):
    v = victims(env)
    return [v["unit_name"], v["empty_name"], v["name"], v["email"], v["c_email"], v["case_mark"]]


def check_403(env, r, what):
    expect_status(r, 403, what)
    for s in secrets_of(env):
        check(s not in r.text, "%s: the 403 page shows %r" % (what, s))
    check(not secret_text(r.page), "%s: the 403 page shows a password" % what)


def anonymous(env, method, path):
    """Without a session every such route sends you to /login, even with a
    valid pre-session token."""
    a = env.client()
    r = a.request(method, path, body=b"csrf=x" if method == "POST" else None)
    expect_redirect(r, "/login", "anonymous %s %s" % (method, path))
    if method == "GET":
        expect_redirect(a.head(path), "/login", "anonymous HEAD %s" % path)
    else:
        tok = a.csrf_for("/login", "/login")
        r = a.post(path, {"csrf": tok, "name": "zzanon", "body": "zzanon", "intro": "zzanon"})
        expect_redirect(r, "/login", "anonymous POST %s with a pre-session token" % path)


def get_matrix(env, pattern):
    allowed = MATRIX[("GET", pattern)]
    path = path_for(env, pattern)
    anonymous(env, "GET", path)
    for role in ROLES:
        c = env.session(role)
        r = c.get(path)
        if role in allowed:
            expect_status(r, 200, "GET %s as %s" % (path, role))
            check(r.header("Cache-Control") == "no-store",
                  "GET %s as %s: Cache-Control %r" % (path, role, r.header("Cache-Control")))
            expect_status(c.head(path), 200, "HEAD %s as %s" % (path, role))
        else:
            check_403(env, r, "GET %s as %s" % (path, role))
            expect_status(c.head(path), 403, "HEAD %s as %s" % (path, role))


def register_get(pattern):
    name = "access_get" + re.sub(r"[^a-z0-9]+", "_", pattern).rstrip("_")

    @test(name)
    def _(env):
        get_matrix(env, pattern)


SELF_PROBED = {"/login/code", "/herstel"}

for _m, _p in MATRIX:
    if _m == "GET" and _p not in SELF_PROBED:
        register_get(_p)


def post_matrix(env, pattern, allowed_fields, allowed_status, forbidden_fields, after=None):
    """Posts as every role with a valid token: allowed roles get
    allowed_status for allowed_fields (chosen to change nothing), the others
    403 for forbidden_fields (which would change something); then after(env)
    checks nothing changed."""
    allowed = MATRIX[("POST", pattern)]
    path = path_for(env, pattern)
    anonymous(env, "POST", path)
    for role in ROLES:
        c = env.session(role)
        tok = session_token(c)
        if role in allowed:
            r = c.post(path, dict(allowed_fields(env, role), csrf=tok))
            if isinstance(allowed_status, str):
                expect_redirect(r, allowed_status, "POST %s as %s" % (path, role))
            else:
                expect_status(r, allowed_status, "POST %s as %s" % (path, role))
        else:
            r = c.post(path, dict(forbidden_fields(env, role), csrf=tok))
            check_403(env, r, "POST %s as %s" % (path, role))
        expect_status(c.get("/start"), 200, "the %s session after POST %s" % (role, path))
    if after:
        after(env)


def forbidden_unit_name(role):
    return "zzverboden-" + role


@test("access_post_uitloggen")
def _(env):
    path = "/uitloggen"
    anonymous(env, "POST", path)
    for role in ROLES:
        c, _ = env.login(env.email(role), env.password)
        r = c.post(path, {"csrf": session_token(c)})
        expect_redirect(r, "/login?uit=1", "POST /uitloggen as %s" % role)
        expect_redirect(c.get("/start"), "/login", "GET /start after logging out as %s" % role)


@test("access_post_wachtwoord")
def _(env):
    post_matrix(env, "/wachtwoord",
                lambda env, role: {"old": env.password, "new": "Verschillend-1234", "again": "Anders-12345678"},
                400, None)
    # Every role still has its password.
    c, r = env.login(env.email("reader"), env.password)
    expect_redirect(r, "/start", "the reader's password after the matrix")


@test("access_post_profiel")
def _(env):
    mark = env.unique("zzprofiel")

    def after(env):
        r = env.session("counsellor").get("/profiel")
        check(mark not in r.text, "a refused profile POST changed the counsellor's profile")
        r = env.client().get("/vertrouwenspersonen")
        check(mark not in r.text, "a refused profile POST reached the directory")

    post_matrix(env, "/profiel",
                lambda env, role: {"public_email": "geen adres"}, 400,
                lambda env, role: {"intro": mark, "region": mark}, after)


def register_case_post(pattern):
    @test("access_post_" + pattern.strip("/").replace("/", "_").replace(":", ""))
    def _(env):
        mark = env.unique("zzpost")
        env.markers.add(mark)

        def after(env):
            # nothing that a refused role wrote reached the case
            r = env.session("counsellor").get(path_for(env, "/dossiers/:id"))
            check(mark not in r.text, "a refused POST to %s added to the case" % pattern)

        # The reader's own POST of an empty text is refused as bad input (400)
        # and changes nothing; every other role gets 403.
        post_matrix(env, pattern, lambda env, role: {"text": "   "}, 400,
                    lambda env, role: {"text": mark}, after)


for _pattern in ("/dossiers/:id/bericht", "/dossiers/:id/notitie"):
    register_case_post(_pattern)


def victim_work(env):
    """The matrix's case's work page, as its reader sees it."""
    r = env.session("counsellor").get(path_for(env, "/dossiers/:id/werk"))
    expect_status(r, 200, "the reader opening the matrix's work page")
    return r


def work_section(text, anchor):
    m = re.search(r'<h2 id="%s">(.*?)(?=<h2[ >]|</main>)' % anchor, text, re.S)
    check(m, "the work page has no section #%s" % anchor)
    return m.group(1)


def today():
    return datetime.date.today().isoformat()


def casework_posts(env, mark):
    """For each POST route of case work: what the reader posts (refused as bad
    input, 400, changing nothing), what the other roles post (it would change
    the case), and how to see that nothing changed."""
    v = victims(env)
    exception = {"told_on": "", "informed": "Ingelicht " + mark}
    for cond in ("consent_sought", "no_other_way", "serious_harm", "harm_prevented", "person_told", "referred"):
        exception["met_" + cond] = "yes"
        exception["why_" + cond] = "Uitleg " + mark
    colleague = env.user_id(env.email("counsellor", 1))  # a demo counsellor with a key pair

    def phase_new(env):
        check("de fase <strong>Nieuw</strong>" in victim_work(env).text, "a refused POST moved the matrix's case")

    def no_mark(env):
        check(mark not in victim_work(env).text, "a refused POST reached the matrix's work page")

    def no_outcome(env):
        r = victim_work(env)
        act = path_for(env, "/dossiers/:id/uitkomst")
        check(not [o for o, sel, _ in r.page.select_options(act, "route") if sel],
              "a refused POST set the matrix's case's route")
        check('name="referral" value="police" checked' not in r.text, "a refused POST set a referral")

    def no_consent(env):
        check("Nog niets vastgelegd." in work_section(victim_work(env).text, "toestemming"),
              "a refused POST recorded consent on the matrix's case")

    def no_complaint(env, before=env.db_count("complaints")):
        check(env.db_count("complaints") == before, "a refused POST forwarded the matrix's case")

    def still_reader(env):
        expect_status(env.session("counsellor").get(path_for(env, "/dossiers/:id")), 200,
                      "the matrix's case for its reader after refused hand-overs")
        c = env.session_as(env.email("counsellor", 1))
        expect_status(c.get(path_for(env, "/dossiers/:id")), 404, "the matrix's case for the colleague")

    def no_exception(env):
        r = env.session("counsellor").get(path_for(env, "/dossiers/:id/uitzondering"))
        check(mark not in r.text and 'class="card"' not in r.text, "a refused POST recorded an exception")

    return {
        "/dossiers/:id/fase": ({"from": "new", "to": "aftercare"}, {"from": "new", "to": "intake"}, phase_new),
        "/dossiers/:id/voortgang": ({"follow_up": "9"}, {"inventory": mark, "follow_up": "1"}, no_mark),
        "/dossiers/:id/uitkomst": ({"route": "zzgeen"}, {"route": "mediation", "referral": "police"}, no_outcome),
        "/dossiers/:id/gesprek": ({"on_date": "", "way": "phone", "with_whom": "reporter", "minutes": "10"},
                                  {"on_date": today(), "way": "phone", "with_whom": "reporter", "minutes": "10",
                                   "notes": mark}, no_mark),
        "/dossiers/:id/afspraak": ({"date": "", "time": "10:00", "place": "x"},
                                   {"date": today(), "time": "10:00", "place": mark, "shared": "yes"}, no_mark),
        "/dossiers/:id/toestemming": ({"step": "zzgeen"},
                                      {"step": "forward_committee", "given": "yes", "on_date": today(),
                                       "how": "phone"}, no_consent),
        # The matrix's case is anonymous and has no consent: the reader's forward is refused.
        "/dossiers/:id/klacht": ({}, {"summary": mark, "share_account": "yes"}, no_complaint),
        "/dossiers/:id/overdragen": ({"to": "", "reason": "leaving"}, {"to": str(colleague), "reason": "leaving"},
                                    still_reader),
        "/dossiers/:id/uitzondering": ({}, exception, no_exception),
    }


def complaint_posts(env):
    """For each POST route of the committee's workspace: what a member posts
    (refused as bad input, 400, changing nothing), what the other roles post
    (it would change the complaint), and how to see that nothing changed."""
    v = victims(env)
    cid = v["complaint"]
    term = complaint_row(env, "SELECT id FROM complaint_terms WHERE complaint_id = ? AND kind = 'decision'", (cid,))

    def still_received(env):
        check(complaint_row(env, "SELECT step FROM complaints WHERE id = ?", (cid,)) == "received",
              "a refused POST moved the matrix's complaint")

    def not_extended(env):
        check(complaint_row(env, "SELECT count(*) FROM complaint_extensions WHERE term_id = ?", (term,)) == 0,
              "a refused POST extended the matrix's complaint's term")

    def no_incident(env):
        check(complaint_row(env, "SELECT last_incident_day FROM complaints WHERE id = ?", (cid,)) == 0,
              "a refused POST set the matrix's complaint's last incident")

    def count(table, where):
        return lambda: complaint_row(env, "SELECT count(*) FROM %s WHERE %s" % (table, where), (cid,))

    parties, letters = count("complaint_parties", "complaint_id = ?"), count("complaint_letters", "complaint_id = ?")
    hearings = count("complaint_hearings", "complaint_id = ?")
    minutes = count("complaint_hearings", "complaint_id = ? AND minutes IS NOT NULL")
    before = {"parties": parties(), "letters": letters(), "hearings": hearings(), "minutes": minutes()}

    def unchanged(what, now):
        def after(env):
            check(now() == before[what], "a refused POST changed the matrix's complaint's %s" % what)
        return after

    sup = str(v["supporter"])
    return {
        "/klachten/:id/partij": ({"role": "accused", "name": ""}, {"role": "accused", "name": "Matrix Beklaagde"},
                                 unchanged("parties", parties)),
        "/klachten/:id/brief": ({"party": sup, "text": ""}, {"party": sup, "text": "Een brief van de matrix"},
                                unchanged("letters", letters)),
        "/klachten/:id/hoorzitting": ({"day": "morgen"}, {"day": today(), "heard": sup},
                                      unchanged("hearings", hearings)),
        "/klachten/:id/verslag": ({"hearing": "0", "minutes": ""}, {"hearing": "1", "minutes": "Verslag"},
                                  unchanged("minutes", minutes)),
        "/klachten/:id/stap": ({"from": "received", "to": "decided"}, {"from": "received", "to": "withdrawn"},
                               still_received),
        "/klachten/:id/verlengen": ({"term": str(term), "days": "0", "basis": "notice"},
                                    {"term": str(term), "days": "7", "basis": "notice"}, not_extended),
        "/klachten/:id/voorval": ({"date": "gisteren"}, {"date": "2020-01-01"}, no_incident),
    }


def register_complaint_post(pattern):
    @test("access_post_" + pattern.strip("/").replace("/", "_").replace(":", ""))
    def _(env):
        allowed, forbidden, after = complaint_posts(env)[pattern]
        post_matrix(env, pattern, lambda env, role: allowed, 400, lambda env, role: forbidden, after)


for _pattern in ("/klachten/:id/stap", "/klachten/:id/verlengen", "/klachten/:id/voorval", "/klachten/:id/partij",
                 "/klachten/:id/brief", "/klachten/:id/hoorzitting", "/klachten/:id/verslag"):
    register_complaint_post(_pattern)


@test("access_post_klachten_nieuw")
def _(env):
    # A member's entry without a name is refused (400); anyone else's, with
    # every field right, is refused by role (403). Nothing is stored.
    mark = env.unique("zzklacht")
    env.markers.add(mark)
    fields = {"unit": str(env.unit_id("Landelijk")), "channel": "letter", "received_on": today(),
              "name": "Naam " + mark, "email": "klager@example.org", "accused": "Beklaagde " + mark,
              "account": "Verslag " + mark}
    before = env.db_count("complaints")

    def nothing_stored(env):
        check(env.db_count("complaints") == before, "a refused POST stored a complaint")

    post_matrix(env, "/klachten/nieuw", lambda env, role: dict(fields, name=""), 400, lambda env, role: fields,
                nothing_stored)


def register_casework_post(pattern):
    @test("access_post_" + pattern.strip("/").replace("/", "_").replace(":", ""))
    def _(env):
        mark = env.unique("zzwerk")
        env.markers.add(mark)
        allowed, forbidden, after = casework_posts(env, mark)[pattern]
        post_matrix(env, pattern, lambda env, role: allowed, 400, lambda env, role: forbidden, after)


for _pattern in ("/dossiers/:id/fase", "/dossiers/:id/voortgang", "/dossiers/:id/uitkomst", "/dossiers/:id/gesprek",
                 "/dossiers/:id/afspraak", "/dossiers/:id/toestemming", "/dossiers/:id/klacht",
                 "/dossiers/:id/overdragen", "/dossiers/:id/uitzondering"):
    register_casework_post(_pattern)


@test("access_post_dossiers_id_belangenconflict")
def _(env):
    # Every other role: 403 and no conflict. The reader has nothing to get
    # wrong: their POST declares the conflict (303 back to the work page).
    path = path_for(env, "/dossiers/:id/belangenconflict")
    anonymous(env, "POST", path)
    for role in ROLES:
        if role == "counsellor":
            continue
        c = env.session(role)
        check_403(env, c.post(path, {"csrf": session_token(c)}), "POST %s as %s" % (path, role))
        expect_status(c.get("/start"), 200, "the %s session after POST %s" % (role, path))
    check("Belangenconflict gemeld door:" not in victim_work(env).text, "a refused POST declared a conflict")
    c = env.session("counsellor")
    r = c.post(path, {"csrf": session_token(c)})
    check(r.status == 303 and r.location == path_for(env, "/dossiers/:id/werk"),
          "POST %s as its reader: %d to %r" % (path, r.status, r.header("Location")))
    check("Belangenconflict gemeld door:" in victim_work(env).text, "the reader's declaration is not shown")


@test("access_post_dossiers_nieuw")
def _(env):
    mark = env.unique("zzinvoer")
    env.markers.add(mark)

    def after(env):
        r = env.session("counsellor").get("/dossiers")
        check(r.status == 200, "the counsellor's case list after the matrix")

    # The counsellor's own POST without the required fields is bad input (400);
    # every other role gets 403 and nothing is stored.
    post_matrix(env, "/dossiers/nieuw", lambda env, role: {"channel": "phone"}, 400,
                lambda env, role: {"channel": "phone", "account": mark}, after)


@test("access_post_mijn_melding_bestand")
def _(env):
    # Public: no redirect to /login and no 403 for any role. Without the
    # right code every caller gets the same 400 (the mailbox page saying it
    # is no code), and no file.
    path = "/mijn-melding/bestand"
    fid = victim_file(env)
    a = env.client()
    r = a.post(path, {"csrf": "x", "code": "hallo", "file": fid})
    expect_status(r, 403, "anonymous POST %s without a pre-session" % path)
    tok = a.csrf_for("/mijn-melding", "/mijn-melding")
    r = a.post(path, {"csrf": tok, "code": "hallo", "file": fid})
    expect_status(r, 400, "anonymous POST %s with a token and no code" % path)
    check(r.page.form("/mijn-melding") is not None, "the answer to a wrong code has no code form")
    check(r.header("Content-Disposition") is None, "a wrong code gave a download")
    for role in ROLES:
        c = env.session(role)
        r = c.post(path, {"csrf": session_token(c), "code": "hallo", "file": fid})
        expect_status(r, 400, "POST %s as %s with no code" % (path, role))
        check(r.header("Content-Disposition") is None, "POST %s as %s gave a download" % (path, role))
        check("Een bestand voor de matrix" not in r.text, "POST %s as %s shows the file" % (path, role))
        expect_status(c.get("/start"), 200, "the %s session after POST %s" % (role, path))


@test("access_post_logboek")
def _(env):
    n = env.db_count("counsellor_log")

    def after(env):
        check(env.db_count("counsellor_log") == n, "a refused POST added to a log")

    # The counsellor's own POST without a date or subject is bad input (400);
    # every other role gets 403 for an entry that would be stored.
    post_matrix(env, "/logboek", lambda env, role: {"kind": "advice", "date": "", "subject": ""}, 400,
                lambda env, role: {"kind": "supervision", "date": "2024-01-02", "hours": "1", "minutes": "0"},
                after)


@test("access_post_logboek_id_verwijderen")
def _(env):
    v = victims(env)
    n = env.db_count("counsellor_log")

    def after(env):
        check(env.db_count("counsellor_log") == n, "a refused delete removed a log entry")
        owner = env.session_as(env.email("counsellor", 3))
        check(v["log_entry"] in [e["id"] for e in entries(owner.get("/logboek"))],
              "the entry is gone from its counsellor's log")

    # Another counsellor's entry: 404 for a counsellor (as if it did not
    # exist), 403 for every other role; it stays.
    post_matrix(env, "/logboek/:id/verwijderen", lambda env, role: {}, 404, lambda env, role: {}, after)


@test("access_post_beheer_eenheden")
def _(env):
    def after(env):
        units = env.units_table()
        for role in ROLES:
            check(forbidden_unit_name(role) not in units, "a %s created a unit" % role)

    post_matrix(env, "/beheer/eenheden",
                lambda env, role: {"name": "", "kind": "other", "parent": ""}, 400,
                lambda env, role: {"name": forbidden_unit_name(role), "kind": "other", "parent": ""}, after)


@test("access_post_beheer_eenheden_id")
def _(env):
    v = victims(env)

    def after(env):
        units = env.units_table()
        check(v["unit_name"] in units and units[v["unit_name"]] == v["unit"], "a refused POST renamed the unit")

    post_matrix(env, "/beheer/eenheden/:id",
                lambda env, role: {"name": "", "kind": "other", "parent": ""}, 400,
                lambda env, role: {"name": "zzhernoemd-" + role, "kind": "other", "parent": ""}, after)


@test("access_post_beheer_eenheden_id_verwijderen")
def _(env):
    v = victims(env)
    landelijk = env.unit_id("Landelijk")
    # The administrator may delete; to change nothing, the administrator's try
    # is on Landelijk, which is in use (409).
    path = path_for(env, "/beheer/eenheden/:id/verwijderen")
    anonymous(env, "POST", path)
    for role in ROLES:
        c = env.session(role)
        tok = session_token(c)
        if role == "admin":
            r = c.post("/beheer/eenheden/%d/verwijderen" % landelijk, {"csrf": tok})
            expect_status(r, 409, "deleting Landelijk as admin")
        else:
            check_403(env, c.post(path, {"csrf": tok}), "POST %s as %s" % (path, role))
    check(v["empty_name"] in env.units_table(), "a refused delete removed the unit")
    check("Landelijk" in env.units_table(), "Landelijk was deleted")


@test("access_post_beheer_accounts_nieuw")
def _(env):
    emails = {role: "zz-%s-%s@example.org" % (role, os.urandom(3).hex()) for role in ROLES}

    def after(env):
        table = env.accounts_table()
        for role, e in emails.items():
            check(e not in table, "a %s created an account" % role)

    post_matrix(env, "/beheer/accounts/nieuw",
                lambda env, role: {"name": "x", "email": "geen adres", "role": "reader"}, 400,
                lambda env, role: {"name": "Indringer", "email": emails[role], "role": "admin"}, after)


@test("access_post_beheer_accounts_id")
def _(env):
    v = victims(env)

    def after(env):
        table = env.accounts_table()
        check(table.get(v["email"], (0, ""))[1] == v["name"], "a refused POST changed the account")
        for role in ROLES:
            if role == "admin":
                continue
            c = env.session(role)
            expect_status(c.get("/beheer"), 403, "/beheer for a %s after trying to make themselves admin" % role)

    post_matrix(env, "/beheer/accounts/:id",
                lambda env, role: {"name": "", "email": v["email"], "role": "reader", "active": "1"}, 400,
                lambda env, role: {"name": "zzovergenomen", "email": v["email"], "role": "admin", "active": "1"},
                after)
    # Nor may anyone raise their own role.
    for role in ROLES:
        if role == "admin":
            continue
        c = env.session(role)
        uid = complaint_row(env, "SELECT id FROM users WHERE email = ?", (env.email(role),))
        r = c.post("/beheer/accounts/%d" % uid, {"csrf": session_token(c), "name": "x",
                                                 "email": env.email(role), "role": "admin", "active": "1"})
        check_403(env, r, "a %s making their own account admin" % role)
        expect_status(c.get("/beheer"), 403, "/beheer for a %s after trying to become admin" % role)


@test("access_post_beheer_accounts_id_wachtwoord")
def _(env):
    v = victims(env)
    path = path_for(env, "/beheer/accounts/:id/wachtwoord")
    anonymous(env, "POST", path)
    current = None
    for role in ROLES:
        c = env.session(role)
        r = c.post(path, {"csrf": session_token(c)})
        if role == "admin":
            expect_status(r, 200, "resetting a password as admin")
            current = secret_text(r.page)
            check(current, "no activation password after a reset")
            env.activation_passwords.add(current)
        else:
            check_403(env, r, "POST %s as %s" % (path, role))
    c = env.client()
    r = c.login(v["email"], current)
    expect_redirect(r, "/wachtwoord", "the victim's password after refused resets")


@test("access_post_beheer_accounts_id_profiel")
def _(env):
    v = victims(env)
    mark = env.unique("zzgekaapt")

    def after(env):
        check(mark not in env.client().get("/vertrouwenspersonen/%d" % v["counsellor"]).text,
              "a refused profile POST reached the public page")
        check(mark not in env.admin.get("/beheer/accounts/%d" % v["counsellor"]).text,
              "a refused profile POST changed the profile")

    post_matrix(env, "/beheer/accounts/:id/profiel",
                lambda env, role: {"public_email": "geen adres"}, 400,
                lambda env, role: {"intro": mark}, after)


@test("access_post_beheer_documenten_slug")
def _(env):
    mark = env.unique("zzdocument")

    def after(env):
        r = env.admin.get("/beheer/documenten/code_of_conduct")
        check(mark not in r.text, "a refused POST changed the document")
        en = env.client()
        en.cookies["vd_lang"] = "en"
        check(mark not in en.get("/documenten/gedragscode").text, "a refused POST changed the public document")

    post_matrix(env, "/beheer/documenten/:slug",
                lambda env, role: {}, 400,
                lambda env, role: {"body_nl": mark, "body_en": mark, "adopted_by": "Bestuur", "unit": "0",
                                   "adopted_on": datetime.date.today().isoformat()}, after)


@test("access_post_kandidaten_nieuw")
def _(env):
    mark = env.unique("zzronde")

    def after(env):
        check(complaint_row(env, "SELECT count(*) FROM rounds WHERE title LIKE ?", ("%" + mark + "%",)) == 0,
              "a refused POST opened a round")

    post_matrix(env, "/kandidaten/nieuw", lambda env, role: {}, 400,
                lambda env, role: {"title": mark, "kind": "election", "unit": str(env.unit_id("Landelijk")),
                                   "opens_on": datetime.date.today().isoformat(),
                                   "closes_on": datetime.date.today().isoformat(), "questions": "Vraag"}, after)


@test("access_post_kandidaten_id_uitnodigen")
def _(env):
    mark = env.unique("zzkandidaat")

    def after(env):
        check(complaint_row(env, "SELECT count(*) FROM users WHERE name = ?", (mark,)) == 0,
              "a refused POST invited a candidate")

    post_matrix(env, "/kandidaten/:id/uitnodigen", lambda env, role: {}, 400,
                lambda env, role: {"name": mark, "email": mark + "@example.org"}, after)


@test("access_post_kandidaten_id_nieuwe_link")
def _(env):
    before = complaint_row(env, "SELECT count(*) FROM candidate_links")

    def after(env):
        check(complaint_row(env, "SELECT count(*) FROM candidate_links") == before, "a refused POST made a link")

    other = complaint_row(env, "SELECT max(id) FROM declarations WHERE state = 'invited'")
    post_matrix(env, "/kandidaten/:id/nieuwe-link", lambda env, role: {}, 400,
                lambda env, role: {"declaration": str(other)}, after)


@test("access_post_kandidaten_id_lid")
def _(env):
    rid = complaint_row(env, "SELECT min(id) FROM rounds")
    before = complaint_row(env, "SELECT count(*) FROM round_members WHERE round_id = ?", (rid,))

    def after(env):
        check(complaint_row(env, "SELECT count(*) FROM round_members WHERE round_id = ?", (rid,)) == before,
              "a refused POST added a member")

    post_matrix(env, "/kandidaten/:id/lid", lambda env, role: {}, 400,
                lambda env, role: {"member": str(env.user_id(env.email("counsellor")))}, after)


@test("access_post_kandidaten_verklaringen_id_gesprek")
def _(env):
    before = declaration_state(env)

    def after(env):
        check(declaration_state(env) == before, "a refused POST recorded an interview")

    post_matrix(env, "/kandidaten/verklaringen/:id/gesprek", lambda env, role: {}, 400,
                lambda env, role: {"day": datetime.date.today().isoformat(), "notes": "zzgesprek"}, after)


@test("access_post_kandidaten_verklaringen_id_besluit")
def _(env):
    before = declaration_state(env)

    def after(env):
        check(declaration_state(env) == before, "a refused POST recorded a decision")

    post_matrix(env, "/kandidaten/verklaringen/:id/besluit", lambda env, role: {}, 400,
                lambda env, role: {"outcome": "withdrawn"}, after)


@test("access_post_verklaring_id")
def _(env):
    before = declaration_state(env)

    def after(env):
        check(declaration_state(env) == before, "a refused POST changed the declaration")

    post_matrix(env, "/verklaring/:id", lambda env, role: {}, 400,
                lambda env, role: {"action": "save", "q1": "zzantwoord"}, after)


def without_tokens(text):
    return re.sub(r'name="csrf" value="[^"]*"', "", text)


@test("access_dossier_not_reader_404")
def _(env):
    v = victims(env)
    path = "/dossiers/%d" % v["case"]
    missing = "/dossiers/%d" % (v["case"] + 1000000)
    # Its reader opens it (so what follows is about not being one).
    r = env.session("counsellor").get(path)
    expect_status(r, 200, "GET %s as its reader" % path)
    check(v["case_mark"] in r.text, "the reader does not see the case")
    # Any other counsellor: 404, the very page a case that does not exist gives.
    other = env.session_as(env.email("counsellor", 3))
    r, r_missing = other.get(path), other.get(missing)
    expect_status(r, 404, "GET %s as a counsellor who is not a reader" % path)
    expect_status(r_missing, 404, "GET %s (no such case) as a counsellor" % missing)
    check(without_tokens(r.text) == without_tokens(r_missing.text),
          "the 404 for someone else's case differs from the 404 for no case")
    check(v["case_mark"] not in r.text, "the 404 page shows the case")
    expect_status(other.head(path), 404, "HEAD %s as a counsellor who is not a reader" % path)
    check(v["case"] not in case_ids(other), "the case is in a non-reader's list")
    # The other roles: 403 from the router, whether the case exists or not.
    for role in ROLES:
        if role == "counsellor":
            continue
        c = env.session(role)
        r, r_missing = c.get(path), c.get(missing)
        check_403(env, r, "GET %s as %s" % (path, role))
        expect_status(r_missing, 403, "GET %s as %s" % (missing, role))
        check(without_tokens(r.text) == without_tokens(r_missing.text),
              "as %s, the 403 for a case differs from the 403 for no case" % role)


@test("access_matrix_covers_routes")
def _(env):
    # The route table is the one place that says who may reach what; every
    # route in it that needs a login must be in the matrix above.
    src = os.path.join(os.path.dirname(__file__), "..", "..", "src", "web", "router.c")
    if not os.path.exists(src):
        return
    text = open(src, encoding="utf-8").read()
    # the routes named by links.h's constants (LINK_SUPPORT "/:id") count too
    links = open(os.path.join(os.path.dirname(src), "..", "core", "links.h"), encoding="utf-8").read()
    for name, value in re.findall(r'#define (LINK_[A-Z_]+) "([^"]*)"', links):
        text = re.sub(r'\{ %s(?: "([^"]*)")?,' % name, lambda m: '{ "%s%s",' % (value, m.group(1) or ""), text)
    rows = re.findall(r'\{\s*"(/[^"]*)",\s*([A-Z_| ]+),\s*([A-Z_| 0]+),', text)
    check(rows, "cannot read the route table in router.c")
    missing = []
    for pattern, methods, flags in rows:
        if "R_PUBLIC" in flags:
            continue
        for m in ("GET", "POST"):
            if "M_" + m in methods and (m, pattern) not in MATRIX:
                missing.append("%s %s" % (m, pattern))
    check(not missing, "routes missing from the access matrix: %s" % ", ".join(missing))

"""Continuity (issue 12): the trustees' page /herstel, where two of the three
demo trustees together move a counsellor's cases to a colleague, and a
leaving counsellor's hand-over of all their cases at /dossiers/overdragen."""

from harness import case_ids, check, expect_redirect, expect_status, test
from test_access import check_403, session_token
from test_casework import counsellor, new_case, pair
import db as database

TRUSTEES = ("bram.jansen@example.org", "hamid.yilmaz@example.org", "karin.vos@example.org")
TRUSTEE_NAMES = ("Bram Jansen", "Hamid Yilmaz", "Karin Vos")


def trustees(env):
    return [env.session_as(e) for e in TRUSTEES]


def request_ids(env, from_id):
    import os
    db = database.connect(env.datadir)
    try:
        return [i for (i,) in db.execute("SELECT id FROM escrow_requests WHERE from_user = ? ORDER BY id", (from_id,))]
    finally:
        db.close()


def errors(r):
    return " ".join(r.page.classed("errors"))


@test("escrow_page_for_trustees_only")
def _(env):
    t = trustees(env)
    for c in t:
        r = c.get("/herstel")
        expect_status(r, 200, "a trustee opening /herstel")
        check(all(n in r.text for n in TRUSTEE_NAMES), "the page does not name the three trustees")
        check(r.header("Cache-Control") == "no-store", "/herstel may be cached")
    # A counsellor, committee member or officer who is no trustee: the same 404 as nothing there.
    other = env.session("counsellor")  # Anouk: no trustee
    expect_status(other.get("/herstel"), 404, "a counsellor who is no trustee opening /herstel")
    expect_status(other.post("/herstel", {"csrf": session_token(other), "from": "1", "to": "2"}), 404,
                  "a counsellor who is no trustee asking for a hand-over")
    for role in ("admin", "reader"):
        c = env.session(role)
        check_403(env, c.get("/herstel"), "GET /herstel as %s" % role)
        check_403(env, c.post("/herstel", {"csrf": session_token(c), "from": "1", "to": "2"}),
                  "POST /herstel as %s" % role)
        check_403(env, c.post("/herstel/1/goedkeuren", {"csrf": session_token(c)}), "approving as %s" % role)
        check_403(env, c.post("/herstel/1/intrekken", {"csrf": session_token(c)}), "withdrawing as %s" % role)
    expect_redirect(env.client().get("/herstel"), "/login", "an anonymous visitor opening /herstel", path_only=True)
    # The start page links to it for trustees only.
    check('href="/herstel"' in t[0].get("/start").text, "a trustee's start page has no link to /herstel")
    check('href="/herstel"' not in other.get("/start").text, "a non-trustee's start page links to /herstel")


@test("escrow_two_trustees_move_the_cases")
def _(env):
    a = counsellor(env)
    b = counsellor(env)
    cid, code = new_case(env, a)
    cid2, _ = new_case(env, a)
    t = trustees(env)
    expect_status(b["c"].get("/dossiers/%d" % cid), 404, "B opening A's case before the hand-over")
    # Refused, and nothing asked: one person twice, nobody, someone not a counsellor.
    for fields in ({"from": str(a["id"]), "to": str(a["id"])}, {"from": "", "to": str(b["id"])},
                   {"from": str(a["id"]), "to": "x"},
                   {"from": str(a["id"]), "to": str(env.user_id(env.email("committee")))}):
        r = t[0].submit("/herstel", "/herstel", fields)
        expect_status(r, 400, "asking for a hand-over with %s" % fields)
        check("Er is nog niets veranderd" in errors(r), "the refusal does not say why: %s" % errors(r))
    check(request_ids(env, a["id"]) == [], "a refused request was stored")
    r = t[0].submit("/herstel", "/herstel", {"from": str(a["id"]), "to": str(b["id"])})
    expect_redirect(r, "/herstel?klaar=verzocht", "asking for A's cases to go to B")
    rid, = request_ids(env, a["id"])
    r = t[1].submit("/herstel", "/herstel", {"from": str(a["id"]), "to": str(b["id"])})
    expect_status(r, 400, "asking twice for A's cases")
    # The first approval: nothing moves yet; the same trustee again is refused.
    act = "/herstel/%d/goedkeuren" % rid
    expect_redirect(t[0].submit("/herstel", act, {}), "/herstel?klaar=goedgekeurd", "the first approval")
    r = t[0].post(act, {"csrf": session_token(t[0])})
    expect_status(r, 400, "the same trustee approving twice")
    check(t[0].get("/herstel").page.form(act) is None, "the page still offers the first approver to approve")
    expect_status(b["c"].get("/dossiers/%d" % cid), 404, "B opening A's case after one approval")
    expect_status(t[2].post("/herstel/%d/goedkeuren" % (rid + 100000), {"csrf": session_token(t[2])}), 404,
                  "approving a request that does not exist")
    # The second: both cases go to B, and A no longer opens them.
    expect_redirect(t[2].submit("/herstel", act, {}), "/herstel?klaar=uitgevoerd", "the second approval")
    for case in (cid, cid2):
        expect_status(b["c"].get("/dossiers/%d" % case), 200, "B opening case %d after the hand-over" % case)
        expect_status(a["c"].get("/dossiers/%d" % case), 404, "A opening case %d after the hand-over" % case)
    check({cid, cid2} <= set(case_ids(b["c"])), "the cases are not in B's list")
    r = t[1].get("/herstel")
    check("uitgevoerd" in r.text and "Overgedragen dossiers: 2" in r.text, "the page does not show the request done")
    # Withdrawn by the one who asked, and by nobody else.
    r = t[1].submit("/herstel", "/herstel", {"from": str(b["id"]), "to": str(a["id"])})
    expect_redirect(r, "/herstel?klaar=verzocht", "asking for B's cases")
    rid2 = request_ids(env, b["id"])[-1]
    expect_status(t[0].post("/herstel/%d/intrekken" % rid2, {"csrf": session_token(t[0])}), 400,
                  "withdrawing someone else's request")
    expect_redirect(t[1].submit("/herstel", "/herstel/%d/intrekken" % rid2, {}), "/herstel?klaar=ingetrokken",
                    "withdrawing one's own request")
    r = t[0].post("/herstel/%d/goedkeuren" % rid2, {"csrf": session_token(t[0])})
    expect_status(r, 400, "approving a withdrawn request")
    check("loopt niet meer" in errors(r), "approving a withdrawn request does not say why: %s" % errors(r))
    r = t[2].post(act, {"csrf": session_token(t[2])})
    expect_status(r, 400, "approving a request carried out already")
    check_403(env, t[0].post(act, {}), "approving without the token")


@test("escrow_handover_all_cases")
def _(env):
    a = counsellor(env)
    _, b = pair(env)
    cases = [new_case(env, a)[0] for _ in range(2)]
    r = a["c"].get("/dossiers/overdragen")
    expect_status(r, 200, "the hand-over page")
    offered = {v for v, _, _ in r.page.select_options("/dossiers/overdragen", "to")}
    check(str(b["id"]) in offered and str(a["id"]) not in offered, "the page offers B and not A themselves")
    r = a["c"].submit("/dossiers/overdragen", "/dossiers/overdragen", {"to": str(b["id"]), "reason": "leaving"})
    expect_status(r, 400, "handing everything over without the tick")
    check("Er is nog niets veranderd" in errors(r), "the page does not say why")
    r = a["c"].submit("/dossiers/overdragen", "/dossiers/overdragen",
                      {"to": "", "reason": "leaving", "confirm": "yes"})
    expect_status(r, 400, "handing everything over to nobody")
    for case in cases:
        expect_status(a["c"].get("/dossiers/%d" % case), 200, "A still opens case %d after refusals" % case)
    r = a["c"].submit("/dossiers/overdragen", "/dossiers/overdragen",
                      {"to": str(b["id"]), "reason": "leaving", "confirm": "yes"})
    expect_redirect(r, "/dossiers/overdragen?over=2&bleef=0", "handing everything to B")
    r = a["c"].get(r.location)
    check("Overgedragen dossiers: 2" in r.text, "the page does not say how many went")
    for case in cases:
        expect_status(b["c"].get("/dossiers/%d" % case), 200, "B opening case %d" % case)
        expect_status(a["c"].get("/dossiers/%d" % case), 404, "A opening case %d after handing it over" % case)

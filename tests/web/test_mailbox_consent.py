"""The reporter answers in their mailbox (issue 9): where the report stands
in plain words, a timeline of what happened, and consent. The counsellor asks
for consent to a step in the mailbox; the reporter gives or refuses it there
and can withdraw it later; the counsellor sees each answer in the case at
once, and a step that needs consent is refused without it, as before. An
answer nobody asked for, a second answer, or one with a wrong code changes
nothing."""

import html
from harness import check, expect_status, test
from test_casework import consent, consents, day, db_rows, errors_of, named_fields, new_case, pair, post, section, work


NEEDS_CONSENT = "Voor dit gesprek is eerst toestemming van de melder nodig."


def mailbox(env, code, fields=None, status=200, what="the mailbox"):
    c = env.client()
    r = c.get("/mijn-melding")
    pairs = [("csrf", r.page.csrf("/mijn-melding")), ("code", code)] + list((fields or {}).items())
    r = c.post("/mijn-melding", pairs)
    expect_status(r, status, what)
    return r


def ask(c, cid, step):
    r = post(c, cid, "toestemming", {"step": step, "given": "ask"})
    check(r.status == 303, "asking for consent to %s: %d%s" % (step, r.status, errors_of(r)))


def records(env, cid):
    return db_rows(env, "SELECT step, given, how, by FROM consents WHERE case_id = ? ORDER BY id", (cid,))


@test("mailbox_status_and_timeline")
def _(env):
    a, _ = pair(env)
    cid, code = new_case(env, a)
    r = mailbox(env, code)
    status = section(r.text, "status")
    check("Nieuw." in status, "a new report's mailbox does not say it is new: %s" % status[:300])
    check("Je melding is verstuurd" in r.text, "the timeline does not show the report")
    expect_status(a["c"].get("/dossiers/%d" % cid), 200, "the counsellor opening the case")
    post(a["c"], cid, "fase", {"from": "new", "to": "intake"})
    r = mailbox(env, code)
    check("In gesprek" in section(r.text, "status"), "a case in intake is not 'in conversation' to its reporter")
    check("De vertrouwenspersoon las je melding" in r.text, "the timeline does not show it was read")


@test("mailbox_consent_asked_given_withdrawn")
def _(env):
    a, _ = pair(env)
    cid, code = new_case(env, a)
    # nothing asked: nothing to answer, nothing stored
    r = mailbox(env, code, {"consent_step": "mediation", "consent": "yes"}, status=400, what="an unasked answer")
    check("Dit kon niet" in r.text, "an unasked answer is not explained")
    for bad in ({"consent_step": "mediation", "consent": "misschien"},
                {"consent_step": "zzgeen", "consent": "yes"}):
        mailbox(env, code, bad, status=400, what="a consent answer %s" % bad)
    check(records(env, cid) == [], "a refused answer stored a consent")
    ask(a["c"], cid, "mediation")
    check(records(env, cid) == [("mediation", 2, "mailbox", a["id"])], "the question is not stored")
    check(("Bemiddeling", "Gevraagd, wacht op antwoord") == consents(work(a["c"], cid))[0][:2],
          "the counsellor does not see the question waiting: %s" % consents(work(a["c"], cid)))
    # asked is not given: the step needing it is still refused
    r = post(a["c"], cid, "gesprek", {"on_date": day(), "way": "phone", "with_whom": "mediator", "minutes": "30"})
    expect_status(r, 400, "a conversation with a mediator while the question waits")
    check(NEEDS_CONSENT in html.unescape(r.text), "the refusal does not say consent is needed%s" % errors_of(r))
    # the reporter sees the question and answers it; a wrong code does nothing
    r = mailbox(env, code)
    check("Mag er een bemiddelaar bij komen?" in section(r.text, "toestemming"), "the mailbox does not ask")
    r = mailbox(env, code[:-2] + ("00" if code[-2:] != "00" else "11"), {"consent_step": "mediation",
                                                                         "consent": "yes"},
                status=400, what="an answer with a wrong code")
    check(len(records(env, cid)) == 1, "an answer with a wrong code was stored")
    r = mailbox(env, code, {"consent_step": "mediation", "consent": "yes"})
    check("Je antwoord is bewaard" in r.text and "Je gaf toestemming op" in section(r.text, "toestemming"),
          "the answer is not confirmed")
    check(records(env, cid)[-1] == ("mediation", 1, "mailbox", 0), "the answer is not stored as the reporter's")
    mailbox(env, code, {"consent_step": "mediation", "consent": "yes"}, status=400, what="answering twice")
    check(consents(work(a["c"], cid))[0][:2] == ("Bemiddeling", "Toestemming gegeven"),
          "the counsellor does not see the consent")
    # now the step is possible; then the reporter withdraws, and it is not
    r = post(a["c"], cid, "gesprek", {"on_date": day(), "way": "phone", "with_whom": "mediator", "minutes": "30"})
    check(r.status == 303, "a conversation with a mediator after consent: %d%s" % (r.status, errors_of(r)))
    r = mailbox(env, code, {"consent_step": "mediation", "consent": "no"})
    check("geen toestemming" in section(r.text, "toestemming"), "the withdrawal is not shown")
    check(records(env, cid)[-1] == ("mediation", 0, "mailbox", 0), "the withdrawal is not stored")
    r = post(a["c"], cid, "gesprek", {"on_date": day(), "way": "phone", "with_whom": "mediator", "minutes": "30"})
    expect_status(r, 400, "a conversation with a mediator after the withdrawal")
    check(NEEDS_CONSENT in html.unescape(r.text), "the refusal does not say consent is needed%s" % errors_of(r))
    mailbox(env, code, {"consent_step": "mediation", "consent": "no"}, status=400, what="withdrawing twice")
    # another reporter's code cannot answer this case's question
    ask(a["c"], cid, "inform_manager")
    _, other = new_case(env, a)
    mailbox(env, other, {"consent_step": "inform_manager", "consent": "yes"}, status=400,
            what="another case's code answering")
    check(records(env, cid)[-1][:2] == ("inform_manager", 2), "another case's code answered this one")


@test("mailbox_withdraw_report")
def _(env):
    a, _ = pair(env)
    cid, code = new_case(env, a)
    state = lambda: db_rows(env, "SELECT c.phase, coalesce(w.outcome, '') FROM cases c LEFT JOIN case_work w"
                                 " ON w.case_id = c.id WHERE c.id = ?", (cid,))[0]
    # a consent in force and a question still open end with the report
    ask(a["c"], cid, "forward_committee")
    mailbox(env, code, {"consent_step": "forward_committee", "consent": "yes"})
    ask(a["c"], cid, "mediation")
    before = state()
    r = mailbox(env, code, {"withdraw": "1"}, status=400, what="withdrawing without ticking")
    check("Vink eerst aan" in r.text, "withdrawing without ticking is not explained")
    check(state() == before, "an unticked withdrawal changed the case")
    r = mailbox(env, code, {"withdraw": "1", "sure": "yes"})
    check("Je melding is ingetrokken" in r.text, "the withdrawal is not confirmed")
    check(state() == ("closed", "stopped_by_reporter"), "the case is not closed as stopped by the reporter: %s"
          % (state(),))
    check("Afgesloten" in section(r.text, "status"), "the mailbox does not say the report is closed")
    check('name="withdraw"' not in r.text, "a withdrawn report still offers withdrawal")
    latest = {}
    for step, given, _, _ in records(env, cid):
        latest[step] = given
    check(latest == {"forward_committee": 0, "mediation": 0}, "consents outlive the withdrawal: %s" % latest)
    mailbox(env, code, {"consent_step": "mediation", "consent": "yes"}, status=400,
            what="answering a question after the withdrawal")
    r = mailbox(env, code, {"withdraw": "1", "sure": "yes"}, status=400, what="withdrawing twice")
    check("al afgesloten" in r.text, "a second withdrawal is not explained")
    r = a["c"].get("/dossiers/%d" % cid)
    check("De melder trok de melding in" in r.text, "the counsellor does not see the withdrawal")
    check(db_rows(env, "SELECT count(*) FROM audit_log WHERE action = 'case.withdraw' AND object_id = ?",
                  (cid,))[0][0] == 1, "the withdrawal is not audited once")


@test("mailbox_timeline_shows_forwarding")
def _(env):
    a, _ = pair(env)
    mark = env.unique("zqmfwd")
    cid, code = new_case(env, a, **named_fields(env, mark))
    check("klachtencommissie" not in section(mailbox(env, code).text, "status"), "forwarded before it was")
    consent(a["c"], cid, "forward_committee")
    r = post(a["c"], cid, "klacht", {"share_account": "yes", "summary": "Samenvatting " + mark})
    check(r.status == 303, "forwarding: %d%s" % (r.status, errors_of(r)))
    r = mailbox(env, code)
    check("Je melding ging met jouw toestemming als klacht naar de klachtencommissie" in r.text,
          "the reporter's timeline does not show the forwarding")
    check("Doorgestuurd naar de klachtencommissie" in a["c"].get("/dossiers/%d" % cid).text,
          "the counsellor's conversation does not show the forwarding")


@test("mailbox_withdraw_leaves_a_finished_case_alone")
def _(env):
    a, _ = pair(env)
    cid, code = new_case(env, a)
    expect_status(a["c"].get("/dossiers/%d" % cid), 200, "opening the case")
    r = post(a["c"], cid, "uitkomst", {"route": "talk_with_counsellor", "outcome": "solved_informally"})
    check(r.status == 303, "the counsellor's outcome: %d%s" % (r.status, errors_of(r)))
    r = post(a["c"], cid, "fase", {"from": "new", "to": "closed"})
    check(r.status == 303, "closing the case: %d%s" % (r.status, errors_of(r)))
    r = mailbox(env, code)
    check('name="withdraw"' not in r.text, "a closed case offers withdrawal")
    r = mailbox(env, code, {"withdraw": "1", "sure": "yes"}, status=400, what="withdrawing a closed case")
    check("al afgesloten" in r.text, "withdrawing a closed case is not explained")
    check(db_rows(env, "SELECT outcome FROM case_work WHERE case_id = ?", (cid,))[0][0] == "solved_informally",
          "withdrawing a closed case changed its outcome")
    # reopened, it can be withdrawn again
    r = post(a["c"], cid, "fase", {"from": "closed", "to": "consultation"})
    check(r.status == 303, "reopening: %d%s" % (r.status, errors_of(r)))
    r = mailbox(env, code, {"withdraw": "1", "sure": "yes"})
    check("Je melding is ingetrokken" in r.text, "a reopened case cannot be withdrawn")

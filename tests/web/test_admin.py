"""The administrator's pages: units, accounts (with counsellor profiles and
password resets) and the organisation's documents."""

import datetime
import html
import os
import re
import time

from client import SEEN_SECRETS
from harness import (ACTIVATION_RE, check, eventually, expect_redirect, expect_status, secret_text,
                     test)


def unit_form(env, uid):
    r = env.admin.get("/beheer/eenheden/%d" % uid)
    expect_status(r, 200, "GET /beheer/eenheden/%d" % uid)
    return r.page


def unit_parent(env, uid):
    opts = unit_form(env, uid).select_options("/beheer/eenheden/%d" % uid, "parent")
    sel = [v for v, s, _ in opts if s]
    return sel[0] if sel else ""


# ---- units -------------------------------------------------------------------

@test("admin_home")
def _(env):
    r = env.admin.get("/beheer")
    expect_status(r, 200, "GET /beheer")
    for href in ("/beheer/eenheden", "/beheer/accounts", "/beheer/documenten"):
        check(href in r.page.links, "/beheer has no link to %s" % href)
    r = env.admin.get("/start")
    for href in ("/beheer/eenheden", "/beheer/accounts", "/beheer/documenten"):
        check(href in r.page.links, "the administrator's /start has no link to %s" % href)


@test("units_list")
def _(env):
    r = env.admin.get("/beheer/eenheden")
    expect_status(r, 200, "GET /beheer/eenheden")
    units = env.units_table()
    for name in ("Landelijk", "Provincie Utrecht", "Provincie Gelderland", "Tweede Kamerfractie",
                 "Jongerenorganisatie"):
        check(name in units, "the unit list lacks %s" % name)
    check({"csrf", "name", "kind", "parent"} <= r.page.field_names("/beheer/eenheden"),
          "the add-unit form lacks fields")
    kinds = {v for v, _, _ in r.page.select_options("/beheer/eenheden", "kind")}
    check(kinds == {"national", "province", "group", "youth", "other"}, "unit kinds offered: %s" % sorted(kinds))


@test("unit_add")
def _(env):
    name = env.unique("Afdeling <&> ")
    parent = env.unit_id("Provincie Utrecht")
    r = env.admin.submit("/beheer/eenheden", "/beheer/eenheden",
                         {"name": name, "kind": "other", "parent": str(parent)})
    expect_redirect(r, "/beheer/eenheden?klaar=1", "adding a unit")
    r = env.admin.get("/beheer/eenheden?klaar=1")
    check(r.page.classed("notice"), "no confirmation after adding a unit")
    check(html.escape(name) in r.text, "the new unit is not listed (escaped)")
    check(name not in r.text, "the new unit's name is not escaped")
    uid = env.unit_id(name)
    check(unit_parent(env, uid) == str(parent), "the new unit's parent is not Provincie Utrecht")
    # The public directory offers it at once (the page cache is invalidated).
    ok = eventually(lambda: any(v == str(uid) for v, _, _ in
                                env.client().get("/vertrouwenspersonen").page.select_options("/vertrouwenspersonen", "eenheid")))
    check(ok, "the public directory does not offer the new unit within 1.5 s")
    r = env.client().get("/vertrouwenspersonen?eenheid=%d" % uid)
    expect_status(r, 200, "the directory filtered on the new unit")
    check(html.escape(name) in r.text and name not in r.text, "the unit name is not escaped in the directory")


@test("unit_add_invalid")
def _(env):
    adm = env.admin
    before = env.units_table()
    r = adm.submit("/beheer/eenheden", "/beheer/eenheden", {"name": "", "kind": "youth"})
    expect_status(r, 400, "a unit without a name")
    check(r.page.classed("errors"), "a unit without a name shows no error")
    opts = r.page.select_options("/beheer/eenheden", "kind")
    check([v for v, s, _ in opts if s] == ["youth"], "the chosen kind is not kept")
    long_name = "L" * 101 + env.unique("x")
    r = adm.submit("/beheer/eenheden", "/beheer/eenheden", {"name": long_name, "kind": "other"})
    expect_status(r, 400, "a unit name over 100 characters")
    check(r.page.field("/beheer/eenheden", "name") == long_name, "the typed name is not kept")
    check(r.page.classed("errors"), "a too long name shows no error")
    bad = env.unique("zzbadunit")
    for what, fields in (("a bad kind", {"kind": "planet"}), ("no kind", {"kind": ""}),
                         ("a parent that does not exist", {"parent": "999999"}),
                         ("a parent that is not a number", {"parent": "abc"}),
                         ("a negative parent", {"parent": "-1"}),
                         ("a tab in the name", {"name": bad + "\tx"})):
        f = {"name": bad, "kind": "other", "parent": ""}
        f.update(fields)
        r = adm.submit("/beheer/eenheden", "/beheer/eenheden", f)
        expect_status(r, 400, "a unit with %s" % what)
        check(r.page.classed("errors"), "a unit with %s shows no error" % what)
    after = env.units_table()
    check(after == before, "refused units were created: %s" % sorted(set(after) - set(before)))


@test("unit_edit")
def _(env):
    adm = env.admin
    name = env.unique("Te hernoemen ")
    uid = env.create_unit(name, "other", env.unit_id("Landelijk"))
    p = unit_form(env, uid)
    check({"csrf", "name", "kind", "parent"} <= p.field_names("/beheer/eenheden/%d" % uid), "the unit form lacks fields")
    check(p.field("/beheer/eenheden/%d" % uid, "name") == name, "the unit form does not show the name")
    check(p.form("/beheer/eenheden/%d/verwijderen" % uid) is not None, "the unit form has no delete form")
    new = env.unique("Hernoemd ")
    gelderland = env.unit_id("Provincie Gelderland")
    r = adm.submit("/beheer/eenheden/%d" % uid, "/beheer/eenheden/%d" % uid,
                   {"name": new, "kind": "province", "parent": str(gelderland)})
    expect_redirect(r, "/beheer/eenheden?klaar=1", "editing a unit")
    units = env.units_table()
    check(new in units and name not in units, "the unit was not renamed")
    check(unit_parent(env, uid) == str(gelderland), "the unit did not move to Gelderland")
    r = adm.submit("/beheer/eenheden/%d" % uid, "/beheer/eenheden/%d" % uid, {"name": ""})
    expect_status(r, 400, "editing a unit to an empty name")
    check(r.page.classed("errors"), "an empty name shows no error")
    check(new in env.units_table(), "a refused edit renamed the unit")


@test("unit_edit_cycle")
def _(env):
    adm = env.admin
    a = env.create_unit(env.unique("Ouder "), "other", env.unit_id("Landelijk"))
    b = env.create_unit(env.unique("Kind "), "other", a)
    c = env.create_unit(env.unique("Kleinkind "), "other", b)
    p = unit_form(env, a)
    offered = {v for v, _, _ in p.select_options("/beheer/eenheden/%d" % a, "parent")}
    check(str(b) not in offered and str(c) not in offered and str(a) not in offered,
          "the parent list offers the unit itself or its descendants")
    for target in (a, b, c):
        r = adm.submit("/beheer/eenheden/%d" % a, "/beheer/eenheden/%d" % a, {"parent": str(target)})
        expect_status(r, 400, "making a unit a child of %s" % ("itself" if target == a else "its descendant"))
        check(r.page.classed("errors"), "a cycle shows no error")
    check(unit_parent(env, a) == str(env.unit_id("Landelijk")), "a refused move changed the parent")
    r = adm.submit("/beheer/eenheden/%d" % a, "/beheer/eenheden/%d" % a, {"parent": "999999"})
    expect_status(r, 400, "moving a unit under one that does not exist")


@test("unit_not_found")
def _(env):
    adm = env.admin
    expect_status(adm.get("/beheer/eenheden/999999"), 404, "GET /beheer/eenheden/999999")
    tok = adm.csrf_for("/beheer/eenheden", "/beheer/eenheden")
    r = adm.post("/beheer/eenheden/999999", {"csrf": tok, "name": "x", "kind": "other", "parent": ""})
    expect_status(r, 404, "POST /beheer/eenheden/999999")
    r = adm.post("/beheer/eenheden/999999/verwijderen", {"csrf": tok})
    expect_status(r, 404, "deleting unit 999999")
    expect_status(adm.get("/beheer/eenheden/0"), 404, "GET /beheer/eenheden/0")
    expect_status(adm.get("/beheer/eenheden/abc"), 404, "GET /beheer/eenheden/abc")


@test("unit_delete_in_use")
def _(env):
    adm = env.admin
    for name in ("Landelijk", "Provincie Gelderland"):  # has children / has a counsellor
        uid = env.unit_id(name)
        tok = unit_form(env, uid).csrf("/beheer/eenheden/%d/verwijderen" % uid)
        r = adm.post("/beheer/eenheden/%d/verwijderen" % uid, {"csrf": tok})
        expect_status(r, 409, "deleting %s (in use)" % name)
        check(r.page.classed("errors"), "deleting %s shows no error" % name)
        check(name in env.units_table(), "%s was deleted although in use" % name)


@test("unit_delete_empty")
def _(env):
    adm = env.admin
    name = env.unique("Weg ermee ")
    uid = env.create_unit(name, "other", env.unit_id("Landelijk"))
    tok = unit_form(env, uid).csrf("/beheer/eenheden/%d/verwijderen" % uid)
    r = adm.post("/beheer/eenheden/%d/verwijderen" % uid, {"csrf": tok})
    expect_redirect(r, "/beheer/eenheden?klaar=1", "deleting an empty unit")
    check(name not in env.units_table(), "the deleted unit is still listed")
    expect_status(adm.get("/beheer/eenheden/%d" % uid), 404, "GET a deleted unit")
    r = adm.post("/beheer/eenheden/%d/verwijderen" % uid, {"csrf": tok})
    expect_status(r, 404, "deleting it again")
    r = adm.post("/beheer/eenheden/%d/verwijderen" % uid, {})
    expect_status(r, 403, "deleting without a token")


# ---- accounts ---------------------------------------------------------------

@test("accounts_list")
def _(env):
    r = env.admin.get("/beheer/accounts")
    expect_status(r, 200, "GET /beheer/accounts")
    table = env.accounts_table()
    for role, people in env.accounts.items():
        for email, name in people:
            if role == "candidate":  # the candidate committee's business, not the administrator's
                check(email not in table and email not in r.text, "the account list names candidate %s" % email)
                continue
            check(email in table and table[email][1] == name, "the account list lacks %s" % email)
    check("/beheer/accounts/nieuw" in r.page.links, "the account list has no link to add one")
    check(r.header("Cache-Control") == "no-store", "the account list may be cached")


@test("account_create_counsellor")
def _(env):
    adm = env.admin
    r = adm.get("/beheer/accounts/nieuw")
    expect_status(r, 200, "GET /beheer/accounts/nieuw")
    check({"csrf", "name", "email", "role", "unit"} <= r.page.field_names("/beheer/accounts/nieuw"),
          "the new-account form lacks fields: %s" % sorted(r.page.field_names("/beheer/accounts/nieuw")))
    roles = {v for v, _, _ in r.page.select_options("/beheer/accounts/nieuw", "role")}
    check({"admin", "counsellor", "committee", "integrity", "reader", "candidate_committee"} <= roles,
          "roles offered: %s" % sorted(roles))
    check("candidate" not in roles, "the administrator is offered the candidate role")
    name = env.unique("Nieuwe <i>Vertrouwenspersoon</i> ")
    email = env.unique("nieuw-vp-") + "@example.org"
    utrecht = env.unit_id("Provincie Utrecht")
    r = adm.submit("/beheer/accounts/nieuw", "/beheer/accounts/nieuw",
                   {"name": name, "email": email, "role": "counsellor", "unit": [str(utrecht)]}, keep=False)
    expect_status(r, 200, "creating a counsellor")
    pw = secret_text(r.page)
    check(pw is not None and ACTIVATION_RE.match(pw), "no activation password in .secret: %r" % pw)
    env.activation_passwords.add(pw)
    check(r.header("Cache-Control") == "no-store", "the activation page may be cached: %r" % r.header("Cache-Control"))
    check(name in r.page.text and email in r.page.text, "the activation page does not say for whom")
    table = env.accounts_table()
    check(email in table, "the new account is not listed")
    uid = table[email][0]
    check(pw not in adm.get("/beheer/accounts/%d" % uid).text, "the account page shows the activation password again")
    check(pw not in adm.get("/beheer/accounts").text, "the account list shows the activation password")
    ok = eventually(lambda: name in env.client().get("/vertrouwenspersonen").page.text)
    check(ok, "the new counsellor is not in the public directory within 1.5 s")
    r = env.client().get("/vertrouwenspersonen/%d" % uid)
    expect_status(r, 200, "the new counsellor's public page")
    check(html.escape(name) in r.text and "<i>Vertrouwenspersoon" not in r.text,
          "the counsellor's name is not escaped on the public page")
    r = env.client().get("/vertrouwenspersonen?eenheid=%d" % utrecht)
    check(name in r.page.text, "the new counsellor is not listed for Utrecht")


@test("account_create_invalid")
def _(env):
    adm = env.admin
    before = env.accounts_table()
    name = env.unique("Fout ")
    cases = [
        ("a duplicate e-mail", {"email": env.email("reader")}),
        ("a bad e-mail", {"email": "geen-adres"}),
        ("an e-mail with two @", {"email": "a@b@example.org"}),
        ("an unknown unit", {"unit": ["999999"]}),
        ("a unit that is not a number", {"unit": ["abc"]}),
        ("no name", {"name": ""}),
        ("a bad role", {"role": "superuser"}),
        ("no role", {"role": ""}),
    ]
    for what, fields in cases:
        f = {"name": name, "email": env.unique("fout-") + "@example.org", "role": "reader", "unit": []}
        f.update(fields)
        r = adm.submit("/beheer/accounts/nieuw", "/beheer/accounts/nieuw", f, keep=False)
        expect_status(r, 400, "creating an account with %s" % what)
        check(r.page.classed("errors"), "%s shows no error" % what)
        check(not secret_text(r.page), "%s still shows an activation password" % what)
        if f["name"]:
            check(r.page.field("/beheer/accounts/nieuw", "name") == f["name"], "%s: the typed name is not kept" % what)
    after = env.accounts_table()
    check(after == before, "refused accounts were created: %s" % sorted(set(after) - set(before)))


@test("account_edit")
def _(env):
    adm = env.admin
    uid, email, name, pw = env.create_account("reader", units=[env.unit_id("Landelijk")])
    path = "/beheer/accounts/%d" % uid
    r = adm.get(path)
    expect_status(r, 200, "GET " + path)
    check(r.page.field(path, "name") == name and r.page.field(path, "email") == email, "the account form does not show the account")
    check(r.page.form(path + "/wachtwoord") is not None, "the account page has no reset form")
    new_name = env.unique("Hernoemd Account ")
    gelderland, jong = env.unit_id("Provincie Gelderland"), env.unit_id("Jongerenorganisatie")
    r = adm.submit(path, path, {"name": new_name, "unit": [str(gelderland), str(jong)], "active": "1"})
    expect_redirect(r, path + "?klaar=1", "editing an account")
    r = adm.get(path + "?klaar=1")
    check(r.page.field(path, "name") == new_name, "the account was not renamed")
    checked = {v for n, v, _ in r.page.form(path)["fields"] if n == "unit"}
    check(checked == {str(gelderland), str(jong)}, "the account's units are %s" % sorted(checked))
    check(env.accounts_table()[email][1] == new_name, "the account list shows the old name")
    # A duplicate e-mail is refused.
    r = adm.submit(path, path, {"email": env.email("committee"), "active": "1"})
    expect_status(r, 400, "changing an account's e-mail to one in use")
    check(env.accounts_table()[email][0] == uid, "a refused e-mail change changed the account")


@test("account_deactivate")
def _(env):
    adm = env.admin
    uid, email, name, pw = env.create_account("reader")
    user, _ = env.login(email, pw)
    expect_status(user.get("/wachtwoord"), 200, "the new account's session")
    path = "/beheer/accounts/%d" % uid
    page = adm.get(path).page
    fields = [(n, v) for n, v, _ in page.form(path)["fields"] if n != "active"]
    r = adm.post(path, fields)
    expect_redirect(r, path + "?klaar=1", "deactivating an account")
    r = adm.get(path)
    check("active" not in {n for n, _, _ in r.page.form(path)["fields"]}, "the account still shows as active")
    r = user.get("/wachtwoord")
    check(r.status == 303 and r.location_path == "/login", "a deactivated account's session still works (%d)" % r.status)
    r = env.client().login(email, pw)
    expect_status(r, 401, "logging in to a deactivated account")
    # Reactivate: the account can log in again.
    r = adm.post(path, fields + [("active", "1")])
    expect_redirect(r, path + "?klaar=1", "reactivating an account")
    r = env.client().login(email, pw)
    expect_redirect(r, "/wachtwoord", "logging in after reactivation")


@test("role_change_applies_at_once")
def _(env):
    adm = env.admin
    uid, email, name, pw = env.create_account("counsellor", units=[env.unit_id("Landelijk")])
    user, _ = env.activate(email, pw)
    expect_status(user.get("/profiel"), 200, "/profiel for the new counsellor")
    public = env.client()
    check(eventually(lambda: public.get("/vertrouwenspersonen/%d" % uid).status == 200),
          "the new counsellor has no public page")
    path = "/beheer/accounts/%d" % uid
    r = adm.submit(path, path, {"role": "reader"})
    expect_redirect(r, path + "?klaar=1", "changing a counsellor into a reader")
    expect_status(user.get("/profiel"), 403, "/profiel in the same session after the role change")
    expect_status(user.get("/start"), 200, "/start after the role change")
    check(eventually(lambda: public.get("/vertrouwenspersonen/%d" % uid).status == 404),
          "a former counsellor's public page is still there after 1.5 s")
    check(eventually(lambda: name not in public.get("/vertrouwenspersonen").page.text),
          "a former counsellor is still in the directory after 1.5 s")
    r = adm.submit(path, path, {"role": "admin"})
    expect_redirect(r, path + "?klaar=1", "making the account an administrator")
    expect_status(user.get("/beheer"), 200, "/beheer in the same session after becoming admin")
    r = adm.submit(path, path, {"role": "reader"})
    expect_redirect(r, path + "?klaar=1", "taking the admin role back")
    expect_status(user.get("/beheer"), 403, "/beheer after the admin role was taken back")


@test("admin_cannot_lock_self_out")
def _(env):
    adm = env.admin
    aid = env.user_id(env.email("admin"))
    path = "/beheer/accounts/%d" % aid
    r = adm.get(path)
    check(r.page.form(path + "/wachtwoord") is None, "the administrator's own page offers a password reset")
    r = adm.submit(path, path, {"role": "reader"})
    expect_status(r, 400, "the administrator removing their own admin role")
    check(r.page.classed("errors"), "removing one's own admin role shows no error")
    page = adm.get(path).page
    fields = [(n, v) for n, v, _ in page.form(path)["fields"] if n != "active"]
    r = adm.post(path, fields)
    expect_status(r, 400, "the administrator deactivating themselves")
    expect_status(adm.get("/beheer"), 200, "the administrator after the refused changes")
    roles = [v for v, s, _ in adm.get(path).page.select_options(path, "role") if s]
    check(roles == ["admin"], "the administrator's role is now %s" % roles)


@test("account_password_reset")
def _(env):
    adm = env.admin
    uid, email, name, pw = env.create_account("committee")
    user, new_pw = env.activate(email, pw)
    expect_status(user.get("/start"), 200, "the account's session before the reset")
    path = "/beheer/accounts/%d" % uid
    r = adm.submit(path, path + "/wachtwoord", {})
    expect_status(r, 200, "resetting a password")
    reset = secret_text(r.page)
    check(reset and ACTIVATION_RE.match(reset), "no new activation password in .secret: %r" % reset)
    env.activation_passwords.add(reset)
    check(reset != pw, "the reset gave the old activation password again")
    check(r.header("Cache-Control") == "no-store", "the reset page may be cached")
    r = user.get("/start")
    check(r.status == 303 and r.location_path == "/login", "the session survived a password reset (%d)" % r.status)
    r = env.client().login(email, new_pw)
    expect_status(r, 401, "logging in with the password from before the reset")
    c = env.client()
    r = c.login(email, reset)
    expect_redirect(r, "/wachtwoord", "logging in with the reset password")
    expect_redirect(c.get("/start"), "/wachtwoord", "GET /start before changing the reset password")
    # The reset password does not open the account's keys: the form asks for
    # the recovery key, refuses a wrong one, and keeps the keys with the right one.
    page = c.get("/wachtwoord")
    check(page.page.form("/wachtwoord") and 'name="recovery"' in page.text and 'name="new_keys"' in page.text,
          "the password form after a reset does not ask for the recovery key")
    newer = "Na-reset-" + os.urandom(6).hex()
    SEEN_SECRETS.add(newer)
    fields = {"old": reset, "new": newer, "again": newer}
    r = c.submit("/wachtwoord", "/wachtwoord", fields)
    expect_status(r, 400, "a change after a reset without the recovery key")
    r = c.submit("/wachtwoord", "/wachtwoord", dict(fields, recovery="00000-00000-00000-00000-00000"))
    expect_status(r, 400, "a change after a reset with a wrong recovery key")
    key = env.public_key(uid)
    r = c.submit("/wachtwoord", "/wachtwoord", dict(fields, recovery=env.recovery_keys[email].lower()))
    expect_redirect(r, "/wachtwoord?klaar=1", "a change after a reset with the recovery key")
    check(env.public_key(uid) == key, "the recovery key did not keep the key pair")
    expect_status(c.get("/start"), 200, "GET /start after the change")


@test("account_not_found")
def _(env):
    adm = env.admin
    tok = adm.csrf_for("/beheer/accounts/nieuw", "/beheer/accounts/nieuw")
    expect_status(adm.get("/beheer/accounts/999999"), 404, "GET /beheer/accounts/999999")
    for path in ("/beheer/accounts/999999", "/beheer/accounts/999999/wachtwoord", "/beheer/accounts/999999/profiel"):
        r = adm.post(path, {"csrf": tok, "name": "x", "email": "x@example.org", "role": "reader"})
        expect_status(r, 404, "POST " + path)
    # A profile only exists for counsellors.
    rid = env.user_id(env.email("reader"))
    r = adm.post("/beheer/accounts/%d/profiel" % rid, {"csrf": tok, "intro": "x"})
    expect_status(r, 404, "POST a profile for a reader")


@test("account_profile_by_admin")
def _(env):
    adm = env.admin
    name = env.name("counsellor", 6)
    cid = env.user_id(env.email("counsellor", 6))
    path = "/beheer/accounts/%d" % cid
    r = adm.get(path)
    expect_status(r, 200, "GET " + path)
    check(r.page.form(path + "/profiel") is not None, "a counsellor's account page has no profile form")
    public = env.client()
    expect_status(public.get("/vertrouwenspersonen/%d" % cid), 200, "the public profile before")
    intro = "Door beheer aangepast " + env.unique("zzadmin")
    r = adm.submit(path, path + "/profiel", {"intro": intro, "phone": "085 000 9999"})
    expect_redirect(r, path + "?klaar=1", "saving a counsellor's profile as administrator")
    ok = eventually(lambda: intro in public.get("/vertrouwenspersonen/%d" % cid).page.text)
    check(ok, "the public profile does not show the administrator's change within 1.5 s")
    check(name in public.get("/vertrouwenspersonen/%d" % cid).page.text, "the profile lost the name")
    r = adm.submit(path, path + "/profiel", {"public_email": "geen adres"})
    expect_status(r, 400, "a profile with a bad e-mail (administrator)")
    check(r.page.classed("errors"), "a bad profile shows no error")
    check(intro in public.get("/vertrouwenspersonen/%d" % cid).page.text, "a refused profile changed the public page")


# ---- documents ----------------------------------------------------------------

DOC_KINDS = {"code_of_conduct": "gedragscode", "complaints_regulation": "klachtenregeling",
             "whistleblower_regulation": "klokkenluidersregeling", "integrity_policy": "integriteitsbeleid"}
DOC_FIELDS = {"csrf", "unit", "adopted_by", "adopted_on", "body_nl", "body_en"}


@test("documents_list")
def _(env):
    r = env.admin.get("/beheer/documenten")
    expect_status(r, 200, "GET /beheer/documenten")
    for kind, slug in DOC_KINDS.items():
        check("/beheer/documenten/" + kind in r.page.links, "no link to %s" % kind)
        p = env.admin.get("/beheer/documenten/" + kind)
        expect_status(p, 200, "GET /beheer/documenten/" + kind)
        check(DOC_FIELDS <= p.page.field_names("/beheer/documenten/" + kind), "%s lacks a field" % kind)
        check("/documenten/" + slug in p.page.links, "%s does not link to its public page" % kind)
        # the form starts from the text in force
        check(len(p.page.field("/beheer/documenten/" + kind, "body_nl")) > 100, "%s: the form is empty" % kind)


def adopt(env, kind, body_nl, body_en="", adopted_by="Het partijbestuur", day=None, unit="0"):
    day = day or datetime.date.today().isoformat()
    return env.admin.submit("/beheer/documenten/" + kind, "/beheer/documenten/" + kind,
                            {"body_nl": body_nl, "body_en": body_en, "adopted_by": adopted_by,
                             "adopted_on": day, "unit": unit})


def version_links(page, slug):
    return sorted(int(m) for m in re.findall(r'/documenten/%s/versies/(\d+)' % slug, " ".join(page.page.links)))


@test("document_versions_kept")
def _(env):
    public = env.client()
    mark = env.unique("zzdoc")
    body = "# Kop %s\n\nEen alinea met <script>alert(1)</script> & <b>vet</b>.\n\n- punt een\n- punt twee\n" % mark
    old = public.get("/documenten/gedragscode")
    expect_status(old, 200, "GET /documenten/gedragscode")
    r = adopt(env, "code_of_conduct", body, adopted_by="Het partijbestuur " + mark, day="2026-01-15")
    expect_redirect(r, "/beheer/documenten/code_of_conduct?klaar=1", "adopting a code of conduct")
    check(eventually(lambda: mark in public.get("/documenten/gedragscode").text),
          "the public code of conduct does not change within 1.5 s")
    page = public.get("/documenten/gedragscode")
    t = page.text
    check("<h2>Kop %s</h2>" % mark in t, "the heading is not an <h2>")
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in t, "the script tag is not shown escaped")
    check("<script" not in t and "<b>vet" not in t, "the document's markup reaches the page")
    check("<li>punt een</li>" in t, "the list is not a list")
    check("Het partijbestuur %s" % mark in t and "15-01-2026" in t, "the page does not say who adopted it and when")
    # the history links every earlier version, and an earlier one reads as it was
    links = version_links(page, "gedragscode")
    check(len(links) >= 1, "the page lists no earlier versions")
    first = public.get("/documenten/gedragscode/versies/%d" % links[0])
    expect_status(first, 200, "GET an earlier version")
    check("nieuwere versie" in first.text, "the earlier version is not shown as earlier")
    check("Kop " + mark not in first.text, "the earlier version shows the new text")
    # another kind's address does not show this kind's version
    expect_status(public.get("/documenten/klachtenregeling/versies/%d" % links[0]), 404,
                  "a code of conduct version under the complaints regulation's address")
    expect_status(public.get("/documenten/gedragscode/versies/999999"), 404, "an unknown version")
    # English: not translated, so the Dutch text with a note, in Dutch
    en = env.client()
    en.cookies["vd_lang"] = "en"
    t = en.get("/documenten/gedragscode").text
    check(mark in t and "not been translated" in t and 'lang="nl"' in t, "the English page does not show the Dutch text marked as Dutch")
    check(mark not in public.get("/documenten/klachtenregeling").text, "another document changed")


@test("document_per_language")
def _(env):
    mark = env.unique("zzengels")
    r = adopt(env, "complaints_regulation", "# Klachten %s-nl\n\nTekst.\n" % mark, "# Complaints %s\n\nText.\n" % mark)
    expect_redirect(r, "/beheer/documenten/complaints_regulation?klaar=1", "adopting the complaints regulation")
    en, nl = env.client(), env.client()
    en.cookies["vd_lang"] = "en"
    check(eventually(lambda: "Complaints " + mark in en.get("/documenten/klachtenregeling").text),
          "the English page does not show the English text within 1.5 s")
    t = nl.get("/documenten/klachtenregeling").text
    check("Complaints " + mark not in t and mark + "-nl" in t, "the Dutch page does not show the Dutch text")


@test("document_of_a_unit")
def _(env):
    mark = env.unique("zzeigen")
    unit = str(env.create_unit("Afdeling " + mark))
    r = adopt(env, "integrity_policy", "# Eigen beleid %s\n" % mark, unit=unit)
    expect_redirect(r, "/beheer/documenten/integrity_policy?klaar=1", "adopting a unit's own policy")
    public = env.client()
    page = public.get("/documenten/integriteitsbeleid")
    check("Eigen beleid " + mark not in page.text, "a unit's own version replaced the organisation's")
    check(eventually(lambda: version_links(public.get("/documenten/integriteitsbeleid"), "integriteitsbeleid")),
          "the organisation's page does not link the unit's own version")
    links = version_links(public.get("/documenten/integriteitsbeleid"), "integriteitsbeleid")
    check(any("Eigen beleid " + mark in public.get("/documenten/integriteitsbeleid/versies/%d" % i).text for i in links),
          "the unit's own version is not readable")


@test("document_too_big")
def _(env):
    public = env.client()
    mark = env.unique("zzbig")
    r = adopt(env, "whistleblower_regulation", "# Regeling %s\n" % mark)
    expect_redirect(r, "/beheer/documenten/whistleblower_regulation?klaar=1", "adopting a small document")
    check(eventually(lambda: mark in public.get("/documenten/klokkenluidersregeling").text),
          "the small document is not shown")
    big = ("a" * 99 + "\n") * (200 * 1024 // 100) + "b"  # 200 KiB + 1 byte
    check(len(big.encode()) == 200 * 1024 + 1, "internal: wrong size")
    r = adopt(env, "whistleblower_regulation", big)
    expect_status(r, 400, "a document of 200 KiB + 1 byte")
    check(r.page.classed("errors") and "200 kB" in r.text, "a too big document shows no error")
    time.sleep(0.2)
    check(mark in public.get("/documenten/klokkenluidersregeling").text, "a refused document replaced the old one")
    exact = big[:-2] + "\n"  # 200 KiB exactly
    r = adopt(env, "whistleblower_regulation", exact)
    expect_redirect(r, "/beheer/documenten/whistleblower_regulation?klaar=1", "a document of exactly 200 KiB")
    r = adopt(env, "whistleblower_regulation", "# Regeling\n")
    expect_redirect(r, "/beheer/documenten/whistleblower_regulation?klaar=1", "adopting a small document again")


@test("document_invalid")
def _(env):
    adm = env.admin
    path = "/beheer/documenten/code_of_conduct"
    tok = adm.csrf_for(path, path)
    for slug in ("onbekend", "code_of_conduct-nl", "Code_of_conduct", ".code_of_conduct", "gedragscode"):
        expect_status(adm.get("/beheer/documenten/" + slug), 404, "GET /beheer/documenten/" + slug)
        r = adm.post("/beheer/documenten/" + slug, {"csrf": tok, "body_nl": "x"})
        expect_status(r, 404, "POST /beheer/documenten/" + slug)
    before = env.client().get("/documenten/gedragscode").text
    today = datetime.date.today()
    good = {"csrf": tok, "unit": "0", "adopted_by": "Bestuur", "adopted_on": today.isoformat(), "body_nl": "x"}
    for what, change, field in [
            ("no fields", {k: None for k in good if k != "csrf"}, "adopted_on"),
            ("no Dutch text", {"body_nl": "  "}, "body_nl"),
            # the server refuses a form with control characters before any page sees it
            ("a control character", {"body_nl": "a\x01b"}, None),
            ("a control character in English", {"body_en": "a\x01b"}, None),
            ("nobody adopted it", {"adopted_by": ""}, "adopted_by"),
            ("a long adopter", {"adopted_by": "x" * 121}, "adopted_by"),
            ("a date in the future", {"adopted_on": (today + datetime.timedelta(days=1)).isoformat()}, "adopted_on"),
            ("no date", {"adopted_on": "morgen"}, "adopted_on"),
            ("an unknown unit", {"unit": "999999"}, "unit"),
            ("a unit that is no number", {"unit": "abc"}, "unit")]:
        fields = {k: v for k, v in dict(good, **change).items() if v is not None}
        r = adm.post(path, fields)
        expect_status(r, 400, "adopting with %s" % what)
        if field:
            check(r.page.classed("errors"), "adopting with %s: no error shown" % what)
            check('href="#%s"' % field in r.text, "adopting with %s: the error does not point at %s" % (what, field))
    time.sleep(0.2)
    check(env.client().get("/documenten/gedragscode").text == before, "a refused adoption changed the page")


"""The administrator's pages: units, accounts (with counsellor profiles and
password resets) and the organisation's documents."""

import html
import os
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
    check({"admin", "counsellor", "committee", "integrity", "reader"} <= roles, "roles offered: %s" % sorted(roles))
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

DOC_SLUGS = [k + "-" + l for k in ("code_of_conduct", "complaints_regulation", "whistleblower_regulation")
             for l in ("nl", "en")]


@test("documents_list")
def _(env):
    r = env.admin.get("/beheer/documenten")
    expect_status(r, 200, "GET /beheer/documenten")
    for slug in DOC_SLUGS:
        check("/beheer/documenten/" + slug in r.page.links, "no link to edit %s" % slug)
        p = env.admin.get("/beheer/documenten/" + slug)
        expect_status(p, 200, "GET /beheer/documenten/" + slug)
        check({"csrf", "body"} <= p.page.field_names("/beheer/documenten/" + slug), "%s has no body field" % slug)


def save_document(env, slug, body):
    return env.admin.submit("/beheer/documenten/" + slug, "/beheer/documenten/" + slug, {"body": body})


@test("document_edit_escaped")
def _(env):
    public = env.client()
    before = public.get("/documenten/gedragscode")
    expect_status(before, 200, "GET /documenten/gedragscode")
    mark = env.unique("zzdoc")
    body = "# Kop %s\n\nEen alinea met <script>alert(1)</script> & <b>vet</b>.\n\n- punt een\n- punt twee\n" % mark
    r = save_document(env, "code_of_conduct-nl", body)
    expect_redirect(r, "/beheer/documenten?klaar=1", "saving the code of conduct")
    ok = eventually(lambda: mark in public.get("/documenten/gedragscode").text)
    check(ok, "the public code of conduct does not change within 1.5 s")
    t = public.get("/documenten/gedragscode").text
    check("<h2>Kop %s</h2>" % mark in t, "the heading is not an <h2>")
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in t, "the script tag is not shown escaped")
    check("<script" not in t and "<b>vet" not in t, "the document's markup reaches the page")
    check("<li>punt een</li>" in t, "the list is not a list")
    r = env.admin.get("/beheer/documenten/code_of_conduct-nl")
    check(r.page.field("/beheer/documenten/code_of_conduct-nl", "body").replace("\r\n", "\n").strip() == body.strip(),
          "the edit form does not show the saved text")
    check(mark not in env.client().get("/documenten/klachtenregeling").text, "another document changed")


@test("document_per_language")
def _(env):
    mark = env.unique("zzengels")
    r = save_document(env, "complaints_regulation-en", "# Complaints %s\n\nText.\n" % mark)
    expect_redirect(r, "/beheer/documenten?klaar=1", "saving the English complaints regulation")
    en, nl = env.client(), env.client()
    en.cookies["vd_lang"] = "en"
    check(eventually(lambda: mark in en.get("/documenten/klachtenregeling").text),
          "the English page does not show the English text within 1.5 s")
    check(mark not in nl.get("/documenten/klachtenregeling").text, "the Dutch page shows the English text")


@test("document_too_big")
def _(env):
    public = env.client()
    mark = env.unique("zzbig")
    r = save_document(env, "whistleblower_regulation-nl", "# Regeling %s\n" % mark)
    expect_redirect(r, "/beheer/documenten?klaar=1", "saving a small document")
    check(eventually(lambda: mark in public.get("/documenten/klokkenluidersregeling").text),
          "the small document is not shown")
    big = ("a" * 99 + "\n") * (200 * 1024 // 100) + "b"  # 200 KiB + 1 byte
    check(len(big.encode()) == 200 * 1024 + 1, "internal: wrong size")
    r = save_document(env, "whistleblower_regulation-nl", big)
    expect_status(r, 400, "a document of 200 KiB + 1 byte")
    check(r.page.classed("errors"), "a too big document shows no error")
    time.sleep(0.2)
    check(mark in public.get("/documenten/klokkenluidersregeling").text, "a refused document replaced the old one")
    exact = big[:-2] + "\n"  # 200 KiB exactly
    r = save_document(env, "whistleblower_regulation-nl", exact)
    expect_redirect(r, "/beheer/documenten?klaar=1", "a document of exactly 200 KiB")
    r = save_document(env, "whistleblower_regulation-nl", "# Regeling\n")
    expect_redirect(r, "/beheer/documenten?klaar=1", "saving a small document again")


@test("document_invalid")
def _(env):
    adm = env.admin
    tok = adm.csrf_for("/beheer/documenten/code_of_conduct-nl", "/beheer/documenten/code_of_conduct-nl")
    for slug in ("onbekend-nl", "code_of_conduct-de", "code_of_conduct", "code_of_conduct-", "-nl",
                 "code_of_conduct-nl-nl", "Code_of_conduct-nl", ".code_of_conduct-nl", "gedragscode"):
        expect_status(adm.get("/beheer/documenten/" + slug), 404, "GET /beheer/documenten/" + slug)
        r = adm.post("/beheer/documenten/" + slug, {"csrf": tok, "body": "x"})
        expect_status(r, 404, "POST /beheer/documenten/" + slug)
    r = adm.post("/beheer/documenten/code_of_conduct-nl", {"csrf": tok})
    expect_status(r, 400, "saving a document without a body field")
    r = adm.post("/beheer/documenten/code_of_conduct-nl", {"csrf": tok, "body": "a\x01b"})
    expect_status(r, 400, "a document with a control character")


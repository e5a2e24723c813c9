"""Files with reports and messages: the forms that take them
(multipart/form-data on /melden, /mijn-melding, /dossiers/nieuw and a case's
message and note forms), the caps and the types taken, what a refused file
leaves behind (nothing: no case, no message, no file in files/ or
files/tmp/), what is stored (encrypted only: no file name or content in the
data directory), who may download what (/dossiers/:id/bestand/:file_id for a
case's readers, /mijn-melding/bestand with the receipt code, never a note's
file), that a download is the exact bytes sent, and that a damaged file is
never served as if whole."""

import html
import os
import re
import time
import urllib.parse

import db as database
from client import SEEN_SECRETS, Client, encode_form, encode_multipart, raw_request, raw_response
from harness import (Server, case_ids, check, eventually, expect_redirect, expect_status, form_pairs, new_case_id,
                     receipt_of, report_fields, run_demo, test)
from test_messages import well_formed_code
from test_report import BRAM, CHAIMA, OTHER_ROLES, ids, staff, summary_links

MiB = 1024 * 1024
FILE_MAX = 8 * MiB
TOTAL_MAX = 20 * MiB
BODY_CAP = TOTAL_MAX + 4 * FILE_MAX // 64 + 256 * 1024  # src/web/server.c, BODY_CAP_UPLOAD

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HEADS = {"pdf": b"%PDF-1.7\n", "jpg": b"\xff\xd8\xff\xe0", "jpeg": b"\xff\xd8\xff\xdb", "png": PNG_SIGNATURE,
         "txt": b"", "docx": b"PK\x03\x04", "odt": b"PK\x03\x04"}
MEDIA = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
         "txt": "text/plain; charset=utf-8",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "odt": "application/vnd.oasis.opendocument.text"}

# po/nl.po and po/en.po
NL = {"too_many": "Je kunt hoogstens 4 bestanden tegelijk sturen. Kies er minder.",
      "too_big": "Een bestand is te groot. Elk bestand mag hoogstens 8 MB zijn, en samen hoogstens 20 MB.",
      "bad_type": "Dit soort bestand kunnen we niet aannemen, of de inhoud past niet bij de naam. "
                  "Stuur een PDF, JPG, PNG, TXT, DOCX of ODT.",
      "empty": "Een van de bestanden is leeg. Kies het goede bestand.",
      "reselect": "Je bestanden zijn nog niet bewaard. Kies ze opnieuw voordat je verstuurt.",
      "message": "Schrijf een bericht (niet leeg, niet langer dan 20.000 tekens).",
      "with_report": "Bestanden bij de melding",
      "malformed": "Dit is geen code.", "typo": "Er zit een tikfout in deze code.",
      "unknown": "Met deze code vinden we geen melding."}
EN = {"too_many": "You can send at most 4 files at once. Choose fewer.",
      "bad_type": "We cannot take this kind of file, or its content does not match its name. "
                  "Send a PDF, JPG, PNG, TXT, DOCX or ODT.",
      "empty": "One of the files is empty. Choose the right file.",
      "reselect": "Your files have not been kept yet. Choose them again before you send."}

FILE_ID_RE = re.compile(r"^[0-9a-f]{32}$")


# ---- making files -------------------------------------------------------------

def ext_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content(ext, size):
    """size bytes that pass the type check of ext: its signature, then random
    bytes (no NUL in a text file)."""
    head = HEADS[ext]
    body = os.urandom(max(0, size - len(head)))
    if ext == "txt":
        body = body.replace(b"\0", b"\n")
    return (head + body)[:size]


def upload(name, size=2000, data=None):
    """One file for the "files" input: (field, file name, bytes, content type)."""
    if data is None:
        data = content(ext_of(name), size)
    return ("files", name, data, MEDIA.get(ext_of(name), "application/octet-stream"))


EMPTY_INPUT = ("files", "", b"", "application/octet-stream")  # a file input left empty


# ---- what is stored ---------------------------------------------------------------

def files_dir(env, *sub):
    return os.path.join(env.datadir, "files", *sub)


def stored_files(env):
    return sorted(f for f in os.listdir(files_dir(env)) if f != "tmp")


def tmp_files(env):
    return sorted(os.listdir(files_dir(env, "tmp")))


def snapshot(env):
    return {"cases": env.db_count("cases"), "messages": env.db_count("messages"),
            "attachments": env.db_count("attachments"), "files/": stored_files(env)}


def check_nothing_stored(env, before, what):
    now = snapshot(env)
    for k in ("cases", "messages", "attachments"):
        check(now[k] == before[k], "%s: %d %s stored, want none" % (what, now[k] - before[k], k))
    new = sorted(set(now["files/"]) - set(before["files/"]))
    check(not new, "%s: %d new file(s) in files/: %s" % (what, len(new), new[:3]))
    check(eventually(lambda: not tmp_files(env)), "%s: files/tmp holds %s afterwards" % (what, tmp_files(env)[:3]))


def new_stored(env, before, n, what):
    """The n new files in files/ since before (a snapshot), checked."""
    new = sorted(set(stored_files(env)) - set(before["files/"]))
    check(len(new) == n, "%s: %d new files in files/, want %d" % (what, len(new), n))
    for f in new:
        check(FILE_ID_RE.match(f), "%s: files/ holds %r, not a 32-digit hex name" % (what, f))
    check(env.db_count("attachments") == before["attachments"] + n,
          "%s: %d new attachment rows, want %d" % (what, env.db_count("attachments") - before["attachments"], n))
    check(eventually(lambda: not tmp_files(env)), "%s: files/tmp holds %s afterwards" % (what, tmp_files(env)[:3]))
    return new


# ---- posting ------------------------------------------------------------------------

def utrecht_bram(env):
    d = ids(env)
    return d["unit"]["Provincie Utrecht"], d["user"][BRAM]


def report_post(env, fields, files, client=None, **kw):
    """GET /melden, then POST fields and files as multipart/form-data."""
    c = client or env.client(**kw)
    r = c.get("/melden")
    expect_status(r, 200, "GET /melden")
    tok = r.page.csrf("/melden")
    check(tok, "the report form has no csrf token")
    return c, c.post_multipart("/melden", [("csrf", tok)] + form_pairs(fields), files)


def report_to_bram(env, files=(), what="a report to Bram with files", **kw):
    """A report to Bram with files: (Bram's client, case id, receipt code)."""
    unit, bram = utrecht_bram(env)
    b = staff(env, BRAM)
    before = case_ids(b)
    kw.setdefault("account", "Melding met bestanden " + env.unique("zzbestand"))
    _, r = report_post(env, report_fields(unit, bram, **kw), files)
    code = receipt_of(r, what)
    return b, new_case_id(b, before, what), code


def mailbox_open(env, code, client=None, **kw):
    c = client or env.client(**kw)
    r = c.get("/mijn-melding")
    expect_status(r, 200, "GET /mijn-melding")
    tok = r.page.csrf("/mijn-melding")
    check(tok, "the mailbox form has no csrf token")
    return c, c.post("/mijn-melding", [("csrf", tok), ("code", code)])


def mailbox_reply(env, code, reply, files, client=None, **kw):
    """The reporter's answer with files, from the page the code opens."""
    c, r = mailbox_open(env, code, client, **kw)
    expect_status(r, 200, "opening the mailbox with the code")
    tok = r.page.csrf("/mijn-melding")
    return c, c.post_multipart("/mijn-melding", [("csrf", tok), ("code", code), ("reply", reply)], files)


def case_write(c, cid, kind, text, files):
    """A reader's message ("bericht") or note ("notitie") with files."""
    path = "/dossiers/%d" % cid
    tok = c.csrf_for(path, path + "/" + kind)
    return c.post_multipart(path + "/" + kind, [("csrf", tok), ("text", text)], files)


# ---- reading pages --------------------------------------------------------------------

def files_in(fragment):
    """[(file id, name)] of the file links (a reader's page) or download
    buttons (the reporter's page) in a piece of HTML, in order."""
    out = re.findall(r'<a href="/dossiers/\d+/bestand/([0-9a-f]{32})">([^<]*)</a>', fragment)
    out += re.findall(r'name="file" value="([0-9a-f]{32})">\s*<button type="submit" class="link">([^<]*)</button>',
                      fragment)
    return [(i, html.unescape(n)) for i, n in out]


def report_files(text):
    """The files listed under "Bestanden bij de melding"."""
    m = re.search(r"<h3>%s</h3>(.*?)<h2 id=\"gesprek\">" % NL["with_report"], text, re.S)
    return files_in(m.group(1)) if m else []


def cards(text):
    """The conversation: [{"note", "text", "files"}] in order."""
    m = re.search(r'<ol class="conversation">(.*?)</ol>', text, re.S)
    out = []
    for part in (m.group(1).split('<li class="card')[1:] if m else []):
        t = re.search(r'<p class="prewrap">(.*?)</p>', part, re.S)
        out.append({"note": part.startswith(' note"'), "text": html.unescape(t.group(1)) if t else None,
                    "files": files_in(part)})
    return out


def names(pairs):
    return [n for _, n in pairs]


def field_error(r, input_id):
    """The text of the error next to the file input input_id, or None."""
    m = re.search(r'<p class="error" id="%s-error">(.*?)</p>' % re.escape(input_id), r.text, re.S)
    return html.unescape(m.group(1)).strip() if m else None


def input_attrs(r, input_id):
    for tag, a in r.page.tags:
        if a.get("id") == input_id:
            return tag, a
    return None, {}


def check_file_error(r, input_id, want, what):
    got = field_error(r, input_id)
    check(got == want, "%s: the error next to #%s reads %r, want %r" % (what, input_id, got, want))
    tag, a = input_attrs(r, input_id)
    check(tag == "input" and a.get("type") == "file", "%s: no file input #%s on the page" % (what, input_id))
    check(a.get("aria-invalid") == "true", "%s: the file input #%s is not marked invalid" % (what, input_id))


def mailbox_download(c, page, file_id):
    """POSTs the download form of file_id on the reporter's page."""
    for f in page.page.forms:
        if f["action"] == "/mijn-melding/bestand" and ("file", file_id, "hidden") in f["fields"]:
            return c.post("/mijn-melding/bestand", [(n, v) for n, v, _ in f["fields"]])
    raise AssertionError("no download form for file %s on the reporter's page" % file_id)


def mailbox_file_post(env, code, file_id, client=None, **kw):
    """POST /mijn-melding/bestand with a fresh token, any code and file id."""
    c = client or env.client(**kw)
    tok = c.csrf_for("/mijn-melding", "/mijn-melding")
    return c, c.post("/mijn-melding/bestand", [("csrf", tok), ("code", code), ("file", file_id)])


def check_download(r, name, data, what):
    """The answer is the file: exact bytes, its media type, as an attachment
    under its name, never cached or sniffed."""
    expect_status(r, 200, what)
    if r.body != data:
        n = min(len(r.body), len(data))
        same = next((i for i in range(n) if r.body[i] != data[i]), n)
        raise AssertionError("%s: %d bytes back, want the %d sent (first difference at byte %d)" % (
            what, len(r.body), len(data), same))
    ct = r.header("Content-Type")
    check(ct == MEDIA[ext_of(name)], "%s: Content-Type %r, want %r" % (what, ct, MEDIA[ext_of(name)]))
    check(r.header("Content-Length") == str(len(data)), "%s: Content-Length %r, want %d" % (
        what, r.header("Content-Length"), len(data)))
    cd = r.header("Content-Disposition") or ""
    m = re.fullmatch(r"""attachment; filename="([\x20-\x7e]*)"; """
                     r"""filename\*=UTF-8''([A-Za-z0-9%._~!$&'()*+,;=:@-]+)""", cd)
    check(m, "%s: Content-Disposition %r" % (what, cd))
    check('"' not in m.group(1) and "\\" not in m.group(1), "%s: a quote in the ASCII file name: %r" % (what, cd))
    real = urllib.parse.unquote(m.group(2), encoding="utf-8", errors="strict")
    check(real == name, "%s: filename* gives %r, want %r" % (what, real, name))
    if all(0x20 <= ord(ch) < 0x7f for ch in name) and not set(name) & set('"\\%'):
        check(m.group(1) == name, "%s: filename=%r, want %r" % (what, m.group(1), name))
    check(r.header("Cache-Control") == "no-store", "%s: Cache-Control %r" % (what, r.header("Cache-Control")))
    check(r.header("X-Content-Type-Options") == "nosniff", "%s: X-Content-Type-Options %r" % (
        what, r.header("X-Content-Type-Options")))
    check(not r.header_all("Set-Cookie"), "%s: a download sets a cookie" % what)


def form_tag(r, action):
    for tag, a in r.page.tags:
        if tag == "form" and a.get("action") == action:
            return a
    return None


def check_file_input(r, action, input_id, what):
    f = form_tag(r, action)
    check(f is not None, "%s: no form posting to %s" % (what, action))
    check(f.get("enctype") == "multipart/form-data", "%s: the form to %s has enctype %r" % (
        what, action, f.get("enctype")))
    check(("files", "", "file") in r.page.form(action)["fields"], "%s: the form to %s has no file input "
          "named files" % (what, action))
    tag, a = input_attrs(r, input_id)
    check(tag == "input" and a.get("type") == "file" and a.get("name") == "files" and "multiple" in a,
          "%s: #%s is not <input type=file name=files multiple>: %s" % (what, input_id, a))
    check(input_id in [a.get("for") for t, a in r.page.tags if t == "label"], "%s: no label for #%s" % (what, input_id))
    hint = r.page.text
    for cap in ("4 bestanden", "8 MB", "20 MB"):
        check(cap in hint, "%s: the form does not state the cap %r" % (what, cap))


# ---- the forms ----------------------------------------------------------------------------

@test("files_forms_offer_input")
def _(env):
    r = env.client().get("/melden")
    check_file_input(r, "/melden", "files", "the report form")
    b = staff(env, BRAM)
    check_file_input(b.get("/dossiers/nieuw"), "/dossiers/nieuw", "files", "the on-behalf form")
    _, cid, code = report_to_bram(env, [], what="a report without files")
    path = "/dossiers/%d" % cid
    page = b.get(path)
    check_file_input(page, path + "/bericht", "message-files", "the message form")
    check_file_input(page, path + "/notitie", "note-files", "the note form")
    check(NL["with_report"] not in page.text, "a case without files shows the heading of its files")
    _, r = mailbox_open(env, code)
    check_file_input(r, "/mijn-melding", "files", "the reporter's answer form")
    # Forms that take no files stay urlencoded.
    login = env.client().get("/login")
    check((form_tag(login, "/login") or {}).get("enctype") is None, "the login form became multipart")


# ---- round trips ----------------------------------------------------------------------------

@test("files_report_round_trip")
def _(env):
    sent = [upload("Verslag april.pdf", 2000),
            upload("foto één.JPG", 200 * 1000),          # several 64 KiB chunks, a capital extension
            upload("mail <script> & co.txt", 70 * 1024),  # just over one chunk; a name to escape
            upload("brief.docx", 3000)]
    before = snapshot(env)
    b, cid, code = report_to_bram(env, sent + [EMPTY_INPUT])
    new_stored(env, before, 4, "a report with four files (and an empty input)")
    page = b.get("/dossiers/%d" % cid)
    expect_status(page, 200, "Bram opening the case")
    check("mail &lt;script&gt; &amp; co.txt" in page.text and "<script> &" not in page.text,
          "the file name is not escaped on the case page")
    listed = report_files(page.text)
    check(names(listed) == [f[1] for f in sent], "under %r Bram sees %s" % (NL["with_report"], names(listed)))
    check(not [c for c in cards(page.text) if c["files"]], "the report's files are listed in the conversation")
    for (fid, name), f in zip(listed, sent):
        check(FILE_ID_RE.match(fid), "file id %r" % fid)
        check_download(b.get("/dossiers/%d/bestand/%s" % (cid, fid)), name, f[2], "Bram downloading %s" % name)
    # The reporter: the same files, as forms carrying the code.
    c, r = mailbox_open(env, code)
    expect_status(r, 200, "the reporter opening the mailbox")
    mine = report_files(r.text)
    check(mine == listed, "the reporter sees %s, want %s" % (mine, listed))
    check("mail &lt;script&gt; &amp; co.txt" in r.text and "<script> &" not in r.text,
          "the reporter's page does not escape the name")
    for f in r.page.forms:
        if f["action"] == "/mijn-melding/bestand":
            got = {n for n, _, t in f["fields"] if t == "hidden"}
            check(got == {"csrf", "code", "file"}, "a download form has hidden fields %s" % sorted(got))
            check(f["method"] == "post", "a download form does not POST")
    for (fid, name), f in zip(mine, sent):
        check_download(mailbox_download(c, r, fid), name, f[2], "the reporter downloading %s" % name)
    # The stored bytes are not the file's.
    for fid, _ in listed:
        check(os.path.exists(files_dir(env, fid)), "files/%s does not exist" % fid)
    blobs = [open(files_dir(env, fid), "rb").read() for fid, _ in listed]
    for blob, f in zip(blobs, sent):
        check(len(blob) > len(f[2]), "files/ holds %d bytes for a file of %d" % (len(blob), len(f[2])))
        check(f[2][-48:] not in blob and f[2][len(f[2]) // 2:len(f[2]) // 2 + 48] not in blob,
              "files/ holds the plain bytes of %s" % f[1])


@test("files_counsellor_message_round_trip")
def _(env):
    b, cid, code = report_to_bram(env, [])
    path = "/dossiers/%d" % cid
    sent = [upload("scan.pdf", FILE_MAX),  # exactly the cap: taken
            upload("schema.png", 5000)]
    before = snapshot(env)
    r = case_write(b, cid, "bericht", "Zie de bijlagen", sent)
    expect_redirect(r, path, "Bram writing with two files")
    new_stored(env, before, 2, "a message with two files")
    conv = cards(b.get(path).text)
    check(len(conv) == 1 and conv[0]["text"] == "Zie de bijlagen" and not conv[0]["note"],
          "Bram's conversation: %s" % conv)
    check(names(conv[0]["files"]) == ["scan.pdf", "schema.png"], "the message lists %s" % names(conv[0]["files"]))
    for (fid, name), f in zip(conv[0]["files"], sent):
        check_download(b.get("%s/bestand/%s" % (path, fid)), name, f[2], "Bram downloading %s" % name)
    c, r = mailbox_open(env, code)
    mine = cards(r.text)
    check(len(mine) == 1 and mine[0]["files"] == conv[0]["files"], "the reporter sees %s" % mine)
    check(not report_files(r.text), "the message's files are listed with the report")
    for (fid, name), f in zip(mine[0]["files"], sent):
        check_download(mailbox_download(c, r, fid), name, f[2], "the reporter downloading %s" % name)


@test("files_reporter_reply_round_trip")
def _(env):
    b, cid, code = report_to_bram(env, [upload("eerste.pdf", 1500)])
    path = "/dossiers/%d" % cid
    sent = [upload("mail.txt", data="Van: iemand\nAan: mij\n\nHallo één twee\n".encode() * 3000),
            upload("verklaring.odt", 90 * 1000), upload("foto.jpeg", 4000)]
    before = snapshot(env)
    c, r = mailbox_reply(env, code, "Hierbij de mail", sent)
    expect_status(r, 200, "the reporter answering with three files")
    new_stored(env, before, 3, "an answer with three files")
    mine = cards(r.text)
    check(len(mine) == 1 and mine[0]["text"] == "Hierbij de mail", "after answering the reporter sees %s" % mine)
    check(names(mine[0]["files"]) == [f[1] for f in sent], "the answer lists %s" % names(mine[0]["files"]))
    check(names(report_files(r.text)) == ["eerste.pdf"], "the report's file is no longer listed")
    for (fid, name), f in zip(mine[0]["files"], sent):
        check_download(mailbox_download(c, r, fid), name, f[2], "the reporter downloading %s" % name)
    conv = cards(b.get(path).text)
    check(len(conv) == 1 and conv[0]["files"] == mine[0]["files"], "Bram sees %s" % conv)
    for (fid, name), f in zip(conv[0]["files"], sent):
        check_download(b.get("%s/bestand/%s" % (path, fid)), name, f[2], "Bram downloading %s" % name)


@test("files_only_messages")
def _(env):
    b, cid, code = report_to_bram(env, [])
    path = "/dossiers/%d" % cid
    # Files without words: a message, a note and an answer.
    before = snapshot(env)
    expect_redirect(case_write(b, cid, "bericht", "", [upload("alleen.pdf")]), path, "a message of one file")
    expect_redirect(case_write(b, cid, "notitie", "  ", [upload("notitie.png")]), path, "a note of one file")
    _, r = mailbox_reply(env, code, "", [upload("antwoord.txt", 300)])
    expect_status(r, 200, "an answer of one file")
    new_stored(env, before, 3, "three messages of files alone")
    check(env.db_count("messages") == before["messages"] + 3, "the three messages were not all stored")
    conv = cards(b.get(path).text)
    check([names(c["files"]) for c in conv] == [["alleen.pdf"], ["notitie.png"], ["antwoord.txt"]],
          "Bram's conversation lists %s" % [names(c["files"]) for c in conv])
    check(all(not (c["text"] or "").strip() for c in conv), "a message of files alone shows text: %s" % conv)
    # Neither words nor files: refused as before, also with an empty file input.
    before = snapshot(env)
    r = case_write(b, cid, "bericht", "  ", [EMPTY_INPUT])
    expect_status(r, 400, "a message of nothing (an empty file input)")
    check(field_error(r, "message") == NL["message"], "the empty message is not told: %r" % field_error(r, "message"))
    check(field_error(r, "message-files") is None, "an empty file input is told as a problem")
    _, r = mailbox_reply(env, code, "", [EMPTY_INPUT])
    expect_status(r, 400, "an answer of nothing (an empty file input)")
    check(field_error(r, "reply") == NL["message"], "the empty answer is not told: %r" % field_error(r, "reply"))
    check(field_error(r, "files") is None, "an empty file input is told as a problem")
    check_nothing_stored(env, before, "messages of nothing")
    # Words and an empty file input: a message, no file.
    expect_redirect(case_write(b, cid, "bericht", "Alleen tekst", [EMPTY_INPUT]), path, "words and an empty input")
    _, r = mailbox_reply(env, code, "Ook alleen tekst", [EMPTY_INPUT])
    expect_status(r, 200, "an answer with an empty file input")
    check(env.db_count("messages") == before["messages"] + 2, "the messages with an empty input were not stored")
    check(snapshot(env)["files/"] == before["files/"] and env.db_count("attachments") == before["attachments"],
          "an empty file input stored a file")


@test("files_on_behalf")
def _(env):
    unit, _ = utrecht_bram(env)
    b = staff(env, BRAM)
    fields = report_fields(unit, account="Telefonisch, met brief " + env.unique("zzbelde"), channel="phone")
    fields.pop("counsellor")
    before, cases = snapshot(env), case_ids(b)
    tok = b.csrf_for("/dossiers/nieuw", "/dossiers/nieuw")
    r = b.post_multipart("/dossiers/nieuw", [("csrf", tok)] + form_pairs(fields),
                         [upload("brief.pdf", 7000), ("files", "x.exe", b"MZ" + os.urandom(100))])
    expect_status(r, 400, "an entered report with a program")
    check_file_error(r, "files", NL["bad_type"], "an entered report with a program")
    check(r.page.field("/dossiers/nieuw", "account") == fields["account"], "the account typed was not kept")
    check_nothing_stored(env, before, "a refused entered report")
    check(case_ids(b) == cases, "a refused entered report reached the list")
    sent = [upload("brief.pdf", 7000), upload("foto.png", 100 * 1000)]
    r = b.post_multipart("/dossiers/nieuw", [("csrf", tok)] + form_pairs(fields), sent)
    code = receipt_of(r, "an entered report with two files")
    cid = new_case_id(b, cases, "an entered report with two files")
    new_stored(env, before, 2, "an entered report with two files")
    listed = report_files(b.get("/dossiers/%d" % cid).text)
    check(names(listed) == ["brief.pdf", "foto.png"], "the entered case lists %s" % names(listed))
    for (fid, name), f in zip(listed, sent):
        check_download(b.get("/dossiers/%d/bestand/%s" % (cid, fid)), name, f[2], "Bram downloading %s" % name)
    c, r = mailbox_open(env, code)
    check(report_files(r.text) == listed, "the reporter of an entered report sees %s" % report_files(r.text))


@test("files_limits_taken")
def _(env):
    # Four files of 5 MiB: 20 MiB together, the cap exactly; .jpeg and
    # upper-case extensions are taken.
    sent = [upload("een.pdf", 5 * MiB), upload("TWEE.JPEG", 5 * MiB), upload("drie.Png", 5 * MiB),
            upload("vier.ODT", 5 * MiB)]
    before = snapshot(env)
    b, cid, _ = report_to_bram(env, sent, what="four files of 5 MiB")
    new_stored(env, before, 4, "four files of 5 MiB")
    listed = report_files(b.get("/dossiers/%d" % cid).text)
    check(names(listed) == [f[1] for f in sent], "the case lists %s" % names(listed))
    fid, name = listed[-1]
    check_download(b.get("/dossiers/%d/bestand/%s" % (cid, fid)), name, sent[-1][2], "downloading a 5 MiB file")


# ---- refused files ----------------------------------------------------------------------------

def refusals():
    """(what, files, error) for every way a POST's files are refused."""
    png, pdf = content("png", 3000), content("pdf", 3000)
    nul_late = content("txt", 100 * 1000)
    nul_late = nul_late[:90000] + b"\0" + nul_late[90001:]
    return [
        ("five files", [upload("f%d.pdf" % i, 500) for i in range(5)], "too_many"),
        ("a file of 8 MiB and one byte", [upload("groot.pdf", FILE_MAX + 1)], "too_big"),
        ("four files of 20 MiB and one byte together",
         [upload("a.pdf", 5 * MiB), upload("b.pdf", 5 * MiB), upload("c.pdf", 5 * MiB), upload("d.pdf", 5 * MiB + 1)],
         "too_big"),
        ("four files, the last one over 20 MiB together",
         [upload("a.pdf", FILE_MAX), upload("b.pdf", FILE_MAX), upload("c.pdf", 4 * MiB), upload("d.txt", 1000)],
         "too_big"),
        ("a program", [("files", "programma.exe", b"MZ" + os.urandom(2000))], "bad_type"),
        ("a file without an extension", [("files", "bestand", pdf)], "bad_type"),
        ("a web page", [("files", "pagina.html", b"<html><body>hoi</body></html>")], "bad_type"),
        ("a .pdf.exe", [("files", "brief.pdf.exe", pdf)], "bad_type"),
        ("a .pdf that is a PNG", [("files", "brief.pdf", png)], "bad_type"),
        ("a .png that is a PDF", [("files", "foto.png", pdf)], "bad_type"),
        ("a .jpg that is text", [("files", "foto.jpg", b"gewoon tekst, geen foto")], "bad_type"),
        ("a .docx that is not a zip", [("files", "brief.docx", b"PK\x05\x06" + os.urandom(100))], "bad_type"),
        ("an .odt that is a PDF", [("files", "brief.odt", pdf)], "bad_type"),
        ("a .pdf shorter than its signature", [("files", "kort.pdf", b"%PD")], "bad_type"),
        ("a .png with 7 bytes of its signature", [("files", "kort.png", PNG_SIGNATURE[:7])], "bad_type"),
        ("a .txt with a NUL byte past the first chunk", [("files", "tekst.txt", nul_late)], "bad_type"),
        ("an empty .pdf", [("files", "leeg.pdf", b"")], "empty"),
        ("a good file and a program", [upload("goed.pdf", 4000), ("files", "x.exe", b"MZ")], "bad_type"),
        ("a good file and an empty one", [upload("goed.png", 4000), ("files", "leeg.txt", b"")], "empty"),
    ]


@test("files_report_refused")
def _(env):
    unit, bram = utrecht_bram(env)
    b = staff(env, BRAM)
    cases = case_ids(b)
    c = env.client()
    tok = c.csrf_for("/melden", "/melden")
    problems = []
    tried = 0
    for what, files, err in refusals():
        tried += 1
        account = "Getypt verslag " + env.unique("zzgeweigerd")
        before = snapshot(env)
        r = c.post_multipart("/melden", [("csrf", tok)] + form_pairs(report_fields(unit, bram, account=account)),
                             files)
        try:
            expect_status(r, 400, what)
            check(not [s for s in r.page.classed("secret") if s], "%s: a receipt code is shown" % what)
            check(r.page.form("/melden") is not None, "%s: the form is not shown again" % what)
            check_file_error(r, "files", NL[err], what)
            check("files" in summary_links(r.text), "%s: the error summary does not link to #files (links: %s)" % (
                what, summary_links(r.text)))
            check(NL[err] in " ".join(r.page.classed("errors")), "%s: the summary does not say %r" % (what, NL[err]))
            check(r.page.field("/melden", "account") == account, "%s: the account typed was not kept" % what)
        except AssertionError as e:
            problems.append(str(e))
        try:
            check_nothing_stored(env, before, what)
        except AssertionError as e:
            problems.append(str(e))
    check(case_ids(b) == cases, "a refused report reached Bram's list")
    check(not problems, "%d problems in %d refused reports: %s" % (len(problems), tried, " | ".join(problems)))


@test("files_mailbox_reply_refused")
def _(env):
    b, cid, code = report_to_bram(env, [])
    problems = []
    for what, files, err in [r for r in refusals() if r[0] in ("five files", "a program", "an empty .pdf",
                                                                "a file of 8 MiB and one byte",
                                                                "a good file and a program")]:
        reply = "Mijn antwoord " + env.unique("zzantw")
        before = snapshot(env)
        _, r = mailbox_reply(env, code, reply, files)
        try:
            expect_status(r, 400, "an answer with " + what)
            check(r.page.form("/mijn-melding") is not None and 'name="reply"' in r.text,
                  "an answer with %s: the answer form is not shown again (the page says: %s)" % (
                      what, " ".join(r.page.classed("errors"))[:150]))
            check_file_error(r, "files", NL[err], "an answer with " + what)
            check(r.page.field("/mijn-melding", "reply") == reply,
                  "an answer with %s: the answer typed was not kept" % what)
        except AssertionError as e:
            problems.append(str(e))
        try:
            check_nothing_stored(env, before, "an answer with " + what)
        except AssertionError as e:
            problems.append(str(e))
    check(not cards(b.get("/dossiers/%d" % cid).text), "a refused answer reached the case")
    check(not problems, "%d problems: %s" % (len(problems), " | ".join(problems)))


@test("files_case_message_and_note_refused")
def _(env):
    b, cid, _ = report_to_bram(env, [])
    problems = []
    for kind, input_id, other in (("bericht", "message-files", "note-files"),
                                  ("notitie", "note-files", "message-files")):
        for what, files, err in [r for r in refusals() if r[0] in ("five files", "a .pdf that is a PNG",
                                                                    "an empty .pdf", "a good file and a program")]:
            what = "a %s with %s" % (kind, what)
            text = "Tekst " + env.unique("zztekst")
            before = snapshot(env)
            r = case_write(b, cid, kind, text, files)
            try:
                expect_status(r, 400, what)
                check_file_error(r, input_id, NL[err], what)
                check(field_error(r, other) is None, "%s: the other form's file input shows an error" % what)
                textarea = "message" if kind == "bericht" else "note"
                m = re.search(r'<textarea id="%s"[^>]*>(.*?)</textarea>' % textarea, r.text, re.S)
                check(m and html.unescape(m.group(1)) == text, "%s: the text typed was not kept" % what)
            except AssertionError as e:
                problems.append(str(e))
            try:
                check_nothing_stored(env, before, what)
            except AssertionError as e:
                problems.append(str(e))
    check(not cards(b.get("/dossiers/%d" % cid).text), "a refused message reached the case")
    check(not problems, "%d problems: %s" % (len(problems), " | ".join(problems)))


@test("files_reselect_after_other_error")
def _(env):
    # The files were fine but something else was not: nothing is kept, and
    # the page says the files must be chosen again.
    unit, bram = utrecht_bram(env)
    b = staff(env, BRAM)
    cases = case_ids(b)
    sent = [upload("bewijs.pdf", 3000), upload("foto.jpg", 80 * 1000)]
    before = snapshot(env)
    c, r = report_post(env, report_fields(unit, bram, location=""), sent)
    expect_status(r, 400, "a report without a location, with good files")
    check(field_error(r, "files") == NL["reselect"], "the report form says %r next to the files, want %r" % (
        field_error(r, "files"), NL["reselect"]))
    check("location" in summary_links(r.text), "the missing location is not in the summary")
    check_nothing_stored(env, before, "a refused report with good files")
    check(case_ids(b) == cases, "the refused report reached Bram's list")
    # Corrected, with the files chosen again: stored.
    fields = [(n, v) for n, v, _ in r.page.form("/melden")["fields"] if n not in ("location", "files")]
    r = c.post_multipart("/melden", fields + [("location", "event")], sent)
    receipt_of(r, "the corrected report with its files")
    new_stored(env, before, 2, "the corrected report")
    _, cid, code = report_to_bram(env, [])
    # A message and an answer that are too long, with good files.
    before = snapshot(env)
    r = case_write(b, cid, "bericht", "x" * 20001, sent)
    expect_status(r, 400, "a message over 20,000 characters with files")
    check(field_error(r, "message-files") == NL["reselect"], "the message form says %r next to the files" % (
        field_error(r, "message-files"),))
    check(NL["message"] in r.text, "the too long message is not told")
    _, r = mailbox_reply(env, code, "y" * 20001, sent)
    expect_status(r, 400, "an answer over 20,000 characters with files")
    check(field_error(r, "files") == NL["reselect"], "the answer form says %r next to the files" % (
        field_error(r, "files"),))
    check_nothing_stored(env, before, "a too long message and answer with files")


@test("files_errors_in_english")
def _(env):
    unit, bram = utrecht_bram(env)
    c = env.client()
    c.cookies["vd_lang"] = "en"
    before = snapshot(env)
    for what, files, err in (("a program", [("files", "x.exe", b"MZ")], "bad_type"),
                             ("five files", [upload("f%d.txt" % i, 10) for i in range(5)], "too_many"),
                             ("an empty file", [("files", "leeg.png", b"")], "empty")):
        _, r = report_post(env, report_fields(unit, bram), files, client=c)
        expect_status(r, 400, "%s, in English" % what)
        check(field_error(r, "files") == EN[err], "%s: the English page says %r, want %r" % (
            what, field_error(r, "files"), EN[err]))
    _, r = report_post(env, report_fields(unit, bram, location=""), [upload("a.pdf")], client=c)
    check(field_error(r, "files") == EN["reselect"], "the English page says %r after another error" % (
        field_error(r, "files"),))
    check_nothing_stored(env, before, "refused reports in English")


# ---- who sees and downloads what ----------------------------------------------------------------

@test("files_notes_hidden_from_reporter")
def _(env):
    b, cid, code = report_to_bram(env, [])
    path = "/dossiers/%d" % cid
    secret = content("pdf", 5000)
    expect_redirect(case_write(b, cid, "notitie", "Intern", [upload("intern.pdf", data=secret)]), path,
                    "a note with a file")
    expect_redirect(case_write(b, cid, "bericht", "Voor jou", [upload("voor-melder.pdf")]), path,
                    "a message with a file")
    conv = cards(b.get(path).text)
    check([(c["note"], names(c["files"])) for c in conv] == [(True, ["intern.pdf"]), (False, ["voor-melder.pdf"])],
          "Bram's conversation: %s" % conv)
    note_file = conv[0]["files"][0][0]
    check_download(b.get("%s/bestand/%s" % (path, note_file)), "intern.pdf", secret, "Bram downloading the note's file")
    c, r = mailbox_open(env, code)
    check(note_file not in r.text and "intern.pdf" not in r.text, "the reporter's page shows the note's file")
    check([names(x["files"]) for x in cards(r.text)] == [["voor-melder.pdf"]], "the reporter sees %s" % cards(r.text))
    _, d = mailbox_file_post(env, code, note_file, client=c)
    expect_status(d, 404, "the reporter asking for the note's file by its id")
    check(secret[:200] not in d.body and "intern.pdf" not in d.text, "the 404 holds the note's file")
    check(d.header("Content-Disposition") is None, "the 404 is a download")


@test("files_of_another_case_404")
def _(env):
    b, a_id, a_code = report_to_bram(env, [upload("a.pdf")], what="case A")
    _, b_id, b_code = report_to_bram(env, [upload("b.pdf")], what="case B")
    a_file = report_files(b.get("/dossiers/%d" % a_id).text)[0][0]
    b_file = report_files(b.get("/dossiers/%d" % b_id).text)[0][0]
    # Bram reads both, but a file is only found under its own case.
    expect_status(b.get("/dossiers/%d/bestand/%s" % (a_id, b_file)), 404, "case B's file under case A")
    expect_status(b.get("/dossiers/%d/bestand/%s" % (b_id, b_file)), 200, "case B's file under case B")
    c = env.client()
    _, r = mailbox_file_post(env, a_code, b_file, client=c)
    expect_status(r, 404, "the reporter of A asking for B's file")
    check(r.header("Content-Disposition") is None, "the 404 is a download")
    _, r = mailbox_file_post(env, a_code, a_file, client=c)
    expect_status(r, 200, "the reporter of A asking for A's file")
    # Ids that are no file of the case.
    for bad in (a_file.upper(), a_file[:31], a_file + "0", "g" * 32, "0" * 32, os.urandom(16).hex(), ""):
        if bad:
            expect_status(b.get("/dossiers/%d/bestand/%s" % (a_id, bad)), 404, "file id %r under case A" % bad)
        _, r = mailbox_file_post(env, a_code, bad, client=c)
        expect_status(r, 404, "the reporter asking for file id %r" % bad)
    expect_status(b.get("/dossiers/%d/bestand/%s" % (a_id + 1000000, a_file)), 404,
                  "a file of a case that does not exist")
    # The code is checked like on /mijn-melding: a typo, not a code, unknown
    # (400, the mailbox page saying which), then the throttle (429).
    src = env.forwarded()
    typo = a_code[:5] + ("0" if a_code[5] != "0" else "1") + a_code[6:]
    for what, typed, msg in (("a typo", typo, NL["typo"]), ("not a code", "hallo", NL["malformed"]),
                             ("an unknown code", well_formed_code(), NL["unknown"]), ("no code", "", NL["malformed"])):
        _, r = mailbox_file_post(env, typed, a_file, forwarded_for=src)
        expect_status(r, 400, "downloading with %s" % what)
        check(msg in " ".join(r.page.classed("errors")), "downloading with %s: the page says %r" % (
            what, " ".join(r.page.classed("errors"))))
        check(r.page.form("/mijn-melding") is not None, "downloading with %s: no code form" % what)
        check(r.header("Content-Disposition") is None, "downloading with %s: a download" % what)
    for i in range(9):
        _, r = mailbox_file_post(env, well_formed_code(), a_file, forwarded_for=src)
        expect_status(r, 400, "unknown code %d of 10" % (i + 2))
    _, r = mailbox_file_post(env, a_code, a_file, forwarded_for=src)
    expect_status(r, 429, "the right code and file from a source that guessed ten times")
    check(r.header("Retry-After"), "no Retry-After on a throttled download")
    check(r.header("Content-Disposition") is None, "a throttled download is a download")
    _, r = mailbox_file_post(env, a_code, a_file, forwarded_for=env.forwarded())
    expect_status(r, 200, "the right code and file from another source")
    # Without a valid token: 403.
    c2 = env.client()
    c2.get("/mijn-melding")
    expect_status(c2.post("/mijn-melding/bestand", [("csrf", "x" * 43), ("code", a_code), ("file", a_file)]), 403,
                  "a download with a made-up token")
    expect_status(env.client().post("/mijn-melding/bestand", [("code", a_code), ("file", a_file)]), 403,
                  "a download without a token")


def without_tokens(text):
    return re.sub(r'name="csrf" value="[^"]*"', "", text)


@test("files_download_access")
def _(env):
    data = content("pdf", 3000)
    b, cid, _ = report_to_bram(env, [upload("toegang.pdf", data=data)])
    fid = report_files(b.get("/dossiers/%d" % cid).text)[0][0]
    path = "/dossiers/%d/bestand/%s" % (cid, fid)
    check_download(b.get(path), "toegang.pdf", data, "Bram downloading")
    h = b.head(path)
    expect_status(h, 200, "HEAD as Bram")
    check(h.body == b"", "HEAD has a body")
    # Another counsellor of the unit (Bram was chosen, so not a reader): the
    # same 404 as for a file of a case that does not exist.
    ch = staff(env, CHAIMA)
    r, r_missing = ch.get(path), ch.get("/dossiers/%d/bestand/%s" % (cid + 1000000, fid))
    expect_status(r, 404, "Chaima downloading Bram's file")
    expect_status(r_missing, 404, "Chaima downloading from a case that does not exist")
    check(without_tokens(r.text) == without_tokens(r_missing.text), "the 404 for someone else's file differs")
    check(data[:100] not in r.body and "toegang.pdf" not in r.text, "the 404 shows the file")
    for role in OTHER_ROLES:
        r = env.session(role).get(path)
        expect_status(r, 403, "GET the file as %s" % role)
        check(data[:100] not in r.body and "toegang.pdf" not in r.text, "the 403 for %s shows the file" % role)
        check(r.header("Content-Disposition") is None, "the 403 for %s is a download" % role)
    expect_redirect(env.client().get(path), "/login", "anonymous GET of a file")
    expect_status(b.post(path, {"csrf": b.csrf_for("/dossiers", "/uitloggen")}), 405, "POST to a file's address")


# ---- what the data directory holds ------------------------------------------------------------

def marked_text(mark, size):
    """Text that holds mark at its start, in its middle and at its end, with
    line breaks, of about size bytes: several 64 KiB chunks."""
    line = ("Wat er in de mail stond, regel voor regel. " * 2 + "\n").encode()
    filler = line * (size // (2 * len(line)) + 1)
    return mark.encode() + b"\n" + filler + mark.encode() + b"\n" + filler + mark.encode()


def scan_datadir(env, needles):
    """[(file, what)] for every needle found in any file under the data
    directory or of the database."""
    found, seen = [], 0
    for p in database.installation_files(env.datadir):
        try:
            with open(p, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            continue
        seen += 1
        for what, s in needles.items():
            if s in data:
                found.append((os.path.relpath(p, env.datadir), what))
    return found, seen


@test("files_leave_no_plaintext")
def _(env):
    m = {k: env.unique("zqf%s" % k) for k in ("reportdata", "reportname", "replydata", "replyname", "msgdata",
                                               "msgname", "notedata", "notename", "refuseddata", "refusedname",
                                               "badreplydata", "badreplyname")}
    env.markers.update(m.values())
    sent = {}

    def marked(kind, ext="txt"):
        data = marked_text(m[kind + "data"], 150 * 1000)
        if ext != "txt":
            data = HEADS[ext] + data
        name = "bijlage %s.%s" % (m[kind + "name"], ext)
        sent[kind] = (name, data)
        return ("files", name, data, MEDIA[ext])

    unit, bram = utrecht_bram(env)
    # Refused first: a good file on a report with another error, and an
    # answer with a file that is not what its name says.
    _, r = report_post(env, report_fields(unit, bram, location=""), [marked("refused", "pdf")])
    expect_status(r, 400, "a refused report with a marked file")
    b, cid, code = report_to_bram(env, [marked("report", "txt")])
    path = "/dossiers/%d" % cid
    bad = marked("badreply", "txt")
    _, r = mailbox_reply(env, code, "Antwoord", [(bad[0], bad[1], bad[2] + b"\0", bad[3])])
    expect_status(r, 400, "an answer with a marked file holding a NUL")
    _, r = mailbox_reply(env, code, "Antwoord", [marked("reply", "txt")])
    expect_status(r, 200, "an answer with a marked file")
    expect_redirect(case_write(b, cid, "bericht", "Bericht", [marked("msg", "pdf")]), path,
                    "a message with a marked file")
    expect_redirect(case_write(b, cid, "notitie", "Notitie", [marked("note", "txt")]), path,
                    "a note with a marked file")
    # All four were stored, and come back whole (so their absence below means something).
    page = b.get(path)
    listed = dict((n, i) for i, n in report_files(page.text) + [f for c in cards(page.text) for f in c["files"]])
    for kind in ("report", "reply", "msg", "note"):
        name, data = sent[kind]
        check(name in listed, "the case does not list %s" % name)
        check_download(b.get("%s/bestand/%s" % (path, listed[name])), name, data, "downloading the %s file" % kind)
    for kind in ("refused", "badreply"):
        check(sent[kind][0] not in listed, "the refused %s file is listed" % kind)
    needles = {}
    for k, v in m.items():
        needles["marker " + k] = v.encode()
    for kind, (name, data) in sent.items():
        needles["the name of the %s file" % kind] = name.encode()
        needles["a line of the %s file" % kind] = data[len(m[kind + "data"]) + 1:][:90]
    found, seen = scan_datadir(env, needles)
    check(seen >= 6, "the scan read only %d files" % seen)
    check(not found, "the data directory holds plain text of files: %s" % found[:5])
    log = env.server.log()
    leaked = [k for k, v in m.items() if v in log]
    check(not leaked, "the server log holds %s" % leaked)


# ---- damage, malformed bodies, oversized bodies ---------------------------------------------------

def raw_get(port, path, cookie, timeout=20):
    req = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: %s\r\n\r\n" % (path, cookie)).encode()
    return raw_request(port, req, timeout=timeout, read_limit=64 * MiB)


def served_whole(status, headers, body, data):
    return status == 200 and body == data


@test("files_damaged_not_served")
def _(env):
    # On a server of its own: reading a damaged file is an error it logs,
    # and the main server's log must hold none.
    data_dir = os.path.join(env.tmp, "data-files")
    password, accounts = run_demo(env.binary, data_dir)
    SEEN_SECRETS.add(password)
    srv = Server(env.binary, data_dir, os.path.join(env.tmp, "files.log"))
    try:
        anon = Client(srv.port)
        page = anon.get("/melden")
        expect_status(page, 200, "GET /melden on the second server")
        unit = [v for v, _, l in page.page.select_options("/melden", "unit") if l == "Landelijk"]
        email, cname = accounts["counsellor"][0]
        counsellor = [v for v, _, l in page.page.select_options("/melden", "counsellor") if l.startswith(cname + " (")]
        check(unit and counsellor, "no unit Landelijk or counsellor %s on the second server" % cname)
        sent = {"midden.pdf": content("pdf", 200 * 1000), "kop.png": content("png", 150 * 1000),
                "staart.txt": content("txt", 130 * 1000), "heel.pdf": content("pdf", 150 * 1000)}
        files = [upload(n, data=d) for n, d in sent.items()]
        r = anon.post_multipart("/melden", [("csrf", page.page.csrf("/melden"))]
                                + form_pairs(report_fields(unit[0], counsellor[0])), files)
        code = receipt_of(r, "a report with four files on the second server")
        c = Client(srv.port)
        r = c.login(email, password)
        expect_redirect(r, "/start", "logging in on the second server")
        rows = re.findall(r'<a href="/dossiers/(\d+)">', c.get("/dossiers").text)
        check(rows, "no case in the list on the second server")
        cid = max(int(i) for i in rows)
        listed = dict((n, i) for i, n in report_files(c.get("/dossiers/%d" % cid).text))
        check(sorted(listed) == sorted(sent), "the second server's case lists %s" % sorted(listed))
        for name, data in sent.items():
            check_download(c.get("/dossiers/%d/bestand/%s" % (cid, listed[name])), name, data,
                           "%s before the damage" % name)
        # The damage: a byte in the middle of the second chunk, a byte of the
        # stream header, the last bytes cut off.
        def damage(name, fn):
            p = os.path.join(data_dir, "files", listed[name])
            blob = bytearray(open(p, "rb").read())
            with open(p, "wb") as fh:
                fh.write(fn(blob))
        damage("midden.pdf", lambda b: b[:100000] + bytes([b[100000] ^ 0x01]) + b[100001:])
        damage("kop.png", lambda b: b[:3] + bytes([b[3] ^ 0x80]) + b[4:])
        damage("staart.txt", lambda b: b[:-10])
        cookie = c.cookie_header()
        for name in ("midden.pdf", "kop.png", "staart.txt"):
            status, headers, body = raw_get(srv.port, "/dossiers/%d/bestand/%s" % (cid, listed[name]), cookie)
            check(not served_whole(status, headers, body, sent[name]),
                  "the damaged %s was served whole (status %s, %d bytes)" % (name, status, len(body)))
            # Broken off (no answer, or a 200 cut short), or an error: not "not found".
            check(status in (None, 200, 500), "the damaged %s: status %s" % (name, status))
            if status == 200:
                cl = dict((k.lower(), v) for k, v in headers).get("content-length")
                check(cl is None or len(body) < int(cl), "the damaged %s was served with status 200 and all %s bytes "
                      "it announced" % (name, cl))
                check(body != sent[name], "the damaged %s came back as sent" % name)
        # The reporter gets no whole damaged file either.
        tok = anon.csrf_for("/mijn-melding", "/mijn-melding")
        body = encode_form([("csrf", tok), ("code", code), ("file", listed["midden.pdf"])])
        req = ("POST /mijn-melding/bestand HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: %s\r\n"
               "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n"
               % (anon.cookie_header(), len(body))).encode() + body
        status, headers, got = raw_request(srv.port, req, timeout=20, read_limit=64 * MiB)
        check(not served_whole(status, headers, got, sent["midden.pdf"]), "the reporter got the damaged file whole")
        # The untouched file still comes whole, and the server still answers.
        check_download(c.get("/dossiers/%d/bestand/%s" % (cid, listed["heel.pdf"])), "heel.pdf", sent["heel.pdf"],
                       "the undamaged file after the others were damaged")
        expect_status(anon.get("/"), 200, "GET / after the damaged downloads")
    finally:
        code = srv.stop()
    check(code == 0, "the second server exited with %r" % code)
    log = srv.log()
    for bad in ("AddressSanitizer", "runtime error", "LeakSanitizer"):
        check(bad not in log, "the second server's stderr contains %r" % bad)
    for name in sent:
        check(name not in log, "the second server's log names the file %s" % name)


def multipart_raw(env, path, body, content_type, cookie, timeout=30):
    req = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: %s\r\nContent-Type: %s\r\n"
           "Content-Length: %d\r\n\r\n" % (path, cookie, content_type, len(body))).encode()
    return raw_response(env.port, req + body, timeout=timeout)


@test("files_malformed_multipart")
def _(env):
    unit, bram = utrecht_bram(env)
    c = env.client()
    tok = c.csrf_for("/melden", "/melden")
    fields = [("csrf", tok)] + form_pairs(report_fields(unit, bram, account="Kapot " + env.unique("zzkapot")))
    good, ctype = encode_multipart(fields, [upload("goed.pdf", 3000)], boundary="GRENS1234")
    before = snapshot(env)
    cut = good.rfind(b"--GRENS1234--")
    first = good.find(b"--GRENS1234\r\n", 10)
    bodies = [
        ("no boundary", good, "multipart/form-data"),
        ("an empty boundary", good, "multipart/form-data; boundary="),
        ("another boundary than the body's", good, "multipart/form-data; boundary=ANDERS987"),
        ("garbage", os.urandom(5000), ctype),
        ("no closing boundary", good[:cut], ctype),
        ("cut in a file", good[:len(good) - 1500], ctype),
        ("a part without Content-Disposition",
         good[:first] + b"--GRENS1234\r\nContent-Type: text/plain\r\n\r\nwaarde\r\n" + good[first:], ctype),
        ("a part head without an end", good[:first] + b"--GRENS1234\r\nContent-Disposition: form-data; name=\"x\""
         + b"a" * 40000 + b"\r\n--GRENS1234--\r\n", ctype),
        ("a part head line without a colon",
         good[:first] + b"--GRENS1234\r\nzomaar een regel\r\n\r\nwaarde\r\n" + good[first:], ctype),
        ("a text field that is not UTF-8",
         good[:first] + b'--GRENS1234\r\nContent-Disposition: form-data; name="hopes"\r\n\r\n\xff\xfe\xc0\xaf\r\n'
         + good[first:], ctype),
        ("a text field with a NUL byte",
         good[:first] + b'--GRENS1234\r\nContent-Disposition: form-data; name="hopes"\r\n\r\nja\x00nee\r\n'
         + good[first:], ctype),
    ]
    problems = []
    for what, body, ct in bodies:
        r = multipart_raw(env, "/melden", body, ct, c.cookie_header())
        if r is None:
            problems.append("%s: no answer" % what)
        elif r.status != 400:
            problems.append("%s: status %d, want 400" % (what, r.status))
        elif [s for s in r.page.classed("secret") if s]:
            problems.append("%s: a receipt code" % what)
        expect_status(env.client().get("/"), 200, "GET / after a body with %s" % what)
    try:
        check_nothing_stored(env, before, "malformed multipart bodies")
    except AssertionError as e:
        problems.append(str(e))
    # The same body, whole, is a report.
    r = multipart_raw(env, "/melden", good, ctype, c.cookie_header())
    check(r is not None, "no answer to the good multipart body")
    receipt_of(r, "the good multipart body after the malformed ones")
    check(not problems, "%d of %d malformed bodies: %s" % (len(problems), len(bodies), " | ".join(problems)))
    # Routes that take no files refuse multipart (415) and store nothing.
    before = snapshot(env)
    login_tok = c.csrf_for("/login", "/login")
    body, ct = encode_multipart([("csrf", login_tok), ("email", env.email("reader")), ("password", env.password)])
    r = c.request("POST", "/login", body=body, content_type=ct)
    expect_status(r, 415, "a multipart login")
    check(r.location is None, "a multipart login logged in")
    body, ct = encode_multipart([("csrf", c.csrf_for("/mijn-melding", "/mijn-melding")), ("code", "x"), ("file", "y")])
    expect_status(c.request("POST", "/mijn-melding/bestand", body=body, content_type=ct), 415, "a multipart download")
    counsellor = staff(env, BRAM)
    body, ct = encode_multipart([("csrf", counsellor.csrf_for("/profiel", "/profiel")), ("intro", "zzmultipart")],
                                [upload("a.pdf")])
    expect_status(counsellor.request("POST", "/profiel", body=body, content_type=ct), 415, "a multipart profile")
    check("zzmultipart" not in counsellor.get("/profiel").text, "a multipart profile POST changed the profile")
    check_nothing_stored(env, before, "multipart to routes that take no files")


@test("files_oversized_413")
def _(env):
    unit, bram = utrecht_bram(env)
    c = env.client()
    tok = c.csrf_for("/melden", "/melden")
    b = staff(env, BRAM)
    _, cid, code = report_to_bram(env, [])
    before = snapshot(env)
    targets = [("/melden", c.cookie_header()), ("/mijn-melding", c.cookie_header()),
               ("/dossiers/%d/bericht" % cid, b.cookie_header()), ("/dossiers/%d/notitie" % cid, b.cookie_header()),
               ("/dossiers/nieuw", b.cookie_header())]
    for path, cookie in targets:
        # Only the head: the answer must come on the Content-Length alone.
        head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: %s\r\n"
                "Content-Type: multipart/form-data; boundary=GRENS\r\nContent-Length: %d\r\n\r\n"
                % (path, cookie, BODY_CAP + 1)).encode()
        started = time.monotonic()
        r = raw_response(env.port, head + b"--GRENS\r\n", timeout=10)
        check(r is not None, "POST %s announcing %d bytes: no answer within 10 s" % (path, BODY_CAP + 1))
        expect_status(r, 413, "POST %s announcing %d bytes" % (path, BODY_CAP + 1))
        check(time.monotonic() - started < 9, "POST %s: the 413 came late" % path)
    # A body sent in chunks, with no Content-Length, is cut off at the cap too.
    fields = [("csrf", tok)] + form_pairs(report_fields(unit, bram))
    body, ct = encode_multipart(fields, [upload("a.pdf", 7 * MiB), upload("b.pdf", 7 * MiB),
                                         upload("c.pdf", 7 * MiB)])
    check(len(body) > BODY_CAP, "internal: a body of %d bytes" % len(body))
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 65536]), body[i:i + 65536])
                      for i in range(0, len(body), 65536)) + b"0\r\n\r\n"
    head = ("POST /melden HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: %s\r\nContent-Type: %s\r\n"
            "Transfer-Encoding: chunked\r\n\r\n" % (c.cookie_header(), ct)).encode()
    r = raw_response(env.port, head + chunks, timeout=60)
    check(r is not None, "no answer to a chunked body of %d bytes" % len(body))
    expect_status(r, 413, "a chunked body of %d bytes" % len(body))
    # A urlencoded report keeps its own cap (256 KiB).
    head = ("POST /melden HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: %s\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n"
            % (c.cookie_header(), 1024 * 1024)).encode()
    r = raw_response(env.port, head, timeout=10)
    check(r is not None, "no early answer to a urlencoded report of 1 MiB")
    expect_status(r, 413, "a urlencoded report of 1 MiB")
    check_nothing_stored(env, before, "oversized bodies")
    expect_status(env.client().get("/"), 200, "GET / after the oversized bodies")

"""A small HTTP client for the black-box tests: keeps its own cookies, reads
forms and their CSRF tokens from pages, and logs in.

Python standard library only. Every request opens a fresh connection unless
a test asks for something else (see raw_request for byte-exact requests).
"""

import http.client
import os
import re
import socket
import urllib.parse
from html.parser import HTMLParser

# Every Set-Cookie header and every token any client saw: the log tests check
# that none of them ever reaches the server's log.
SEEN_SET_COOKIES = []
SEEN_SECRETS = set()

FORM_TYPE = "application/x-www-form-urlencoded"


class Page(HTMLParser):
    """What the tests want to know about an HTML page."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
            "meta", "source", "track", "wbr"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.forms = []        # [{"action", "method", "fields": [(name, value, type)]}]
        self.links = []        # hrefs of <a>
        self.stylesheets = []  # hrefs of <link rel=stylesheet>
        self.tags = []         # (tag, attrs dict) of every start tag
        self.text_parts = []   # visible text
        self.attr_text = []    # attribute values a user sees or hears
        self.by_class = {}     # class name -> [text]
        self.html_lang = None
        self.title = ""
        self._form = None
        self._textarea = None
        self._select = None
        self._option = None
        self._skip = 0         # inside <script>/<style>
        self._in_title = False
        self._class_stack = []  # (tag, [classes], [text parts])
        self.feed(text)
        self.close()

    # -- parser callbacks --
    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        self.tags.append((tag, a))
        for k in ("aria-label", "title", "alt", "placeholder"):
            if k in a:
                self.attr_text.append(a[k])
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag in ("script", "style"):
            self._skip += 1
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "link" and "stylesheet" in a.get("rel", "").split():
            self.stylesheets.append(a.get("href", ""))
        elif tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                          "fields": []}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and "name" in a:
            typ = a.get("type", "text").lower()
            if typ in ("checkbox", "radio") and "checked" not in a:
                self._form.setdefault("unchecked", []).append((a["name"], a.get("value", "on"), typ))
            else:
                self._form["fields"].append((a["name"], a.get("value", "on" if typ in ("checkbox", "radio") else ""), typ))
        elif tag == "textarea" and self._form is not None:
            self._textarea = [a.get("name", ""), []]
        elif tag == "select" and self._form is not None:
            self._select = {"name": a.get("name", ""), "options": []}
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, []]
        cls = a.get("class", "").split()
        if tag not in self.VOID:
            self._class_stack.append((tag, cls, []))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append((self._textarea[0], "".join(self._textarea[1]), "textarea"))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._close_option()
            opts = self._select["options"]
            chosen = [o for o in opts if o[1]] or opts[:1]
            if chosen and self._form is not None:
                self._form["fields"].append((self._select["name"], chosen[0][0], "select"))
            if self._form is not None:
                self._form.setdefault("selects", {})[self._select["name"]] = opts
            self._select = None
        # close the innermost open element with this tag name
        for i in range(len(self._class_stack) - 1, -1, -1):
            if self._class_stack[i][0] == tag:
                t, cls, parts = self._class_stack[i]
                text = "".join(parts).strip()
                for c in cls:
                    self.by_class.setdefault(c, []).append(text)
                del self._class_stack[i:]
                break

    def _close_option(self):
        value, selected, parts = self._option
        label = "".join(parts).strip()
        self._select["options"].append((value if value is not None else label, selected, label))
        self._option = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._in_title:
            self.title += data
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option[2].append(data)
        self.text_parts.append(data)
        for _, _, parts in self._class_stack:
            parts.append(data)

    # -- queries --
    @property
    def text(self):
        return re.sub(r"\s+", " ", " ".join(self.text_parts)).strip()

    def form(self, action):
        """The first form whose action is action (path), or None."""
        for f in self.forms:
            if f["action"] == action:
                return f
        return None

    def field(self, action, name):
        f = self.form(action)
        if f is None:
            return None
        for n, v, _ in f["fields"]:
            if n == name:
                return v
        return None

    def field_names(self, action):
        f = self.form(action)
        if f is None:
            return set()
        names = {n for n, _, _ in f["fields"]}
        names |= {n for n, _, _ in f.get("unchecked", [])}
        return names

    def csrf(self, action=None):
        """The csrf token of the form with this action (or of any form)."""
        for f in self.forms:
            if action is None or f["action"] == action:
                for n, v, _ in f["fields"]:
                    if n == "csrf":
                        return v
        return None

    def select_options(self, action, name):
        f = self.form(action)
        return (f or {}).get("selects", {}).get(name, [])

    def classed(self, cls):
        return self.by_class.get(cls, [])


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (name, value) in order
        self.body = body
        self._page = None

    def header(self, name, default=None):
        lname = name.lower()
        for k, v in self.headers:
            if k.lower() == lname:
                return v
        return default

    def header_all(self, name):
        lname = name.lower()
        return [v for k, v in self.headers if k.lower() == lname]

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    @property
    def page(self):
        if self._page is None:
            self._page = Page(self.text)
        return self._page

    @property
    def location(self):
        """The Location header reduced to a local path (with query)."""
        loc = self.header("Location")
        if loc is None:
            return None
        u = urllib.parse.urlsplit(loc)
        return u.path + ("?" + u.query if u.query else "")

    @property
    def location_path(self):
        loc = self.location
        return None if loc is None else loc.split("?", 1)[0]

    def set_cookies(self):
        """{name: (value, attributes lower-cased list)} of this response's Set-Cookie headers."""
        out = {}
        for sc in self.header_all("Set-Cookie"):
            parts = [p.strip() for p in sc.split(";")]
            name, _, value = parts[0].partition("=")
            out[name] = (value, [p.lower() for p in parts[1:]])
        return out

    def __repr__(self):
        return "<%d %s>" % (self.status, self.reason)


def encode_form(fields):
    """fields: dict or list of pairs -> urlencoded bytes."""
    if isinstance(fields, dict):
        fields = list(fields.items())
    return urllib.parse.urlencode(fields, quote_via=urllib.parse.quote).encode()


def encode_multipart(fields, files=(), boundary=None):
    """A multipart/form-data body as a browser sends it: fields (dict or list
    of pairs, text) first, then files, each (field name, file name, bytes[,
    content type]). A file name may be str (sent as UTF-8, '"' as %22 and
    line breaks as %0D/%0A, like browsers do) or bytes (sent as is).
    Returns (body bytes, Content-Type header value)."""
    boundary = boundary or "----vdtest" + os.urandom(12).hex()
    b = boundary.encode()
    if isinstance(fields, dict):
        fields = list(fields.items())
    out = []
    for name, value in fields:
        if isinstance(value, str):
            value = value.encode()
        out.append(b"--" + b + b'\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n'
                   + value + b"\r\n")
    for f in files:
        name, filename, data = f[:3]
        ctype = f[3] if len(f) > 3 else "application/octet-stream"
        if isinstance(filename, str):
            filename = (filename.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")).encode()
        out.append(b"--" + b + b'\r\nContent-Disposition: form-data; name="' + name.encode()
                   + b'"; filename="' + filename + b'"\r\nContent-Type: ' + ctype.encode() + b"\r\n\r\n"
                   + data + b"\r\n")
    out.append(b"--" + b + b"--\r\n")
    return b"".join(out), "multipart/form-data; boundary=" + boundary


class Client:
    """A browser-like client: one cookie jar, one optional X-Forwarded-For."""

    def __init__(self, port, host="127.0.0.1", forwarded_for=None, timeout=30):
        self.host = host
        self.port = port
        self.cookies = {}
        self.forwarded_for = forwarded_for
        self.timeout = timeout

    # -- cookies --
    def cookie_header(self):
        return "; ".join("%s=%s" % kv for kv in self.cookies.items())

    def _store_cookies(self, resp):
        for sc in resp.header_all("Set-Cookie"):
            SEEN_SET_COOKIES.append(sc)
        for name, (value, attrs) in resp.set_cookies().items():
            if value:
                SEEN_SECRETS.add(value)
            expired = any(a == "max-age=0" for a in attrs)
            if expired or value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    # -- requests --
    def request(self, method, path, body=None, headers=None, cookies=True, content_type=None):
        hdrs = {}
        if cookies and self.cookies:
            hdrs["Cookie"] = self.cookie_header()
        if self.forwarded_for:
            hdrs["X-Forwarded-For"] = self.forwarded_for
        if body is not None:
            hdrs["Content-Type"] = content_type or FORM_TYPE
        if headers:
            hdrs.update(headers)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=hdrs)
            r = conn.getresponse()
            data = r.read()
            resp = Response(r.status, r.reason, r.getheaders(), data)
        finally:
            conn.close()
        self._store_cookies(resp)
        for m in re.finditer(r'name="csrf" value="([^"]+)"', resp.text):
            SEEN_SECRETS.add(m.group(1))
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def head(self, path, **kw):
        return self.request("HEAD", path, **kw)

    def post(self, path, fields=None, raw=None, **kw):
        body = raw if raw is not None else encode_form(fields or {})
        return self.request("POST", path, body=body, **kw)

    def post_multipart(self, path, fields=None, files=(), **kw):
        """POSTs fields and files (see encode_multipart) as multipart/form-data."""
        body, ctype = encode_multipart(fields or [], files)
        return self.request("POST", path, body=body, content_type=ctype, **kw)

    def submit(self, page_path, action, fields=None, keep=True, page=None):
        """GETs page_path, takes the form posting to action, fills in fields
        (over the form's own values when keep) and posts it."""
        if page is None:
            r = self.get(page_path)
            if r.status != 200:
                raise AssertionError("GET %s gave %d, not 200" % (page_path, r.status))
            page = r.page
        form = page.form(action)
        if form is None:
            raise AssertionError("no form posting to %s on %s" % (action, page_path))
        if keep:
            pairs = [(n, v) for n, v, _ in form["fields"] if n not in (fields or {})]
        else:
            pairs = [(n, v) for n, v, _ in form["fields"] if n == "csrf"]
        if isinstance(fields, dict):
            for k, v in fields.items():
                if isinstance(v, (list, tuple)):
                    pairs.extend((k, x) for x in v)
                elif v is not None:
                    pairs.append((k, v))
        return self.post(action, pairs)

    def csrf_for(self, page_path, action=None):
        r = self.get(page_path)
        tok = r.page.csrf(action)
        if tok is None:
            raise AssertionError("no csrf token on %s (status %d)" % (page_path, r.status))
        return tok

    def login(self, email, password):
        """GET /login then POST the form. Returns the POST's response."""
        r = self.get("/login")
        if r.status != 200:
            raise AssertionError("GET /login gave %d" % r.status)
        tok = r.page.csrf("/login")
        if tok is None:
            raise AssertionError("the login page has no csrf token")
        return self.post("/login", [("csrf", tok), ("email", email), ("password", password)])


def raw_request(port, data, host="127.0.0.1", timeout=30, read_limit=4 * 1024 * 1024):
    """Sends bytes as they are (they should ask for Connection: close); returns (status, headers list, body bytes) or
    (None, [], b"") when the server closed the connection without an answer.
    A server may answer and close before reading everything we send: the
    answer still counts."""
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        chunks = []
        total = 0
        while total < read_limit:
            try:
                b = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not b:
                break
            chunks.append(b)
            total += len(b)
    finally:
        s.close()
    raw = b"".join(chunks)
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        return None, [], b""
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    if not m:
        return None, [], b""
    headers = []
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.append((k.strip(), v.strip()))
    return int(m.group(1)), headers, body


def raw_response(port, data, **kw):
    status, headers, body = raw_request(port, data, **kw)
    if status is None:
        return None
    return Response(status, "", headers, body)


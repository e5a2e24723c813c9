#!/usr/bin/env python3
"""Checks that the layers of src/ only use the layers below them.

    python3 tests/layers/check.py --src DIR [--build DIR]

The layers, lowest first, and what each may use (README.md "Layout"):

    util    util
    crypto  util, crypto
    store   util, store             (src/store/, src/store/sqlite/, src/store/postgres/)
    core    util, crypto, store, core (public src/core/*.h and src/core/internal/)
    web     util, core's public headers, web
    cli     util, core's public headers, web, cli

Why: every access rule lives in core. If web or cli could reach the store, the
key material or the database library directly, one page could skip a check
that core makes; this test makes such a shortcut fail the build's tests
instead of relying on review.

Three rules:

  include     every `#include "..."` in src/**/*.c|h is resolved the way the
              compiler does (relative to the including file, then relative to
              src/) and the target's layer must be allowed. A public core
              header may include only util and public core headers. An include
              that resolves to no file is a violation too, so a typo cannot hide
              a breach. `#include <...>` of libsodium, SQLite, libpq, libcurl
              and libmicrohttpd is allowed only in the layer that owns it.
  identifier  web and cli, with comments and string literals removed, must not
              name the store (`store`, `store_*`, `->ops`), crypto or libsodium
              (`crypto_*`, `sodium_*`, `randombytes_*`), SQLite or libpq.
  call        (only with --build) from `nm` of the per-layer libraries
              libvd{util,crypto,store,core,web}.a and the cli objects
              vertrouwd.p/*.o: a symbol a layer needs but does not define
              itself must not be defined only in a layer it may not use; of
              the core, web and cli may call only what a public core header
              declares (a prototype written by hand cannot reach an internal
              function); web and cli must not call libsodium, SQLite, libpq or
              libcurl directly. An archive member compiled from another
              layer's source (meson names it src_<layer>_...) is reported as
              rule `object`.

Each violation is printed as `file:line: rule: explanation` (for objects:
`libvdweb.a(member.o): call: ...`). Exit status: 0 clean, 1 violations,
2 the check could not be made (no such --src, a library missing from --build,
no `nm`).
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

LAYERS = ("util", "crypto", "store", "core", "web", "cli")

# What each layer may include. "core" is core's public headers (src/core/*.h
# and anything else directly in src/core/); "core-internal" is src/core/internal/.
INCLUDE_MAY_USE = {
    "util": {"util"},
    "crypto": {"util", "crypto"},
    "store": {"util", "store"},
    "core": {"util", "crypto", "store", "core", "core-internal"},
    "web": {"util", "core", "web"},
    "cli": {"util", "core", "web", "cli"},
}
# A public core header is read by web and cli, so it must not pull in what they
# may not use.
PUBLIC_CORE_HEADER_MAY_USE = {"util", "core"}

# For calls, core is one library: web and cli may use it as a whole.
CALL_MAY_USE = {
    "util": {"util"},
    "crypto": {"util", "crypto"},
    "store": {"util", "store"},
    "core": {"util", "crypto", "store", "core"},
    "web": {"util", "core", "web"},
    "cli": {"util", "core", "web", "cli"},
}

# System headers owned by one place: (matches header name, where allowed, says who).
# A "where" is a layer, or a path prefix under src/ ending in "/".
SYSTEM_HEADERS = (
    (lambda h: h == "sodium.h" or h.startswith("sodium/"), ("util", "crypto"), "util and crypto"),
    (lambda h: h in ("sqlite3.h", "sqlite3ext.h"), ("store/sqlite/",), "src/store/sqlite/"),
    (lambda h: os.path.basename(h) == "libpq-fe.h" or h.startswith("libpq/"),
     ("store/postgres/",), "src/store/postgres/"),
    (lambda h: h.startswith("curl/"), ("core",), "core"),
    (lambda h: h == "microhttpd.h", ("web",), "web"),
    (lambda h: h.startswith("liboath/"), ("crypto",), "crypto"),
    (lambda h: h == "qrencode.h", ("web",), "web"),
)

# Names web and cli must not use, with what they belong to. Applied to code
# without comments, string/char literals and #include lines (includes have
# their own rule). \b treats '_' as a word character, so `no_store` is safe.
FORBIDDEN_IDENTIFIERS = tuple((re.compile(p), owner) for p, owner in (
    (r"\bstore\b", "the store"),
    (r"\b(?:store|STORE)_\w*", "the store"),
    (r"->\s*ops\b", "the store's function table"),
    (r"\b(?:crypto|CRYPTO)_\w*", "crypto"),
    (r"\bsodium_\w*", "libsodium"),
    (r"\brandombytes_\w*", "libsodium"),
    (r"\bsqlite3\w*", "SQLite"),
    (r"\bSQLITE_\w*", "SQLite"),
    (r"\bPQ[a-z]\w*", "libpq"),
))

# Names only the command line may use: web acting as the system (an
# administrator without an account) would skip the checks on its own user.
WEB_FORBIDDEN_IDENTIFIERS = tuple((re.compile(p), owner) for p, owner in (
    (r"\bprincipal_system\b", "the command line's principal"),
))

# Undefined symbols of web and cli with these prefixes are calls into libraries
# that only lower layers may use.
FOREIGN_PREFIXES = (
    ("sodium_", "libsodium"), ("crypto_", "libsodium"), ("randombytes_", "libsodium"),
    ("sqlite3_", "SQLite"), ("PQ", "libpq"), ("curl_", "libcurl"), ("oath_", "liboath"),
)

LIBRARIES = {layer: "libvd%s.a" % layer for layer in LAYERS if layer != "cli"}
CLI_OBJECTS = "vertrouwd.p"

INCLUDE_RE = re.compile(r'^[ \t]*#[ \t]*include\b[ \t]*(.*)$', re.M)
MEMBER_LAYER_RE = re.compile(r"^src_(%s)_" % "|".join(LAYERS))


class CannotCheck(Exception):
    """The tree or build cannot be checked at all (exit status 2)."""


def violation(where, rule, text):
    return "%s: %s: %s" % (where, rule, text)


# ---------------------------------------------------------------- C text

def strip_c(text):
    """Returns (no_comments, code): text with comments blanked, and text with
    comments and the contents of string and char literals blanked. Both keep
    every newline, so line numbers stay right."""
    no_comments, code = [], []
    i, n = 0, len(text)
    state = None  # None, "//", "/*", '"' or "'"

    def put(ch, keep_in_no_comments, keep_in_code):
        blank = "\n" if ch == "\n" else " "
        no_comments.append(ch if keep_in_no_comments else blank)
        code.append(ch if keep_in_code else blank)

    while i < n:
        ch, nxt = text[i], text[i + 1] if i + 1 < n else ""
        if state is None:
            if ch == "/" and nxt in ("/", "*"):
                state = "/" + nxt
                put(ch, False, False)
                put(nxt, False, False)
                i += 2
                continue
            if ch in "\"'":
                state = ch
            put(ch, True, True)
        elif state == "//":
            if ch == "\\" and nxt == "\n":  # a line comment continued
                put(ch, False, False)
                put(nxt, False, False)
                i += 2
                continue
            if ch == "\n":
                state = None
            put(ch, False, False)
        elif state == "/*":
            if ch == "*" and nxt == "/":
                state = None
                put(ch, False, False)
                put(nxt, False, False)
                i += 2
                continue
            put(ch, False, False)
        else:  # inside a string or char literal
            if ch == "\\" and nxt:
                put(ch, True, False)
                put(nxt, True, False)
                i += 2
                continue
            if ch == state or ch == "\n":  # an unclosed literal ends at the line
                state = None
                put(ch, True, True)
            else:
                put(ch, True, False)
        i += 1
    return "".join(no_comments), "".join(code)


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


# ---------------------------------------------------------------- layers

def place_of(rel):
    """Where a path relative to src/ sits: one of LAYERS, "core-internal", or
    None when it is in no layer."""
    parts = rel.replace(os.sep, "/").split("/")
    if len(parts) < 2 or parts[0] not in LAYERS:
        return None
    if parts[0] == "core" and len(parts) > 2 and parts[1] == "internal":
        return "core-internal"
    return parts[0]


def layer_of(place):
    return "core" if place == "core-internal" else place


def is_public_core_header(rel):
    parts = rel.replace(os.sep, "/").split("/")
    return len(parts) == 2 and parts[0] == "core" and parts[1].endswith(".h")


def describe(place):
    return "core's internal headers" if place == "core-internal" else place


def source_files(src):
    """Every .c and .h under src, as paths relative to src, sorted."""
    found = []
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".c", ".h")):
                found.append(os.path.relpath(os.path.join(root, name), src))
    return found


# ---------------------------------------------------------------- rule 1: includes

def resolve_quoted(src, rel, name):
    """Resolves `#include "name"` from src/rel as the compiler would with -Isrc:
    the including file's directory first, then src/. Returns the target
    relative to src (it may start with "..": outside src), or None."""
    for base in (os.path.dirname(os.path.join(src, rel)), src):
        target = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(target):
            return os.path.relpath(target, src)
    return None


def check_system_include(rel, layer, header):
    for matches, where, who in SYSTEM_HEADERS:
        if not matches(header):
            continue
        path = rel.replace(os.sep, "/")
        if any(path.startswith(w) if w.endswith("/") else layer == w for w in where):
            return None
        return "<%s> is only for %s" % (header, who)
    return None


def check_quoted_include(src, rel, layer, name):
    target = resolve_quoted(src, rel, name)
    if target is None:
        return '"%s" resolves to no file (from src/%s or src/)' % (name, os.path.dirname(rel) or ".")
    if target.startswith(".."):
        return '"%s" is outside src/' % name
    place = place_of(target)
    if place is None:
        return '"%s" (src/%s) is in no layer' % (name, target)
    allowed = PUBLIC_CORE_HEADER_MAY_USE if is_public_core_header(rel) else INCLUDE_MAY_USE[layer]
    if place in allowed:
        return None
    who = "a public core header" if is_public_core_header(rel) else layer
    return "%s may not include %s (%s)" % (who, describe(place), name)


def check_includes(src, rel, layer, no_comments):
    """Rule 1 for one file; returns (line, rule, text) tuples."""
    found = []
    for m in INCLUDE_RE.finditer(no_comments):
        line, arg = line_of(no_comments, m.start()), m.group(1).strip()
        quoted = re.match(r'"([^"]*)"', arg)
        angled = re.match(r"<([^>]*)>", arg)
        if quoted:
            problem = check_quoted_include(src, rel, layer, quoted.group(1))
            rule = "missing-include" if problem and "resolves to no file" in problem else "include"
        elif angled:
            problem, rule = check_system_include(rel, layer, angled.group(1)), "system-include"
        else:  # a computed include could name anything; it cannot be checked
            problem, rule = "computed #include %s cannot be checked" % arg, "include"
        if problem:
            found.append((line, rule, problem))
    return found


# ---------------------------------------------------------------- rule 2: identifiers

def check_identifiers(layer, code):
    """Rule 2 for one web or cli file; returns (line, rule, text) tuples."""
    code = INCLUDE_RE.sub(lambda m: " " * len(m.group(0)), code)
    found = []
    forbidden = FORBIDDEN_IDENTIFIERS + (WEB_FORBIDDEN_IDENTIFIERS if layer == "web" else ())
    for lineno, text in enumerate(code.split("\n"), 1):
        seen = set()
        for pattern, owner in forbidden:
            for m in pattern.finditer(text):
                token = re.sub(r"\s+", "", m.group(0))
                if token not in seen:
                    seen.add(token)
                    found.append((lineno, "identifier", "%s may not name %s (%s)" % (layer, token, owner)))
    return found


def check_tree(src):
    """Rules 1 and 2 over every .c and .h under src."""
    out = []
    for rel in source_files(src):
        where = os.path.join(src, rel)
        place = place_of(rel)
        if place is None:
            out.append(violation(where + ":1", "layer", "file is in no layer (%s)" % ", ".join(LAYERS)))
            continue
        layer = layer_of(place)
        with open(where, encoding="utf-8", errors="replace") as f:
            no_comments, code = strip_c(f.read())
        found = check_includes(src, rel, layer, no_comments)
        if layer in ("web", "cli"):
            found += check_identifiers(layer, code)
        for line, rule, text in sorted(found):
            out.append(violation("%s:%d" % (where, line), rule, text))
    return out


# ---------------------------------------------------------------- rule 3: calls

def is_tool_symbol(name):
    """Sanitizer, compiler and linker symbols (__asan_*, __ubsan_*,
    __stack_chk_fail, _GLOBAL_OFFSET_TABLE_, ...): never ours, never a breach."""
    return name.startswith("__") or name.startswith("_GLOBAL_")


def read_objects(paths, label_of):
    """Runs nm over paths; returns {object label: (defined set, undefined set)}.
    label_of(file, archive member or None) names an object in the report."""
    p = subprocess.run(["nm", "-P", "-A", "-g", *paths], capture_output=True, text=True)
    if p.returncode != 0:
        raise CannotCheck("nm failed on %s: %s" % (" ".join(paths), p.stderr.strip()))
    objects = {}
    line_re = re.compile(r"^(?P<file>.+?)(?:\[(?P<member>[^\]]*)\])?: (?P<sym>\S+) (?P<type>\S)")
    for line in p.stdout.splitlines():
        m = line_re.match(line)
        if not m:
            continue
        label = label_of(m.group("file"), m.group("member"))
        defined, undefined = objects.setdefault(label, (set(), set()))
        sym, kind = m.group("sym"), m.group("type")
        if is_tool_symbol(sym):
            continue
        if kind == "U":
            undefined.add(sym)
        elif kind.isupper():  # T D B R C W V ...; w and v are weak undefined: ignored
            defined.add(sym)
    return objects


def read_layers(build):
    """{layer: {object label: (defined, undefined)}} for every layer's objects
    in build. Raises CannotCheck naming everything missing."""
    missing = [lib for lib in LIBRARIES.values() if not os.path.isfile(os.path.join(build, lib))]
    cli_objects = sorted(glob.glob(os.path.join(build, CLI_OBJECTS, "*.o")))
    if not cli_objects:
        missing.append(CLI_OBJECTS + "/*.o")
    if missing:
        raise CannotCheck("\n".join("%s: build: build directory has no %s: build first"
                                    % (os.path.join(build, m), m) for m in missing))
    layers = {}
    for layer, lib in LIBRARIES.items():
        layers[layer] = read_objects([os.path.join(build, lib)],
                                     lambda f, member, lib=lib: "%s(%s)" % (lib, os.path.basename(member or f)))
    layers["cli"] = read_objects(cli_objects,
                                 lambda f, member: "%s/%s" % (CLI_OBJECTS, os.path.basename(f)))
    return layers


def object_name(label):
    """The object's own file name in a label: "libvdweb.a(x.c.o)" -> "x.c.o"."""
    m = re.search(r"\(([^()]*)\)$", label)
    return m.group(1) if m else os.path.basename(label)


DECLARED_RE = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
EXTERN_RE = re.compile(r"\bextern\b[^;]*?\b([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*;")


def public_core_api(src):
    """The names the public core headers declare: every identifier before a
    "(" (functions; a few macro and type names come along, which no object
    defines) and every extern object."""
    names = set()
    for rel in source_files(src):
        if rel.endswith(".h") and is_public_core_header(rel):
            with open(os.path.join(src, rel), encoding="utf-8", errors="replace") as f:
                _, code = strip_c(f.read())
            names.update(DECLARED_RE.findall(code))
            names.update(EXTERN_RE.findall(code))
    return names


def check_calls(build, src):
    """Rule 3 (and the `object` check) over the libraries in build."""
    layers = read_layers(build)
    public = public_core_api(src)
    defined_in = {}  # symbol -> layers that define it
    for layer, objects in layers.items():
        for defined, _ in objects.values():
            for sym in defined:
                defined_in.setdefault(sym, set()).add(layer)
    out = []
    for layer, objects in layers.items():
        own = set().union(*(d for d, _ in objects.values())) if objects else set()
        for label in sorted(objects):
            m = MEMBER_LAYER_RE.match(object_name(label))
            if m and m.group(1) != layer:
                out.append(violation(label, "object", "a %s source compiled into %s's objects"
                                     % (m.group(1), layer)))
            for sym in sorted(objects[label][1] - own):
                problem = call_problem(layer, sym, defined_in.get(sym, set()), public)
                if problem:
                    out.append(violation(label, "call", problem))
    return out


def call_problem(layer, sym, owners, public):
    """Why layer may not use sym (defined in the layers owners), or None;
    public: what the public core headers declare."""
    if owners and not owners & CALL_MAY_USE[layer]:
        return "%s uses %s symbol %s" % (layer, "/".join(sorted(owners)), sym)
    if layer in ("web", "cli") and "core" in owners and not owners & {"util", "web", "cli"} \
            and sym not in public:
        return "%s uses core internal symbol %s (no public core header declares it)" % (layer, sym)
    if layer in ("web", "cli"):
        for prefix, library in FOREIGN_PREFIXES:
            if sym.startswith(prefix):
                return "%s uses %s symbol %s" % (layer, library, sym)
    return None


# ---------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", required=True, help="the src/ directory to check")
    ap.add_argument("--build", help="a build directory with libvd*.a and vertrouwd.p/ (enables the call check)")
    args = ap.parse_args(argv)
    found = []
    try:
        if not any(os.path.isdir(os.path.join(args.src, layer)) for layer in LAYERS):
            raise CannotCheck("%s: has none of %s: not a src/ directory" % (args.src, ", ".join(LAYERS)))
        found += check_tree(args.src)
        if args.build:
            if shutil.which("nm") is None:
                raise CannotCheck("nm not found: install binutils")
            found += check_calls(args.build, args.src)
        else:
            print("check.py: no --build given: the call check is skipped", file=sys.stderr)
    except CannotCheck as e:
        # What was found before is still worth seeing; then why we stopped.
        for line in found:
            print(line)
        print(e, flush=True)
        print("check.py: cannot check", file=sys.stderr)
        return 2
    for line in found:
        print(line)
    print("check.py: %d violation%s" % (len(found), "" if len(found) == 1 else "s"), file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

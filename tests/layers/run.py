#!/usr/bin/env python3
"""The layering test: the real tree is clean, and the checker can fail.

    python3 tests/layers/run.py --src src --build build-asan

Runs tests/layers/check.py on the real src/ and build directory, and first
proves that the checker is not blind: it builds small synthetic trees (and,
with `cc -c` and `ar`, small synthetic libraries) each holding one breach of a
layering rule, and asserts that check.py fails and names the right rule and
file; the same trees without the breach, and harmless look-alikes such as
`no_store`, must pass. A checker that passes everything would otherwise look
exactly like a clean tree.

Prints `PASS: layers/<name>` or `FAIL: layers/<name>: <reason>` per test (the
tree's violations on indented lines below its FAIL) and `N passed, M failed`;
exits 0 only when nothing failed.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "check.py")
SHOW_AT_MOST = 20  # violations of the real tree shown under its FAIL line

SRC = BUILD = TMP = None
results = []
tests = []


def test(fn):
    tests.append(fn)
    return fn


def run_test(fn):
    name = fn.__name__[5:]
    try:
        details = fn() or []
        results.append(True)
        print(f"PASS: layers/{name}", flush=True)
    except AssertionError as e:
        results.append(False)
        reason, *details = str(e).split("\n")
        print(f"FAIL: layers/{name}: {reason}"[:400], flush=True)
    except Exception as e:  # a crash of the test itself is a failure too
        results.append(False)
        details = []
        print(f"FAIL: layers/{name}: {type(e).__name__}: {e}"[:400], flush=True)
    for line in details:  # indented, so no one reads them as PASS:/FAIL: lines
        print("    " + line, flush=True)


def check(src, build=None):
    """Runs check.py; returns (exit status, violation lines)."""
    cmd = [sys.executable, CHECK, "--src", src] + (["--build", build] if build else [])
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return p.returncode, [l for l in p.stdout.splitlines() if l.strip()]


def parse(line):
    """Splits a violation line into (where, rule, text); where is file:line or
    an object label."""
    m = re.match(r"^(.+?): ([a-z-]+): (.*)$", line)
    assert m, "check.py printed a line that is not a violation: %r" % line
    return m.groups()


# ---------------------------------------------------------------- synthetic source trees

# A small tree in which every layer uses exactly what it may: the clean base of
# every breach below.
CLEAN_TREE = {
    "util/buf.h": '#include <stddef.h>\nsize_t buf_len(const char *s);\n',
    "util/buf.c": '#include <string.h>\n#include <sodium.h>\n#include "buf.h"\n'
                  'size_t buf_len(const char *s) { return strlen(s); }\n',
    "crypto/crypto.h": '#include "../util/buf.h"\nvoid crypto_wipe(void *p, size_t n);\n',
    "crypto/crypto.c": '#include <sodium.h>\n#include "crypto.h"\n'
                       'void crypto_wipe(void *p, size_t n) { sodium_memzero(p, n); }\n',
    "store/store.h": '#include "../util/buf.h"\nstruct store { const struct store_ops *ops; };\n',
    "store/sqlite/store_sqlite.c": '#include <sqlite3.h>\n#include "../store.h"\n#include "../../util/buf.h"\n'
                                   'int store_open(void) { return SQLITE_OK; }\n',
    "core/vd.h": '#include "../util/buf.h"\nstruct vd;\nint vd_user_get(struct vd *vd, int id);\n'
                 'int vd_get(int k); /* the public core API of the synthetic libraries */\n',
    "core/x.h": '#include "vd.h"\nint vd_x(void);\n',
    "core/internal/x.h": '#include "../../store/store.h"\n#include "../../crypto/crypto.h"\n'
                         'struct vd { struct store *store; };\n',
    "core/vd.c": '#include <curl/curl.h>\n#include "vd.h"\n#include "internal/x.h"\n'
                 '#include "../store/store.h"\n#include "../crypto/crypto.h"\n'
                 'int vd_user_get(struct vd *vd, int id) { return vd->store->ops != 0 && id; }\n',
    "web/web.h": '#include "../core/vd.h"\nint web_page(struct vd *vd);\n',
    "web/web.c": '#include <microhttpd.h>\n#include "web.h"\n#include "../util/buf.h"\n'
                 '#include "util/buf.h" /* the src/-relative style resolves too */\n'
                 'int web_page(struct vd *vd) { return vd_user_get(vd, (int)buf_len("")); }\n',
    "cli/cli.h": '#include "../web/web.h"\n',
    "cli/main.c": '#include "cli.h"\n#include "../core/vd.h"\n#include "../util/buf.h"\n'
                  'int main(void) { return web_page(0); }\n',
}

# One breach each: (test name, {file: text to add at its end}, file that must be
# named, rule, words the explanation must hold).
BREACHES = (
    ("web_includes_store", {"web/web.c": '#include "../store/store.h"\n'},
     "web/web.c", "include", "web may not include store"),
    ("web_includes_crypto", {"web/web.c": '#include "../crypto/crypto.h"\n'},
     "web/web.c", "include", "web may not include crypto"),
    ("cli_includes_core_internal", {"cli/main.c": '#include "../core/internal/x.h"\n'},
     "cli/main.c", "include", "cli may not include core's internal headers"),
    ("web_includes_core_internal_src_relative", {"web/web.c": '#include "core/internal/x.h"\n'},
     "web/web.c", "include", "web may not include core's internal headers"),
    ("store_includes_core", {"store/sqlite/store_sqlite.c": '#include "../../core/vd.h"\n'},
     "store/sqlite/store_sqlite.c", "include", "store may not include core"),
    ("util_includes_core", {"util/buf.c": '#include "../core/x.h"\n'},
     "util/buf.c", "include", "util may not include core"),
    ("crypto_includes_store", {"crypto/crypto.c": '#include "../store/store.h"\n'},
     "crypto/crypto.c", "include", "crypto may not include store"),
    ("public_core_header_includes_store", {"core/x.h": '#include "../store/store.h"\n'},
     "core/x.h", "include", "a public core header may not include store"),
    ("public_core_header_includes_internal", {"core/x.h": '#include "internal/x.h"\n'},
     "core/x.h", "include", "a public core header may not include core's internal headers"),
    ("web_includes_sodium", {"web/web.c": '#include <sodium.h>\n'},
     "web/web.c", "system-include", "<sodium.h> is only for util and crypto"),
    ("store_header_includes_sqlite", {"store/store.h": '#include <sqlite3.h>\n'},
     "store/store.h", "system-include", "<sqlite3.h> is only for src/store/sqlite/"),
    ("web_includes_curl", {"web/web.c": '#include <curl/curl.h>\n'},
     "web/web.c", "system-include", "<curl/curl.h> is only for core"),
    ("web_names_crypto_wipe", {"web/web.c": 'void w(char *p) { crypto_wipe(p, 1); }\n'},
     "web/web.c", "identifier", "web may not name crypto_wipe"),
    ("web_uses_store_ops", {"web/web.c": 'int u(struct s *s) { return s->ops->user_get(0); }\n'},
     "web/web.c", "identifier", "web may not name ->ops"),
    ("web_names_store", {"web/web.c": 'int v(struct vd *vd) { return vd->store != 0; }\n'},
     "web/web.c", "identifier", "web may not name store"),
    ("cli_names_sqlite", {"cli/main.c": 'int q(void) { return SQLITE_OK; }\n'},
     "cli/main.c", "identifier", "cli may not name SQLITE_OK"),
    ("web_names_principal_system", {"web/web.c": 'const void *sys(void) { return &principal_system; }\n'},
     "web/web.c", "identifier", "web may not name principal_system"),
    ("missing_include", {"web/web.c": '#include "../util/bfu.h"\n'},
     "web/web.c", "missing-include", '"../util/bfu.h" resolves to no file'),
)


def write_tree(root, extra=None):
    """Writes CLEAN_TREE under root/src, with extra's texts appended to their
    files; returns the src path."""
    src = os.path.join(root, "src")
    for rel, text in CLEAN_TREE.items():
        path = os.path.join(src, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text + (extra or {}).get(rel, ""))
    for rel in set(extra or {}) - set(CLEAN_TREE):
        with open(os.path.join(src, rel), "w") as f:
            f.write(extra[rel])
    return src


def fresh(name):
    path = os.path.join(TMP, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def assert_only(lines, where, rule, words):
    """The violations are exactly the planted breach: at least one, each in the
    expected place, each with the expected rule and words."""
    assert lines, "no violation reported"
    for line in lines:
        at, got_rule, text = parse(line)
        assert where in at and got_rule == rule and words in text, \
            "expected %s: %s: ...%s..., got %r" % (where, rule, words, line)


@test
def test_clean_tree_passes():
    rc, lines = check(write_tree(fresh("clean")))
    assert rc == 0 and not lines, "exit %d\n%s" % (rc, "\n".join(lines))


# Words that look like breaches but are not: names that merely contain "store",
# and the forbidden words in comments, strings and char literals.
LOOK_ALIKES = {
    "web/web.c": '/* Nothing here touches the store; crypto_wipe is core\'s business. */\n'
                 '// s->ops->user_get would be wrong, but this is a comment \\\n'
                 '   continued: sodium_memzero(store)\n'
                 'static const char *cache = "no-store"; /* never store_ anything */\n'
                 'static const char quote = \'"\', *more = "\\" store_get(\\"x\\")";\n'
                 'static int cache_store(int no_store) { return no_store + quote + *more + *cache; }\n',
    "cli/main.c": '#define NO_STORE_HINT "use the store through core: PQexec, sqlite3_open"\n'
                  'static int restore(int options) { return options; } /* ->ops */\n',
}


@test
def test_harmless_look_alikes_pass():
    rc, lines = check(write_tree(fresh("look-alikes"), LOOK_ALIKES))
    assert rc == 0 and not lines, "exit %d\n%s" % (rc, "\n".join(lines))


def breach_test(name, extra, file, rule, words):
    def fn():
        src = write_tree(fresh(name), extra)
        rc, lines = check(src)
        assert rc == 1, "exit %d, expected 1\n%s" % (rc, "\n".join(lines))
        assert_only(lines, os.path.join(src, file) + ":", rule, words)
    fn.__name__ = "test_catches_" + name
    return fn


for _breach in BREACHES:
    tests.append(breach_test(*_breach))


@test
def test_file_in_no_layer_is_caught():
    src = write_tree(fresh("no-layer"), {"misc.c": "int misc;\n"})
    rc, lines = check(src)
    assert rc == 1, "exit %d, expected 1" % rc
    assert_only(lines, os.path.join(src, "misc.c") + ":", "layer", "in no layer")


# ---------------------------------------------------------------- synthetic libraries

# Tiny objects, one per layer, calling only what they may, plus the breaches.
OBJECTS = {
    "util": "int util_len(const char *s) { return s != 0; }\n",
    "crypto": "int util_len(const char *s);\nint box_seal(void) { return util_len(\"x\"); }\n",
    "store": "int util_len(const char *s);\nint store_get(int k) { return k + util_len(\"\"); }\n",
    "core": "int store_get(int k);\nint box_seal(void);\n"
            "int vd_get(int k) { return store_get(k) + box_seal(); }\n"
            "int vd_secret_key(void) { return box_seal(); } /* internal: in no public header */\n",
    "web": "int vd_get(int k);\nint util_len(const char *s);\n"
           "int web_page(int k) { return vd_get(k) + util_len(\"\"); }\n",
    "cli": "int web_page(int k);\nint vd_get(int k);\nint main(void) { return web_page(1) + vd_get(2); }\n",
    "web_calls_store": "int store_get(int k);\nint web_page(int k) { return store_get(k); }\n",
    "web_calls_sodium": "#include <stddef.h>\nvoid sodium_memzero(void *p, size_t n);\n"
                        "int web_page(int k) { char c = 1; sodium_memzero(&c, 1); return k + c; }\n",
    "cli_calls_crypto": "int web_page(int k);\nint box_seal(void);\n"
                        "int main(void) { return web_page(1) + box_seal(); }\n",
    "web_calls_core_internal": "int vd_secret_key(void);\n"
                               "int web_page(int k) { return k + vd_secret_key(); }\n",
}
compiled = {}


def compile_object(name):
    """Compiles OBJECTS[name] once; returns the object's path."""
    if name not in compiled:
        d = os.path.join(TMP, "objects")
        os.makedirs(d, exist_ok=True)
        c = os.path.join(d, name + ".c")
        with open(c, "w") as f:
            f.write(OBJECTS[name])
        o = os.path.join(d, name + ".o")
        p = subprocess.run(["cc", "-c", "-o", o, c], capture_output=True, text=True)
        assert p.returncode == 0, "cc -c %s failed: %s" % (c, p.stderr.strip())
        compiled[name] = o
    return compiled[name]


def write_build(root, **use):
    """Makes a build directory laid out as meson's: libvd<layer>.a holding
    libvd<layer>.a.p/src_<layer>_x.c.o, and vertrouwd.p/src_cli_main.c.o.
    use maps a layer to the OBJECTS entry to put there (default: its own), or
    to None to leave that library out; a value "util+core" puts two objects
    in one library."""
    build = os.path.join(root, "build")
    for layer in ("util", "crypto", "store", "core", "web", "cli"):
        names = use.get(layer, layer)
        if names is None:
            continue
        objdir = os.path.join(build, "vertrouwd.p" if layer == "cli" else "libvd%s.a.p" % layer)
        os.makedirs(objdir, exist_ok=True)
        members = []
        for name in names.split("+"):
            source_layer = name.split("_")[0]
            member = os.path.join(objdir, "src_%s_%s.c.o" % (source_layer, name))
            shutil.copy(compile_object(name), member)
            members.append(member)
        if layer != "cli":
            lib = os.path.join(build, "libvd%s.a" % layer)
            p = subprocess.run(["ar", "rcs", lib, *members], capture_output=True, text=True)
            assert p.returncode == 0, "ar failed: %s" % p.stderr.strip()
    return build


def symbol_case(name, **use):
    root = fresh(name)
    return check(write_tree(root), write_build(root, **use))


@test
def test_clean_libraries_pass():
    rc, lines = symbol_case("sym-clean")
    assert rc == 0 and not lines, "exit %d\n%s" % (rc, "\n".join(lines))


@test
def test_catches_web_calling_store():
    rc, lines = symbol_case("sym-web-store", web="web_calls_store")
    assert rc == 1, "exit %d, expected 1\n%s" % (rc, "\n".join(lines))
    assert_only(lines, "libvdweb.a(src_web_web_calls_store.c.o)", "call", "web uses store symbol store_get")


@test
def test_catches_web_calling_sodium():
    rc, lines = symbol_case("sym-web-sodium", web="web_calls_sodium")
    assert rc == 1, "exit %d, expected 1\n%s" % (rc, "\n".join(lines))
    assert_only(lines, "libvdweb.a(", "call", "web uses libsodium symbol sodium_memzero")


@test
def test_catches_cli_calling_crypto():
    rc, lines = symbol_case("sym-cli-crypto", cli="cli_calls_crypto")
    assert rc == 1, "exit %d, expected 1\n%s" % (rc, "\n".join(lines))
    assert_only(lines, "vertrouwd.p/src_cli_cli_calls_crypto.c.o", "call", "cli uses crypto symbol box_seal")


@test
def test_catches_web_calling_core_internal():
    # A prototype written by hand: no include, no forbidden name, still a breach.
    rc, lines = symbol_case("sym-web-core-internal", web="web_calls_core_internal")
    assert rc == 1, "exit %d, expected 1\n%s" % (rc, "\n".join(lines))
    assert_only(lines, "libvdweb.a(src_web_web_calls_core_internal.c.o)", "call",
                "web uses core internal symbol vd_secret_key")


@test
def test_catches_object_in_wrong_library():
    # The old layout: util's objects inside libvdcore.a.
    rc, lines = symbol_case("sym-object", util="util", core="core+util")
    assert rc == 1, "exit %d, expected 1\n%s" % (rc, "\n".join(lines))
    assert_only(lines, "libvdcore.a(src_util_util.c.o)", "object", "a util source compiled into core")


@test
def test_missing_library_is_a_failure():
    rc, lines = symbol_case("sym-missing", crypto=None)
    assert rc == 2, "exit %d, expected 2\n%s" % (rc, "\n".join(lines))
    assert any("build directory has no libvdcrypto.a: build first" in l for l in lines), "\n".join(lines)


# ---------------------------------------------------------------- the real tree

@test
def test_tree_is_clean():
    rc, lines = check(SRC, BUILD)
    if rc == 0 and not lines:
        return
    # Why the check could not be made (rule "build") comes before the rest.
    lines = sorted(lines, key=lambda l: ": build: " not in l)
    shown = lines[:SHOW_AT_MOST] + (["... and %d more" % (len(lines) - SHOW_AT_MOST)]
                                     if len(lines) > SHOW_AT_MOST else [])
    what = "cannot check" if rc == 2 else "%d violation%s" % (len(lines), "" if len(lines) == 1 else "s")
    raise AssertionError("check.py --src %s --build %s: %s (exit %d)\n%s"
                         % (SRC, BUILD, what, rc, "\n".join(shown)))


def main():
    global SRC, BUILD, TMP
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--build", required=True)
    args = ap.parse_args()
    SRC, BUILD = args.src, args.build  # as given, so the report's paths read as typed
    with tempfile.TemporaryDirectory(prefix="vd-layers-") as t:
        TMP = t
        for fn in tests:
            run_test(fn)
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

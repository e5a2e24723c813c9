"""db: the installation's database, straight, past the server: for the few
checks that must look at what is stored (nothing readable in it, a row
changed by hand to make a rare case). SQLite in the data directory, or, with
VD_WEB_STORE=postgres, the PostgreSQL database its vertrouwd.conf names
(psycopg2, Debian's python3-psycopg2). Queries use ? for their parameters."""
import os
import re


def on_postgres():
    return os.environ.get("VD_WEB_STORE") == "postgres"


def store_url(datadir):
    with open(os.path.join(datadir, "vertrouwd.conf")) as f:
        m = re.search(r"^store_url = (.*)$", f.read(), re.M)
    return m.group(1).strip()


class _Pg:
    def __init__(self, url):
        import psycopg2
        self.con = psycopg2.connect(url)

    def execute(self, sql, args=()):
        cur = self.con.cursor()
        cur.execute(sql.replace("?", "%s"), tuple(args))
        return _Rows(cur)

    def commit(self):
        self.con.commit()

    def close(self):
        self.con.close()


class _Rows:
    def __init__(self, cur):
        self.cur = cur

    @staticmethod
    def _plain(row):
        return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)

    def fetchone(self):
        row = self.cur.fetchone() if self.cur.description else None
        return self._plain(row) if row else None

    def fetchall(self):
        return [self._plain(r) for r in self.cur.fetchall()] if self.cur.description else []

    def __iter__(self):
        return iter(self.fetchall())


def connect(datadir, readonly=False, timeout=5):
    """A connection with execute(sql, args), commit() and close()."""
    if on_postgres():
        return _Pg(store_url(datadir))
    import sqlite3
    path = os.path.join(datadir, "vertrouwd.db")
    if readonly:
        return sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=timeout)
    return sqlite3.connect(path, timeout=timeout)


def files(datadir):
    """The files the database keeps its rows in: SQLite's file and its WAL,
    or, on PostgreSQL (tests/pg/cluster: the cluster in DIR/data), this
    database's own files and the cluster's write-ahead log, after a
    checkpoint has written every committed row out."""
    if not on_postgres():
        return [os.path.join(datadir, n) for n in ("vertrouwd.db", "vertrouwd.db-wal")]
    con = _Pg(store_url(datadir))
    try:
        con.con.autocommit = True
        con.execute("CHECKPOINT")
        oid = con.execute("SELECT oid FROM pg_database WHERE datname = current_database()").fetchone()[0]
    finally:
        con.close()
    cluster = os.path.join(re.search(r"host=(\S+)", os.environ["VD_TEST_PG"]).group(1), "data")
    out = []
    for top in (os.path.join("base", str(oid)), "pg_wal"):
        d = os.path.join(cluster, top)
        out += [os.path.join(d, n) for n in sorted(os.listdir(d)) if os.path.isfile(os.path.join(d, n))]
    return out


def installation_files(datadir):
    """Every file of the data directory, and the database's wherever it is."""
    paths = []
    for root, _, names in os.walk(datadir):
        paths += [os.path.join(root, n) for n in names]
    if on_postgres():
        paths += files(datadir)
    return paths


def files_contain(datadir, marker):
    """Is marker (bytes or text) in any of the database's files?"""
    needle = marker.encode() if isinstance(marker, str) else marker
    for path in files(datadir):
        try:
            with open(path, "rb") as f:
                if needle in f.read():
                    return True
        except OSError:
            pass
    return False

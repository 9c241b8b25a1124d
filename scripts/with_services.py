"""Run a command with PostgreSQL and Redis reachable, then pass on its exit code.

PostgreSQL: DATABASE_URL if set; else the local server on 127.0.0.1:5432 (started with
pg_ctlcluster if installed but down); else a throwaway cluster made with the local binaries
(installed with apt-get when missing and running as root). Redis likewise: REDIS_URL, else
127.0.0.1:6379 (started if installed but down), else a throwaway redis-server.
Usage: python scripts/with_services.py [--create-db] [--replica] COMMAND [ARGS...]
(--create-db: create the database DATABASE_URL names when it does not exist yet, as the benchmark needs;
--replica: a throwaway primary and a real streaming standby of it, as DATABASE_URL and
DATABASE_REPLICA_URL, for the read-replica router's tests.)
"""

import atexit
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def log(msg: str) -> None:
    print(f"[services] {msg}", file=sys.stderr, flush=True)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def wait_port(host: str, port: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_open(host, port):
            return True
        time.sleep(0.3)
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def apt_install(*packages: str) -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    log(f"installing {' '.join(packages)} with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=False, env=env)


def pg_bindir() -> str | None:
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for d in dirs:
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    found = shutil.which("initdb")
    return os.path.dirname(found) if found else None


def as_postgres_user(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def ensure_postgres() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    local = "postgres://postgres@127.0.0.1:5432/asnportal"
    if port_open("127.0.0.1", 5432):
        return local
    if not pg_bindir():
        apt_install("postgresql")
    if shutil.which("pg_ctlcluster") and glob.glob("/etc/postgresql/*/main"):
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        log(f"starting the local PostgreSQL {version} cluster")
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
        if wait_port("127.0.0.1", 5432):
            return local
    bindir = pg_bindir()
    if not bindir:
        sys.exit("[services] PostgreSQL is not installed and could not be installed; set DATABASE_URL.")
    port = throwaway_cluster(bindir)
    return f"postgres://postgres@127.0.0.1:{port}/asnportal"


def pg_start(bindir: str, datadir: str, port: int) -> None:
    subprocess.run(
        as_postgres_user(
            [
                f"{bindir}/pg_ctl", "start", "-D", datadir, "-w", "-l", f"{datadir}/log",
                "-o", f"-p {port} -k {datadir} -h 127.0.0.1 -c fsync=off",
            ]
        ),
        check=True,
    )  # fmt: skip

    def stop() -> None:
        subprocess.run(
            as_postgres_user([f"{bindir}/pg_ctl", "-D", datadir, "-m", "fast", "stop"]), check=False
        )
        shutil.rmtree(datadir, ignore_errors=True)

    atexit.register(stop)


def postgres_dir(prefix: str) -> str:
    datadir = tempfile.mkdtemp(prefix=prefix)
    if os.geteuid() == 0:
        shutil.chown(datadir, user="postgres")
    return datadir


def throwaway_cluster(bindir: str) -> int:
    """A new cluster on a free port (trust auth, replication allowed from loopback, as initdb writes)."""
    datadir, port = postgres_dir("asn-pg-"), free_port()
    log(f"starting a throwaway PostgreSQL cluster on port {port}")
    subprocess.run(
        as_postgres_user([f"{bindir}/initdb", "-D", datadir, "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    pg_start(bindir, datadir, port)
    return port


def ensure_replica_pair() -> tuple[str, str]:
    """A throwaway primary and a real streaming standby of it (pg_basebackup -R): the router's tests
    need a primary they may replicate, which the machine's own cluster need not allow."""
    bindir = pg_bindir()
    if not bindir:
        apt_install("postgresql")
        bindir = pg_bindir()
    if not bindir:
        sys.exit("[services] PostgreSQL is not installed and could not be installed: no standby possible.")
    primary = throwaway_cluster(bindir)
    standby_dir, standby = postgres_dir("asn-pg-standby-"), free_port()
    log(f"starting a streaming standby of port {primary} on port {standby}")
    subprocess.run(
        as_postgres_user(
            [f"{bindir}/pg_basebackup", "-h", "127.0.0.1", "-p", str(primary), "-U", "postgres",
             "-D", standby_dir, "-R", "-X", "stream", "-c", "fast"]
        ),
        check=True,
    )  # fmt: skip
    pg_start(bindir, standby_dir, standby)
    return (
        f"postgres://postgres@127.0.0.1:{primary}/asnportal",
        f"postgres://postgres@127.0.0.1:{standby}/asnportal",
    )


def ensure_redis() -> str:
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    if port_open("127.0.0.1", 6379):
        return "redis://127.0.0.1:6379/0"
    if not shutil.which("redis-server"):
        apt_install("redis-server")
    if not shutil.which("redis-server"):
        sys.exit("[services] redis-server is not installed and could not be installed; set REDIS_URL.")
    port = 6379
    log(f"starting redis-server on port {port}")
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            tempfile.gettempdir(),
        ],
        check=True,
    )
    if not wait_port("127.0.0.1", port):
        sys.exit("[services] redis-server did not start")
    return f"redis://127.0.0.1:{port}/0"


def database_create(url: str) -> None:
    import urllib.parse

    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(url.replace(parts.path, "/postgres", 1))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            log(f"creating database {name}")
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def main() -> int:
    args = sys.argv[1:]
    flags = set()
    while args and args[0] in ("--create-db", "--replica"):
        flags.add(args.pop(0))
    if not args:
        print(__doc__)
        return 2
    env = dict(os.environ)
    if "--replica" in flags:
        env["DATABASE_URL"], env["DATABASE_REPLICA_URL"] = ensure_replica_pair()
    else:
        env["DATABASE_URL"] = ensure_postgres()
    if "--create-db" in flags:
        database_create(env["DATABASE_URL"])
    env["REDIS_URL"] = ensure_redis()
    env.setdefault("DJANGO_ENV", "test")
    replica = f" DATABASE_REPLICA_URL={env['DATABASE_REPLICA_URL']}" if "--replica" in flags else ""
    log(f"DATABASE_URL={env['DATABASE_URL']}{replica} REDIS_URL={env['REDIS_URL']}")
    return subprocess.run(args, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())

"""What the benchmark scripts share: a child's environment, manage.py, a scratch PostgreSQL
database, gunicorn run as `make serve` runs it, wrk, and the CPU time processes use."""

import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def env(database_url, **extra):
    """The environment of a child: debug off, plain HTTP, the given database."""
    values = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    values.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY="benchmark-only",
        DJANGO_HTTPS="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        **extra,
    )
    return values


def manage(database_url, *args, **extra):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env(database_url, **extra),
        check=True,
        capture_output=True,
        text=True,
    )


def fresh_postgres(name):
    """An empty, migrated PostgreSQL database called `name` (dropped first if it exists)."""
    import psycopg

    admin = f"{PG_SERVER}/postgres".replace("postgres://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG_SERVER}/{name}"
    manage(url, "migrate", "--noinput", "-v0")
    return url


def write_section(name, title, lines, first_line):
    """Put `lines` (starting with the "## title" heading) in benchmarks/`name` in place of
    that section, keeping what comes before it; a new file starts with `first_line`."""
    path = ROOT / "benchmarks" / name
    text = path.read_text() if path.exists() else first_line + "\n"
    text = text.split(f"\n## {title}")[0].rstrip("\n") + "\n" + "\n".join(lines)
    path.write_text(text)
    print("\n".join(lines))


def machine():
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def port_is_free(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@contextmanager
def gunicorn(database_url, port, *, workers=3, args=(), stdout=None, stderr=None, **extra_env):
    """gunicorn serving the project on 127.0.0.1:`port` until the block ends.

    Its output is discarded unless `stdout` / `stderr` name open files."""
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "tracker.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *args,
        ],
        cwd=ROOT,
        env=env(database_url, **extra_env),
        stdout=stdout or subprocess.DEVNULL,
        stderr=stderr or subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def wait_for(address, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(address, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{address} did not answer within {timeout} s")


def has_wrk():
    return shutil.which("wrk") is not None


def wrk(address, *, seconds, connections=16, threads=2, options=()):
    """wrk's report of `seconds` of load on `address`."""
    return subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", *options, address],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def cpu_seconds(pids):
    """User and system CPU seconds the processes have used so far (Linux /proc); a process
    that has gone counts nothing."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def process_group(pid):
    """The pids of the process group `pid` leads: gunicorn's master and its workers."""
    found = subprocess.run(["pgrep", "-g", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


def postgres_backends(database_url):
    """The pids of the PostgreSQL server processes serving connections to this database."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER.replace('postgres://', 'postgresql://')}/postgres") as c:
        rows = c.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name])
        return [pid for (pid,) in rows]


def children_cpu_seconds():
    """CPU seconds of this process's finished children (wrk, once waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wrk_figures(report):
    """Requests/s, count, non-2xx/3xx answers and socket errors from a wrk report."""
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    return {
        "requests_per_s": round(float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))),
        "requests": int(re.search(r"(\d+) requests in", report).group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
    }

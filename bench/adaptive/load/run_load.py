"""HTTP load test of the practice loop: N concurrent learners, each getting the next item and
posting an answer, against a node served by gunicorn exactly as ``edubridge serve`` serves it.

    .venv/bin/python bench/adaptive/load/run_load.py --db sqlite
    .venv/bin/python bench/adaptive/load/run_load.py --db postgres   # postgres://postgres@127.0.0.1:5432

The load generator is standard-library asyncio (one keep-alive connection per learner, raw
HTTP/1.1), so it needs nothing beyond the project's own environment. It runs on the same machine
as the server, so it takes CPU from it; the script prints the load average before and after.
PostgreSQL runs use their own database (``edubridge_load``, dropped and created), never ``test``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PY = sys.executable
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "edubridge_load"


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of ``root`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        pid = int(entry.name)
        stats[pid] = fields
        children.setdefault(int(fields[1]), []).append(pid)
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += (int(stats[pid][11]) + int(stats[pid][12])) / tick
        todo.extend(children.get(pid, []))
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def prepare(db: str, data_dir: Path, learners: int, reuse: bool) -> tuple[dict[str, str], dict]:  # type: ignore[type-arg]
    saved = data_dir / "setup.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "edubridge.core.settings",
        "EDUBRIDGE_DATA_DIR": str(data_dir),
        "EDUBRIDGE_TASK_QUEUE": "edubridge-load",
        "OPENBLAS_NUM_THREADS": "1",
    }
    env.pop("DATABASE_URL", None)
    if db == "sqlite-persistent":
        # the same SQLite file through DATABASE_URL, which keeps connections for 60 s
        env["DATABASE_URL"] = f"sqlite:///{(data_dir / 'edubridge.sqlite3').resolve()}"
    if db == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    if reuse and saved.exists():
        return env, json.loads(saved.read_text())
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    edubridge = str(Path(PY).with_name("edubridge"))
    t = time.perf_counter()
    run([edubridge, "migrate", "-v0"], env)
    out = run([PY, str(Path(__file__).with_name("setup_learners.py")), str(learners)], env)
    setup = json.loads(out.strip().splitlines()[-1])
    saved.write_text(json.dumps(setup))
    print(
        f"setup ({db}): migrate + demo class + {learners} learners in {time.perf_counter() - t:.0f} s"
    )
    return env, setup


class Conn:
    """One keep-alive HTTP/1.1 connection (the server is gunicorn on loopback)."""

    def __init__(self, port: int, key: str) -> None:
        self.port, self.key = port, key
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.last_used = 0.0
        #: whether the last request opened a new connection, and how long connecting took
        self.opened = False
        self.connect_s = 0.0

    #: seconds idle after which the connection is reopened rather than reused: like a browser,
    #: before the server closes it (``--keep-alive``) instead of racing the server's close
    IDLE_REOPEN = 74.0

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        """One request; a keep-alive connection the server closed meanwhile is reopened once
        (gunicorn closes idle connections after 2 s, shorter than a learner's think time)."""
        try:
            return await self._request(method, path, body)
        except (ConnectionError, asyncio.IncompleteReadError):
            if self.writer is not None:
                self.writer.close()
            self.writer = None
            return await self._request(method, path, body)

    async def _request(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is not None and time.perf_counter() - self.last_used > self.IDLE_REOPEN:
            self.writer.close()
            self.writer = None
        self.opened, self.connect_s = False, 0.0
        if self.writer is None:
            c0 = time.perf_counter()
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            self.opened, self.connect_s = True, time.perf_counter() - c0
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {self.key}\r\n"
            f"Accept: application/json\r\nContent-Length: {len(body)}\r\n"
            + ("Content-Type: application/json\r\n" if body else "")
            + "\r\n"
        )
        self.writer.write(head.encode() + body)
        await self.writer.drain()
        assert self.reader is not None
        status_line = await self.reader.readline()
        if not status_line:
            self.writer = None
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length, close = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value.strip())
            elif name.lower() == "connection" and value.strip().lower() == "close":
                close = True
        data = await self.reader.readexactly(length) if length else b""
        self.last_used = time.perf_counter()
        if close:
            self.writer.close()
            self.writer = None
        return status, data


async def learner_loop(
    port: int,
    key: str,
    classroom: int,
    until: float,
    measure_from: float,
    lat: dict[str, list[float]],
    counts: dict[str, int],
    rng: random.Random,
    think: float,
    answers: dict[str, str],
) -> None:
    conn = Conn(port, key)
    if think:
        await asyncio.sleep(rng.uniform(0, think))  # learners do not all start at once
    while time.perf_counter() < until:
        t0 = time.perf_counter()
        status, data = await conn.request("GET", f"/api/adaptive/next?classroom={classroom}")
        t1 = time.perf_counter()
        if status != 200:
            counts["errors"] += 1
            counts[f"next {status}"] = counts.get(f"next {status}", 0) + 1
            await asyncio.sleep(0.1)
            continue
        nxt = json.loads(data)
        if t0 >= measure_from:
            lat["next"].append(t1 - t0)
            note(conn, "next", t1 - t0, t0 - measure_from)
        if nxt["item"] is None:
            counts["finished"] += 1
            return
        right = answers.get(str(nxt["item"]), "0")
        response = right if rng.random() < 0.7 else "0"
        if nxt["content"]["interaction"]["type"] == "choice" and response == "0":
            choices = [c["id"] for c in nxt["content"]["interaction"]["choices"]]
            response = rng.choice(choices)
        body = json.dumps({"classroom": classroom, "item": nxt["item"], "response": response})
        t2 = time.perf_counter()
        status, data = await conn.request("POST", "/api/adaptive/answers", body.encode())
        t3 = time.perf_counter()
        if status != 201:
            counts["errors"] += 1
            counts[f"answer {status}"] = counts.get(f"answer {status}", 0) + 1
            continue
        if t2 >= measure_from:
            lat["answer"].append(t3 - t2)
            note(conn, "answer", t3 - t2, t2 - measure_from)
            counts["answers"] += 1
        if think:
            # reading the feedback and the next item: exponential, mean ``think`` seconds
            await asyncio.sleep(min(rng.expovariate(1 / think), 5 * think))


#: requests over 200 ms: (endpoint, opened a connection, connect ms, total ms, seconds into the run)
SLOW: list[tuple[str, bool, float, float, float]] = []


def note(conn: Conn, what: str, seconds: float, at: float) -> None:
    if seconds > 0.2:
        SLOW.append((what, conn.opened, conn.connect_s * 1000, seconds * 1000, at))


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000


def served_by_worker(access_log: Path) -> dict[str, list[float]]:
    """Worker pid -> its request times in ms, in order, from the access log (format set in
    ``serve``: ``[time] <pid> "request" status ms``)."""
    out: dict[str, list[float]] = {}
    if not access_log.exists():
        return out
    for line in access_log.read_text(errors="replace").splitlines():
        if '> "' not in line or "<" not in line:
            continue
        pid = line[line.index("<") + 1 : line.index(">")]
        try:
            out.setdefault(pid, []).append(float(line.rsplit(" ", 1)[1]))
        except ValueError:
            continue
    return out


async def warm_up(
    port: int, setup: dict, workers: int, access_log: Path, limit: float = 120.0
) -> float:  # type: ignore[type-arg]
    """Until every worker has served its first requests (the fitted model and the bank are
    loaded lazily in each process): 8 new connections a round ask for the next item (new ones,
    so that every worker accepts some) until the access log shows each of ``workers`` processes
    with its last 10 requests under 100 ms. Returns the seconds it took."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        conns = [Conn(port, k) for k in setup["keys"][:8]]
        await asyncio.gather(
            *[c.request("GET", f"/api/adaptive/next?classroom={setup['classroom']}") for c in conns]
        )
        for c in conns:
            if c.writer is not None:
                c.writer.close()
        await asyncio.sleep(0.05)
        seen = served_by_worker(access_log)
        if len(seen) >= workers and all(
            len(ms) >= 10 and max(ms[-10:]) < 100 for ms in seen.values()
        ):
            break
    return time.perf_counter() - start


async def load(  # type: ignore[type-arg]
    port: int,
    setup: dict,
    duration: float,
    warmup: float,
    think: float,
    server_pid: int,
    concurrent: int,
) -> dict:
    lat: dict[str, list[float]] = {"next": [], "answer": []}
    counts = {"answers": 0, "errors": 0, "finished": 0}
    start = time.perf_counter()
    measure_from = start + warmup
    until = measure_from + duration
    rng = random.Random(6)
    cpu: dict[str, float] = {}

    async def sample_cpu() -> None:
        await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
        cpu["server0"], cpu["self0"] = tree_cpu_seconds(server_pid), time.process_time()
        await asyncio.sleep(max(0.0, until - time.perf_counter()))
        cpu["server1"], cpu["self1"] = tree_cpu_seconds(server_pid), time.process_time()

    await asyncio.gather(
        sample_cpu(),
        *[
            learner_loop(
                port,
                k,
                setup["classroom"],
                until,
                measure_from,
                lat,
                counts,
                rng,
                think,
                setup.get("answers", {}),
            )
            for k in setup["keys"][:concurrent]
        ],
    )
    server_cpu = cpu["server1"] - cpu["server0"]
    both = lat["next"] + lat["answer"]
    return {
        "answers_per_second": counts["answers"] / duration,
        "answers": counts["answers"],
        "errors": counts["errors"],
        "error_kinds": {k: v for k, v in counts.items() if " " in k},
        "learners_finished": counts["finished"],
        "next_p50_ms": pct(lat["next"], 0.5),
        "next_p99_ms": pct(lat["next"], 0.99),
        "answer_p50_ms": pct(lat["answer"], 0.5),
        "answer_p99_ms": pct(lat["answer"], 0.99),
        "all_p50_ms": pct(both, 0.5),
        "all_p99_ms": pct(both, 0.99),
        "all_mean_ms": statistics.fmean(both) * 1000 if both else float("nan"),
        "requests": len(both),
        "requests_over_50ms": sum(x > 0.05 for x in both),
        "requests_over_1s": sum(x > 1.0 for x in both),
        # CPU the server spent per answer (its next-item request included): what the loop costs
        # regardless of how much of the shared machine the server got
        "server_cpu_ms_per_answer": 1000 * server_cpu / max(1, counts["answers"]),
        "server_cpu_share_of_one_core": server_cpu / duration,
        "slow_requests": [
            f"{w} new_conn={o} connect={c:.0f}ms total={t:.0f}ms at={a:.1f}s"
            for w, o, c, t, a in SLOW
        ][:30],
        "generator_cpu_share_of_one_core": (cpu["self1"] - cpu["self0"]) / duration,
    }


def serve(
    env: dict[str, str],
    port: int,
    workers: int,
    keep_alive: int,
    gunicorn_args: str = "",
    threads: int = 2,
) -> subprocess.Popen[bytes]:
    edubridge = str(Path(PY).with_name("edubridge"))
    log = (Path(env["EDUBRIDGE_DATA_DIR"]) / "server.log").open("wb")
    # the access log (gunicorn writes it to standard output) with the server-side request time
    access = (Path(env["EDUBRIDGE_DATA_DIR"]) / "access.log").open("wb")
    proc = subprocess.Popen(
        [
            edubridge,
            "serve",
            "--no-migrate",
            "--no-worker",
            "--port",
            str(port),
            "--web-workers",
            str(workers),
            "--keep-alive",
            str(keep_alive),
            "--web-threads",
            str(threads),
        ],
        env={
            **env,
            "EDUBRIDGE_BASE_URL": f"http://127.0.0.1:{port}",
            "GUNICORN_CMD_ARGS": "--access-logformat '%(t)s %(p)s \"%(r)s\" %(s)s %(M)s' "
            + gunicorn_args,
        },
        cwd=ROOT,
        stdout=access,
        stderr=log,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    sys.exit("the server did not start")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--db",
        choices=["sqlite", "sqlite-persistent", "postgres"],
        default="sqlite",
        help="sqlite-persistent: SQLite through DATABASE_URL (persistent connections)",
    )
    p.add_argument("--learners", type=int, default=100)
    p.add_argument("--duration", type=float, default=30.0, help="measured seconds")
    p.add_argument("--warmup", type=float, default=5.0)
    p.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a learner spends between answer and next item (0: closed loop, "
        "every learner asks again at once; measures saturation)",
    )
    p.add_argument(
        "--concurrent", type=int, default=0, help="learners running at once (default: all)"
    )
    p.add_argument(
        "--reuse", action="store_true", help="reuse the node of the previous run (no setup)"
    )
    p.add_argument("--web-workers", type=int, default=2, help="as edubridge serve (default 2)")
    p.add_argument("--web-threads", type=int, default=2, help="as edubridge serve (default 2)")
    p.add_argument(
        "--gunicorn-args",
        default="",
        help="extra gunicorn settings for an experiment (GUNICORN_CMD_ARGS), e.g. '--keep-alive 75'",
    )
    p.add_argument(
        "--keep-alive",
        type=int,
        default=75,
        help="as edubridge serve: seconds the server keeps an idle connection (default 75)",
    )
    p.add_argument(
        "--idle-reopen",
        type=float,
        default=None,
        help="seconds idle after which a learner's connection is reopened, as a browser does "
        "before the server closes it (default: keep-alive minus 1 s, at least 0.5 s)",
    )
    p.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench-practice-load")
    args = p.parse_args(argv)
    env, setup = prepare(args.db, args.data_dir / args.db, args.learners, args.reuse)
    print(f"load average before the run: {os.getloadavg()}")
    port = free_port()
    if args.idle_reopen is None:
        args.idle_reopen = max(0.5, args.keep_alive - 1.0)
    Conn.IDLE_REOPEN = args.idle_reopen
    server = serve(
        env, port, args.web_workers, args.keep_alive, args.gunicorn_args, args.web_threads
    )
    try:
        load_before = os.getloadavg()
        concurrent = args.concurrent or args.learners
        access_log = Path(env["EDUBRIDGE_DATA_DIR"]) / "access.log"
        warm = asyncio.run(warm_up(port, setup, args.web_workers, access_log))
        print(f"server warm after {warm:.1f} s")
        load_before = os.getloadavg()
        result = asyncio.run(
            load(port, setup, args.duration, args.warmup, args.think, server.pid, concurrent)
        )
        load_after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    result.update(
        db=args.db,
        learners=args.learners,
        concurrent=args.concurrent or args.learners,
        think_seconds=args.think,
        web_workers=args.web_workers,
        web_threads=args.web_threads,
        keep_alive=args.keep_alive,
        gunicorn_args=args.gunicorn_args,
        idle_reopen=args.idle_reopen,
        cpus=os.cpu_count(),
        load_average_before=[round(x, 2) for x in load_before],
        load_average_after=[round(x, 2) for x in load_after],
    )
    print(json.dumps(result, indent=2))
    goal = result["all_p99_ms"] <= 50
    print(
        f"{args.db}, think {args.think:g} s: {result['answers_per_second']:.0f} answers/s, p50 {result['all_p50_ms']:.1f} ms, "
        f"p99 {result['all_p99_ms']:.1f} ms (goal p99 <= 50 ms: {'met' if goal else 'NOT met'}); "
        f"server CPU {result['server_cpu_ms_per_answer']:.1f} ms per answer, "
        f"{result['server_cpu_share_of_one_core']:.2f} of a core; "
        f"load average {load_before[0]:.2f} -> {load_after[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

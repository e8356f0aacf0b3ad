"""Many dashboard sessions at once, at the protocol level: Streamlit's own websocket messages, no browser.

    .venv/bin/python bench/load_test.py --db bench/out/stores/replicated-100000-from-5000.db
    .venv/bin/python bench/load_test.py --db data/steppewatch.db --sessions 20 --duration 60 --after 30

Starts the dashboard (``streamlit run serve.py``, as the README does) on ``--db``, then opens
``--sessions`` websocket sessions (``/_stcore/stream``, subprotocol "streamlit"), started a moment apart.
Each session asks for a run of the Overview (a ``BackMsg.rerun_script`` whose query string holds the
filters, as a shared link does), waits for the run's end (``script_finished``), thinks 5-15 s (seeded),
and asks again with other filters, for ``--duration`` seconds. Reports the client-observed time from a
request to its run's end (p50/p95), the runs done and failed, the sessions dropped (closed by the
server or timed out), and the server's RSS with one session (an analyst browsing the same mix of views
for 30 s, measured ``--after`` seconds after it left), at the crowd's peak, every 10 s after it leaves and
``--after`` seconds after (the target: within 20 % of the one-session value). Writes bench/out/load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import percentile, start_app  # noqa: E402

OUT = ROOT / "bench" / "out"
COUNTRIES = ("KAZ", "UZB", "KGZ", "TJK", "TKM", "AFG", "MNG", "CHN", "RUS", "IRN")
YEARS = ("2019", "2020", "2021", "2022", "2023", "2024")


def query_strings(rng: random.Random) -> str:
    """The filters of one request, as a shared link's query string."""
    parts = [f"country={rng.choice(COUNTRIES)}"] if rng.random() < 0.7 else []
    if rng.random() < 0.4:
        year = rng.choice(YEARS)
        parts += [f"from={year}-01-01", f"to={year}-12-31"]
    if rng.random() < 0.3:
        parts.append(f"metric={rng.choice(['mentions', 'focus', 'events', 'visits'])}")
    return "&".join(parts)


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_run_times(logs: list[Path], start: float, end: float) -> dict[str, float | int | None]:
    """The server side of the crowd's runs (components/run_log.py), from each process's log: p50/p95 of a
    run's wall time (script start to end, the other sessions' runs on the process included) and of its
    thread's CPU time; runs cut short by a rerun request are counted apart."""
    walls, cpus, early = [], [], 0
    for log in logs:
        for line in log.read_text().splitlines() if log.exists() else []:
            run = json.loads(line)
            if start <= run["end"] <= end:
                if run["ended"] != "done":
                    early += 1
                    continue
                walls.append(run["wall_ms"])
                cpus.append(run["cpu_ms"])

    def pct(values: list[float], q: float) -> float | None:
        return round(percentile(values, q), 1) if values else None

    return {"server_runs": len(walls), "server_runs_ended_early": early,
            "server_run_p50_ms": pct(walls, 0.5), "server_run_p95_ms": pct(walls, 0.95),
            "server_run_cpu_p50_ms": pct(cpus, 0.5), "server_run_cpu_p95_ms": pct(cpus, 0.95)}


def rss_by_kind(pid: int) -> dict[str, float]:
    """The process's resident memory in MB by the kind of mapping it is in (``/proc/PID/smaps``): the main
    heap, other anonymous memory by mapping size (64 MiB: glibc arenas; 8 MiB: thread stacks; the rest:
    one-by-one mappings and other allocators), and files (code, the read model's snapshot)."""
    kinds: dict[str, float] = {}
    kind = "other"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
            start, end = (int(x, 16) for x in head[0].split("-"))
            size, name = end - start, (head[5] if len(head) > 5 else "")
            if name == "[heap]":
                kind = "heap"
            elif name.startswith("/"):
                kind = "files"
            elif name:
                kind = "other"
            elif size % (64 * 1024 * 1024) == 0:
                kind = "anon_64MiB"
            elif 8 * 1024 * 1024 <= size <= 8 * 1024 * 1024 + 65536:
                kind = "anon_8MiB"
            else:
                kind = "anon_other"
        elif head[0] == "Rss:":
            kinds[kind] = kinds.get(kind, 0.0) + int(head[1]) / 1024
    return {k: round(v, 1) for k, v in sorted(kinds.items())}


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def session(url: str, index: int, until: float, seed: int, timings: list[float],
                  outcome: dict[str, int], think_s: tuple[float, float] = (5, 15)) -> None:
    """One visitor: a run per request, think time between requests, until ``until``."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    rng = random.Random(seed * 1000 + index)
    try:
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None,
                                      open_timeout=30, ping_interval=None) as ws:
            while time.monotonic() < until:
                message = BackMsg()
                message.rerun_script.query_string = query_strings(rng)
                message.rerun_script.page_script_hash = ""
                started = time.monotonic()
                await ws.send(message.SerializeToString())
                finished = False
                while not finished:
                    reply = ForwardMsg()
                    reply.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
                    if reply.WhichOneof("type") == "script_finished":
                        finished = True
                        ok = reply.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
                        outcome["runs" if ok else "failed_runs"] += 1
                        if ok:
                            timings.append(time.monotonic() - started)
                await asyncio.sleep(rng.uniform(*think_s))
        outcome["completed"] += 1
    except Exception:  # closed by the server, or no answer in time
        outcome["dropped"] += 1


async def run_sessions(urls: list[str], n: int, duration: float, seed: int, server_pids: list[int],
                       think_s: tuple[float, float] = (5, 15)) -> dict[str, Any]:
    """``n`` sessions, session i on ``urls[i % len(urls)]`` (one app process each, as a sticky proxy
    keeps each browser on one); RSS peak per process."""
    timings: list[float] = []
    outcome = {"runs": 0, "failed_runs": 0, "completed": 0, "dropped": 0}
    until = time.monotonic() + duration
    peaks = [0.0] * len(server_pids)

    async def watch_rss() -> None:
        while time.monotonic() < until + 5:
            for k, pid in enumerate(server_pids):
                peaks[k] = max(peaks[k], _rss_mb(pid))
            await asyncio.sleep(1)

    tasks = []
    for i in range(n):  # arrivals spread over the first 5 seconds
        tasks.append(asyncio.create_task(session(urls[i % len(urls)], i, until, seed, timings, outcome, think_s)))
        await asyncio.sleep(5 / n)
    watcher = asyncio.create_task(watch_rss())
    await asyncio.gather(*tasks)
    await watcher
    ordered = sorted(timings)
    return {**outcome, "sessions": n, "request_p50_ms": 1000 * statistics.median(ordered) if ordered else None,
            "request_p95_ms": 1000 * percentile(ordered, 0.95) if ordered else None,
            "rss_peak_mb": [round(p) for p in peaks]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="the store the dashboard reads")
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--duration", type=float, default=120, help="seconds the sessions keep asking")
    parser.add_argument("--after", type=float, default=120, help="seconds after they leave to read the RSS")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--processes", type=int, default=1,
                        help="app processes (docs/deploy.md runs two behind a sticky proxy); sessions spread evenly")
    args = parser.parse_args(argv)
    run_logs = [OUT / f"load_runs_{k}.jsonl" for k in range(args.processes)]
    for log in run_logs:
        log.unlink(missing_ok=True)
    apps = [start_app({"STEPPEWATCH_DB": str(args.db), "STEPPEWATCH_RUN_TIMES_LOG": str(log)},
                      OUT / f"load_app_{k}.log") for k, log in enumerate(run_logs)]
    try:
        for app in apps:
            app.wait_healthy(300)
        urls = [app.url("/_stcore/stream").replace("http://", "ws://") for app in apps]
        pids = [app.proc.pid for app in apps]
        # one analyst first on each process: a session browsing the same mix of views for 30 s without
        # pausing (what the read model and plotly make once is made), then it leaves and its session
        # expires like the crowd's will
        one = [asyncio.run(run_sessions([url], 1, 30, args.seed + 1, [pid], think_s=(0, 0)))
               for url, pid in zip(urls, pids, strict=True)]
        time.sleep(args.after)
        rss_one = [_rss_mb(pid) for pid in pids]
        kinds_one = [rss_by_kind(pid) for pid in pids]
        cpu_before = [_cpu_s(pid) for pid in pids]
        crowd_from = time.time()
        result = asyncio.run(run_sessions(urls, args.sessions, args.duration, args.seed, pids))
        result.update(server_run_times(run_logs, crowd_from, time.time()))
        result["rss_by_kind_crowd_end_mb"] = [rss_by_kind(pid) for pid in pids]
        cpu = sum(_cpu_s(pid) - before for pid, before in zip(pids, cpu_before, strict=True))
        result["server_cpu_ms_per_run"] = 1000 * cpu / max(result["runs"], 1)
        series = []
        for _ in range(int(args.after // 10)):
            time.sleep(10)
            series.append([round(_rss_mb(pid)) for pid in pids])
        time.sleep(args.after - 10 * len(series))
        after = [_rss_mb(pid) for pid in pids]
        kinds_after = [rss_by_kind(pid) for pid in pids]
        result.update({"processes": args.processes, "one_session": one,
                       "rss_one_session_mb": [round(r, 1) for r in rss_one], "rss_after_every_10s_mb": series,
                       f"rss_{int(args.after)}s_after_mb": [round(r, 1) for r in after],
                       "rss_by_kind_one_session_mb": kinds_one, "rss_by_kind_after_mb": kinds_after,
                       "rss_after_over_one_session": round(max(a / o for a, o in zip(after, rss_one, strict=True)), 3)})
        result["rss_back_within_20pct"] = all(a <= 1.2 * o for a, o in zip(after, rss_one, strict=True))
    finally:
        for app in apps:
            app.stop()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "load.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({k: (round(v, 1) if isinstance(v, float) else v) for k, v in result.items()
                      if k != "one_session"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

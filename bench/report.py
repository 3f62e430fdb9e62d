#!/usr/bin/env python3
"""Regenerates the figures of README.md's bench table from bench/results/*.json.

A row is rewritten when a results file belongs to it (its command names `bench/<name>`, the file is
`bench/results/<name>.json` or `<name>-*.json`); rows without a results file are left as they are.
Usage: python3 bench/report.py [--check]   (--check: exit 1 if README.md would change)
"""
import json, pathlib, re, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
README = ROOT / "README.md"


def load(name):
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def n(value, digits=0):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def pct(value):
    return "n/a" if value is None else f"{value:.0%}"


def where(r):
    return f"load {' '.join(r['machine']['loadAverage'])}, {r['measuredAt'][:10]}"


def outbox(r):
    text = (f"{n(r['outboxMedian'])} msg/s vs {n(r['baselineMedian'])} raw RabbitMQ ({pct(r['ratioToBaseline'])}) and "
            f"{n(r['floorMedian'])} PostgreSQL floor of 2 commits/message in 8 loops ({pct(r['ratioToFloor'])})")
    if 'shapedFloorMedian' in r:
        text += (f"; {n(r['shapedFloorMedian'])} msg/s for the same commits in the path's shape, 1 producer "
                 f"({pct(r['ratioToShapedFloor'])}; goal 50 %)")
    text += f", median of {len(r['outboxRuns'])} runs"
    eight = load("outbox-8-producers")
    if eight:
        text += (f"; 8 producers ({eight['measuredAt'][:10]}): {n(eight['outboxMedian'])} msg/s ({pct(eight['ratioToBaseline'])} of raw RabbitMQ, goal 50 %; "
                 f"{pct(eight['ratioToFloor'])} of the floor")
        if 'shapedFloorMedian' in eight:
            text += f"; {pct(eight['ratioToShapedFloor'])} of {n(eight['shapedFloorMedian'])} msg/s for its commits in the path's shape, the limit"
        text += ")"
    return text + f" ({where(r)}) — see `bench/outbox/README.md`, `bench/results/outbox*.json`"


def ingestion(r):
    t, l = r["throughput"], r["latency"]
    return (f"{n(t['median'])} events/s ({pct(t['ratio'])} of {n(t['copyMedian'])} raw COPY rows/s, median of {len(t['runs'])} runs); "
            f"at {l['eventsPerSecond']:,} events/s sent → visible in the events feed p50/p99 {n(l['sentToFeedP50'], 1)}/{n(l['sentToFeedP99'], 1)} ms "
            f"(median of {len(l['runs'])} runs; every batch visible and tallies exact: {'yes' if l['allVisibleAndExact'] else '**no**'}) "
            f"({where(r)}) — see `bench/pipeline-ingestion/README.md`, `bench/results/pipeline-ingestion.json`")


def webhooks(r):
    t, l = r["throughput"], r["latency"]
    runs = l["runs"]
    p50 = sorted(x["receiverP50"] for x in runs)[len(runs) // 2]
    p99 = sorted(x["receiverP99"] for x in runs)[len(runs) // 2] if "receiverP99" in runs[0] else None
    return (f"{n(t['median'])} deliveries/s ({t['ratio']:.1%} of {n(t['plainHttpMedian'])} plain POSTs/s in the same run); "
            f"p50/p99 {n(p50, 1)}/{n(p99, 1)} ms at {l['eventsPerSecond']} events/s (goal p99 ≤ 500 ms); "
            f"{'0 duplicates, 0 lost' if r.get('exact') else '**duplicates or losses**'} ({where(r)}) — see `bench/webhooks/README.md`, `bench/results/webhooks.json`")


def memory(r):
    parts = []
    for row in r["results"]:
        parts.append(f"{row['service']} {row['gc']} GC: steady {n(row['steadyMiB'])} MiB (max {n(row['maxMiB'])}, growth {row['growthMiB']:+.0f})")
    return (f"{r['minutesPerService']:g} min of mixed load (reads + bad input) at {r['clients']} clients: " + "; ".join(parts)
            + f" (goal ≤ 200 MiB; {where(r)}) — see `bench/memory/README.md`, `bench/results/memory.json`")


def membership_list(r):
    t = {x["name"]: x for x in r["targets"]}
    partner = t.get("member list (member's partner key)")
    lists = [x for x in r["targets"] if x["name"].startswith("member list") and "304" not in x["name"]]
    worst = max(x["ratioToBaseline"] for x in lists)
    text = (f"p99 {n(r['listP99'])} ms vs {n(r['baselineP99'], 1)} ms `/health/live` ({r['ratioToBaseline']:.1f}×; worst list target "
            f"{worst:.1f}×, goal 3× {'met' if worst <= 3 else '**not met**'}), {n(r['listRate'])} req/s at {r['concurrency']} concurrent over "
            f"{r['organizations']:,} members, median of {r['runs']} runs; a 304 costs {pct(r['revalidationCostOfPage'])} of a page "
            f"(goal ≤ 50 % {'met' if r['revalidationCostOfPage'] <= 0.5 else '**not met**'})")
    baseline, revalidated = t.get("baseline /health/live"), next((x for x in r["targets"] if "304" in x["name"]), None)
    if baseline and revalidated:
        # The limit: no answer costs less than the anonymous, body-less probe.
        text += f" and {pct(baseline['rate'] / revalidated['rate'])} of a `/health/live`, the cheapest answer the server gives"
    if partner:
        text += f"; partner key p99 {n(partner['p99'])} ms ({partner['ratioToBaseline']:.1f}×)"
    return text + f" ({where(r)}) — see `bench/membership-list/README.md`, `bench/results/membership-list.json`"


def events(r):
    g, f = r["registrations"], r["feed"]
    return (f"{n(g['rateMedian'])} registrations/s (p99 {n(g['p99Median'])} ms; goal 2,000/s {'met' if g['rateMedian'] >= 2000 else '**not met**'}), "
            f"counts exact; feed page p99 {n(f['p99Median'])} ms vs "
            f"{n(f['baselineP99Median'])} ms `/health/live` at {f['readers']} readers ({f['ratioToBaseline']:.1f}×, goal 3× "
            f"{'met' if f['ratioToBaseline'] <= 3 else '**not met**'}), median of {r['runs']} runs ({where(r)}) — see `bench/events/README.md`, `bench/results/events.json`")


def scale_out(r):
    m, runs = r["medians"], r["runs"]
    back = max(max(x["backAfterSeconds"].values()) for x in runs)
    return (f"{r['settings']['programs'] * r['settings']['traineesPerProgram'] * 2:,} placement events + {r['settings']['people']:,} registrations "
            f"through the balancers, SIGKILL of `messaging-1`, `talent-pipeline-1`, `events-1` a quarter in: accepted events/s before "
            f"{n(m['eventsPerSecondBeforeKill'])}, during the loss {n(m['eventsPerSecondDuringLoss'])} (batch p99 {n(m['batchP99MsBeforeKill'])} → "
            f"{n(m['batchP99MsDuringLoss'])} ms); killed parts back within {back:.0f} s; converged {n(m['convergedSecondsAfterKill'])} s after the kill; "
            f"counts exact, no 5xx but 503 + Retry-After: {'yes' if r['exact'] else '**no**'}; platform start {n(r['platformStartSeconds'])} s; "
            f"median of {len(runs)} runs ({where(r)}) — see `bench/scale-out/README.md`, `bench/results/scale-out.json`")


FORMATTERS = {"scale-out": scale_out, "membership-list": membership_list, "events": events, "outbox": outbox, "pipeline-ingestion": ingestion, "webhooks": webhooks, "memory": memory}
ROWS = {"memory": "| service RSS under load (reads + bad input) per GC mode, growth over the run | `dotnet run -c Release --project bench/memory -- --minutes 10` | |",
        "scale-out": "| the scaled-out platform losing a broker node and two service instances under load (issue 17) | `dotnet run -c Release --project bench/scale-out -- --runs 3` | |"}


def main():
    text = README.read_text()
    start = text.index("## Benchmarks")
    end = text.index("\n## ", start + 1)
    section = text[start:end]
    lines = section.split("\n")
    present = {name for name in FORMATTERS if any(f"bench/{name}" in line for line in lines)}
    last_row = max(i for i, line in enumerate(lines) if line.startswith("| "))
    for name in FORMATTERS:
        if name not in present and load(name) and name in ROWS:
            lines.insert(last_row + 1, ROWS[name])
            last_row += 1
    for i, line in enumerate(lines):
        if not line.startswith("| ") or line.startswith("| bench ") or line.startswith("|---"):
            continue
        cells = line.split(" | ")
        for name, formatter in FORMATTERS.items():
            if re.search(rf"bench/{re.escape(name)}\b(?![-\w])", cells[1] if len(cells) > 1 else "") and load(name):
                lines[i] = " | ".join(cells[:2]) + " | " + formatter(load(name)) + " |"
    updated = text[:start] + "\n".join(lines) + text[end:]
    if "--check" in sys.argv:
        sys.exit(0 if updated == text else 1)
    README.write_text(updated)
    print("README.md bench table regenerated from", ", ".join(sorted(p.name for p in RESULTS.glob("*.json"))))


if __name__ == "__main__":
    main()

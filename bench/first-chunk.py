#!/usr/bin/env python3
"""Time to the first body byte of a streamed answer, for several targets side by side.

    first-chunk.py ROUNDS NAME URL BODY [NAME URL BODY ...]

Each target gets its own keep-alive connection and its own JSON body (the model differs between them); the
targets take turns, one request each per round, so a slow drift of the machine favours none. Prints one JSON
object: per target the p50, p90 and mean in ms over ROUNDS rounds (after ROUNDS/10 warm-up rounds), from
sending the request to reading the first byte of the body.
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def measure(rounds, targets):
    connections = []
    for name, url, body in targets:
        parsed = urllib.parse.urlsplit(url)
        connections.append((name, http.client.HTTPConnection(parsed.hostname, parsed.port), parsed.path, body))
    times = {name: [] for name, _, _ in targets}
    warmup = max(1, rounds // 10)
    for i in range(warmup + rounds):
        for name, conn, path, body in connections:
            started = time.perf_counter()
            conn.request("POST", path, body, {"Content-Type": "application/json", "Accept": "text/event-stream"})
            response = conn.getresponse()
            first = response.read(1)
            elapsed = time.perf_counter() - started
            response.read()
            if response.status != 200 or not first:
                sys.exit(f"{name}: status {response.status}, first byte {first!r}")
            if i >= warmup:
                times[name].append(elapsed * 1000)
    result = {}
    for name, values in times.items():
        values.sort()
        result[name] = {"p50": statistics.median(values), "p90": values[int(len(values) * 0.9) - 1],
                        "mean": statistics.fmean(values), "n": len(values)}
    return result


def main():
    rounds, rest = int(sys.argv[1]), sys.argv[2:]
    targets = [(rest[i], rest[i + 1], rest[i + 2].encode()) for i in range(0, len(rest), 3)]
    print(json.dumps(measure(rounds, targets)))


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Change -> SSE subscriber latency (DESIGN §11: p99 <= 50 ms on one instance, <= 200 ms across instances).
#
# PENDING: needs the change feed (GET /api/v1/events, DESIGN §5), which is being built. The scenario
# to write then: Switchboard with a registry provider on a generated file, a few hundred SSE
# subscribers (curl -N or a small Java client) on loopback, then a bounded series of changes (rewrite
# the registry file + POST /api/v1/providers/{id}:refresh, and PUT /api/v1/model-configs/{alias});
# latency = time the subscriber reads the event - time the write returned (same clock, one host);
# p50/p99/max, every event received exactly once, in revision order. Across instances: two servers on
# one PostgreSQL, write to one, subscribe to the other.
echo "sse-latency: not yet available (pending the change feed, GET /api/v1/events)"
exit 0

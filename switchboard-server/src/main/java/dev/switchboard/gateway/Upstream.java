package dev.switchboard.gateway;

/** One planned attempt: a target and where its provider serves the request's operation. */
record Upstream(Target target, UpstreamEndpoint endpoint) {
}

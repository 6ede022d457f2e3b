package dev.switchboard.gateway;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The OpenAI-compatible gateway: a request's {@code model} names an alias or a catalog id; the gateway plans
 * the upstreams to try ({@link AliasResolver}, {@link UpstreamEndpoints}) and forwards the request to them in
 * order ({@link GatewayProxy}), with the provider's credentials.
 */
public final class Gateway {
    /**
     * Request bodies up to this size are read and rewritten on the event loop (tens of microseconds); larger
     * ones — a conversation with images — on a worker, so that one big request never stalls the others.
     */
    public static final int INLINE_JSON_BYTES = 256 * 1024;

    private final AliasResolver resolver;
    private final UpstreamEndpoints endpoints = new UpstreamEndpoints();
    private final GatewayProxy proxy;
    private final GatewayMetrics metrics;
    private volatile PlanCache plans;

    public Gateway(AliasResolver resolver, GatewayProxy proxy, GatewayMetrics metrics) {
        this.resolver = resolver;
        this.proxy = proxy;
        this.metrics = metrics;
        this.plans = new PlanCache(resolver.inputs());
    }

    /** What a request can be sent to. */
    public sealed interface Plan {
        /** Upstreams to try in order, at least one. */
        record Ready(String alias, List<Upstream> upstreams) implements Plan {
        }

        /** {@code model} is neither an alias nor a catalog id (404 {@code model_not_found}). */
        record UnknownModel(String message) implements Plan {
        }

        /** Every target's provider lacks an inference endpoint (400). */
        record NoEndpoint(String message) implements Plan {
        }
    }

    /** Completes at once, unless a catalog id names a provider that must be fetched first. */
    public CompletionStage<Plan> plan(String model, Operation operation) {
        if (model.indexOf('/') < 0) return CompletableFuture.completedFuture(aliasPlan(model, operation));
        return resolver.resolve(model).thenApply(resolution -> plan(resolution, operation));
    }

    /** An alias's plan, made once per state of the configurations, the catalog and the providers ({@link PlanCache}). */
    private Plan aliasPlan(String alias, Operation operation) {
        AliasResolver.Inputs now = resolver.inputs();
        PlanCache cache = plans;
        if (!cache.isFor(now)) plans = cache = new PlanCache(now);
        Plan plan = cache.get(alias, operation);
        if (plan != null) return plan;
        plan = plan(resolver.resolve(alias).toCompletableFuture().join(), operation); // an alias resolves at once
        if (!(plan instanceof Plan.UnknownModel)) cache.put(alias, operation, plan);
        return plan;
    }

    private Plan plan(AliasResolver.Resolution resolution, Operation operation) {
        return switch (resolution) {
            case AliasResolver.Resolution.Unknown unknown -> new Plan.UnknownModel(unknown.message());
            case AliasResolver.Resolution.Resolved resolved -> ready(resolved, operation);
        };
    }

    private Plan ready(AliasResolver.Resolution.Resolved resolved, Operation operation) {
        List<Upstream> upstreams = new ArrayList<>(resolved.targets().size());
        for (Target target : resolved.targets()) {
            endpoints.endpoint(target.provider(), operation).ifPresent(endpoint -> upstreams.add(new Upstream(target, endpoint)));
        }
        if (upstreams.isEmpty()) {
            return resolved.targets().isEmpty()
                    ? new Plan.UnknownModel("the providers of \"" + resolved.alias().orElse("") + "\" no longer exist")
                    : new Plan.NoEndpoint(UpstreamEndpoints.noEndpoint(resolved.targets().getFirst().provider()));
        }
        return new Plan.Ready(resolved.alias().orElse(GatewayMetrics.NO_ALIAS), List.copyOf(upstreams));
    }

    /** Sends {@code body} to the plan's upstreams and streams the answer to {@code caller}; on the caller's event loop. */
    public Future<Outcome> forward(Plan.Ready plan, CallerBody body, HttpServerRequest caller) {
        return proxy.forward(plan.alias(), plan.upstreams(), body, caller, body.length() > INLINE_JSON_BYTES);
    }

    /** For the HTTP layer: a request refused before reaching any upstream. */
    public void rejected(String code) {
        metrics.rejected(code);
    }
}

package dev.switchboard.langchain4j;

import dev.switchboard.client.LiveModel;
import dev.switchboard.client.ModelConfig;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The LangChain4j model for the alias's current configuration, rebuilt on every change. Each call reads the
 * reference once and runs to its end on the model it read: a change swaps the reference for the next calls and
 * leaves the calls in flight alone (the old model is not closed — LangChain4j's OpenAI models hold nothing to close
 * — it is dropped once its last call returns).
 *
 * @param <D> the kind of LangChain4j model: chat, streaming chat or embedding
 */
final class LiveDelegate<D> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LiveDelegate.class.getName());

    /** What a call finds: the outcomes of following the alias. */
    sealed interface Slot<D> {
    }

    /** Nothing heard from the live model yet. */
    record Pending<D>() implements Slot<D> {
    }

    /** The model for this version. */
    record Ready<D>(ModelConfig config, D model) implements Slot<D> {
    }

    /** The alias was deleted; this was its last version. */
    record Removed<D>(ModelConfig last) implements Slot<D> {
    }

    /** This version could not be turned into a model (no endpoint for its provider, a param of the wrong type). */
    record Unusable<D>(ModelConfig config, RuntimeException cause) implements Slot<D> {
    }

    private final LiveModel live;
    /** Closed with this model: the live model was opened for it alone. */
    private final boolean ownsLive;
    private final Function<ModelConfig, D> factory;
    private final Duration readyTimeout;
    /** The one "nothing yet" value, so that compareAndSet can tell it apart by identity. */
    private final Slot<D> pending = new Pending<>();
    private final AtomicReference<Slot<D>> slot = new AtomicReference<>(pending);
    private volatile boolean closed;

    LiveDelegate(LiveModel live, boolean ownsLive, Function<ModelConfig, D> factory, Duration readyTimeout) {
        this.live = live;
        this.ownsLive = ownsLive;
        this.factory = factory;
        this.readyTimeout = readyTimeout;
        live.onChange(this::changed).onRemove(this::removed);
        // the listeners run on the live model's thread, possibly after this returns: a value the live model already
        // has is installed now, so that a call made right after building finds it
        installIfPending();
    }

    String alias() {
        return live.alias();
    }

    /** The model a call uses now, with the configuration it was built from; throws when there is none. */
    Ready<D> ready() {
        if (closed) throw new IllegalStateException("the model for \"" + alias() + "\" is closed");
        Slot<D> now = slot.get();
        if (now == pending) now = awaitFirstRead();
        return switch (now) {
            case Ready<D> ready -> ready;
            case Removed<D> removed -> throw AliasNotConfiguredException.deleted(alias(), removed.last().version(),
                    removed.last().target());
            case Unusable<D> unusable -> throw new AliasUnusableException(alias(), unusable.config().version(),
                    unusable.config().target(), unusable.cause());
            case Pending<D> ignored -> throw notRead();
        };
    }

    /** The model now, without waiting or failing: for the questions LangChain4j asks outside a call. */
    Optional<D> peek() {
        return slot.get() instanceof Ready<D> ready ? Optional.of(ready.model()) : Optional.empty();
    }

    /** Nothing heard yet: the first read of the alias may still be under way, so wait for it, within bounds. */
    private Slot<D> awaitFirstRead() {
        try {
            live.awaitReady(readyTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AliasNotReadyException(alias(), "interrupted while waiting for model configuration \"" + alias()
                    + "\" to be read from Switchboard", e);
        }
        installIfPending();
        return slot.get();
    }

    private void installIfPending() {
        live.currentIfConfigured().ifPresent(config -> {
            if (slot.get() == pending) slot.compareAndSet(pending, build(config));
        });
    }

    private RuntimeException notRead() {
        return switch (live.state()) {
            case UNCONFIGURED -> AliasNotConfiguredException.unknown(alias());
            case ERROR -> new AliasNotReadyException(alias(), "model configuration \"" + alias()
                    + "\" could not be read from Switchboard: " + live.lastError().map(Throwable::getMessage)
                    .orElse("unknown error") + "; retrying in the background", live.lastError().orElse(null));
            // READY here means the value came after the wait ran out, between two looks: the next call has it
            case CONNECTING, READY -> new AliasNotReadyException(alias(), "model configuration \"" + alias()
                    + "\" has not been read from Switchboard yet (waited " + readyTimeout.toMillis() + " ms)", null);
        };
    }

    /** On the live model's thread: every version, once, in order. */
    private void changed(ModelConfig config) {
        if (closed) return;
        if (slot.get() instanceof Ready<D> ready && ready.config().equals(config)) return; // installed already
        slot.set(build(config));
    }

    private void removed(ModelConfig last) {
        if (closed) return;
        slot.set(new Removed<>(last));
    }

    private Slot<D> build(ModelConfig config) {
        try {
            return new Ready<>(config, factory.apply(config));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "model configuration \"" + config.alias() + "\" version "
                    + config.version() + " (" + config.target() + ") cannot be used; calls fail until the next version: "
                    + e.getMessage());
            return new Unusable<>(config, e);
        }
    }

    /** Stops following; calls in flight finish. Closes the live model when it was opened for this model alone. */
    @Override
    public void close() {
        closed = true;
        if (ownsLive) live.close();
    }
}

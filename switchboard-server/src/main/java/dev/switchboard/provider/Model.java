package dev.switchboard.provider;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.metadata.ResolvedMetadata;

import java.util.Objects;

/**
 * One model as an upstream lists it, with its normalised record.
 *
 * @param id         the upstream's own id (without the provider prefix)
 * @param created    creation time in Unix seconds when the upstream says, else 0
 * @param ownedBy    the upstream's owner field when it has one, else empty
 * @param metadata   everything else the upstream said about the model, as it said it;
 *                   compared deeply to tell an updated model from an unchanged one
 * @param normalized the normalised record resolved from the configuration, this answer and the metadata catalogs
 *                   ({@code catalog.MetadataResolution}); derived, so never stored: {@link ResolvedMetadata#EMPTY}
 *                   as a dialect lists the model and as the store loads it, until resolved
 */
public record Model(String id, long created, String ownedBy, ObjectNode metadata,
                    @JsonIgnore ResolvedMetadata normalized) {
    public Model {
        Objects.requireNonNull(id, "id");
        ownedBy = ownedBy == null ? "" : ownedBy;
        Objects.requireNonNull(metadata, "metadata");
        normalized = normalized == null ? ResolvedMetadata.EMPTY : normalized;
    }

    /** As a dialect lists it: not resolved yet. */
    public Model(String id, long created, String ownedBy, ObjectNode metadata) {
        this(id, created, ownedBy, metadata, ResolvedMetadata.EMPTY);
    }

    public Model withNormalized(ResolvedMetadata resolved) {
        return resolved.equals(normalized) ? this : new Model(id, created, ownedBy, metadata, resolved);
    }

    /** True when the upstream said the same of both (the normalised records aside). */
    public boolean sameUpstreamAnswer(Model other) {
        return id.equals(other.id) && created == other.created && ownedBy.equals(other.ownedBy)
                && metadata.equals(other.metadata);
    }
}

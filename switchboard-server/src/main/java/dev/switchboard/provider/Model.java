package dev.switchboard.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One model as an upstream lists it.
 *
 * @param id       the upstream's own id (without the provider prefix)
 * @param created  creation time in Unix seconds when the upstream says, else 0
 * @param ownedBy  the upstream's owner field when it has one, else empty
 * @param metadata everything else the upstream said about the model, as it said it;
 *                 compared deeply to tell an updated model from an unchanged one
 */
public record Model(String id, long created, String ownedBy, ObjectNode metadata) {
    public Model {
        Objects.requireNonNull(id, "id");
        ownedBy = ownedBy == null ? "" : ownedBy;
        Objects.requireNonNull(metadata, "metadata");
    }
}

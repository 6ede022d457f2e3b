package dev.switchboard.nats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.NatsConfig;
import dev.switchboard.events.ChangeEvent;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsJetStreamConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The JetStream stream that keeps the events: makes sure it exists and takes the bridge's subjects, reads the
 * newest revision it holds, and publishes one event at a time, each with its revision as message id.
 *
 * <p>The stream itself is the publisher's cursor: the revision of its last message is where publishing resumes,
 * so nothing else (no table, no file) has to be kept in step with it, and a publish whose acknowledgement was lost
 * is not sent again once the stream is read back. A publish that is sent again anyway (read back before it landed)
 * is dropped by JetStream's deduplication, within the stream's duplicate window.
 */
final class JetStreamLog {
    private static final Logger log = LoggerFactory.getLogger(JetStreamLog.class);
    /** On every event message and every reply: the revision it is at, as a decimal number. */
    static final String REVISION_HEADER = "Switchboard-Revision";
    /** How long one publish or API call waits for the broker before it counts as failed (and is retried). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** JetStream's API error codes, as its documentation lists them. */
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int NO_MESSAGE_FOUND = 10037;

    private final Connection connection;
    private final JetStreamManagement management;
    private final JetStream jetStream;
    private final NatsConfig config;
    private final Subjects subjects;
    private final ObjectMapper mapper;

    JetStreamLog(Connection connection, NatsConfig config, Subjects subjects, ObjectMapper mapper) throws IOException {
        JetStreamOptions options = JetStreamOptions.builder().requestTimeout(REQUEST_TIMEOUT).build();
        this.connection = connection;
        this.management = connection.jetStreamManagement(options);
        this.jetStream = connection.jetStream(options);
        this.config = config;
        this.subjects = subjects;
        this.mapper = mapper;
    }

    /**
     * Creates the stream, or adds the bridge's subjects and duplicate window to the one that exists. Its other
     * settings (limits, replicas, storage) are the operator's and are kept.
     */
    void ensureStream() throws IOException, JetStreamApiException {
        StreamInfo info;
        try {
            info = management.getStreamInfo(config.stream());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) throw e;
            management.addStream(StreamConfiguration.builder()
                    .name(config.stream())
                    .subjects(subjects.events())
                    .storageType(StorageType.File)
                    .duplicateWindow(config.duplicateWindow())
                    .description("Switchboard's committed events, in revision order (message id = revision)")
                    .build());
            log.info("created the JetStream stream {} for {}", config.stream(), subjects.events());
            return;
        }
        StreamConfiguration current = info.getConfiguration();
        boolean hasSubject = current.getSubjects().contains(subjects.events());
        boolean sameWindow = config.duplicateWindow().equals(current.getDuplicateWindow());
        if (hasSubject && sameWindow) return;
        List<String> wanted = new ArrayList<>(current.getSubjects());
        if (!hasSubject) wanted.add(subjects.events());
        management.updateStream(StreamConfiguration.builder(current).subjects(wanted)
                .duplicateWindow(config.duplicateWindow()).build());
        log.info("updated the JetStream stream {}: subjects {}, duplicate window {}", config.stream(), wanted,
                config.duplicateWindow());
    }

    /**
     * The revision of the stream's newest event; 0 when it holds none (a new stream gets every event the log still
     * keeps); empty when the stream does not exist.
     */
    OptionalLong lastRevision() throws IOException, JetStreamApiException {
        MessageInfo last;
        try {
            last = management.getLastMessage(config.stream(), subjects.events());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) return OptionalLong.of(0);
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) return OptionalLong.empty();
            throw e;
        }
        return OptionalLong.of(revisionOf(last));
    }

    private long revisionOf(MessageInfo message) {
        Headers headers = message.getHeaders();
        String revision = headers == null ? null : headers.getFirst(REVISION_HEADER);
        if (revision == null && headers != null) revision = headers.getFirst(NatsJetStreamConstants.MSG_ID_HDR);
        try {
            if (revision != null) return Long.parseLong(revision.strip());
        } catch (NumberFormatException notOurs) {
            // reported below
        }
        throw new IllegalStateException("the newest message on " + subjects.events() + " in stream " + config.stream()
                + " (sequence " + message.getSeq() + ", subject " + message.getSubject() + ") has no revision: only"
                + " Switchboard may publish there");
    }

    /** Publishes one event and waits for JetStream to store it (or to report it a duplicate, stored before). */
    void publish(ChangeEvent event) throws IOException, JetStreamApiException {
        // The client would hold a message sent while it reconnects and deliver it later, possibly after the
        // stream was read back and the revision sent again: refuse instead, the pass after the reconnect resumes.
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            throw new IOException("not connected to NATS (" + connection.getStatus() + ")");
        }
        String revision = Long.toString(event.revision());
        Headers headers = new Headers().put(REVISION_HEADER, revision);
        NatsMessage message = NatsMessage.builder().subject(subjects.event(event.type())).headers(headers)
                .data(envelope(event)).build();
        PublishAck ack = jetStream.publish(message, PublishOptions.builder()
                .messageId(revision).expectedStream(config.stream()).build());
        if (ack.isDuplicate()) log.debug("revision {} was already on stream {}", revision, config.stream());
    }

    /**
     * The event as the change feed sends it, {@code {revision, type, time, data}}. An event whose data the log
     * cannot read goes out marked {@code unrenderable}, as on the feed: the stream must not stop at it.
     */
    private byte[] envelope(ChangeEvent event) {
        ChangeEvent shown = event.data() == null || event.data().isMissingNode()
                ? new ChangeEvent(event.revision(), event.type(), event.time(), mapper.createObjectNode().put("unrenderable", true))
                : event;
        try {
            return mapper.writeValueAsBytes(shown);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the event at revision " + event.revision(), e);
        }
    }
}

package dev.switchboard.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.support.NatsJetStreamConstants;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole JetStream stream, message by message in stream order, as a consumer resuming by sequence sees it. */
final class StreamContents {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One stored message. */
    record Entry(long sequence, String subject, String messageId, long revisionHeader, JsonNode body) {
        long revision() {
            return body.path("revision").asLong();
        }
    }

    private StreamContents() {
    }

    static Connection connect(String url) throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(2)).build());
    }

    static List<Entry> read(String url, String stream) throws Exception {
        try (Connection connection = connect(url)) {
            return read(connection.jetStreamManagement(), stream);
        }
    }

    static List<Entry> read(JetStreamManagement management, String stream) throws IOException, JetStreamApiException {
        StreamInfo info = management.getStreamInfo(stream);
        List<Entry> entries = new ArrayList<>();
        if (info.getStreamState().getMsgCount() == 0) return entries;
        for (long seq = info.getStreamState().getFirstSequence(); seq <= info.getStreamState().getLastSequence(); seq++) {
            MessageInfo message = management.getMessage(stream, seq);
            entries.add(new Entry(message.getSeq(), message.getSubject(),
                    message.getHeaders().getFirst(NatsJetStreamConstants.MSG_ID_HDR),
                    Long.parseLong(message.getHeaders().getFirst(JetStreamLog.REVISION_HEADER)),
                    MAPPER.readTree(message.getData())));
        }
        return entries;
    }

    static List<Long> revisions(String url, String stream) throws Exception {
        return read(url, stream).stream().map(Entry::revision).toList();
    }

    static void delete(String url, String stream) {
        try (Connection connection = connect(url)) {
            connection.jetStreamManagement().deleteStream(stream);
        } catch (Exception gone) {
            // never created, or the broker is gone
        }
    }
}

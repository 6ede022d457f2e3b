package dev.switchboard.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one way Switchboard turns records into JSON: snake_case, ISO-8601 times, no nulls. */
public final class JsonMapper {
    /**
     * Writing may nest deeper than reading (Jackson's default, 1 000 levels) by this much: anything read back
     * from the store — however deep an older version let it be — can still be written inside the envelopes
     * and answers that wrap it (an event wraps a configuration's params in 3 levels, a history answer in 4).
     * Client bodies are held far below both (see {@code http.JsonBodyReader}).
     */
    static final int WRITE_DEPTH_HEADROOM = 64;

    private JsonMapper() {
    }

    public static ObjectMapper create() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().setStreamWriteConstraints(StreamWriteConstraints.builder()
                .maxNestingDepth(StreamReadConstraints.DEFAULT_MAX_DEPTH + WRITE_DEPTH_HEADROOM).build());
        return mapper
                .registerModule(new Jdk8Module())
                .registerModule(new JavaTimeModule())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_ABSENT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}

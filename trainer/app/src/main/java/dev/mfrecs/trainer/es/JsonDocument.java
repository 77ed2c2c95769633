package dev.mfrecs.trainer.es;

import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A contract document (model metadata, a model's state, a run record) as the raw JSON the index request sends. The contract
 * writes unset optional values as explicit nulls, so that a view with fields filtered away can be told from an unset value;
 * the client's own serializer of a {@code Map} would drop those nulls.
 */
public final class JsonDocument {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonDocument() {}

    public static BinaryData of(Map<String, Object> document) {
        try {
            return BinaryData.of(JSON.writeValueAsBytes(document), ContentType.APPLICATION_JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

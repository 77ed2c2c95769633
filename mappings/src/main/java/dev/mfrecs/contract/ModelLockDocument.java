package dev.mfrecs.contract;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lease one process holds on a model while it changes it (a trainer publishing, an operator rolling back or deleting): the
 * document {@code _lock-<model>} of {@value ModelIndices#METADATA_INDEX}. It is taken with an atomic create, renewed by its
 * holder before it expires, and taken over by anyone once it has expired; every write is conditional on the document's
 * {@code _seq_no} and {@code _primary_term}, which makes the sequence number a fencing token: a holder whose conditional
 * renewal fails has lost the lease and must stop changing the model.
 *
 * @param owner   who holds it: host, process and a random run id, for operators and for the holder to recognize itself
 * @param purpose what the holder is doing ({@code train}, {@code rollback}, {@code delete}...)
 */
public record ModelLockDocument(String model, String owner, String purpose, Instant acquired, Instant renewed, Instant expires) {

    private static final String LOCK_MODEL = "lock_model";
    private static final String OWNER = "owner";
    private static final String PURPOSE = "purpose";
    private static final String ACQUIRED = "acquired";
    private static final String RENEWED = "renewed";
    private static final String EXPIRES = "expires";

    public ModelLockDocument {
        if (model == null || owner == null || purpose == null || acquired == null || renewed == null || expires == null) {
            throw new IllegalArgumentException("a model lock needs every field");
        }
    }

    /** The document id of {@code model}'s lock. */
    public static String id(String model) {
        return "_lock-" + model;
    }

    public boolean expiredAt(Instant now) {
        return expires.isAfter(now) == false;
    }

    /** The same lease renewed at {@code now} for {@code ttlMillis}. */
    public ModelLockDocument renewedAt(Instant now, long ttlMillis) {
        return new ModelLockDocument(model, owner, purpose, acquired, now, now.plusMillis(ttlMillis));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(LOCK_MODEL, model);
        m.put(OWNER, owner);
        m.put(PURPOSE, purpose);
        m.put(ACQUIRED, acquired.toString());
        m.put(RENEWED, renewed.toString());
        m.put(EXPIRES, expires.toString());
        return m;
    }

    public static ModelLockDocument fromMap(String id, Map<String, Object> source) {
        MetadataReader r = MetadataReader.of(id, source);
        ModelLockDocument d = new ModelLockDocument(r.string(LOCK_MODEL), r.string(OWNER), r.string(PURPOSE), instant(r, ACQUIRED),
            instant(r, RENEWED), instant(r, EXPIRES));
        r.done();
        return d;
    }

    static Instant instant(MetadataReader r, String field) {
        String s = r.string(field);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw r.invalid(field, "not an ISO-8601 instant [" + s + "]");
        }
    }
}

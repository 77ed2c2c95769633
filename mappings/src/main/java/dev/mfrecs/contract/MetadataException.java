package dev.mfrecs.contract;

/**
 * A model metadata document (or a part of it, such as the interactions recipe) that does not satisfy the contract: a required
 * field missing, a value of the wrong type or out of range, or a field the contract does not declare. The message names the
 * document and the field's full path in brackets, so a reader (the plugin, {@code models list}) can say exactly what is wrong
 * instead of silently taking a default.
 */
public final class MetadataException extends IllegalArgumentException {

    private final String field;

    public MetadataException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The offending field's path, e.g. {@code interactions.user_field}. */
    public String field() {
        return field;
    }
}

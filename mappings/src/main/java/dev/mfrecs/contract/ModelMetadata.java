package dev.mfrecs.contract;

import dev.mfrecs.factorization.ImplicitItemSide;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One published model version as every trainer writes it and the plugin reads it: the typed form of the immutable document
 * {@code <model>-v<N>} in the hidden index {@value ModelIndices#METADATA_INDEX}. It is the product's central interface, so it
 * is defined once, here: {@link #toMap()} is the only writer of the document and {@link #fromMap} the only reader, which rejects
 * a missing required field, a wrong type or a field the contract does not declare, naming it (never a silent default).
 * <p>
 * The document carries {@value #SCHEMA_VERSION_FIELD}; this code reads {@link #SCHEMA_VERSION} only, so a model published by
 * an incompatible trainer is refused with a clear message instead of being misread. Derived values (the vector dims, the index
 * names) are written for people reading the document and checked on read.
 *
 * @param version      the version, {@code >= 1}; 0 while a trainer has produced the model but not yet published it
 *                     ({@link #withVersion})
 * @param userCount    users trained
 * @param itemCount    items trained: the columns of the matrix, {@code |I|} of the Rendle regularization
 * @param implicit     the implicit terms, non-null exactly for {@link ModelAlgorithm#IALS}
 * @param explicit     the explicit terms, non-null exactly for {@link ModelAlgorithm#ALS}
 * @param interactions how events became the training matrix; query-time fold-in follows it
 * @param catalog      the catalog whose attributes the item vectors carry, or null
 * @param popularItems the most popular items, most popular first: the plugin's empty-history fallback
 */
public record ModelMetadata(
    String model,
    int version,
    ModelAlgorithm algorithm,
    int factors,
    float regularization,
    int userCount,
    int itemCount,
    ImplicitTerms implicit,
    ExplicitTerms explicit,
    InteractionRecipe interactions,
    CatalogSource catalog,
    List<String> popularItems,
    TrainingSummary training
) {

    /** The layout this code writes and reads. 1 was the untyped layout before the contract. */
    public static final int SCHEMA_VERSION = 2;

    static final String SCHEMA_VERSION_FIELD = "schema_version";
    /** The field holding the model name: what listings of a model's versions query. */
    public static final String MODEL = "model";
    /** The field holding the version number: what listings sort by. */
    public static final String VERSION = "version";
    private static final String ALGORITHM = "algorithm";
    private static final String FACTORS = "factors";
    private static final String VECTOR_DIMS = "vector_dims";
    private static final String REGULARIZATION = "regularization";
    private static final String USER_COUNT = "user_count";
    private static final String ITEM_COUNT = "item_count";
    private static final String ITEMS_INDEX = "items_index";
    private static final String USERS_INDEX = "users_index";
    private static final String IMPLICIT = "implicit";
    private static final String EXPLICIT = "explicit";
    private static final String INTERACTIONS = "interactions";
    private static final String CATALOG = "catalog";
    private static final String POPULAR_ITEMS = "popular_items";
    private static final String TRAINING = "training";

    /** Fields of the document that listings leave out because of their size. */
    public static final String GRAM_PATH = IMPLICIT + ".gram";
    public static final String USER_GRAM_PATH = IMPLICIT + ".user_gram";

    public ModelMetadata {
        String invalid = ModelIndices.validateModelName(model);
        if (invalid != null) {
            throw new IllegalArgumentException(invalid);
        }
        if (version < 0) {
            throw new IllegalArgumentException("model [" + model + "] [version] must be >= 0, got [" + version + "]");
        }
        if (algorithm == null || interactions == null || training == null) {
            throw new IllegalArgumentException("model [" + model + "] needs [algorithm], [interactions] and [training]");
        }
        if (factors <= 0) {
            throw new IllegalArgumentException("model [" + model + "] [factors] must be > 0, got [" + factors + "]");
        }
        if (Float.isFinite(regularization) == false || regularization < 0) {
            throw new IllegalArgumentException("model [" + model + "] [regularization] must be finite and >= 0, got [" + regularization
                + "]");
        }
        if (userCount < 0 || itemCount < 0) {
            throw new IllegalArgumentException("model [" + model + "] counts must be >= 0");
        }
        if ((implicit != null) != (algorithm == ModelAlgorithm.IALS) || (explicit != null) != (algorithm == ModelAlgorithm.ALS)) {
            throw new IllegalArgumentException("model [" + model + "] of algorithm [" + algorithm.id() + "] must have exactly the ["
                + (algorithm == ModelAlgorithm.IALS ? IMPLICIT : EXPLICIT) + "] terms");
        }
        if (implicit != null && implicit.gram().length != factors * factors) {
            throw new IllegalArgumentException("model [" + model + "] gram matrix has [" + implicit.gram().length + "] values, expected ["
                + factors * factors + "]");
        }
        popularItems = popularItems == null ? List.of() : List.copyOf(popularItems);
    }

    /** The same model at {@code newVersion}: what the publisher stores once it has reserved the version number. */
    public ModelMetadata withVersion(int newVersion) {
        return new ModelMetadata(model, newVersion, algorithm, factors, regularization, userCount, itemCount, implicit, explicit,
            interactions, catalog, popularItems, training);
    }

    public ModelMetadata withTraining(TrainingSummary newTraining) {
        return new ModelMetadata(model, version, algorithm, factors, regularization, userCount, itemCount, implicit, explicit,
            interactions, catalog, popularItems, newTraining);
    }

    /** The same model carrying the attributes of {@code newCatalog} (null: none). */
    public ModelMetadata withCatalog(CatalogSource newCatalog) {
        return new ModelMetadata(model, version, algorithm, factors, regularization, userCount, itemCount, implicit, explicit,
            interactions, newCatalog, popularItems, training);
    }

    /** The published vectors' dims: {@code factors}, plus one for the bias of explicit models. */
    public int vectorDims() {
        return algorithm.vectorDims(factors);
    }

    public boolean isExplicit() {
        return algorithm == ModelAlgorithm.ALS;
    }

    public String itemsIndex() {
        return ModelIndices.itemsIndex(model, version);
    }

    public String usersIndex() {
        return ModelIndices.usersIndex(model, version);
    }

    public String documentId() {
        return ModelIndices.metadataId(model, version);
    }

    /** A new item's fold-in side between trainings: the stored users' Gram matrix over the {@code userCount} trained users. */
    public ImplicitItemSide implicitUserSide() {
        if (implicit == null) {
            throw new IllegalStateException("model [" + model + "] version [" + version + "] is [" + algorithm.id() + "], not implicit");
        }
        return new ImplicitItemSide(implicit.userGram(), userCount, regularization, implicit.confidence(), implicit.rendle());
    }

    /** The implicit fold-in's item side as one value. */
    public ImplicitItemSide implicitItemSide() {
        if (implicit == null) {
            throw new IllegalStateException("model [" + model + "] version [" + version + "] is [" + algorithm.id() + "], not implicit");
        }
        return new ImplicitItemSide(implicit.gram(), itemCount, regularization, implicit.confidence(), implicit.rendle());
    }

    /** The document, every field the contract declares. */
    public Map<String, Object> toMap() {
        if (version < 1) {
            throw new IllegalStateException("model [" + model + "] has no version yet; the publisher assigns one");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(SCHEMA_VERSION_FIELD, SCHEMA_VERSION);
        m.put(MODEL, model);
        m.put(VERSION, version);
        m.put(ALGORITHM, algorithm.id());
        m.put(FACTORS, factors);
        m.put(VECTOR_DIMS, vectorDims());
        m.put(REGULARIZATION, regularization);
        m.put(USER_COUNT, userCount);
        m.put(ITEM_COUNT, itemCount);
        m.put(ITEMS_INDEX, itemsIndex());
        m.put(USERS_INDEX, usersIndex());
        if (implicit != null) {
            m.put(IMPLICIT, implicit.toMap());
        }
        if (explicit != null) {
            m.put(EXPLICIT, explicit.toMap());
        }
        m.put(INTERACTIONS, interactions.toMap());
        m.put(CATALOG, catalog == null ? null : catalog.toMap());
        m.put(POPULAR_ITEMS, popularItems);
        m.put(TRAINING, training.toMap());
        return m;
    }

    /**
     * Reads a metadata document strictly.
     *
     * @param documentId the document's id, for messages
     * @throws MetadataException naming the field when the document does not satisfy the contract
     */
    public static ModelMetadata fromMap(String documentId, Map<String, Object> source) {
        MetadataReader r = MetadataReader.of(documentId, source);
        int schema = r.integer(SCHEMA_VERSION_FIELD);
        if (schema != SCHEMA_VERSION) {
            throw r.invalid(SCHEMA_VERSION_FIELD, "this plugin and trainer read schema version [" + SCHEMA_VERSION + "], the document has ["
                + schema + "]; retrain the model with a matching trainer");
        }
        String model = r.string(MODEL);
        int version = r.integer(VERSION);
        ModelAlgorithm algorithm;
        try {
            algorithm = ModelAlgorithm.parse(r.string(ALGORITHM));
        } catch (MetadataException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw r.invalid(ALGORITHM, e.getMessage());
        }
        int factors = r.integer(FACTORS);
        if (factors <= 0) {
            throw r.invalid(FACTORS, "must be > 0, got [" + factors + "]");
        }
        float regularization = r.floatValue(REGULARIZATION);
        int users = r.integer(USER_COUNT);
        int items = r.integer(ITEM_COUNT);
        ImplicitTerms implicit = algorithm == ModelAlgorithm.IALS ? ImplicitTerms.read(r.object(IMPLICIT), factors) : null;
        ExplicitTerms explicit = algorithm == ModelAlgorithm.ALS ? ExplicitTerms.read(r.object(EXPLICIT)) : null;
        if (algorithm == ModelAlgorithm.IALS && r.has(EXPLICIT) || algorithm == ModelAlgorithm.ALS && r.has(IMPLICIT)) {
            throw r.invalid(algorithm == ModelAlgorithm.IALS ? EXPLICIT : IMPLICIT, "not allowed for algorithm [" + algorithm.id() + "]");
        }
        InteractionRecipe interactions = InteractionRecipe.read(r.object(INTERACTIONS));
        CatalogSource catalog = r.optionalObject(CATALOG) instanceof MetadataReader c ? CatalogSource.read(c) : null;
        List<String> popular = r.strings(POPULAR_ITEMS);
        TrainingSummary training = TrainingSummary.read(r.object(TRAINING));
        ModelMetadata m;
        try {
            m = new ModelMetadata(model, version, algorithm, factors, regularization, users, items, implicit, explicit, interactions,
                catalog, popular, training);
        } catch (IllegalArgumentException e) {
            throw r.invalid(e.getMessage());
        }
        if (version < 1) {
            throw r.invalid(VERSION, "must be >= 1, got [" + version + "]");
        }
        checkDerived(r, VECTOR_DIMS, r.integer(VECTOR_DIMS), m.vectorDims());
        checkDerived(r, ITEMS_INDEX, r.string(ITEMS_INDEX), m.itemsIndex());
        checkDerived(r, USERS_INDEX, r.string(USERS_INDEX), m.usersIndex());
        if (documentId != null && documentId.equals(m.documentId()) == false) {
            throw r.invalid(MODEL, "document [" + documentId + "] describes [" + m.documentId() + "]");
        }
        r.done();
        return m;
    }

    private static void checkDerived(MetadataReader r, String field, Object stored, Object expected) {
        if (stored.equals(expected) == false) {
            throw r.invalid(field, "[" + stored + "], expected [" + expected + "]");
        }
    }

    @Override
    public String toString() {
        return "ModelMetadata[" + model + " v" + version + " " + algorithm.id() + " d=" + factors + "]";
    }
}

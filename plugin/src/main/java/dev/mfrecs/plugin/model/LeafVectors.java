package dev.mfrecs.plugin.model;

import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.search.DocIdSetIterator;

import java.io.IOException;

/**
 * Reads item vectors of one segment straight from the {@code dense_vector} field's Lucene vector storage (raw floats, as
 * published: the {@code vector} field is {@code max_inner_product} and keeps vectors unnormalized), for the documents a rescorer,
 * an explanation or a fetch sub-phase already holds: no kNN, no {@code _source}. Documents are best asked for in increasing order
 * (one forward pass over the iterator); asking for an earlier one starts a new pass.
 */
public final class LeafVectors {

    private final LeafReader reader;
    private final String field;
    private final FloatVectorValues values;
    private KnnVectorValues.DocIndexIterator iterator;

    private LeafVectors(LeafReader reader, String field, FloatVectorValues values) throws IOException {
        this.reader = reader;
        this.field = field;
        this.values = values;
        this.iterator = values == null ? null : values.iterator();
    }

    /**
     * The vectors of {@code field} in this segment; none when the segment has no such field. A float vector field of other dims
     * than {@code dims} is refused, naming {@code api}: a model's user vector cannot be compared with another model's items.
     */
    public static LeafVectors of(LeafReader reader, String field, int dims, String api) throws IOException {
        FieldInfo info = reader.getFieldInfos().fieldInfo(field);
        if (info == null || info.getVectorDimension() == 0) {
            return new LeafVectors(reader, field, null);
        }
        if (info.getVectorEncoding() != VectorEncoding.FLOAT32) {
            throw new IllegalArgumentException("[" + api + "] field [" + field + "] must hold float vectors, got [" + info
                .getVectorEncoding() + "]");
        }
        if (info.getVectorDimension() != dims) {
            throw new IllegalArgumentException("[" + api + "] field [" + field + "] has [" + info.getVectorDimension()
                + "] dims, the model's vectors have [" + dims + "]");
        }
        return new LeafVectors(reader, field, reader.getFloatVectorValues(field));
    }

    /**
     * The vector of segment document {@code doc}, or null when it has none. The array may be reused by the next call: use it
     * (or copy it) before asking again.
     */
    public float[] vector(int doc) throws IOException {
        if (values == null) {
            return null;
        }
        if (iterator.docID() > doc) {
            iterator = values.iterator();
        }
        int at = iterator.docID() >= doc ? iterator.docID() : iterator.advance(doc);
        if (at != doc || at == DocIdSetIterator.NO_MORE_DOCS) {
            return null;
        }
        return values.vectorValue(iterator.index());
    }

    @Override
    public String toString() {
        return "LeafVectors[" + field + " of " + reader + "]";
    }
}

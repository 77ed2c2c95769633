package dev.mfrecs.plugin.query;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.plugin.model.LeafVectors;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.search.fetch.FetchContext;
import org.elasticsearch.search.fetch.FetchSubPhase;
import org.elasticsearch.search.fetch.FetchSubPhaseProcessor;
import org.elasticsearch.search.fetch.StoredFieldsSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds {@code because} to the hits of a search whose query holds an mf query with {@code because: n}: each hit with an item vector
 * gets a field {@value #FIELD} listing its top {@code n} contributing history items as {@code {"item", "contribution"}}, largest
 * first, computed from the hit's vector (read from the segment, not {@code _source}) and the decomposition the query carries. When
 * a search holds several such queries, the first one found is used.
 */
public final class BecauseFetchSubPhase implements FetchSubPhase {

    public static final String FIELD = "_mf_because";

    @Override
    public FetchSubPhaseProcessor getProcessor(FetchContext context) {
        Because because = find(context.query());
        if (because == null) {
            return null;
        }
        return new FetchSubPhaseProcessor() {
            private LeafVectors vectors;

            @Override
            public void setNextReader(LeafReaderContext readerContext) throws IOException {
                vectors = LeafVectors.of(readerContext.reader(), ModelIndices.VECTOR, because.dims(), "because");
            }

            @Override
            public void process(HitContext hit) throws IOException {
                float[] y = vectors.vector(hit.docId());
                if (y == null) {
                    return;
                }
                List<Object> values = new ArrayList<>();
                for (Because.Contribution c : because.top(y)) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("item", c.item());
                    entry.put("contribution", c.contribution());
                    values.add(entry);
                }
                hit.hit().setDocumentField(new DocumentField(FIELD, values));
            }

            @Override
            public StoredFieldsSpec storedFieldsSpec() {
                return StoredFieldsSpec.NO_REQUIREMENTS;
            }
        };
    }

    /** The decomposition of the first {@code because} query inside {@code query}, or null. */
    static Because find(Query query) {
        if (query == null) {
            return null;
        }
        Because[] found = new Because[1];
        query.visit(new QueryVisitor() {
            @Override
            public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
                if (occur == BooleanClause.Occur.MUST_NOT) {
                    return QueryVisitor.EMPTY_VISITOR;
                }
                if (found[0] == null && parent instanceof BecauseQueryBuilder.BecauseQuery b) {
                    found[0] = b.because;
                }
                return this;
            }
        });
        return found[0];
    }
}

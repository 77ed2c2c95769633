package dev.mfrecs.plugin.query;

import dev.mfrecs.contract.ModelIndices;

import org.elasticsearch.common.lucene.search.function.CombineFunction;
import org.elasticsearch.common.lucene.search.function.FieldValueFactorFunction;
import org.elasticsearch.common.lucene.search.function.FunctionScoreQuery;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.DisMaxQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.index.query.functionscore.FieldValueFactorFunctionBuilder;
import org.elasticsearch.index.query.functionscore.FunctionScoreQueryBuilder;
import org.elasticsearch.index.query.functionscore.ScoreFunctionBuilders;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * What fills a recommendation list when filters and seen-item exclusion leave fewer than {@code k} hits: the catalog's most
 * popular items that pass the same filters, unseen ones first, then (for shops where people buy again) seen ones. A widget
 * that asks for 10 gets 10.
 * <p>
 * The kNN hits, the unseen popular items and the seen popular items are three clauses of a {@code dis_max} whose scores do not
 * overlap: a kNN hit scores {@value #KNN_OFFSET} plus its kNN score, an unseen popular item {@value #UNSEEN_OFFSET} plus
 * {@code ln(1 + popularity)}, a seen one {@code ln(1 + popularity)}; {@code dis_max} keeps each document's best clause, so a kNN
 * hit that is also popular keeps its kNN rank. The kNN clause is named {@value #KNN_NAME} and the fill clauses
 * {@value #BACKFILL_NAME}: a hit whose {@code matched_queries} lacks {@value #KNN_NAME} is a backfilled one.
 */
public final class Backfill {

    static final float KNN_OFFSET = 1000f;
    static final float UNSEEN_OFFSET = 500f;
    static final String KNN_NAME = "mf_knn";
    static final String BACKFILL_NAME = "mf_backfill";

    /** What to fill a short list with. */
    public enum Mode {
        NONE,
        POPULAR;

        static Mode parse(String api, String value) {
            for (Mode m : values()) {
                if (m.toString().equals(value)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("[" + api + "] [backfill] must be [none] or [popular], got [" + value + "]");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Backfill() {}

    /**
     * {@code knn} with the popular fill behind it; {@code excluded} are the seen (or query) items, offered last when
     * {@code offerExcluded}.
     */
    static QueryBuilder around(QueryBuilder knn, List<QueryBuilder> filters, Collection<String> excluded, boolean offerExcluded) {
        FunctionScoreQueryBuilder ranked = new FunctionScoreQueryBuilder(knn, ScoreFunctionBuilders.weightFactorFunction(KNN_OFFSET))
            .boostMode(CombineFunction.SUM)
            .queryName(KNN_NAME);
        BoolQueryBuilder unseen = QueryBuilders.boolQuery();
        filters.forEach(unseen::filter);
        if (excluded.isEmpty() == false) {
            unseen.mustNot(QueryBuilders.idsQuery().addIds(excluded.toArray(String[]::new)));
        }
        DisMaxQueryBuilder all = QueryBuilders.disMaxQuery().tieBreaker(0f).add(ranked).add(popular(unseen, UNSEEN_OFFSET));
        if (offerExcluded && excluded.isEmpty() == false) {
            BoolQueryBuilder seen = QueryBuilders.boolQuery().filter(QueryBuilders.idsQuery().addIds(excluded.toArray(String[]::new)));
            filters.forEach(seen::filter);
            all.add(popular(seen, 0f));
        }
        return all;
    }

    /** {@code offset + ln(1 + popularity)} for the documents {@code query} matches. */
    private static QueryBuilder popular(QueryBuilder query, float offset) {
        FunctionScoreQueryBuilder.FilterFunctionBuilder[] functions = offset > 0
            ? new FunctionScoreQueryBuilder.FilterFunctionBuilder[] { new FunctionScoreQueryBuilder.FilterFunctionBuilder(popularity()),
                new FunctionScoreQueryBuilder.FilterFunctionBuilder(ScoreFunctionBuilders.weightFactorFunction(offset)) }
            : new FunctionScoreQueryBuilder.FilterFunctionBuilder[] { new FunctionScoreQueryBuilder.FilterFunctionBuilder(popularity()) };
        return new FunctionScoreQueryBuilder(query, functions).scoreMode(FunctionScoreQuery.ScoreMode.SUM)
            .boostMode(CombineFunction.REPLACE)
            .queryName(BACKFILL_NAME);
    }

    private static FieldValueFactorFunctionBuilder popularity() {
        return ScoreFunctionBuilders.fieldValueFactorFunction(ModelIndices.POPULARITY).modifier(FieldValueFactorFunction.Modifier.LN1P)
            .missing(0);
    }
}

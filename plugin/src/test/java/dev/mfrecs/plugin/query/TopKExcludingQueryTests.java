package dev.mfrecs.plugin.query;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FloatDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.queries.function.FunctionScoreQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DoubleValuesSource;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.index.RandomIndexWriter;
import org.apache.lucene.util.BytesRef;
import org.elasticsearch.test.ESTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link TopKExcludingQuery} against a brute-force ranking on a real Lucene index with several segments: the top k of
 * the candidates that are not excluded, with the candidates' scores, boosts applied, explanations agreeing.
 */
public class TopKExcludingQueryTests extends ESTestCase {

    private record Scored(int doc, float score) {}

    public void testTopKOfCandidatesNotExcludedMatchesBruteForce() throws IOException {
        int n = randomIntBetween(1, 300);
        float[] s = new float[n];
        try (Directory dir = newDirectory(); RandomIndexWriter w = new RandomIndexWriter(random(), dir)) {
            for (int i = 0; i < n; i++) {
                // Few distinct values, so ties occur and their order (lower doc first) is checked too.
                s[i] = randomIntBetween(0, 20) / 4f;
                Document doc = new Document();
                doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
                doc.add(new FloatDocValuesField("s", s[i]));
                w.addDocument(doc);
                if (rarely()) {
                    w.commit();
                }
            }
            try (IndexReader reader = w.getReader()) {
                IndexSearcher searcher = newSearcher(reader, true, true, randomBoolean());
                for (int round = 0; round < 10; round++) {
                    Set<Integer> excluded = new HashSet<>();
                    for (int i = 0, m = randomIntBetween(0, n); i < m; i++) {
                        excluded.add(randomIntBetween(0, n - 1));
                    }
                    int k = randomIntBetween(1, n + 2);
                    float boost = randomBoolean() ? 1f : randomFloat() * 3 + 0.1f;
                    assertTopK(searcher, s, excluded, k, boost);
                }
            }
        }
    }

    private void assertTopK(IndexSearcher searcher, float[] s, Set<Integer> excluded, int k, float boost) throws IOException {
        List<BytesRef> terms = excluded.stream().map(i -> new BytesRef(Integer.toString(i))).toList();
        Query candidates = new FunctionScoreQuery(new MatchAllDocsQuery(), DoubleValuesSource.fromFloatField("s"));
        Query query = new BoostQuery(new TopKExcludingQuery(candidates, new TermInSetQuery("id", terms), k), boost);

        // Expected: by score descending, then by Lucene doc id (the searcher's tie-break), without the excluded.
        List<Scored> expected = new ArrayList<>();
        TopDocs all = searcher.search(candidates, Math.max(1, s.length));
        for (ScoreDoc sd : all.scoreDocs) {
            int id = idOf(searcher, sd.doc);
            if (excluded.contains(id) == false) {
                expected.add(new Scored(sd.doc, s[id]));
            }
        }
        expected.sort(Comparator.comparingDouble((Scored x) -> -x.score()).thenComparingInt(Scored::doc));
        expected = expected.subList(0, Math.min(k, expected.size()));

        TopDocs top = searcher.search(query, s.length + 1);
        assertEquals(expected.size(), top.totalHits.value());
        assertEquals(expected.size(), top.scoreDocs.length);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals("rank " + i, expected.get(i).doc(), top.scoreDocs[i].doc);
            assertEquals("rank " + i, expected.get(i).score() * boost, top.scoreDocs[i].score, 1e-5f);
        }
        assertEquals(expected.size(), searcher.count(query));

        Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE, 1f);
        Set<Integer> kept = new HashSet<>();
        expected.forEach(x -> kept.add(x.doc()));
        for (int i = 0; i < 5 && s.length > 0; i++) {
            int doc = randomIntBetween(0, s.length - 1);
            var leaves = searcher.getIndexReader().leaves();
            var leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
            Explanation e = weight.explain(leaf, doc - leaf.docBase);
            assertEquals(e.toString(), kept.contains(doc), e.isMatch());
            if (e.isMatch()) {
                assertEquals(s[idOf(searcher, doc)] * boost, e.getValue().floatValue(), 1e-5f);
            }
        }
    }

    public void testRewriteIsBoundToItsReader() throws IOException {
        try (Directory dir = newDirectory(); RandomIndexWriter w = new RandomIndexWriter(random(), dir)) {
            Document doc = new Document();
            doc.add(new StringField("id", "0", Field.Store.NO));
            w.addDocument(doc);
            try (IndexReader first = w.getReader()) {
                w.addDocument(doc);
                try (IndexReader second = w.getReader()) {
                    IndexSearcher a = newSearcher(first);
                    Query rewritten = a.rewrite(new TopKExcludingQuery(new MatchAllDocsQuery(), new TermQuery(new Term("id", "x")), 1));
                    IndexSearcher b = newSearcher(second);
                    expectThrows(IllegalStateException.class, () -> b.createWeight(rewritten, ScoreMode.COMPLETE, 1f));
                }
            }
        }
    }

    public void testKMustBePositive() {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class,
            () -> new TopKExcludingQuery(new MatchAllDocsQuery(), new MatchAllDocsQuery(), 0));
        assertTrue(e.getMessage(), e.getMessage().contains("[0]"));
    }

    private static int idOf(IndexSearcher searcher, int doc) throws IOException {
        return Integer.parseInt(searcher.storedFields().document(doc).get("id"));
    }
}

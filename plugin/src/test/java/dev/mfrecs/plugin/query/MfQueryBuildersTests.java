package dev.mfrecs.plugin.query;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.plugin.MfRecommendationsPlugin;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.TestModels;
import dev.mfrecs.plugin.user.HistoryEntry;
import dev.mfrecs.plugin.user.UserSource;
import dev.mfrecs.plugin.user.UserSpec;

import org.elasticsearch.action.admin.indices.resolve.ResolveIndexAction;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.MultiGetItemResponse;
import org.elasticsearch.action.get.MultiGetRequest;
import org.elasticsearch.action.get.MultiGetResponse;
import org.elasticsearch.action.support.PlainActionFuture;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.Rewriteable;
import org.elasticsearch.search.SearchModule;
import org.elasticsearch.search.vectors.KnnVectorQueryBuilder;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.test.EqualsHashCodeTestUtils;
import org.elasticsearch.test.client.NoOpClient;

import org.elasticsearch.threadpool.TestThreadPool;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentParserConfiguration;
import org.elasticsearch.xcontent.json.JsonXContent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static dev.mfrecs.plugin.FakeCluster.answering;
import static dev.mfrecs.plugin.FakeCluster.getResponse;
import static dev.mfrecs.plugin.FakeCluster.index;
import static dev.mfrecs.plugin.FakeCluster.resolvedAlias;
import static dev.mfrecs.plugin.FakeCluster.resolvedIndices;

/**
 * The mf query builders in Elasticsearch's style: wire and XContent round trips, equality over every field, parse
 * errors naming the field, and the coordinating rewrite against a client that answers the lookups the way a cluster
 * would.
 */
public class MfQueryBuildersTests extends ESTestCase {

    private static final MfServices SERVICES = MfServices.direct();
    private final SearchModule searchModule = new SearchModule(Settings.EMPTY, List.of(MfRecommendationsPlugin.withServices(SERVICES)));
    private final NamedWriteableRegistry writeables = new NamedWriteableRegistry(Stream.concat(searchModule.getNamedWriteables().stream(),
        MfRecommendationsPlugin.withServices(SERVICES).getNamedWriteables().stream()).toList());

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return new NamedXContentRegistry(searchModule.getNamedXContents());
    }

    private static UserSpec randomUser() {
        if (randomBoolean()) {
            return new UserSpec(randomAlphaOfLength(6), null, randomFrom(UserSource.values()), randomFrom(true, false, null));
        }
        List<HistoryEntry> history = new ArrayList<>();
        for (int i = 0, n = randomIntBetween(1, 5); i < n; i++) {
            history.add(new HistoryEntry(randomAlphaOfLength(4), randomFloat() * 5));
        }
        return new UserSpec(null, history);
    }

    private static MfRecommendQueryBuilder randomRecommend() {
        int k = randomIntBetween(1, 100);
        List<QueryBuilder> filters = randomBoolean() ? List.of() : List.of(QueryBuilders.termQuery("category", randomAlphaOfLength(3)));
        MfRecommendQueryBuilder b = new MfRecommendQueryBuilder(SERVICES, "m" + randomAlphaOfLength(5).toLowerCase(Locale.ROOT),
            randomUser(), randomBoolean() ? null : "vector", k, randomBoolean() ? null : randomIntBetween(k, 1000), filters,
            randomBoolean() ? null : randomBoolean(), randomFrom(OnEmpty.values()));
        if (randomBoolean()) {
            b.boost(randomFloat() + 0.5f);
        }
        if (randomBoolean()) {
            b.queryName(randomAlphaOfLength(4));
        }
        return b;
    }

    private static MfSimilarQueryBuilder randomSimilar() {
        List<String> items = new ArrayList<>();
        for (int i = 0, n = randomIntBetween(1, 4); i < n; i++) {
            items.add(randomAlphaOfLength(5));
        }
        return new MfSimilarQueryBuilder(SERVICES, "m" + randomAlphaOfLength(5).toLowerCase(Locale.ROOT), items, null,
            randomIntBetween(1, 50), null, List.of());
    }

    private QueryBuilder parse(String json) throws IOException {
        try (XContentParser p = JsonXContent.jsonXContent.createParser(XContentParserConfiguration.EMPTY.withRegistry(xContentRegistry()),
            json)) {
            return AbstractQueryBuilder.parseTopLevelQuery(p);
        }
    }

    public void testWireAndXContentRoundTrips() throws IOException {
        for (int i = 0; i < 20; i++) {
            for (QueryBuilder original : List.of(randomRecommend(), randomSimilar())) {
                QueryBuilder copy = copyNamedWriteable(original, writeables, QueryBuilder.class);
                assertEquals(original, copy);
                assertEquals(original.hashCode(), copy.hashCode());
                String json = Strings.toString(original);
                assertEquals(json, original, parse(json));
            }
        }
    }

    public void testEqualsAndHashCodeCoverEveryField() {
        MfRecommendQueryBuilder original = new MfRecommendQueryBuilder(SERVICES, "shop", new UserSpec("u1", null), null, 10, 100, List.of(),
            true, OnEmpty.POPULAR);
        EqualsHashCodeTestUtils.checkEqualsAndHashCode(original,
            o -> new MfRecommendQueryBuilder(SERVICES, "shop", new UserSpec("u1", null), null, 10, 100, List.of(), true, OnEmpty.POPULAR),
            o -> switch (randomIntBetween(0, 6)) {
                case 0 -> new MfRecommendQueryBuilder(SERVICES, "shop2", o.userSpec(), null, 10, 100, List.of(), true, OnEmpty.POPULAR);
                case 1 -> new MfRecommendQueryBuilder(SERVICES, "shop", new UserSpec("u2", null), null, 10, 100, List.of(), true,
                    OnEmpty.POPULAR);
                case 2 -> new MfRecommendQueryBuilder(SERVICES, "shop", o.userSpec(), "vector_cosine", 10, 100, List.of(), true,
                    OnEmpty.POPULAR);
                case 3 -> new MfRecommendQueryBuilder(SERVICES, "shop", o.userSpec(), null, 11, 100, List.of(), true, OnEmpty.POPULAR);
                case 4 -> new MfRecommendQueryBuilder(SERVICES, "shop", o.userSpec(), null, 10, 101, List.of(), true, OnEmpty.POPULAR);
                case 5 -> new MfRecommendQueryBuilder(SERVICES, "shop", o.userSpec(), null, 10, 100, List.of(QueryBuilders.matchAllQuery()),
                    true, OnEmpty.POPULAR);
                default -> new MfRecommendQueryBuilder(SERVICES, "shop", o.userSpec(), null, 10, 100, List.of(), false, OnEmpty.ERROR);
            });
    }

    public void testParseErrorsNameTheField() {
        ParsingException e = expectThrows(ParsingException.class, () -> parse("{\"mf_recommend\": {\"model\": \"m\", \"user\": \"u\", "
            + "\"k\": 0}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("[k]"));
        e = expectThrows(ParsingException.class, () -> parse("{\"mf_recommend\": {\"model\": \"m\", \"user\": \"u\", \"history\": "
            + "[\"a\"]}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("not both"));
        Exception unknown = expectThrows(Exception.class, () -> parse("{\"mf_recommend\": {\"model\": \"m\", \"usr\": \"u\"}}"));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("[usr]"));
        e = expectThrows(ParsingException.class, () -> parse("{\"mf_similar\": {\"model\": \"m\", \"items\": []}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("[items]"));
        e = expectThrows(ParsingException.class, () -> parse("{\"mf_recommend\": {\"model\": \"Bad Name\", \"user\": \"u\"}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("[Bad Name]"));
    }

    public void testRewriteFetchesModelAndUserThenBecomesKnn() throws Exception {
        String model = "shop";
        int dims = 3;
        Map<String, Object> metadata = TestModels.identityDocument(model, 4, dims);
        Map<String, Object> user = Map.of("vector", List.of(0.5, -1.0, 2.0), "seen_items", List.of("a", "b"));
        ThreadPool threadPool = new TestThreadPool(getTestName());
        try {
            NoOpClient client = answering(threadPool, request -> {
                if (request instanceof ResolveIndexAction.Request) {
                    return resolvedAlias(ModelIndices.itemsAlias(model), ModelIndices.itemsIndex(model, 4));
                } else if (request instanceof GetRequest get) {
                    // Published documents never change after the refresh that precedes the alias swap.
                    assertFalse("the serving path reads from the refreshed reader: " + get, get.realtime());
                    return getResponse(get.index(), get.id(), get.index().equals(ModelIndices.METADATA_INDEX) ? metadata : user);
                } else if (request instanceof MultiGetRequest) {
                    return new MultiGetResponse(new MultiGetItemResponse[0]);
                }
                return null;
            });
            QueryRewriteContext context = new QueryRewriteContext(XContentParserConfiguration.EMPTY, client, () -> 0L);
            // k + seen fits within num_candidates: the kNN asks for k + 2 and the shards drop the seen items after it.
            QueryBuilder rewritten = rewrite(context, new MfRecommendQueryBuilder(SERVICES, model, new UserSpec("u1", null), null, 7, 70,
                List.of(QueryBuilders.termQuery("category", "x")), true, OnEmpty.POPULAR));
            assertTrue(rewritten.getClass().getName(), rewritten instanceof KnnExcludingQueryBuilder);
            KnnExcludingQueryBuilder excluding = (KnnExcludingQueryBuilder) rewritten;
            assertEquals(7, excluding.k());
            assertEquals(List.of("a", "b"), excluding.excludedIds());
            KnnVectorQueryBuilder knn = excluding.candidates();
            assertEquals("vector", knn.getFieldName());
            assertEquals(Integer.valueOf(9), knn.k());
            assertEquals(Integer.valueOf(70), knn.numCands());
            assertArrayEquals(new float[] { 0.5f, -1f, 2f }, knn.queryVector().asFloatVector(), 0f);
            assertEquals(List.of(QueryBuilders.termQuery("category", "x")), knn.filterQueries());
            assertEquals(excluding, copyNamedWriteable(excluding, writeables, QueryBuilder.class));

            // k + seen exceeds num_candidates: the seen items are excluded inside the kNN filter instead.
            rewritten = rewrite(context, new MfRecommendQueryBuilder(SERVICES, model, new UserSpec("u1", null), null, 7, 8,
                List.of(QueryBuilders.termQuery("category", "x")), true, OnEmpty.POPULAR));
            assertTrue(rewritten.getClass().getName(), rewritten instanceof KnnVectorQueryBuilder);
            knn = (KnnVectorQueryBuilder) rewritten;
            assertEquals(Integer.valueOf(7), knn.k());
            assertEquals(Integer.valueOf(8), knn.numCands());
            assertEquals(2, knn.filterQueries().size());
            BoolQueryBuilder exclude = (BoolQueryBuilder) knn.filterQueries().get(1);
            assertEquals(QueryBuilders.idsQuery().addIds("a", "b"), exclude.mustNot().get(0));

            // exclude_seen false: a plain kNN.
            rewritten = rewrite(context, new MfRecommendQueryBuilder(SERVICES, model, new UserSpec("u1", null), null, 7, 70, List.of(),
                false, OnEmpty.POPULAR));
            assertTrue(rewritten.getClass().getName(), rewritten instanceof KnnVectorQueryBuilder);
            assertEquals(List.of(), ((KnnVectorQueryBuilder) rewritten).filterQueries());
        } finally {
            terminate(threadPool);
        }
    }

    /**
     * Inside a search whose indices resolved to the model's live items index, the rewrite takes the version from there:
     * it reads the metadata and the user (two reads, sent together) and sends no alias resolution.
     */
    public void testRewriteInsideSearchOnItemsAliasSkipsAliasResolution() throws Exception {
        String model = "shop" + randomAlphaOfLength(4).toLowerCase(Locale.ROOT);
        Map<String, Object> metadata = TestModels.identityDocument(model, 6, 2);
        Map<String, Object> user = Map.of("vector", List.of(0.5, -1.0), "model_version", 6, "seen_items", List.of("a"));
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        ThreadPool threadPool = new TestThreadPool(getTestName());
        try {
            NoOpClient client = answering(threadPool, request -> {
                if (request instanceof GetRequest get) {
                    sent.add(get.index());
                    boolean meta = get.index().equals(ModelIndices.METADATA_INDEX);
                    return getResponse(meta ? get.index() : ModelIndices.usersIndex(model, 6), get.id(), meta ? metadata : user);
                }
                sent.add(request.getClass().getName());
                return null;
            });
            QueryRewriteContext context = new QueryRewriteContext(XContentParserConfiguration.EMPTY, client, () -> 0L, resolvedIndices(
                index(ModelIndices.itemsIndex(model, 6), ModelIndices.itemsAlias(model)), index("catalog")), null, null);
            QueryBuilder rewritten = rewrite(context, new MfRecommendQueryBuilder(SERVICES, model, new UserSpec("u1", null), null, 3, 50,
                List.of(), true, OnEmpty.POPULAR));
            assertTrue(rewritten.getClass().getName(), rewritten instanceof KnnExcludingQueryBuilder);
            assertArrayEquals(new float[] { 0.5f, -1f }, ((KnnExcludingQueryBuilder) rewritten).candidates().queryVector().asFloatVector(),
                0f);
            assertEquals(sent.toString(), 2, sent.size());
            assertTrue(sent.toString(), sent.contains(ModelIndices.METADATA_INDEX));
            assertTrue(sent.toString(), sent.contains(ModelIndices.usersAlias(model)));
        } finally {
            terminate(threadPool);
        }
    }

    private static QueryBuilder rewrite(QueryRewriteContext context, QueryBuilder query) throws Exception {
        PlainActionFuture<QueryBuilder> future = new PlainActionFuture<>();
        Rewriteable.rewriteAndFetch(query, context, future);
        return future.get();
    }
}

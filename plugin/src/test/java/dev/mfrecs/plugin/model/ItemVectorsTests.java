package dev.mfrecs.plugin.model;

import dev.mfrecs.contract.ModelIndices;

import dev.mfrecs.plugin.TestModels;

import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.action.admin.indices.resolve.ResolveIndexAction;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.support.PlainActionFuture;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.threadpool.TestThreadPool;
import org.elasticsearch.threadpool.ThreadPool;
import org.junit.After;
import org.junit.Before;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.mfrecs.plugin.FakeCluster.answering;
import static dev.mfrecs.plugin.FakeCluster.getResponse;
import static dev.mfrecs.plugin.FakeCluster.index;
import static dev.mfrecs.plugin.FakeCluster.itemHit;
import static dev.mfrecs.plugin.FakeCluster.resolvedAlias;
import static dev.mfrecs.plugin.FakeCluster.resolvedIndices;
import static dev.mfrecs.plugin.FakeCluster.searchResponse;

/**
 * Reading named items' vectors with the model (mf_similar's lookups): inside a search on the live items index the
 * metadata read and the vector read go out together and no alias is resolved; outside one the alias is resolved first
 * and the vectors are read from the version it names. Unknown items fail with a 404 naming them.
 */
public class ItemVectorsTests extends ESTestCase {

    private static final int VERSION = 3;

    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    private final String model = "m" + randomAlphaOfLength(6).toLowerCase(Locale.ROOT);
    private final String live = ModelIndices.itemsIndex(model, VERSION);
    private ThreadPool threadPool;

    private Client client() {
        Map<String, Object> metadata = TestModels.identityDocument(model, VERSION, 2);
        return answering(threadPool, request -> {
            if (request instanceof ResolveIndexAction.Request) {
                sent.add("resolve");
                return resolvedAlias(ModelIndices.itemsAlias(model), live);
            } else if (request instanceof GetRequest get) {
                sent.add("get " + get.index());
                return getResponse(get.index(), get.id(), metadata);
            } else if (request instanceof SearchRequest search) {
                sent.add("search " + String.join(",", search.indices()));
                return searchResponse(itemHit(0, live, "a", new float[] { 1f, 2f }), itemHit(1, live, "b", new float[] { 3f, 4f }));
            }
            return null;
        });
    }

    @Before
    public void startThreadPool() {
        threadPool = new TestThreadPool(getTestName());
    }

    @After
    public void stopThreadPool() {
        terminate(threadPool);
    }

    /** Resolves the model and reads {@code items} inside a search over {@code searched}. */
    private PlainActionFuture<ItemVectors.ModelAndVectors> resolveAndRead(List<String> items, ResolvedIndices searched) {
        PlainActionFuture<ItemVectors.ModelAndVectors> future = new PlainActionFuture<>();
        ItemVectors.resolveAndRead(new ModelResolver(EsExecutors.DIRECT_EXECUTOR_SERVICE), client(), model, items, searched, future);
        return future;
    }

    public void testInsideSearchOnLiveIndexReadsMetadataAndVectorsTogether() throws Exception {
        ItemVectors.ModelAndVectors read = resolveAndRead(List.of("b", "a"), resolvedIndices(index(live, ModelIndices.itemsAlias(model))))
            .get();
        assertEquals(VERSION, read.model().version());
        assertArrayEquals(new float[] { 3f, 4f, 1f, 2f }, read.known().vectors(), 0f);
        assertEquals(sent.toString(), 2, sent.size());
        assertTrue(sent.toString(), sent.contains("get " + ModelIndices.METADATA_INDEX));
        assertTrue(sent.toString(), sent.contains("search " + live));
    }

    public void testOutsideSearchResolvesTheAliasFirst() throws Exception {
        // A search over some other index does not tell which version is live.
        assertArrayEquals(new float[] { 1f, 2f }, resolveAndRead(List.of("a"), resolvedIndices(index("catalog"))).get().known().vectors(),
            0f);
        assertEquals(List.of("resolve", "get " + ModelIndices.METADATA_INDEX, "search " + live), sent);
    }

    public void testUnknownItemsAreReportedApart() throws Exception {
        ItemVectors.ModelAndVectors read = resolveAndRead(List.of("a", "zz9"), resolvedIndices(index(live, ModelIndices.itemsAlias(model))))
            .get();
        assertEquals(List.of("a"), read.known().items());
        assertEquals(List.of("zz9"), read.known().missing());
        assertArrayEquals(new float[] { 1f, 2f }, read.known().vectors(), 0f);
    }
}

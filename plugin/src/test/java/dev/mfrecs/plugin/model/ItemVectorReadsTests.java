package dev.mfrecs.plugin.model;

import dev.mfrecs.contract.ModelIndices;

import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.index.query.ConstantScoreQueryBuilder;
import org.elasticsearch.index.query.IdsQueryBuilder;
import org.elasticsearch.test.ESTestCase;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.mfrecs.plugin.FakeCluster.itemHit;
import static dev.mfrecs.plugin.FakeCluster.searchResponse;

/**
 * The one-search read of item vectors: what the request asks for (no stored fields, no source, the vector and the item id
 * from doc values, no partial results), how hits map back to items, and when it falls back to the multi-get.
 */
public class ItemVectorReadsTests extends ESTestCase {

    public void testSearchRequestLoadsNeitherSourceNorStoredFields() {
        List<String> items = List.of("a", "b", "c");
        SearchRequest r = ItemVectorReads.searchRequest("m-items", items);
        assertArrayEquals(new String[] { "m-items" }, r.indices());
        assertFalse(r.allowPartialSearchResults());
        assertEquals(3, r.source().size());
        assertEquals(-1, (int) r.source().trackTotalHitsUpTo());
        assertFalse(r.source().fetchSource().fetchSource());
        assertFalse(r.source().storedFields().fetchFields());
        assertEquals(List.of(ModelIndices.ITEM_ID, ModelIndices.VECTOR), r.source().docValueFields().stream().map(f -> f.field)
            .toList());
        IdsQueryBuilder ids = (IdsQueryBuilder) ((ConstantScoreQueryBuilder) r.source().query()).innerQuery();
        assertEquals(Set.of("a", "b", "c"), ids.ids());
    }

    public void testHitsMapBackToItemsByTheirItemIdDocValue() {
        float[] a = { 1f, 2f };
        SearchResponse response = searchResponse(itemHit(0, "m-items-v2", "a", a), itemHit(1, "m-items-v2", "b", null));
        try {
            ItemVectorReads.Found found = ItemVectorReads.fromSearch(response);
            assertNotNull(found);
            assertArrayEquals(a, found.vectors().get("a"), 0f);
            assertTrue(found.vectors().containsKey("b"));
            assertNull(found.vectors().get("b"));
            assertFalse(found.vectors().containsKey("c"));
            assertTrue(found.allFrom("m-items-v2"));
            assertFalse(found.allFrom("m-items-v3"));
        } finally {
            response.decRef();
        }
    }

    public void testAHitWithoutItemIdMeansFallBack() {
        SearchResponse response = searchResponse(itemHit(0, "m-items-v1", "a", new float[] { 1f }), itemHit(1, "m-items-v1", null,
            new float[] { 2f }));
        try {
            assertNull(ItemVectorReads.fromSearch(response));
        } finally {
            response.decRef();
        }
    }

    public void testVectorsFromTwoIndicesAreNotAllFromOne() {
        ItemVectorReads.Found found = new ItemVectorReads.Found(Map.of("a", new float[] { 1f }), Set.of("m-items-v1", "m-items-v2"));
        assertFalse(found.allFrom("m-items-v1"));
        assertTrue(new ItemVectorReads.Found(Map.of(), Set.of()).allFrom("m-items-v1"));
    }

    public void testVectorValueShapes() {
        float[] f = { 0.5f, -1f };
        assertSame(f, ItemVectorReads.vectorOf(List.of(f)));
        assertArrayEquals(f, ItemVectorReads.vectorOf(List.of(0.5, -1)), 0f);
        assertArrayEquals(f, ItemVectorReads.vectorOf(List.of(List.of(0.5f, -1f))), 0f);
    }
}

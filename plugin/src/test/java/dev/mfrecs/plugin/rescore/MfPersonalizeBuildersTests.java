package dev.mfrecs.plugin.rescore;

import dev.mfrecs.plugin.MfRecommendationsPlugin;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.user.HistoryEntry;
import dev.mfrecs.plugin.user.UserSpec;

import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.search.SearchModule;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.test.EqualsHashCodeTestUtils;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentParserConfiguration;
import org.elasticsearch.xcontent.json.JsonXContent;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The {@code mf_personalize} rescorer and retriever as Elasticsearch parses them: wire and XContent round trips, equality over
 * every field (the resolved vector too), the 400s for bad input naming the parameter and bracketing the value, and the
 * normalizations' arithmetic.
 */
public class MfPersonalizeBuildersTests extends ESTestCase {

    private static final MfServices SERVICES = MfServices.direct();
    private final SearchModule searchModule = new SearchModule(Settings.EMPTY, List.of(MfRecommendationsPlugin.withServices(SERVICES)));
    private final NamedWriteableRegistry writeables = new NamedWriteableRegistry(searchModule.getNamedWriteables());

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return new NamedXContentRegistry(searchModule.getNamedXContents());
    }

    private SearchSourceBuilder parseSource(String json) throws IOException {
        try (XContentParser p = JsonXContent.jsonXContent.createParser(XContentParserConfiguration.EMPTY.withRegistry(xContentRegistry()),
            json)) {
            return new SearchSourceBuilder().parseXContent(p, true, nf -> true);
        }
    }

    private static MfPersonalizeRescorerBuilder randomRescorer() {
        UserSpec user = randomBoolean() ? new UserSpec(randomAlphaOfLength(5), null) : new UserSpec(null, List.of(new HistoryEntry("a",
            2f), new HistoryEntry("b", 1f)));
        MfPersonalizeRescorerBuilder b = new MfPersonalizeRescorerBuilder(SERVICES, "m" + randomAlphaOfLength(4).toLowerCase(Locale.ROOT),
            user, randomFloat(), randomFrom(Normalization.values()), randomBoolean() ? null : "vector");
        b.windowSize(randomIntBetween(1, 500));
        return b;
    }

    public void testRoundTrips() throws IOException {
        for (int i = 0; i < 20; i++) {
            MfPersonalizeRescorerBuilder original = randomRescorer();
            assertEquals(original, copyNamedWriteable(original, writeables, RescorerBuilder.class));
            MfPersonalizeRescorerBuilder resolved = original.resolved(new float[] { 1f, -2f, randomFloat() });
            assertEquals(resolved, copyNamedWriteable(resolved, writeables, RescorerBuilder.class));
            assertNotEquals(original, resolved);
            SearchSourceBuilder source = parseSource("{\"rescore\": " + Strings.toString(original) + "}");
            assertEquals(original, source.rescores().get(0));
        }
    }

    public void testEqualsCoverEveryField() {
        MfPersonalizeRescorerBuilder original = new MfPersonalizeRescorerBuilder(SERVICES, "shop", new UserSpec("u", null), 0.5f, null,
            null);
        EqualsHashCodeTestUtils.checkEqualsAndHashCode(original, o -> new MfPersonalizeRescorerBuilder(SERVICES, "shop", new UserSpec("u",
            null), 0.5f, null, null), o -> switch (randomIntBetween(0, 5)) {
                case 0 -> new MfPersonalizeRescorerBuilder(SERVICES, "shop2", o.userSpec(), 0.5f, null, null);
                case 1 -> new MfPersonalizeRescorerBuilder(SERVICES, "shop", new UserSpec("v", null), 0.5f, null, null);
                case 2 -> new MfPersonalizeRescorerBuilder(SERVICES, "shop", o.userSpec(), 0.6f, null, null);
                case 3 -> new MfPersonalizeRescorerBuilder(SERVICES, "shop", o.userSpec(), 0.5f, Normalization.RANK, null);
                case 4 -> new MfPersonalizeRescorerBuilder(SERVICES, "shop", o.userSpec(), 0.5f, null, "vector_cosine");
                default -> o.resolved(new float[] { 1f });
            });
    }

    public void testBadInputIsA400NamingTheParameter() {
        ParsingException e = expectThrows(ParsingException.class, () -> parseSource(
            "{\"rescore\": {\"mf_personalize\": {\"model\": \"m\", \"user\": \"u\", \"weight\": 1.5}}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("[mf_personalize] [weight] must be in [0, 1], got [1.5]"));
        e = expectThrows(ParsingException.class, () -> parseSource(
            "{\"rescore\": {\"mf_personalize\": {\"model\": \"m\", \"user\": \"u\", \"normalize\": \"zscore\"}}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("[normalize] must be one of [minmax, rank], got [zscore]"));
        Exception unknown = expectThrows(Exception.class, () -> parseSource(
            "{\"rescore\": {\"mf_personalize\": {\"model\": \"m\", \"user\": \"u\", \"wieght\": 0.5}}}"));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("[wieght]"));
        MfPersonalizeRescorerBuilder big = new MfPersonalizeRescorerBuilder(SERVICES, "m", new UserSpec("u", null), null, null, null);
        big.windowSize(20_000);
        ActionRequestValidationException v = big.validate(new SearchSourceBuilder(), null);
        assertNotNull(v);
        assertTrue(v.getMessage(), v.getMessage().contains("[mf_personalize] [window_size] must be in [1, 10000], got [20000]"));
        e = expectThrows(ParsingException.class, () -> parseSource("{\"retriever\": {\"mf_personalize\": {\"retriever\": {\"standard\": "
            + "{\"query\": {\"match_all\": {}}}}, \"model\": \"m\", \"user\": \"u\", \"window_size\": 20000}}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("[mf_personalize] [window_size] must be in [1, 10000], got [20000]"));
        e = expectThrows(ParsingException.class, () -> parseSource("{\"retriever\": {\"mf_personalize\": {\"retriever\": {\"standard\": "
            + "{\"query\": {\"match_all\": {}}}}, \"model\": \"m\", \"user\": \"u\", \"weight\": -0.1}}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("[mf_personalize] [weight] must be in [0, 1], got [-0.1]"));
    }

    public void testRetrieverParsesAndPrintsItsBody() throws IOException {
        SearchSourceBuilder source = parseSource("{\"retriever\": {\"mf_personalize\": {\"retriever\": {\"standard\": {\"query\": "
            + "{\"match\": {\"title\": \"bag\"}}}}, \"model\": \"shop\", \"history\": [\"a\", \"b\"], \"weight\": 0.25, "
            + "\"window_size\": 50}}}");
        MfPersonalizeRetrieverBuilder r = (MfPersonalizeRetrieverBuilder) source.retriever();
        assertEquals(50, r.rankWindowSize());
        assertEquals(0.25f, r.rescorer().weight(), 0f);
        assertEquals(List.of("a", "b"), r.rescorer().userSpec().history().stream().map(HistoryEntry::item).toList());
        SearchSourceBuilder again = parseSource(Strings.toString(source));
        assertEquals(r, again.retriever());
    }

    public void testNormalizations() {
        float[] values = { 3f, 1f, 2f, 9f };
        boolean[] present = { true, true, false, true };
        float[] out = new float[4];
        Normalization.MINMAX.apply(values, present, 4, out);
        assertArrayEquals(new float[] { 0.25f, 0f, 0f, 1f }, out, 1e-6f);
        Normalization.RANK.apply(values, null, 4, out);
        assertArrayEquals(new float[] { 2f / 3, 0f, 1f / 3, 1f }, out, 1e-6f);
        Normalization.MINMAX.apply(new float[] { 5f, 5f }, null, 2, out);
        assertEquals(1f, out[0], 0f);
        assertEquals(1f, out[1], 0f);
    }
}

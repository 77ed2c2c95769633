package dev.mfrecs.plugin.query;

import dev.mfrecs.plugin.MfRecommendationsPlugin;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.user.UserSpec;

import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchModule;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.XContentParseException;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentParserConfiguration;
import org.elasticsearch.xcontent.json.JsonXContent;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

/**
 * The business controls as the query parsers read them: round trips over the wire and XContent with every control set, a numeric
 * {@code boost} still the query's boost, and the 400s for bad input naming the parameter and bracketing the value.
 */
public class BusinessControlsParsingTests extends ESTestCase {

    private static final MfServices SERVICES = MfServices.direct();
    private final SearchModule searchModule = new SearchModule(Settings.EMPTY, List.of(MfRecommendationsPlugin.withServices(SERVICES)));
    private final NamedWriteableRegistry writeables = new NamedWriteableRegistry(Stream.concat(searchModule.getNamedWriteables().stream(),
        MfRecommendationsPlugin.withServices(SERVICES).getNamedWriteables().stream()).toList());

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return new NamedXContentRegistry(searchModule.getNamedXContents());
    }

    private QueryBuilder parse(String json) throws IOException {
        try (XContentParser p = JsonXContent.jsonXContent.createParser(XContentParserConfiguration.EMPTY.withRegistry(xContentRegistry()),
            json)) {
            return AbstractQueryBuilder.parseTopLevelQuery(p);
        }
    }

    private static BusinessControls randomControls() {
        List<ScoreBoost> boosts = randomBoolean() ? List.of() : List.of(ScoreBoost.byField("margin", randomFloat()), ScoreBoost.byFilter(
            QueryBuilders.termQuery("brand", "acme"), 1.5f));
        return new BusinessControls(boosts, randomBoolean() ? null : randomFloat(), randomBoolean() ? null : new BusinessControls.Dither(1
            + randomFloat(), randomLong()), randomIntBetween(0, 5));
    }

    public void testRoundTripsWithControls() throws IOException {
        for (int i = 0; i < 20; i++) {
            QueryBuilder recommend = new MfRecommendQueryBuilder(SERVICES, "shop", new UserSpec("u" + i, null), null, 10, null, null, null,
                null, randomControls()).boost(randomBoolean() ? 1f : 2f);
            QueryBuilder similar = new MfSimilarQueryBuilder(SERVICES, "shop", List.of("a", "b"), null, 5, null, null, randomControls());
            for (QueryBuilder original : List.of(recommend, similar)) {
                assertEquals(original, copyNamedWriteable(original, writeables, QueryBuilder.class));
                assertEquals(original, parse(Strings.toString(original)));
            }
        }
    }

    public void testControlsAreParsedAndANumericBoostStaysTheQueryBoost() throws IOException {
        MfRecommendQueryBuilder q = (MfRecommendQueryBuilder) parse("{\"mf_recommend\": {\"model\": \"m\", \"user\": \"u\", \"boost\": 2, "
            + "\"diversity\": {\"lambda\": 0.8}, \"dither\": {\"epsilon\": 1.5, \"seed\": 42}, \"because\": 3}}");
        assertEquals(2f, q.boost(), 0f);
        assertEquals(new MfRecommendQueryBuilder(SERVICES, "m", new UserSpec("u", null), null, null, null, null, null, null,
            new BusinessControls(List.of(), 0.8f, new BusinessControls.Dither(1.5f, 42L), 3)).boost(2f), q);
        MfSimilarQueryBuilder s = (MfSimilarQueryBuilder) parse("{\"mf_similar\": {\"model\": \"m\", \"items\": [\"a\"], \"boost\": "
            + "[{\"field\": \"margin\"}, {\"filter\": {\"term\": {\"brand\": \"acme\"}}, \"weight\": 1.5}]}}");
        assertEquals(1f, s.boost(), 0f);
        assertEquals(new MfSimilarQueryBuilder(SERVICES, "m", List.of("a"), null, null, null, null, new BusinessControls(List.of(ScoreBoost
            .byField("margin", 1f), ScoreBoost.byFilter(QueryBuilders.termQuery("brand", "acme"), 1.5f)), null, null, 0)), s);
    }

    private void assertRefused(String body, String message) {
        Exception e = expectThrows(Exception.class, () -> parse("{\"mf_recommend\": {\"model\": \"m\", \"user\": \"u\", " + body + "}}"));
        String all = e.getMessage() + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
        assertTrue(all, all.contains(message));
        assertTrue(e.getClass().getName(), e instanceof ParsingException || e instanceof IllegalArgumentException
            || e instanceof XContentParseException);
    }

    public void testBadInputIsRefusedNamingTheParameter() {
        assertRefused("\"diversity\": {\"lambda\": 1.5}", "[mf_recommend] [diversity] [lambda] must be in [0, 1], got [1.5]");
        assertRefused("\"diversity\": {\"lamda\": 0.5}", "[mf_recommend] unknown [diversity] field [lamda]");
        assertRefused("\"dither\": {\"epsilon\": 0.5}", "[mf_recommend] [dither] [epsilon] must be in [1, 100], got [0.5]");
        assertRefused("\"dither\": {\"seed\": 3}", "[mf_recommend] [dither] requires [epsilon]");
        assertRefused("\"dither\": {\"epsilon\": 2, \"seed\": 1.5}", "[mf_recommend] [dither.seed] must be an integer, got [1.5]");
        assertRefused("\"because\": 1000", "[mf_recommend] [because] must be in [0, 100], got [1000]");
        assertRefused("\"because\": 2.5", "[mf_recommend] [because] must be an integer, got [2.5]");
        assertRefused("\"boost\": {\"field\": \"margin\", \"filter\": {\"match_all\": {}}}",
            "a [boost] entry takes one of [field] or [filter]");
        assertRefused("\"boost\": {\"filter\": {\"match_all\": {}}, \"weight\": -1}",
            "[boost] [weight] must be in [0, 1000000], got [-1.0]");
        assertRefused("\"boost\": {\"colour\": \"red\"}", "[mf_recommend] unknown [boost] field [colour]");
    }
}

package dev.mfrecs.plugin.rescore;

import dev.mfrecs.plugin.MfServices;

import org.apache.lucene.search.ScoreDoc;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.search.retriever.CompoundRetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverParserContext;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code mf_personalize} as a retriever: the top {@code window_size} hits of its child retriever re-ranked for a user, so
 * personalization composes with the other retrievers ({@code rrf}, {@code linear}, {@code rule}, ...). It runs its child's search
 * with the {@link MfPersonalizeRescorerBuilder} attached, the way Elasticsearch's {@code rescorer} retriever does, and hands the
 * re-ranked window on. Written as {@code "retriever": {"mf_personalize": {"retriever": {...}, "model": "retail", "user": "17850",
 * "weight": 0.5, "window_size": 100}}}.
 */
public final class MfPersonalizeRetrieverBuilder extends CompoundRetrieverBuilder<MfPersonalizeRetrieverBuilder> {

    public static final String NAME = MfPersonalizeRescorerBuilder.NAME;
    static final ParseField RETRIEVER = new ParseField("retriever");
    static final ParseField WINDOW_SIZE = new ParseField("window_size");

    private final MfPersonalizeRescorerBuilder rescorer;

    public MfPersonalizeRetrieverBuilder(RetrieverBuilder retriever, MfPersonalizeRescorerBuilder rescorer, Integer windowSize) {
        this(List.of(RetrieverSource.from(Objects.requireNonNull(retriever, "[" + NAME + "] requires [retriever]"))), rescorer,
            checkedWindow(windowSize));
    }

    private MfPersonalizeRetrieverBuilder(List<RetrieverSource> sources, MfPersonalizeRescorerBuilder rescorer, int windowSize) {
        super(new ArrayList<>(sources), windowSize);
        this.rescorer = Objects.requireNonNull(rescorer);
    }

    private static int checkedWindow(Integer windowSize) {
        int w = windowSize == null ? MfPersonalizeRescorerBuilder.DEFAULT_WINDOW : windowSize;
        if (w < 1 || w > MfPersonalizeRescorerBuilder.MAX_WINDOW) {
            throw new IllegalArgumentException("[" + NAME + "] [window_size] must be in [1, " + MfPersonalizeRescorerBuilder.MAX_WINDOW
                + "], got [" + w + "]");
        }
        return w;
    }

    /** What the retriever's parser collects. */
    private static final class Fields extends MfPersonalizeRescorerBuilder.Fields {
        RetrieverBuilder retriever;
        Integer windowSize;
        List<QueryBuilder> preFilters = List.of();
        String name;
        Float minScore;
    }

    /** Parses the retriever's body; {@code services} is the node's, for the user fields. */
    public static MfPersonalizeRetrieverBuilder fromXContent(XContentParser parser, RetrieverParserContext context, MfServices services)
        throws IOException {
        ObjectParser<Fields, RetrieverParserContext> objectParser = new ObjectParser<>(NAME, Fields::new);
        MfPersonalizeRescorerBuilder.declare(objectParser, services);
        // (the inner retriever's usage is not tracked: trackRetrieverUsage changed its signature in 9.2)
        objectParser.declareNamedObject((f, v) -> f.retriever = v, (p, c, n) -> p.namedObject(RetrieverBuilder.class, n, c), RETRIEVER);
        objectParser.declareField((f, v) -> f.windowSize = v, (p, c) -> strictInt(p), WINDOW_SIZE, ObjectParser.ValueType.INT);
        objectParser.declareObjectArray((f, v) -> f.preFilters = v,
            (p, c) -> AbstractQueryBuilder.parseTopLevelQuery(p, c::trackQueryUsage), PRE_FILTER_FIELD);
        objectParser.declareString((f, v) -> f.name = v, NAME_FIELD);
        objectParser.declareFloat((f, v) -> f.minScore = v, MIN_SCORE_FIELD);
        Fields f = objectParser.parse(parser, context);
        try {
            MfPersonalizeRetrieverBuilder built = new MfPersonalizeRetrieverBuilder(f.retriever, f.build(services), f.windowSize);
            built.preFilterQueryBuilders = new ArrayList<>(f.preFilters);
            built.retrieverName(f.name);
            built.minScore(f.minScore);
            return built;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    private static int strictInt(XContentParser parser) throws IOException {
        if (parser.currentToken() == XContentParser.Token.VALUE_NUMBER
            && (parser.numberType() == XContentParser.NumberType.INT || parser.numberType() == XContentParser.NumberType.LONG)) {
            long v = parser.longValue();
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                return (int) v;
            }
        }
        throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [window_size] must be an integer, got [" + parser.text()
            + "]");
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public ParseField getRankWindowSizeField() {
        return WINDOW_SIZE;
    }

    @Override
    protected SearchSourceBuilder finalizeSourceBuilder(SearchSourceBuilder source) {
        source.addRescorer(rescorer.windowSize(rankWindowSize));
        return source;
    }

    @Override
    protected MfPersonalizeRetrieverBuilder clone(List<RetrieverSource> children, List<QueryBuilder> preFilters) {
        MfPersonalizeRetrieverBuilder copy = new MfPersonalizeRetrieverBuilder(children, rescorer, rankWindowSize);
        copy.preFilterQueryBuilders = preFilters;
        copy.retrieverName = retrieverName;
        copy.minScore = minScore;
        return copy;
    }

    @Override
    protected RankDoc[] combineInnerRetrieverResults(List<ScoreDoc[]> results, boolean explain) {
        ScoreDoc[] docs = results.get(0);
        RankDoc[] out = new RankDoc[docs.length];
        for (int i = 0; i < docs.length; i++) {
            out[i] = new RankDoc(docs[i].doc, docs[i].score, docs[i].shardIndex);
            out[i].rank = i + 1;
        }
        return out;
    }

    @Override
    public void doToXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field(RETRIEVER.getPreferredName(), innerRetrievers.get(0).retriever());
        builder.field(WINDOW_SIZE.getPreferredName(), rankWindowSize);
        rescorer.fieldsToXContent(builder);
    }

    @Override
    public boolean doEquals(Object o) {
        return super.doEquals(o) && rescorer.equals(((MfPersonalizeRetrieverBuilder) o).rescorer);
    }

    @Override
    public int doHashCode() {
        return Objects.hash(super.doHashCode(), rescorer);
    }

    MfPersonalizeRescorerBuilder rescorer() {
        return rescorer;
    }
}

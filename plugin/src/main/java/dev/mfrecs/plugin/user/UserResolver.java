package dev.mfrecs.plugin.user;

import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.UserHistory;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.model.BothAnswered;
import dev.mfrecs.plugin.model.ItemVectorReads;
import dev.mfrecs.plugin.model.ModelResolver;
import dev.mfrecs.plugin.model.SourceValues;

import org.elasticsearch.ElasticsearchSecurityException;
import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.support.SubscribableListener;
import org.elasticsearch.action.search.SearchPhaseExecutionException;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.logging.HeaderWarning;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link UserSpec} into a query vector with asynchronous reads only, so it can run inside a coordinating rewrite or a
 * query-vector builder: a trained user's stored vector, or a fold-in ({@link UserFoldIn}, on the plugin's executor) of a history
 * given inline or read from the interactions index ({@link InteractionHistoryReader}), aggregated by the model's recipe.
 * <p>
 * Stored users are read with {@code realtime=false}: a published users index is refreshed before the alias moves to it
 * and never written again, so the last refreshed reader has every document. A user with nothing usable (no stored vector, no
 * events, no known items) resolves to an empty {@link ResolvedUser}; each caller decides what that means.
 */
public final class UserResolver {

    private final MfServices services;

    public UserResolver(MfServices services) {
        this.services = services;
    }

    /** A model's live version together with a user resolved against it. */
    public record ModelAndUser(ModelMetadata model, ResolvedUser user) {}

    /**
     * Resolves the model and the user with as few sequential round trips as possible: for a user id, the user's stored
     * vector is read through the users alias while the model's live version and metadata are resolved, so a personalized
     * query waits for one lookup chain, not two. The aliases move together, but a swap can land between the two reads:
     * the stored document's {@code model_version} must match the resolved version, otherwise the user is read again from
     * the resolved version's index. Inside a search over {@code searched} indices the alias resolution may be spared
     * (see {@code ModelResolver#resolve}). When {@code freshness} asks for the user's events since the cut-off and this node has
     * the model's metadata cached, that search is sent in the same round too ({@link RecentEvents}), so a fresh query of a user
     * without new events also waits for one round of reads.
     */
    public void resolveModelAndUser(Client client, String modelName, UserSpec spec, @Nullable ResolvedIndices searched,
                                    Freshness freshness, ActionListener<ModelAndUser> listener) {
        if (spec.user() == null) {
            resolveModelAndHistory(client, modelName, spec, searched, listener);
            return;
        }
        if (spec.source() == UserSource.INTERACTIONS) {
            services.models().resolve(client, modelName, searched, listener.delegateFailureAndWrap((l, m) -> fromInteractions(client, m,
                spec.user(), l.map(u -> new ModelAndUser(m, u)))));
            return;
        }
        RecentEvents recent = RecentEvents.start(client, services.models().speculate(modelName, searched), spec.user(), freshness,
            services.settings().maxEvents());
        BothAnswered.<ModelMetadata, GetResponse, ModelAndUser>run(
            l -> services.models().resolve(client, modelName, searched, l),
            l -> client.get(storedUser(ModelIndices.usersAlias(modelName), spec.user()), l),
            listener,
            (model, user, l) -> {
                if (model.failed()) {
                    l.onFailure(model.failure());
                    return;
                }
                ModelMetadata m = model.value();
                ActionListener<ResolvedUser> done = l.map(u -> new ModelAndUser(m, u));
                GetResponse get = user.value();
                if (user.failed()) {
                    resolve(client, m, spec, freshness, done);
                } else if (get.isExists() == false) {
                    notStored(client, m, spec, done);
                } else if (get.getSourceAsMap().get(ModelIndices.MODEL_VERSION) instanceof Number v && v.intValue() == m.version()) {
                    stored(client, m, spec.user(), get.getSourceAsMap(), freshness, RecentEvents.of(recent, m, maxEvents()), done);
                } else {
                    resolve(client, m, spec, freshness, done);
                }
            }
        );
    }

    /** The inline-history case of {@link #resolveModelAndUser}: the items' vectors are read while the model resolves. */
    private void resolveModelAndHistory(Client client, String modelName, UserSpec spec, @Nullable ResolvedIndices searched,
                                        ActionListener<ModelAndUser> listener) {
        List<String> items = spec.history().stream().map(HistoryEntry::item).distinct().toList();
        BothAnswered.<ModelMetadata, ItemVectorReads.Found, ModelAndUser>run(
            l -> services.models().resolve(client, modelName, searched, l),
            l -> ItemVectorReads.read(client, ModelIndices.itemsAlias(modelName), items, l),
            listener,
            (model, found, l) -> {
                if (model.failed()) {
                    l.onFailure(model.failure());
                    return;
                }
                ModelMetadata m = model.value();
                ActionListener<ResolvedUser> done = l.map(u -> new ModelAndUser(m, u));
                Map<String, Float> history = aggregate(m, spec.history());
                // Read through the alias: usable only if every vector came from the version the model resolved to.
                if (found.failed() == false && found.value().allFrom(m.itemsIndex())) {
                    solve(m, history, "history", found.value(), done);
                } else {
                    foldIn(client, m, history, "history", done);
                }
            }
        );
    }

    /** An inline history aggregated by the model's recipe: repeated items combined, binarized, dropped as training would. */
    static Map<String, Float> aggregate(ModelMetadata model, List<HistoryEntry> entries) {
        UserHistory history = model.interactions().newHistory();
        for (HistoryEntry e : entries) {
            history.addValue(e.item(), e.value());
        }
        return history.pairs();
    }

    /** Resolves a user against a known model version. */
    public void resolve(Client client, ModelMetadata model, UserSpec spec, Freshness freshness, ActionListener<ResolvedUser> listener) {
        if (spec.history() != null) {
            foldIn(client, model, aggregate(model, spec.history()), "history", listener);
            return;
        }
        if (spec.source() == UserSource.INTERACTIONS) {
            fromInteractions(client, model, spec.user(), listener);
            return;
        }
        client.get(storedUser(model.usersIndex(), spec.user()), listener.delegateFailureAndWrap((l, response) -> {
            if (response.isExists()) {
                stored(client, model, spec.user(), response.getSourceAsMap(), freshness, null, l);
            } else {
                notStored(client, model, spec, l);
            }
        }));
    }

    /** A user the model was not trained on: folded in from their events, unless only a stored vector was asked for. */
    private void notStored(Client client, ModelMetadata model, UserSpec spec, ActionListener<ResolvedUser> listener) {
        if (spec.source() == UserSource.STORED) {
            listener.onResponse(ResolvedUser.empty("stored", List.of(), List.of()));
        } else {
            fromInteractions(client, model, spec.user(), listener);
        }
    }

    /**
     * The read of a stored user: from the refreshed reader, and only the fields used, named explicitly (Elasticsearch 9.2 leaves
     * {@code dense_vector} values out of {@code _source} unless they are asked for).
     */
    private static GetRequest storedUser(String index, String user) {
        return new GetRequest(index, user).realtime(false).fetchSourceContext(STORED_USER_FIELDS);
    }

    private static final FetchSourceContext STORED_USER_FIELDS = FetchSourceContext.of(true, new String[] { ModelIndices.VECTOR,
        ModelIndices.SEEN_ITEMS, ModelIndices.SEEN_VALUES, ModelIndices.SEEN_COUNT, ModelIndices.MODEL_VERSION }, null);

    /**
     * A trained user as stored, brought up to date as {@code freshness} asks: the events since the model's cut-off (one search,
     * usually empty) add their items to the seen ones, and with {@link Freshness#FULL} fold the user in again from their whole
     * history. A user whose stored history was capped ({@code seen_count} above what is stored) has their whole history read for
     * exclusion and explanation. {@code recentEvents}, when not null, is that search already sent for this very version.
     */
    private void stored(Client client, ModelMetadata model, String user, Map<String, Object> src, Freshness freshness,
                        @Nullable SubscribableListener<InteractionHistoryReader.Read> recentEvents, ActionListener<ResolvedUser> listener) {
        ResolvedUser stored;
        try {
            stored = stored(model, user, src);
        } catch (RuntimeException e) {
            listener.onFailure(e);
            return;
        }
        Long cutoff = model.interactions().cutoffMillis();
        boolean truncated = src.get(ModelIndices.SEEN_COUNT) instanceof Number n && n.intValue() > stored.seenItems().size();
        if (freshness == Freshness.NONE || (cutoff == null && truncated == false)) {
            listener.onResponse(stored);
            return;
        }
        int maxEvents = maxEvents();
        // A caller who may not read the interactions index, an index that is gone, one with a shard missing (the reader refuses
        // partial histories: 503), or a read whose shards failed under it (a node restarting mid-search answers, e.g., 404
        // search_context_missing) still gets the stored user, with a warning: fresh is an improvement on the stored vector, and a
        // red or moving events index must not take personalization down with it. A malformed recipe query (400) stays an error, as
        // every fresh query would hit it. A user with no stored vector has nothing to fall back to.
        ActionListener<ResolvedUser> orStored = ActionListener.wrap(listener::onResponse, e -> {
            RestStatus status = ExceptionsHelper.status(e);
            if (ExceptionsHelper.unwrap(e, ElasticsearchSecurityException.class, IndexNotFoundException.class) != null
                || status == RestStatus.SERVICE_UNAVAILABLE || status == RestStatus.TOO_MANY_REQUESTS
                || (ExceptionsHelper.unwrap(e, SearchPhaseExecutionException.class) != null && status != RestStatus.BAD_REQUEST)) {
                HeaderWarning.addWarning("[mf] serving the stored vector of user [{}]: reading their recent events failed: {}", user,
                    e.getMessage());
                listener.onResponse(stored);
            } else {
                listener.onFailure(e);
            }
        });
        if (truncated == false) {
            ActionListener<InteractionHistoryReader.Read> onRecent = orStored.delegateFailureAndWrap((l, recent) -> {
                if (recent.events() == 0) {
                    l.onResponse(stored);
                } else if (freshness == Freshness.SEEN) {
                    l.onResponse(stored.withMoreSeen(recent.history().pairs().keySet()));
                } else {
                    wholeHistory(client, model, user, stored, true, recent, maxEvents, prefetched(recent, stored), l);
                }
            });
            if (recentEvents != null) {
                recentEvents.addListener(onRecent);
            } else {
                InteractionHistoryReader.read(client, model.interactions(), user, cutoff, maxEvents, onRecent);
            }
            return;
        }
        wholeHistory(client, model, user, stored, freshness == Freshness.FULL && cutoff != null, null, maxEvents, List.of(), orStored);
    }

    private int maxEvents() {
        return services.settings().maxEvents();
    }

    /**
     * The items whose vectors a refold will most likely need, known before the whole history is read: the new events' items, then
     * the stored history's, at most {@code mf.fold_in.max_history} of them. A guess only: the refold reads whatever it lacks.
     */
    private List<String> prefetched(InteractionHistoryReader.Read recent, ResolvedUser stored) {
        Set<String> items = new LinkedHashSet<>(recent.history().pairs().keySet());
        List<String> seen = stored.seenItems();
        for (int i = seen.size() - 1; i >= 0; i--) {
            items.add(seen.get(i));
        }
        int max = services.settings().maxHistory();
        return items.size() <= max ? List.copyOf(items) : items.stream().limit(max).toList();
    }

    /**
     * A trained user's events since the model's cut-off, searched while the model and the stored user are still being read, for the
     * version the model most likely resolves to ({@link ModelResolver#speculate}): a fresh query then waits for one round of reads
     * instead of two. The search runs with the caller's privileges like every other read; what it found is used only for the
     * version it was sent for ({@link #of}), otherwise it is dropped (and the events are searched again for the resolved version).
     */
    private record RecentEvents(ModelMetadata model, int maxEvents, SubscribableListener<InteractionHistoryReader.Read> read) {

        @Nullable
        static RecentEvents start(Client client, @Nullable ModelMetadata guess, String user, Freshness freshness, int maxEvents) {
            if (guess == null || freshness == Freshness.NONE || guess.interactions().cutoffMillis() == null) {
                return null;
            }
            SubscribableListener<InteractionHistoryReader.Read> read = new SubscribableListener<>();
            InteractionHistoryReader.read(client, guess.interactions(), user, guess.interactions().cutoffMillis(), maxEvents, read);
            return new RecentEvents(guess, maxEvents, read);
        }

        /** The speculative search if it was sent for {@code resolved} with the same event limit, else null. */
        @Nullable
        static SubscribableListener<InteractionHistoryReader.Read> of(@Nullable RecentEvents recent, ModelMetadata resolved,
                                                                      int maxEvents) {
            return recent != null && recent.model() == resolved && recent.maxEvents() == maxEvents ? recent.read() : null;
        }
    }

    /**
     * Reads the user's whole history: folded in again ({@code stored+events}) when {@code refold} and some event is at or after the
     * cut-off; otherwise the stored vector with the whole history as seen items and explanation history. With the events since the
     * cut-off already read ({@code recent}, limited to {@code max}), only the events before it are read; the vectors of the
     * {@code prefetch} items are read at the same time.
     */
    private void wholeHistory(Client client, ModelMetadata model, String user, ResolvedUser stored, boolean refold,
                              @Nullable InteractionHistoryReader.Read recent, int max, List<String> prefetch,
                              ActionListener<ResolvedUser> listener) {
        Long cutoff = model.interactions().cutoffMillis();
        // The vectors the refold will most likely need are read together with the history, not after it.
        SubscribableListener<ItemVectorReads.Found> prefetched = null;
        if (refold && prefetch.isEmpty() == false) {
            prefetched = new SubscribableListener<>();
            ItemVectorReads.read(client, model.itemsIndex(), prefetch, prefetched);
        }
        SubscribableListener<ItemVectorReads.Found> vectors = prefetched;
        ActionListener<InteractionHistoryReader.Read> onWhole = listener.delegateFailureAndWrap((l, whole) -> {
            Map<String, Float> pairs = capped(whole.history().pairs());
            if (refold && cutoff != null && whole.history().newestMillis() != null && whole.history().newestMillis() >= cutoff) {
                if (vectors == null || pairs.isEmpty()) {
                    foldIn(client, model, pairs, "stored+events", l);
                } else {
                    vectors.addListener(ActionListener.wrap(found -> foldIn(client, model, pairs, "stored+events", prefetch, found, l),
                        e -> foldIn(client, model, pairs, "stored+events", l)));
                }
            } else {
                l.onResponse(stored.withHistory(pairs));
            }
        });
        InteractionRecipe recipe = model.interactions();
        if (recent != null && cutoff != null && recipe.fields().timestampField() != null && (recipe.fromMillis() == null
            || recipe.fromMillis() <= cutoff)) {
            // The events since the cut-off are read already: the whole window's newest events are those, and (if they were fewer
            // than the limit) the newest of the rest before the cut-off.
            if (recent.events() >= max) {
                onWhole.onResponse(recent);
            } else {
                InteractionHistoryReader.readBefore(client, recipe, user, cutoff, max - recent.events(), onWhole.map(
                    older -> older.after(recipe, recent)));
            }
        } else {
            InteractionHistoryReader.read(client, recipe, user, max, onWhole);
        }
    }

    private static ResolvedUser stored(ModelMetadata model, String user, Map<String, Object> src) {
        float[] vector = SourceValues.floats(src.get(ModelIndices.VECTOR));
        if (vector == null || vector.length != model.vectorDims()) {
            throw new ElasticsearchStatusException(
                "user [{}] of model [{}] version [{}] has a vector of [{}] dims, expected [{}]",
                RestStatus.INTERNAL_SERVER_ERROR,
                user,
                model.model(),
                model.version(),
                vector == null ? 0 : vector.length,
                model.vectorDims()
            );
        }
        List<String> seen = SourceValues.strings(src.get(ModelIndices.SEEN_ITEMS));
        return new ResolvedUser(vector, "stored", seen, List.of(), seen, null, SourceValues.floats(src.get(ModelIndices.SEEN_VALUES)));
    }

    private void fromInteractions(Client client, ModelMetadata model, String user, ActionListener<ResolvedUser> listener) {
        InteractionHistoryReader.read(client, model.interactions(), user, services.settings().maxEvents(), listener
            .delegateFailureAndWrap((l, read) -> foldIn(client, model, capped(read.history().pairs()), "interactions", l)));
    }

    /** The newest {@code mf.fold_in.max_history} distinct items of a history read from the index (first added = oldest). */
    private Map<String, Float> capped(Map<String, Float> pairs) {
        int max = services.settings().maxHistory();
        if (pairs.size() <= max) {
            return pairs;
        }
        Map<String, Float> newest = new LinkedHashMap<>();
        int skip = pairs.size() - max;
        for (Map.Entry<String, Float> e : pairs.entrySet()) {
            if (skip-- <= 0) {
                newest.put(e.getKey(), e.getValue());
            }
        }
        return newest;
    }

    /** Reads the history items' vectors from the model's version and folds the user in. */
    public void foldIn(Client client, ModelMetadata model, Map<String, Float> history, String source,
                       ActionListener<ResolvedUser> listener) {
        if (history.isEmpty()) {
            listener.onResponse(ResolvedUser.empty(source, List.of(), List.of()));
            return;
        }
        ItemVectorReads.read(client, model.itemsIndex(), history.keySet(), listener.delegateFailureAndWrap(
            (l, found) -> solve(model, history, source, found, l)));
    }

    /**
     * As {@link #foldIn(Client, ModelMetadata, Map, String, ActionListener)} with the vectors of the {@code requested} items already
     * read ({@code found}) from the model's version: only the history's other items are read before the solve.
     */
    private void foldIn(Client client, ModelMetadata model, Map<String, Float> history, String source, Collection<String> requested,
                        ItemVectorReads.Found found, ActionListener<ResolvedUser> listener) {
        Set<String> have = new HashSet<>(requested);
        List<String> missing = history.keySet().stream().filter(item -> have.contains(item) == false).toList();
        if (missing.isEmpty()) {
            solve(model, history, source, found, listener);
            return;
        }
        ItemVectorReads.read(client, model.itemsIndex(), missing, listener.delegateFailureAndWrap(
            (l, more) -> solve(model, history, source, found.with(more), l)));
    }

    /** The solve itself, forked to the plugin's executor: never on the network thread that delivered the last read. */
    private void solve(ModelMetadata model, Map<String, Float> history, String source, ItemVectorReads.Found found,
                       ActionListener<ResolvedUser> listener) {
        services.executor().execute(ActionRunnable.supply(listener, () -> UserFoldIn.solve(model, history, source, found,
            services.breaker())));
    }
}

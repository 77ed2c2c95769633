package dev.mfrecs.plugin.action;

import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.factorization.ExplicitFoldIn;
import dev.mfrecs.factorization.ImplicitFoldIn;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.stats.MfStats;
import dev.mfrecs.plugin.model.ItemVectors;
import dev.mfrecs.plugin.user.Freshness;
import dev.mfrecs.plugin.user.ResolvedUser;
import dev.mfrecs.plugin.user.UserFoldIn;
import dev.mfrecs.plugin.user.UserResolver;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Explains a score with the user's history. Implicit models (Hu et al. 2008, section 5): {@code s_ij = y_i^T W_u y_j c_uj} with
 * {@code W_u} the inverse of the user's fold-in system. Explicit models: the item's bias plus {@code t_j [q_i, 0]^T W [q_j, 1]}
 * per rated item, with {@code t_j} the rating's residual. Either way the parts sum to the score the published vectors give. A
 * trained user is explained from the training items and values the trainer stored with their vector, so the explanation is of
 * the fold-in of that history (equal to the trained vector after the final user half-sweep).
 */
public final class TransportExplainAction extends HandledTransportAction<FoldInRequest, ExplainResponse> {

    private final Client client;
    private final MfServices services;

    @Inject
    public TransportExplainAction(TransportService transportService, ActionFilters actionFilters, Client client, MfServices services) {
        super(ExplainAction.NAME, transportService, actionFilters, FoldInRequest::new, EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.services = services;
    }

    @Override
    protected void doExecute(Task task, FoldInRequest request, ActionListener<ExplainResponse> tracked) {
        ActionListener<ExplainResponse> listener = services.stats().track(MfStats.Api.EXPLAIN, tracked);
        String invalid = request.userSpec().validate(ExplainAction.API, services.settings().maxHistory());
        if (invalid != null) {
            listener.onFailure(new IllegalArgumentException(invalid));
            return;
        }
        UserResolver users = new UserResolver(services);
        services.models().resolve(client, request.model(), listener.delegateFailureAndWrap((l, model) -> users.resolve(client, model,
            request.userSpec(), Freshness.SEEN, l.delegateFailureAndWrap((l2, user) -> {
                if (user.historyVectors() == null && user.empty() == false) {
                    // A trained user: explain the fold-in of the training history stored with the vector (already aggregated),
                    // or of the whole history read from the index when the stored one was capped.
                    Map<String, Float> seen = new LinkedHashMap<>();
                    float[] values = user.historyValues();
                    for (int i = 0; i < user.historyItems().size(); i++) {
                        seen.put(user.historyItems().get(i), values != null && i < values.length ? values[i] : 1f);
                    }
                    users.foldIn(client, model, seen, "stored", l2.delegateFailureAndWrap((l3, folded) -> explain(task, model, request,
                        folded, l3)));
                } else {
                    explain(task, model, request, user, l2);
                }
            }))));
    }

    private void explain(Task task, ModelMetadata model, FoldInRequest request, ResolvedUser user,
                         ActionListener<ExplainResponse> listener) {
        if (user.empty() || user.historyVectors() == null) {
            listener.onFailure(new ResourceNotFoundException("[{}] no usable history for [{}] in model [{}] (ignored items {})",
                ExplainAction.API, request.userSpec().describe(), model.model(), user.ignoredItems()));
            return;
        }
        ItemVectors.read(client, model, List.of(request.item()), listener.delegateFailureAndWrap((l, itemVector) -> services.executor()
            .execute(ActionRunnable.supply(l, () -> {
                if (task instanceof CancellableTask c) {
                    c.ensureNotCancelled();
                }
                return explain(model, user, request.item(), itemVector);
            }))));
    }

    static ExplainResponse explain(ModelMetadata model, ResolvedUser user, String item, float[] itemVector) {
        int k = user.historyItems().size();
        float[] contributions = new float[k];
        float score;
        float bias = 0f;
        if (model.isExplicit()) {
            int d = model.factors();
            float[] q = new float[k * d];
            float[] b = new float[k];
            UserFoldIn.split(model, user.historyVectors(), k, q, b);
            float[] qi = new float[d];
            System.arraycopy(itemVector, 0, qi, 0, d);
            bias = itemVector[d];
            score = new ExplicitFoldIn(d).explain(model.explicit().globalMean(), model.regularization(), q, b, user.historyValues(), k, qi,
                bias, contributions);
        } else {
            score = new ImplicitFoldIn(model.factors()).explain(model.implicitItemSide(), user.historyVectors(), user.historyValues(), k,
                itemVector, contributions);
        }
        List<ExplainResponse.Contribution> list = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            list.add(new ExplainResponse.Contribution(user.historyItems().get(j), user.historyValues()[j], contributions[j]));
        }
        list.sort(Comparator.comparingDouble((ExplainResponse.Contribution c) -> -c.contribution()));
        return new ExplainResponse(model.model(), model.version(), item, score, bias, list, user.ignoredItems());
    }
}

package dev.mfrecs.plugin.action;

import dev.mfrecs.factorization.ImplicitFoldIn;
import dev.mfrecs.plugin.model.HistoryEntry;
import dev.mfrecs.plugin.model.ItemVectors;
import dev.mfrecs.plugin.model.ModelMetadata;
import dev.mfrecs.plugin.model.ModelResolver;
import dev.mfrecs.plugin.model.ResolvedUser;
import dev.mfrecs.plugin.model.UserSpec;
import dev.mfrecs.plugin.model.UserVectorResolver;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Explains a score with the user's history: s_ij = y_i^T W_u y_j c_uj with W_u = (Y^T C_u Y + lambda I)^-1. A trained
 * user is explained from the training items and values the trainer stored with their vector, so the explanation is
 * of the fold-in of that history (equal to the trained vector after the final user half-sweep).
 */
public final class TransportExplainAction extends HandledTransportAction<FoldInRequest, ExplainResponse> {

    private final Client client;

    @Inject
    public TransportExplainAction(TransportService transportService, ActionFilters actionFilters, Client client) {
        super(ExplainAction.NAME, transportService, actionFilters, FoldInRequest::new, EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
    }

    @Override
    protected void doExecute(Task task, FoldInRequest request, ActionListener<ExplainResponse> listener) {
        ModelResolver.INSTANCE.resolve(client, request.model(), listener.delegateFailureAndWrap((l, model) -> {
            if (model.explicit() || model.gram() == null) {
                throw new ElasticsearchStatusException("[{}] explanations need an implicit model with a gram matrix; model [{}] is [{}]",
                    RestStatus.BAD_REQUEST, ExplainAction.API, model.model(), model.algorithm());
            }
            UserVectorResolver.resolve(client, model, request.userSpec(), l.delegateFailureAndWrap((l2, user) -> {
                if (user.historyVectors() == null && user.empty() == false) {
                    // A trained user: explain the fold-in of the training history stored with the vector.
                    Map<String, Float> seen = new LinkedHashMap<>();
                    float[] values = user.historyValues();
                    for (int i = 0; i < user.seenItems().size(); i++) {
                        seen.put(user.seenItems().get(i), values != null && i < values.length ? values[i] : 1f);
                    }
                    UserVectorResolver.resolve(client, model, new UserSpec(null, toHistory(seen)),
                        l2.delegateFailureAndWrap((l3, folded) -> explain(model, folded, request.item(), l3)));
                } else {
                    explain(model, user, request.item(), l2);
                }
            }));
        }));
    }

    private static List<HistoryEntry> toHistory(Map<String, Float> seen) {
        List<HistoryEntry> out = new ArrayList<>();
        seen.forEach((k, v) -> out.add(new HistoryEntry(k, v)));
        return out;
    }

    private void explain(ModelMetadata model, ResolvedUser user, String item, ActionListener<ExplainResponse> listener) {
        if (user.empty() || user.historyVectors() == null) {
            listener.onFailure(new ResourceNotFoundException("[{}] no usable history in model [{}] (ignored items {})", ExplainAction.API,
                model.model(), user.ignoredItems()));
            return;
        }
        ItemVectors.read(client, model, List.of(item), listener.delegateFailureAndWrap((l, itemVector) -> {
            int k = user.historyItems().size();
            float[] contributions = new float[k];
            float score = new ImplicitFoldIn(model.factors()).explain(model.gram(), model.regularization(), model.confidence(),
                model.rendle(), model.itemCount(), user.historyVectors(), user.historyValues(), k, itemVector, contributions);
            List<ExplainResponse.Contribution> list = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                list.add(new ExplainResponse.Contribution(user.historyItems().get(j), user.historyValues()[j], contributions[j]));
            }
            list.sort(Comparator.comparingDouble((ExplainResponse.Contribution c) -> -c.contribution()));
            l.onResponse(new ExplainResponse(model.model(), model.version(), item, score, list, user.ignoredItems()));
        }));
    }
}

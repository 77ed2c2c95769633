package dev.mfrecs.plugin.action;

import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.stats.MfStats;
import dev.mfrecs.plugin.user.UserResolver;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;

/**
 * Resolves the model, then the user's vector, with asynchronous reads that run with the caller's privileges; the solve runs on
 * the plugin's executor. A user with nothing to fold in is a 404 naming the user. A cancelled task stops before its answer.
 */
public final class TransportFoldInAction extends HandledTransportAction<FoldInRequest, FoldInResponse> {

    private final Client client;
    private final MfServices services;

    @Inject
    public TransportFoldInAction(TransportService transportService, ActionFilters actionFilters, Client client, MfServices services) {
        super(FoldInAction.NAME, transportService, actionFilters, FoldInRequest::new, EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.services = services;
    }

    @Override
    protected void doExecute(Task task, FoldInRequest request, ActionListener<FoldInResponse> tracked) {
        ActionListener<FoldInResponse> listener = services.stats().track(MfStats.Api.FOLD_IN, tracked);
        long start = System.nanoTime();
        String invalid = request.userSpec().validate(request.api(), services.settings().maxHistory());
        if (invalid != null) {
            listener.onFailure(new IllegalArgumentException(invalid));
            return;
        }
        new UserResolver(services).resolveModelAndUser(client, request.model(), request.userSpec(), null,
            request.userSpec().freshness(false, false), listener.delegateFailureAndWrap(
            (l, r) -> {
                if (task instanceof CancellableTask c) {
                    c.ensureNotCancelled();
                }
                services.stats().user(MfStats.UserOutcome.of(r.user().source(), r.user().empty()));
                if (r.user().empty()) {
                    l.onFailure(new ResourceNotFoundException("[{}] no usable history for [{}] in model [{}] (ignored items {})",
                        request.api(), request.userSpec().describe(), request.model(), r.user().ignoredItems()));
                    return;
                }
                long took = (System.nanoTime() - start) / 1_000_000;
                l.onResponse(new FoldInResponse(r.model().model(), r.model().version(), r.user().vector(), r.user().source(),
                    r.user().ignoredItems(), took));
            }));
    }
}

package dev.mfrecs.plugin.action;

import dev.mfrecs.plugin.model.UserVectorResolver;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;

/**
 * Resolves the model, then the user's vector, with asynchronous reads that run with the caller's privileges. The solve
 * itself is a single d x d Cholesky, cheap enough for the thread that delivers the last read.
 */
public final class TransportFoldInAction extends HandledTransportAction<FoldInRequest, FoldInResponse> {

    private final Client client;

    @Inject
    public TransportFoldInAction(TransportService transportService, ActionFilters actionFilters, Client client) {
        super(FoldInAction.NAME, transportService, actionFilters, FoldInRequest::new, EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
    }

    @Override
    protected void doExecute(Task task, FoldInRequest request, ActionListener<FoldInResponse> listener) {
        long start = System.nanoTime();
        UserVectorResolver.resolveModelAndUser(client, request.model(), request.userSpec(), listener.delegateFailureAndWrap((l, r) -> {
            if (r.user().empty()) {
                l.onFailure(new ResourceNotFoundException("[{}] none of the history items {} are in model [{}]", FoldInAction.NAME,
                    r.user().ignoredItems(), request.model()));
                return;
            }
            long took = (System.nanoTime() - start) / 1_000_000;
            l.onResponse(new FoldInResponse(r.model().model(), r.model().version(), r.user().vector(), r.user().source(),
                r.user().ignoredItems(), took));
        }));
    }
}

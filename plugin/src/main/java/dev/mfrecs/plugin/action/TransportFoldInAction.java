package dev.mfrecs.plugin.action;

import dev.mfrecs.plugin.model.ModelResolver;
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
        ModelResolver.INSTANCE.resolve(client, request.model(), listener.delegateFailureAndWrap((l, metadata) -> UserVectorResolver.resolve(
            client, metadata, request.userSpec(), l.delegateFailureAndWrap((l2, user) -> {
                if (user.empty()) {
                    l2.onFailure(new ResourceNotFoundException("[{}] none of the history items {} are in model [{}]", FoldInAction.NAME,
                        user.ignoredItems(), request.model()));
                    return;
                }
                long took = (System.nanoTime() - start) / 1_000_000;
                l2.onResponse(new FoldInResponse(metadata.model(), metadata.version(), user.vector(), user.source(), user.ignoredItems(),
                    took));
            }))));
    }
}

package dev.mfrecs.plugin.action;

import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.item.NewItemFoldIn;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;

/** Resolves the model's live version and folds the items in against its stored users ({@link NewItemFoldIn}), as the caller. */
public final class TransportItemFoldInAction extends HandledTransportAction<ItemFoldInRequest, ItemFoldInResponse> {

    private final Client client;
    private final MfServices services;

    @Inject
    public TransportItemFoldInAction(TransportService transportService, ActionFilters actionFilters, Client client, MfServices services) {
        super(ItemFoldInAction.NAME, transportService, actionFilters, ItemFoldInRequest::new, EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.services = services;
    }

    @Override
    protected void doExecute(Task task, ItemFoldInRequest request, ActionListener<ItemFoldInResponse> listener) {
        services.models().resolve(client, request.model(), listener.delegateFailureAndWrap((l, model) -> new NewItemFoldIn(services)
            .foldIn(client, model, request.items(), l.delegateFailureAndWrap((l2, solved) -> {
                if (task instanceof CancellableTask c) {
                    c.ensureNotCancelled();
                }
                l2.onResponse(new ItemFoldInResponse(model.model(), model.version(), solved));
            }))));
    }
}

package dev.mfrecs.plugin.action;

import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.manage.ModelAdmin;
import dev.mfrecs.plugin.manage.ModelLease;
import dev.mfrecs.plugin.stats.MfStats;

import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.transport.TransportService;

import java.util.Map;

/** Deletes one version under the model's lock, refusing the live and the pinned one. */
public final class TransportDeleteModelVersionAction extends BlockingModelAction<ModelAdminRequest, ModelAdminResponse> {

    @Inject
    public TransportDeleteModelVersionAction(TransportService transportService, ActionFilters actionFilters, Client client,
                                             MfServices services) {
        super(DeleteModelVersionAction.NAME, transportService, actionFilters, ModelAdminRequest::new, client, services,
            MfStats.Api.DELETE_MODEL_VERSION);
    }

    @Override
    protected ModelAdminResponse run(ModelAdminRequest request) {
        String model = request.model();
        ModelAdmin admin = new ModelAdmin(client);
        admin.requireVersions(model);
        try (ModelLease lease = ModelLease.acquire(client, model, "delete", ModelLease.owner(nodeName()))) {
            admin.deleteVersion(model, request.version(), lease);
            return new ModelAdminResponse(model, Map.of("deleted_version", request.version()));
        }
    }
}

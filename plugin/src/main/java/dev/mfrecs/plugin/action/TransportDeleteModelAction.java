package dev.mfrecs.plugin.action;

import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.manage.ModelAdmin;
import dev.mfrecs.plugin.manage.ModelLease;
import dev.mfrecs.plugin.stats.MfStats;

import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.transport.TransportService;

import java.util.List;
import java.util.Map;

/** Deletes a whole model under its lock: indices, metadata documents and pin; the version counter and run records stay. */
public final class TransportDeleteModelAction extends BlockingModelAction<ModelAdminRequest, ModelAdminResponse> {

    @Inject
    public TransportDeleteModelAction(TransportService transportService, ActionFilters actionFilters, Client client, MfServices services) {
        super(DeleteModelAction.NAME, transportService, actionFilters, ModelAdminRequest::new, client, services, MfStats.Api.DELETE_MODEL);
    }

    @Override
    protected ModelAdminResponse run(ModelAdminRequest request) {
        String model = request.model();
        ModelAdmin admin = new ModelAdmin(client);
        admin.requireVersions(model);
        try (ModelLease lease = ModelLease.acquire(client, model, "delete", ModelLease.owner(nodeName()))) {
            List<Integer> deleted = admin.deleteModel(model, lease);
            return new ModelAdminResponse(model, Map.of("deleted_versions", deleted));
        }
    }
}

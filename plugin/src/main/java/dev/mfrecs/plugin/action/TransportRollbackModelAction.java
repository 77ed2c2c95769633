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

/**
 * Rolls a model back under its lock: the aliases move to the version asked for (or the one before the live one) and the version
 * is pinned.
 */
public final class TransportRollbackModelAction extends BlockingModelAction<ModelAdminRequest, ModelAdminResponse> {

    @Inject
    public TransportRollbackModelAction(TransportService transportService, ActionFilters actionFilters, Client client,
                                        MfServices services) {
        super(RollbackModelAction.NAME, transportService, actionFilters, ModelAdminRequest::new, client, services, MfStats.Api.ROLLBACK);
    }

    @Override
    protected ModelAdminResponse run(ModelAdminRequest request) {
        String model = request.model();
        ModelAdmin admin = new ModelAdmin(client);
        admin.requireVersions(model);
        try (ModelLease lease = ModelLease.acquire(client, model, "rollback", ModelLease.owner(nodeName()))) {
            int live = admin.rollback(model, request.version(), "REST _rollback on node " + nodeName(), lease);
            return new ModelAdminResponse(model, Map.of("live_version", live, "pinned", true));
        }
    }
}

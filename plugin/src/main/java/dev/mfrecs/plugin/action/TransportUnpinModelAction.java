package dev.mfrecs.plugin.action;

import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.manage.ModelAdmin;
import dev.mfrecs.plugin.manage.ModelLease;
import dev.mfrecs.plugin.stats.MfStats;

import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.transport.TransportService;

import java.util.LinkedHashMap;
import java.util.Map;

/** Lifts a rollback's pin under the model's lock. */
public final class TransportUnpinModelAction extends BlockingModelAction<ModelAdminRequest, ModelAdminResponse> {

    @Inject
    public TransportUnpinModelAction(TransportService transportService, ActionFilters actionFilters, Client client, MfServices services) {
        super(UnpinModelAction.NAME, transportService, actionFilters, ModelAdminRequest::new, client, services, MfStats.Api.UNPIN);
    }

    @Override
    protected ModelAdminResponse run(ModelAdminRequest request) {
        String model = request.model();
        ModelAdmin admin = new ModelAdmin(client);
        admin.requireVersions(model);
        try (ModelLease lease = ModelLease.acquire(client, model, "unpin", ModelLease.owner(nodeName()))) {
            Integer was = admin.unpin(model, lease);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("unpinned_version", was);
            return new ModelAdminResponse(model, fields);
        }
    }
}

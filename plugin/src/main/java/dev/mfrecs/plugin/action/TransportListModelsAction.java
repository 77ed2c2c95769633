package dev.mfrecs.plugin.action;

import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.manage.ModelAdmin;
import dev.mfrecs.plugin.stats.MfStats;

import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.transport.TransportService;

/** Lists the models the caller may read ({@link ModelAdmin#listModels()}). */
public final class TransportListModelsAction extends BlockingModelAction<ListModelsRequest, ListModelsResponse> {

    @Inject
    public TransportListModelsAction(TransportService transportService, ActionFilters actionFilters, Client client, MfServices services) {
        super(ListModelsAction.NAME, transportService, actionFilters, ListModelsRequest::new, client, services, MfStats.Api.LIST_MODELS);
    }

    @Override
    protected ListModelsResponse run(ListModelsRequest request) {
        return new ListModelsResponse(new ModelAdmin(client).listModels());
    }
}

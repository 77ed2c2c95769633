package dev.mfrecs.plugin.action;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.plugin.MfServices;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;
import org.elasticsearch.search.sort.SortOrder;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Resolves the live version through the items alias and lists every version's metadata document. */
public final class TransportGetModelAction extends HandledTransportAction<GetModelRequest, GetModelResponse> {

    static final int MAX_VERSIONS = 100;

    private final Client client;
    private final MfServices services;

    @Inject
    public TransportGetModelAction(TransportService transportService, ActionFilters actionFilters, Client client, MfServices services) {
        super(GetModelAction.NAME, transportService, actionFilters, GetModelRequest::new, EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.services = services;
    }

    @Override
    protected void doExecute(Task task, GetModelRequest request, ActionListener<GetModelResponse> listener) {
        services.models().resolve(client, request.model(), listener.delegateFailureAndWrap((l, live) -> {
            SearchSourceBuilder source = new SearchSourceBuilder().query(QueryBuilders.termQuery(ModelMetadata.MODEL, request.model()))
                .sort(ModelMetadata.VERSION, SortOrder.DESC)
                .size(MAX_VERSIONS)
                .fetchSource(FetchSourceContext.of(true, null, new String[] { ModelMetadata.GRAM_PATH }));
            client.search(new SearchRequest(ModelIndices.METADATA_INDEX).source(source), l.delegateFailureAndWrap((l2, response) -> {
                List<Map<String, Object>> versions = new ArrayList<>();
                for (SearchHit hit : response.getHits().getHits()) {
                    versions.add(hit.getSourceAsMap());
                }
                l2.onResponse(new GetModelResponse(request.model(), live.version(), versions));
            }));
        }));
    }
}

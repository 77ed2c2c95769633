package dev.mfrecs.plugin.action;

import dev.mfrecs.contract.ModelLockDocument;
import dev.mfrecs.contract.ModelStateDocument;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.manage.ModelAdmin;
import dev.mfrecs.plugin.model.ModelResolver;
import dev.mfrecs.plugin.stats.MfStats;

import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.transport.TransportService;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Describes a model: the live version (through the items alias), every version's metadata, the pin a rollback set, the lock and
 * who holds it, and the newest training run record (when the caller may read the run records).
 */
public final class TransportGetModelAction extends BlockingModelAction<GetModelRequest, GetModelResponse> {

    @Inject
    public TransportGetModelAction(TransportService transportService, ActionFilters actionFilters, Client client, MfServices services) {
        super(GetModelAction.NAME, transportService, actionFilters, GetModelRequest::new, client, services, MfStats.Api.GET_MODEL);
    }

    @Override
    protected GetModelResponse run(GetModelRequest request) {
        String model = request.model();
        ModelAdmin admin = new ModelAdmin(client);
        int live = admin.liveVersion(model);
        if (live < 0) {
            throw ModelResolver.notFound(model);
        }
        var versions = admin.versions(model);
        ModelStateDocument state = admin.state(model).document();
        Map<String, Object> pinned = null;
        if (state.pinnedVersion() != null) {
            pinned = new LinkedHashMap<>();
            pinned.put("version", state.pinnedVersion());
            pinned.put("at", state.pinnedAt().toString());
            pinned.put("by", state.pinnedBy());
        }
        Map<String, Object> lock = admin.lock(model).map(TransportGetModelAction::lock).orElse(null);
        return new GetModelResponse(model, live, versions, pinned, lock, admin.lastRun(model).orElse(null));
    }

    private static Map<String, Object> lock(ModelLockDocument l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("owner", l.owner());
        m.put("purpose", l.purpose());
        m.put("acquired", l.acquired().toString());
        m.put("renewed", l.renewed().toString());
        m.put("expires", l.expires().toString());
        m.put("expired", l.expiredAt(Instant.now()));
        return m;
    }
}

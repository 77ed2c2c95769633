package dev.mfrecs.plugin.action;

import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.stats.MfStats;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;

import java.util.concurrent.Executor;

/**
 * The model-management actions ({@code GET _mf/model}, rollback, unpin, deletes) are a handful of sequential reads and
 * conditional writes that an operator runs now and then; written as straight-line blocking code they stay as readable as the
 * trainer's {@code VersionManager} they mirror. So each runs on the {@code management} thread pool, never on a network thread,
 * with the caller's thread context (its user and privileges) carried over by Elasticsearch's executors, and is counted in the
 * node's stats.
 */
abstract class BlockingModelAction<Req extends ActionRequest, Resp extends ActionResponse> extends HandledTransportAction<Req, Resp> {

    protected final Client client;
    protected final MfServices services;
    private final TransportService transportService;
    private final Executor management;
    private final MfStats.Api api;

    protected BlockingModelAction(String name, TransportService transportService, ActionFilters actionFilters, Writeable.Reader<Req> reader,
                                  Client client, MfServices services, MfStats.Api api) {
        super(name, transportService, actionFilters, reader, EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.services = services;
        this.transportService = transportService;
        this.management = transportService.getThreadPool().executor(ThreadPool.Names.MANAGEMENT);
        this.api = api;
    }

    @Override
    protected final void doExecute(Task task, Req request, ActionListener<Resp> listener) {
        management.execute(ActionRunnable.supply(services.stats().track(api, listener), () -> run(request)));
    }

    /** The action's work, on a management thread. */
    protected abstract Resp run(Req request) throws Exception;

    /** This node's name, for lock owners and pins. */
    protected String nodeName() {
        return transportService.getLocalNode().getName();
    }
}

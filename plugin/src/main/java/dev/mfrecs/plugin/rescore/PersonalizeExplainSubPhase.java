package dev.mfrecs.plugin.rescore;

import org.elasticsearch.search.fetch.FetchContext;
import org.elasticsearch.search.fetch.FetchSubPhase;
import org.elasticsearch.search.fetch.FetchSubPhaseProcessor;
import org.elasticsearch.search.rescore.RescoreContext;

import java.io.IOException;

/**
 * Makes {@code _search?explain=true} show the numbers {@code mf_personalize} used when the fetch phase runs in a new search
 * context (a search over several shards): the window the query phase computed is gone there, so before any hit is explained it is
 * computed again from the rescored documents, scored by the first-pass query on the same reader. Only for an {@code mf_personalize}
 * that is the first rescorer (a later one's first pass is another rescorer's output). Adds nothing to the hits itself.
 */
public final class PersonalizeExplainSubPhase implements FetchSubPhase {

    @Override
    public FetchSubPhaseProcessor getProcessor(FetchContext context) throws IOException {
        if (context.explain() == false || context.rescore() == null || context.rescore().isEmpty()) {
            return null;
        }
        RescoreContext first = context.rescore().get(0);
        if (first instanceof MfPersonalizeRescorer.Context personalize) {
            personalize.prepareExplain(context.searcher(), context.rewrittenQuery());
        }
        return null;
    }
}

package dev.mfrecs.plugin.stats;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.common.Strings;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;

import java.util.concurrent.atomic.AtomicReference;

/** Counting through a tracked listener, the user outcomes, and the snapshot's wire and JSON forms. */
public class MfStatsTests extends ESTestCase {

    public void testTrackedListenersCountRequestsFailuresAndLatency() throws Exception {
        MfStats stats = new MfStats();
        AtomicReference<String> answered = new AtomicReference<>();
        stats.track(MfStats.Api.FOLD_IN, ActionListener.<String>wrap(answered::set, e -> answered.set("failed"))).onResponse("ok");
        stats.track(MfStats.Api.FOLD_IN, ActionListener.<String>wrap(answered::set, e -> answered.set("failed")))
            .onFailure(new IllegalArgumentException("bad"));
        assertEquals("failed", answered.get());
        stats.user(MfStats.UserOutcome.of("stored", false));
        stats.user(MfStats.UserOutcome.of("history", false));
        stats.user(MfStats.UserOutcome.of("interactions", false));
        stats.user(MfStats.UserOutcome.of("interactions", true));
        stats.fallbackToPopular();
        stats.metadataCacheHit();
        stats.metadataCacheHit();
        stats.metadataCacheMiss();

        MfStats.Snapshot s = stats.snapshot();
        assertEquals(2, s.requests().get("fold_in").count());
        assertEquals(1, s.requests().get("fold_in").failed());
        assertEquals(2, s.requests().get("fold_in").latency().count());
        assertEquals(0, s.requests().get("mf_recommend").count());
        assertEquals(Long.valueOf(1), s.users().get("stored"));
        assertEquals(Long.valueOf(1), s.users().get("folded_from_history"));
        assertEquals(Long.valueOf(1), s.users().get("folded_from_interactions"));
        assertEquals(Long.valueOf(1), s.users().get("empty"));
        assertEquals(1, s.fallbacksToPopular());
        assertEquals(2, s.metadataCacheHits());
        assertEquals(1, s.metadataCacheMisses());

        BytesStreamOutput out = new BytesStreamOutput();
        s.writeTo(out);
        assertEquals(s, MfStats.Snapshot.readFrom(out.bytes().streamInput()));

        XContentBuilder json = XContentFactory.jsonBuilder().startObject();
        s.toXContent(json, ToXContent.EMPTY_PARAMS);
        String text = Strings.toString(json.endObject());
        assertTrue(text, text.contains("\"fold_in\":{\"count\":2,\"failed\":1,\"latency_ms\":{\"p50\":"));
        assertTrue(text, text.contains("\"metadata_cache\":{\"hits\":2,\"misses\":1}"));
        assertTrue(text, text.contains("\"fallbacks_to_popular\":1"));
    }
}

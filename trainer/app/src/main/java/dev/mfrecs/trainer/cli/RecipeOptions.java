package dev.mfrecs.trainer.cli;

import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.trainer.train.Schedule;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Help;
import picocli.CommandLine.Option;

/**
 * The options that say which events of an interactions index are read and how each is weighted (the training recipe: fields, event
 * weights, value field, time decay, window, query, binarization), shared by {@code train --es} and by {@code evaluate --es} and
 * {@code tune --es}, so a model is evaluated and tuned on exactly the data the trainer would train it on. The {@link ReadPlan} built
 * from them is what the readers and the model metadata use.
 */
public final class RecipeOptions {

    @Option(names = "--index", defaultValue = "interactions", description = "With --es: interactions index, alias or pattern.")
    String index;

    @Option(names = "--user-field", defaultValue = "user_id", description = "With --es: field holding the user id.")
    String userField;

    @Option(names = "--item-field", defaultValue = "item_id", description = "With --es: field holding the item id.")
    String itemField;

    @Option(names = "--event-field", defaultValue = "event_type", description = "With --es: field holding the event type (the "
        + "names --weight gives weights to).")
    String eventField;

    @Option(names = "--value-field", description = "With --es: multiply each event's weight by this numeric field (e.g. quantity, "
        + "rating); default none.")
    String valueField;

    @Option(names = "--timestamp-field", defaultValue = "timestamp", description = "With --es: field holding the event time, for "
        + "decay and windows (a date; @timestamp for a data stream).")
    String timestampField;

    @Option(names = "--weight", showDefaultValue = Help.Visibility.NEVER, description = "With --es: event weight, e.g. --weight view=1 "
        + "--weight purchase=5 --weight return=-5 (default: 1 for every event when none is given; 0 for a type not listed).")
    Map<String, Float> weights = new LinkedHashMap<>();

    @Option(names = "--half-life-days", defaultValue = "0", description = "With --es: time decay half-life in days, from the newest "
        + "event read (0: none).")
    double halfLifeDays;

    @Option(names = "--from", description = "With --es: only events at or after this ISO-8601 instant.")
    Instant from;

    @Option(names = "--to", description = "With --es: only events before this ISO-8601 instant.")
    Instant to;

    @Option(names = "--since", description = "With --es: only events of the last duration, e.g. 90d, 12h or ISO-8601 P90D "
        + "(overrides --from).")
    String since;

    @Option(names = "--query", description = "With --es: only events matching this query (Elasticsearch query DSL, JSON).")
    String query;

    @Option(names = "--binarize-at", description = "With --es: values >= this become 1, others are dropped (e.g. ratings >= 4).")
    Float binarizeAt;

    /** The index and fields to read, with the event weights and decay. */
    public InteractionFields fields() {
        return new InteractionFields(index, userField, itemField, eventField, valueField, timestampField, Map.copyOf(weights),
            halfLifeDays);
    }

    /** The window and filter of the events to read; {@code --since} counts back from now. */
    public ReadPlan.Window window() {
        Instant start = since == null ? from : Instant.now().minus(Schedule.parseDuration("--since", since));
        return new ReadPlan.Window(start, to, query, binarizeAt);
    }
}

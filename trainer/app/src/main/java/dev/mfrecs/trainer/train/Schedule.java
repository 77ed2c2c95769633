package dev.mfrecs.trainer.train;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the trainer runs next: every fixed interval ({@code 6h}, {@code 30m}, {@code 1d}, or ISO-8601 {@code PT6H}) counted from the
 * start of the previous run, or a standard five-field Unix cron expression ({@code "0 3 * * *"}) evaluated in the given zone. Also
 * where every duration option is parsed ({@link #parseDuration}), so {@code --every}, {@code --since} and setup's {@code --retention}
 * accept the same spellings and their errors name the option.
 */
public final class Schedule {

    private static final Pattern INTERVAL = Pattern.compile("([0-9]+)([smhd])");

    private final Duration every;
    private final ExecutionTime cron;

    private Schedule(Duration every, ExecutionTime cron) {
        this.every = every;
        this.cron = cron;
    }

    public static Schedule every(String interval) {
        return new Schedule(parseDuration("--every", interval), null);
    }

    /**
     * A positive duration given to {@code option}: a number and a unit ({@code 45s}, {@code 30m}, {@code 6h}, {@code 90d}) or an
     * ISO-8601 duration ({@code PT6H}, {@code P90D}, {@code P1DT12H}). Errors name the option and the value.
     */
    public static Duration parseDuration(String option, String text) {
        if (text == null) {
            throw new IllegalArgumentException("[" + option + "] needs a duration such as 90d, 6h, 30m or ISO-8601 P90D, PT6H");
        }
        String t = text.trim();
        Duration d;
        Matcher m = INTERVAL.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("[" + option + "] must be a duration such as 90d, 6h, 30m or ISO-8601 P90D, PT6H; got ["
                    + text + "]", e);
            }
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("[" + option + "] must be positive, got [" + text + "]");
        }
        return d;
    }

    public static Schedule cron(String expression) {
        try {
            CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
            return new Schedule(null, ExecutionTime.forCron(parser.parse(expression).validate()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[--cron] is not a valid five-field cron expression [" + expression + "]: " + e.getMessage(),
                e);
        }
    }

    /** The fixed interval of an {@link #every} schedule. */
    public Duration interval() {
        if (every == null) {
            throw new IllegalStateException("a cron schedule has no fixed interval");
        }
        return every;
    }

    /** The next start after {@code lastStart} (interval) or after {@code now} (cron). */
    public ZonedDateTime next(ZonedDateTime lastStart, ZonedDateTime now) {
        if (every != null) {
            ZonedDateTime next = lastStart.plus(every);
            return next.isBefore(now) ? now : next;
        }
        Optional<ZonedDateTime> next = cron.nextExecution(now);
        return next.orElseThrow(() -> new IllegalStateException("cron expression has no next execution"));
    }
}

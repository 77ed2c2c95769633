package dev.mfrecs.trainer.train;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the trainer runs next: every fixed interval ({@code 6h}, {@code 30m}, {@code 1d}) counted from the start of the
 * previous run, or a standard five-field Unix cron expression ({@code "0 3 * * *"}) evaluated in the given zone.
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
        Matcher m = INTERVAL.matcher(interval.trim().toLowerCase(Locale.ROOT));
        if (m.matches() == false) {
            throw new IllegalArgumentException("[--every] must look like 30m, 6h or 1d, got [" + interval + "]");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException("[--every] must be positive, got [" + interval + "]");
        }
        return new Schedule(d, null);
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

package dev.mfrecs.trainer.train;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {

    private static final ZonedDateTime T0 = ZonedDateTime.of(2026, 11, 26, 1, 30, 0, 0, ZoneOffset.UTC);

    @Test
    void intervalCountsFromTheLastStart() {
        Schedule s = Schedule.every("6h");
        assertEquals(Duration.ofHours(6), s.interval());
        assertEquals(T0.plusHours(6), s.next(T0, T0.plusMinutes(10)));
        // A run that took longer than the interval starts the next one right away.
        assertEquals(T0.plusHours(7), s.next(T0, T0.plusHours(7)));
    }

    @Test
    void cronGivesTheNextMatchingMinute() {
        Schedule s = Schedule.cron("0 3 * * *");
        ZonedDateTime next = s.next(T0, T0);
        assertEquals(ZonedDateTime.of(2026, 11, 26, 3, 0, 0, 0, ZoneOffset.UTC), next);
        assertTrue(s.next(next, next.plusSeconds(1)).isAfter(next.plusHours(23)));
    }

    @Test
    void badSchedulesNameTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.every("often"));
        assertTrue(e.getMessage().contains("[--every]") && e.getMessage().contains("[often]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedule.cron("61 * * * *"));
        assertTrue(e.getMessage().contains("[--cron]"), e.getMessage());
    }

    @Test
    void durationsAcceptUnitsAndIso8601AndNameTheOption() {
        assertEquals(Duration.ofDays(90), Schedule.parseDuration("--since", "90d"));
        assertEquals(Duration.ofDays(90), Schedule.parseDuration("--since", "P90D"));
        assertEquals(Duration.ofHours(36), Schedule.parseDuration("--since", "p1dt12h"));
        assertEquals(Duration.ofHours(6), Schedule.every("PT6H").interval());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.parseDuration("--since", "lately"));
        assertTrue(e.getMessage().startsWith("[--since] must be a duration") && e.getMessage().contains("[lately]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedule.parseDuration("--since", "0d"));
        assertTrue(e.getMessage().startsWith("[--since] must be positive"), e.getMessage());
    }
}

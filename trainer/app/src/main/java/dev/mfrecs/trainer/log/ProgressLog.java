package dev.mfrecs.trainer.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where long-running steps report progress, one line per step with the elapsed time. In the default {@link Format#TEXT} the
 * lines are for people on a terminal ({@code [  12.3s] read 100000 events}) and key=value lines otherwise (cron, systemd, CI:
 * {@code ts=2026-11-26T03:00:12Z elapsed_s=12.3 msg="read 100000 events"}). With {@code --log-format json} ({@link Format#JSON})
 * every line, errors included, is one JSON object with Elastic Common Schema fields ({@code @timestamp}, {@code log.level},
 * {@code message}, {@code ecs.version}, {@code service.name}, {@code process.pid}, {@code error.*}), which Filebeat and Elastic
 * Agent ship as they are; the elapsed seconds go in the custom field {@code mfrecs.elapsed_s}.
 * <p>
 * The format is chosen once per process by the command line ({@link #useFormat}), before any log is created.
 */
public final class ProgressLog {

    /** How log lines are written. */
    public enum Format {
        /** Human lines on a terminal, key=value lines otherwise. */
        TEXT,
        /** One ECS JSON object per line. */
        JSON
    }

    /** The ECS version the JSON lines follow. */
    public static final String ECS_VERSION = "1.6.0";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile Format format = Format.TEXT;

    private final PrintStream out;
    private final boolean structured;
    private final Format lineFormat;
    private final long start = System.nanoTime();

    public ProgressLog(PrintStream out, boolean structured) {
        this(out, structured, Format.TEXT);
    }

    public ProgressLog(PrintStream out) {
        this(out, false);
    }

    private ProgressLog(PrintStream out, boolean structured, Format lineFormat) {
        this.out = out;
        this.structured = structured;
        this.lineFormat = lineFormat;
    }

    /** The process's log format, for every log created after this call ({@code --log-format}). */
    public static void useFormat(Format f) {
        format = f;
    }

    public static Format format() {
        return format;
    }

    /** A log on stderr in the process's format. */
    public static ProgressLog stderr() {
        return format == Format.JSON ? new ProgressLog(System.err, true, Format.JSON)
            : new ProgressLog(System.err, System.console() == null);
    }

    /** A JSON log on {@code out}, whatever the process's format: for tests. */
    public static ProgressLog json(PrintStream out) {
        return new ProgressLog(out, true, Format.JSON);
    }

    public void step(String message) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (lineFormat == Format.JSON) {
            Map<String, Object> line = ecs("info", message);
            line.put("mfrecs.elapsed_s", Math.round(elapsed * 10) / 10.0);
            out.println(write(line));
        } else if (structured) {
            out.printf(Locale.ROOT, "ts=%s elapsed_s=%.1f msg=\"%s\"%n", Instant.now(), elapsed, message.replace("\"", "'"));
        } else {
            out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsed, message);
        }
        out.flush();
    }

    /**
     * The line a command prints when it fails: {@code error: <message>} in text, an ECS object with {@code log.level} {@code error}
     * and {@code error.type}/{@code error.message} in JSON.
     */
    public static String errorLine(String message, Throwable error) {
        if (format != Format.JSON) {
            return "error: " + message;
        }
        Map<String, Object> line = ecs("error", message);
        if (error != null) {
            line.put("error.type", error.getClass().getName());
            line.put("error.message", error.getMessage() == null ? error.toString() : error.getMessage());
        }
        return write(line);
    }

    private static Map<String, Object> ecs(String level, String message) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("@timestamp", Instant.now().toString());
        line.put("log.level", level);
        line.put("message", message);
        line.put("ecs.version", ECS_VERSION);
        line.put("service.name", "mfrecs");
        line.put("event.dataset", "mfrecs.log");
        line.put("process.pid", ProcessHandle.current().pid());
        return line;
    }

    private static String write(Map<String, Object> line) {
        try {
            return MAPPER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

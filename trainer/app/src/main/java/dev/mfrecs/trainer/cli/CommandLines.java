package dev.mfrecs.trainer.cli;

import dev.mfrecs.trainer.MfrecsVersion;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.train.PublishRefusedException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * The exit codes, version, help and log options shared by every mfrecs program (the trainer {@code mfrecs}, the offline
 * evaluation {@code mfrecs-eval}, the dev kit {@code mfrecs-dev}), kept in one place so scripts and schedulers see the same codes
 * and options whichever program they run: 0 success, 2 bad arguments (also when a command rejects a value), 3 cluster
 * unreachable, 4 training, publishing or another job failed, 5 a run refused to publish (gate, pinned rollback), 6 another process
 * holds the model's lock. Every command and subcommand answers {@code -h}/{@code --help} (and {@code -V}/{@code --version}, except
 * where {@code --version} is a model version), shows each option's default in its help, and takes {@code --log-format json}.
 */
public final class CommandLines {

    /** The version every program's {@code --version} prints. */
    public static final String VERSION = "mfrecs " + MfrecsVersion.get();
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
    public static final int EXIT_UNREACHABLE = 3;
    public static final int EXIT_FAILED = 4;
    /** A run trained but did not publish on purpose (gate, pinned rollback); the live model serves. */
    public static final int EXIT_REFUSED = 5;
    /** Another process holds the model's lock; this run did nothing. */
    public static final int EXIT_LOCKED = 6;

    private CommandLines() {}

    /** The command line of one program's top-level command with the exit codes above and help on every command. */
    public static CommandLine of(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.getCommandSpec().addOption(OptionSpec.builder("--log-format")
            .paramLabel("FORMAT")
            .type(ProgressLog.Format.class)
            .description("Log lines on stderr: text (for people on a terminal, key=value otherwise) or json (Elastic Common Schema "
                + "fields, one object per line, for Filebeat or Elastic Agent).")
            .defaultValue("text")
            .scopeType(ScopeType.INHERIT)
            .setter(new ISetter() {
                @Override
                public <T> T set(T value) {
                    if (value != null) {
                        ProgressLog.useFormat((ProgressLog.Format) value);
                    }
                    return null;
                }
            })
            .build());
        addHelpOptions(cli);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println(ProgressLog.errorLine(ex.getMessage() != null ? ex.getMessage() : ex.toString(), ex));
            if (ex instanceof ConnectException || ex.getCause() instanceof ConnectException) {
                return EXIT_UNREACHABLE;
            }
            if (ex instanceof PublishRefusedException) {
                return EXIT_REFUSED;
            }
            if (ex instanceof ModelLock.HeldException) {
                return EXIT_LOCKED;
            }
            if (ex instanceof IllegalArgumentException) {
                return EXIT_USAGE;
            }
            return EXIT_FAILED;
        });
        return cli;
    }

    private static void addHelpOptions(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        spec.usageMessage().showDefaultValues(true);
        if (spec.findOption("--help") == null) {
            if (spec.findOption("--version") == null) {
                spec.mixinStandardHelpOptions(true);
            } else {
                // --version is this command's model version: help only.
                spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.")
                    .build());
            }
        }
        if (spec.version().length == 0) {
            spec.version(VERSION);
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            addHelpOptions(sub);
        }
    }

    /**
     * What is wrong with the help of a program's commands: a command, option or parameter without a description. Empty when every
     * command documents everything; tests fail on anything else.
     */
    public static List<String> undocumented(CommandLine cli) {
        List<String> problems = new ArrayList<>();
        collect(cli, problems);
        return problems;
    }

    private static void collect(CommandLine cli, List<String> problems) {
        CommandSpec spec = cli.getCommandSpec();
        String command = spec.qualifiedName();
        if (spec.usageMessage().description().length == 0) {
            problems.add(command + ": the command has no description");
        }
        List<ArgSpec> args = new ArrayList<>(spec.options());
        args.addAll(spec.positionalParameters());
        for (ArgSpec arg : args) {
            String name = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
            String text = String.join(" ", arg.description()).strip();
            if (text.isEmpty()) {
                problems.add(command + " " + name + ": no description");
            }
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            collect(sub, problems);
        }
    }

    /**
     * Everything wrong with a program's help, for its tests: {@link #undocumented} problems, a description that repeats its default
     * (help already shows every default), and any command or subcommand whose {@code -h} or {@code --help} does not exit 0 with a
     * usage message, or that makes picocli print a warning (a description it cannot print, such as an unescaped {@code %}).
     */
    public static List<String> helpProblems(Supplier<Object> program) {
        List<String> problems = new ArrayList<>(undocumented(of(program.get())));
        List<List<String>> paths = new ArrayList<>();
        commandPaths(of(program.get()), new ArrayList<>(), paths);
        for (List<String> path : paths) {
            for (String flag : List.of("-h", "--help")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
                PrintStream previous = System.err;
                int code;
                System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
                try {
                    CommandLine cli = of(program.get());
                    cli.setOut(new PrintWriter(out, true));
                    cli.setErr(new PrintWriter(err, true));
                    code = cli.execute(args.toArray(String[]::new));
                } finally {
                    System.setErr(previous);
                }
                String command = String.join(" ", args);
                if (code != 0 || out.toString().startsWith("Usage:") == false) {
                    problems.add(command + ": exit code " + code + ", output [" + out + err + "]");
                }
                String warnings = systemErr.toString(StandardCharsets.UTF_8) + err;
                if (warnings.isBlank() == false) {
                    problems.add(command + ": printed [" + warnings.strip() + "]");
                }
                if (out.toString().contains("${")) {
                    problems.add(command + ": an unresolved variable in the help");
                }
            }
        }
        collectDefaultMentions(of(program.get()), problems);
        return problems;
    }

    private static void commandPaths(CommandLine cli, List<String> path, List<List<String>> out) {
        out.add(path);
        for (var e : cli.getSubcommands().entrySet()) {
            List<String> sub = new ArrayList<>(path);
            sub.add(e.getKey());
            commandPaths(e.getValue(), sub, out);
        }
    }

    private static void collectDefaultMentions(CommandLine cli, List<String> problems) {
        for (OptionSpec o : cli.getCommandSpec().options()) {
            String text = String.join(" ", o.description()).toLowerCase(Locale.ROOT);
            String value = o.defaultValue();
            if (value != null && (text.contains("default: " + value.toLowerCase(Locale.ROOT)) || text.contains("default " + value
                .toLowerCase(Locale.ROOT)))) {
                problems.add(cli.getCommandSpec().qualifiedName() + " " + o.longestName() + ": the description repeats the default ("
                    + "${DEFAULT-VALUE}), which help already shows");
            }
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            collectDefaultMentions(sub, problems);
        }
    }

    /** Runs one program's top-level command with {@code args} and exits the JVM with its exit code. */
    public static void main(Object command, String[] args) {
        System.exit(of(command).execute(args));
    }
}

package dev.mfrecs.trainer.cli;

import dev.mfrecs.trainer.settings.AlgorithmSettings;
import dev.mfrecs.trainer.settings.Hyperparameter;
import dev.mfrecs.trainer.train.Algorithm;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/**
 * The hyper-parameter options of {@code train}, one per {@link Hyperparameter}, kept as the text the user typed: which of them were
 * given, and their values, go to {@link AlgorithmSettings#of} unchanged, so parsing, defaults and the rejection of a parameter the
 * algorithm does not use happen in one place whatever the path ({@code --input} or {@code --es}, local or Spark). Their help texts
 * (meaning and per-algorithm defaults) come from {@link HyperparameterHelp}, generated from the defaults table; a command using these
 * options names that bundle in its {@code @Command(resourceBundle = ...)}.
 */
public final class HyperparameterOptions {

    @Option(names = "--factors", paramLabel = "<d>", descriptionKey = "factors")
    String factors;

    @Option(names = "--iterations", paramLabel = "<n>", descriptionKey = "iterations")
    String iterations;

    @Option(names = "--regularization", paramLabel = "<lambda>", descriptionKey = "regularization")
    String regularization;

    @Option(names = "--alpha", paramLabel = "<alpha>", descriptionKey = "alpha")
    String alpha;

    @Option(names = "--confidence", paramLabel = "<kind>", descriptionKey = "confidence")
    String confidence;

    @Option(names = "--epsilon", paramLabel = "<epsilon>", descriptionKey = "epsilon")
    String epsilon;

    @Option(names = "--solver", paramLabel = "<solver>", descriptionKey = "solver")
    String solver;

    @Option(names = "--cg-steps", paramLabel = "<n>", descriptionKey = "cg-steps")
    String cgSteps;

    @Option(names = "--alpha0", paramLabel = "<alpha0>", descriptionKey = "alpha0")
    String alpha0;

    @Option(names = "--nu", paramLabel = "<nu>", descriptionKey = "nu")
    String nu;

    @Option(names = "--learning-rate", paramLabel = "<rate>", descriptionKey = "learning-rate")
    String learningRate;

    @Option(names = "--init-std", paramLabel = "<std>", descriptionKey = "init-std")
    String initStd;

    @Option(names = "--oversampling", paramLabel = "<n>", descriptionKey = "oversampling")
    String oversampling;

    /** The hyper-parameters given on the command line, by name, in table order. */
    public Map<String, String> given() {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, Hyperparameter.FACTORS, factors);
        put(out, Hyperparameter.ITERATIONS, iterations);
        put(out, Hyperparameter.REGULARIZATION, regularization);
        put(out, Hyperparameter.ALPHA, alpha);
        put(out, Hyperparameter.CONFIDENCE, confidence);
        put(out, Hyperparameter.EPSILON, epsilon);
        put(out, Hyperparameter.SOLVER, solver);
        put(out, Hyperparameter.CG_STEPS, cgSteps);
        put(out, Hyperparameter.ALPHA0, alpha0);
        put(out, Hyperparameter.NU, nu);
        put(out, Hyperparameter.LEARNING_RATE, learningRate);
        put(out, Hyperparameter.INIT_STD, initStd);
        put(out, Hyperparameter.OVERSAMPLING, oversampling);
        return out;
    }

    private static void put(Map<String, String> out, Hyperparameter h, String value) {
        if (value != null) {
            out.put(h.cliName(), value);
        }
    }

    /**
     * The settings of {@code algorithm}: the table's defaults, then {@code fromFile} (a {@code tune --best} file's parameters), then
     * the options given here, which win; errors name the option ({@code --alpha0}) or, for a file's entry, {@code --params NAME}.
     */
    public AlgorithmSettings settings(Algorithm algorithm, Map<String, String> fromFile, long seed, int threads) {
        Map<String, String> cli = given();
        Map<String, String> file = new LinkedHashMap<>(fromFile);
        file.keySet().removeAll(cli.keySet());
        AlgorithmSettings.of(algorithm, file, seed, threads, name -> "--params " + name);
        Map<String, String> all = new LinkedHashMap<>(file);
        all.putAll(cli);
        return AlgorithmSettings.of(algorithm, all, seed, threads, name -> "--" + name);
    }
}

package dev.mfrecs.trainer;

import dev.mfrecs.trainer.cli.MfrecsCommand;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guards the trainer's release jar: it holds the trainer's packages only (no demo, benchmark, evaluation or test-node
 * classes, which live in trainer/evaluation and trainer/devkit) and runs without a charting library. Reads the classes
 * the jar is built from ({@code target/classes}, or the jar itself when the tests run against it), prints the class list
 * and writes it to {@code target/trainer-classes.txt}.
 */
class TrainerContentsTest {

    /** The trainer's packages: reading (file, Elasticsearch), training, publishing, cluster setup and its command line. */
    static final Set<String> TRAINER_PACKAGES = Set.of("dev.mfrecs.trainer", "dev.mfrecs.trainer.cli", "dev.mfrecs.trainer.data",
        "dev.mfrecs.trainer.es", "dev.mfrecs.trainer.log", "dev.mfrecs.trainer.publish", "dev.mfrecs.trainer.settings",
        "dev.mfrecs.trainer.setup", "dev.mfrecs.trainer.train");

    /** Package name parts that mark a class of another program. */
    static final List<String> FOREIGN_PARTS = List.of("devkit", "evaluation", "eval", "demo", "bench", "node");

    @Test
    void theTrainerHoldsOnlyTrainerClasses() throws IOException, URISyntaxException {
        Path location = Path.of(MfrecsCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classes = classNames(location);
        TreeMap<String, List<String>> byPackage = new TreeMap<>();
        for (String c : classes) {
            byPackage.computeIfAbsent(packageOf(c), p -> new ArrayList<>()).add(c.substring(c.lastIndexOf('.') + 1));
        }
        StringBuilder list = new StringBuilder("trainer classes in " + location + ": " + classes.size() + "\n");
        byPackage.forEach((p, names) -> list.append("  ").append(p).append(": ").append(String.join(", ", names)).append('\n'));
        System.out.print(list);
        Path target = location.getParent();
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("trainer-classes.txt"), String.join("\n", classes) + "\n", StandardCharsets.UTF_8);
        }

        assertTrue(classes.contains(MfrecsCommand.class.getName()), "the main class is there: " + classes);
        List<String> outside = classes.stream().filter(c -> TRAINER_PACKAGES.contains(packageOf(c)) == false).toList();
        assertEquals(List.of(), outside, "classes outside the trainer's packages " + TRAINER_PACKAGES);
        List<String> foreign = classes.stream()
            .filter(c -> Arrays.stream(packageOf(c).split("\\.")).anyMatch(FOREIGN_PARTS::contains))
            .toList();
        assertEquals(List.of(), foreign, "demo, benchmark, evaluation or test-node classes in the trainer");
    }

    @Test
    void noChartingLibraryAtRuntime() {
        assertThrows(ClassNotFoundException.class,
            () -> Class.forName("org.jfree.chart.JFreeChart")); // CHECKSTYLE: class name in a string (it must not be on the class path)
        assertThrows(ClassNotFoundException.class,
            () -> Class.forName("org.jfree.svg.SVGGraphics2D")); // CHECKSTYLE: class name in a string (it must not be on the class path)
        // the test class path holds every runtime dependency of the module (surefire names it; java.class.path otherwise)
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> jfree = Arrays.stream(classPath.split(File.pathSeparator))
            .filter(e -> e.replace(File.separatorChar, '/').contains("/org/jfree/")
                || Path.of(e).getFileName().toString().contains("jfree"))
            .toList();
        assertEquals(List.of(), jfree, "org.jfree artifacts among the trainer's dependencies");
    }

    /** The classes under a classes directory or in a jar, as sorted binary names. */
    static List<String> classNames(Path location) throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.filter(f -> f.toString().endsWith(".class"))
                    .forEach(f -> out.add(toName(location.relativize(f).toString().replace(File.separatorChar, '/'))));
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class")).forEach(n -> out.add(toName(n)));
            }
        }
        out.removeIf(c -> c.endsWith("package-info") || c.equals("module-info"));
        out.sort(null);
        return out;
    }

    private static String toName(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }
}

package dev.mfrecs.trainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The product's version, as the build wrote it (from the project's {@code <version>}, the one place it is set) into a resource
 * of the trainer jar: what every program's {@code --version} prints, what a published model records as its trainer version, and
 * what {@code setup} compares with the plugin version on every node.
 */
public final class MfrecsVersion {

    private static final String VERSION = read();

    private MfrecsVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = MfrecsVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("the trainer jar lacks dev/mfrecs/trainer/version.properties");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

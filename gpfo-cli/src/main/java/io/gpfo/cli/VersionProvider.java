package io.gpfo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What Maven wrote into the jar (the version, and the git commit it was built from), and the Java
 * runtime this process runs on: what a bug report needs, since gpfo may run on its bundled runtime
 * or on the host's Java.
 */
public final class VersionProvider implements IVersionProvider {

    private static final Properties BUILD = load();

    /** version.properties (filtered by Maven) and commit.properties (written by the build from git; see pom.xml). */
    private static Properties load() {
        Properties properties = new Properties();
        for (String resource : new String[] {"version.properties", "commit.properties"}) {
            try (InputStream in = VersionProvider.class.getResourceAsStream(resource)) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                // an unreadable jar entry: its values read as "unknown" below
            }
        }
        return properties;
    }

    public static String version() {
        return BUILD.getProperty("version", "unknown");
    }

    /** The commit, with "-dirty" when the tree had uncommitted changes; "unknown" when built outside git. */
    public static String commit() {
        String commit = BUILD.getProperty("commit", "");
        return commit.isBlank() ? "unknown" : commit;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "gpfo " + version() + " (commit " + commit() + ")",
            "Java " + System.getProperty("java.runtime.version", System.getProperty("java.version")) + " ("
                    + System.getProperty("java.vendor", "unknown vendor") + ") at " + System.getProperty("java.home")
        };
    }
}

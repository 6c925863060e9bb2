package io.gpfo.greenplum;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code postgres --gp-version} says (docs/greenplum.md §2), reduced to what gpfo acts on: the
 * product family, which picks the data-directory variable, the wording of gpactivatestandby's
 * messages and the SQL dialect.
 */
public record GreenplumRelease(Family family, String version) {

    public enum Family {
        /** Greenplum 6: PostgreSQL 9.4 base, MASTER_DATA_DIRECTORY, *_location columns, "master". */
        GP6,
        /** Greenplum 7: PostgreSQL 12 base, COORDINATOR_DATA_DIRECTORY, *_lsn columns, "coordinator". */
        GP7,
        /** Apache Cloudberry 1.x/2.x: behaves like GP7 for everything gpfo does. */
        CLOUDBERRY
    }

    /** gpupgrade accepts exactly these prefixes; so do we. */
    private static final Pattern BANNER = Pattern.compile(
            "postgres \\((Greenplum Database|Apache Cloudberry|Cloudberry Database)\\) (\\d+)\\.(\\d+)\\.(\\d+)\\S*");

    public static GreenplumRelease parse(String output) {
        String firstLine = output.strip().lines().findFirst().orElse("");
        Matcher matcher = BANNER.matcher(firstLine);
        if (!matcher.lookingAt()) {
            throw new IllegalArgumentException("not a Greenplum or Cloudberry version banner: '" + abbreviate(firstLine)
                    + "' (expected e.g. 'postgres (Greenplum Database) 7.4.0 …'); set greenplum.version: 6 or 7 to skip detection");
        }
        String version = matcher.group(2) + "." + matcher.group(3) + "." + matcher.group(4);
        int major = Integer.parseInt(matcher.group(2));
        if (!matcher.group(1).equals("Greenplum Database")) {
            return new GreenplumRelease(Family.CLOUDBERRY, version);
        }
        return switch (major) {
            case 6 -> new GreenplumRelease(Family.GP6, version);
            case 7 -> new GreenplumRelease(Family.GP7, version);
            default -> throw new IllegalArgumentException("Greenplum " + version + " is not supported (gpfo supports 6, 7"
                    + " and Cloudberry)");
        };
    }

    public static GreenplumRelease of(Family family) {
        return new GreenplumRelease(family, family == Family.GP6 ? "6" : family == Family.GP7 ? "7" : "cloudberry");
    }

    /** The variable gpactivatestandby reads the data directory from. */
    public String dataDirectoryVariable() {
        return family == Family.GP6 ? "MASTER_DATA_DIRECTORY" : "COORDINATOR_DATA_DIRECTORY";
    }

    /**
     * The environment a Greenplum management tool reads for the coordinator on this host: PGPORT and
     * the data directory under this release's variable (and MASTER_DATA_DIRECTORY, which every release
     * still honours).
     */
    public Map<String, String> toolEnvironment(int port, Path dataDirectory) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PGPORT", Integer.toString(port));
        environment.put(dataDirectoryVariable(), dataDirectory.toString());
        environment.putIfAbsent("MASTER_DATA_DIRECTORY", dataDirectory.toString());
        return environment;
    }

    /** "master" in GP6, "coordinator" from GP7 on: the word the tools' own messages use. */
    public String coordinatorWord() {
        return family == Family.GP6 ? "master" : "coordinator";
    }

    /** GP6 has PostgreSQL 9.4's replication names; GP7 and Cloudberry have PostgreSQL 10+'s. */
    public boolean usesLsnNames() {
        return family != Family.GP6;
    }

    /** The line gpactivatestandby logs on success; recorded as evidence, never trusted alone. */
    public String activationSuccessText() {
        return "The activation of the standby " + coordinatorWord() + " has completed successfully";
    }

    @Override
    public String toString() {
        return switch (family) {
            case GP6, GP7 -> "Greenplum " + version;
            case CLOUDBERRY -> "Cloudberry " + version;
        };
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}

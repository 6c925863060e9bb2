package io.gpfo.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds, reads and checks {@code gpfo.yaml}. Every problem in the file comes back at once in a
 * {@link ConfigException}; a {@link GpfoConfig} is only returned for a file without any.
 */
public final class ConfigLoader {

    public static final Path DEFAULT_PATH = Path.of("/etc/gpfo/gpfo.yaml");
    public static final String ENVIRONMENT_VARIABLE = "GPFO_CONFIG";

    private final Function<String, Optional<Path>> homeOf;
    private final boolean runningAsRoot;

    /**
     * @param homeOf        home directory of a user, for {@code ~} in paths
     * @param runningAsRoot whether to insist the file is not writable by anyone but root
     */
    public ConfigLoader(Function<String, Optional<Path>> homeOf, boolean runningAsRoot) {
        this.homeOf = homeOf;
        this.runningAsRoot = runningAsRoot;
    }

    /** The loader for this process: homes from /etc/passwd, root checks when we are root. */
    public static ConfigLoader forThisHost() {
        return new ConfigLoader(PasswdHomes.fromSystem(), isRoot());
    }

    /** {@code --config} if given, else {@code $GPFO_CONFIG}, else {@code /etc/gpfo/gpfo.yaml}. */
    public static Path locate(Path option, Map<String, String> environment) {
        if (option != null) {
            return option;
        }
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        return fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_PATH : Path.of(fromEnvironment);
    }

    public GpfoConfig load(Path file) throws ConfigException {
        String name = file.toString();
        String text;
        try {
            if (runningAsRoot) {
                checkOwnership(file);
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw single(name, "no such file; copy etc/gpfo.yaml.example there and edit it, or pass --config FILE"
                    + " (or set " + ENVIRONMENT_VARIABLE + ")");
        } catch (IOException e) {
            throw single(name, "cannot read: " + e.getMessage());
        }
        return parse(text, file);
    }

    /** Parses and checks YAML text; {@code source} only names the file in messages. */
    public GpfoConfig parse(String yaml, Path source) throws ConfigException {
        String name = source.toString();
        YamlTree.Parsed parsed;
        try {
            parsed = YamlTree.parse(yaml);
        } catch (YamlTree.SyntaxError e) {
            throw new ConfigException(List.of(
                    new ConfigError(name, e.mark.line(), e.mark.column(), "", e.getMessage())));
        }
        ConfigReader reader = new ConfigReader(name, homeOf);
        GpfoConfig draft = reader.read(source, parsed.root(), parsed.duplicateKeys());
        List<ConfigError> errors = new ArrayList<>(reader.errors());
        errors.addAll(new ConfigValidator(name, reader.marks()).validate(draft));
        if (!errors.isEmpty()) {
            errors.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
                    : Integer.compare(a.column(), b.column()));
            throw new ConfigException(errors);
        }
        return draft;
    }

    /** gpfo runs as root the commands this file names: only root may be able to change it. */
    private static void checkOwnership(Path file) throws IOException, ConfigException {
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
        var permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw single(file.toString(), "is writable by group or others and gpfo runs as root the commands it names;"
                    + " fix with: chmod go-w " + file);
        }
        if (!attributes.owner().getName().equals("root")) {
            throw single(file.toString(), "is owned by " + attributes.owner().getName()
                    + ", but gpfo runs as root the commands it names; fix with: chown root " + file);
        }
    }

    private static ConfigException single(String file, String message) {
        return new ConfigException(List.of(new ConfigError(file, 0, 0, "", message)));
    }

    /** The effective user is root when /proc/self (owned by the euid) belongs to uid 0. */
    public static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}

package io.gpfo.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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

    /** gpfo.yaml is a few KiB; the cap keeps a wrong --config (a log, a dump) from exhausting memory. */
    public static final int MAX_BYTES = 1024 * 1024;
    /** How deep mappings and lists may nest (gpfo.yaml needs 3 levels). */
    public static final int MAX_DEPTH = YamlTree.MAX_DEPTH;

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
        return loadWithText(file).config();
    }

    /** A configuration and the exact text it was validated from: what install copies is what was checked. */
    public record Loaded(GpfoConfig config, String text) {
    }

    /** Reads the file once and validates that text; {@link Loaded#text} is what was read, not a second read of the path. */
    public Loaded loadWithText(Path file) throws ConfigException {
        String name = file.toString();
        if (name.isEmpty()) {
            // --config= : Path.of("") is the working directory, which would be reported as "Is a directory"
            throw single("--config", "is empty; give the configuration file's path, e.g. --config " + DEFAULT_PATH);
        }
        String text;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                // checked before anything else: reading a FIFO blocks, and chmod advice about /dev/null is wrong
                throw single(name, attributes.isDirectory() ? "is a directory; give the configuration file's path"
                        : "is not a regular file (a device, FIFO or socket); the configuration must be a regular file");
            }
            if (attributes.size() > MAX_BYTES) {
                throw tooLarge(name, attributes.size());
            }
            if (runningAsRoot) {
                checkOwnership(file);
            }
            text = decode(name, readAtMost(file));
        } catch (IOException e) {
            throw readFailure(name, e);
        }
        return new Loaded(parse(text, file), text);
    }

    /** What went wrong in the operator's words; the JDK's message is often only the path again. */
    static ConfigException readFailure(String name, IOException e) {
        if (e instanceof NoSuchFileException) {
            return single(name, "no such file; copy etc/gpfo.yaml.example there and edit it, or pass --config FILE"
                    + " (or set " + ENVIRONMENT_VARIABLE + ")");
        }
        if (e instanceof AccessDeniedException) {
            return single(name, "cannot read: permission denied; run as root or as a user allowed to read it (see ls -l "
                    + name + ")");
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return single(name, "cannot read: " + fileSystem.getReason());
        }
        return single(name, "cannot read: " + e);
    }

    /** At most {@link #MAX_BYTES} + 1 bytes: a file that grew after its size was checked still cannot fill memory. */
    private static byte[] readAtMost(Path file) throws IOException, ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw tooLarge(file.toString(), bytes.length);
            }
            return bytes;
        }
    }

    private static ConfigException tooLarge(String name, long size) {
        return single(name, "is " + size + " bytes; a configuration file may be at most " + MAX_BYTES / 1024 / 1024
                + " MiB (" + MAX_BYTES + " bytes)");
    }

    /** Strict UTF-8 that names the first bad byte, where the JDK's message says only "Input length = 1". */
    private static String decode(String name, byte[] bytes) throws ConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw single(name, String.format("is not UTF-8 at byte %d (line %d: 0x%02x); save it as UTF-8",
                    offset + 1, line, bytes[offset] & 0xff));
        }
        decoder.flush(out);
        return out.flip().toString();
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

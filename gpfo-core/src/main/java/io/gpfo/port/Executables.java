package io.gpfo.port;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds programs the way a shell would, plus the sbin directories: a service started by
 * systemd or an init script may have a short PATH, yet {@code ip} lives in /usr/sbin.
 */
public final class Executables {

    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    private final List<Path> directories;

    public Executables(List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    public static Executables fromPath(String path) {
        Set<String> directories = new LinkedHashSet<>();
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    directories.add(entry);
                }
            }
        }
        directories.addAll(SYSTEM_DIRECTORIES);
        return new Executables(directories.stream().map(Path::of).toList());
    }

    public Optional<Path> find(String name) {
        return directories.stream().map(directory -> directory.resolve(name))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate)).findFirst();
    }
}

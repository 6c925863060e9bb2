package io.gpfo.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Home directories from the user database, for {@code ~} and {@code ~user} in config paths. */
public final class PasswdHomes {

    private PasswdHomes() {
    }

    /** Parses passwd(5) lines: {@code name:password:uid:gid:gecos:home:shell}. */
    public static Map<String, Path> parse(String passwd) {
        Map<String, Path> homes = new HashMap<>();
        passwd.lines().map(line -> line.split(":", -1)).filter(fields -> fields.length >= 7)
                .filter(fields -> fields[5].startsWith("/"))
                .forEach(fields -> homes.putIfAbsent(fields[0], Path.of(fields[5])));
        return homes;
    }

    public static Function<String, Optional<Path>> fromSystem() {
        Map<String, Path> homes;
        try {
            homes = parse(Files.readString(Path.of("/etc/passwd")));
        } catch (IOException e) {
            homes = Map.of();
        }
        Map<String, Path> known = homes;
        return user -> Optional.ofNullable(known.get(user));
    }
}

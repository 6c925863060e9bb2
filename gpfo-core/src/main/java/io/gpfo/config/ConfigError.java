package io.gpfo.config;

/**
 * One mistake in a config file, printed as {@code gpfo.yaml:14:5 vip.adress: unknown key (known: …)}:
 * where, which key, and what was expected.
 */
public record ConfigError(String file, int line, int column, String path, String message) {

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file;
        return path.isEmpty() ? where + " " + message : where + " " + path + ": " + message;
    }
}

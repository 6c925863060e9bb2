package io.gpfo.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus text format read back for assertions: each sample by its name and labels,
 * written {@code name{a="x",b="y"}} with the labels sorted, and the TYPE of each family.
 */
record Exposition(Map<String, Double> samples, Map<String, String> types) {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    static Exposition parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.put(key(sample.group(1), labels), Double.parseDouble(sample.group(3).replace("+Inf", "Infinity")));
        }
        return new Exposition(samples, types);
    }

    /** {@code key("gpfo_role", "role", "primary")} → {@code gpfo_role{role="primary"}}. */
    static String key(String name, String... labelPairs) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return key(name, labels);
    }

    private static String key(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder text = new StringBuilder(name).append('{');
        labels.forEach((label, value) -> text.append(label).append("=\"").append(value).append("\","));
        text.setLength(text.length() - 1);
        return text.append('}').toString();
    }

    Double value(String name, String... labelPairs) {
        return samples.get(key(name, labelPairs));
    }
}

package io.gpfo.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {

    private static final String REQUIRED = """
            coordinator: {host: mdw}
            standby: {host: smdw}
            vip: {address: 10.0.0.100, prefix: 24, interface: eth0, gateway: 10.0.0.1}
            """;

    private final ConfigLoader loader = new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false);

    @Test
    void everyDefaultWrittenOutGivesTheConfigOfAFileWithoutIt() throws Exception {
        // each section's defaults as YAML: what gpfo.yaml(5) tells the reader the defaults are
        String defaults = ConfigKeys.KEYS.stream().filter(key -> key.defaultValue() != null)
                .collect(Collectors.groupingBy(ConfigKeys.Key::section, java.util.LinkedHashMap::new,
                        Collectors.mapping(key -> key.name() + ": " + key.defaultValue(), Collectors.joining(", ", "{", "}"))))
                .entrySet().stream()
                .map(section -> section.getKey() + ": " + (section.getKey().equals("coordinator") || section.getKey().equals("standby")
                        || section.getKey().equals("vip")
                        // api, arbiter: writing the section turns the feature on; its defaults apply only then
                        || section.getKey().equals("api") || section.getKey().equals("arbiter") ? "" : section.getValue()))
                .filter(line -> !line.endsWith(": "))
                .collect(Collectors.joining("\n"));

        GpfoConfig implicit = loader.parse(REQUIRED, Path.of("gpfo.yaml"));
        GpfoConfig explicit = loader.parse(REQUIRED + defaults + "\n", Path.of("gpfo.yaml"));

        assertThat(defaults).contains("heartbeat: {interval: 1s, timeout: 1s, failure_threshold: 3}");
        assertThat(explicit).usingRecursiveComparison().isEqualTo(implicit);
    }

    @Test
    void everyKeyHasARuleAndEverySectionItsKeys() {
        assertThat(ConfigKeys.KEYS).allSatisfy(key -> assertThat(key.rule()).as(key.path()).isNotBlank());
        List<String> sections = ConfigKeys.SECTIONS.stream().map(ConfigKeys.Section::name).toList();
        assertThat(ConfigKeys.KEYS).extracting(ConfigKeys.Key::section).containsOnlyElementsOf(sections);
        assertThat(ConfigReader.KEYS.keySet()).containsExactlyElementsOf(
                java.util.stream.Stream.concat(java.util.stream.Stream.of(""), sections.stream()).toList());
        assertThat(ConfigReader.KEYS.get("vip")).containsExactly("address", "prefix", "netmask", "interface", "label",
                "gateway", "arp_count");
    }

    @Test
    void theReadmeAndTheKeysRuleStateTheThresholdRangeTheReaderEnforces() throws Exception {
        // the range as ConfigReader enforces it, from its own message
        String refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> loader.parse(REQUIRED + "heartbeat: {failure_threshold: 0}\n", Path.of("gpfo.yaml")),
                ConfigException.class).getMessage();
        Matcher range = Pattern.compile("failure_threshold: 0 is out of range; expected (\\d+ to \\d+)").matcher(refused);
        assertThat(range.find()).as(refused).isTrue();
        String bounds = range.group(1);

        String rule = ConfigKeys.KEYS.stream().filter(key -> key.path().equals("heartbeat.failure_threshold"))
                .findFirst().orElseThrow().rule();
        String readmeRow = Files.readAllLines(Path.of("..", "README.md")).stream()
                .filter(line -> line.startsWith("| `heartbeat.interval`") && line.contains("failure_threshold"))
                .findFirst().orElseThrow(() -> new AssertionError("README's configuration table has no heartbeat row"));

        assertThat(rule).as("ConfigKeys' rule for heartbeat.failure_threshold").startsWith(bounds + " ");
        assertThat(readmeRow).as("README's heartbeat row").contains("threshold " + bounds);
    }
}

package io.gpfo.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linux-x86_64 tarball as a host without Java gets it: unpacked into an empty directory, run with
 * no java on PATH and no JAVA_HOME, its runtime's native code checked against RHEL 7's glibc 2.17.
 * Needs only this build's output (failsafe execution "dist" in gpfo-cli/pom.xml).
 */
@Tag("dist")
class LinuxTarballIT {

    /** RHEL/CentOS 7, the oldest Greenplum host. */
    private static final List<Integer> GLIBC_OF_RHEL_7 = List.of(2, 17);
    private static final Pattern GLIBC_SYMBOL = Pattern.compile("@GLIBC_(\\d+(?:\\.\\d+)*)");
    private static final String JLINE_LIBRARY = "org/jline/nativ/Linux/x86_64/libjlinenative.so";

    @TempDir
    static Path dir;

    private static String version;
    private static Path home;
    /** A PATH with only the tools bin/gpfo needs, and no java. */
    private static Path tools;

    @BeforeAll
    static void unpack() throws Exception {
        version = System.getProperty("gpfo.version");
        Path tarball = Path.of(System.getProperty("gpfo.tarball"));
        assertThat(tarball).as("the tarball that 'mvn package' makes").isRegularFile();
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        Result tar = run(List.of("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()), null);
        assertThat(tar.status()).as("tar: %s", tar.err()).isZero();
        home = unpacked.resolve("gpfo-" + version);

        tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("sh", "dirname", "readlink")) {
            Path real = Stream.of("/bin", "/usr/bin").map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + tool + " in /bin or /usr/bin"));
            Files.createSymbolicLink(tools.resolve(tool), real);
        }
    }

    @Test
    void runsOnItsBundledRuntimeWithoutJavaOnTheHost() throws Exception {
        assertThat(tools.resolve("java")).doesNotExist();

        Result result = gpfo(home, Map.of(), "--version");

        assertThat(result.status()).as("bin/gpfo --version: %s", result.err()).isZero();
        assertThat(result.out()).startsWith("gpfo " + version + " (commit ")
                .endsWith(") at " + home.toRealPath().resolve("runtime") + "\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void itsAotCacheFitsTheUnpackedTree() throws Exception {
        assertThat(home.resolve("runtime/lib/gpfo.aot")).isRegularFile();

        // AOTMode=on: the JVM refuses to start rather than run without the cache
        Result result = gpfo(home, Map.of("GPFO_OPTS", "-XX:AOTMode=on"), "--version");

        assertThat(result.status()).as("bin/gpfo --version with -XX:AOTMode=on: %s%s", result.out(), result.err()).isZero();
        assertThat(result.out()).startsWith("gpfo " + version + " (commit ");
    }

    @Test
    void saysWhereItLookedWhenThereIsNoJavaAtAll() throws Exception {
        Path bare = Files.createDirectories(dir.resolve("bare"));
        Files.createDirectories(bare.resolve("bin"));
        Files.copy(home.resolve("bin/gpfo"), bare.resolve("bin/gpfo"));

        Result result = gpfo(bare, Map.of(), "--version");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains(
                "gpfo: no usable Java runtime; looked at:",
                "  bundled: no " + bare.toRealPath() + "/runtime/bin/java",
                "  GPFO_JAVA_HOME: not set",
                "  JAVA_HOME: not set",
                "  PATH: no java in " + tools,
                "set GPFO_JAVA_HOME");
    }

    @Test
    void noNativeCodeNeedsAGlibcNewerThanRhel7s() throws Exception {
        Map<String, Path> elfs = new TreeMap<>();
        try (Stream<Path> files = Files.walk(home.resolve("runtime"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (isElf(file)) {
                    elfs.put(home.relativize(file).toString(), file);
                }
            }
        }
        assertThat(elfs).containsKeys("runtime/bin/java", "runtime/lib/server/libjvm.so", "runtime/lib/libjava.so");
        // not in the runtime, but loaded by it: jline's terminal library, unpacked from its jar at run time
        elfs.put("lib/jline-*.jar!/" + JLINE_LIBRARY, jlineNativeLibrary());

        assertThat(Path.of("/usr/bin/readelf")).as("readelf, from Debian's binutils (scripts/prereqs)").isExecutable();
        Map<String, List<Integer>> newest = new TreeMap<>();
        for (Map.Entry<String, Path> entry : elfs.entrySet()) {
            Path elf = entry.getValue();
            Result symbols = run(List.of("/usr/bin/readelf", "--dyn-syms", "-W", elf.toString()), null);
            assertThat(symbols.status()).as("readelf %s: %s", elf, symbols.err()).isZero();
            List<Integer> max = List.of(0);
            Matcher matcher = GLIBC_SYMBOL.matcher(symbols.out());
            while (matcher.find()) {
                List<Integer> found = Arrays.stream(matcher.group(1).split("\\.")).map(Integer::valueOf).toList();
                if (compare(found, max) > 0) {
                    max = found;
                }
            }
            newest.put(entry.getKey(), max);
        }
        newest.forEach((file, max) -> System.out.println("GLIBC " + dotted(max) + "  " + file));

        assertThat(newest).as("native code that needs a glibc newer than %s", dotted(GLIBC_OF_RHEL_7))
                .allSatisfy((file, max) -> assertThat(compare(max, GLIBC_OF_RHEL_7)).as(file + " needs " + dotted(max))
                        .isLessThanOrEqualTo(0));
    }

    @Test
    void shipsTheBashCompletionThatGpfoPrints() throws Exception {
        Path shipped = home.resolve("share/bash-completion/completions/gpfo");
        Result printed = gpfo(home, Map.of(), "completion", "bash");

        assertThat(printed.status()).isZero();
        assertThat(shipped).hasContent(printed.out());
        Result syntax = run(List.of("bash", "-n", shipped.toString()), null);
        assertThat(syntax.status()).as("bash -n: %s", syntax.err()).isZero();
    }

    @Test
    void shipsManPagesThatFollowManConventions() throws Exception {
        // man-db is a build prerequisite (scripts/prereqs): without it this fails rather than skipping
        assertThat(Stream.of("/usr/bin/man", "/bin/man").anyMatch(m -> Files.isExecutable(Path.of(m))))
                .as("man (man-db) is installed").isTrue();
        Path pages = home.resolve("share/man/man1");
        for (String page : List.of("gpfo", "gpfo-status", "gpfo-promote", "gpfo-vip-up", "gpfo-completion", "gpfo-install")) {
            String text = man(pages.resolve(page + ".1"));

            assertThat(text).contains("SYNOPSIS", "DESCRIPTION", "gpfo " + version).doesNotContain("EXIT STATUS:");
            // NAME: one line, "page - what it does"
            assertThat(section(text, "NAME")).as(page).matches(page + " - [^\n]+\n");
        }
        String gpfo = man(pages.resolve("gpfo.1"));
        assertThat(gpfo).contains("EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO", "GPFO_CONFIG",
                "gpfo pause --for 2h", "gpfo.yaml(5)");
        assertThat(man(pages.resolve("gpfo-install.1"))).contains("EXIT STATUS");

        String config = man(home.resolve("share/man/man5/gpfo.yaml.5"));
        assertThat(section(config, "NAME")).isEqualTo("gpfo.yaml - the configuration of gpfo(1), the Greenplum coordinator"
                + " failover agent\n");
        assertThat(config).contains("SYNOPSIS", "DESCRIPTION", "FILES", "SEE ALSO", "heartbeat.interval", "Default 1s",
                "witnesses.quorum", "Default majority", "vip.gateway", "ssh.connect_timeout");
    }

    private static String man(Path page) throws Exception {
        Result man = run(List.of("man", "-l", page.toString()), Map.of("PATH", "/usr/bin:/bin", "MANPAGER", "cat",
                "MANWIDTH", "200", "LANG", "C.UTF-8"));
        assertThat(man.status()).as("man -l %s: %s", page, man.err()).isZero();
        return man.out();
    }

    /** The body of a man page section, its lines unindented and joined, up to the next heading. */
    private static String section(String page, String heading) {
        Matcher body = Pattern.compile("(?ms)^" + heading + "\\n(.*?)\\n(?=^\\S)").matcher(page);
        assertThat(body.find()).as("section %s in %s", heading, page).isTrue();
        return body.group(1).lines().map(String::strip).collect(java.util.stream.Collectors.joining("\n")) + "\n";
    }

    private static Path jlineNativeLibrary() throws IOException {
        Path jar;
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            jar = jars.filter(j -> j.getFileName().toString().startsWith("jline-")).findFirst().orElseThrow();
        }
        Path library = dir.resolve("libjlinenative.so");
        try (ZipFile zip = new ZipFile(jar.toFile());
                InputStream in = zip.getInputStream(zip.getEntry(JLINE_LIBRARY))) {
            Files.copy(in, library);
        }
        return library;
    }

    private static boolean isElf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return Arrays.equals(magic, new byte[] {0x7f, 'E', 'L', 'F'});
        }
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int c = Integer.compare(i < a.size() ? a.get(i) : 0, i < b.size() ? b.get(i) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String dotted(List<Integer> version) {
        return String.join(".", version.stream().map(String::valueOf).toList());
    }

    /** bin/gpfo of HOME with only ENVIRONMENT and PATH={@link #tools}: no JAVA_HOME, no GPFO_JAVA_HOME. */
    private static Result gpfo(Path home, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/gpfo").toString()));
        command.addAll(List.of(args));
        Map<String, String> env = new TreeMap<>(environment);
        env.put("PATH", tools.toString());
        return run(command, env);
    }

    /** Runs COMMAND; with ENVIRONMENT (and nothing else) if not null. */
    private static Result run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end in 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int status, String out, String err) {
    }
}

package io.gpfo.install;

import io.gpfo.install.HostFacts.SysvRegistration;
import io.gpfo.install.Step.Check;
import io.gpfo.install.Step.Directory;
import io.gpfo.install.Step.File;
import io.gpfo.install.Step.Remove;
import io.gpfo.install.Step.Run;
import io.gpfo.install.Step.Symlink;
import io.gpfo.install.Step.Tree;
import io.gpfo.install.Step.When;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds the install and uninstall plans of one host from what is known before anything is
 * touched: the configuration, the distribution, and the host's facts. Pure: no I/O.
 */
public final class PlanBuilder {

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private static final List<String> START_LEVELS = List.of("2", "3", "4", "5");
    private static final List<String> STOP_LEVELS = List.of("0", "1", "6");
    /** Succeeds when the init script is registered to start in runlevel 3 (chkconfig, update-rc.d or our links). */
    static final List<String> REGISTERED_PROBE = List.of("sh", "-c",
            "for f in /etc/rc3.d/S[0-9][0-9]gpfo /etc/rc.d/rc3.d/S[0-9][0-9]gpfo; do [ -e \"$f\" ] && exit 0; done; exit 1");
    /** Succeeds when no rc link to the init script is left. */
    static final List<String> NO_RC_LINKS_PROBE = List.of("sh", "-c",
            "for f in /etc/rc[0-6S].d/[SK][0-9][0-9]gpfo /etc/rc.d/rc[0-6].d/[SK][0-9][0-9]gpfo; do [ -L \"$f\" ] && exit 1; done; exit 0");
    static final List<String> REMOVE_RC_LINKS = List.of("sh", "-c",
            "rm -f /etc/rc[0-6S].d/[SK][0-9][0-9]gpfo /etc/rc.d/rc[0-6].d/[SK][0-9][0-9]gpfo");

    /** A page the distribution ships, relative to share/man: "man1/gpfo-status.1", "man5/gpfo.yaml.5". */
    private static final Pattern MAN_PAGE = Pattern.compile("(man[15])/gpfo[A-Za-z0-9._-]*\\.[15]");

    private PlanBuilder() {
    }

    /**
     * What both hosts get alike.
     *
     * @param version        the distribution's version: its directory under /opt/gpfo
     * @param distribution   where the running distribution is (for the plan's text)
     * @param configYaml     the configuration file's text, installed as it is on both hosts
     * @param stateDirectory state.directory, owned by the admin user
     * @param manPages       the man pages the distribution ships, relative to its share/man ("man1/gpfo.1", …)
     */
    public record Settings(String version, String distribution, String configYaml, String adminUser, String stateDirectory,
            List<String> manPages) {
        public Settings {
            if (!VERSION.matcher(version).matches() || version.equals("current")) {
                throw new IllegalArgumentException("'" + version + "' cannot name a directory under " + Layout.OPT);
            }
            manPages = List.copyOf(manPages);
            for (String page : manPages) {
                if (!MAN_PAGE.matcher(page).matches()) {
                    throw new IllegalArgumentException("'" + page + "' is not a gpfo man page in " + Layout.MAN_SECTIONS);
                }
            }
        }
    }

    /**
     * One host as the plan needs it.
     *
     * @param local   this host (steps run here) or the peer (over SSH)
     * @param reach   how it is reached, for the plan's heading
     * @param sudoers the /etc/sudoers.d/gpfo content for this host
     */
    public record Host(String name, boolean local, String reach, InitSystem init, String adminGroup,
            SysvRegistration registration, boolean systemdRunning, String sudoers) {
    }

    public static HostPlan install(Settings settings, Host host) {
        String versionDirectory = Layout.versionDirectory(settings.version());
        List<Step> steps = new ArrayList<>();
        steps.add(new Directory(Layout.OPT, Optional.of(Attributes.root(0755))));
        steps.add(new Tree(versionDirectory, settings.distribution()));
        steps.add(new Symlink(Layout.CURRENT, versionDirectory));
        steps.add(new Directory("/usr/local/bin", Optional.empty()));
        steps.add(new Symlink(Layout.COMMAND_LINK, Layout.SERVICE_EXECUTABLE));
        steps.add(new Directory(Layout.COMPLETION_DIRECTORY, Optional.empty()));
        steps.add(new Symlink(Layout.COMPLETION, Layout.COMPLETION_SOURCE));
        steps.addAll(manPages(settings.manPages()));
        steps.add(new Directory(Layout.CONFIG_DIRECTORY, Optional.of(Attributes.root(0755))));
        steps.add(new File(Layout.CONFIG, settings.configYaml(), new Attributes("root", host.adminGroup(), 0640), Check.NONE));
        steps.add(new Directory(settings.stateDirectory(),
                Optional.of(new Attributes(settings.adminUser(), host.adminGroup(), 0750))));
        steps.add(new Directory("/etc/sudoers.d", Optional.empty()));
        steps.add(new File(Layout.SUDOERS, host.sudoers(), Attributes.root(0440), Check.SUDOERS));
        // before the agent (re)starts, so it starts with it; a new tree needs a new archive
        steps.add(new Run(List.of(versionDirectory + "/bin/gpfo", "class-archive"), new When.IfChanged(List.of(versionDirectory))));
        steps.addAll(switch (host.init()) {
            case SYSTEMD -> systemdService(settings, host);
            case SYSV -> sysvService(host);
        });
        String init = switch (host.init()) {
            case SYSTEMD -> host.init().label();
            case SYSV -> host.init().label() + ", " + registrationText(host.registration());
        };
        return new HostPlan(host.name(), host.local(), host.reach() + "; init: " + init, steps);
    }

    /**
     * A link per page, each section's directory first; then links to pages an older version had and
     * this one has not (they dangle once current moved) are removed, so man does not list them.
     */
    private static List<Step> manPages(List<String> pages) {
        List<Step> steps = new ArrayList<>();
        for (String section : Layout.MAN_SECTIONS) {
            List<String> inSection = pages.stream().filter(page -> page.startsWith(section + "/")).sorted().toList();
            if (!inSection.isEmpty()) {
                steps.add(new Directory(Layout.MAN_ROOT + "/" + section, Optional.empty()));
            }
            for (String page : inSection) {
                steps.add(new Symlink(Layout.MAN_ROOT + "/" + page, Layout.MAN_SOURCE_ROOT + "/" + page));
            }
        }
        steps.add(new Run(manLinks("-xtype l -delete"), new When.Unless(noManLinks("-xtype l"), "no stale man page links")));
        return steps;
    }

    /**
     * sh -c finding gpfo's man page links (links into {@link Layout#MAN_SOURCE_ROOT}) with {@code find}'s
     * further tests and actions; sections that do not exist are skipped.
     */
    static List<String> manLinks(String tests) {
        return manLinks(Layout.MAN_ROOT, Layout.MAN_SOURCE_ROOT, tests);
    }

    /** Succeeds when {@link #manLinks} with these tests finds nothing. */
    static List<String> noManLinks(String tests) {
        return noManLinks(Layout.MAN_ROOT, Layout.MAN_SOURCE_ROOT, tests);
    }

    /** {@link #manLinks(String)} under other roots, for tests. */
    static List<String> manLinks(String manRoot, String sourceRoot, String tests) {
        String directories = String.join(" ", Layout.MAN_SECTIONS.stream().map(section -> manRoot + "/" + section).toList());
        return List.of("sh", "-c", "for d in " + directories + "; do [ ! -d \"$d\" ] || find \"$d\" -maxdepth 1 -type l"
                + " -lname '" + sourceRoot + "/*' " + tests + " || exit 1; done");
    }

    static List<String> noManLinks(String manRoot, String sourceRoot, String tests) {
        String list = manLinks(manRoot, sourceRoot, (tests + " -print").strip()).get(2);
        return List.of("sh", "-c", "found=$(" + list + ") && [ -z \"$found\" ]");
    }

    private static List<Step> systemdService(Settings settings, Host host) {
        return List.of(new Directory("/etc/systemd/system", Optional.empty()),
                new File(Layout.UNIT, ServiceFiles.unit(settings.adminUser(), host.adminGroup()), Attributes.root(0644),
                        Check.NONE),
                new Run(List.of("systemctl", "daemon-reload"), new When.IfChanged(List.of(Layout.UNIT))),
                new Run(List.of("systemctl", "enable", Layout.UNIT_NAME),
                        new When.Unless(List.of("systemctl", "is-enabled", "--quiet", Layout.UNIT_NAME), "already enabled")),
                new Run(List.of("systemctl", "restart", Layout.UNIT_NAME), new When.IfChanged(List.of())),
                new Run(List.of("systemctl", "start", Layout.UNIT_NAME),
                        new When.Unless(List.of("systemctl", "is-active", "--quiet", Layout.UNIT_NAME), "already running")));
    }

    private static List<Step> sysvService(Host host) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Directory("/etc/init.d", Optional.empty()));
        steps.add(new File(Layout.INIT_SCRIPT, ServiceFiles.initScript(), Attributes.root(0755), Check.NONE));
        steps.addAll(register(host.registration()));
        steps.add(new Run(List.of(Layout.INIT_SCRIPT, "restart"), new When.IfChanged(List.of())));
        steps.add(new Run(List.of(Layout.INIT_SCRIPT, "start"),
                new When.Unless(List.of(Layout.INIT_SCRIPT, "status"), "already running")));
        return steps;
    }

    private static List<Step> register(SysvRegistration registration) {
        return switch (registration) {
            case CHKCONFIG -> List.of(new Run(List.of("chkconfig", "--add", "gpfo"),
                    new When.Unless(REGISTERED_PROBE, "already registered for boot")));
            case UPDATE_RC_D -> List.of(new Run(List.of("update-rc.d", "gpfo", "defaults"),
                    new When.Unless(REGISTERED_PROBE, "already registered for boot")));
            case RC_LINKS -> {
                List<Step> links = new ArrayList<>();
                for (String level : START_LEVELS) {
                    links.add(new Directory("/etc/rc" + level + ".d", Optional.empty()));
                    links.add(new Symlink("/etc/rc" + level + ".d/S99gpfo", "../init.d/gpfo"));
                }
                for (String level : STOP_LEVELS) {
                    links.add(new Directory("/etc/rc" + level + ".d", Optional.empty()));
                    links.add(new Symlink("/etc/rc" + level + ".d/K01gpfo", "../init.d/gpfo"));
                }
                yield links;
            }
        };
    }

    private static String registrationText(SysvRegistration registration) {
        return switch (registration) {
            case CHKCONFIG -> "registered with chkconfig";
            case UPDATE_RC_D -> "registered with update-rc.d";
            case RC_LINKS -> "rc links made by gpfo";
        };
    }

    /**
     * Reverses {@link #install} whatever init system was used: the service is stopped and
     * deregistered, then gpfo's files are removed. The state directory is kept (its journal
     * says whether this pair was promoted), and so is the configuration with {@code keepConfig}.
     */
    public static HostPlan uninstall(Host host, boolean keepConfig) {
        List<Step> steps = new ArrayList<>();
        if (host.systemdRunning()) {
            steps.add(new Run(List.of("systemctl", "disable", "--now", Layout.UNIT_NAME),
                    new When.Unless(List.of("test", "!", "-e", Layout.UNIT), Layout.UNIT + " is not there")));
        }
        steps.add(Remove.of(Layout.UNIT));
        if (host.systemdRunning()) {
            steps.add(new Run(List.of("systemctl", "daemon-reload"), new When.IfChanged(List.of(Layout.UNIT))));
        }
        When scriptInstalled = new When.Unless(List.of("test", "!", "-x", Layout.INIT_SCRIPT), Layout.INIT_SCRIPT + " is not there");
        steps.add(new Run(List.of(Layout.INIT_SCRIPT, "stop"), scriptInstalled));
        steps.addAll(switch (host.registration()) {
            case CHKCONFIG -> List.of(new Run(List.of("chkconfig", "--del", "gpfo"), scriptInstalled));
            case UPDATE_RC_D -> List.of(new Run(List.of("update-rc.d", "-f", "gpfo", "remove"),
                    new When.Unless(NO_RC_LINKS_PROBE, "no rc links are left")));
            // the links are removed below with whatever else is left
            case RC_LINKS -> List.<Step>of();
        });
        steps.add(new Run(REMOVE_RC_LINKS, new When.Unless(NO_RC_LINKS_PROBE, "no rc links are left")));
        steps.add(Remove.of(Layout.INIT_SCRIPT));
        steps.add(Remove.of(Layout.PID_DIRECTORY));
        steps.add(Remove.of(Layout.SUDOERS));
        if (!keepConfig) {
            steps.add(Remove.of(Layout.CONFIG_DIRECTORY));
        }
        steps.add(new Remove(Layout.COMMAND_LINK, Optional.of(Layout.SERVICE_EXECUTABLE)));
        steps.add(new Remove(Layout.COMPLETION, Optional.of(Layout.COMPLETION_SOURCE)));
        steps.add(new Run(manLinks("-delete"), new When.Unless(noManLinks(""), "no gpfo man page links are left")));
        // last: gpfo may be running from it (the JVM keeps its open jars)
        steps.add(Remove.of(Layout.OPT));
        return new HostPlan(host.name(), host.local(), host.reach(), steps);
    }
}
